// The conversation: every chat item as a bubble or a note, in `AbsoluteTime` order. Items nearly always
// arrive in order, so the place of a new one is found from the end: constant work per item.
//
// The DOM holds only the newest items (MOUNTED, plus what the customer scrolls back to): the browser's
// style and layout passes walk every node in the list, so a transcript that keeps growing made each frame
// slower (10,000 messages cost 1.8 s of main thread, most of it layout). Older items stay in `order`, off
// the page, and come back a page at a time when the customer scrolls up to them or presses "Earlier
// messages". New items reach the DOM once per frame, however many came in it, and a plain message from the
// other side is only built into a bubble when it is shown: a bot's burst of 10,000 builds the last few
// hundred.
//
// The customer's own messages show at once (`pending`), with their status: sending, sent, delivered,
// read, or failed with a retry; the bubble becomes the message's own when the service confirms it, so
// its echo on the socket is not shown a second time.
//
// ctx: { t(key, vars), locale, displayName, parseInteractive(item), answer(item, choice),
//        describeView(viewToken), authUrl(sessionId), cancelAuth(sessionId), download(attachment),
//        focusFallback() }

import { authPrompt } from "./auth.js";
import { bdi, el, icon } from "./dom.js";
import { linkified, markdown } from "./markdown.js";
import { renderTemplate } from "./templates.js";

const EVENT = "application/vnd.amazonaws.connect.event.";
const INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive";
const RESPONSE = `${INTERACTIVE}.response`;
/** Content types shown as text, with nothing to answer. */
const PLAIN = new Set(["text/plain", "text/markdown", "application/json"]);

/** Bubbles kept in the DOM while the view follows the newest; trimmed back to it once SLACK more came
 * (so the trim is one DOM operation per SLACK items, not one per item). */
const MOUNTED = 150;
const SLACK = 50;
/** Bubbles brought back per step when the customer scrolls up. */
const PAGE = 100;
/** When more than this many came in one frame (a bot's burst), only the newest go on the page, as many
 * as fill the view (at most this many): building, laying out and painting bubbles that scroll out of
 * sight before anyone sees them was most of a burst's cost. */
const BURST = 40;
/** Less than any bubble's height with the gap after it (its padding and gap alone are 24px), so that
 * many bubbles always fill the view they are counted for. */
const ROW = 32;
/** The least time between two updates of the page while items keep coming (a burst, a streamed reply):
 * each update is a layout and a paint of the panel, and one per frame was a fifth of a 10,000-item
 * burst's main-thread time. An item after a quiet spell is put on the page in the next frame. */
const BUSY_MS = 100;

/** Events shown as a note, and the string each shows. */
const NOTES = {
  "participant.joined": "joined",
  "participant.left": "left",
  "participant.idle": "idle",
  "participant.returned": "returned",
  "participant.autodisconnection": "autoDisconnected",
  "participant.invited": "invited",
  "transfer.succeeded": "transferred",
  "transfer.failed": "transferFailed",
  "chat.ended": "chatEnded",
  "workflow.cancelled": "workflowCancelled",
  "authentication.succeeded": "signedIn",
  "authentication.failed": "signInFailed",
  "authentication.timeout": "signInTimeout",
  "authentication.expired": "signInExpired",
  "authentication.cancelled": "signInCancelled",
};

/** A name from the network, isolated from the text around it (a right-to-left override in it cannot
 * reorder what follows). */

