// What both benchmark pages (page.js, isolated.js) do alike: read the chat from the URL and load chatjs
// pointed at the emulator. No side effects on import: isolated.js installs its fake WebSocket first.

/** ?lib=, ?endpoint= and the chat (contactId, participantId, token) the runner started. */
export function fromUrl() {
  const P = new URLSearchParams(location.search);
  return {
    P,
    lib: P.get("lib"),
    endpoint: P.get("endpoint"),
    chat: { contactId: P.get("contactId"), participantId: P.get("participantId"), participantToken: P.get("token") },
  };
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = reject;
    document.head.append(s);
  });
}

/** amazon-connect-chatjs loaded and a customer session created for `chat` against `endpoint` (no
 * metrics sent elsewhere); `loaded()` is called once its script has run. */
export async function chatjsSession(chat, endpoint, loaded = () => {}) {
  await loadScript("./chatjs/amazon-connect-chat.js");
  loaded();
  const c = window.connect;
  c.ChatSession.setGlobalConfig({ region: "us-west-2", endpoint, loggerConfig: { level: c.ChatSession.LogLevel.ERROR } });
  return c.ChatSession.create({ chatDetails: chat, type: c.ChatSession.SessionTypes.CUSTOMER, options: { region: "us-west-2" }, disableCSM: true });
}

/** What any client must do to receive a chat, with no library (the floor): CreateParticipantConnection with
 * `fetch`, a WebSocket, the `aws/chat` subscription. Resolves with the socket once it is acknowledged. */
export async function bareSocket(endpoint, participantToken) {
  const res = await fetch(`${endpoint}/participant/connection`, {
    method: "POST",
    headers: { "X-Amz-Bearer": participantToken, "Content-Type": "application/json" },
    body: JSON.stringify({ Type: ["WEBSOCKET", "CONNECTION_CREDENTIALS"] }),
  });
  const { Websocket } = await res.json();
  const ws = new WebSocket(Websocket.Url);
  await new Promise((resolve, reject) => {
    ws.onerror = reject;
    ws.onopen = () => ws.send(JSON.stringify({ topic: "aws/subscribe", content: { topics: ["aws/chat"] } }));
    ws.onmessage = (e) => JSON.parse(e.data).topic === "aws/subscribe" && resolve();
  });
  return ws;
}
