// Interactive messages: a bot or flow asks something with a template (a list to pick from, quick replies,
// time slots, a carousel of cards, a step-by-step guide), sent as an item of content type
// `application/vnd.amazonaws.connect.message.interactive` whose `Content` is the template's JSON:
// `{ "templateType", "version": "1.0", "data": { "content": {...}, "replyMessage"? } }`.
//
// `parseInteractive` checks a template's shape (a wrong shape is `null`, never a throw: the page then
// shows the item as any other), and `interactiveReply` builds the answer exactly as the reference widget
// (the UI of the hosted Amazon Connect widget) sends it, so flows built for that widget work unchanged:
// - ListPicker, Panel, QuickReply: the chosen element's `title`, as `text/plain`;
// - TimePicker: the chosen slot's `date`, as `text/plain` (moved by `timeZoneOffset` as that widget does);
// - Carousel: `text/plain` holding `{"templateIdentifier","listTitle","selectionText"}`;
// - "Show more" / "Previous options" (`actionDetail` of a ListPicker or Panel element): an
//   `interactive.response` asking the flow for the other page of the list;
// - ViewResource: an `interactive.response` holding the view's action and its output.
//
// These rules live in JS, imported by the Rust shell and bundled into the package's one JS file: they
// read and write JS objects only, where the engine's property access and `JSON.stringify` (the very
// serialiser the reference widget answers with) cost nothing, while the same rules compiled to wasm
// cost 4.5 KB gzip, more than eleven times these lines (README, "Size").

const INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive";
const RESPONSE = INTERACTIVE + ".response";
/** The reference widget's display limit of titles, in characters. */
const TITLE_LIMIT = 400;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isText = (v) => typeof v === "string" && v !== "";
/** Throws the `TypeError` the Rust shell turns into an `InvalidArgument` carrying `why`. */
const refuse = (why) => {
  throw new TypeError(why);
};
const isNumber = (v) => typeof v === "number" && Number.isFinite(v);
const titled = (v) => isObject(v) && isText(v.title);
const list = (v, each) => Array.isArray(v) && v.length > 0 && v.every(each);
const picker = (c) => titled(c) && list(c.elements, titled);

/** Each template type's `data.content`, checked. */
const SHAPES = {
  ListPicker: picker,
  Panel: picker,
  QuickReply: picker,
  // `location` is for display only: a widget shows it when it is well formed.
  TimePicker: (c) => titled(c) && list(c.timeslots, (s) => isObject(s) && isText(s.date) && isNumber(s.duration)),
  Carousel: (c) => titled(c) && list(c.elements, (card) => cardTemplate(card) !== null),
  ViewResource: (c) => isText(c.viewToken),
};

function template(root) {
  if (!isObject(root) || !Object.hasOwn(SHAPES, root.templateType)) return null;
  const { templateType, version = "1.0", data } = root;
  if (typeof version !== "string" || !isObject(data) || !isObject(data.content)) return null;
  if (data.replyMessage !== undefined && !isObject(data.replyMessage)) return null;
  if (!SHAPES[templateType](data.content)) return null;
  const t = { templateType, version, content: data.content };
  if (data.replyMessage !== undefined) t.replyMessage = data.replyMessage;
  return t;
}

/** A Carousel's card: a ListPicker or Panel with a `templateIdentifier`. */
function cardTemplate(card) {
  const t = isObject(card) && isText(card.templateIdentifier) ? template(card) : null;
  return t && (t.templateType === "ListPicker" || t.templateType === "Panel") ? t : null;
}

// One parse per item object: the page hands back the very element objects it was given, and each is
// found by identity (a Carousel's cards often share element titles, "Book" on every one).
const parsed = new WeakMap();

/** The template an item carries, or `null` for any other item and for a template of the wrong shape. */
export function parseInteractive(item) {
  if (!isObject(item) || item.ContentType !== INTERACTIVE || typeof item.Content !== "string") return null;
  if (parsed.has(item)) return parsed.get(item);
  let t = null;
  try {
    t = template(JSON.parse(item.Content));
  } catch {
    // Not JSON: not a template.
  }
  parsed.set(item, t);
  return t;
}

/** The member of `items` that `choice` is: the very object, else the first whose `key` equals choice's. */
const pick = (items, choice, key) =>
  items.find((e) => e === choice) ?? (choice[key] === undefined ? undefined : items.find((e) => e[key] === choice[key]));

const plain = (content) => ({ contentType: "text/plain", content });
const cut = (s, max) => ([...s].length > max ? [...s].slice(0, max).join("") + "..." : s);
const NOT_IN = "choice is not part of this template";

/**
 * The answer to `item`'s template when the customer chooses `choice`: `{ contentType, content }` for
 * SendMessage. Throws a `TypeError` (the shell's `InvalidArgument`) when `choice` cannot answer it.
 */
export function interactiveReply(item, choice) {
  const t = parseInteractive(item);
  if (!t) refuse("item is not an interactive message");
  if (!isObject(choice)) refuse("choice must be an object");
  const c = t.content;
  switch (t.templateType) {
    case "TimePicker": {
      const slot = pick(c.timeslots, choice, "date") ?? refuse(NOT_IN);
      // The reference widget moves each slot by `timeZoneOffset` minutes (a number, or a numeric string
      // in its own tests) and sends the moved time as `toISOString().slice(0, -2) + "+00:00"`.
      const offset = Number(c.timeZoneOffset);
      const at = Date.parse(slot.date) + 60_000 * offset;
      const moved = c.timeZoneOffset !== undefined && c.timeZoneOffset !== "" && Number.isFinite(at);
      return plain(moved ? new Date(at).toISOString().slice(0, -2) + "+00:00" : slot.date);
    }
    case "Carousel": {
      for (const byTitle of [false, true]) {
        for (const card of c.elements) {
          const inner = cardTemplate(card).content;
          const e = byTitle ? pick(inner.elements, choice, "title") : inner.elements.find((x) => x === choice);
          if (e) {
            const listTitle = cut(inner.title, TITLE_LIMIT);
            return plain(JSON.stringify({ templateIdentifier: card.templateIdentifier, listTitle, selectionText: e.title }));
          }
        }
      }
      return refuse(NOT_IN);
    }
    case "ViewResource": {
      if (!isText(choice.action)) refuse("a ViewResource choice is { action, data? }");
      let content;
      try {
        content = JSON.stringify({ action: choice.action, data: choice.data ?? {}, templateType: "ViewResource", version: "1.0" });
      } catch {
        refuse("choice.data must be JSON");
      }
      return { contentType: RESPONSE, content };
    }
    default: {
      const e = pick(c.elements, choice, "title") ?? refuse(NOT_IN);
      if (e.type === "hyperlink") refuse("a hyperlink element is opened, not answered");
      const action = e.actionDetail;
      if (t.templateType === "QuickReply" || (action !== "SHOW_MORE" && action !== "PREVIOUS_OPTIONS")) return plain(e.title);
      const { preIndex, nextIndex, listId, referenceId } = c;
      const data = { actionName: action, preIndex, nextIndex, listId, templateType: t.templateType, referenceId };
      return { contentType: RESPONSE, content: JSON.stringify({ version: "1.0", data, action }) };
    }
  }
}
