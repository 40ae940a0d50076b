// `preconnect` (src/shell/js/preconnect.js) and its taking over by the glue (`request` and `openSocket` in
// src/shell/js/page.js), with `fetch`, `WebSocket` and the clock faked: what is taken, once, and what is
// closed when (the e2e test, tests/e2e/preconnect.test.mjs, runs the same against the emulator).
import { test, mock, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { preconnect } from "../../src/shell/js/preconnect.js";
import { frameTime, openSocket, request } from "../../src/shell/js/page.js";

const ENDPOINT = "http://127.0.0.1:9";
const URL_ = `${ENDPOINT}/participant/connection`;
const BODY = '{"Type":["WEBSOCKET","CONNECTION_CREDENTIALS"],"ConnectParticipant":true}';
const SOCKET = "ws://127.0.0.1:9/ws?token=1";
const SUBSCRIBE = '{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}';
const ACK = '{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}';
/** Whether `promise` has settled yet, and to what. */
const peek = (promise) => Promise.race([promise, new Promise((resolve) => setImmediate(() => resolve("pending")))]);
let fetched, sockets;

class FakeSocket {
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    sockets.push(this);
  }
  send(text) {
    this.sent.push(text);
  }
  /** What the browser does: the state, then the handler (`type` as an event's). */
  happen(type, fields = {}) {
    if (type === "open") this.readyState = 1;
    if (type === "close") this.readyState = 3;
    this["on" + type]?.({ type, ...fields });
  }
  close(code) {
    this.readyState = 3;
    this.closedWith = code;
  }
}

beforeEach(() => {
  fetched = [];
  sockets = [];
  globalThis[Symbol.for("connect-chat-wasm.preconnect")] = [];
  mock.timers.enable({ apis: ["setTimeout"] });
  globalThis.WebSocket = FakeSocket;
  globalThis.fetch = (url, init) => {
    fetched.push({ url, init });
    return Promise.resolve(new Response(JSON.stringify({ Websocket: { Url: SOCKET } }), { status: 200 }));
  };
});
afterEach(() => mock.timers.reset());

/** Lets the answer's promises run (the socket is made once the answer is read). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** The request the session makes for `token` (as src/shell/http.rs builds it). */
const sessionRequest = (token, body = BODY) => request(URL_, { method: "POST", headers: { "X-Amz-Bearer": token, "Content-Type": "application/json" }, body });

test("the session's request and socket are the preconnected ones, each taken once", async () => {
  preconnect({ participantToken: "t1", endpoint: ENDPOINT });
  assert.equal(fetched.length, 1);
  assert.equal(fetched[0].url, URL_);
  assert.equal(fetched[0].init.body, BODY);
  assert.equal(fetched[0].init.headers["X-Amz-Bearer"], "t1");
  await settle();
  assert.deepEqual(sockets.map((s) => s.url), [SOCKET]);

  const answer = await sessionRequest("t1");
  assert.equal(fetched.length, 1, "no second CreateParticipantConnection");
  assert.deepEqual(await answer.json(), { Websocket: { Url: SOCKET } });
  await sessionRequest("t1");
  assert.equal(fetched.length, 2, "taken once: the next request is a request of its own");

  assert.equal(openSocket(SOCKET, () => {}), sockets[0]);
  assert.equal(openSocket(SOCKET, () => {}), sockets[1], "taken once");
  mock.timers.tick(30_000);
  assert.equal(sockets[0].readyState, 0, "the session's socket is not closed as an unused one");
});

test("a preconnect no session takes is closed after 30 s; another chat's request and body are not taken", async () => {
  preconnect({ participantToken: "t1", endpoint: ENDPOINT });
  await settle();
  await sessionRequest("t2");
  await sessionRequest("t1", '{"Type":["CONNECTION_CREDENTIALS"],"ConnectParticipant":true}');
  assert.equal(fetched.length, 3, "another token, a follower's body: requests of their own");
  mock.timers.tick(29_999);
  assert.equal(sockets[0].readyState, 0);
  mock.timers.tick(1);
  assert.equal(sockets[0].closedWith, 1000);
  await sessionRequest("t1");
  assert.equal(fetched.length, 4, "gone once closed");
});

