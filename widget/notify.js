// Getting the customer's attention while the panel is minimised or the page is hidden: an unread count on
// the launcher and in document.title, and, where the site turns them on, a short tone (`sound`) and a
// browser notification (`notifications`, asked for when the customer first opens the chat: a browser
// grants the request only in answer to a gesture).

import { cut, withoutBidiControls } from "./dom.js";

// document.title is the page's, shared by every widget on it: the count shown is their sum.
const counts = new Map();
let base = null; // the page's own title while a count is shown
let shown = "";
function showTitle() {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (base !== null && document.title !== shown) base = document.title; // the page changed it meanwhile
  if (total === 0) {
    if (base !== null) document.title = base;
    base = null;
    return;
  }
  base ??= document.title;
  shown = `(${total}) ${base}`;
  document.title = shown;
}

export function attention({ element, cfg, t, signal, launcher, badge, onChange, onActivate }) {
  let count = 0;
  let audio = null;
  let asked = false;
  const notes = new Set();
  const canNotify = cfg.notifications && typeof Notification === "function";

  function set(n) {
    if (n === count) return;
    count = n;
    badge.hidden = n === 0;
    badge.textContent = n > 99 ? "99+" : String(n);
    const closed = launcher.getAttribute("aria-expanded") !== "true";
    launcher.setAttribute("aria-label", closed ? (n ? `${t("open")} (${t("unread", { n })})` : t("open")) : t("close"));
    if (n) counts.set(element, n);
    else counts.delete(element);
    showTitle();
    onChange(n);
  }

  function tone() {
    if (!audio || audio.state !== "running") return;
    // Two soft notes: no file to fetch, nothing for a CSP to block.
    const now = audio.currentTime;
    for (const [i, hz] of [660, 880].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, now + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.08, now + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.12 + 0.18);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.12);
      osc.stop(now + i * 0.12 + 0.2);
    }
  }

  function notify(item) {
    if (!canNotify || Notification.permission !== "granted" || !document.hidden) return;
    const name = withoutBidiControls(item.DisplayName && item.DisplayName !== "SYSTEM_MESSAGE" ? item.DisplayName : t("agent"));
    const body = item.Type === "ATTACHMENT" ? (item.Attachments || []).map((a) => withoutBidiControls(a.AttachmentName)).join(", ") : cut(item.Content, 140);
    try {
      const note = new Notification(t("newMessage", { name }), { body, tag: cfg.storageKey, lang: cfg.locale, dir: cfg.dir });
      notes.add(note);
      note.addEventListener("close", () => notes.delete(note));
      note.addEventListener("click", () => {
        window.focus();
        onActivate();
        note.close();
      });
    } catch {
      // Some browsers only show notifications from a service worker: the count and the title still say it.
    }
  }

  const clearNotes = () => {
    for (const note of notes) note.close();
    notes.clear();
  };
  // Back on the page: the notifications have done their work.
  document.addEventListener("visibilitychange", () => !document.hidden && clearNotes(), { signal });

  return {
    get count() {
      return count;
    },
    /** Another participant's message arrived while the customer was not looking. */
    add(item) {
      set(count + 1);
      if (cfg.sound) tone();
      notify(item);
    },
    clear() {
      set(0);
      clearNotes();
    },
    /** The panel opened (usually a click: the moment to set up sound and ask for notifications). */
    opened() {
      if (cfg.sound && !audio && typeof AudioContext === "function") audio = new AudioContext();
      audio?.resume().catch(() => {});
      // Asked once per widget: a customer who dismissed the prompt is not asked at every opening.
      if (canNotify && !asked && Notification.permission === "default") {
        asked = true;
        Notification.requestPermission().catch(() => {});
      }
      launcher.setAttribute("aria-label", t("close"));
    },
    closed() {
      set(count);
      launcher.setAttribute("aria-label", count ? `${t("open")} (${t("unread", { n: count })})` : t("open"));
    },
    destroy() {
      counts.delete(element);
      showTitle();
      clearNotes();
      audio?.close().catch(() => {});
      audio = null;
    },
  };
}
