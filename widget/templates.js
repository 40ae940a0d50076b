// Interactive messages, rendered: ListPicker and Panel as a card with one button per element, QuickReply
// as chips, TimePicker as slots grouped by day, Carousel as cards stepped through one at a time, and
// ViewResource (a step-by-step guide) as a card with its form and actions. The library parses the
// template (`ChatSession.parseInteractive`) and sends the answer the reference widget sends
// (`sendInteractiveResponse`); this module only shows them and hands the chosen element back.
//
// ctx: { t(key, vars), locale, answer(choice) → Promise, describeView(viewToken) → Promise<{ View }>,
//        focusFallback() → where focus goes when the control holding it is disabled }

import { cut, el, icon, image } from "./dom.js";
import { safeUrl } from "./markdown.js";

/** The reference widget's display limits, in characters. */
const TITLE_MAX = 400;
const REPLY_MAX = 200;

/**
 * A template's card. Returns `{ node, expire() }`: `expire()` makes it read-only (a later answer of the
 * customer's supersedes it). Answering marks the chosen control, disables the rest and shows the
 * template's `replyMessage`.
 */
export function renderTemplate(ctx, template) {
  const controls = []; // every button and field that answers
  let done = false;
  const node = el("div", { class: `template template-${template.templateType.toLowerCase()}` });
  const error = el("p", { class: "template-error", role: "alert", hidden: true });

  /** Disables every control; focus on one of them goes to the composer rather than to the page. */
  const disable = () => {
    const focused = node.getRootNode().activeElement;
    controls.forEach((c) => (c.disabled = true));
    if (focused && node.contains(focused)) ctx.focusFallback?.()?.focus();
  };
  /** Sends `choice`; `control` is what the customer used (marked as chosen). */
  async function choose(choice, control) {
    if (done) return;
    done = true;
    disable();
    error.hidden = true;
    try {
      await ctx.answer(choice);
      if (control) {
        control.classList.add("chosen");
        control.setAttribute("aria-pressed", "true");
      }
      node.classList.add("answered");
      const reply = template.replyMessage;
      if (reply && typeof reply.title === "string") {
        node.append(el("div", { class: "reply" },
          image(reply.imageData, reply.imageDescription, "reply-image"),
          el("p", { class: "title" }, cut(reply.title, TITLE_MAX)),
          typeof reply.subtitle === "string" ? el("p", { class: "subtitle" }, cut(reply.subtitle, TITLE_MAX)) : null));
      }
    } catch (e) {
      done = false;
      controls.forEach((c) => (c.disabled = false));
      error.textContent = ctx.t("answerFailed", { reason: e.message });
      error.hidden = false;
    }
  }
  const button = (attrs, choice, ...children) => {
    const b = el("button", { type: "button", ...attrs }, ...children);
    b.addEventListener("click", () => choose(choice, b));
    controls.push(b);
    return b;
  };
  const render = { ListPicker: picker, Panel: picker, QuickReply: quickReply, TimePicker: timePicker, Carousel: carousel, ViewResource: view };
  render[template.templateType](ctx, template.content, node, button, choose, controls);
  node.append(error);
  return {
    node,
    expire() {
      done = true;
      disable();
      if (!node.classList.contains("answered")) node.classList.add("expired");
    },
  };
}

/** Title, subtitle and image of a card. */
function heading(content, withImage = true) {
  return [
    withImage ? image(content.imageData, content.imageDescription, "card-image") : null,
    el("p", { class: "title" }, cut(content.title, TITLE_MAX)),
    typeof content.subtitle === "string" ? el("p", { class: "subtitle" }, cut(content.subtitle, TITLE_MAX)) : null,
  ];
}

/** An element that opens a link (`type: "hyperlink"`): a link in a new tab, nothing sent. */
function hyperlink(ctx, element) {
  const url = safeUrl(String(element.url ?? ""));
  if (!url || !/^https?:/.test(url)) return el("span", { class: "choice" }, cut(element.title, TITLE_MAX));
  return el("a", { class: "choice link", href: url, target: "_blank", rel: "noopener noreferrer" },
    cut(element.title, TITLE_MAX), icon("link"), el("span", { class: "sr-only" }, ctx.t("opensNewTab")));
}

/** ListPicker and Panel: a card, one button per element (ListPicker's with their own picture). */
function picker(ctx, content, node, button) {
  node.append(pickerCard(ctx, content, button));
}

