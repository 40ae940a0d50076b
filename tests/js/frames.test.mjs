// The socket's frames and their items, read in JS (src/shell/js/page.js): `readFrame` decodes as
// `decode_value` (src/protocol/frame.rs) does, with the same messages, and `itemFields` reads what
// `Item::from_json` (src/protocol/item.rs) reads, for the wasm to take in one call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { frameMessage, frameTime, itemFields, parseTime, readFrame, shareScratch } from "../../src/shell/js/page.js";

const chat = (content) => JSON.stringify({ topic: "aws/chat", contentType: "application/json", content });

test("an aws/chat frame becomes its item, the object the page gets (an object content is taken as it is)", () => {
  const item = { Id: "i1", Type: "MESSAGE", ContentType: "text/plain", Content: "hi" };
  assert.deepEqual(readFrame(chat(JSON.stringify(item))), item);
  assert.deepEqual(readFrame(JSON.stringify({ topic: "aws/chat", content: item })), item);
  assert.deepEqual(readFrame(chat("[1]")), [1], "an array goes on: the wasm says it is no item");
});

test("control frames are numbers, as the driver matches on them", () => {
  assert.equal(readFrame(JSON.stringify({ topic: "aws/subscribe", content: { status: "success", topics: ["aws/chat"] } })), 1);
  assert.equal(readFrame(JSON.stringify({ topic: "aws/subscribe", content: { status: "failure" } })), 0);
  assert.equal(readFrame(JSON.stringify({ topic: "aws/subscribe" })), 0);
  assert.equal(readFrame('{"topic":"aws/heartbeat"}'), 2);
  assert.equal(readFrame('{"topic":"aws/ping","statusCode":200}'), 3);
  assert.equal(readFrame('{"topic":"aws/other"}'), 3);
  assert.equal(readFrame('{"message":"Forbidden","connectionId":"c"}'), 4);
  assert.equal(frameMessage(), "Forbidden");
  assert.equal(readFrame('{"connectionId":"c"}'), 4);
  assert.equal(frameMessage(), "error frame without a message");
});

test("what is wrong with a frame is said as decode_value says it", () => {
  for (const [frame, message] of [
    ["", "frame is not JSON ()"],
    ["not json", "frame is not JSON (not json)"],
    ["[1,2]", "frame is not a JSON object"],
    ["42", "frame is not a JSON object"],
    ["null", "frame is not a JSON object"],
    ['{"topic":7}', "frame topic is not a string"],
    ['{"topic":null}', "frame topic is not a string"],
    ['{"topic":"aws/chat"}', "aws/chat frame has no content"],
    [chat("{not json"), "aws/chat content is not JSON ({not json)"],
    ['{"topic":"aws/chat","content":5}', "aws/chat content is neither a string nor an object"],
    ['{"topic":"aws/chat","content":[1]}', "aws/chat content is neither a string nor an object"],
    [chat('"text"'), "chat item is not a JSON object"],
    [chat("null"), "chat item is not a JSON object"],
  ]) {
    assert.equal(readFrame(frame), message, frame);
  }
  assert.equal(readFrame(new ArrayBuffer(2)), "unexpected binary frame");
  // The start of the frame only: 80 bytes of UTF-8, cut at a character.
  assert.equal(readFrame("x".repeat(1_000_000)), `frame is not JSON (${"x".repeat(80)}…)`);
  assert.equal(readFrame("€".repeat(30)), `frame is not JSON (${"€".repeat(26)}…)`);
  assert.equal(readFrame("€".repeat(26)), `frame is not JSON (${"€".repeat(26)})`);
});

/** A wasm memory shared as the wasm shares its scratch; `read()` gives what `itemFields` wrote there. */
function scratch(capacity = 256) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  shareScratch(memory, 8, 128, capacity);
  return (written) => {
    const numbers = [...new Float64Array(memory.buffer, 8, 7)];
    const bytes = new Uint8Array(memory.buffer, 128, written);
    const texts = [];
    let at = 0;
    for (const n of numbers.slice(2)) texts.push(new TextDecoder().decode(bytes.subarray(at, (at += n))));
    return { time: numbers[0], bits: numbers[1], texts };
  };
}

test("itemFields: the numbers and the texts into the shared memory", () => {
  const read = scratch();
  const written = itemFields({ Id: "i1", Type: "MESSAGE", ContentType: "text/plain", ParticipantRole: "AGENT", AbsoluteTime: "2024-01-01T00:00:00.000Z" });
  assert.equal(written, "MESSAGEtext/plainAGENTi1".length);
  const { time, bits, texts } = read(written);
  assert.deepEqual([time, bits, texts], [1_704_067_200_000, 0, ["MESSAGE", "text/plain", "AGENT", "", "i1"]]);

  // Odd fields degrade as Item::from_json's reads do: not strings are empty, no time is NaN.
  assert.equal(itemFields({ Id: 5, Type: null, AbsoluteTime: "yesterday" }), 0);
  assert.ok(Number.isNaN(read(0).time));
  assert.equal(itemFields([1]), -1);
  assert.equal(itemFields("text"), -1);
  assert.equal(itemFields(null), -1);

  // Any text, in UTF-8 (a lone surrogate as the wasm gets it: U+FFFD).
  const odd = { Id: "a\nb€\ud800", Type: "MESSAGE\n", ContentType: "x\ny", ParticipantRole: "\u00e9" };
  assert.deepEqual(read(itemFields(odd)).texts, ["MESSAGE\n", "x\ny", "\u00e9", "", "a\nb€\ufffd"]);
});