test("a taken connection whose socket is not open yet, or is closed: the session gets a socket of its own", async () => {
  preconnect({ participantToken: "t1", endpoint: ENDPOINT });
  await sessionRequest("t1");
  const own = openSocket(SOCKET, () => {}); // before the preconnect read its answer
  await settle();
  assert.deepEqual(sockets, [own], "the preconnect opens none after that");

  preconnect({ participantToken: "t2", endpoint: ENDPOINT });
  await settle();
  const dropped = sockets.at(-1);
  dropped.readyState = 3;
  await sessionRequest("t2");
  const fresh = openSocket(SOCKET, () => {});
  assert.notEqual(fresh, dropped);
  assert.equal(fresh.url, SOCKET);
});

test("a refused CreateParticipantConnection is the session's to read, and opens no socket", async () => {
  globalThis.fetch = (url, init) => {
    fetched.push({ url, init });
    return Promise.resolve(new Response('{"message":"no"}', { status: 403 }));
  };
  preconnect({ participantToken: "t1", endpoint: ENDPOINT });
  await settle();
  assert.equal(sockets.length, 0);
  assert.equal((await sessionRequest("t1")).status, 403);
  assert.equal(fetched.length, 1);
});

test("the socket subscribes once it opens; the promise says when it is acknowledged; the session gets every frame and does not subscribe again", async () => {
  const subscribed = preconnect({ participantToken: "t1", endpoint: ENDPOINT });
  await settle();
  const [ws] = sockets;
  assert.deepEqual(ws.sent, [], "nothing before the open");
  ws.happen("open");
  assert.deepEqual(ws.sent, [SUBSCRIBE]);
  assert.equal(await peek(subscribed), "pending", "sent is not acknowledged");
  ws.happen("message", { data: '{"topic":"aws/heartbeat"}' });
  ws.happen("message", { data: ACK });
  assert.equal(await peek(subscribed), true);
  ws.happen("message", { data: '{"topic":"aws/chat","content":"{\\"Id\\":\\"m1\\"}"}' });

  // The session comes: it sees the open, then every frame in order, and its own first send (the same
  // subscription) goes nowhere; what it sends after that goes out.
  await sessionRequest("t1");
  const seen = [];
  const own = openSocket(SOCKET, (what) => {
    seen.push(what);
    if (seen.length === 1) own.send(SUBSCRIBE);
  });
  assert.equal(own, ws);
  await settle();
  assert.equal(seen.length, 4, "the open, the heartbeat, the acknowledgement, the message");
  assert.deepEqual(ws.sent, [SUBSCRIBE], "subscribed once");
  own.send('{"topic":"aws/heartbeat"}');
  assert.deepEqual(ws.sent, [SUBSCRIBE, '{"topic":"aws/heartbeat"}']);
});

test("the promise is false when the subscription will not come: refused, failed, closed, refused by the socket, or taken over first", async () => {
  const refused = () => Promise.resolve(new Response('{"message":"no"}', { status: 403 }));
  globalThis.fetch = refused;
  assert.equal(await preconnect({ participantToken: "t1", endpoint: ENDPOINT }), false, "a refused request");
  globalThis.fetch = () => Promise.reject(new TypeError("Failed to fetch"));
  assert.equal(await preconnect({ participantToken: "t2", endpoint: ENDPOINT }), false, "a failed request");
  globalThis.fetch = () => Promise.resolve(new Response(JSON.stringify({ Websocket: { Url: SOCKET } }), { status: 200 }));

  const closed = preconnect({ participantToken: "t3", endpoint: ENDPOINT });
  await settle();
  sockets.at(-1).happen("close", { code: 1006 });
  assert.equal(await closed, false, "a socket closed before the acknowledgement");

  const failure = preconnect({ participantToken: "t4", endpoint: ENDPOINT });
  await settle();
  sockets.at(-1).happen("open");
  sockets.at(-1).happen("message", { data: '{"topic":"aws/subscribe","content":{"status":"failure"}}' });
  assert.equal(await failure, false, "a subscription the service refused");

  const taken = preconnect({ participantToken: "t5", endpoint: ENDPOINT });
  await settle();
  await sessionRequest("t5");
  const ws = openSocket(SOCKET, () => {});
  assert.equal(await taken, false, "a session took the socket over before it opened");
  ws.happen("open");
  assert.deepEqual(ws.sent, [], "the session subscribes on a socket it took before the open: not preconnect");
});

