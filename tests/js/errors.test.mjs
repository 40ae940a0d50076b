// The errors the page sees (src/shell/js/page.js): typed fields, and no credential in any message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chatError, withoutUrlQueries } from "../../src/shell/js/page.js";

test("a ChatError is an Error with name, code, status and retryable", () => {
  const e = chatError("ThrottlingException", "slow down", 429, true);
  assert.ok(e instanceof Error);
  assert.deepEqual([e.name, e.code, e.message, e.status, e.retryable], ["ThrottlingException", "ThrottlingException", "slow down", 429, true]);
});

test("every URL in a message loses its query and fragment", () => {
  const s3 = "request to https://bucket.s3.amazonaws.com/a/b.pdf?X-Amz-Signature=abc&X-Amz-Credential=k failed: reset";
  assert.equal(withoutUrlQueries(s3), "request to https://bucket.s3.amazonaws.com/a/b.pdf failed: reset");
  const ws = "Failed to construct 'WebSocket': The URL 'wss://host/connect?X-Amz-Security-Token=t#x' is invalid.";
  assert.equal(withoutUrlQueries(ws), "Failed to construct 'WebSocket': The URL 'wss://host/connect' is invalid.");
  assert.equal(withoutUrlQueries("(see http://a/b?c=d) then?"), "(see http://a/b) then?", "a ? outside a URL stays");
  assert.equal(withoutUrlQueries("two: http://a?x https://b#y."), "two: http://a https://b");
  assert.equal(withoutUrlQueries("no url? none#here"), "no url? none#here");
  assert.equal(withoutUrlQueries('"http://h/p?q"'), '"http://h/p"');
  assert.equal(chatError("NetworkError", "to wss://h/?token=1 failed", 0, true).message, "to wss://h/ failed");
});
