// The optional pre-chat form: fields the site declares (`pre-chat-fields`), asked before a chat starts.
// The answers go to the start-chat backend as contact attributes (`Attributes`, string values, as
// StartChatContact takes them); a field named `DisplayName` sets the customer's name instead.
//
// A field: { name, label?, type?: "text" | "email" | "tel" | "number" | "textarea" | "select",
//            required?, options?: [string] (select), autocomplete?, value? }

import { el } from "./dom.js";

const TYPES = ["text", "email", "tel", "number", "url"];
/** Autocomplete hints for the names sites commonly use, so a browser can fill them in. */
const HINTS = { DisplayName: "name", name: "name", email: "email", Email: "email", phone: "tel", Phone: "tel" };

let forms = 0;

export function preChatForm(fields, t, displayName, done) {
  const n = ++forms;
  const form = el("form", { class: "pre-chat-form", "aria-labelledby": `ccw-pre-${n}`, novalidate: true });
  form.append(el("h3", { id: `ccw-pre-${n}` }, t("preChatTitle")));
  const controls = fields.map((f, i) => {
    const id = `ccw-pre-${n}-${i}`;
    const name = String(f.name);
    const required = f.required === true;
    const common = { id, name, required, autocomplete: typeof f.autocomplete === "string" ? f.autocomplete : HINTS[name] || "on" };
    let control;
    if (f.type === "textarea") control = el("textarea", { ...common, rows: "3" });
    else if (f.type === "select") {
      control = el("select", common, el("option", { value: "" }, "—"),
        (Array.isArray(f.options) ? f.options : []).map((o) => el("option", { value: String(o) }, String(o))));
    } else control = el("input", { ...common, type: TYPES.includes(f.type) ? f.type : "text" });
    const initial = name === "DisplayName" && f.value === undefined && displayName !== "Customer" ? displayName : f.value;
    if (initial !== undefined) control.value = String(initial);
    const error = el("span", { class: "field-error", id: `${id}-error`, hidden: true });
    control.setAttribute("aria-describedby", error.id);
    form.append(el("div", { class: "field" },
      el("label", { for: id }, String(f.label ?? name), required ? el("span", { class: "required" }, " *", el("span", { class: "sr-only" }, ` (${t("required")})`)) : null),
      control, error));
    return { control, error };
  });
  form.append(el("button", { type: "submit", class: "pre-chat-submit" }, t("preChatSubmit")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    // Said beside each field and tied to it (aria-describedby), in the widget's language rather than the
    // browser's; the first wrong one is focused.
    let first = null;
    for (const { control, error } of controls) {
      const empty = control.required && !control.value.trim();
      const ok = !empty && control.checkValidity();
      control.setAttribute("aria-invalid", String(!ok));
      error.hidden = ok;
      error.textContent = ok ? "" : t(empty ? "fieldRequired" : "fieldInvalid");
      if (!ok && !first) first = control;
    }
    if (first) {
      first.focus();
      return;
    }
    const attributes = {};
    let name = "";
    for (const { control } of controls) {
      const value = control.value.trim();
      if (control.name === "DisplayName") name = value;
      else if (value) attributes[control.name] = value;
    }
    done({ displayName: name || undefined, attributes });
  });
  return form;
}
