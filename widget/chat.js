// The widget: a launcher button and a chat panel in a Shadow DOM (no CSS leaks either way), the chat
// session behind them, and a composer. It needs no inline script or style, so it runs under
// `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`.
//
// cfg: { startChatUrl, endpoint, region, title, displayName, module, stylesheet, storageKey,
//        resume, resumeIdleMinutes, chatDurationMinutes, authRedirectUri, locale, strings }

import { el, icon, withoutBidiControls } from "./dom.js";
import { chatStore } from "./store.js";
import { format, formatNodes } from "./strings.js";
import { Transcript } from "./transcript.js";

// A start that failed because the chat is over (its token refused, or the session ended) rather than
// because the network or the service is down for a moment: only then is the stored chat forgotten.
const isOver = (e) => e?.status === 403 || e?.name === "AccessDeniedException" || e?.name === "SessionEnded";

export function mount(cfg) {
  const t = (key, vars) => format(cfg.strings, key, vars);
  // For sentences with a name or a message in them: each value isolated (see formatNodes).
  const tn = (key, vars) => formatNodes(cfg.strings, key, vars);
  const host = el("div", { id: "connect-chat-wasm-widget" });
  const root = host.attachShadow({ mode: "open" });
  const styles = el("link", { rel: "stylesheet", href: cfg.stylesheet });
  // The label is hidden by the stylesheet; should that be blocked, the button still says what it is.
  const launcher = el("button", { class: "launcher", type: "button", "aria-label": t("open"), "aria-expanded": "false", "aria-controls": "ccw-panel" },
    el("span", { class: "launcher-icon", "aria-hidden": "true" }), el("span", { class: "launcher-label", "aria-hidden": "true" }, t("open")));
  const statusText = el("span", {});
  const statusAction = el("button", { class: "status-action", type: "button", hidden: true });
  const status = el("div", { class: "status", role: "status", hidden: true }, statusText, statusAction);
  const log = el("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": t("messages") });
  const typing = el("div", { class: "typing", hidden: true, "aria-live": "polite" });
  const input = el("textarea", { class: "input", rows: "1", placeholder: t("placeholder"), "aria-label": t("message"), disabled: true });
  const fileInput = el("input", { type: "file", class: "file", tabindex: "-1", "aria-hidden": "true" });
  const attach = el("button", { class: "attach", type: "button", "aria-label": t("attach"), disabled: true }, icon("clip"));
  const send = el("button", { class: "send", type: "submit", "aria-label": t("send"), disabled: true }, t("send"));
  const form = el("form", { class: "composer" }, attach, input, send, fileInput);
  const endButton = el("button", { class: "end", type: "button", disabled: true }, t("end"));
  const closeButton = el("button", { class: "close", type: "button", "aria-label": t("minimize") }, "×");
  const panel = el("section", { id: "ccw-panel", class: "panel", role: "dialog", "aria-label": cfg.title, hidden: true, lang: cfg.locale },
    el("header", {}, el("h2", {}, cfg.title), endButton, closeButton),
    status, log, typing, form);
  root.append(styles, launcher, panel);
  // Shown once styled, so the page never sees an unstyled button. A blocked stylesheet (a CSP without
  // the widget's origin in style-src, a wrong path) is said in the console, and the chat shows anyway.
  host.hidden = true;
  styles.addEventListener("load", () => (host.hidden = false));
  styles.addEventListener("error", () => {
    console.error(`connect-chat-wasm widget: its stylesheet ${cfg.stylesheet} did not load (is its origin in the page's Content-Security-Policy style-src?); the chat is shown unstyled`);
    host.hidden = false;
  });

  const store = chatStore(cfg.storageKey, { enabled: cfg.resume, idleMinutes: cfg.resumeIdleMinutes, chatDurationMinutes: cfg.chatDurationMinutes });
  let mod = null; // the library module, once loaded
  let session = null;
  let ended = false;
  let starting = false;
  let typingTimer = 0;
  let bannerTimer = 0;
  const unread = []; // others' message Ids not yet read

  const transcript = new Transcript(log, {
    t,
    locale: cfg.locale,
    parseInteractive: (item) => mod.ChatSession.parseInteractive(item),
    answer: (item, choice) => session.sendInteractiveResponse(item, choice),
    describeView: (token) => session.describeView(token),
    authUrl: async (sessionId) => (await session.getAuthenticationUrl({ sessionId, redirectUri: cfg.authRedirectUri })).AuthenticationUrl,
    cancelAuth: (sessionId) => session.cancelParticipantAuthentication({ sessionId }),
    download,
  });

  /** The status line (a string, or nodes from `tn`); `action` ({ label, run }) adds a button to it. */
  function setStatus(text, kind, action) {
    status.hidden = !text || text.length === 0;
    statusText.replaceChildren(...[].concat(text || []));
    status.className = "status" + (kind ? " " + kind : "");
    statusAction.hidden = !action;
    statusAction.textContent = action ? action.label : "";
    statusAction.onclick = action ? action.run : null;
  }
  /** A passing condition (reconnecting, missing messages): never over the final status of an ended chat. */
  function banner(text, kind) {
    if (!ended) setStatus(text, kind);
  }
  function setLive(live) {
    for (const c of [input, send, attach, endButton]) c.disabled = !live;
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", t("close"));
    if (!session && !ended && !starting) start();
    markRead();
    (input.disabled ? closeButton : input).focus();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", t("open"));
    launcher.focus();
  }
  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });

  function markRead() {
    if (!session || panel.hidden || document.hidden) return;
    // Oldest first; the session sends the newest of each batch, which stands for the rest.
    for (const id of unread.splice(0)) session.sendReadReceipt(id);
  }
  document.addEventListener("visibilitychange", markRead);

  async function download(a) {
    try {
      const blob = await session.downloadAttachment(a.AttachmentId);
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: withoutBidiControls(a.AttachmentName) });
      root.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      transcript.note(tn("notDownloaded", { name: a.AttachmentName, reason: e.message }));
    }
  }

  async function sendFiles(files) {
    for (const file of files) {
      const progress = transcript.note(tn("sending", { name: file.name }));
      try {
        await session.sendAttachment(file);
        transcript.remove(progress); // the attachment itself now shows in the transcript
      } catch (e) {
        progress.replaceChildren(...tn("notSentFile", { name: file.name, reason: e.message }));
      }
    }
  }

  // ----- the chat -----
  async function start() {
    starting = true;
    ended = false;
    setStatus(t("connecting"));
    setLive(false);
    try {
      mod = await import(cfg.module);
      await mod.default();
      let started = store.load();
      if (!started) {
        if (!cfg.startChatUrl) throw new Error("data-start-chat-url is missing");
        const res = await fetch(cfg.startChatUrl, {
          method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ DisplayName: cfg.displayName }),
        });
        if (!res.ok) throw new Error(`the chat service answered ${res.status}`);
        started = await res.json();
        store.save(started);
      }
      session = new mod.ChatSession({
        participantToken: started.ParticipantToken,
        participantId: started.ParticipantId,
        endpoint: cfg.endpoint,
        region: cfg.region,
        persist: cfg.storageKey + ":position",
        autoDeliveredReceipts: true,
        orderWindowMs: 150,
      });
      wire(session);
      await session.connect();
      const history = await session.getTranscript({ scanDirection: "BACKWARD", sortOrder: "ASCENDING", maxResults: 100 }).catch(() => null);
      for (const item of history?.Transcript || []) {
        transcript.render(item);
        // What came while this page was away is read once the customer sees it (a receipt goes once).
        if (item.ParticipantRole !== "CUSTOMER" && (item.Type === "MESSAGE" || item.Type === "ATTACHMENT")) unread.push(item.Id);
      }
      setStatus("");
      setLive(true);
      if (!panel.hidden) input.focus();
      markRead();
    } catch (e) {
      session?.close();
      session = null;
      if (isOver(e)) {
        // The stored chat is over (it ended while the page was away): the customer may start anew.
        store.forget();
        finish(t("ended"));
      } else {
        // A passing outage: the stored chat stays, so trying again (or a reload) resumes it.
        setStatus(tn("cannotStart", { reason: e.message }), "error", { label: t("retry"), run: () => start() });
      }
    } finally {
      starting = false;
    }
  }

  function finish(text) {
    ended = true;
    clearTimeout(bannerTimer);
    bannerTimer = 0;
    setLive(false);
    typing.hidden = true;
    store.forget();
    setStatus(text, "ended", { label: t("newChat"), run: newChat });
  }

  function newChat() {
    session?.close();
    session = null;
    transcript.clear();
    unread.length = 0;
    start();
  }

  function wire(s) {
    s.on("item", (e) => {
      transcript.render(e.detail, true);
      store.touch();
    });
    s.on("message-partial", (e) => {
      typing.hidden = true;
      transcript.partial(e.detail);
    });
    s.on("message", (e) => {
      if (e.detail.ParticipantRole !== "CUSTOMER") {
        typing.hidden = true;
        unread.push(e.detail.Id);
        markRead();
      }
    });
    s.on("attachment", (e) => {
      if (e.detail.ParticipantRole !== "CUSTOMER") unread.push(e.detail.Id);
      markRead();
    });
    s.on("typing", (e) => {
      if (e.detail.ParticipantRole === "CUSTOMER") return;
      typing.textContent = t("typing", { name: e.detail.DisplayName || t("agent") });
      typing.hidden = false;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => (typing.hidden = true), 12_000);
    });
    s.on("delivered", (e) => transcript.mark(e.detail.MessageMetadata?.MessageId, false));
    s.on("read", (e) => transcript.mark(e.detail.MessageMetadata?.MessageId, true));
    // A reconnect usually takes milliseconds: only an outage that lasts is worth a banner.
    s.on("reconnecting", () => {
      if (!bannerTimer && !ended) bannerTimer = setTimeout(() => banner(t("reconnecting"), "warning"), 400);
    });
    s.on("connected", () => {
      clearTimeout(bannerTimer);
      bannerTimer = 0;
      banner("");
    });
    // Messages the connection missed are being fetched: say so while it takes more than one try.
    let missing = false;
    s.on("gap-fill-failed", (e) => {
      missing = e.detail.retrying;
      if (missing) banner(t("missing"), "warning");
      else {
        banner("");
        transcript.note(t("someMissing"));
      }
    });
    s.on("gap-filled", () => {
      if (missing) banner("");
      missing = false;
    });
    s.on("ended", () => finish(t("ended")));
    s.on("connection-lost", (e) => finish(tn("disconnected", { reason: e.detail.reason.message })));
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || !session) return;
    input.value = "";
    transcript.following = true; // what the customer sends is shown, wherever they had scrolled
    try {
      await session.sendMessage(text);
    } catch (err) {
      input.value = text;
      transcript.note(tn("notSent", { reason: err.message }));
    }
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", () => session && input.value && session.sendTyping().catch(() => {}));
  attach.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    sendFiles([...fileInput.files]);
    fileInput.value = "";
  });
  panel.addEventListener("dragover", (e) => {
    if (session && !ended) {
      e.preventDefault();
      panel.classList.add("dropping");
    }
  });
  panel.addEventListener("dragleave", () => panel.classList.remove("dropping"));
  panel.addEventListener("drop", (e) => {
    e.preventDefault();
    panel.classList.remove("dropping");
    if (session && !ended) sendFiles([...e.dataTransfer.files]);
  });
  endButton.addEventListener("click", async () => {
    endButton.disabled = true;
    try {
      await session.disconnect();
      finish(t("youEnded"));
    } catch (e) {
      endButton.disabled = false;
      transcript.note(tn("cannotEnd", { reason: e.message }));
    }
  });

  // The idle time of a stored chat counts from when the customer left the page.
  window.addEventListener("pagehide", () => store.touch(true));

  const attachToPage = () => {
    document.body.append(host);
    // A chat in progress before a reload comes back at once.
    if (store.load()) open();
  };
  if (document.body) attachToPage();
  else document.addEventListener("DOMContentLoaded", attachToPage);
}
