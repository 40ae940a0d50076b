// The outbox's page-facing side (src/shell/js/page.js): `pending` as the page sees it, the `send-status`
// detail, and the queue kept in sessionStorage beside the position, per chat.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPending, pendingList, savePending, savePosition, sendStatus } from "../../src/shell/js/page.js";

const store = new Map();
globalThis.sessionStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};

const entries = JSON.stringify([
  { clientToken: "a", status: "queued", kind: 0, body: JSON.stringify({ ContentType: "text/plain", Content: "hi", ClientToken: "a" }) },
  {
    clientToken: "b",
    status: "failed",
    kind: 1,
    body: JSON.stringify({ ContentType: "application/vnd.amazonaws.connect.event.connection.acknowledged", ClientToken: "b" }),
    error: { code: "ValidationException", message: "no", status: 400, retryable: false },
  },
]);

test("pending lists each entry with its content type, content, status and error", () => {
  const [a, b] = pendingList(entries);
  assert.deepEqual(a, { clientToken: "a", contentType: "text/plain", content: "hi", status: "queued" });
  assert.equal(b.content, undefined, "an event without content");
  assert.equal(b.status, "failed");
  assert.ok(b.error instanceof Error);
  assert.deepEqual([b.error.name, b.error.status, b.error.retryable], ["ValidationException", 400, false]);
  assert.deepEqual(pendingList("[]"), []);
});

test("an attachment is listed with its file's type and name", () => {
  const body = JSON.stringify({ ContentType: "application/pdf", AttachmentSizeInBytes: 3, AttachmentName: "a.pdf", ClientToken: "f" });
  const [f] = pendingList(JSON.stringify([{ clientToken: "f", status: "sending", kind: 2, body }]));
  assert.deepEqual(f, { clientToken: "f", contentType: "application/pdf", content: "a.pdf", status: "sending" });
});

test("a send-status detail has id and error only when given", () => {
  assert.deepEqual(sendStatus("a", "sending", undefined, undefined), { clientToken: "a", status: "sending" });
  const e = new Error("x");
  assert.deepEqual(sendStatus("a", "sent", "id-1", undefined), { clientToken: "a", status: "sent", id: "id-1" });
  assert.equal(sendStatus("a", "queued", undefined, e).error, e);
});

test("the queue is kept per chat beside the position, removed when empty or forgotten", () => {
  savePending("k", "chat-1", entries);
  assert.equal(loadPending("k", "chat-1").length, 2);
  assert.equal(loadPending("k", "chat-2"), undefined, "another chat's queue is not restored");
  assert.equal(loadPending("other", "chat-1"), undefined);
  savePending("k", "chat-1", "[]");
  assert.equal(store.has("k.outbox"), false);
  savePending("k", "chat-1", entries);
  savePosition("k", "chat-1", "item-9");
  assert.equal(store.has("k.outbox"), true, "saving the position keeps the queue");
  savePosition("k", "", undefined);
  assert.equal(store.size, 0, "forgetting the chat forgets both");
  store.set("k.outbox", "{not json");
  assert.equal(loadPending("k", "chat-1"), undefined);
});
