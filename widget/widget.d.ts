// Types of the <connect-chat> element (`import "connect-chat-wasm/widget"`): its methods, properties and
// DOM events, and the tag in `document.createElement` / `querySelector`.
import type { ChatItem, ChatSession } from "./connect_chat_wasm.js";

/** A field of the pre-chat form (`pre-chat-fields`, `preChatFields`). */
export interface PreChatField {
  name: string;
  label?: string;
  type?: "text" | "email" | "tel" | "number" | "url" | "textarea" | "select";
  required?: boolean;
  options?: string[];
  autocomplete?: string;
  value?: string;
}

/** The element's own events (an element's `error` is an ErrorEvent in the DOM's map: this one is not). */
export interface ConnectChatEventMap {
  "chat-started": CustomEvent<{ contactId: string; participantId: string }>;
  "chat-ended": CustomEvent<{ by: "customer" | "agent" | "disconnected"; reason?: string }>;
  message: CustomEvent<{ item: ChatItem }>;
  "unread-changed": CustomEvent<{ count: number }>;
  error: CustomEvent<{ error: Error; during: "config" | "locale" | "start" | "send" | "attachment" | "download" | "end" | "session" }>;
}

export class ConnectChat extends HTMLElement {
  /** Opens the panel (and starts a chat, or shows the pre-chat form, if none is going); resolves once
   * the chat is live, the form shown, or the start failed (then an `error` event says why). */
  open(): Promise<void>;
  /** Minimises the panel; the chat goes on. */
  close(): Promise<void>;
  /** Starts (or resumes) a chat without opening the panel; after an ended one, a new one. */
  start(): Promise<void>;
  /** Ends the chat (DisconnectParticipant), without asking the customer. */
  end(): Promise<void>;
  /** The live session (the library's API), or null between chats. */
  readonly session: ChatSession | null;
  readonly isOpen: boolean;
  readonly unreadCount: number;
  /** Strings replacing the locale's, by key; read when the element is put on the page. */
  strings: Record<string, string> | null;
  /** The pre-chat form's fields; read when the element is put on the page. */
  preChatFields: PreChatField[] | null;
  addEventListener<K extends keyof ConnectChatEventMap>(type: K, listener: (this: ConnectChat, ev: ConnectChatEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: ConnectChat, ev: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ConnectChatEventMap>(type: K, listener: (this: ConnectChat, ev: ConnectChatEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: ConnectChat, ev: HTMLElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "connect-chat": ConnectChat;
  }
}