test("itemFields: an event's content type is written without the prefix every one has, and says so", () => {
  const read = scratch();
  const EVENT = "application/vnd.amazonaws.connect.event.";
  let r = read(itemFields({ Id: "e", Type: "EVENT", ContentType: `${EVENT}typing`, ParticipantRole: "AGENT" }));
  assert.deepEqual([r.bits, r.texts], [8, ["EVENT", "typing", "AGENT", "", "e"]]);
  r = read(itemFields({ Id: "e", Type: "EVENT", ContentType: EVENT }));
  assert.deepEqual([r.bits, r.texts[1]], [8, ""]);
  r = read(itemFields({ Id: "e", Type: "EVENT", ContentType: `${EVENT}€\u00e9` }));
  assert.deepEqual([r.bits, r.texts[1]], [8, "€\u00e9"]);
  for (const other of ["application/vnd.amazonaws.connect.event", "text/plain", `x${EVENT}typing`, ""]) {
    r = read(itemFields({ Id: "m", Type: "MESSAGE", ContentType: other }));
    assert.deepEqual([r.bits, r.texts[1]], [0, other], other);
  }
  // What does not fit is counted without the prefix too.
  scratch(4);
  assert.equal(itemFields({ Type: "EVENT", ContentType: `${EVENT}typing` }), 5 + 6);
});

test("itemFields: texts that do not fit say how many bytes they need", () => {
  scratch(8);
  const item = { Id: "0123456789", Type: "MESSAGE", ParticipantRole: "€€" };
  assert.equal(itemFields(item), 7 + 6 + 10, "more than the 8 shared");
  const read = scratch(23);
  assert.equal(itemFields(item), 23);
  assert.deepEqual(read(23).texts, ["MESSAGE", "", "€€", "", "0123456789"]);
});

test("itemFields: receipts, read or delivered, and the participant they all name", () => {
  const read = scratch();
  const receipt = (...receipts) => ({ Id: "r", Type: "MESSAGEMETADATA", MessageMetadata: { MessageId: "m", Receipts: receipts } });
  let r = read(itemFields(receipt({ ReadTimestamp: "t", RecipientParticipantId: "p" })));
  assert.deepEqual([r.bits, r.texts], [2 | 1 | 4, ["MESSAGEMETADATA", "", "", "p", "r"]]);
  r = read(itemFields(receipt({ DeliveredTimestamp: "t", RecipientParticipantId: "p" }, { ReadTimestamp: "t", RecipientParticipantId: "p" })));
  assert.equal(r.bits, 2 | 1 | 4);
  r = read(itemFields(receipt({ DeliveredTimestamp: "t", RecipientParticipantId: "p" }, { DeliveredTimestamp: "t", RecipientParticipantId: "q" })));
  assert.deepEqual([r.bits, r.texts[3]], [2, ""], "delivered, and no one participant");
  assert.equal(read(itemFields(receipt({ DeliveredTimestamp: "t" }, { RecipientParticipantId: "p" }))).bits, 2);
  assert.equal(read(itemFields(receipt())).bits, 2, "no receipt: no recipient");
  assert.equal(read(itemFields({ Type: "MESSAGEMETADATA", MessageMetadata: 7 })).bits, 2);
  assert.equal(read(itemFields({ Type: "MESSAGE" })).bits, 0);
  r = read(itemFields(receipt({ ReadTimestamp: "t", RecipientParticipantId: "p€\n" })));
  assert.deepEqual([r.bits, r.texts[3]], [7, "p€\n"]);
});

test("parseTime reads a time as Date.parse does, the service's form digit by digit", () => {
  // Every form the fast path takes, over leap years, month ends and the times of a day.
  for (let t = Date.UTC(1970, 0, 1); t < Date.UTC(2410, 0, 1); t += 86_399_997 * 7 + 12_345) {
    const s = new Date(t).toISOString();
    assert.equal(parseTime(s), t, s);
  }
  for (const s of [
    "2024-02-29T23:59:59.999Z", "2025-02-29T00:00:00.000Z", "2100-02-29T00:00:00.000Z", "2000-02-29T12:00:00.000Z",
    "2026-04-31T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-00-10T00:00:00.000Z", "2026-12-00T00:00:00.000Z",
    "2026-12-01T24:00:00.000Z", "2026-12-01T23:60:00.000Z", "2026-12-01T23:59:60.000Z", "1969-12-31T23:59:59.999Z",
    "2026-12-01T18:26:29.12xZ", "2026-12-01T1a:26:29.123Z", "2026-12-01T18:26:29Z", "2026-12-01T18:26:29.123+01:00",
    "1970-01-01T00:00:00.000Z", "2400-02-29T00:00:00.001Z", "2400-03-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
    "2026-12-01", "2026-12-01T18:26:29.123", "2026-12-01 18:26:29.123Z", "+002026-12-01T18:26:29.123Z", "yesterday", "",
  ]) {
    assert.ok(Object.is(parseTime(s), Date.parse(s)), s);
  }
  for (const value of [undefined, null, 7, {}, ["2026-12-01T18:26:29.123Z"]]) assert.ok(Number.isNaN(parseTime(value)));
});

test("frameTime: when the frame read last came (its event's timeStamp), never earlier than a time said before", () => {
  const item = chat(JSON.stringify({ Id: "i1", Type: "MESSAGE" }));
  const later = performance.now() + 1e6;
  readFrame(item, { timeStamp: later });
  assert.equal(frameTime(), later);
  assert.equal(frameTime(), later, "asked again");
  readFrame(item, { timeStamp: later - 5 });
  assert.equal(frameTime(), later, "an event stamped earlier than the one before");
  readFrame(item, { timeStamp: later + 5 });
  assert.equal(frameTime(), later + 5);
  // A frame with no event: now (here earlier than the times said before, so still the last of them).
  readFrame(item);
  assert.equal(frameTime(), later + 5);
});