function pickerCard(ctx, content, button) {
  const list = el("ul", { class: "choices" });
  for (const element of content.elements) {
    const body = element.type === "hyperlink"
      ? hyperlink(ctx, element)
      : button({ class: "choice" }, element,
        image(element.imageData, element.imageDescription, "choice-image"),
        el("span", { class: "choice-text" },
          el("span", { class: "choice-title" }, cut(element.title, TITLE_MAX)),
          typeof element.subtitle === "string" ? el("span", { class: "choice-subtitle" }, cut(element.subtitle, TITLE_MAX)) : null));
    list.append(el("li", {}, body));
  }
  return el("div", { class: "card" }, heading(content), list);
}

/** QuickReply: the question, then chips. */
function quickReply(ctx, content, node, button) {
  node.append(el("div", { class: "card" }, heading(content, false)),
    el("div", { class: "chips", role: "group", "aria-label": cut(content.title, TITLE_MAX) },
      content.elements.map((e) => button({ class: "chip" }, e, cut(e.title, REPLY_MAX)))));
}

/** TimePicker: slots grouped by day in the customer's language; pick one, then confirm. With a
 * `timeZoneOffset`, times are shown where they are meant (that offset from UTC), else in the customer's
 * own time zone. */
function timePicker(ctx, content, node, button, choose, controls) {
  const offset = Number.isFinite(Number(content.timeZoneOffset)) && content.timeZoneOffset !== "" && content.timeZoneOffset != null
    ? Number(content.timeZoneOffset) : null;
  const zone = offset === null ? {} : { timeZone: "UTC" };
  const day = new Intl.DateTimeFormat(ctx.locale, { weekday: "long", month: "long", day: "numeric", ...zone });
  const clock = new Intl.DateTimeFormat(ctx.locale, { hour: "numeric", minute: "2-digit", ...zone, ...(offset === null ? { timeZoneName: "short" } : {}) });
  const shown = (slot) => new Date(Date.parse(slot.date) + (offset ?? 0) * 60_000);
  const groups = new Map();
  for (const slot of content.timeslots) {
    const at = shown(slot);
    if (Number.isNaN(at.getTime())) continue;
    const key = day.format(at);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ slot, at });
  }
  let picked = null;
  const confirm = el("button", { type: "button", class: "confirm", disabled: true }, ctx.t("confirm"));
  controls.push(confirm);
  const days = el("div", { class: "days" });
  for (const [label, slots] of groups) {
    const slotButtons = slots.map(({ slot, at }) => {
      const b = el("button", { type: "button", class: "slot", "aria-pressed": "false" },
        el("span", { class: "slot-time" }, clock.format(at)),
        el("span", { class: "slot-length" }, ctx.t("minutes", { n: slot.duration })));
      b.addEventListener("click", () => {
        picked = { slot, b };
        days.querySelectorAll(".slot").forEach((s) => s.setAttribute("aria-pressed", String(s === b)));
        confirm.disabled = false;
      });
      controls.push(b);
      return b;
    });
    days.append(el("div", { class: "day", role: "group", "aria-label": label }, el("p", { class: "day-label" }, label), el("div", { class: "slots" }, slotButtons)));
  }
  confirm.addEventListener("click", () => picked && choose(picked.slot, picked.b));
  const where = content.location && typeof content.location.title === "string"
    ? el("p", { class: "location" }, icon("pin"), content.location.title) : null;
  const zoneNote = offset === null ? null : el("p", { class: "zone" }, `UTC${offset < 0 ? "−" : "+"}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}:${String(Math.abs(offset) % 60).padStart(2, "0")}`);
  node.append(el("div", { class: "card" }, heading(content, false), where, zoneNote, days, confirm));
}

/** Carousel: one card at a time, stepped through with its buttons or the arrow keys; the position is
 * announced ("2 of 5"). Choosing an element of a card answers the carousel. */
