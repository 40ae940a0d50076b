/*
 * connect-chat-wasm widget, the one-tag embed: this script defines <connect-chat> and mounts one from its
 * own data-* attributes (each becomes the element's attribute of the same name: data-start-chat-url →
 * start-chat-url).
 *
 *   <script src="https://unpkg.com/connect-chat-wasm/widget.js"
 *           data-start-chat-url="/api/start-chat"       (your backend: calls StartChatContact)
 *           data-region="eu-west-2"                     (or data-endpoint="https://...")
 *           data-title="Chat with us" data-display-name="Customer"></script>
 *
 * A classic script (only a classic script has `document.currentScript`), built by
 * scripts/build-widget.mjs. What it loads (the library, the stylesheet, a language's strings) is looked
 * for next to the script itself, wherever that is served from: the package's files travel together (a
 * CDN, pkg/, the demo server's root). data-module and data-stylesheet point elsewhere.
 */
import { POPUP_NAME } from "./auth.js";
import { configure, define } from "./element.js";

const script = document.currentScript;
// Next to this script; a copy loaded some other way (a bundler, an inline copy) falls back to the page.
const base = new URL(".", script?.src || location.href);
configure({
  library: null, // imported from `module` (below, or data-module)
  locale: (tag) => import(new URL(`locales/${tag}.js`, base).href),
  module: new URL("connect_chat_wasm.js", base).href,
  stylesheet: new URL("widget.css", base).href,
});
define();

// Inside the sign-in popup (its redirect page may be this very site) no second chat starts.
// A bare <script src=".../widget.js"> only defines the element, for a page that writes its own.
if (script && Object.keys(script.dataset).length && window.name !== POPUP_NAME) {
  const widget = document.createElement("connect-chat");
  widget.id = "connect-chat-wasm-widget";
  for (const { name, value } of script.attributes) {
    if (name.startsWith("data-")) widget.setAttribute(name.slice(5), value);
  }
  const attach = () => document.body.append(widget);
  if (document.body) attach();
  else document.addEventListener("DOMContentLoaded", attach, { once: true });
}
