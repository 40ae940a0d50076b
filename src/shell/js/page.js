// The shell's side that faces the page, in JS because it only builds objects, adds listeners and reads
// and writes JSON, which the engine does for free (README, "Size"):
// - the errors the page sees, with no credential in any message;
// - the page's lifecycle events a session reacts to;
// - the opt-in position kept in sessionStorage, so a reload resumes the chat and fills the gap.
// Where a global is missing (a worker has no `document` nor `sessionStorage`) or storage throws
// (disabled, over quota), the session runs without it.

import { EVENT } from "./arguments.js";

// ----- errors -----

// A ChatError as the JS `Error` the page sees: `name`, `message`, `code` (the same as `name`, for code
// that switches on `err.code`), `status` and `retryable` (the README, "Errors"). Pre-signed attachment
// URLs and WebSocket URLs hold their credentials in the query, and messages are printed, logged and sent
// to error trackers: every URL in a message loses its query and fragment.

/** A URL is what follows `://` up to whitespace, a quote or a bracket. */
const URL_QUERY = /(:\/\/[^\s"'<>`()?#]*)[?#][^\s"'<>`()]*/g;

export const withoutUrlQueries = (text) => String(text).replace(URL_QUERY, "$1");

export function chatError(name, message, status, retryable) {
  const e = new Error(withoutUrlQueries(message));
  e.name = name;
  e.code = name;
  e.status = status;
  e.retryable = retryable;
  return e;
}

// ----- the page's lifecycle -----

/** What `watchPage` reports, as the numbers `src/shell/page.rs` matches on. */
const ONLINE = 0, OFFLINE = 1, HIDDEN = 2, VISIBLE = 3, LEAVING = 4, BACK = 5, FREEZE = 6, THAW = 7, UNLOADING = 8;

/** Calls `report(kind)` for the page events a session cares about; returns the function that stops it. */
export function watchPage(report) {
  const removers = [];
  const on = (target, type, listener) => {
    try {
      target.addEventListener(type, listener);
      removers.push(() => target.removeEventListener(type, listener));
    } catch {
      // No such target here.
    }
  };
  const win = typeof window === "undefined" ? globalThis : window;
  on(win, "online", () => report(ONLINE));
  on(win, "offline", () => report(OFFLINE));
  // Into the back-forward cache (`persisted`: the page may come back), or gone (closed, reloaded, left).
  on(win, "pagehide", (e) => report(e.persisted ? LEAVING : UNLOADING));
  // Only a page back from the back-forward cache (`persisted`) was suspended.
  on(win, "pageshow", (e) => e.persisted && report(BACK));
  if (typeof document !== "undefined") {
    on(document, "visibilitychange", () => report(document.hidden ? HIDDEN : VISIBLE));
    on(document, "freeze", () => report(FREEZE));
    on(document, "resume", () => report(THAW));
  }
  return () => removers.forEach((remove) => remove());
}

// ----- one socket for every tab (shareAcrossTabs) -----
// The tabs of chat `name` (the persist key and the token's fingerprint) queue for one Web Lock, held
// for the tab's life: the holder leads (its socket's frames go out on a BroadcastChannel of the same
// name, with a heartbeat every 250 ms, and word each time its socket is subscribed); the others follow.
// A tab that closes releases the lock at once and the next in the queue is granted it; a follower that
// hears nothing from the leader for 1.5 s while visible steals the lock (a frozen leader that kept it; it
// learns it lost the lead when it thaws). Followers say they are there every second, and the leader
// relays frames only while one did within 5 s: a chat open in one tab posts nothing per frame (a post
// cost about 15 µs a message). A follower the leader was not relaying to (a new one, or one whose
// timers a background tab's throttling held back) is told the socket is subscribed, and fills its gap.

/** What `shareTabs` reports, as `src/shell/page.rs` matches on them (a relayed item: the object
 * `readFrame` makes of its frame). `FOLLOW` is the election's first answer when another tab holds the
 * lock (the session connects only once it has one: as the leader, or for credentials only). */
const LEAD = 0, NEW_LEADER = 2, LOST_LEAD = 3, FOLLOW = 4;
/** On the channel: the leader's heartbeat, its socket subscribed, a follower's heartbeat (a frame is its
 * text). */
const BEAT = 0, CONNECTED = 1, HERE = 2;
/** How often a follower says it is there, and how long the leader relays after it last did. */
const HERE_MS = 1000, RELAY_MS = 5000;

/** Joins the election for `name`; calls `report(what)`. Returns a handle for `tabsRelay`, `tabsConnected`
 * and `tabsStop`, or `undefined` where Web Locks or BroadcastChannel are missing (the tab then runs on
 * its own). */
export function shareTabs(name, report) {
  if (typeof BroadcastChannel === "undefined" || !globalThis.navigator?.locks) return undefined;
  const channel = new BroadcastChannel(name);
  let leading = false, stopped = false, heard = Date.now(), release, beat, followerAt = 0;
  const relaying = () => Date.now() - followerAt < RELAY_MS;
  channel.onmessage = (e) => {
    const { data } = e;
    if (data === HERE) {
      const was = relaying();
      followerAt = Date.now();
      if (leading && !was) channel.postMessage(CONNECTED);
      return;
    }
    heard = Date.now();
    if (leading) return;
    // Only its items matter here (nothing else another tab's socket received is this tab's business).
    const frame = typeof data === "string" && readFrame(data, e);
    if (typeof frame === "object") report(frame);
    else if (data === CONNECTED) report(NEW_LEADER);
  };
  // `waiting`: a plain request is queued; each request knows whether it is the one that leads.
  let waiting = false;
  // Leaving takes this tab out of the queue too (a steal cannot carry a signal; it is granted at once).
  const quit = new AbortController();
  // The first request only asks (`ifAvailable`): granted, this tab leads; not, it says so (`FOLLOW`) and
  // queues. Either way the session learns at once which it is.
  const join = (options) => {
    let mine = false;
    const queued = !options.steal && !options.ifAvailable;
    waiting ||= queued;
    const done = () => {
      if (queued) waiting = false;
      if (!mine || stopped) return;
      mine = leading = false;
      clearInterval(beat);
      report(LOST_LEAD);
      if (!waiting) join({});
    };
    const granted = (lock) => {
      if (!lock) {
        if (stopped) return undefined;
        report(FOLLOW);
        join({});
        return undefined;
      }
      return new Promise((resolve) => {
        if (queued) waiting = false;
        if (stopped || leading) return resolve();
        mine = leading = true;
        release = resolve;
        beat = setInterval(() => channel.postMessage(BEAT), 250);
        report(LEAD);
      });
    };
    // A refused request (no lock manager here after all) is answered as "another tab leads": the tab
    // then connects for credentials only, as before the election had an answer.
    const failed = () => {
      if (options.ifAvailable && !stopped) report(FOLLOW);
      done();
    };
    navigator.locks.request(name, options.steal || options.ifAvailable ? options : { signal: quit.signal }, granted).then(done, failed);
  };
  join({ ifAvailable: true });
  const here = setInterval(() => leading || channel.postMessage(HERE), HERE_MS);
  channel.postMessage(HERE);
  let tick = Date.now();
  const watchdog = setInterval(() => {
    const now = Date.now();
    // Back from a freeze or a throttled spell: listen afresh before judging the leader.
    if (now - tick > 1000) heard = now;
    tick = now;
    if (!leading && now - heard > 1500 && globalThis.document?.visibilityState !== "hidden") {
      heard = now;
      join({ steal: true });
    }
  }, 500);
  return {
    post: (frame) => leading && !stopped && relaying() && channel.postMessage(frame),
    // The leader's socket is subscribed (first, or after a reconnect): the followers fill their gap now,
    // when everything later reaches them relayed.
    connected: () => leading && !stopped && channel.postMessage(CONNECTED),
    stop: () => {
      stopped = true;
      leading = false;
      clearInterval(beat);
      clearInterval(watchdog);
      clearInterval(here);
      release?.();
      quit.abort();
      channel.close();
    },
  };
}

export const tabsConnected = (tabs) => tabs.connected();

/** Relays the frame `readFrame` was given last (a text frame: the only kind the service sends). */
export const tabsRelay = (tabs) => typeof lastFrame === "string" && tabs.post(lastFrame);

export const tabsStop = (tabs) => tabs.stop();

// ----- a clean goodbye (disconnectOnClose) -----
// A page cannot tell, as it unloads, whether its tab is closing or reloading, so the goodbye is said by a
// service worker, which outlives the tab: each page showing chat `name` holds a shared Web Lock of that
// name while it shows it; a page that goes (not into the back-forward cache) hands the worker the
// DisconnectParticipant request, and the worker sends it unless, a few seconds later, a page holds the
// lock again (the reloaded page, another tab of the chat). The worker intercepts nothing (no `fetch`
// handler) and its scope is its own URL, so it never stands in the way of a site's own worker.

/** What `goodbyeTell` is told, as `src/shell/page.rs` numbers it: the page went (with the connection
 * token), into the back-forward cache, back from it, or the chat ended or was closed here. */
const GONE = 0, RETURNED = 2;

/** Registers the worker at `url` and holds the lock of the chat at `endpoint` named `name`; `undefined`
 * where the browser has no service workers or Web Locks (no goodbye is said there). */
export function goodbyeWatch(url, endpoint, name) {
  const { serviceWorker, locks } = globalThis.navigator ?? {};
  if (!serviceWorker || !locks) return undefined;
  const g = { name, endpoint };
  // (The error names the URL; a `data:` one is a bundler's inlining, which the README says how to stop.)
  serviceWorker.register(url, { scope: url }).then(
    (r) => (g.registration = r),
    (e) => console.warn("connect-chat-wasm: disconnectOnClose: the goodbye worker did not register", e),
  );
  holdLock(g);
  return g;
}

function holdLock(g) {
  if (g.hold) return;
  const { signal } = (g.hold = new AbortController());
  // Held until let go; a request let go before it was granted gives the lock back at once.
  const held = () => new Promise((done) => (signal.aborted ? done() : signal.addEventListener("abort", done)));
  navigator.locks.request(g.name, { mode: "shared", signal }, held).catch(() => {});
}

export function goodbyeTell(g, what, token) {
  if (!g) return;
  if (what === RETURNED) return holdLock(g);
  g.hold?.abort();
  g.hold = undefined;
  const r = g.registration;
  const worker = r && (r.active || r.waiting || r.installing);
  if (what !== GONE || !worker) return;
  const body = JSON.stringify({ ClientToken: crypto.randomUUID() });
  worker.postMessage({ name: g.name, url: g.endpoint + "/participant/disconnect", token, body });
}

// ----- the position -----

/** The last item seen by an earlier page of chat `chat` (a fingerprint of its token), if one was saved. */
export function loadPosition(key, chat) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key) || "null");
    return saved?.chat === chat && typeof saved.lastSeenId === "string" ? saved.lastSeenId : undefined;
  } catch {
    return undefined;
  }
}

