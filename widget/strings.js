// Every string the widget shows, in one table: English, built in. The other languages are tables of the
// same keys in locales/ (loaded on demand, see locales.js); a site overrides any key (`strings`, a JSON
// object of the same keys). A key a table lacks falls back to English.

import { bdi } from "./dom.js";

export const STRINGS = {
  title: "Chat with us",
  open: "Open chat",
  unread: "{n} unread",
  close: "Close chat",
  minimize: "Minimize chat",
  messages: "Messages",
  message: "Message",
  placeholder: "Type a message",
  send: "Send",
  attach: "Attach a file",
  end: "End chat",
  connecting: "Connecting…",
  reconnecting: "Connection lost. Reconnecting…",
  ended: "The chat has ended.",
  youEnded: "You ended the chat.",
  disconnected: "The chat was disconnected: {reason}",
  cannotStart: "The chat could not start: {reason}",
  retry: "Try again",
  newChat: "Start a new chat",
  continueChat: "Continue the previous conversation",
  welcomeBack: "Welcome back.",
  previousConversation: "Previous conversation",
  missing: "Some messages are still on their way…",
  someMissing: "Some messages could not be loaded.",
  notSent: "Not sent: {reason}",
  sending: "Sending {name}…",
  notSentFile: "Could not send {name}: {reason}",
  notDownloaded: "Could not download {name}: {reason}",
  cannotEnd: "Could not end the chat: {reason}",
  typing: "{name} is typing…",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  agent: "Agent",
  bot: "Bot",
  joined: "{name} joined the chat",
  left: "{name} left the chat",
  idle: "{name} is idle",
  returned: "{name} is back",
  autoDisconnected: "{name} was idle too long and left",
  invited: "{name} was invited",
  renamed: "You now appear as {name}",
  transferred: "You were transferred",
  transferFailed: "The transfer failed",
  chatEnded: "The chat has ended",
  workflowCancelled: "The automated step was cancelled",
  rejected: "Blocked by the attachment scan",
  scanning: "Being scanned…",
  cannotShow: "This message can't be shown here.",
  cutShort: "This reply was cut short.",
  earlier: "Earlier messages",
  // The hosted widget's features
  download: "Download transcript",
  transcriptFile: "chat-transcript",
  you: "You",
  confirmEnd: "End this chat?",
  confirmEndYes: "End chat",
  cancel: "Cancel",
  pending: "Sending…",
  waiting: "Waiting to send…",
  failed: "Not sent",
  resend: "Retry",
  preChatTitle: "Before we start",
  preChatSubmit: "Start chat",
  required: "required",
  fieldRequired: "Please fill in this field.",
  fieldInvalid: "Please check this field.",
  surveyLink: "Tell us how we did",
  newMessage: "New message from {name}",
  // Interactive messages
  choose: "Choose",
  chosen: "Chosen",
  confirm: "Confirm",
  minutes: "{n} min",
  previous: "Previous",
  next: "Next",
  slideOf: "{n} of {total}",
  opensNewTab: "(opens in a new tab)",
  guideUnavailable: "This guide could not be loaded.",
  answerFailed: "Your answer was not sent: {reason}",
  // Customer authentication
  signInPrompt: "Sign in to your account to continue.",
  signIn: "Sign in",
  skipSignIn: "Continue without signing in",
  signInUnavailable: "Sign-in is not available right now.",
  signInPopupBlocked: "Allow pop-ups for this site to sign in.",
  signedIn: "You are signed in to your account.",
  signInFailed: "Sign-in failed.",
  signInTimeout: "Sign-in timed out.",
  signInExpired: "Sign-in expired.",
  signInCancelled: "Sign-in cancelled.",
  signInRequested: "Sign-in was requested.",
};

/** The string `key` with `{name}`-style placeholders filled from `vars`. */
export function format(strings, key, vars = {}) {
  const s = strings[key] ?? STRINGS[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (vars[k] === undefined ? `{${k}}` : String(vars[k])));
}

/** `format`, as nodes: each value in its own `<bdi>` without bidi controls (see dom.js), so a name or a
 * message from the network cannot reorder the sentence around it. */
export function formatNodes(strings, key, vars = {}) {
  const s = strings[key] ?? STRINGS[key] ?? key;
  return s.split(/\{(\w+)\}/).map((part, i) => {
    if (i % 2 === 0) return part;
    return vars[part] === undefined ? `{${part}}` : bdi(vars[part]);
  });
}