export class Transcript {
  constructor(log, ctx) {
    this.log = log;
    this.ctx = ctx;
    /** Whether the view follows the newest item: true until the customer scrolls up to read. */
    this.following = true;
    /** An update of the page waiting (one at a time, however many items came): for its frame, or for
     * `updateTimer` first while BUSY_MS has not passed since the last one (`flushedAt`, `performance.now()`). */
    this.scrollPending = false;
    this.flushedAt = -BUSY_MS;
    /** Where the view was last scrolled to (by us or by the customer). */
    this.top = 0;
    log.addEventListener("scroll", () => {
      // At the end, the view follows. Away from it, it stops following only if it went up, which only the
      // customer does. The event comes at the next frame, and the layout may have changed since the
      // scroll: a view that shrank after our scroll to the end reads as away from the end, though nothing
      // moved (and the view then stopped following for good). Clamping and trims leave it at the end.
      const top = log.scrollTop;
      if (log.scrollHeight - top - log.clientHeight < 48) {
        this.following = true;
        this.trim();
      } else if (top < this.top) this.following = false;
      this.top = top;
    });
    /** The first list item while older bubbles are off the page: brings them back. */
    this.earlier = el("li", { class: "earlier" },
      el("button", { type: "button", class: "earlier-button", onclick: () => this.showEarlier() }, ctx.t("earlier")));
    // Scrolling up to the top brings the page before it back, as a long chat in any messenger does.
    this.watcher = typeof IntersectionObserver === "function"
      ? new IntersectionObserver((seen) => seen.some((e) => e.isIntersecting) && !this.following && this.showEarlier(), { root: log })
      : null;
    this.watcher?.observe(this.earlier);
    // The view changed size (the panel opened, the window or the on-screen keyboard resized it): the
    // newest stays in view, and the view stays filled.
    this.sizer = typeof ResizeObserver === "function" ? new ResizeObserver(() => this.following && this.follow()) : null;
    this.sizer?.observe(log);
    this.reset();
    // A page's first Intl formatter costs about 10 ms (its locale's data): made while the page is idle,
    // not when the first message arrives.
    (globalThis.requestIdleCallback || setTimeout)(() => this.formats());
  }

  /** Brings the DOM up to date and keeps the newest item in view, once per frame at most, and no sooner
   * than BUSY_MS after the last time: reading the layout after every insertion (as `scrollTop =
   * scrollHeight` does) made each item cost a layout of the whole list, so 3,000 messages took 24 s. A
   * customer who scrolled up to read is left where they are. */
  follow() {
    if (this.scrollPending) return;
    this.scrollPending = true;
    const wait = this.flushedAt + BUSY_MS - performance.now();
    const update = () => requestAnimationFrame(() => {
      this.scrollPending = false;
      this.flushedAt = performance.now();
      this.flush();
      if (this.following) {
        const log = this.log;
        log.scrollTop = log.scrollHeight;
        this.top = log.scrollTop;
        // The view's height, read while the layout is fresh: what the next burst must fill (0 while
        // the panel is hidden: then a burst mounts BURST).
        this.view = log.clientHeight;
        // Bubbles that do not fill the view (it grew since a burst was mounted for it): the page before
        // them comes back.
        if (this.view && this.first > 0 && log.scrollHeight <= this.view) this.showEarlier();
      }
    });
    if (wait > 0) this.updateTimer = setTimeout(update, wait);
    else update();
  }

  /** Puts the items placed since the last frame on the page (only the newest MOUNTED of them while the
   * view follows: the rest go straight to those off the page). */
  flush() {
    if (this.following) {
      const fresh = this.order.length - Math.max(this.synced, this.first);
      const shown = this.view ? Math.min(BURST, Math.ceil(this.view / ROW) + 2) : BURST;
      this.trim(fresh > BURST ? this.order.length - shown : this.order.length - MOUNTED, fresh > BURST);
    }
    const from = Math.max(this.synced, this.first);
    if (from < this.order.length) {
      this.log.append(...this.order.slice(from).map((o) => this.node(o)));
    }
    this.synced = this.order.length;
  }

  /** The bubble of entry `o`, built now if it was left for when it is shown. */
  node(o) {
    if (!o.li) {
      o.li = o.make();
      o.make = null;
    }
    return o.li;
  }

  /** Empties the transcript (a new chat begins); open templates can no longer be answered. */
  clear() {
    for (const o of this.templates) o.handle.expire();
    this.log.replaceChildren();
    this.reset();
  }

  /** Stops watching the list (the widget is torn down). */
  dispose() {
    this.watcher?.disconnect();
    this.sizer?.disconnect();
    clearTimeout(this.quiet);
    clearTimeout(this.updateTimer);
  }

  reset() {
    /** Id → { li, partial?, body? } of every item on screen (or deliberately not shown). */
    this.entries = new Map();
    /** Bubbles and notes, oldest first: { time, li } (or { time, li: null, make() } until shown). Those
     * from `first` up to `synced` are in the DOM; those after `synced` arrive at the next frame. */
    this.order = [];
    this.first = 0;
    this.synced = 0;
    /** Templates still open: { time, handle, li }. */
    this.templates = [];
    /** The page on screen of each paginated list, by its `referenceId`. */
    this.pages = new Map();
    /** Authentication prompts still open. */
    this.prompts = [];
    /** Our messages, for their receipt marks: Id → the mark. */
    this.receipts = new Map();
    /** The divider after a persistent chat's history: { time, li }. */
    this.divider = null;
    /** The time of the customer's newest message on screen. */
    this.lastCustomer = -Infinity;
    /** Receipts for messages not yet settled: Id → read. */
    this.early = new Map();
    this.pendingCount = 0;
  }

