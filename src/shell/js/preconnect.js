// A chat's connection started before the library has loaded (`connect-chat-wasm/preconnect`, a small
// module of its own): CreateParticipantConnection, the WebSocket and its subscription to `aws/chat` go
// out while the page still fetches and compiles the wasm, and the session that `connect()`s with the same
// participant token takes them over instead of starting them again. Where the network is slow, as a real
// service's is, the library's loading is then hidden behind it; where it is fast, a page can load the
// library once the subscription is acknowledged (the promise `preconnect` returns), so that the library's
// loading does not hold up the socket's events (README, "Benchmarks"). Only the network is started here:
// what it answers is read by the session as it reads its own requests and frames (the same errors,
// retries and expiries; every frame the socket got, and its drop if it dropped, is handed to it, in
// order).
//
// What waits is kept on the global object under a registered symbol, where the library's glue
// (`request` and `openSocket` in page.js) finds it: this module is not part of the glue (a page loads it
// first, or bundles it into its own code).
import { readOptions } from "./arguments.js";

const KEY = Symbol.for("connect-chat-wasm.preconnect");
/** A connection nobody took this long after it was started is closed (its token is only good for one
 * session, and an open socket costs the service). */
const UNUSED_MS = 30_000;
/** What `connect()` sends (`create_connection_body` in src/protocol/api.rs; were they to differ, the
 * e2e test's one request would be two): only the same request is taken over (a follower tab's,
 * credentials only, is not). */
const CONNECTION_BODY = '{"Type":["WEBSOCKET","CONNECTION_CREDENTIALS"],"ConnectParticipant":true}';

/** What the session sends first on its socket (`SUBSCRIBE` in src/protocol/frame.rs): sent here once the
 * socket opens, and not again by the session that takes the socket over (see `onopen` below). */
const SUBSCRIBE = '{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}';

/** The connections waiting for their session: `{ url, token, body, response, socket, done, took }`; a
 * socket is `{ url, ws, events }`; `took` is called when a session takes the connection over. */
const waiting = () => (globalThis[KEY] ??= []);

/** Starts CreateParticipantConnection, then the WebSocket it answers with and, once that opens, the
 * subscription, for the session that will be made with `options` (the same object `new ChatSession`
 * gets; checked as it checks them: a wrong one throws a `TypeError` with the message of its
 * `InvalidArgument`, and sends nothing). Nothing is delivered before that session connects: what the
 * socket gets is kept for it (with a drop, if it dropped: the session recovers from it as from its own).
 * A connection no session took within 30 s is closed (one taken is the session's). Returns a promise of
 * `true` once the subscription is acknowledged, `false` as soon as it will not be (a refused or failed
 * request, a closed socket, one not opened or not answered within the request timeout, a session that
 * took the connection over first, or, with `shareAcrossTabs`, another tab that leads the chat already);
 * it never rejects: what went wrong is the session's to report. */
