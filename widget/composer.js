// The composer: the text box, Send, Attach and drag-and-drop. Each message the customer sends shows at
// once with its status (sending, then sent, delivered, read; or failed, with a retry that sends the same
// text again), so nothing typed is lost and nothing is shown twice: the bubble becomes the message's own
// when the service confirms it (transcript.js). Its listeners go with `signal` (the widget's life).

export function composer({ v, tn, transcript, session, signal, onError }) {
  const { input, send, attach, form, fileInput, panel } = v;

  /** The library's outbox names each send by its ClientToken (`send-status`): token → { bubble, restored }.
   * `claim` is the bubble whose send is being made (its first `queued` status comes during the call). */
  const sends = new Map();
  let claim = null;

  /** Sends `text` (or, given the `clientToken` of a send the library's outbox keeps after it finally
   * failed, tries that one again: a new sendMessage would be a second send, the first left listed). */
  async function deliver(text, bubble, clientToken) {
    const s = session();
    if (!s) {
      transcript.failed(bubble, () => deliver(text, bubble, clientToken));
      return;
    }
    try {
      claim = bubble;
      const sent = clientToken ? s.retryPending(clientToken) : s.sendMessage(text);
      claim = null;
      transcript.settle(bubble, await sent);
    } catch (err) {
      // The outbox lists a failed send under its token; one it no longer knows is sent anew.
      const again = err?.clientToken && s.pending?.some((p) => p.clientToken === err.clientToken) ? err.clientToken : undefined;
      transcript.failed(bubble, () => deliver(text, bubble, again), err);
      onError(err, "send");
    } finally {
      claim = null;
    }
  }

  /** A send's status from the outbox: one waiting (the connection is down, or its last try failed and it
   * will be tried again) is greyed; a send restored after a reload settles or fails here (no Promise). */
  function onStatus({ clientToken, status, id, error }) {
    let entry = sends.get(clientToken);
    if (!entry && claim && status === "queued") sends.set(clientToken, (entry = { bubble: claim }));
    if (!entry) return;
    const s = session();
    if (status === "queued") transcript.waiting(entry.bubble, !!error || s?.state !== "connected");
    else if (status === "sending") transcript.waiting(entry.bubble, false);
    else {
      sends.delete(clientToken);
      if (!entry.restored) return; // its Promise tells the rest
      if (status === "sent" && id) transcript.settle(entry.bubble, { Id: id, AbsoluteTime: new Date().toISOString() });
      else if (status === "failed") transcript.failed(entry.bubble, () => deliver(entry.text, entry.bubble, clientToken), error);
    }
  }

  /** What the outbox kept from before a reload: shown as the customer left it, sent by the library. */
  function restore(pending) {
    for (const p of pending || []) {
      if (!p.contentType?.startsWith("text/") || typeof p.content !== "string") continue;
      const bubble = transcript.pending(p.content);
      sends.set(p.clientToken, { bubble, restored: true, text: p.content });
      if (p.status === "failed") transcript.failed(bubble, () => deliver(p.content, bubble, p.clientToken), p.error);
      else transcript.waiting(bubble, true);
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || !session()) return;
    input.value = "";
    transcript.following = true; // what the customer sends is shown, wherever they had scrolled
    deliver(text, transcript.pending(text));
  }, { signal });
  input.addEventListener("keydown", (e) => {
    // Enter sends; Shift+Enter is a new line, and Enter while an IME composes a word is the IME's.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  }, { signal });
  input.addEventListener("input", () => {
    const s = session();
    if (s && input.value) s.sendTyping().catch(() => {});
  }, { signal });

  async function sendFiles(files) {
    for (const file of files) {
      const progress = transcript.note(tn("sending", { name: file.name }));
      try {
        await session().sendAttachment(file);
        transcript.remove(progress); // the attachment itself now shows in the transcript
      } catch (e) {
        progress.replaceChildren(...tn("notSentFile", { name: file.name, reason: e.message }));
        onError(e, "attachment");
      }
    }
  }
  attach.addEventListener("click", () => fileInput.click(), { signal });
  fileInput.addEventListener("change", () => {
    sendFiles([...fileInput.files]);
    fileInput.value = "";
  }, { signal });
  panel.addEventListener("dragover", (e) => {
    if (session() && !input.disabled) {
      e.preventDefault();
      panel.classList.add("dropping");
    }
  }, { signal });
  panel.addEventListener("dragleave", () => panel.classList.remove("dropping"), { signal });
  panel.addEventListener("drop", (e) => {
    e.preventDefault();
    panel.classList.remove("dropping");
    if (session() && !input.disabled) sendFiles([...e.dataTransfer.files]);
  }, { signal });

  return {
    onStatus,
    restore,
    setLive(live) {
      for (const c of [input, send, attach]) c.disabled = !live;
    },
    /** The chat is over: messages still sending can no longer go. */
    ended() {
      transcript.failPending();
    },
  };
}
