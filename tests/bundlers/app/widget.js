// The element, as the README says a bundler app uses it: one import defines <connect-chat>.
import "connect-chat-wasm/widget";

const chat = document.getElementById("chat");
chat.addEventListener("chat-started", (e) => (document.body.dataset.contactId = e.detail.contactId));