test("a subscribed socket that drops before its session comes is still the session's: it gets what the socket carried, then the drop", async () => {
  const subscribed = preconnect({ participantToken: "t1", endpoint: ENDPOINT });
  await settle();
  const [ws] = sockets;
  ws.happen("open");
  ws.happen("message", { data: ACK });
  assert.equal(await subscribed, true);
  ws.happen("message", { data: '{"topic":"aws/chat","content":"{\\"Id\\":\\"greeting\\"}"}' });
  ws.happen("close", { code: 1006 });
  assert.equal(sockets.length, 1, "preconnect opens no other: the session recovers from the drop itself");

  await sessionRequest("t1");
  const seen = [];
  assert.equal(openSocket(SOCKET, (what) => seen.push(what)), ws);
  await settle();
  // The open (5), the acknowledgement (1), the greeting, the close (-1 - 1006): the session reconnects
  // from there and fills the gap from the greeting on, as after a drop of its own.
  assert.deepEqual(seen.map((what) => what?.Id ?? what), [5, 1, "greeting", -1007]);
});

test("taken after the open but before the acknowledgement: the session's subscription is not sent again, the acknowledgement reaches it live", async () => {
  const subscribed = preconnect({ participantToken: "t1", endpoint: ENDPOINT });
  await settle();
  const [ws] = sockets;
  ws.happen("open");
  await sessionRequest("t1");
  const seen = [];
  const own = openSocket(SOCKET, (what) => {
    seen.push(what);
    if (what === 5) own.send(SUBSCRIBE) || own.send('{"topic":"aws/heartbeat"}');
  });
  await settle();
  assert.equal(await subscribed, false, "taken first: preconnect's part is over");
  ws.happen("message", { data: ACK });
  assert.deepEqual(seen, [5, 1]);
  assert.deepEqual(ws.sent, [SUBSCRIBE, '{"topic":"aws/heartbeat"}'], "one subscription, then the session's own frames");
});

test("a refused subscription is the session's to read; a socket that never opened is not taken", async () => {
  const refused = preconnect({ participantToken: "t1", endpoint: ENDPOINT });
  await settle();
  sockets[0].happen("open");
  sockets[0].happen("message", { data: '{"topic":"aws/subscribe","content":{"status":"failure"}}' });
  assert.equal(await refused, false);
  await sessionRequest("t1");
  const seen = [];
  assert.equal(openSocket(SOCKET, (what) => seen.push(what)), sockets[0]);
  await settle();
  assert.deepEqual(seen, [5, 0], "the open, the refusal: the session retries as it does for its own");

  preconnect({ participantToken: "t2", endpoint: ENDPOINT });
  await settle();
  const never = sockets.at(-1);
  never.happen("error");
  never.happen("close", { code: 1006 });
  await sessionRequest("t2");
  const fresh = openSocket(SOCKET, () => {});
  assert.notEqual(fresh, never, "a socket that never opened carried nothing: the session gets a new one");
});

test("one session does not take or close another chat's preconnected socket", async () => {
  const OTHER = "ws://127.0.0.1:9/ws?token=2";
  globalThis.fetch = (url, init) => {
    fetched.push({ url, init });
    const socketUrl = init.headers["X-Amz-Bearer"] === "t2" ? OTHER : SOCKET;
    return Promise.resolve(new Response(JSON.stringify({ Websocket: { Url: socketUrl } }), { status: 200 }));
  };
  preconnect({ participantToken: "t1", endpoint: ENDPOINT });
  preconnect({ participantToken: "t2", endpoint: ENDPOINT });
  await settle();
  const [mine, theirs] = sockets;
  assert.deepEqual([mine.url, theirs.url], [SOCKET, OTHER]);
  await sessionRequest("t1");
  await sessionRequest("t2");
  assert.equal(openSocket(SOCKET, () => {}), mine);
  assert.equal(theirs.readyState, 0, "the other chat's socket is left open");
  assert.equal(openSocket(OTHER, () => {}), theirs, "and taken by its own session");
});

test("the promise says false once the request timeout passes with the socket unopened or unanswered; the socket is still the session's", async () => {
  const subscribed = preconnect({ participantToken: "t1", endpoint: ENDPOINT, requestTimeoutMs: 5_000 });
  await settle();
  const [ws] = sockets;
  ws.happen("open");
  mock.timers.tick(4_999);
  assert.equal(await peek(subscribed), "pending");
  mock.timers.tick(1);
  assert.equal(await subscribed, false, "not answered in 5 s");
  ws.happen("message", { data: ACK });
  await sessionRequest("t1");
  const seen = [];
  assert.equal(openSocket(SOCKET, (what) => seen.push(what)), ws);
  await settle();
  assert.deepEqual(seen, [5, 1], "the late acknowledgement is the session's");
});

