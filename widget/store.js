// The chat a reload resumes. StartChatContact's answer holds the ParticipantToken, a bearer credential
// to the chat: it is kept in sessionStorage (this tab only, gone when the tab closes) and no longer
// than the chat can live (`chatDurationMinutes`, StartChatContact's ChatDurationInMinutes, 25 hours by
// default) nor than `idleMinutes` since the customer last had the page open. `enabled: false` keeps
// nothing: a reload then starts a new chat.

export function chatStore(key, { enabled = true, idleMinutes = 30, chatDurationMinutes = 1500 } = {}) {
  const minute = 60_000;
  const read = () => {
    try {
      return JSON.parse(sessionStorage.getItem(key) || "null");
    } catch {
      return null; // unreadable: as if nothing was stored
    }
  };
  const write = (entry) => {
    try {
      sessionStorage.setItem(key, JSON.stringify(entry));
    } catch {
      // Storage full or disabled: the chat goes on; only a reload cannot resume it.
    }
  };
  const forget = () => {
    try {
      sessionStorage.removeItem(key);
    } catch {
      // Storage disabled: nothing was kept.
    }
  };
  if (!enabled) forget(); // what an earlier configuration may have left
  let lastTouch = -Infinity;

  return {
    /** The stored answer, or null when there is none or it is too old to resume. */
    load() {
      if (!enabled) return null;
      const entry = read();
      if (!entry || typeof entry !== "object" || !entry.answer?.ParticipantToken) return null;
      const now = Date.now();
      const expired = !(now - entry.savedAt < chatDurationMinutes * minute) || !(now - entry.seenAt < idleMinutes * minute);
      if (expired) {
        forget();
        return null;
      }
      return entry.answer;
    },
    save(answer) {
      if (enabled) write({ answer, savedAt: Date.now(), seenAt: Date.now() });
    },
    /** The customer is (still) here: the idle time counts from now. */
    /** Records that the customer has the chat open now. At most one write every few seconds: it is
     * called for every item, and an idle limit counts in minutes. `force` (the page is being left)
     * writes at once. */
    touch(force = false) {
      const now = Date.now();
      if (!force && now - lastTouch < 5_000) return;
      lastTouch = now;
      const entry = enabled && read();
      if (entry?.answer) write({ ...entry, seenAt: now });
    },
    forget,
  };
}
