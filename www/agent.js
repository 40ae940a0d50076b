// The agent console of the demo: lists the emulator's chats and answers one as the agent. It uses the
// same library as the customer's widget, with the agent participant's token (the emulator exposes it).
import init, { ChatSession } from "./pkg/connect_chat_wasm.js";
import { SAMPLES, STREAMED, storesPage } from "./samples.js";

const $ = (id) => document.getElementById(id);
const EVENT = "application/vnd.amazonaws.connect.event.";
const INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive";
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
    const role = { AGENT: "agent", SYSTEM: "system" }[item.ParticipantRole] || "customer";
    const li = el("li", role, el("span", "who", item.DisplayName || item.ParticipantRole));
    if (item.Type === "MESSAGE") li.append(...describe(item));
    for (const a of item.Attachments || []) {
      if (a.Status === "REJECTED" || a.Status === "IN_PROGRESS") {
        li.append(el("span", "text", `Attachment: ${a.AttachmentName} (${a.Status === "REJECTED" ? "blocked by the scan" : "being scanned"})`));
        continue;
      }
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
    const text = {
      "participant.joined": "joined", "participant.left": "left", "chat.ended": "The chat has ended",
      "authentication.initiated": "Sign-in requested", "authentication.succeeded": "The customer signed in",
      "authentication.failed": "The customer's sign-in failed", "authentication.cancelled": "The customer chose not to sign in",
      "authentication.timeout": "The sign-in timed out", "authentication.expired": "The sign-in expired",
    }[what];
    if (!text) return;
    shown.add(item.Id);
    const whole = what === "chat.ended" || what.startsWith("authentication.");
    log.append(el("li", "note", whole ? text : `${item.DisplayName || item.ParticipantRole} ${text}`));
  }
  log.scrollTop = log.scrollHeight;
}

/** What the agent sees of a message: templates and answers summarised, everything else as text. */
function describe(item) {
  const template = ChatSession.parseInteractive(item);
  if (template) return [el("span", "kind", template.templateType), el("span", "text", template.content.title || "(step-by-step guide)")];
  if (item.ContentType === `${INTERACTIVE}.response`) {
    const answer = JSON.parse(item.Content);
    return [el("span", "kind", "answer"), el("span", "text", answer.action || item.Content)];
  }
  if (item.ContentType === "text/markdown") return [el("span", "kind", "markdown"), el("span", "text", item.Content)];
  return [el("span", "text", item.Content)];
}

/** The demo's flow: a customer paging through the store list gets the other page. */
function flow(item) {
  if (item.ParticipantRole !== "CUSTOMER" || item.ContentType !== `${INTERACTIVE}.response`) return;
  const answer = JSON.parse(item.Content);
  if (answer.data?.listId !== "stores") return;
  bot(storesPage(answer.action === "SHOW_MORE" ? 1 : 0));
}

async function control(path, body) {
  if (!current) return;
  const res = await fetch(`/emulator/contacts/${current.contactId}/${path}`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  if (!res.ok) alert(`${path}: ${res.status} ${await res.text()}`);
}

/** A message from the bot (ParticipantRole SYSTEM). */
const bot = (content, contentType = INTERACTIVE) => control("messages", { Content: content, ContentType: contentType, ParticipantRole: "SYSTEM" });

for (const sample of SAMPLES) {
  const b = el("button", "", sample.label);
  b.type = "button";
  b.addEventListener("click", () => bot(typeof sample.content === "function" ? sample.content() : sample.content, sample.contentType));
  $("samples").append(b);
}
$("stream").addEventListener("click", () => control("stream", STREAMED));
$("auth").addEventListener("click", () => control("authentication", {}));
$("scan").addEventListener("change", () => control("scan", { Status: $("scan").value }));

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
  // The contact attributes the chat was started with (a pre-chat form's answers), as text.
  const attributes = Object.entries(c.Attributes || {});
  $("attributes").hidden = attributes.length === 0;
  $("attributes").replaceChildren(...attributes.flatMap(([k, v]) => [el("dt", "", k), el("dd", "", v)]));
  await init();
  const session = new ChatSession({ participantToken: c.AgentParticipantToken, participantId: c.AgentParticipantId, endpoint: location.origin });
  current = { contactId: c.ContactId, session };
  const state = () => ($("state").textContent = session.state);
  for (const t of ["connected", "reconnecting", "ended", "connection-lost"]) session.on(t, state);
  session.on("item", (e) => {
    render(e.detail);
    flow(e.detail);
  });
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