function carousel(ctx, content, node, button) {
  const total = content.elements.length;
  const slides = content.elements.map((card, i) =>
    el("div", { class: "slide", role: "group", "aria-roledescription": "slide", "aria-label": ctx.t("slideOf", { n: i + 1, total }), hidden: i > 0 },
      pickerCard(ctx, card.data.content, button)));
  const position = el("span", { class: "position", "aria-live": "polite" }, ctx.t("slideOf", { n: 1, total }));
  let at = 0;
  const prev = el("button", { type: "button", class: "step", "aria-label": ctx.t("previous"), disabled: true }, icon("prev"));
  const next = el("button", { type: "button", class: "step", "aria-label": ctx.t("next"), disabled: total < 2 }, icon("next"));
  const go = (to) => {
    if (to < 0 || to >= total || to === at) return;
    slides[at].hidden = true;
    slides[to].hidden = false;
    at = to;
    position.textContent = ctx.t("slideOf", { n: at + 1, total });
    const focused = region.getRootNode().activeElement;
    prev.disabled = at === 0;
    next.disabled = at === total - 1;
    // A step button that just became disabled must not take the focus with it.
    if (focused?.disabled) (focused === next ? prev : next).focus();
  };
  prev.addEventListener("click", () => go(at - 1));
  next.addEventListener("click", () => go(at + 1));
  const region = el("div", { class: "carousel", role: "region", "aria-roledescription": "carousel", "aria-label": cut(content.title, TITLE_MAX) },
    el("div", { class: "slides" }, slides),
    el("div", { class: "carousel-nav" }, prev, position, next));
  region.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    if (e.target instanceof HTMLInputElement) return;
    e.preventDefault();
    const rtl = getComputedStyle(region).direction === "rtl";
    go(at + ((e.key === "ArrowRight") !== rtl ? 1 : -1));
  });
  node.append(el("p", { class: "carousel-title" }, cut(content.title, TITLE_MAX)), region);
}

const INPUT_TYPES = ["text", "email", "tel", "number", "date", "time", "url"];

/** ViewResource: the view is fetched (DescribeView); its form inputs are shown, filled from the
 * message's `viewData`, and each of its actions is a button that answers with the form's values.
 * Only `FormInput` components are drawn; a view made of others still offers its actions. */
function view(ctx, content, node, button, choose, controls) {
  const card = el("div", { class: "card", "aria-busy": "true" }, el("p", { class: "title" }, "…"));
  node.append(card);
  ctx.describeView(content.viewToken).then(({ View }) => {
    const template = typeof View.Content.Template === "string" ? JSON.parse(View.Content.Template) : View.Content.Template;
    const given = parseData(content.viewData);
    const form = el("form", { class: "view-form" });
    form.addEventListener("submit", (e) => e.preventDefault());
    for (const input of formInputs(template?.Body)) {
      const p = input.Props || {};
      const name = String(p.Name ?? input._id ?? "");
      const field = el("input", {
        name, type: INPUT_TYPES.includes(p.InputType) ? p.InputType : "text", required: p.Required === true,
        value: given[name] === undefined ? "" : String(given[name]), autocomplete: "on",
      });
      controls.push(field);
      form.append(el("label", { class: "field" }, el("span", {}, String(p.Label ?? name)), field));
    }
    const actions = (Array.isArray(View.Content.Actions) ? View.Content.Actions : []).filter((a) => typeof a === "string");
    const row = el("div", { class: "actions" }, actions.map((action, i) => {
      const b = el("button", { type: "button", class: i === 0 ? "action primary" : "action" }, action);
      b.addEventListener("click", () => {
        // Leaving the guide needs no valid form; answering does.
        if (!/cancel|back|skip/i.test(action) && !form.reportValidity()) return;
        const data = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v)]));
        choose({ action, data }, b);
      });
      controls.push(b);
      return b;
    }));
    card.replaceChildren(el("p", { class: "title" }, cut(template?.Head?.Title ?? View.Name ?? "", TITLE_MAX)), form, row);
    card.removeAttribute("aria-busy");
  }).catch(() => {
    card.replaceChildren(el("p", { class: "subtitle" }, ctx.t("guideUnavailable")));
    card.removeAttribute("aria-busy");
  });
}

/** Every `FormInput` component of a view's body, in order. */
function formInputs(components, out = []) {
  for (const c of Array.isArray(components) ? components : []) {
    if (c && c.Type === "FormInput") out.push(c);
    else if (c && Array.isArray(c.Content)) formInputs(c.Content, out);
  }
  return out;
}

/** `viewData`: a JSON string or an object of values. */
function parseData(data) {
  if (typeof data === "string") {
    try {
      data = JSON.parse(data);
    } catch {
      return {};
    }
  }
  return data !== null && typeof data === "object" ? data : {};
}