  /** The customer's message `text` while it is being sent: shown at once, at the time it was sent. */
  pending(text) {
    const id = `pending-${++this.pendingCount}`;
    const item = { Id: id, Type: "MESSAGE", ParticipantRole: "CUSTOMER", DisplayName: this.ctx.displayName, AbsoluteTime: new Date().toISOString() };
    const li = this.bubble(item, el("p", { class: "text" }, linkified(document, text)));
    this.status(this.receipts.get(id), "pending");
    li.classList.add("pending");
    this.place(li, Date.now());
    return li;
  }

  /** The service took the pending message `li`: it is now message `Id` (and its echo is not shown again;
   * if the echo came first, the pending bubble gives way to it). */
  settle(li, { Id, AbsoluteTime }) {
    const pendingId = li.dataset.id;
    const r = this.receipts.get(pendingId);
    this.receipts.delete(pendingId);
    li.querySelector(".resend")?.remove();
    if (this.entries.has(Id)) {
      this.remove(li);
      return;
    }
    const time = Date.parse(AbsoluteTime) || Date.now();
    li.dataset.id = Id;
    li.classList.remove("pending", "failed");
    this.entries.set(Id, { li });
    this.receipts.set(Id, r);
    this.status(r, "sent");
    // Its place by the service's clock; the node stays where it is (moving it would announce it again).
    // Looked for from the end, where a message just sent is.
    for (let k = this.order.length - 1; k >= 0; k--) {
      if (this.order[k].li !== li) continue;
      this.order[k].time = time;
      break;
    }
    const at = li.querySelector("time");
    if (at) at.setAttribute("datetime", new Date(time).toISOString());
    const early = this.early.get(Id);
    if (early !== undefined) this.mark(Id, early);
    this.supersede(time);
  }

  /** The pending message `li` could not be sent: it says so, with a retry when `retry` is given. */
  failed(li, retry) {
    const r = this.receipts.get(li.dataset.id);
    if (!r) return;
    li.classList.replace("pending", "failed");
    this.status(r, "failed");
    li.querySelector(".resend")?.remove();
    if (!retry) return;
    const again = el("button", { type: "button", class: "resend" }, icon("retry"), this.ctx.t("resend"));
    again.addEventListener("click", () => {
      again.remove();
      this.ctx.focusFallback?.()?.focus();
      li.classList.replace("failed", "pending");
      this.status(r, "pending");
      retry();
    });
    li.append(again);
  }

  /** A pending message waits for the connection (or for its next try): greyed, and said so. */
  waiting(li, on) {
    const r = this.receipts.get(li.dataset.id);
    if (!r || !li.classList.contains("pending")) return;
    li.classList.toggle("waiting", on);
    this.status(r, on ? "waiting" : "pending");
  }

  /** The chat is over: what is still sending will not go, nor can it be retried. */
  failPending() {
    for (const li of this.log.querySelectorAll("li.msg.pending, li.msg.failed")) this.failed(li, null);
  }

  /** A message's status mark: `pending`/`failed` in words, sent ✓, delivered and read ✓✓. */
  status(r, state) {
    if (!r) return;
    r.className = "receipt " + state;
    r.textContent = state === "sent" ? "✓" : state === "delivered" || state === "read" ? "✓✓" : this.ctx.t(state);
    r.setAttribute("aria-label", this.ctx.t(state));
  }

  /** Moves the "Previous conversation" divider after `time` if it is later than where the divider is. */
  divide(time) {
    if (this.divider && this.divider.time >= time) return;
    if (this.divider) this.remove(this.divider.li);
    const li = el("li", { class: "divider", part: "divider" }, el("span", {}, this.ctx.t("previousConversation")));
    // Half a millisecond after it: before anything of the new contact, whose items are later.
    this.divider = { time: time + 0.5, li };
    this.place(li, time + 0.5);
  }

