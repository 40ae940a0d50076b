// Instant history: after a reload the widget shows the chat's newest items at once, from IndexedDB, and
// GetTranscript then fills in (items are shown once per Id, so what both have appears once). What is
// kept: the newest KEEP items of the chat this tab resumes, one record per chat. It goes when the chat
// ends or is forgotten, and any record left behind (a tab closed mid-chat) is deleted by the next widget
// that opens once it is older than the chat could still be resumed (the idle limit or the chat's
// duration, whichever is shorter). Where IndexedDB is missing or refuses (private modes, quota), the
// widget works as before, from GetTranscript alone.

const DB = "connect-chat-wasm";
const STORE = "history";
/** Items kept per chat: a screenful and more; the rest comes from GetTranscript when scrolled to. */
export const KEEP = 200;
/** Writes at most once a second (a burst is one write); leaving the page writes at once. */
const WRITE_MS = 1_000;

let opening = null;
/** The database, opened once per page; null where IndexedDB is unavailable. */
function database() {
  opening ??= new Promise((resolve) => {
    try {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = req.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return opening;
}

/** One request in its own transaction, as a Promise (undefined when it fails). */
async function request(mode, run) {
  const db = await database();
  if (!db) return undefined;
  return new Promise((resolve) => {
    try {
      const req = run(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(undefined);
    } catch {
      resolve(undefined);
    }
  });
}

/** The history of the chats of the widget stored under `key` (its storage key). */
export function chatHistory(key, { enabled = true, idleMinutes = 30, chatDurationMinutes = 1500 } = {}) {
  const maxAge = Math.min(idleMinutes, chatDurationMinutes) * 60_000;
  let contact = null;
  let items = [];
  let timer = 0;
  const id = () => `${key}:${contact}`;

  const write = () => {
    clearTimeout(timer);
    timer = 0;
    // The key and the items now: the request runs once the database is open, by when they may differ.
    const record = { items, seenAt: Date.now() };
    const at = id();
    if (contact) request("readwrite", (s) => s.put(record, at));
  };

  /** Deletes what no widget could resume any more (tabs closed mid-chat). */
  const sweep = async () => {
    const db = await database();
    try {
      const req = db?.transaction(STORE, "readwrite").objectStore(STORE).openCursor();
      if (!req) return;
      req.onsuccess = () => {
        const cursor = req.result;
        if (!cursor) return;
        if (!(Date.now() - cursor.value?.seenAt < maxAge)) cursor.delete();
        cursor.continue();
      };
    } catch {
      // Unavailable now: the next widget sweeps.
    }
  };

  return {
    /** The kept items of chat `contactId` (oldest first), to show before the chat connects; from now
     * on `add` keeps this chat's. */
    async load(contactId) {
      contact = contactId;
      items = [];
      if (!enabled || !contactId) return [];
      sweep();
      const at = id();
      const entry = await request("readonly", (s) => s.get(at));
      if (contact !== contactId) return []; // another chat began meanwhile
      const fresh = entry && Date.now() - entry.seenAt < maxAge && Array.isArray(entry.items);
      items = fresh ? entry.items.slice(-KEEP) : [];
      return items.slice();
    },
    /** Keeps `item` (a chat item with an Id) among the newest. */
    add(item) {
      if (!enabled || !contact || !item?.Id) return;
      items.push(item);
      if (items.length > KEEP + KEEP / 2) items = items.slice(-KEEP);
      timer ||= setTimeout(write, WRITE_MS);
    },
    /** The page is being left: what waits is written now. */
    flush() {
      if (timer) write();
    },
    /** The chat is over (or forgotten): nothing of it stays. */
    clear() {
      clearTimeout(timer);
      timer = 0;
      const at = id();
      if (contact) request("readwrite", (s) => s.delete(at));
      contact = null;
      items = [];
    },
    /** The widget is torn down: pending writes go now, nothing more is scheduled. */
    destroy() {
      this.flush();
      contact = null;
    },
  };
}

/** The last chat that ended, for "Continue the previous conversation" on a later visit (continue-chat):
 * its ContactId only (no credential), in localStorage, for 30 days or until a new chat begins. */
export function previousChat(key, days = 30) {
  const at = `${key}:previous`;
  return {
    load() {
      try {
        const entry = JSON.parse(localStorage.getItem(at) || "null");
        if (typeof entry?.contactId === "string" && Date.now() - entry.endedAt < days * 86_400_000) return entry.contactId;
        localStorage.removeItem(at);
      } catch {
        // Storage unavailable or unreadable: nothing to continue.
      }
      return null;
    },
    save(contactId) {
      try {
        localStorage.setItem(at, JSON.stringify({ contactId, endedAt: Date.now() }));
      } catch {
        // Storage full or disabled: only the offer on a later visit is lost.
      }
    },
    forget() {
      try {
        localStorage.removeItem(at);
      } catch {
        // Storage disabled: nothing was kept.
      }
    },
  };
}
