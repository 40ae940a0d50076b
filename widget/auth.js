// Customer authentication (the flow's Authenticate Customer block): `authentication-initiated` becomes
// a prompt with "Sign in", which opens the identity provider's page (GetAuthenticationUrl, asked for at
// once: the URL must be fetched within a minute of the event, and its SessionId is good for one URL) in
// a 600×600 popup, and "Continue without signing in" (CancelParticipantAuthentication). The outcome
// event closes the popup and ends the prompt; the transcript shows the outcome as a note.
//
// ctx: { t(key), getUrl() → Promise<string>, cancel() → Promise }

import { el, icon } from "./dom.js";

/** The popup's window name: a widget loaded inside it (the redirect page may be the site itself) knows
 * not to start a chat of its own. */
export const POPUP_NAME = "connect-chat-auth";

export function authPrompt(ctx) {
  let popup = null;
  let url = null;
  let over = false;
  const note = el("p", { class: "subtitle", role: "status" });
  const signIn = el("button", { type: "button", class: "action primary", disabled: true }, icon("lock"), ctx.t("signIn"));
  const skip = el("button", { type: "button", class: "action" }, ctx.t("skipSignIn"));
  const fallback = el("a", { class: "action", target: "_blank", rel: "noopener", hidden: true }, ctx.t("signIn"));
  const node = el("div", { class: "template auth" },
    el("div", { class: "card" }, el("p", { class: "title" }, ctx.t("signInPrompt")), note,
      el("div", { class: "actions" }, signIn, fallback, skip)));

  ctx.getUrl().then((u) => {
    url = u;
    fallback.href = u;
    signIn.disabled = over;
  }, () => {
    signIn.hidden = true;
    note.textContent = ctx.t("signInUnavailable");
  });
  signIn.addEventListener("click", () => {
    popup = window.open(url, POPUP_NAME, "width=600,height=600");
    if (!popup) {
      // Blocked: a link the customer follows by hand is never blocked.
      note.textContent = ctx.t("signInPopupBlocked");
      signIn.hidden = true;
      fallback.hidden = false;
    }
  });
  skip.addEventListener("click", async () => {
    skip.disabled = true;
    try {
      await ctx.cancel();
    } catch {
      skip.disabled = over;
    }
  });
  return {
    node,
    /** The flow's outcome arrived: the prompt is over. */
    finish() {
      over = true;
      signIn.disabled = skip.disabled = true;
      fallback.hidden = true;
      if (popup && !popup.closed) popup.close();
      node.classList.add("answered");
    },
  };
}