  /** A note of our own (not an item), at the end. */
  note(text) {
    const li = el("li", { class: "note" }, text);
    this.place(li, Infinity);
    return li;
  }

  /** Shows `item` (a chat item, live or from the transcript) once. */
  render(item, live = false) {
    const known = this.entries.get(item.Id);
    if (known && !known.partial) {
      // Shown already (from the kept history, after a reload): the service's copy may know its receipts.
      for (const receipt of item.MessageMetadata?.Receipts || []) this.mark(item.Id, !!receipt.ReadTimestamp);
      return;
    }
    const time = Date.parse(item.AbsoluteTime) || Date.now();
    // A persistent chat's history: items of the contacts it continues carry RelatedContactId and no
    // ContactId. A divider follows the newest of them.
    if (item.RelatedContactId && !item.ContactId) this.divide(time);
    if (known?.partial) {
      // The completed reply replaces the growing bubble: a new node, so it is announced once.
      this.remove(known.li);
    }
    if (item.Type === "MESSAGE" && item.ParticipantRole !== "CUSTOMER" && PLAIN.has(item.ContentType || "text/plain")) {
      // Text from the other side has no state of its own: its bubble is built when it is shown.
      this.entries.set(item.Id, {});
      this.place(null, time, () => this.message(item, time));
      return;
    }
    const li = this.build(item, live, time);
    this.entries.set(item.Id, { li });
    if (li) this.place(li, time);
    if (item.Type === "MESSAGE" && item.ParticipantRole === "CUSTOMER") this.supersede(time);
  }

  /** A streamed reply so far: one bubble that grows (hidden from screen readers until complete). */
  partial(item) {
    let entry = this.entries.get(item.Id);
    if (entry && !entry.partial) return;
    if (!entry) {
      const body = el("p", { class: "text" });
      const li = el("li", { class: "msg system streaming", "data-id": item.Id, "aria-hidden": "true" }, this.meta(item), body);
      entry = { li, body, partial: true };
      this.entries.set(item.Id, entry);
      this.place(li, Date.parse(item.AbsoluteTime) || Date.now());
    }
    entry.body.replaceChildren(...linkified(document, item.Content || ""));
    this.follow();
  }

  /** A delivered or read receipt for our message `messageId`; read outranks delivered. */
  mark(messageId, read) {
    const r = this.receipts.get(messageId);
    if (!r) {
      // A receipt can overtake SendMessage's answer: kept (a few) until the message is settled.
      if (this.early.size > 100) this.early.clear();
      this.early.set(messageId, read || !!this.early.get(messageId));
      return;
    }
    if (r.classList.contains("read")) return;
    this.status(r, read ? "read" : "delivered");
  }

  // ----- building -----

  build(item, live, time) {
    const t = this.ctx.t;
    if (item.Type === "MESSAGE") return this.message(item, time);
    if (item.Type === "ATTACHMENT") return this.bubble(item, this.attachments(item));
    const what = (item.ContentType || "").startsWith(EVENT) ? item.ContentType.slice(EVENT.length) : "";
    const name = this.name(item);
    if (what === "authentication.initiated") {
      if (!live || !item.sessionId) return el("li", { class: "note" }, t("signInRequested"));
      const prompt = authPrompt({
        t,
        getUrl: () => this.ctx.authUrl(item.sessionId),
        cancel: () => this.ctx.cancelAuth(item.sessionId),
      });
      this.prompts.push(prompt);
      return el("li", { class: "msg system" }, prompt.node);
    }
    if (what.startsWith("authentication.")) {
      this.prompts.splice(0).forEach((p) => p.finish());
    }
    if (what === "participant.displayname.updated") {
      return item.ParticipantRole === "CUSTOMER" ? el("li", { class: "note" }, this.withName("renamed", name)) : null;
    }
    const key = NOTES[what];
    return key ? el("li", { class: "note" }, this.withName(key, name)) : null;
  }

  /** A string with a `{name}` from the network, the name isolated. */
  withName(key, name) {
    const [before, after] = this.ctx.t(key).split("{name}");
    return after === undefined ? before : [before, bdi(name), after];
  }

  /** Who sent `item`: its DisplayName, or the role's name where the service gives none (its system
   * messages are signed "SYSTEM_MESSAGE"). */
  name(item) {
    const given = item.DisplayName;
    if (given && given !== "SYSTEM_MESSAGE") return given;
    return this.ctx.t(item.ParticipantRole === "SYSTEM" ? "bot" : "agent");
  }

