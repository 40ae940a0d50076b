// The element's attributes read into its configuration (widget/config.js): defaults, relative URLs
// resolved against the page, storage keys apart for several widgets, and every bad value reported
// (never thrown) with its default used; and the transcript download's text (widget/export.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { readConfig } from "../../widget/config.js";
import { saveTranscript } from "../../widget/export.js";
import { format, STRINGS } from "../../widget/strings.js";

const { document } = parseHTML('<!doctype html><html lang="de-AT"><body></body></html>');
globalThis.document = document;
globalThis.location = new URL("https://shop.example/help/page.html");
const defaults = { module: "https://cdn.example/connect_chat_wasm.js", stylesheet: "https://cdn.example/widget.css" };
function element(attrs, id) {
  const el = document.createElement("connect-chat");
  if (id) el.id = id;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}
const read = (attrs, id) => {
  const warnings = [];
  return { cfg: readConfig(element(attrs, id), defaults, (m) => warnings.push(m)), warnings };
};

test("defaults, and URLs resolved against the page", () => {
  const { cfg, warnings } = read({ "start-chat-url": "/api/start-chat", endpoint: "/" });
  assert.deepEqual(warnings, []);
  assert.equal(cfg.startChatUrl, "https://shop.example/api/start-chat");
  assert.equal(cfg.endpoint, "https://shop.example/");
  assert.equal(cfg.region, undefined);
  assert.equal(cfg.displayName, "Customer");
  assert.equal(cfg.lang, "de-AT", "the page's language");
  assert.equal(cfg.module, defaults.module);
  assert.equal(cfg.stylesheet, defaults.stylesheet);
  assert.deepEqual([cfg.resume, cfg.resumeIdleMinutes, cfg.chatDurationMinutes], [true, 30, 1500]);
  assert.deepEqual([cfg.confirmEnd, cfg.sound, cfg.notifications], [true, false, false]);
  assert.deepEqual([cfg.strings, cfg.preChat], [{}, []]);
  assert.equal(cfg.storageKey, "connect-chat-wasm-widget");
});

test("every attribute read as documented", () => {
  const { cfg, warnings } = read({
    region: "eu-west-2", title: "Help", "display-name": "Kim", lang: "ja", module: "lib/ccw.js", stylesheet: "/s.css",
    "auth-redirect-uri": "/signed-in", strings: '{"send":"Go"}', "pre-chat-fields": '[{"name":"email","type":"email","required":true}]',
    "post-chat-message": "Thanks!", "survey-url": "https://survey.example/x", "confirm-end": "off", sound: "", notifications: "on",
    resume: "off", "resume-idle-minutes": "5", "chat-duration-minutes": "60", "storage-key": "mine",
  });
  assert.deepEqual(warnings, []);
  assert.equal(cfg.module, "https://shop.example/help/lib/ccw.js");
  assert.equal(cfg.stylesheet, "https://shop.example/s.css");
  assert.equal(cfg.authRedirectUri, "https://shop.example/signed-in");
  assert.deepEqual(cfg.strings, { send: "Go" });
  assert.deepEqual(cfg.preChat, [{ name: "email", type: "email", required: true }]);
  assert.deepEqual([cfg.confirmEnd, cfg.sound, cfg.notifications, cfg.resume], [false, true, true, false]);
  assert.deepEqual([cfg.resumeIdleMinutes, cfg.chatDurationMinutes, cfg.storageKey], [5, 60, "mine"]);
  assert.deepEqual([cfg.title, cfg.displayName, cfg.lang, cfg.region, cfg.postChatMessage, cfg.surveyUrl],
    ["Help", "Kim", "ja", "eu-west-2", "Thanks!", "https://survey.example/x"]);
});

test("several widgets keep their chats apart by id; the one-tag widget keeps the historical key", () => {
  assert.equal(read({}, "sales").cfg.storageKey, "connect-chat-wasm-widget:sales");
  assert.equal(read({}, "connect-chat-wasm-widget").cfg.storageKey, "connect-chat-wasm-widget");
});

test("a bad value is reported and replaced by its default", () => {
  const { cfg, warnings } = read({ strings: "[1]", "pre-chat-fields": '[{"label":"no name"}]', "resume-idle-minutes": "-3", "chat-duration-minutes": "soon" });
  assert.deepEqual(cfg.strings, {});
  assert.deepEqual(cfg.preChat, []);
  assert.deepEqual([cfg.resumeIdleMinutes, cfg.chatDurationMinutes], [30, 1500]);
  assert.equal(warnings.length, 4, warnings.join("\n"));
  assert.match(warnings.join("\n"), /strings is not a JSON object/);
  assert.match(warnings.join("\n"), /pre-chat-fields is not a JSON array of fields/);
  assert.match(warnings.join("\n"), /resume-idle-minutes="-3" is not a number of minutes; using 30/);
  assert.match(warnings.join("\n"), /chat-duration-minutes="soon" is not a number of minutes; using 1500/);
});

test("the transcript download: a title, then one line per message or attachment, each once", async () => {
  const t = (key, vars) => format({}, key, vars);
  const blob = saveTranscript([
    { Id: "1", Type: "MESSAGE", ParticipantRole: "CUSTOMER", DisplayName: "Kim", Content: "Hi", AbsoluteTime: "2026-12-01T10:00:00.000Z" },
    { Id: "2", Type: "MESSAGE", ParticipantRole: "AGENT", DisplayName: "Ana", Content: "Hello\nthere", AbsoluteTime: "2026-12-01T10:01:00.000Z" },
    { Id: "3", Type: "MESSAGE", ParticipantRole: "SYSTEM", DisplayName: "SYSTEM_MESSAGE", Content: "Queued", AbsoluteTime: "bad" },
    { Id: "4", Type: "ATTACHMENT", ParticipantRole: "AGENT", Attachments: [{ AttachmentName: "label.pdf" }], AbsoluteTime: "2026-12-01T10:02:00.000Z" },
  ], { t, locale: "en-GB", title: "Support" });
  assert.equal(blob.type, "text/plain;charset=utf-8");
  const when = (iso) => new Intl.DateTimeFormat("en-GB", { dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
  assert.equal(await blob.text(), [
    "Support", "",
    `[${when("2026-12-01T10:00:00.000Z")}] ${STRINGS.you}: Hi`,
    `[${when("2026-12-01T10:01:00.000Z")}] Ana: Hello\nthere`,
    `[] ${STRINGS.bot}: Queued`,
    `[${when("2026-12-01T10:02:00.000Z")}] ${STRINGS.agent}: 📎 label.pdf`, // no DisplayName: the role's name
  ].join("\n") + "\n");
});
