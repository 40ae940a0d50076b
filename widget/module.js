// connect-chat-wasm widget as an ES module: `import "connect-chat-wasm/widget"` defines <connect-chat>
// (and mounts nothing: the page writes the element). Built by scripts/build-widget.mjs into
// pkg/widget.mjs; the library, the stylesheet and the languages' strings are referenced relative to this
// module, in forms every bundler follows (`import("./…")`, `new URL("./…", import.meta.url)`), so they
// come out as chunks and assets of the app.
import { configure, define, ConnectChat } from "./element.js";

const LOCALES = {
  ar: () => import("./locales/ar.js"),
  de: () => import("./locales/de.js"),
  es: () => import("./locales/es.js"),
  fr: () => import("./locales/fr.js"),
  he: () => import("./locales/he.js"),
  id: () => import("./locales/id.js"),
  it: () => import("./locales/it.js"),
  ja: () => import("./locales/ja.js"),
  ko: () => import("./locales/ko.js"),
  "pt-BR": () => import("./locales/pt-BR.js"),
  "zh-CN": () => import("./locales/zh-CN.js"),
  "zh-TW": () => import("./locales/zh-TW.js"),
};

configure({
  library: () => import("./connect_chat_wasm.js"),
  preconnect: () => import("./preconnect.js"),
  locale: (tag) => LOCALES[tag](),
  stylesheet: new URL("./widget.css", import.meta.url).href,
});
define();

export { ConnectChat };