  message(item, time) {
    const type = item.ContentType || "text/plain";
    const content = item.Content || "";
    const mine = item.ParticipantRole === "CUSTOMER";
    if (type === INTERACTIVE) {
      const template = this.ctx.parseInteractive(item);
      if (!template) return this.bubble(item, el("p", { class: "text unsupported" }, this.ctx.t("cannotShow")));
      const handle = renderTemplate({
        t: this.ctx.t,
        locale: this.ctx.locale,
        answer: (choice) => this.ctx.answer(item, choice),
        describeView: (token) => this.ctx.describeView(token),
        focusFallback: this.ctx.focusFallback,
      }, template);
      const li = this.bubble(item, handle.node);
      li.classList.add("has-template");
      // The next page of a paginated list replaces the page before it.
      const referenceId = template.content.referenceId;
      if (typeof referenceId === "string") {
        const page = this.pages.get(referenceId);
        if (page) this.remove(page);
        this.pages.set(referenceId, li);
      }
      // Open until the customer answers or writes past it (also after a reload, when it comes from the
      // transcript): a template followed by a message of the customer's is read-only.
      if (time < this.lastCustomer) handle.expire();
      else this.templates.push({ time, handle, li });
      return li;
    }
    if (type === RESPONSE) {
      const answer = parseJson(content);
      // Pagination ("show more") asks the flow for the next page: nothing to show the customer.
      if (answer?.data?.actionName) return null;
      const text = answer?.templateType === "ViewResource" ? (answer.action.trim() || answer.data?.content) : content;
      return this.bubble(item, el("p", { class: "text" }, String(text ?? "")));
    }
    if (type === "text/markdown") return this.bubble(item, el("div", { class: "text md" }, markdown(document, content)));
    let text = content;
    const carousel = mine && parseJson(content);
    if (carousel && ["templateIdentifier", "listTitle", "selectionText"].every((k) => typeof carousel[k] === "string")) {
      // A carousel answer, shown as the reference widget shows it.
      text = `${carousel.listTitle}${carousel.listTitle.endsWith(":") ? "" : " -"} ${carousel.selectionText}`;
    }
    const body = el("p", { class: type === "application/json" ? "text json" : "text" }, linkified(document, text));
    const li = this.bubble(item, body);
    if (item.Incomplete) li.append(el("p", { class: "cut-short" }, this.ctx.t("cutShort")));
    return li;
  }

  /** The files of an ATTACHMENT item: downloadable unless the scan rejected them or is not done. */
  attachments(item) {
    const t = this.ctx.t;
    return el("div", { class: "files" }, (item.Attachments || []).map((a) => {
      if (a.Status === "REJECTED") {
        return el("p", { class: "file blocked" }, icon("blocked"), bdi(a.AttachmentName), el("span", { class: "why" }, t("rejected")));
      }
      if (a.Status === "IN_PROGRESS") {
        return el("p", { class: "file scanning" }, icon("clip"), bdi(a.AttachmentName), el("span", { class: "why" }, t("scanning")));
      }
      return el("button", { type: "button", class: "file-link", onclick: () => this.ctx.download(a) }, icon("clip"), bdi(a.AttachmentName));
    }));
  }

  /** The formatters of a bubble's time, made once: `toLocaleTimeString` builds one per call, a tenth of
   * the time a message took. */
  formats() {
    this.clock ??= new Intl.DateTimeFormat(this.ctx.locale, { hour: "2-digit", minute: "2-digit" });
    this.full ??= new Intl.DateTimeFormat(this.ctx.locale, { dateStyle: "medium", timeStyle: "medium" });
  }

