// The API on its own (no widget): a customer chat through connect-chat-wasm, and an "agent" that answers through the
// emulator's control API. Served by the emulator, so the service endpoint is this page's origin.
import init, { ChatSession } from "./pkg/connect_chat_wasm.js";

const endpoint = location.origin;
const $ = (id) => document.getElementById(id);
let session = null;
let contactId = null;

function show(item) {
  if (item.Type !== "MESSAGE" && item.Type !== "EVENT" && !item.Type.startsWith("PARTICIPANT")) return;
  if (item.ContentType?.endsWith(".typing")) return;
  const li = document.createElement("li");
  li.className = item.ParticipantRole || "SYSTEM";
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = item.DisplayName || item.ParticipantRole || "";
  const text = document.createElement("span");
  // Text only: message content is never parsed as HTML.
  text.textContent = item.Type === "MESSAGE" ? item.Content : item.ContentType.split(".").slice(-2).join(" ");
  const time = document.createElement("time");
  time.dateTime = item.AbsoluteTime;
  time.textContent = new Date(item.AbsoluteTime).toLocaleTimeString();
  li.append(who, text, time);
  $("transcript").append(li);
  li.scrollIntoView({ block: "end" });
}

function setState() {
  $("state").textContent = session ? session.state : "idle";
  const live = session?.state === "connected";
  for (const id of ["message", "send", "agent-message", "agent-send", "agent-end"]) $(id).disabled = !live;
}

async function control(path, body) {
  const res = await fetch(`${endpoint}/emulator/contacts/${contactId}/${path}`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
}

$("start").addEventListener("click", async () => {
  $("start").disabled = true;
  try {
    await init();
    const res = await fetch(`${endpoint}/emulator/start-chat`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ DisplayName: "Customer" }),
    });
    const started = await res.json();
    contactId = started.ContactId;
    session = new ChatSession({ participantToken: started.ParticipantToken, endpoint });
    for (const type of ["connected", "reconnecting", "renewed", "ended", "connection-lost"]) session.on(type, setState);
    session.on("item", (e) => show(e.detail));
    session.on("error", (e) => console.warn("chat error", e.detail));
    await session.connect();
    setState();
    $("message").focus();
  } catch (e) {
    $("state").textContent = `could not start: ${e.name}: ${e.message}`;
    $("start").disabled = false;
  }
});

$("send-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = $("message").value.trim();
  if (!text) return;
  $("message").value = "";
  await session.sendMessage(text).catch((err) => console.warn(err));
});

$("agent-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = $("agent-message").value.trim();
  if (!text) return;
  $("agent-message").value = "";
  await control("messages", { Content: text, DisplayName: "Agent" });
});

$("agent-end").addEventListener("click", () =>
  control("events", { ContentType: "application/vnd.amazonaws.connect.event.chat.ended" }).then(setState));
