// The element's configuration, read from its attributes (the one-tag embed copies its data-* attributes
// onto the element, so both spell the same names). Bad values never throw: each is reported through
// `warn` (the element turns it into an `error` event and a console warning) and its default is used.

const minutes = (value, fallback, name, warn) => {
  if (value === null) return fallback;
  const n = Number(value);
  if (n > 0) return n;
  warn(`${name}="${value}" is not a number of minutes; using ${fallback}`);
  return fallback;
};

function json(value, name, fallback, check, warn) {
  if (value === null) return fallback;
  try {
    const parsed = JSON.parse(value);
    if (check(parsed)) return parsed;
  } catch {
    // reported below
  }
  warn(`${name} is not ${check.what}; ignoring it`);
  return fallback;
}
const isObject = Object.assign((v) => v !== null && typeof v === "object" && !Array.isArray(v), { what: "a JSON object" });
const isFields = Object.assign((v) => Array.isArray(v) && v.every((f) => isObject(f) && typeof f.name === "string" && f.name !== ""),
  { what: 'a JSON array of fields ({ "name", "label"?, "type"?, "required"?, "options"? })' });

/** Relative URLs resolve against the page ("/" = this origin, e.g. the emulator serving the demo). */
const resolve = (url) => (url ? new URL(url, location.href).href : undefined);

const on = (value) => value !== null && value !== "off" && value !== "false";

/** `disconnect-on-close`: off, on (the worker beside the library), or the worker's URL. */
const goodbye = (value) => on(value) && (["", "on", "true"].includes(value) || resolve(value));

/** `el`'s configuration; `defaults` holds what the entry knows (the library's and stylesheet's URLs). */
export function readConfig(el, defaults, warn) {
  const a = (name) => el.getAttribute(name);
  const storageKey = a("storage-key") || (el.id && el.id !== "connect-chat-wasm-widget" ? `connect-chat-wasm-widget:${el.id}` : "connect-chat-wasm-widget");
  return {
    startChatUrl: resolve(a("start-chat-url")),
    endpoint: resolve(a("endpoint")),
    region: a("region") || undefined,
    title: a("title") || "",
    displayName: a("display-name") || "Customer",
    lang: a("lang") || document.documentElement.lang || navigator.language || "en",
    module: resolve(a("module")) || defaults.module,
    stylesheet: resolve(a("stylesheet")) || defaults.stylesheet,
    storageKey,
    // A reload resumes the chat (its StartChatContact answer kept in sessionStorage) unless resume="off";
    // a stored chat is forgotten after resume-idle-minutes away from the page (30) or
    // chat-duration-minutes (1500, StartChatContact's default ChatDurationInMinutes).
    resume: a("resume") !== "off",
    resumeIdleMinutes: minutes(a("resume-idle-minutes"), 30, "resume-idle-minutes", warn),
    chatDurationMinutes: minutes(a("chat-duration-minutes"), 1500, "chat-duration-minutes", warn),
    // Where the identity provider sends the customer after signing in (registered with it).
    authRedirectUri: resolve(a("auth-redirect-uri")) || location.href,
    strings: json(a("strings"), "strings", {}, isObject, warn),
    preChat: json(a("pre-chat-fields"), "pre-chat-fields", [], isFields, warn),
    postChatMessage: a("post-chat-message") || "",
    surveyUrl: a("survey-url") || "",
    confirmEnd: a("confirm-end") !== "off",
    sound: on(a("sound")),
    notifications: on(a("notifications")),
    // The site's start-chat backend continues an ended contact (persistent chat) when the widget sends
    // its SourceContactId: offer "Continue the previous conversation".
    continueChat: on(a("continue-chat")),
    // Closing the last tab of the chat ends it for the agent (not a reload, nor the back button). A value
    // other than on/true is where this site serves goodbye-worker.js (a widget from a CDN: a service
    // worker must come from the page's own origin).
    disconnectOnClose: goodbye(a("disconnect-on-close")),
  };
}
