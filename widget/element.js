// <connect-chat>: the widget as a custom element. Its attributes configure it (config.js), its methods
// and properties drive it, and it tells the page what happens through DOM events:
//
//   chat-started   { contactId, participantId }     a chat is live (new or resumed)
//   chat-ended     { by: "customer" | "agent" | "disconnected", reason? }
//   message        { item }                          a message or attachment as it arrives, either side, once
//   unread-changed { count }                         messages the customer has not seen yet
//   error          { error, during }                 something failed ("config", "start", "send", ...)
//
// Several may share a page (each its own chat, storage key and shadow tree). Removed from the page, it
// tears everything down (session, sockets, timers, listeners); moved, it keeps its chat.

import { POPUP_NAME } from "./auth.js";
import { createChat } from "./chat.js";
import { readConfig } from "./config.js";
import { direction, localeTable, pickLocale } from "./locales.js";

/** What the entry point knows: `library()` → the library module (or `module`, its URL), `preconnect()`
 * → the library's `preconnect` module (or the one beside `module`), `locale(tag)` → a strings module,
 * and the stylesheet's URL. */
const entry = { library: null, preconnect: null, locale: null, module: "", stylesheet: "" };
export const configure = (options) => Object.assign(entry, options);

export class ConnectChat extends HTMLElement {
  static observedAttributes = ["title"];
  #chat = null;
  #mounting = null; // the mount under way or done: resolves to its chat (null if torn down before)
  #token = null; // which mount is current: one torn down before its strings came creates nothing
  #props = {};

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    // A property set before the element was defined sits on the instance, hiding the class's accessor.
    for (const name of ["strings", "preChatFields"]) {
      if (Object.hasOwn(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
  }

  connectedCallback() {
    if (this.#mounting) return;
    const token = {};
    this.#token = token;
    this.#mounting = this.#mount(token);
  }

  disconnectedCallback() {
    // A move (removed and put back in the same task) keeps the chat; a removal ends everything.
    queueMicrotask(() => {
      if (this.isConnected || !this.#mounting) return;
      const mounting = this.#mounting;
      this.#mounting = this.#token = null;
      mounting.then((chat) => {
        if (!chat) return;
        chat.destroy();
        if (this.#chat === chat) this.#chat = null;
        // Put back meanwhile, a newer mount draws its own panel.
        if (!this.#mounting) this.shadowRoot.replaceChildren();
      });
    });
  }

  attributeChangedCallback(name, _, value) {
    if (name === "title") this.#chat?.setTitle(value || "");
  }

  async #mount(token) {
    const cfg = readConfig(this, entry, (message) => this.#fail(new Error(message), "config"));
    if (this.#props.strings) cfg.strings = { ...cfg.strings, ...this.#props.strings };
    if (this.#props.preChatFields) cfg.preChat = this.#props.preChatFields;
    cfg.locale = pickLocale(cfg.lang);
    cfg.dir = direction(cfg.locale);
    let table = {};
    try {
      table = await localeTable(cfg.locale, entry.locale);
    } catch (e) {
      cfg.locale = "en";
      cfg.dir = "ltr";
      this.#fail(e, "locale");
    }
    cfg.strings = { ...table, ...cfg.strings };
    if (this.#token !== token) return null; // removed while its strings were on their way
    this.#chat = createChat(this, cfg, {
      // The entry's own import (a bundler follows it), unless the site named a module of its own.
      library: () => (cfg.module && cfg.module !== entry.module) || !entry.library
        ? import(/* webpackIgnore: true */ /* @vite-ignore */ cfg.module)
        : entry.library(),
      // Beside the library, wherever that is (the package's files travel together); a failure to load
      // it only costs the head start (async: a URL that cannot be made is a rejection too).
      preconnect: async () => (cfg.module && cfg.module !== entry.module) || !entry.preconnect
        ? import(/* webpackIgnore: true */ /* @vite-ignore */ new URL("preconnect.js", cfg.module).href)
        : entry.preconnect(),
      emit: (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail, bubbles: type !== "error", composed: true })),
      // The sign-in popup may load this very site: a widget inside it resumes no chat of its own.
      inPopup: window.name === POPUP_NAME,
    });
    return this.#chat;
  }

  #fail(error, during) {
    console.warn(`connect-chat-wasm widget: ${error.message}`);
    // Not bubbling: a page's window "error" handler expects ErrorEvents of its own scripts.
    this.dispatchEvent(new CustomEvent("error", { detail: { error, during } }));
  }

  async #ready() {
    await this.#mounting;
    if (!this.#chat) throw Object.assign(new Error("the element is not on the page"), { name: "InvalidStateError" });
    return this.#chat;
  }

  /** Opens the panel (and starts a chat, or the pre-chat form, if none is going); resolves once the
   * chat is live (or the form shown, or the start failed: see the `error` event). */
  async open() {
    await (await this.#ready()).open();
  }
  /** Minimises the panel; the chat goes on. */
  async close() {
    (await this.#ready()).close();
  }
  /** Starts a chat without opening the panel (a new one if the last has ended); resolves once it is live. */
  async start() {
    return (await this.#ready()).start();
  }
  /** Ends the chat (DisconnectParticipant), without asking the customer. */
  async end() {
    return (await this.#ready()).end();
  }
  /** The live `ChatSession` (the library's API), or null between chats. */
  get session() {
    return this.#chat?.session ?? null;
  }
  /** Whether the panel is open. */
  get isOpen() {
    return !!this.#chat?.isOpen;
  }
  /** Messages the customer has not seen. */
  get unreadCount() {
    return this.#chat?.unreadCount ?? 0;
  }
  /** Strings replacing the locale's, by key (as the `strings` attribute); applies from the next mount. */
  get strings() {
    return this.#props.strings ?? null;
  }
  set strings(value) {
    const ok = value === null || (typeof value === "object" && !Array.isArray(value));
    if (!ok) this.#fail(new Error("strings must be an object of strings by key; ignoring it"), "config");
    this.#props.strings = ok && value ? { ...value } : undefined;
  }
  /** The pre-chat form's fields (as the `pre-chat-fields` attribute); applies from the next mount. */
  get preChatFields() {
    return this.#props.preChatFields ?? null;
  }
  set preChatFields(value) {
    const ok = value === null || (Array.isArray(value) && value.every((f) => f && typeof f.name === "string" && f.name !== ""));
    if (!ok) this.#fail(new Error("preChatFields must be an array of fields, each with a name; ignoring it"), "config");
    this.#props.preChatFields = ok && value ? [...value] : undefined;
  }
}

/** Defines `<connect-chat>` once, whichever entry (or copy of the bundle) gets there first. */
export function define() {
  if (!customElements.get("connect-chat")) customElements.define("connect-chat", ConnectChat);
  return customElements.get("connect-chat");
}
