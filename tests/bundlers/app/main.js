// A plain app (built by Vite and by webpack 5 in the tests) that uses the package the way its README
// says: import, init, connect, listen.
import init, { ChatSession } from "connect-chat-wasm";

const endpoint = new URLSearchParams(location.search).get("endpoint") ?? location.origin;
const state = document.getElementById("state");

await init();
const started = await (await fetch(`${endpoint}/emulator/start-chat`, { method: "POST", body: "{}" })).json();
const session = new ChatSession({ participantToken: started.ParticipantToken, endpoint });
session.on("message", (e) => {
  const li = document.createElement("li");
  li.textContent = e.detail.Content;
  document.getElementById("messages").append(li);
});
await session.connect();
state.textContent = session.state;
state.dataset.contactId = started.ContactId;
