/*
 * connect-chat-wasm widget: one <script> tag mounts a launcher button and a chat panel.
 *
 *   <script src="https://unpkg.com/connect-chat-wasm/widget.js"
 *           data-start-chat-url="/api/start-chat"       (your backend: calls StartChatContact)
 *           data-region="eu-west-2"                     (or data-endpoint="https://...")
 *           data-title="Chat with us" data-display-name="Customer"></script>
 *
 * This is the bundle's entry (scripts/build-widget.mjs builds widget.js from widget/): it reads the
 * tag's data-* attributes and mounts the widget (chat.js).
 */
import { POPUP_NAME } from "./auth.js";
import { mount } from "./chat.js";

const script = document.currentScript;
// Inside the sign-in popup (its redirect page may be this very site) no second chat starts.
if (script && window.name !== POPUP_NAME) {
  const data = script.dataset;
  const base = new URL(".", script.src);
  const resolve = (url) => url && new URL(url, location.href).href;
  const minutes = (value, fallback) => {
    const n = Number(value);
    if (value !== undefined && !(n > 0)) console.warn(`connect-chat-wasm widget: ${value} is not a number of minutes; using ${fallback}`);
    return n > 0 ? n : fallback;
  };
  let strings = {};
  try {
    strings = JSON.parse(data.strings || "{}");
  } catch {
    console.warn("connect-chat-wasm widget: data-strings is not JSON; using the default strings");
  }
  mount({
    startChatUrl: resolve(data.startChatUrl),
    // Relative endpoints resolve against the page ("/" = this origin, e.g. the emulator serving the demo).
    endpoint: resolve(data.endpoint) || undefined,
    region: data.region || undefined,
    title: data.title || "Chat with us",
    displayName: data.displayName || "Customer",
    // The widget ships next to the module it loads (pkg/ here, the package root on a CDN).
    module: data.module || new URL("connect_chat_wasm.js", base).href,
    stylesheet: new URL("widget.css", base).href,
    storageKey: "connect-chat-wasm-widget",
    // A reload resumes the chat (its StartChatContact answer kept in sessionStorage) unless
    // data-resume="off"; a stored chat is forgotten after data-resume-idle-minutes away from the page
    // (30) or data-chat-duration-minutes (1500, StartChatContact's default ChatDurationInMinutes).
    resume: data.resume !== "off",
    resumeIdleMinutes: minutes(data.resumeIdleMinutes, 30),
    chatDurationMinutes: minutes(data.chatDurationMinutes, 1500),
    // Where the identity provider sends the customer after signing in (registered with it).
    authRedirectUri: resolve(data.authRedirectUri) || location.href,
    locale: data.lang || document.documentElement.lang || navigator.language || "en",
    strings,
  });
}