/** Saves the position (`lastSeenId` given) or forgets it and the outbox (none). */
export function savePosition(key, chat, lastSeenId) {
  try {
    if (lastSeenId === undefined) {
      [key, key + OUTBOX].forEach((k) => sessionStorage.removeItem(k));
      dropFiles(key);
    } else sessionStorage.setItem(key, JSON.stringify({ chat, lastSeenId }));
  } catch {
    // Storage disabled or full: a reload then starts from the transcript's newest items.
  }
}

// ----- the outbox -----
// Beside the position, under `${key}.outbox`: `{ chat, pending }`, `pending` the core's entries as it lists
// them (`Session::outbox_json`: `{ clientToken, status, kind, body, error? }`, oldest first; the error
// as `{ code, message, status, retryable }`).

const OUTBOX = ".outbox";

/** The entries an earlier page of chat `chat` left in its outbox (an array), if it saved any. */
export function loadPending(key, chat) {
  try {
    if (typeof indexedDB !== "undefined") sweepFiles();
    const saved = JSON.parse(sessionStorage.getItem(key + OUTBOX) || "null");
    return saved?.chat === chat && Array.isArray(saved.pending) ? saved.pending : undefined;
  } catch {
    return undefined;
  }
}

/** Saves the outbox's entries (a JSON array), or forgets them (none, or none left). */
export function savePending(key, chat, json) {
  try {
    if (json === undefined) dropFiles(key);
    if (json === undefined || json === "[]") sessionStorage.removeItem(key + OUTBOX);
    else sessionStorage.setItem(key + OUTBOX, `{"chat":${JSON.stringify(chat)},"pending":${json}}`);
  } catch {
    // Storage disabled or full: the queue lives as long as the page.
  }
}

