// One widget's chat: the panel (view.js), the session behind it, the composer, the pre-chat form, the
// unread count and the chat's end. It needs no inline script or style, so it runs under
// `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`.
//
// cfg: see config.js (plus locale, dir and the merged strings); host: { library(), emit(type, detail), inPopup }.
// Every listener on the page and every timer is tied to `life`, so destroy() leaves nothing behind.

import { composer } from "./composer.js";
import { el, withoutBidiControls } from "./dom.js";
import { saveTranscript } from "./export.js";
import { attention } from "./notify.js";
import { preChatForm } from "./prechat.js";
import { chatHistory, previousChat } from "./history.js";
import { chatStore } from "./store.js";
import { format, formatNodes } from "./strings.js";
import { Transcript } from "./transcript.js";
import { buildView } from "./view.js";
import { safeUrl } from "./markdown.js";

// A start that failed because the chat is over (its token refused, or the session ended) rather than
// because the network or the service is down for a moment: only then is the stored chat forgotten.
const isOver = (e) => e?.status === 403 || e?.name === "AccessDeniedException" || e?.name === "SessionEnded";

export function createChat(element, cfg, host) {
  const t = (key, vars) => format(cfg.strings, key, vars);
  // For sentences with a name or a message in them: each value isolated (see formatNodes).
  const tn = (key, vars) => formatNodes(cfg.strings, key, vars);
  const life = new AbortController();
  const signal = life.signal;
  const timers = new Set();
  const later = (fn, ms) => {
    const id = setTimeout(() => {
      timers.delete(id);
      fn();
    }, ms);
    timers.add(id);
    return id;
  };
  const cancel = (id) => {
    clearTimeout(id);
    timers.delete(id);
  };

  const root = element.shadowRoot;
  const v = buildView(t, cfg);
  const styles = el("link", { rel: "stylesheet", href: cfg.stylesheet });
  root.replaceChildren(styles, v.root);
  // Shown once styled, so the page never sees an unstyled button. A blocked stylesheet (a CSP without
  // the widget's origin in style-src, a wrong path) is said in the console, and the chat shows anyway.
  v.root.hidden = true;
  // Opened before it could be shown (a page calling open() at once): the focus goes in now.
  const show = () => {
    v.root.hidden = false;
    if (isOpen()) focusIn();
  };
  styles.addEventListener("load", show);
  styles.addEventListener("error", () => {
    console.error(`connect-chat-wasm widget: its stylesheet ${cfg.stylesheet} did not load (is its origin in the page's Content-Security-Policy style-src?); the chat is shown unstyled`);
    show();
  });

  const store = chatStore(cfg.storageKey, { enabled: cfg.resume, idleMinutes: cfg.resumeIdleMinutes, chatDurationMinutes: cfg.chatDurationMinutes });
  let mod = null; // the library module, once loaded
  let session = null;
  let ended = false;
  let starting = null; // the start under way
  let typingTimer = 0;
  let bannerTimer = 0;
  const toRead = []; // others' message Ids not yet read (receipts owed)
  const record = new Map(); // Id → item, in arrival order: what a transcript download holds
  let contactId = null; // the current (or last) chat's contact
  const earlier = previousChat(cfg.storageKey);
  // The newest items, shown at once after a reload (history.js); kept as long as the stored chat is.
  const history = chatHistory(cfg.storageKey, { enabled: cfg.resume, idleMinutes: cfg.resumeIdleMinutes, chatDurationMinutes: cfg.chatDurationMinutes });
  const isOpen = () => !v.panel.hidden;

  const transcript = new Transcript(v.log, {
    t,
    locale: cfg.locale,
    displayName: cfg.displayName,
    parseInteractive: (item) => mod.ChatSession.parseInteractive(item),
    answer: (item, choice) => session.sendInteractiveResponse(item, choice),
    describeView: (token) => session.describeView(token),
    authUrl: async (sessionId) => (await session.getAuthenticationUrl({ sessionId, redirectUri: cfg.authRedirectUri })).AuthenticationUrl,
    cancelAuth: (sessionId) => session.cancelParticipantAuthentication({ sessionId }),
    download,
    focusFallback: () => v.input,
  });
  const unread = attention({
    element, cfg, t, signal, launcher: v.launcher, badge: v.badge,
    onChange: (count) => host.emit("unread-changed", { count }),
    onActivate: () => open(),
  });
  const compose = composer({
    v, tn, transcript, signal,
    session: () => (ended ? null : session),
    onError: (error, during) => host.emit("error", { error, during }),
  });

  /** The status line (a string, or nodes from `tn`); `action` ({ label, run }) adds a button to it. */
  function setStatus(text, kind, action, other) {
    v.status.hidden = !text || text.length === 0;
    v.statusText.replaceChildren(...[].concat(text || []));
    v.status.className = "status" + (kind ? " " + kind : "");
    for (const [button, a] of [[v.statusAction, action], [v.statusOther, other]]) {
      button.hidden = !a;
      button.textContent = a ? a.label : "";
      button.onclick = a ? a.run : null;
    }
  }
  /** A passing condition (reconnecting, missing messages): never over the final status of an ended chat. */
  function banner(text, kind) {
    if (!ended) setStatus(text, kind);
  }
  function setLive(live) {
    compose.setLive(live);
    v.endButton.disabled = !live;
  }
  /** Focus that sat on a control about to be disabled or hidden goes to `to` rather than to the page. */
  function keepFocus(to) {
    const focused = root.activeElement;
    if (!focused || focused.disabled || !focused.checkVisibility?.()) to?.focus();
  }

  function open() {
    v.panel.hidden = false;
    v.root.classList.add("open");
    v.launcher.setAttribute("aria-expanded", "true");
    v.launcher.setAttribute("aria-label", t("close"));
    unread.opened();
    const going = !session && !ended && !starting && v.preChat.hidden ? begin() : starting;
    markRead();
    focusIn();
    return going || Promise.resolve();
  }
  /** Focus into the open panel: the pre-chat form's first field, the composer, or (while it is
   * disabled) the minimise button. */
  function focusIn() {
    const target = !v.preChat.hidden ? v.preChat.querySelector("input, select, textarea") : (v.input.disabled ? v.closeButton : v.input);
    target?.focus();
  }
  function close() {
    if (v.panel.hidden) return;
    cancelEnd();
    v.panel.hidden = true;
    v.root.classList.remove("open");
    v.launcher.setAttribute("aria-expanded", "false");
    unread.closed();
    v.launcher.focus();
  }
  v.launcher.addEventListener("click", () => (v.panel.hidden ? open() : close()));
  v.closeButton.addEventListener("click", close);
  v.panel.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    if (!v.confirm.hidden) cancelEnd();
    else close();
  });

  function markRead() {
    // Not after the chat ended: the service refuses a receipt then (403).
    if (!session || ended || v.panel.hidden || document.hidden) return;
    // The newest stands for those before it (as the session sends one receipt per batch anyway).
    const newest = toRead[toRead.length - 1];
    toRead.length = 0;
    if (newest) session.sendReadReceipt(newest);
    unread.clear();
  }
  /** What arrives is marked read once per frame: a burst is one call, not one per message. */
  let readFrame = 0;
  function readSoon() {
    if (readFrame || signal.aborted) return;
    readFrame = requestAnimationFrame(() => {
      readFrame = 0;
      if (!signal.aborted) markRead();
    });
  }
  document.addEventListener("visibilitychange", () => {
    markRead();
    if (document.hidden) unread.closed();
    else if (isOpen()) unread.opened();
  }, { signal });

  async function download(a) {
    try {
      const blob = await session.downloadAttachment(a.AttachmentId);
      saveFile(blob, withoutBidiControls(a.AttachmentName));
    } catch (e) {
      transcript.note(tn("notDownloaded", { name: a.AttachmentName, reason: e.message }));
      host.emit("error", { error: e, during: "download" });
    }
  }
  function saveFile(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: name, hidden: true });
    root.append(link);
    link.click();
    link.remove();
    // Revoked later, not now: the download may not have read it yet. Not tied to `life`: a removed
    // widget's download still completes, and the URL is freed all the same.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  v.downloadButton.addEventListener("click", () => {
    saveFile(saveTranscript([...record.values()], { t, locale: cfg.locale, title: cfg.title || t("title") }),
      `${t("transcriptFile")}-${new Date().toISOString().slice(0, 10)}.txt`);
  });

  // ----- the chat -----

  /** A chat from the store, or the pre-chat form first when the site declared one; with continue-chat,
   * a customer back after an ended chat is offered to continue it first. */
  function begin(fresh = false) {
    const previous = !fresh && !store.load() && cfg.continueChat && earlier.load();
    if (previous) {
      setStatus(t("welcomeBack"), "", { label: t("continueChat"), run: () => start({ continueFrom: previous }) },
        { label: t("newChat"), run: () => { earlier.forget(); setStatus(""); begin(true); } });
      return Promise.resolve();
    }
    if (!store.load() && cfg.preChat.length) {
      showPreChat();
      return Promise.resolve();
    }
    return start();
  }

  function showPreChat() {
    setStatus("");
    v.preChat.hidden = false;
    v.live.hidden = v.form.hidden = true;
    v.preChat.replaceChildren(preChatForm(cfg.preChat, t, cfg.displayName, (answers) => {
      v.preChat.hidden = true;
      v.live.hidden = v.form.hidden = false;
      v.preChat.replaceChildren();
      start(answers);
    }));
    if (isOpen()) v.preChat.querySelector("input, select, textarea")?.focus();
  }

  function start(answers) {
    if (starting) return starting;
    starting = run(answers).finally(() => (starting = null));
    return starting;
  }

  /** `preconnect` for the session `options` will make, given only what it reads (`disconnectOnClose:
   * true` is resolved against the library's own URL). Options it refuses are the session's to report:
   * it refuses them too. */
  function connectEarly(m, { participantToken, endpoint, region, persist, shareAcrossTabs }) {
    try {
      m?.preconnect({ participantToken, endpoint, region, persist, shareAcrossTabs });
    } catch {
      // Reported by `new ChatSession` below.
    }
  }

  async function run(answers = {}) {
    ended = false;
    setStatus(t("connecting"));
    setLive(false);
    try {
      // The library loads (and its wasm compiles) while the site's backend starts the chat: neither
      // waits for the other.
      const loading = host.library().then(
        async (m) => (await m.default(), m),
        (e) => {
          // Said plainly: a wrong path is the usual cause (the library ships next to widget.js).
          throw new Error(`the chat library ${cfg.module || ""} could not be loaded (${e.message}); the module attribute (data-module) says where it is`);
        },
      );
      loading.catch(() => {}); // (read below; a failed start is reported first)
      // The library's `preconnect` (a small module beside it, here by the time the chat has its answer):
      // once the chat's token is known, the connection goes out while the library still loads.
      let loaded = false;
      loading.then(() => (loaded = true), () => {});
      const early = mod ? null : host.preconnect().catch(() => null);
      let started = store.load();
      if (!started) {
        if (!cfg.startChatUrl) throw new Error("start-chat-url (data-start-chat-url) is missing");
        const body = { DisplayName: answers.displayName || cfg.displayName };
        if (answers.continueFrom) {
          // Persistent chat: the site's backend passes these on as StartChatContact's PersistentChat.
          body.SourceContactId = answers.continueFrom;
          body.RehydrationType = "ENTIRE_PAST_SESSION";
        }
        if (answers.attributes && Object.keys(answers.attributes).length) body.Attributes = answers.attributes;
        const res = await fetch(cfg.startChatUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal });
        if (!res.ok) throw Object.assign(new Error(`the chat service answered ${res.status}`), { status: res.status, fromBackend: true, continuing: !!answers.continueFrom });
        started = await res.json();
        if (!started?.ParticipantToken) throw new Error("the chat service's answer has no ParticipantToken");
        // The name goes with it: after a reload, the customer's new messages still show the name they gave.
        started = { ...started, DisplayName: body.DisplayName };
        store.save(started);
      }
      const options = {
        participantToken: started.ParticipantToken,
        participantId: started.ParticipantId,
        endpoint: cfg.endpoint,
        region: cfg.region,
        persist: cfg.storageKey + ":position",
        // Tabs showing this chat (a tab duplicated from this one, which copies its sessionStorage and so
        // the chat's answer) share one WebSocket; each still sees every item once.
        shareAcrossTabs: true,
        disconnectOnClose: cfg.disconnectOnClose,
        autoDeliveredReceipts: true,
        orderWindowMs: 150,
      };
      // The library still loading (a page just opened, or a reload with a chat going on): the
      // connection goes out now, and the session takes it over (a tab that follows another makes none).
      early?.then((m) => !loaded && !signal.aborted && connectEarly(m, options));
      mod = await loading;
      if (signal.aborted) return;
      transcript.ctx.displayName = started.DisplayName || cfg.displayName;
      contactId = started.ContactId;
      // What this tab showed before the reload, at once; GetTranscript fills in after connecting.
      const cached = history.load(started.ContactId).then((items) => {
        if (signal.aborted || ended) return;
        for (const item of items) {
          transcript.render(item);
          keep(item);
        }
      });
      session = new mod.ChatSession(options);
      wire(session);
      const connecting = session.connect();
      // What this chat's outbox kept from before a reload is back in the queue now: shown as it was left.
      compose.restore(session.pending);
      await connecting;
      await cached;
      if (signal.aborted) return;
      const fetched = await session.getTranscript({ scanDirection: "BACKWARD", sortOrder: "ASCENDING", maxResults: 100 }).catch(() => null);
      for (const item of fetched?.Transcript || []) {
        transcript.render(item);
        keep(item);
        history.add(item);
        // What came while this page was away is read once the customer sees it (a receipt goes once).
        if (item.ParticipantRole !== "CUSTOMER" && (item.Type === "MESSAGE" || item.Type === "ATTACHMENT")) toRead.push(item.Id);
      }
      setStatus("");
      setLive(true);
      v.downloadButton.disabled = false;
      if (isOpen()) v.input.focus();
      markRead();
      host.emit("chat-started", { contactId: started.ContactId, participantId: started.ParticipantId });
    } catch (e) {
      if (signal.aborted) return;
      session?.close();
      session = null;
      host.emit("error", { error: e, during: "start" });
      // A 403 from the site's own backend refuses a new chat; it says nothing of a stored one.
      if (e.continuing && e.status >= 400 && e.status < 500) {
        // The backend will not continue that chat (too old, not this customer's): a new one, then.
        earlier.forget();
        setStatus(tn("cannotStart", { reason: e.message }), "error", { label: t("newChat"), run: () => start({}) });
        if (v.panel.contains(root.activeElement)) v.statusAction.focus();
      } else if (isOver(e) && !e.fromBackend) {
        // The stored chat is over (it ended while the page was away): the customer may start anew.
        store.forget();
        finish(t("ended"), "agent");
      } else {
        // A passing outage: the stored chat stays, so trying again (or a reload) resumes it.
        setStatus(tn("cannotStart", { reason: e.message }), "error", { label: t("retry"), run: () => start(answers) });
        if (v.panel.contains(root.activeElement)) v.statusAction.focus();
      }
    }
  }

  function keep(item) {
    if (item.Type === "MESSAGE" || item.Type === "ATTACHMENT") record.set(item.Id, item);
  }

  function finish(text, by, reason) {
    if (ended) return;
    ended = true;
    cancel(bannerTimer);
    bannerTimer = 0;
    cancelEnd();
    setLive(false);
    v.typing.hidden = true;
    store.forget();
    history.clear();
    compose.ended();
    if (cfg.continueChat && contactId) earlier.save(contactId);
    const from = contactId;
    setStatus(text, "ended", { label: t("newChat"), run: () => newChat() },
      cfg.continueChat && from ? { label: t("continueChat"), run: () => newChat(from) } : undefined);
    afterChat();
    // The composer and End are disabled now: focus in the panel goes to what comes next, a new chat.
    if (v.panel.contains(root.activeElement)) v.statusAction.focus();
    host.emit("chat-ended", reason ? { by, reason } : { by });
  }

  /** The site's post-chat message and survey link, as the last card of the transcript. */
  function afterChat() {
    const survey = cfg.surveyUrl && safeUrl(new URL(cfg.surveyUrl, location.href).href);
    if (!cfg.postChatMessage && !survey) return;
    const li = transcript.note([
      cfg.postChatMessage ? el("p", {}, cfg.postChatMessage) : null,
      survey ? el("a", { href: survey, target: "_blank", rel: "noopener" }, t("surveyLink")) : null,
    ]);
    li.className = "post-chat";
    li.setAttribute("part", "post-chat");
  }

  /** A new chat, or (`from`) one continuing the ended contact `from`. */
  function newChat(from) {
    session?.close();
    session = null;
    transcript.clear();
    record.clear();
    toRead.length = 0;
    unread.clear();
    v.downloadButton.disabled = true;
    ended = false;
    setStatus("");
    const going = from ? start({ continueFrom: from }) : begin(true);
    (v.preChat.hidden ? v.input : v.preChat.querySelector("input, select, textarea"))?.focus();
    keepFocus(v.closeButton);
    return going;
  }

  /** Ends the chat with the service; `finish` shows it. */
  async function end() {
    if (!session || ended) return;
    v.endButton.disabled = true;
    try {
      await session.disconnect();
      finish(t("youEnded"), "customer");
    } catch (e) {
      v.endButton.disabled = false;
      transcript.note(tn("cannotEnd", { reason: e.message }));
      host.emit("error", { error: e, during: "end" });
      throw e;
    }
  }

  function askEnd() {
    if (!cfg.confirmEnd) {
      end().catch(() => {});
      return;
    }
    v.confirm.hidden = false;
    v.confirmNo.focus();
  }
  function cancelEnd() {
    if (v.confirm.hidden) return;
    const had = v.confirm.contains(root.activeElement);
    v.confirm.hidden = true;
    if (had) (v.endButton.disabled ? v.closeButton : v.endButton).focus();
  }
  v.endButton.addEventListener("click", askEnd);
  v.confirmNo.addEventListener("click", cancelEnd);
  v.confirmYes.addEventListener("click", () => {
    v.confirm.hidden = true;
    v.closeButton.focus(); // the End button is disabled while the chat ends
    end().catch(() => {});
  });

  function wire(s) {
    s.on("item", (e) => {
      transcript.render(e.detail, true);
      keep(e.detail);
      history.add(e.detail);
      store.touch();
    });
    s.on("send-status", (e) => compose.onStatus(e.detail));
    s.on("message-partial", (e) => {
      v.typing.hidden = true;
      transcript.partial(e.detail);
    });
    const arrived = (item) => {
      host.emit("message", { item });
      if (item.ParticipantRole === "CUSTOMER") return;
      if (!v.typing.hidden) v.typing.hidden = true;
      toRead.push(item.Id);
      if (v.panel.hidden || document.hidden) unread.add(item);
      readSoon();
    };
    s.on("message", (e) => arrived(e.detail));
    s.on("attachment", (e) => arrived(e.detail));
    s.on("typing", (e) => {
      if (e.detail.ParticipantRole === "CUSTOMER") return;
      v.typing.textContent = t("typing", { name: e.detail.DisplayName || t("agent") });
      v.typing.hidden = false;
      cancel(typingTimer);
      typingTimer = later(() => (v.typing.hidden = true), 12_000);
    });
    s.on("delivered", (e) => transcript.mark(e.detail.MessageMetadata?.MessageId, false));
    s.on("read", (e) => transcript.mark(e.detail.MessageMetadata?.MessageId, true));
    // A reconnect usually takes milliseconds: only an outage that lasts is worth a banner.
    s.on("reconnecting", () => {
      if (!bannerTimer && !ended) bannerTimer = later(() => banner(t("reconnecting"), "warning"), 400);
    });
    s.on("connected", () => {
      cancel(bannerTimer);
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
    s.on("error", (e) => host.emit("error", { error: e.detail, during: "session" }));
    s.on("ended", () => finish(t("ended"), "agent"));
    s.on("connection-lost", (e) => finish(tn("disconnected", { reason: e.detail.reason.message }), "disconnected", e.detail.reason.message));
  }

  // On a phone the panel is the whole viewport: the visible part of it, so the on-screen keyboard never
  // covers the composer (100dvh does not shrink for the keyboard everywhere).
  const vv = window.visualViewport;
  if (vv) {
    const fit = () => {
      v.root.style.setProperty("--ccw-viewport-height", `${vv.height}px`);
      v.root.style.setProperty("--ccw-viewport-top", `${vv.offsetTop}px`);
    };
    vv.addEventListener("resize", fit, { signal });
    vv.addEventListener("scroll", fit, { signal });
    fit();
  }

  // The idle time of a stored chat counts from when the customer left the page.
  window.addEventListener("pagehide", () => {
    store.touch(true);
    history.flush();
  }, { signal });

  // A chat in progress before a reload comes back at once (not inside the sign-in popup).
  if (!host.inPopup && store.load()) open();

  return {
    open,
    close,
    /** Starts (or resumes) a chat, after an ended one a new one; resolves once it is live (or once the
     * pre-chat form is shown). */
    start: () => (ended ? newChat() : session ? Promise.resolve() : starting || begin()),
    end,
    setTitle(title) {
      cfg.title = title;
      v.heading.textContent = title || t("title");
      v.panel.setAttribute("aria-label", title || t("title"));
    },
    get session() {
      return session;
    },
    get isOpen() {
      return isOpen();
    },
    get unreadCount() {
      return unread.count;
    },
    /** Everything this widget started stops: the session (sockets, its timers and page listeners), our
     * timers and listeners, the transcript's observer, the title's count. The stored chat stays, so a
     * widget put back on the page resumes it. */
    destroy() {
      life.abort();
      for (const id of timers) clearTimeout(id);
      timers.clear();
      session?.close();
      session = null;
      transcript.dispose?.();
      history.destroy();
      unread.destroy();
    },
  };
}
