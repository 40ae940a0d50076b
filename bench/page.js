// One benchmark page for both libraries (?lib=ours|chatjs): the same work, the same measurements.
// The runner (scripts/bench.mjs) drives it through `window.bench`.
import { bareSocket, chatjsSession, fromUrl } from "./common.js";
// Part of the page's own code, as a page bundles it (1.8 KB gzip -9): loaded before the clock starts,
// like the floor's own few lines.
import { preconnect } from "./pkg/preconnect.js";

const t0 = performance.now();

// The cold start's phases, the same for every library: marks when its code is loaded and ready, and,
// through a WebSocket that only watches (installed before any library loads), when the socket was made
// (the page's own part of the connection is over there: the opening is the browser's), when it opened and
// when the subscription was acknowledged. CreateParticipantConnection's end comes from resource timing.
const phases = {};
const mark = (name) => {
  phases[name] ??= performance.now() - t0;
  settle();
};
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    mark("socketCreated");
    this.addEventListener("open", () => mark("socketOpen"), { once: true });
    const watch = (e) => {
      if (typeof e.data === "string" && e.data.includes('"aws/subscribe"')) {
        mark("subscribed");
        this.removeEventListener("message", watch);
      }
    };
    this.addEventListener("message", watch);
  }
};
const { P, lib, endpoint, chat } = fromUrl();
const preconnected = ["1", "first"].includes(P.get("preconnect"));

// The runner waits for this line instead of polling the page: a poll makes Playwright inject its own
// script into the page, 10 to 20 ms of main-thread work that landed in the middle of the cold start
// being timed (most of the floor's socket opening, and at random in every library's). It comes once the
// cold start is over: connected and subscribed (chatjs says connected before its socket opens), or failed.
let settled = false;
function settle() {
  if (settled || !(bench.failed || (bench.coldStart !== undefined && phases.subscribed !== undefined))) return;
  settled = true;
  console.log("bench:settled");
}

const bench = (window.bench = {
  lib,
  count: 0,
  ids: null, // when tracking: every message Id, in arrival order
  connections: 0,
  waiters: [],
  connectedWaiters: [],
  reset(track) {
    this.count = 0;
    this.ids = track ? [] : null;
  },
  onMessage(id) {
    // The listener keeps nothing unless tracking: the memory figure must not include the test's own data.
    this.count++;
    if (this.ids) this.ids.push(id);
    if (this.waiters.length && this.count >= this.waiters[0].n) this.waiters.shift().resolve(performance.now());
  },
  onConnected() {
    this.connections++;
    for (const w of this.connectedWaiters.splice(0)) w(performance.now());
  },
  waitFor(n) {
    return this.count >= n ? Promise.resolve(performance.now()) : new Promise((resolve) => this.waiters.push({ n, resolve }));
  },
  nextConnected() {
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  },
  /** `burst` messages pushed by the emulator: ms until the listener has seen all of them. */
  async burst(n, store = true) {
    const start = performance.now();
    const before = this.count;
    const done = within(this.waitFor(before + n), 60_000, () => `${this.count - before} of ${n} burst items arrived in 60 s`);
    await fetch(`${endpoint}/emulator/contacts/${chat.contactId}/burst`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ Count: n, Store: store }),
    });
    return (await done) - start;
  },
  /** A dropped socket: ms from the drop until the library reports the connection back. */
  async reconnectGap() {
    const back = within(this.nextConnected(), 30_000, () => "not connected again 30 s after the drop");
    const start = performance.now();
    await fetch(`${endpoint}/emulator/contacts/${chat.contactId}/drop`, { method: "POST" });
    return (await back) - start;
  },
  memory() {
    if (typeof gc === "function") gc();
    const heap = performance.memory ? performance.memory.usedJSHeapSize : NaN;
    return { jsHeap: heap, wasm: this.wasmBytes ? this.wasmBytes() : 0 };
  },
});

/** `promise`, or a rejection saying what did not happen: a library that loses an item must fail the
 * measurement, not hang the benchmark. */
function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(what())), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function startOurs() {
  // The wasm is fetched beside the glue (from the start, as the README advises), and compiled while it
  // streams in (`instantiateStreaming`, which `init` uses for a `Response`). With ?preconnect=1 the
  // connection is started first, the library loading meanwhile (`connect-chat-wasm/preconnect`, as the
  // README advises); with ?preconnect=first the library is fetched (glue and wasm), evaluated and compiled
  // only once the preconnected socket's subscription is acknowledged, so that nothing the library does
  // holds the connection up (README, "Connecting while the library loads"): a wasm fetched meanwhile
  // delayed the answer's reading and the socket's opening by 3 to 5 ms, on the main thread and on the
  // two cores.
  const subscribed = preconnected && preconnect({ participantToken: chat.participantToken, endpoint });
  if (P.get("preconnect") === "first") await subscribed;
  const wasmFile = fetch(new URL("./pkg/connect_chat_wasm_bg.wasm", import.meta.url));
  const mod = await import("./pkg/connect_chat_wasm.js");
  mark("loaded");
  const wasm = await mod.default({ module_or_path: wasmFile });
  mark("ready");
  bench.wasmBytes = () => wasm.memory.buffer.byteLength;
  const session = new mod.ChatSession({ participantToken: chat.participantToken, participantId: chat.participantId, endpoint });
  session.on("message", (e) => bench.onMessage(e.detail.Id));
  session.on("connected", () => bench.onConnected());
  await session.connect();
  bench.session = session;
}

async function startChatjs() {
  const session = await chatjsSession(chat, endpoint, () => {
    mark("loaded");
    mark("ready");
  });
  session.onMessage((e) => { if (e.data && e.data.Type === "MESSAGE") bench.onMessage(e.data.Id); });
  const established = new Promise((resolve) => session.onConnectionEstablished(() => { bench.onConnected(); resolve(); }));
  await session.connect();
  await established;
  bench.session = session;
}

/**
 * The ceiling, for reference: no library, only what any client must do per item. CreateParticipantConnection
 * with `fetch`, a WebSocket, the subscription, and per frame `JSON.parse` of the frame and of its content.
 * No renewal, no reconnect, no de-duplication: it measures only the burst.
 */
async function startBare() {
  mark("loaded");
  mark("ready");
  const ws = await bareSocket(endpoint, chat.participantToken);
  bench.onConnected();
  ws.onmessage = (e) => {
    const frame = JSON.parse(e.data);
    if (frame.topic !== "aws/chat") return;
    const item = JSON.parse(frame.content);
    if (item.Type === "MESSAGE") bench.onMessage(item.Id);
  };
  bench.session = ws;
}

const start = { ours: startOurs, chatjs: startChatjs, bare: startBare }[lib];
start().then(
  () => {
    bench.coldStart = performance.now() - t0;
    // Read later, not now: chatjs reports its connection established before its socket has even opened.
    bench.phases = () => {
      const connection = performance.getEntriesByType("resource").find((r) => r.name.includes("/participant/connection"));
      return { ...phases, connectionAnswered: connection ? connection.responseEnd - t0 : NaN, connected: bench.coldStart };
    };
    settle();
  },
  (e) => {
    bench.failed = `${e && e.name}: ${e && e.message}`;
    settle();
  },
);
