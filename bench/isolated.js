// The per-item cost, isolated (scripts/bench.mjs drives it through `window.bench`): a real
// CreateParticipantConnection against the emulator, then an in-page fake WebSocket in place of the real
// one, so the network, the emulator and the second core are out of the figure. Every library (and the
// bare floor: `JSON.parse` twice and a listener call) gets the same prerecorded `aws/chat` frames, built
// before the clock starts, delivered as fast as it consumes them: a chunk at a time, then a yield so any
// work the library defers runs too. The runner reads Chromium's main-thread time around each stream.
//
// ?lib=ours|chatjs|bare &listen=item|message|both &endpoint= &contactId= &participantId= &token=
import { bareSocket, chatjsSession, fromUrl } from "./common.js";

const { P, lib, endpoint, chat } = fromUrl();
const listen = P.get("listen") || "item";

/** The sockets the libraries open, newest last. */
const sockets = [];

/** What the service would answer on the socket: the subscription and the heartbeats (wire format:
 * participant-wire.md). Events are dispatched as a browser dispatches them, a `MessageEvent` to the `on*`
 * handler and to listeners. */
class FakeWebSocket extends EventTarget {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  constructor(url) {
    super();
    this.url = String(url);
    this.readyState = 0;
    this.protocol = "";
    this.extensions = "";
    this.binaryType = "blob";
    this.bufferedAmount = 0;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    sockets.push(this);
    setTimeout(() => {
      this.readyState = 1;
      this.fire(new Event("open"));
    });
  }
  fire(event) {
    const handler = this["on" + event.type];
    if (typeof handler === "function") handler.call(this, event);
    this.dispatchEvent(event);
  }
  /** The server's side: frames in, as they would arrive. */
  deliver(data) {
    if (this.readyState === 1) this.fire(new MessageEvent("message", { data }));
  }
  send(text) {
    if (this.readyState !== 1) throw new DOMException("not open", "InvalidStateError");
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    const answer = frame.topic === "aws/subscribe"
      ? { topic: "aws/subscribe", content: { status: "success", topics: ["aws/chat"] } }
      : frame.topic === "aws/heartbeat" ? { topic: "aws/heartbeat" }
      : frame.topic === "aws/ping" ? { topic: "aws/ping", statusCode: 200, statusContent: "OK" }
      : null;
    if (answer) setTimeout(() => this.deliver(JSON.stringify(answer)));
  }
  close(code = 1000, reason = "") {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    setTimeout(() => this.fire(new CloseEvent("close", { code, reason, wasClean: true })));
  }
}
// Before any library loads, so whichever way it reaches the constructor it finds this one.
window.WebSocket = FakeWebSocket;

// ----- the prerecorded streams -----
const AGENT = "bench-agent-participant";
let serial = 0;
const iso = (ms) => new Date(ms).toISOString();
/** `aws/chat` frames as the emulator (and the service) sends them: the item as a JSON string inside. */
const frame = (item) => JSON.stringify({ topic: "aws/chat", contentType: "application/json", content: JSON.stringify(item) });
const base = (type, contentType, at) => ({
  Id: `bench-${lib}-${++serial}`,
  Type: type,
  ContentType: contentType,
  AbsoluteTime: iso(at),
  ParticipantId: AGENT,
  DisplayName: "Agent",
  ParticipantRole: "AGENT",
  ContactId: chat.contactId,
  InitialContactId: chat.contactId,
});
const EVENT = "application/vnd.amazonaws.connect.event.";
const KINDS = {
  message: (at, i) => ({ ...base("MESSAGE", "text/plain", at), Content: `Message ${i}: your order has left the warehouse and arrives tomorrow.` }),
  typing: (at) => base("EVENT", `${EVENT}typing`, at),
  receipt: (at, i) => ({
    ...base("MESSAGEMETADATA", `${EVENT}message.${i % 2 ? "read" : "delivered"}`, at),
    MessageMetadata: { MessageId: `customer-message-${i >> 1}`, Receipts: [{ [i % 2 ? "ReadTimestamp" : "DeliveredTimestamp"]: iso(at), RecipientParticipantId: AGENT }] },
  }),
};
/** The mix of a busy chat: per 10 items, 6 messages, 2 typing events, 2 receipts. */
const MIX = ["message", "typing", "message", "receipt", "message", "message", "typing", "message", "receipt", "message"];
/** Item times, 1 ms apart and rising across streams (as a chat's are: a library may take an item older
 * than those it has forgotten for one it delivered), all in the past. */
