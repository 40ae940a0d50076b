/*
 * connect-chat-wasm widget: one <script> tag mounts a launcher button and a chat panel.
 *
 *   <script src="https://unpkg.com/connect-chat-wasm/widget.js"
 *           data-start-chat-url="/api/start-chat"       (your backend: calls StartChatContact)
 *           data-region="eu-west-2"                     (or data-endpoint="https://...")
 *           data-title="Chat with us" data-display-name="Customer"></script>
 *
 * The widget lives in a Shadow DOM (its CSS cannot leak into the page, nor the page's into it), renders
 * every message as text, needs no inline script or style (CSP `script-src 'self' 'wasm-unsafe-eval'`
 * is enough), and resumes the same chat after a page reload.
 */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script) return;
  const base = new URL(".", script.src);
  const cfg = {
    startChatUrl: script.dataset.startChatUrl && new URL(script.dataset.startChatUrl, location.href).href,
    // Relative endpoints resolve against the page ("/" = this origin, e.g. the emulator serving the demo).
    endpoint: script.dataset.endpoint ? new URL(script.dataset.endpoint, location.href).href : undefined,
    region: script.dataset.region || undefined,
    title: script.dataset.title || "Chat with us",
    displayName: script.dataset.displayName || "Customer",
    // The widget ships next to the module it loads (pkg/ here, the package root on a CDN).
    module: script.dataset.module || new URL("connect_chat_wasm.js", base).href,
    storageKey: "connect-chat-wasm-widget",
  };
  const EVENT = "application/vnd.amazonaws.connect.event.";

  // ----- DOM helpers: every piece of text goes through textContent -----
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v == null) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  // A paperclip, drawn as SVG nodes: no font or image needed, nothing for a CSP to block.
  function clip() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "icon");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l8-8a4 4 0 0 0-5.7-5.7l-8.2 8.2a6 6 0 0 0 8.5 8.5l7.1-7.1");
    svg.append(path);
    return svg;
  }
  const time = (iso) => {
    const d = new Date(iso);
    return el("time", { datetime: iso, title: d.toLocaleString() }, d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
  };

  // ----- the widget -----
  const host = el("div", { id: "connect-chat-wasm-widget" });
  const root = host.attachShadow({ mode: "open" });
  const styles = el("link", { rel: "stylesheet", href: new URL("widget.css", base).href });
  const launcher = el("button", { class: "launcher", type: "button", "aria-label": "Open chat", "aria-expanded": "false", "aria-controls": "ccw-panel" });
  launcher.append(el("span", { class: "launcher-icon", "aria-hidden": "true" }));
  const status = el("div", { class: "status", role: "status", hidden: true });
  const log = el("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Messages" });
  const typing = el("div", { class: "typing", hidden: true, "aria-live": "polite" });
  const input = el("textarea", { class: "input", rows: "1", placeholder: "Type a message", "aria-label": "Message", disabled: true });
  const fileInput = el("input", { type: "file", class: "file", tabindex: "-1", "aria-hidden": "true" });
  const attach = el("button", { class: "attach", type: "button", "aria-label": "Attach a file", disabled: true }, clip());
  const send = el("button", { class: "send", type: "submit", "aria-label": "Send", disabled: true }, "Send");
  const form = el("form", { class: "composer" }, attach, input, send, fileInput);
  const endButton = el("button", { class: "end", type: "button", disabled: true }, "End chat");
  const closeButton = el("button", { class: "close", type: "button", "aria-label": "Minimize chat" }, "×");
  const panel = el("section", { id: "ccw-panel", class: "panel", role: "dialog", "aria-label": cfg.title, hidden: true },
    el("header", {}, el("h2", {}, cfg.title), endButton, closeButton),
    status, log, typing, form);
  root.append(styles, launcher, panel);
  // Shown once styled, so the page never sees an unstyled button.
  host.hidden = true;
  styles.addEventListener("load", () => (host.hidden = false));

  let session = null;
  let started = null; // StartChatContact's answer
  let ended = false;
  let typingTimer = 0;
  const mine = new Map(); // our message Id → its <li>, for receipt marks
  const shown = new Set(); // item Ids on screen
  const unread = []; // agent message Ids not yet read

  function setStatus(text, kind) {
    status.hidden = !text;
    status.textContent = text || "";
    status.className = "status" + (kind ? " " + kind : "");
  }
  function setLive(live) {
    for (const c of [input, send, attach, endButton]) c.disabled = !live;
  }
  function note(text) {
    const li = el("li", { class: "note" }, text);
    log.append(li);
    log.scrollTop = log.scrollHeight;
    return li;
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "Close chat");
    if (!session && !ended) start();
    markRead();
    (input.disabled ? closeButton : input).focus();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "Open chat");
    launcher.focus();
  }
  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", (e) => { if (e.key === "Escape") close(); });

  // ----- rendering items -----
  function render(item) {
    if (shown.has(item.Id)) return;
    const type = item.Type;
    const role = item.ParticipantRole || "SYSTEM";
    let body;
    if (type === "MESSAGE") {
      body = el("p", { class: "text" }, item.Content || "");
    } else if (type === "ATTACHMENT") {
      body = el("div", { class: "files" });
      for (const a of item.Attachments || []) {
        body.append(el("button", { type: "button", class: "file-link", onclick: () => download(a) }, clip(), a.AttachmentName));
      }
    } else {
      const what = (item.ContentType || "").replace(EVENT, "");
      const name = item.DisplayName || role.toLowerCase();
      const text = {
        "participant.joined": `${name} joined the chat`,
        "participant.left": `${name} left the chat`,
        "participant.idle": `${name} is idle`,
        "participant.returned": `${name} is back`,
        "transfer.succeeded": "You were transferred",
        "transfer.failed": "The transfer failed",
        "chat.ended": "The chat has ended",
      }[what];
      if (!text) return;
      shown.add(item.Id);
      note(text);
      return;
    }
    shown.add(item.Id);
    const li = el("li", { class: "msg " + role.toLowerCase(), "data-id": item.Id },
      el("div", { class: "meta" }, el("span", { class: "who" }, item.DisplayName || role), time(item.AbsoluteTime)),
      body);
    if (role === "CUSTOMER") {
      li.append(el("span", { class: "receipt", "aria-label": "Sent" }, "✓"));
      mine.set(item.Id, li);
      // From the transcript (after a reload) the receipts come inside the message itself.
      for (const r of (item.MessageMetadata && item.MessageMetadata.Receipts) || []) {
        mark({ MessageMetadata: { MessageId: item.Id } }, !!r.ReadTimestamp);
      }
    } else {
      unread.push(item.Id);
    }
    // Keep the transcript in AbsoluteTime order even if items arrive out of order.
    const after = [...log.querySelectorAll("li.msg")].find((o) => o.querySelector("time").dateTime > item.AbsoluteTime);
    log.insertBefore(li, after || null);
    log.scrollTop = log.scrollHeight;
  }

  function mark(item, read) {
    const li = mine.get(item.MessageMetadata && item.MessageMetadata.MessageId);
    if (!li) return;
    const r = li.querySelector(".receipt");
    if (r.classList.contains("read")) return; // read outranks delivered, whatever the arrival order
    r.textContent = "✓✓";
    r.className = "receipt " + (read ? "read" : "delivered");
    r.setAttribute("aria-label", read ? "Read" : "Delivered");
  }

  function markRead() {
    if (!session || panel.hidden || document.hidden) return;
    while (unread.length) session.sendReadReceipt(unread.shift());
  }
  document.addEventListener("visibilitychange", markRead);

  async function download(a) {
    try {
      const blob = await session.downloadAttachment(a.AttachmentId);
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: a.AttachmentName });
      root.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      note(`Could not download ${a.AttachmentName}: ${e.message}`);
    }
  }

  async function sendFiles(files) {
    for (const file of files) {
      const progress = note(`Sending ${file.name}…`);
      try {
        await session.sendAttachment(file);
        progress.remove(); // the attachment itself now shows in the transcript
      } catch (e) {
        progress.textContent = `Could not send ${file.name}: ${e.message}`;
      }
    }
  }

  // ----- the chat -----
  async function start() {
    setStatus("Connecting…");
    try {
      const mod = await import(cfg.module);
      await mod.default();
      started = JSON.parse(sessionStorage.getItem(cfg.storageKey) || "null");
      if (!started) {
        if (!cfg.startChatUrl) throw new Error("data-start-chat-url is missing");
        const res = await fetch(cfg.startChatUrl, {
          method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ DisplayName: cfg.displayName }),
        });
        if (!res.ok) throw new Error(`the chat service answered ${res.status}`);
        started = await res.json();
        sessionStorage.setItem(cfg.storageKey, JSON.stringify(started));
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
      for (const item of (history && history.Transcript) || []) render(item);
      setStatus("");
      setLive(true);
      if (!panel.hidden) input.focus();
      markRead();
    } catch (e) {
      session = null;
      sessionStorage.removeItem(cfg.storageKey);
      setStatus(`The chat could not start: ${e.message}`, "error");
    }
  }

  function finish(text) {
    ended = true;
    setLive(false);
    typing.hidden = true;
    setStatus(text, "ended");
    sessionStorage.removeItem(cfg.storageKey);
  }

  function wire(s) {
    s.on("item", (e) => render(e.detail));
    s.on("message", (e) => {
      if (e.detail.ParticipantRole !== "CUSTOMER") {
        typing.hidden = true;
        markRead();
      }
    });
    s.on("typing", (e) => {
      if (e.detail.ParticipantRole === "CUSTOMER") return;
      typing.textContent = `${e.detail.DisplayName || "Agent"} is typing…`;
      typing.hidden = false;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => (typing.hidden = true), 12_000);
    });
    s.on("delivered", (e) => mark(e.detail, false));
    s.on("read", (e) => mark(e.detail, true));
    // A reconnect usually takes milliseconds: only an outage that lasts is worth a banner.
    let bannerTimer = 0;
    s.on("reconnecting", () => {
      if (!bannerTimer) bannerTimer = setTimeout(() => setStatus("Connection lost. Reconnecting…", "warning"), 400);
    });
    s.on("connected", () => {
      clearTimeout(bannerTimer);
      bannerTimer = 0;
      setStatus("");
    });
    s.on("ended", () => finish("The chat has ended."));
    s.on("connection-lost", (e) => finish(`The chat was disconnected: ${e.detail.reason.message}`));
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || !session) return;
    input.value = "";
    try {
      await session.sendMessage(text);
    } catch (err) {
      input.value = text;
      note(`Not sent: ${err.message}`);
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
  panel.addEventListener("dragover", (e) => { if (session && !ended) { e.preventDefault(); panel.classList.add("dropping"); } });
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
      finish("You ended the chat.");
    } catch (e) {
      endButton.disabled = false;
      note(`Could not end the chat: ${e.message}`);
    }
  });

  const mount = () => {
    document.body.append(host);
    // A chat in progress before a reload comes back at once.
    if (sessionStorage.getItem(cfg.storageKey)) open();
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
