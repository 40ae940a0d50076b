// The page-facing calls' arguments and bodies and the options of `new ChatSession(options)`
// (src/shell/js/arguments.js), checked before any request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { messageBody, eventBody, uploadBody, attachmentType, attachmentBody, authUrlBody, cancelAuthBody, viewPath, readOptions } from "../../src/shell/js/arguments.js";

const refused = (fn, message) => assert.throws(fn, (e) => e instanceof TypeError && (!message || message.test(e.message)));
const EVENT = "application/vnd.amazonaws.connect.event.";

test("message bodies and their checks", () => {
  assert.deepEqual(JSON.parse(messageBody('hello "you"', undefined, "tok")), { ContentType: "text/plain", Content: 'hello "you"', ClientToken: "tok" });
  assert.equal(JSON.parse(messageBody("**x**", "text/markdown", "t")).ContentType, "text/markdown");
  refused(() => messageBody("", "text/plain", "t"), /empty/);
  assert.ok(messageBody("a".repeat(16_384), null, "t"));
  refused(() => messageBody("a".repeat(16_385), null, "t"), /16384/);
  refused(() => messageBody("é".repeat(8_193), null, "t"), /bytes of UTF-8/);
  refused(() => messageBody("x", "text/html", "t"), /contentType must be one of text\/plain/);
  refused(() => messageBody(5, undefined, "t"), /content must be a string/);
});

test("event bodies and their checks", () => {
  assert.deepEqual(JSON.parse(eventBody(`${EVENT}typing`, undefined, "t")), { ContentType: `${EVENT}typing`, ClientToken: "t" });
  assert.equal(JSON.parse(eventBody(`${EVENT}message.read`, '{"messageId":"m"}', "t")).Content, '{"messageId":"m"}');
  refused(() => eventBody(`${EVENT}chat.ended`, undefined, "t"), /must be one of/);
  refused(() => eventBody("", undefined, "t"));
  refused(() => eventBody(7, undefined, "t"), /string/);
});

test("attachments: a named Blob of an accepted type, 1 byte to 20 MB", () => {
  assert.equal(attachmentType("a.pdf", "application/pdf"), "application/pdf");
  assert.equal(attachmentType("photo.JPG", ""), "image/jpeg");
  assert.equal(attachmentType("notes.txt", "text/plain;charset=utf-8"), "text/plain");
  assert.equal(attachmentType("x.png", "application/octet-stream"), "image/png");
  refused(() => attachmentType("a.exe", "application/x-msdownload"), /not accepted/);
  refused(() => attachmentType("noext", ""), /not accepted/);
  const file = new File(["%PDF"], "report é.pdf", { type: "application/pdf" });
  assert.deepEqual(JSON.parse(uploadBody(file, "c")), { ContentType: "application/pdf", AttachmentSizeInBytes: 4, AttachmentName: "report é.pdf", ClientToken: "c" });
  const named = Object.assign(new Blob(["x"]), { name: "n.txt" });
  assert.equal(JSON.parse(uploadBody(named, "c")).ContentType, "text/plain");
  refused(() => uploadBody(new Blob(["x"]), "c"), /file name/);
  refused(() => uploadBody("file", "c"), /File or a Blob/);
  refused(() => uploadBody(new File([], "empty.txt"), "c"), /1 byte/);
  assert.equal(attachmentBody("a1"), '{"AttachmentId":"a1"}');
  refused(() => attachmentBody(""));
});

test("authentication and view arguments", () => {
  const sid = "6b1f0d3e-9c52-4f6e-8f0a-2d7c1e9b4a10";
  assert.deepEqual(JSON.parse(authUrlBody({ sessionId: sid, redirectUri: "https://x.example/" })), { SessionId: sid, RedirectUri: "https://x.example/" });
  refused(() => authUrlBody({ sessionId: "short", redirectUri: "x" }), /36/);
  refused(() => authUrlBody("nope"), /object/);
  assert.equal(cancelAuthBody({ sessionId: sid }), `{"SessionId":"${sid}"}`);
  assert.equal(viewPath("a b/c"), "/participant/views/a%20b%2Fc");
  refused(() => viewPath(""));
});

test("options: checked, normalised, an http endpoint only on this machine", () => {
  const o = readOptions({ participantToken: "tok", region: "eu-west-2", retry: { maxAttempts: 3 }, orderWindowMs: 150, persist: true });
  assert.equal(o.endpoint, "https://participant.connect.eu-west-2.amazonaws.com");
  assert.equal(o.persistKey, "connect-chat-wasm");
  assert.equal(o.numbers[2], 150, "orderWindowMs");
  assert.equal(o.numbers[8], 3, "retry.maxAttempts");
  assert.equal(o.numbers.length, 12);
  assert.equal(readOptions({ participantToken: "t", endpoint: "http://127.0.0.1:8787/" }).endpoint, "http://127.0.0.1:8787");
  assert.equal(readOptions({ participantToken: "t", endpoint: "http://localhost:9/" }).endpoint, "http://localhost:9");
  assert.equal(readOptions({ participantToken: "t", endpoint: "https://proxy.example/chat/" }).endpoint, "https://proxy.example/chat");
  refused(() => readOptions({ participantToken: "t", endpoint: "http://proxy.example" }), /https/);
  refused(() => readOptions({ participantToken: "t", endpoint: "ftp://x" }));
  refused(() => readOptions("token"), /object/);
  refused(() => readOptions({}), /participantToken/);
  refused(() => readOptions({ participantToken: "  " }), /participantToken/);
  refused(() => readOptions({ participantToken: "t", region: "eu west" }), /region/);
  refused(() => readOptions({ participantToken: "t", retry: 5 }), /options.retry must be an object/);
  refused(() => readOptions({ participantToken: "t", retry: { maxAttempts: -1 } }), /retry.maxAttempts/);
  refused(() => readOptions({ participantToken: "t", fillGaps: "yes" }), /fillGaps/);
  refused(() => readOptions({ participantToken: "t", persist: 3 }), /persist/);
});