// The files of attachments waiting in the outbox, in IndexedDB (a `Blob` is kept as it is, with the time)
// under `<persist key>\n<ClientToken>`. Each is deleted once sent or dropped, every one of a chat when it
// ends, and any older than a week (the longest a chat lasts: a tab closed for good leaves none behind for
// longer) when a page restores an outbox. Where IndexedDB is missing or refuses, a reload finds no file:
// that entry fails.

/** Runs `run(store)` in a transaction of the outbox's database; resolves to its request's result. */
function files(mode, run) {
  return new Promise((resolve) => {
    try {
      const open = indexedDB.open("connect-chat-wasm-outbox", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("files");
      open.onerror = () => resolve();
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction("files", mode);
        const request = run(tx.objectStore("files"));
        tx.oncomplete = () => resolve(request.result, db.close());
        tx.onerror = tx.onabort = () => resolve(undefined, db.close());
      };
    } catch {
      resolve();
    }
  });
}

export const keepFile = (key, clientToken, file) => files("readwrite", (s) => s.put({ file, at: Date.now() }, `${key}\n${clientToken}`));

export const loadFile = (key, clientToken) => files("readonly", (s) => s.get(`${key}\n${clientToken}`)).then((v) => v?.file);

const WEEK_MS = 604_800_000;

