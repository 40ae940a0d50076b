// The test page of tests/e2e/tabs.test.mjs: the chat whose participant token is this page's fragment,
// shared across tabs. `window.tab` is what the test reads: every item as it came (Id, Content), and the
// sockets this tab opened (counted by wrapping WebSocket, for the test only).
import init, { ChatSession } from "./pkg/connect_chat_wasm.js";

const $ = (id) => document.getElementById(id);
const tab = (window.tab = { items: [], sockets: [], state: "idle" });
const Native = WebSocket;
window.WebSocket = class extends Native {
  constructor(...args) {
    super(...args);
    tab.sockets.push(this);
    this.addEventListener("open", () => (tab.openedAt = Date.now()));
  }
};
/** Whether this tab holds an open socket (it leads). */
tab.leads = () => tab.sockets.some((s) => s.readyState === Native.OPEN);

const token = decodeURIComponent(location.hash.slice(1));
if (token) {
  await init();
  // `?goodbye`: closing the last of these tabs disconnects the customer (tests/e2e/goodbye.test.mjs);
  // `?alone`: a tab on its own (tests/e2e/outbox-library.test.mjs).
  const query = new URLSearchParams(location.search);
  const disconnectOnClose = query.has("goodbye");
  const shareAcrossTabs = !query.has("alone");
  const session = new ChatSession({
    participantToken: token, endpoint: location.origin, persist: "tabs-demo", shareAcrossTabs, disconnectOnClose,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 }, retry: { initialDelayMs: 20, maxDelayMs: 200 },
  });
  /** What the customer types: `sendMessage`, whose Promise a reload may outlive (the outbox keeps it). */
  tab.send = (text) => session.sendMessage(text).catch((e) => console.warn("send failed", e.name, e.message));
  tab.pending = () => session.pending.length;
  const show = () => {
    tab.state = $("state").textContent = session.state;
    $("socket").textContent = tab.leads() ? "open (this tab leads)" : "none (this tab follows)";
    $("count").textContent = String(tab.items.length);
  };
  for (const type of ["connected", "reconnecting", "renewed", "ended", "connection-lost"]) session.on(type, show);
  session.on("item", ({ detail }) => {
    tab.items.push({ id: detail.Id, type: detail.Type, content: detail.Content });
    show();
  });
  session.on("error", ({ detail }) => console.warn("chat error", detail.name, detail.message));
  // connect() rejects when the service cannot be reached (after four tries); the chat and what its outbox
  // holds stay for the next connect(), which this page makes a second later (as the widget's "Try again").
  for (;;) {
    try {
      await session.connect();
      break;
    } catch (e) {
      console.warn("could not connect; trying again", e.name);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  show();
  setInterval(show, 250);
}
