// A chat's connection started before the library has loaded (`connect-chat-wasm/preconnect`, a small
// module of its own): CreateParticipantConnection and the WebSocket go out while the page still fetches
// and compiles the wasm, and the session that `connect()`s with the same participant token takes both
// over instead of starting them again. Where the network is slow, as a real service's is, the library's
// loading is then hidden behind it (README, "Benchmarks"). Only the network is started here; what it
// answers is read by the session as it reads its own requests (the same errors, retries and expiries).
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

/** The connections waiting for their session: `{ url, token, body, response, socket, done }`. */
const waiting = () => (globalThis[KEY] ??= []);

function forget(entry, close) {
  const list = waiting(), i = list.indexOf(entry);
  if (i >= 0) list.splice(i, 1);
  entry.done = true;
  if (close) entry.socket?.ws.close(1000);
}

/** Starts CreateParticipantConnection, then the WebSocket it answers with, for the session that will be
 * made with `options` (the same object `new ChatSession` gets; checked as it checks them: a wrong one
 * throws a `TypeError` with the message of its `InvalidArgument`, and sends nothing). Nothing is
 * subscribed or delivered before that session connects; a connection no session took within 30 s is
 * closed (one taken is the session's). */
export function preconnect(options) {
  const { participantToken: token, endpoint, numbers } = readOptions(options);
  const url = `${endpoint}/participant/connection`;
  const signal = AbortSignal.timeout?.(numbers[5] ?? 15_000);
  const entry = { url, token, body: CONNECTION_BODY };
  entry.response = fetch(url, { method: "POST", headers: { "X-Amz-Bearer": token, "Content-Type": "application/json" }, body: CONNECTION_BODY, signal });
  waiting().push(entry);
  // The socket as soon as the answer names it; an error is left for the session to read.
  entry.response
    .then((r) => r.ok && r.clone().json())
    .then((answer) => {
      const socketUrl = answer?.Websocket?.Url;
      if (entry.done || typeof socketUrl !== "string") return;
      const ws = new WebSocket(socketUrl), events = [];
      entry.socket = { url: socketUrl, ws, events };
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = (e) => events.push(e);
    })
    .catch(() => {});
  setTimeout(() => entry.done || forget(entry, true), UNUSED_MS);
}
