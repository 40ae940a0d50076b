// The interactive-message rules of src/shell/js/interactive.js, on their own (the package bundles them
// into ChatSession.parseInteractive and sendInteractiveResponse; tests/browser/rich.rs runs them there).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseInteractive, interactiveReply } from "../../src/shell/js/interactive.js";

const INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive";
const RESPONSE = `${INTERACTIVE}.response`;
const item = (template) => ({
  Id: "i1", Type: "MESSAGE", ContentType: INTERACTIVE, ParticipantRole: "SYSTEM",
  Content: typeof template === "string" ? template : JSON.stringify(template),
});
const listPicker = () => ({
  templateType: "ListPicker", version: "1.0", data: {
    replyMessage: { title: "Thanks for picking!" },
    content: {
      title: "Which fruit?", subtitle: "Tap to select", imageType: "URL", imageData: "https://example.com/fruit.jpg",
      imageDescription: "Fruit", elements: [{ title: "Apple", subtitle: "$1.00" }, { title: "Banana" }],
    },
  },
});
const timePicker = () => ({
  templateType: "TimePicker", version: "1.0", data: { content: {
    title: "Schedule a call", timeZoneOffset: -420,
    location: { latitude: 47.6, longitude: -122.3, title: "Seattle", radius: 1 },
    timeslots: [{ date: "2026-12-02T10:00+00:00", duration: 60 }, { date: "2026-12-02T11:00+00:00", duration: 30 }],
  } },
});
const card = (id, title, options) => ({
  templateType: "Panel", templateIdentifier: id, version: "1.0",
  data: { content: { title, elements: options.map((o) => ({ title: o })) } },
});
const carousel = () => ({
  templateType: "Carousel", version: "1.0",
  data: { content: { title: "Our hotels", elements: [card("hotel-a", "Hotel A", ["Book", "Details"]), card("hotel-b", "Hotel B", ["Book"])] } },
});
const view = () => ({ templateType: "ViewResource", version: "1.0", data: { content: { viewId: "v", viewToken: "tok", viewData: "{}" } } });
const answer = (template, choice) => interactiveReply(item(template), choice);
const refused = (fn) => assert.throws(fn, TypeError);

test("every template type parses to { templateType, version, content, replyMessage? }", () => {
  const lp = parseInteractive(item(listPicker()));
  assert.equal(lp.templateType, "ListPicker");
  assert.equal(lp.version, "1.0");
  assert.equal(lp.content.title, "Which fruit?");
  assert.equal(lp.replyMessage.title, "Thanks for picking!");
  assert.deepEqual(Object.keys(lp), ["templateType", "version", "content", "replyMessage"]);
  for (const t of [timePicker(), carousel(), view()]) assert.equal(parseInteractive(item(t)).templateType, t.templateType);
  const qr = { templateType: "QuickReply", data: { content: { title: "OK?", elements: [{ title: "Yes" }, { title: "No" }] } } };
  assert.equal(parseInteractive(item(qr)).version, "1.0", "a missing version is 1.0");
  assert.equal(parseInteractive(item({ templateType: "Panel", data: { content: { title: "Help", elements: [{ title: "Orders" }] } } })).templateType, "Panel");
});

test("one parse per item: the page gets the same objects back each time", () => {
  const it = item(listPicker());
  assert.equal(parseInteractive(it), parseInteractive(it));
});

test("anything else is null, never a throw", () => {
  for (const v of [null, undefined, "x", 7, [], {}, { ContentType: "text/plain", Content: "{}" }, { ContentType: INTERACTIVE },
    item("{not json"), item("[1,2]"), item("null")]) {
    assert.equal(parseInteractive(v), null, JSON.stringify(v));
  }
  const variants = [
    (t) => (t.templateType = "Spinner"), (t) => (t.templateType = 7), (t) => (t.templateType = "toString"),
    (t) => (t.version = 1), (t) => (t.data = "x"), (t) => (t.data.content = []), (t) => (t.data.replyMessage = "thanks"),
    (t) => (t.data.content.title = ""), (t) => (t.data.content.elements = []), (t) => (t.data.content.elements = { title: "Apple" }),
    (t) => (t.data.content.elements[1] = { subtitle: "no title" }), (t) => (t.data.content.elements[1] = "Banana"),
  ];
  for (const change of variants) {
    const t = listPicker();
    change(t);
    assert.equal(parseInteractive(item(t)), null, JSON.stringify(t));
  }
  const tp = timePicker();
  tp.data.content.timeslots[0].duration = "an hour";
  assert.equal(parseInteractive(item(tp)), null);
  const c = carousel();
  c.data.content.elements[1].templateType = "QuickReply";
  assert.equal(parseInteractive(item(c)), null, "a carousel holds panels and list pickers");
  const c2 = carousel();
  delete c2.data.content.elements[0].templateIdentifier;
  assert.equal(parseInteractive(item(c2)), null);
  assert.equal(parseInteractive(item({ templateType: "ViewResource", data: { content: { viewId: "v" } } })), null, "a view needs its token");
});

