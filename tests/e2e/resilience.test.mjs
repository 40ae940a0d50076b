// The widget when things go wrong: a reload during an outage keeps the chat, a chat that ended while the
// page was away is said to be over, the final status stays final, no credential shows in an error, names
// cannot reorder the text around them, and a blocked stylesheet is reported. Screenshots go to
// test-results/resilience-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, launchBrowser, watchErrors, artifacts } from "./harness.mjs";

let emulator, browser, context, page, errors;
const shot = (name) => page.screenshot({ path: `${artifacts}/resilience-${name}.png` });
const widget = () => page.locator("#connect-chat-wasm-widget");
const control = (path, body) =>
  fetch(`${emulator.url}/emulator/${path}`, { method: body ? "POST" : "GET", body: body && JSON.stringify(body) }).then((r) => r.json());
const contacts = async () => (await control("contacts")).Contacts;
const say = (contactId, Content) => control(`contacts/${contactId}/messages`, { Content });

before(async () => {
  emulator = await startEmulator();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 900, height: 720 } });
  page = await context.newPage();
  errors = watchErrors(page);
});
after(async () => {
  await browser?.close();
  emulator?.stop();
});

async function openChat() {
  await widget().locator("button.launcher").click();
  await widget().locator("textarea:not([disabled])").waitFor();
}

test("a reload during an outage keeps the chat: a retry resumes it, no second contact", async () => {
  await page.goto(`${emulator.url}/`);
  await openChat();
  const [contact] = await contacts();
  await say(contact.ContactId, "Hello, how can I help?");
  await widget().locator("li.msg.agent", { hasText: "how can I help" }).waitFor();

  // The service is down: every CreateParticipantConnection fails for a while, across the reload.
  await control("faults/connection", { Status: 503, Count: 1000 });
  await page.reload();
  const status = widget().locator(".status.error");
  await status.waitFor({ timeout: 30_000 });
  assert.match(await status.innerText(), /could not start/);
  await shot("1-outage-retry");
  // The service is back; "Try again" resumes the same chat, with its history.
  await control("faults/connection", { Status: 0, Count: 0 });
  await widget().locator(".status button", { hasText: "Try again" }).click();
  await widget().locator("textarea:not([disabled])").waitFor();
  await widget().locator("li.msg.agent", { hasText: "how can I help" }).waitFor();
  assert.equal((await contacts()).length, 1, "the customer is still in the first contact");
  await say(contact.ContactId, "Still here?");
  await widget().locator("li.msg.agent", { hasText: "Still here?" }).waitFor();
});

test("a chat that ended while the page was away is over, and a new one can start", async () => {
  const [contact] = await contacts();
  await page.goto("about:blank");
  await control(`contacts/${contact.ContactId}/events`, { ContentType: "application/vnd.amazonaws.connect.event.chat.ended" });
  await page.goBack();
  const ended = widget().locator(".status.ended");
  await ended.waitFor();
  assert.match(await ended.innerText(), /ended/);
  assert.equal(await widget().locator("textarea").isDisabled(), true);
  await shot("2-ended-while-away");
  await widget().locator(".status button", { hasText: "Start a new chat" }).click();
  await widget().locator("textarea:not([disabled])").waitFor();
  assert.equal((await contacts()).length, 2, "a new contact");
  assert.equal(await widget().locator("li.msg", { hasText: "how can I help" }).count(), 0, "the new chat starts empty");
});

test("the chat ending during an outage: the final status is not overwritten by the reconnect banner", async () => {
  const [contact] = await contacts(); // newest first
  await control(`contacts/${contact.ContactId}/drop`, { RefuseMs: 3000 });
  await control(`contacts/${contact.ContactId}/events`, { ContentType: "application/vnd.amazonaws.connect.event.chat.ended" });
  const ended = widget().locator(".status.ended");
  await ended.waitFor({ timeout: 15_000 });
  await page.waitForTimeout(1_000); // past the banner's 400 ms delay
  assert.equal(await widget().locator(".status.warning").count(), 0);
  assert.match(await widget().locator(".status").innerText(), /ended|disconnected/);
});

test("an error message never shows a credential, and names are isolated from the text around them", async () => {
  await widget().locator(".status button", { hasText: "Start a new chat" }).click();
  await widget().locator("textarea:not([disabled])").waitFor();
  // The agent sends a file whose name holds a right-to-left override ("invoice‮txt.exe" would read as
  // "invoiceexe.txt").
  const agentPage = await context.newPage();
  await agentPage.goto(`${emulator.url}/agent.html`);
  await agentPage.locator("#contacts button").first().click();
  await agentPage.waitForFunction(() => document.getElementById("state").textContent === "connected");
  await agentPage.locator("input[type=file]").setInputFiles({ name: "invoice\u202Etxt.exe", mimeType: "text/plain", buffer: Buffer.from("x") });
  const file = widget().locator("li.msg.agent button.file-link");
  await file.waitFor();
  // Its name sits in its own <bdi>, without the override: it reads as what it is.
  assert.equal(await file.locator("bdi").innerText(), "invoicetxt.exe");
  // The download of the pre-signed URL fails: the note says so without the URL's signed query.
  await page.route(/\/emulator\/attachments\//, (route) => route.abort("connectionreset"));
  await file.click();
  const note = widget().locator("li.note", { hasText: "Could not download" });
  await note.waitFor();
  const text = await note.innerText();
  assert.match(text, /emulator\/attachments\//, "the note names the URL");
  assert.doesNotMatch(text, /\?|sig=|X-Amz|token/i, text);
  assert.equal(await note.locator("bdi").first().innerText(), "invoicetxt.exe", "and in the note, isolated");
  await shot("3-no-credentials");
  await agentPage.close();
  await page.unrouteAll();
});

test("a blocked stylesheet is reported and the chat still shows", async () => {
  const blocked = await context.newPage();
  const consoleErrors = [];
  blocked.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  await blocked.route(/\/widget\.css$/, (route) => route.abort("blockedbyclient"));
  await blocked.goto(`${emulator.url}/`);
  const launcher = blocked.locator("#connect-chat-wasm-widget button.launcher");
  await launcher.waitFor({ state: "visible" });
  assert.match(await launcher.innerText(), /Open chat/, "unstyled, the launcher still says what it is");
  assert.ok(consoleErrors.some((e) => /stylesheet .*widget\.css did not load/.test(e)), consoleErrors.join("\n"));
  await blocked.screenshot({ path: `${artifacts}/resilience-4-unstyled.png` });
  await blocked.close();
});

test("nothing else went wrong on the page", () => {
  // Expected: the refused connection calls of the outage, the 403 of the chat that had ended, and the
  // failed download; nothing else (no CSP violation, no page error).
  const expected = (e) =>
    /HTTP 5\d\d POST \S+\/participant\/connection/.test(e) ||
    /HTTP 403 POST \S+\/participant\/connection/.test(e) ||
    /WebSocket handshake: Unexpected response code: 500/.test(e) ||
    e.includes("favicon");
  assert.deepEqual(errors.filter((e) => !expected(e)), []);
});