/** Deletes every kept file older than a week. */
const sweepFiles = () =>
  files("readwrite", (s) => {
    const cursor = s.openCursor();
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (c) {
        if (!(c.value?.at > Date.now() - WEEK_MS)) c.delete();
        c.continue();
      }
    };
    return cursor;
  });

export const dropFile = (key, clientToken) => files("readwrite", (s) => s.delete(`${key}\n${clientToken}`));

/** Deletes every file kept for chat `key`. */
const dropFiles = (key) => typeof indexedDB !== "undefined" && files("readwrite", (s) => s.delete(IDBKeyRange.bound(`${key}\n`, `${key}\n\uffff`)));

/** The detail of `send-status`: `id` once sent, `error` after a failure. */
export function sendStatus(clientToken, status, id, error) {
  const detail = { clientToken, status };
  if (id !== undefined) detail.id = id;
  if (error !== undefined) detail.error = error;
  return detail;
}

/** `session.pending`: each entry as `{ clientToken, contentType, content, status, error? }`. */
export const pendingList = (json) =>
  JSON.parse(json).map(({ clientToken, status, body, error }) => {
    // An attachment's body is StartAttachmentUpload's: its content is the file's name.
    const { ContentType: contentType, Content, AttachmentName } = JSON.parse(body);
    const entry = { clientToken, contentType, content: Content ?? AttachmentName, status };
    if (error) entry.error = chatError(error.code, error.message, error.status, error.retryable);
    return entry;
  });

// ----- frames and items, read here -----
// A socket's frame is decoded here (as `decode_value` in src/protocol/frame.rs decodes it), in the same
// pass that makes the object the page gets, and the wasm is told only what the session decides on: an
// item's fields written into its memory (`itemFields`), a control frame as a number. Per item that is one
// call into the wasm and one back, where reading the frame from the wasm took twenty.

/** `readFrame`'s answers that are numbers, as `src/shell/driver.rs` matches on them: 0 and 1 `aws/subscribe`
 * refused and acknowledged, `aws/heartbeat`, a frame the session ignores (`aws/ping`, a topic it did not
 * subscribe to), the gateway's own error (`frameMessage` has its message); and `openSocket`'s: the
 * socket opened. */
const HEARTBEAT = 2, IGNORED = 3, SERVICE_ERROR = 4, OPENED = 5;

/** The frame `readFrame` was given last (for `tabsRelay`) and its event (for `frameTime`), and the
 * message of a service error. */
let lastFrame, frameEvent, message;

/** The time `frameTime` said last. */
let frameAt = 0;

/** When the frame `readFrame` was given last came, for a rule of the session's that needs it (most items
 * need none, and reading it for every frame was 4 to 7% of an item's cost): its event's `timeStamp` (on
 * `performance.now()`'s clock), or now for a frame without one; never earlier than a time said before. */
