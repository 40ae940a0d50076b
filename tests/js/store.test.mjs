// The widget's stored chat (widget/store.js): what a reload resumes, and for how long.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { chatStore } from "../../widget/store.js";

// sessionStorage as the browser has it, and a clock the tests move.
const items = new Map();
globalThis.sessionStorage = {
  getItem: (k) => (items.has(k) ? items.get(k) : null),
  setItem: (k, v) => items.set(k, String(v)),
  removeItem: (k) => items.delete(k),
};
let now = 1_800_000_000_000;
Date.now = () => now;
const minute = 60_000;
const answer = { ContactId: "c1", ParticipantId: "p1", ParticipantToken: "secret" };

beforeEach(() => items.clear());

test("a stored chat comes back until the customer has been away too long", () => {
  const store = chatStore("k", { idleMinutes: 30 });
  assert.equal(store.load(), null);
  store.save(answer);
  now += 29 * minute;
  assert.deepEqual(store.load(), answer);
  store.touch(); // the customer was on the page again
  now += 29 * minute;
  assert.deepEqual(store.load(), answer, "the idle time counts from the last visit");
  now += 2 * minute;
  assert.equal(store.load(), null);
  assert.equal(items.size, 0, "an expired chat is forgotten, its token with it");
});

test("no stored chat outlives the chat's own lifetime, however active", () => {
  const store = chatStore("k", { idleMinutes: 30, chatDurationMinutes: 60 });
  store.save(answer);
  for (let i = 0; i < 6; i++) {
    now += 10 * minute;
    store.touch();
  }
  assert.equal(store.load(), null);
});

test("resume off keeps nothing, and clears what an earlier page left", () => {
  chatStore("k").save(answer);
  assert.equal(items.size, 1);
  const off = chatStore("k", { enabled: false });
  assert.equal(items.size, 0);
  off.save(answer);
  assert.equal(items.size, 0);
  assert.equal(off.load(), null);
});

test("an unreadable or foreign entry is no chat, and broken storage is no crash", () => {
  items.set("k", "{not json");
  assert.equal(chatStore("k").load(), null);
  items.set("k", JSON.stringify({ ParticipantToken: "old format" }));
  assert.equal(chatStore("k").load(), null);
  const saved = globalThis.sessionStorage;
  globalThis.sessionStorage = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("full"); }, removeItem: () => {} };
  try {
    const store = chatStore("k");
    store.save(answer);
    store.touch();
    assert.equal(store.load(), null);
  } finally {
    globalThis.sessionStorage = saved;
  }
});

test("a touch per item writes at most every few seconds, and leaving the page writes at once", () => {
  const store = chatStore("k", { idleMinutes: 30 });
  store.save(answer);
  store.touch();
  const first = JSON.parse(items.get("k")).seenAt;
  now += 1_000;
  store.touch();
  assert.equal(JSON.parse(items.get("k")).seenAt, first, "a burst of items is one write");
  store.touch(true);
  assert.equal(JSON.parse(items.get("k")).seenAt, now, "pagehide records the moment itself");
  now += 5_000;
  store.touch();
  assert.equal(JSON.parse(items.get("k")).seenAt, now);
});
