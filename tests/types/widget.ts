// The element's types: the tag is known to the DOM's lookups, its events carry typed details, and
// misuse fails to compile (each @ts-expect-error must hold an error).
import "connect-chat-wasm/widget";
import type { ConnectChat, PreChatField } from "connect-chat-wasm/widget";

export async function widget(): Promise<number> {
  const chat: ConnectChat = document.createElement("connect-chat");
  const found: ConnectChat | null = document.querySelector("connect-chat");
  const fields: PreChatField[] = [{ name: "email", label: "Email", type: "email", required: true }];
  chat.preChatFields = fields;
  chat.strings = { send: "Envoyer" };
  chat.addEventListener("chat-started", (e) => console.log(e.detail.contactId, e.detail.participantId));
  chat.addEventListener("chat-ended", (e) => console.log(e.detail.by === "customer", e.detail.reason));
  chat.addEventListener("message", (e) => console.log(e.detail.item.Content));
  chat.addEventListener("error", (e) => console.log(e.detail.during, e.detail.error.message));
  chat.addEventListener("click", (e) => console.log(e.clientX));
  // @ts-expect-error unread-changed carries a count, not an item
  chat.addEventListener("unread-changed", (e) => e.detail.item);
  // @ts-expect-error a field has a name
  chat.preChatFields = [{ label: "Email" }];
  document.body.append(chat);
  await chat.start();
  const state: string | undefined = chat.session?.state;
  console.log(state, found?.isOpen);
  await chat.end();
  return chat.unreadCount;
}