export function frameTime() {
  const at = frameEvent?.timeStamp ?? performance.now();
  if (at > frameAt) frameAt = at;
  return frameAt;
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

const utf8 = new TextEncoder();

/** "`what` is not JSON (`its first 80 bytes`…)", as `not_json` in src/protocol/frame.rs words it. */
function notJson(what, text) {
  const bytes = utf8.encode(text);
  let cut = 80;
  if (bytes.length > cut) {
    while ((bytes[cut] & 0xc0) === 0x80) cut--;
    text = new TextDecoder().decode(bytes.subarray(0, cut)) + "\u2026";
  }
  return `${what} is not JSON (${text})`;
}

/** What a socket (or the tab relaying its socket's frames) received: an `aws/chat` item as the object
 * the page gets (an array too: the wasm says it is no item); a control frame as a number (above); what
 * is wrong with a frame that cannot be read, as a string. */
export function readFrame(data, event) {
  lastFrame = data;
  frameEvent = event;
  if (typeof data !== "string") return "unexpected binary frame";
  let frame, item;
  try {
    frame = JSON.parse(data);
  } catch {
    return notJson("frame", data);
  }
  if (!isObject(frame)) return "frame is not a JSON object";
  const { topic, content } = frame;
  if (topic === undefined) {
    message = textMember(frame, "message") ?? "error frame without a message";
    return SERVICE_ERROR;
  }
  if (typeof topic !== "string") return "frame topic is not a string";
  if (topic === "aws/subscribe") return +(textMember(content, "status") === "success");
  if (topic === "aws/heartbeat") return HEARTBEAT;
  if (topic !== "aws/chat") return IGNORED;
  if (content === undefined) return "aws/chat frame has no content";
  // The content is the item's JSON as a string, parsed a second time; an object is taken as it is.
  if (isObject(content)) return content;
  if (typeof content !== "string") return "aws/chat content is neither a string nor an object";
  try {
    item = JSON.parse(content);
  } catch {
    return notJson("aws/chat content", content);
  }
  return item !== null && typeof item === "object" ? item : "chat item is not a JSON object";
}

/** The message of the service error `readFrame` read last. */
export const frameMessage = () => message;

const text = (value) => (typeof value === "string" ? value : "");

/** Where `itemFields` writes: the wasm's memory and the places in it (`shareScratch`), and views of
 * them, made again when the memory has grown (the old views are then empty). */
let memory, numbersAt, bytesAt, capacity, numbers, bytes;

export const shareScratch = (wasmMemory, numbersAddress, bytesAddress, bytesCapacity) => {
  memory = wasmMemory;
  [numbersAt, bytesAt, capacity] = [numbersAddress, bytesAddress, bytesCapacity];
  numbers = undefined;
};

/** Writes `text` from character `i` in UTF-8 into the shared bytes from `at`, its length into
 * `numbers[slot]`; returns where it ends (past the end of the bytes when it does not fit: then only the
 * length is right). */
function put(text, at, slot, i = 0) {
  // (The length and the view as locals: read from the module's bindings on every character, the copy
  // cost a third more.)
  const n = text.length, to = bytes;
  let end = at;
  if (at + n - i <= capacity) {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 127) break;
      to[end++] = c;
    }
  }
  if (i < n) {
    const rest = text.slice(i), { read, written } = utf8.encodeInto(rest, to.subarray(end));
    end += read < rest.length ? utf8.encode(rest).length : written;
  }
  numbers[slot] = end - at;
  return end;
}

/** What the session reads of chat item `item` (`Fields` in src/protocol/item.rs, read as
 * `Item::from_json` reads them), into the wasm's memory (`shareScratch`): the numbers (`AbsoluteTime`
 * in ms or NaN, bits: 2 `MessageMetadata`, 1 a read receipt, 4 one recipient, 8 an event's content
 * type; then the lengths of the texts), and the texts in UTF-8 end to end (`Type`,
 * `ContentType`, of an event only what follows `EVENT`, `ParticipantRole`, the recipient, `Id`).
 * Returns how many bytes the texts take (more than the wasm shared: it shares more and asks again), or
 * -1 for what is not an object. */
