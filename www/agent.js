// The agent console of the demo: lists the emulator's chats and answers one as the agent. It uses the
// same library as the customer's widget, with the agent participant's token (the emulator exposes it).
import init, { ChatSession } from "./pkg/connect_chat_wasm.js";

const $ = (id) => document.getElementById(id);
const EVENT = "application/vnd.amazonaws.connect.event.";
let current = null; // { contactId, session }
const shown = new Set();

function el(tag, cls, ...children) {
  const n = document.createElement(tag);
  if (cls) n.className = cls;
  for (const c of children) n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return n;
}

async function refresh() {
  const res = await fetch("/emulator/contacts").catch(() => null);
  if (!res || !res.ok) return;
  const { Contacts } = await res.json();
  const list = $("contacts");
  if (!Contacts.length) return;
  list.replaceChildren(...Contacts.map((c) => {
    const b = el("button", c.Ended ? "ended" : "", `${c.CustomerName || "Customer"} · ${new Date(c.StartedAt).toLocaleTimeString()}${c.Ended ? " (ended)" : ""}`);
    b.type = "button";
    b.dataset.contactId = c.ContactId;
    b.setAttribute("aria-current", String(current?.contactId === c.ContactId));
    b.addEventListener("click", () => openChat(c));
    return el("li", "", b);
  }));
}

function render(item) {
  if (shown.has(item.Id)) return;
  const log = $("log");
  if (item.Type === "MESSAGE" || item.Type === "ATTACHMENT") {
    shown.add(item.Id);
    const li = el("li", item.ParticipantRole === "AGENT" ? "agent" : "customer", el("span", "who", item.DisplayName || item.ParticipantRole));
    if (item.Type === "MESSAGE") li.append(el("span", "text", item.Content));
    for (const a of item.Attachments || []) {
      const b = el("button", "file", `Attachment: ${a.AttachmentName}`);
      b.type = "button";
      b.addEventListener("click", () => download(a));
      li.append(b);
    }
    const t = el("time", "", new Date(item.AbsoluteTime).toLocaleTimeString());
    t.dateTime = item.AbsoluteTime;
    li.append(t);
    li.dataset.id = item.Id;
    log.append(li);
  } else if (item.ContentType?.startsWith(EVENT)) {
    const what = item.ContentType.slice(EVENT.length);
    const text = { "participant.joined": "joined", "participant.left": "left", "chat.ended": "The chat has ended" }[what];
    if (!text) return;
    shown.add(item.Id);
    log.append(el("li", "note", what === "chat.ended" ? text : `${item.DisplayName || item.ParticipantRole} ${text}`));
  }
  log.scrollTop = log.scrollHeight;
}

async function download(a) {
  const blob = await current.session.downloadAttachment(a.AttachmentId);
  const link = el("a");
  link.href = URL.createObjectURL(blob);
  link.download = a.AttachmentName;
  link.click();
}

function markReceipt(item, label) {
  const li = $("log").querySelector(`li[data-id="${CSS.escape(item.MessageMetadata?.MessageId || "")}"]`);
  if (!li) return;
  (li.querySelector(".mark") || li.appendChild(el("span", "mark"))).textContent = label;
}

async function openChat(c) {
  current?.session.close();
  shown.clear();
  $("log").replaceChildren();
  $("chat").hidden = false;
  $("chat-title").textContent = c.CustomerName || "Customer";
  await init();
  const session = new ChatSession({ participantToken: c.AgentParticipantToken, participantId: c.AgentParticipantId, endpoint: location.origin });
  current = { contactId: c.ContactId, session };
  const state = () => ($("state").textContent = session.state);
  for (const t of ["connected", "reconnecting", "ended", "connection-lost"]) session.on(t, state);
  session.on("item", (e) => render(e.detail));
  session.on("message", (e) => {
    if (e.detail.ParticipantRole === "CUSTOMER") {
      $("typing").hidden = true;
      session.sendReadReceipt(e.detail.Id);
    }
  });
  session.on("typing", (e) => {
    if (e.detail.ParticipantRole !== "CUSTOMER") return;
    $("typing").textContent = `${e.detail.DisplayName} is typing…`;
    $("typing").hidden = false;
    clearTimeout(openChat.typingTimer);
    openChat.typingTimer = setTimeout(() => ($("typing").hidden = true), 12_000);
  });
  session.on("read", (e) => markReceipt(e.detail, "✓✓ read"));
  session.on("delivered", (e) => markReceipt(e.detail, "✓✓"));
  try {
    await session.connect();
    const history = await session.getTranscript({ scanDirection: "BACKWARD", sortOrder: "ASCENDING", maxResults: 100 });
    history.Transcript.forEach(render);
  } catch (e) {
    $("state").textContent = `${e.name}: ${e.message}`;
  }
  state();
  refresh();
  $("text").focus();
}

$("composer").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = $("text").value.trim();
  if (!text || !current) return;
  $("text").value = "";
  await current.session.sendMessage(text).catch((err) => alert(err.message));
});
$("text").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) {
    e.preventDefault();
    $("composer").requestSubmit();
  }
});
$("text").addEventListener("input", () => current?.session.sendTyping().catch(() => {}));
$("file").addEventListener("change", async () => {
  const file = $("file").files[0];
  $("file").value = "";
  if (file && current) await current.session.sendAttachment(file).catch((err) => alert(err.message));
});
$("end").addEventListener("click", async () => {
  if (!current) return;
  await fetch(`/emulator/contacts/${current.contactId}/events`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ ContentType: `${EVENT}chat.ended` }),
  });
  refresh();
});

refresh();
setInterval(refresh, 2000);