let clock = Date.now() - 600_000;
function stream(kind, n) {
  const frames = new Array(n);
  for (let i = 0; i < n; i++) frames[i] = frame(KINDS[kind === "mix" ? MIX[i % MIX.length] : kind](++clock, i));
  return frames;
}

// ----- the listeners: each only counts (and reads the item, as any listener would) -----
const seen = { item: 0, message: 0 };
let last = null;
const onItem = (item) => { last = item.Id; seen.item++; };
const onMessage = (item) => { last = item.Id; seen.message++; };
const wants = { item: listen !== "message", message: listen !== "item" };

/** The floor: what any client must do per frame, with no library. */
function startBare(ws) {
  ws.onmessage = (e) => {
    const f = JSON.parse(e.data);
    if (f.topic !== "aws/chat") return;
    const item = JSON.parse(f.content);
    if (wants.item) onItem(item);
    if (wants.message && item.Type === "MESSAGE") onMessage(item);
  };
}

async function connectBare() {
  startBare(await bareSocket(endpoint, chat.participantToken));
}

async function connectOurs() {
  const mod = await import("./pkg/connect_chat_wasm.js");
  await mod.default();
  const session = new mod.ChatSession({ participantToken: chat.participantToken, participantId: chat.participantId, endpoint });
  if (wants.item) session.on("item", (e) => onItem(e.detail));
  if (wants.message) session.on("message", (e) => onMessage(e.detail));
  await session.connect();
  window.session = session;
}

async function connectChatjs() {
  const session = await chatjsSession(chat, endpoint);
  // chatjs has no listener for every item: messages and events go to onMessage, typing to onTyping,
  // receipts to onReadReceipt / onDeliveredReceipt, so "every item" is those four. "Message only" is
  // onMessage with the test its users write.
  if (wants.item) {
    for (const on of ["onMessage", "onTyping", "onReadReceipt", "onDeliveredReceipt"]) session[on]((e) => onItem(e.data));
  }
  if (wants.message) session.onMessage((e) => e.data.Type === "MESSAGE" && onMessage(e.data));
  const established = new Promise((resolve) => session.onConnectionEstablished(resolve));
  await session.connect();
  await established;
  window.session = session;
}

const yieldToTasks = () => new Promise((resolve) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = resolve;
  ch.port2.postMessage(0);
});

const CHUNK = 250;
window.bench = {
  lib,
  listen,
  /** Builds `n` frames of `kind`: outside the measured span. */
  prepare(kind, n) {
    this.frames = stream(kind, n);
    seen.item = seen.message = 0;
  },
  /** Delivers the prepared frames to the newest socket; resolves with what the listeners saw. */
  async deliver() {
    const ws = sockets[sockets.length - 1];
    const frames = this.frames;
    let inHandlers = 0;
    for (let i = 0; i < frames.length; i += CHUNK) {
      const end = Math.min(frames.length, i + CHUNK);
      const t = performance.now();
      for (let k = i; k < end; k++) ws.deliver(frames[k]);
      inHandlers += performance.now() - t;
      await yieldToTasks();
    }
    // What the library defers past the chunk (timers of 0 ms) runs before the figure is read.
    await new Promise((resolve) => setTimeout(resolve, 20));
    this.frames = null;
    return { item: seen.item, message: seen.message, last, inHandlers };
  },
};

// The runner waits for "bench:settled" rather than polling (see page.js).
({ ours: connectOurs, chatjs: connectChatjs, bare: connectBare })[lib]().then(
  () => { window.bench.ready = true; },
  (e) => { window.bench.failed = `${e && e.name}: ${e && e.message}`; },
).then(() => console.log("bench:settled"));