test("at 30 s a socket whose answer a session took, but not yet the socket, is closed and kept: the session takes it as a dropped one", async () => {
  preconnect({ participantToken: "t1", endpoint: ENDPOINT });
  await settle();
  const [ws] = sockets;
  ws.happen("open");
  ws.happen("message", { data: ACK });
  ws.happen("message", { data: '{"topic":"aws/chat","content":"{\\"Id\\":\\"greeting\\"}"}' });
  await sessionRequest("t1"); // the library still loading
  mock.timers.tick(30_000);
  assert.equal(ws.closedWith, 1000, "not held open for ever");
  ws.happen("close", { code: 1000 });
  const seen = [];
  assert.equal(openSocket(SOCKET, (what) => seen.push(what)), ws, "kept for the session");
  await settle();
  assert.deepEqual(seen.map((what) => what?.Id ?? what), [5, 1, "greeting", -1001], "what it carried, then the drop (the session reconnects and fills the gap)");
});

test("frames handed over are timed when the session gets them, not when the socket got them (the session's rules count from them)", async () => {
  preconnect({ participantToken: "t1", endpoint: ENDPOINT });
  await settle();
  const [ws] = sockets;
  ws.happen("open", { timeStamp: 1 });
  ws.happen("message", { data: ACK, timeStamp: 2 });
  await sessionRequest("t1");
  const before = performance.now(), times = [];
  openSocket(SOCKET, (what) => what === 1 && times.push(frameTime()));
  await settle();
  assert.equal(times.length, 1);
  assert.ok(times[0] >= before, `the acknowledgement at ${times[0]}, taken over at ${before}`);
});

/** A tab's Web Locks, with the locks `held` (their names) by other tabs; the query answers later, as the
 * browser's does. */
function locksHeld(...held) {
  Object.defineProperty(globalThis, "navigator", {
    configurable: true,
    value: { locks: { query: () => new Promise((resolve) => setImmediate(() => resolve({ held: held.map((name) => ({ name, mode: "exclusive" })), pending: [] }))) } },
  });
}
const SHARED = { participantToken: "t1", endpoint: ENDPOINT, persist: "chat:position", shareAcrossTabs: true };
const registry = () => globalThis[Symbol.for("connect-chat-wasm.preconnect")];

test("with shareAcrossTabs, no socket is opened when another tab leads the chat already (this one will follow it)", async (t) => {
  t.after(() => delete globalThis.navigator);
  locksHeld("connect-chat-wasm-tabs\nchat:position\n1a2b3c");
  const subscribed = preconnect(SHARED);
  assert.equal(fetched.length, 1, "the request does not wait for the locks");
  await settle();
  await settle();
  assert.deepEqual(sockets, [], "no socket");
  assert.equal(await subscribed, false);
  assert.deepEqual(registry(), [], "nothing left for a session to take");
  await sessionRequest("t1");
  assert.equal(fetched.length, 2, "a session that leads after all asks for its own");
});

test("with shareAcrossTabs, a lock of another chat or none: the socket opens once the locks are known", async (t) => {
  t.after(() => delete globalThis.navigator);
  locksHeld("connect-chat-wasm-tabs\nother-chat:position\n1a2b3c", "connect-chat-wasm-goodbye\n1a2b3c");
  preconnect(SHARED);
  assert.equal(fetched.length, 1);
  assert.equal(fetched[0].init.body, BODY);
  await settle();
  assert.deepEqual(sockets.map((s) => s.url), [SOCKET]);
  assert.equal(await (await sessionRequest("t1")).text(), JSON.stringify({ Websocket: { Url: SOCKET } }));
  assert.equal(fetched.length, 1, "taken over");
  assert.equal(openSocket(SOCKET, () => {}), sockets[0]);
  // Without Web Locks there are no shared tabs either.
  delete globalThis.navigator;
  preconnect({ ...SHARED, participantToken: "t2" });
  await settle();
  assert.equal(sockets.length, 2);
});

test("with shareAcrossTabs, a session that takes the answer while the locks are asked for leads: the socket is its own", async (t) => {
  t.after(() => delete globalThis.navigator);
  locksHeld("connect-chat-wasm-tabs\nchat:position\n1a2b3c"); // the leader went away meanwhile
  preconnect(SHARED);
  assert.equal((await sessionRequest("t1")).status, 200);
  assert.equal(fetched.length, 1, "taken");
  await settle();
  assert.equal(sockets.length, 1, "opened for it");
  assert.equal(openSocket(SOCKET, () => {}), sockets[0]);
  assert.deepEqual(registry(), [], "taken, nothing left waiting");
});
