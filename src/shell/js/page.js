// The shell's side that faces the page, in JS because it only builds objects, adds listeners and reads
// and writes JSON, which the engine does for free (README, "Size"):
// - the errors the page sees, with no credential in any message;
// - the page's lifecycle events a session reacts to;
// - the opt-in position kept in sessionStorage, so a reload resumes the chat and fills the gap.
// Where a global is missing (a worker has no `document` nor `sessionStorage`) or storage throws
// (disabled, over quota), the session runs without it.

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
const ONLINE = 0, OFFLINE = 1, HIDDEN = 2, VISIBLE = 3, LEAVING = 4, BACK = 5;

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
  on(win, "pagehide", () => report(LEAVING));
  // Only a page back from the back-forward cache (`persisted`) was suspended.
  on(win, "pageshow", (e) => e.persisted && report(BACK));
  if (typeof document !== "undefined") on(document, "visibilitychange", () => report(document.hidden ? HIDDEN : VISIBLE));
  return () => removers.forEach((remove) => remove());
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

/** Saves the position (`lastSeenId` given) or forgets it (none). */
export function savePosition(key, chat, lastSeenId) {
  try {
    if (lastSeenId === undefined) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify({ chat, lastSeenId }));
  } catch {
    // Storage disabled or full: a reload then starts from the transcript's newest items.
  }
}