export function preconnect(options) {
  const { participantToken: token, endpoint, numbers, shareAcrossTabs, persistKey } = readOptions(options);
  const url = `${endpoint}/participant/connection`;
  const entry = { url, token, body: CONNECTION_BODY };
  const timeout = numbers[5] ?? 15_000;
  // Its timers go once they have nothing left to do: a page that closes its session leaves none behind.
  let resolve, answerTimer, unusedTimer;
  const subscribed = new Promise((r) => (resolve = r));
  const settle = (ok) => {
    clearTimeout(answerTimer);
    resolve(ok);
  };
  entry.took = () => {
    clearTimeout(unusedTimer);
    settle(false);
  };
  entry.response = fetch(url, { method: "POST", headers: { "X-Amz-Bearer": token, "Content-Type": "application/json" }, body: CONNECTION_BODY, signal: AbortSignal.timeout?.(timeout) });
  waiting().push(entry);
  // With `shareAcrossTabs`, a tab of this chat that leads already has the socket this one will use: its
  // session will follow that tab, so none is opened here. The Web Locks say so, in their own time (3
  // to 50 ms on a page that is loading), so the request does not wait for them; the socket does.
  const led = shareAcrossTabs ? ledElsewhere(persistKey) : undefined;
  // The socket as soon as the answer names it; an error is left for the session to read.
  entry.response
    .then((r) => r.ok && r.clone().json())
    .then(async (answer) => {
      const socketUrl = answer?.Websocket?.Url;
      // (A session that took the answer meanwhile leads: the socket is its own then.)
      if ((await led) && entry.response && !entry.done) forget(entry);
      if (entry.done || typeof socketUrl !== "string") return settle(false);
      socket(entry, socketUrl, settle);
      // A socket that does not open, or a subscription not answered, within the request timeout: the
      // page that waits for it goes on (the session reads whatever comes, as for its own socket).
      answerTimer = setTimeout(() => settle(false), timeout);
    })
    .catch(() => settle(false));
  unusedTimer = setTimeout(() => {
    settle(false);
    if (entry.done) return;
    // Closed either way. Nobody asked for it: forgotten too. A session that took the answer but has not
    // asked for the socket yet (its library still loading) finds it kept, as a dropped one: it recovers
    // from that as from a drop of its own, with a gap fill, instead of losing what the socket carried.
    if (entry.response) forget(entry);
    entry.socket?.ws.close(1000);
  }, UNUSED_MS);
  return subscribed;
}

/** Takes `entry` off the list of what waits for a session (if it is still there: `splice(-1)` would take
 * another's). */
function forget(entry) {
  const list = waiting(), i = list.indexOf(entry);
  if (i >= 0) list.splice(i, 1);
  entry.done = true;
}

/** Whether another tab holds the Web Lock the tabs of chat `key` lead by (`shareTabs` in page.js:
 * `connect-chat-wasm-tabs`, the key, the token's fingerprint; another chat under the same key counts
 * too, which costs only the head start); `undefined` where there are no Web Locks (nor shared tabs). */
function ledElsewhere(key) {
  const prefix = `connect-chat-wasm-tabs\n${key}\n`;
  return globalThis.navigator?.locks?.query().then(
    ({ held = [] }) => held.some((lock) => lock.name?.startsWith(prefix)),
    () => false,
  );
}

/** Opens `entry`'s socket to `url` and subscribes once it opens; what happens on it is kept for the
 * session (`entry.socket.events`: a socket that drops before the session comes is handed over all the
 * same, so that the session sees the drop and recovers as from its own, with a gap fill), and the
 * subscription's answer settles the promise. */
function socket(entry, url, settle) {
  const ws = new WebSocket(url), events = [];
  entry.socket = { url, ws, events };
  ws.onopen = (e) => {
    events.push(e);
    ws.send(SUBSCRIBE);
    // What the session that takes the socket over sends first, once it sees this open, is the same
    // subscription: it is not sent twice (the acknowledgement is among the frames handed over).
    ws.send = function (text) {
      delete this.send;
      if (text !== SUBSCRIBE) this.send(text);
    };
  };
  // Each frame is kept; until the subscription's answer (the service's first frame), each is also read
  // for it.
  let answered;
  ws.onmessage = (e) => {
    events.push(e);
    if (answered) return;
    const frame = typeof e.data === "string" && e.data.includes('"aws/subscribe"') ? parse(e.data) : undefined;
    if (frame?.topic !== "aws/subscribe") return;
    answered = true;
    settle(frame.content?.status === "success");
  };
  ws.onclose = ws.onerror = (e) => {
    events.push(e);
    // What the session sends on it once it has taken it over (it sees the drop only after the open)
    // would go nowhere, with the browser's warning each time.
    ws.send = () => {};
    settle(false);
  };
}

/** `JSON.parse(text)`, or `undefined` for what is not JSON (the session reports it). */
function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