export function itemFields(item) {
  if (!isObject(item)) return -1;
  // Plain reads, which the engine caches per place (`x?.key` is `member(x, key)` for what `JSON.parse` makes).
  const metadata = item.MessageMetadata, receipts = metadata?.Receipts, time = item.AbsoluteTime;
  let bits = metadata === undefined ? 0 : 2, to;
  if (Array.isArray(receipts)) {
    for (let i = 0; i < receipts.length; i++) {
      const r = receipts[i], who = r?.RecipientParticipantId;
      if (r?.ReadTimestamp !== undefined) bits |= 1;
      if (!i) to = who;
      else if (who !== to) to = undefined;
    }
    if (typeof to === "string") bits |= 4;
  }
  if (!numbers?.length) {
    numbers = new Float64Array(memory.buffer, numbersAt, 7);
    bytes = new Uint8Array(memory.buffer, bytesAt, capacity);
  }
  // An event's content type without the 40 characters every one begins with: most of a receipt's or a
  // typing event's texts, and finding them is one comparison.
  const type = text(item.ContentType), event = type.startsWith(EVENT);
  numbers[0] = parseTime(time);
  numbers[1] = bits | (event << 3);
  let end = put(text(item.Type), 0, 2);
  end = put(type, end, 3, event ? EVENT.length : 0);
  end = put(text(item.ParticipantRole), end, 4);
  end = put(text(to), end, 5);
  return put(text(item.Id), end, 6);
}

// ----- a connection `preconnect` started (src/shell/js/preconnect.js, not part of this module) -----

/** Where `preconnect` keeps what waits for its session. */
const PRECONNECTED = Symbol.for("connect-chat-wasm.preconnect");

/** `fetch(url, init)`, or the promise of the preconnected CreateParticipantConnection that is this
 * request (the same URL, token and body), taken once. */
export function request(url, init) {
  const entry = globalThis[PRECONNECTED]?.find((e) => e.response && e.url === url && e.token === init.headers["X-Amz-Bearer"] && e.body === init.body);
  if (!entry) return fetch(url, init);
  const { response } = entry;
  entry.response = undefined;
  return response;
}

/** A WebSocket to `url`, what happens on it reported to `report`: its frames through `readFrame`;
 * `OPENED`; its close as -1 - its code, with the reason for `frameMessage`. An `error` is always followed
 * by `close`, which carries the code; reporting it as a close (1006) right away just makes the
 * replacement start sooner (the later `close` finds no socket).
 *
 * The socket is the one `preconnect` opened to `url` for the connection taken, or a new one. One that
 * opened and then dropped before its session came is taken all the same: what it carried, and its close,
 * are the session's, which recovers as from a drop of its own (a gap fill). One that never opened is
 * closed, its entry forgotten; so is a taken connection whose socket is not there yet (it will not open
 * one: the session has its own). Another session's (a socket to another URL) is left alone. */
export function openSocket(url, report) {
  let ws, early;
  const list = globalThis[PRECONNECTED] ?? [];
  for (const entry of list.filter((e) => !e.response && (!e.socket || e.socket.url === url))) {
    list.splice(list.indexOf(entry), 1);
    entry.done = true;
    entry.took?.();
    const { socket } = entry;
    if (!ws && socket && (socket.ws.readyState < 2 || socket.events[0]?.type === "open")) ({ ws, events: early } = socket);
    else socket?.ws.close(1000);
  }
  ws ??= new WebSocket(url);
  const closed = (code, reason) => {
    message = reason;
    report(-1 - code);
  };
  ws.onopen = () => report(OPENED);
  ws.onmessage = (e) => report(readFrame(e.data, e));
  ws.onclose = (e) => closed(e.code, e.reason);
  ws.onerror = () => closed(1006, "WebSocket error");
  // A preconnected socket's open (and anything after it) as if it happened now (their times too: the
  // session's rules count from them), once the wasm's call that opened it has returned (it is not
  // re-entered); not at all once the socket was let go.
  if (early) {
    queueMicrotask(() => {
      frameAt = performance.now();
      early.forEach((e) => ws["on" + e.type]?.(e));
    });
  }
  return ws;
}

/** Detaches `openSocket`'s handlers and closes `ws` (1000: a normal close, ours; allowed while it is
 * still connecting). */
export function unlistenSocket(ws) {
  ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
  try {
    ws.close(1000);
  } catch {
    // Closed already.
  }
}

// ----- items, read from the wasm -----
// Each read of a frame or item is one call into JS rather than three or four (a type check, the lookup,
// the string's copy), and each event one call: per item, the crossings were most of the library's cost.

/** Member `key` of an object; `undefined` for anything else (a string, null, a number). */
export const member = (value, key) => (value !== null && typeof value === "object" ? value[key] : undefined);

/** Sets member `key` (of an object the library made, or `JSON.parse` did: never frozen). */
export const setMember = (value, key, to) => {
  value[key] = to;
};