test("pickers and quick replies answer with the element's title as plain text", () => {
  const it = item(listPicker());
  const banana = parseInteractive(it).content.elements[1];
  assert.deepEqual(interactiveReply(it, banana), { contentType: "text/plain", content: "Banana" });
  assert.equal(answer(listPicker(), { title: "Apple" }).content, "Apple", "an element the page rebuilt is found by title");
  refused(() => answer(listPicker(), { title: "Cherry" }));
  refused(() => answer(listPicker(), "Apple"));
  refused(() => interactiveReply({ ContentType: "text/plain", Content: "hi" }, { title: "Apple" }));
});

test("a time slot answers with its date, moved by timeZoneOffset as the reference widget moves it", () => {
  const tp = timePicker();
  delete tp.data.content.timeZoneOffset;
  assert.deepEqual(answer(tp, { date: "2026-12-02T11:00+00:00", duration: 30 }), { contentType: "text/plain", content: "2026-12-02T11:00+00:00" });
  refused(() => answer(tp, { date: "2026-12-03T11:00+00:00" }));
  // The reference widget's own test: 17:00 with an offset of "-30" is sent as 16:30:00.00+00:00.
  const shifted = timePicker();
  shifted.data.content.timeZoneOffset = "-30";
  shifted.data.content.timeslots[0].date = "2020-10-31T17:00+00:00";
  assert.equal(answer(shifted, { date: "2020-10-31T17:00+00:00" }).content, "2020-10-31T16:30:00.00+00:00");
  assert.equal(answer(timePicker(), { date: "2026-12-02T10:00+00:00" }).content, "2026-12-02T03:00:00.00+00:00");
});

test("a carousel answers with the card and the choice, and finds the very element", () => {
  const it = item(carousel());
  const t = parseInteractive(it);
  const bookB = t.content.elements[1].data.content.elements[0];
  const r = interactiveReply(it, bookB);
  assert.equal(r.contentType, "text/plain");
  assert.equal(r.content, '{"templateIdentifier":"hotel-b","listTitle":"Hotel B","selectionText":"Book"}');
  assert.equal(answer(carousel(), { title: "Details" }).content, '{"templateIdentifier":"hotel-a","listTitle":"Hotel A","selectionText":"Details"}');
  refused(() => answer(carousel(), { title: "Cancel" }));
  const long = carousel();
  long.data.content.elements[0].data.content.title = "é".repeat(450);
  assert.equal(JSON.parse(answer(long, { title: "Details" }).content).listTitle, "é".repeat(400) + "...", "cut as the reference widget shows it");
  const more = carousel();
  more.data.content.elements[1].data.content.elements[0].actionDetail = "SHOW_MORE";
  assert.equal(interactiveReply(item(more), parseInteractive(item(more)).content.elements[1].data.content.elements[0]).contentType, "text/plain",
    "inside a carousel, show-more is a carousel choice too");
});

test("show more and previous options ask the flow for the other page", () => {
  const lp = { templateType: "ListPicker", version: "1.0", data: { content: {
    title: "Pick a store", referenceId: "ref-1", listId: "stores", preIndex: 0, nextIndex: 3,
    elements: [{ title: "Store 1" }, { title: "Store 2" }, { title: "More stores", actionDetail: "SHOW_MORE" }, { title: "Back", actionDetail: "PREVIOUS_OPTIONS" }],
  } } };
  const r = answer(lp, { title: "More stores" });
  assert.equal(r.contentType, RESPONSE);
  assert.equal(r.content, '{"version":"1.0","data":{"actionName":"SHOW_MORE","preIndex":0,"nextIndex":3,"listId":"stores","templateType":"ListPicker","referenceId":"ref-1"},"action":"SHOW_MORE"}');
  assert.equal(JSON.parse(answer(lp, { title: "Back" }).content).action, "PREVIOUS_OPTIONS");
  assert.equal(answer(lp, { title: "Store 2" }).content, "Store 2");
});

test("a hyperlink element is opened, not answered", () => {
  const panel = { templateType: "Panel", data: { content: { title: "Help", elements: [{ title: "FAQ", type: "hyperlink", url: "https://example.com/faq" }] } } };
  refused(() => answer(panel, { title: "FAQ" }));
});

test("a view's action answers with the view's output", () => {
  const r = answer(view(), { action: "Submit", data: { Name: "Ana", Nights: 2 } });
  assert.deepEqual(r, { contentType: RESPONSE, content: '{"action":"Submit","data":{"Name":"Ana","Nights":2},"templateType":"ViewResource","version":"1.0"}' });
  assert.equal(answer(view(), { action: "Cancel" }).content, '{"action":"Cancel","data":{},"templateType":"ViewResource","version":"1.0"}');
  refused(() => answer(view(), { data: {} }));
  const cyclic = {};
  cyclic.self = cyclic;
  refused(() => answer(view(), { action: "Submit", data: cyclic }));
});
