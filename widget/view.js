// The widget's DOM: a launcher button and a chat panel, built from nodes. Every piece a site may style
// has a `part` (see the README's table); colours, sizes and the font come from custom properties
// (widget.css). Returns the nodes the chat and the composer work with.

import { el, icon } from "./dom.js";

export function buildView(t, cfg) {
  // The label is hidden by the stylesheet; should that be blocked, the button still says what it is.
  const badge = el("span", { class: "badge", part: "badge", "aria-hidden": "true", hidden: true });
  const launcher = el("button", { class: "launcher", part: "launcher", type: "button", "aria-label": t("open"), "aria-expanded": "false", "aria-controls": "ccw-panel" },
    // A site's own icon: <img slot="launcher-icon" ...> inside the element.
    el("slot", { name: "launcher-icon" }, el("span", { class: "launcher-icon", part: "launcher-icon", "aria-hidden": "true" })),
    el("span", { class: "launcher-label", "aria-hidden": "true" }, t("open")), badge);
  const statusText = el("span", {});
  const statusAction = el("button", { class: "status-action", type: "button", hidden: true });
  const statusOther = el("button", { class: "status-other", type: "button", hidden: true });
  const status = el("div", { class: "status", part: "status", role: "status", hidden: true }, statusText, statusAction, statusOther);
  // The transcript: a list of messages (scrollable, so focusable to scroll by keyboard) inside a live
  // region that announces only what is added, once (a status mark changing, sent → read, is not news).
  const log = el("ol", { class: "log", part: "log", "aria-label": t("messages"), tabindex: "0" });
  const live = el("div", { class: "live", role: "log", "aria-live": "polite", "aria-relevant": "additions" }, log);
  const typing = el("div", { class: "typing", hidden: true, "aria-live": "polite" });
  const input = el("textarea", { class: "input", part: "input", rows: "1", placeholder: t("placeholder"), "aria-label": t("message"), disabled: true });
  const fileInput = el("input", { type: "file", class: "file", tabindex: "-1", "aria-hidden": "true" });
  const attach = el("button", { class: "attach", type: "button", "aria-label": t("attach"), disabled: true }, icon("clip"));
  const send = el("button", { class: "send", part: "send", type: "submit", "aria-label": t("send"), disabled: true }, t("send"));
  const form = el("form", { class: "composer", part: "composer" }, attach, input, send, fileInput);
  const downloadButton = el("button", { class: "download", type: "button", "aria-label": t("download"), title: t("download"), disabled: true }, icon("download"));
  const endButton = el("button", { class: "end", type: "button", disabled: true }, t("end"));
  const closeButton = el("button", { class: "close", type: "button", "aria-label": t("minimize"), title: t("minimize") }, icon("minimize"));
  const heading = el("h2", { part: "title", id: "ccw-title" }, cfg.title || t("title"));
  // End-chat confirmation: in the panel (no native dialog, which would escape the site's styling).
  const confirmYes = el("button", { class: "confirm-yes", type: "button" }, t("confirmEndYes"));
  const confirmNo = el("button", { class: "confirm-no", type: "button" }, t("cancel"));
  const confirm = el("div", { class: "confirm-end", part: "confirm", role: "alertdialog", "aria-modal": "false", "aria-labelledby": "ccw-confirm-text", hidden: true },
    el("p", { id: "ccw-confirm-text" }, t("confirmEnd")), el("div", { class: "confirm-actions" }, confirmNo, confirmYes));
  const preChat = el("div", { class: "pre-chat", part: "pre-chat", hidden: true });
  const panel = el("section", { id: "ccw-panel", class: "panel", part: "panel", role: "dialog", "aria-label": cfg.title || t("title"), hidden: true },
    el("header", { part: "header" }, heading, downloadButton, endButton, closeButton),
    confirm, status, preChat, live, typing, form);
  // The element's own `title` attribute would be every node's tooltip: an empty one stops it here.
  const root = el("div", { class: "root", lang: cfg.locale, dir: cfg.dir, title: "" }, launcher, panel);
  return { root, launcher, badge, panel, heading, status, statusText, statusAction, statusOther, log, live, typing, input, fileInput, attach, send, form,
    downloadButton, endButton, closeButton, confirm, confirmYes, confirmNo, preChat };
}
