// The composer: the text box, Send, Attach and drag-and-drop. Each message the customer sends shows at
// once with its status (sending, then sent, delivered, read; or failed, with a retry that sends the same
// text again), so nothing typed is lost and nothing is shown twice: the bubble becomes the message's own
// when the service confirms it (transcript.js). Its listeners go with `signal` (the widget's life).

export function composer({ v, tn, transcript, session, signal, onError }) {
  const { input, send, attach, form, fileInput, panel } = v;

  async function deliver(text, bubble) {
    const s = session();
    if (!s) {
      transcript.failed(bubble, () => deliver(text, bubble));
      return;
    }
    try {
      transcript.settle(bubble, await s.sendMessage(text));
    } catch (err) {
      transcript.failed(bubble, () => deliver(text, bubble), err);
      onError(err, "send");
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
    setLive(live) {
      for (const c of [input, send, attach]) c.disabled = !live;
    },
    /** The chat is over: messages still sending can no longer go. */
    ended() {
      transcript.failPending();
    },
  };
}