/** A string member, or `undefined`. */
export const textMember = (value, key) => ((value = member(value, key)), typeof value === "string" ? value : undefined);

/** A timestamp member as ms since the epoch (`parseTime`); NaN when missing or not a date. */
export const timeMember = (value, key) => parseTime(member(value, key));

/** The service's form of a time: `2026-12-01T18:26:29.123Z` (UTC, every item's `AbsoluteTime`). */
const SERVICE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Time `s` as ms since the epoch, as `Date.parse` reads it; NaN for what is not a string. The service's
 * form of this century is read here, half of `Date.parse`'s cost (which was a tenth of the library's
 * per item); any other form (a day or an hour out of range, a year before 1970 or after 2099) is left to
 * `Date.parse`. */
export function parseTime(s) {
  if (typeof s !== "string") return NaN;
  if (!SERVICE_TIME.test(s)) return Date.parse(s);
  // Two digits from `i` ('0' is 48: 48 * 11 = 528).
  const two = (i) => s.charCodeAt(i) * 10 + s.charCodeAt(i + 1) - 528;
  const y = two(0) * 100 + two(2), m = two(5), d = two(8), h = two(11), min = two(14), sec = two(17);
  // February's days (every fourth year a leap year, from 1970 to 2099), or 30 or 31 (31 in odd months to
  // July, even ones from August).
  const days = m === 2 ? 28 + !(y & 3) : 30 + ((m + (m >> 3)) & 1);
  // (Counted as below, a field out of range would carry into the next; `Date.parse` says NaN.)
  if (y < 1970 || y > 2099 || m < 1 || m > 12 || d < 1 || d > days || h > 23 || min > 59 || sec > 59) return Date.parse(s);
  // The day counted here, not by `Date.UTC` (a third of this function's cost, 50 ns a call): in years
  // that begin in March, so that a leap day is a year's last, from 1968-03-01, 671 days before the
  // epoch (H. Hinnant's `days_from_civil`, for years in which every fourth is a leap year).
  const years = (m > 2 ? y : y - 1) - 1968;
  const day = years * 365 + (years >> 2) + (((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) | 0) + d - 672;
  return ((day * 24 + h) * 60 + min) * 60000 + sec * 1000 + two(20) * 10 + s.charCodeAt(22) - 48;
}

// ----- listeners -----
// Kept as an EventTarget keeps them (each function once per type, called in the order added; one removed
// during a dispatch is not called, one added is not called until the next; `once`; `signal`; one that
// throws is reported and the others still run), but in plain JS: a native `Event` built and dispatched
// per item cost more than everything else the library does with it. Each gets `{ type, detail }`.

export class Listeners {
  constructor() {
    /** type → its listeners, replaced (never changed) when one is added or removed, so a dispatch
     * goes through the list as it was when it began. */
    this.lists = new Map();
  }

  /** `options` as the DOM's: `{ once, signal }` (a boolean is `capture`, which changes nothing here);
   * a `signal` that is not an `AbortSignal` is a `TypeError`. */
  add(type, fn, options) {
    const { once, signal } = options !== null && typeof options === "object" ? options : {};
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError("the listener option signal is not an AbortSignal");
    const list = this.lists.get(type) || [];
    if (signal?.aborted || list.some((l) => l.fn === fn)) return;
    this.lists.set(type, [...list, { fn, once }]);
    signal?.addEventListener("abort", () => this.remove(type, fn));
  }

  remove(type, fn) {
    const list = this.lists.get(type) || [];
    for (const l of list) if (l.fn === fn) l.gone = true;
    this.lists.set(type, list.filter((l) => !l.gone));
  }

  /** `remove` bound to `type` and `fn`: what `on()` returns. */
  remover(type, fn) {
    return () => this.remove(type, fn);
  }

  /** Calls the listeners of `type`, then those of `then` (when given), with `detail`: every listener of
   * a type gets the same `{ type, detail }`, as every listener of a DOM event gets the same `Event`. */
  fire(type, detail, then) {
    const list = this.lists.get(type);
    if (list) {
      const event = { type, detail };
      for (const l of list) {
        if (l.gone) continue;
        if (l.once) this.remove(type, l.fn);
        try {
          l.fn(event);
        } catch (e) {
          reportError(e);
        }
      }
    }
    if (then) this.fire(then, detail);
  }
}
