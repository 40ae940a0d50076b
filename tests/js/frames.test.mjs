// The socket's frames and their items, read in JS (src/shell/js/page.js): `readFrame` decodes as
// `decode_value` (src/protocol/frame.rs) does, with the same messages, and `itemFields` reads what
// `Item::from_json` (src/protocol/item.rs) reads, for the wasm to take in one call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { frameMessage, itemFields, readFrame, shareNumbers } from "../../src/shell/js/page.js";

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

test("itemFields: the numbers into the shared memory, the texts in one string", () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  shareNumbers(memory, 8);
  const numbers = () => [...new Float64Array(memory.buffer, 8, 4)];
  const texts = itemFields({ Id: "i1", Type: "MESSAGE", ContentType: "text/plain", ParticipantRole: "AGENT", AbsoluteTime: "2024-01-01T00:00:00.000Z" });
  assert.equal(texts, "MESSAGE\ntext/plain\nAGENT\ni1");
  const [now, time, bits, recipientLength] = numbers();
  assert.ok(now > 0 && now <= performance.now());
  assert.deepEqual([time, bits, recipientLength], [1_704_067_200_000, 0, 0]);

  // Odd fields degrade as Item::from_json's reads do: not strings are empty, no time is NaN.
  assert.equal(itemFields({ Id: 5, Type: null, AbsoluteTime: "yesterday" }), "\n\n\n");
  assert.ok(Number.isNaN(numbers()[1]));
  assert.equal(itemFields([1]), undefined);
  assert.equal(itemFields("text"), undefined);
  assert.equal(itemFields(null), undefined);

  // A line break in Type, ContentType or ParticipantRole makes none the session knows: sent empty.
  assert.equal(itemFields({ Id: "a\nb", Type: "MESSAGE\n", ContentType: "x\ny", ParticipantRole: "\nAGENT" }), "\n\n\na\nb");
});

test("itemFields: receipts, read or delivered, and the participant they all name", () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  shareNumbers(memory, 0);
  const bits = () => new Float64Array(memory.buffer, 0, 4)[2];
  const receipt = (...receipts) => ({ Id: "r", Type: "MESSAGEMETADATA", MessageMetadata: { MessageId: "m", Receipts: receipts } });
  assert.equal(itemFields(receipt({ ReadTimestamp: "t", RecipientParticipantId: "p" })), "MESSAGEMETADATA\n\n\npr");
  assert.equal(bits(), 2 | 1 | 4);
  itemFields(receipt({ DeliveredTimestamp: "t", RecipientParticipantId: "p" }, { ReadTimestamp: "t", RecipientParticipantId: "p" }));
  assert.equal(bits(), 2 | 1 | 4);
  assert.equal(itemFields(receipt({ DeliveredTimestamp: "t", RecipientParticipantId: "p" }, { DeliveredTimestamp: "t", RecipientParticipantId: "q" })), "MESSAGEMETADATA\n\n\nr");
  assert.equal(bits(), 2, "delivered, and no one participant");
  itemFields(receipt({ DeliveredTimestamp: "t" }, { RecipientParticipantId: "p" }));
  assert.equal(bits(), 2);
  itemFields(receipt());
  assert.equal(bits(), 2, "no receipt: no recipient");
  itemFields({ Type: "MESSAGEMETADATA", MessageMetadata: 7 });
  assert.equal(bits(), 2);
  itemFields({ Type: "MESSAGE" });
  assert.equal(bits(), 0);
  // The recipient's length is in UTF-8, as the wasm gets the text.
  assert.equal(itemFields(receipt({ ReadTimestamp: "t", RecipientParticipantId: "p€\n" })), "MESSAGEMETADATA\n\n\np€\nr");
  assert.equal(new Float64Array(memory.buffer, 0, 4)[3], 5);
});
