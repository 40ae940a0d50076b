// getTranscript's options, checked and turned into GetTranscript's body (src/shell/js/arguments.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { transcriptBody } from "../../src/shell/js/arguments.js";

test("the options become the API's body", () => {
  assert.equal(transcriptBody(undefined), "{}");
  assert.equal(transcriptBody(null), "{}");
  assert.equal(transcriptBody({}), "{}");
  assert.deepEqual(JSON.parse(transcriptBody({
    contactId: "c", maxResults: 100, nextToken: "n", scanDirection: "FORWARD", sortOrder: "ASCENDING", startPosition: { id: "i" },
  })), { ContactId: "c", MaxResults: 100, NextToken: "n", ScanDirection: "FORWARD", SortOrder: "ASCENDING", StartPosition: { Id: "i" } });
  assert.deepEqual(JSON.parse(transcriptBody({ startPosition: { mostRecent: 3 } })), { StartPosition: { MostRecent: 3 } });
  assert.deepEqual(JSON.parse(transcriptBody({ startPosition: { absoluteTime: "2026-12-01T10:00:00.000Z" } })),
    { StartPosition: { AbsoluteTime: "2026-12-01T10:00:00.000Z" } });
  assert.deepEqual(JSON.parse(transcriptBody({ maxResults: null, startPosition: null })), {}, "null is not given");
});

test("a wrong option is a TypeError naming it, before any request", () => {
  for (const [bad, name] of [
    [7, "getTranscript options"], [[], "getTranscript options"], [{ maxResults: 101 }, "maxResults"], [{ maxResults: 1.5 }, "maxResults"],
    [{ maxResults: "5" }, "maxResults"], [{ scanDirection: "forward" }, "scanDirection"], [{ sortOrder: "UP" }, "sortOrder"],
    [{ contactId: "" }, "contactId"], [{ nextToken: "x".repeat(1001) }, "nextToken"], [{ startPosition: "i" }, "startPosition"],
    [{ startPosition: { id: "a", mostRecent: 1 } }, "startPosition"], [{ startPosition: {} }, "startPosition"],
    [{ startPosition: { mostRecent: -1 } }, "startPosition.mostRecent"],
  ]) {
    assert.throws(() => transcriptBody(bad), (e) => e instanceof TypeError && e.message.startsWith(name), JSON.stringify(bad));
  }
});