  meta(item) {
    const at = new Date(item.AbsoluteTime);
    this.formats();
    // Messages that come together share their second: formatted once for all of them.
    const second = Math.floor(at.getTime() / 1000);
    if (this.shown?.second !== second && !Number.isNaN(second)) {
      // A message of another day (a chat resumed the next morning) says its date too.
      this.dated ??= new Intl.DateTimeFormat(this.ctx.locale, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
      const today = at.toDateString() === new Date().toDateString();
      this.shown = { second, clock: (today ? this.clock : this.dated).format(at), full: this.full.format(at) };
    }
    const when = Number.isNaN(second) ? null : el("time", { datetime: item.AbsoluteTime, title: this.shown.full }, this.shown.clock);
    return el("div", { class: "meta" }, el("span", { class: "who" }, bdi(this.name(item))), when);
  }

  bubble(item, body) {
    const role = (item.ParticipantRole || "SYSTEM").toLowerCase();
    // A message's direction is its own (an English reply in an Arabic panel reads left to right).
    body.setAttribute("dir", "auto");
    const li = el("li", { class: `msg ${role}`, part: `message message-${role}`, "data-id": item.Id }, this.meta(item), body);
    if (item.ParticipantRole === "CUSTOMER" && item.Type === "MESSAGE") {
      // role="img": the marks are a picture of the status, named by their label.
      const r = el("span", { class: "receipt", role: "img", "aria-label": this.ctx.t("sent") }, "✓");
      li.append(r);
      this.receipts.set(item.Id, r);
      // From the transcript (after a reload) the receipts come inside the message itself.
      for (const receipt of item.MessageMetadata?.Receipts || []) this.mark(item.Id, !!receipt.ReadTimestamp);
    }
    return li;
  }

  // ----- placing -----

  /** Inserts `li` (or, when it is null, what `make` builds when it is shown) at its time, looking from the
   * end, where new items nearly always belong. One among those in the DOM goes in at once; one at the end
   * goes in at the next frame; one older than every bubble in the DOM joins those off the page. */
  place(li, time, make = null) {
    let k = this.order.length;
    while (k > 0 && this.order[k - 1].time > time) k--;
    const o = { time, li, make };
    if (k < this.first) {
      this.first++;
      this.synced++;
    } else if (k < this.synced) {
      this.log.insertBefore(this.node(o), this.order[k].li);
      this.synced++;
    }
    if (k === this.order.length) this.order.push(o);
    else this.order.splice(k, 0, o);
    this.follow();
  }

  /** Takes the bubbles before `to` off the page while the newest are followed: down to MOUNTED once SLACK
   * more came (one DOM operation per SLACK items), or at once (`now`). The one holding the focus stays,
   * and those after it. */
  trim(to = this.order.length - MOUNTED, now = false) {
    if (to - this.first < (now ? 1 : SLACK)) return;
    const focused = this.log.getRootNode().activeElement;
    const end = Math.min(to, this.synced);
    for (let k = this.first; focused && k < end; k++) {
      if (this.order[k].li?.contains(focused)) to = k;
    }
    if (to <= this.first) return;
    if (this.first < end) {
      const range = document.createRange();
      range.setStartBefore(this.order[this.first].li);
      range.setEndAfter(this.order[Math.min(to, end) - 1].li);
      range.deleteContents();
    }
    this.first = to;
    this.synced = Math.max(this.synced, to);
    if (!this.earlier.isConnected) this.log.prepend(this.earlier);
  }

  /** Brings back the PAGE bubbles before the oldest in the DOM, keeping what the customer sees in place. */
  showEarlier() {
    if (this.first === 0) return;
    const from = Math.max(0, this.first - PAGE);
    const height = this.log.scrollHeight;
    const nodes = this.order.slice(from, this.first).map((o) => this.node(o));
    // Bubbles coming back are not news: the live region around the list is quiet while they go in (a
    // screen reader would read them out again as additions), and speaks again a moment later.
    const live = this.log.closest("[aria-live]");
    if (live) {
      live.setAttribute("aria-live", "off");
      clearTimeout(this.quiet);
      this.quiet = setTimeout(() => live.setAttribute("aria-live", "polite"), 300);
    }
    this.earlier.after(...nodes);
    this.first = from;
    if (from === 0) this.earlier.remove();
    this.log.scrollTop += this.log.scrollHeight - height;
  }

  remove(li) {
    const k = this.order.findIndex((o) => o.li === li);
    if (k >= 0) this.order.splice(k, 1);
    if (k >= 0 && k < this.first) this.first--;
    if (k >= 0 && k < this.synced) this.synced--;
    this.templates = this.templates.filter((o) => o.li !== li);
    li.remove();
  }

  /** A message of the customer's answers (or passes over) the templates before it. */
  supersede(time) {
    this.lastCustomer = Math.max(this.lastCustomer, time);
    this.templates = this.templates.filter((o) => {
      if (o.time > time) return true;
      o.handle.expire();
      return false;
    });
  }
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
