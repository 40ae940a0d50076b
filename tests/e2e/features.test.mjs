// What the hosted Amazon Connect widget offers, and what its users ask for, in <connect-chat>: each
// message's status (sending, sent, delivered, read; failed, retried without a duplicate), the end-chat
// confirmation, the post-chat message and survey link, a new chat without a reload, the transcript
// download, and the optional tone and browser notification while the page is hidden. Screenshots go to
// test-results/features-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startEmulator, launchBrowser, watchErrors, artifacts } from "./harness.mjs";
import { controlApi } from "./support.mjs";

const EVENT = "application/vnd.amazonaws.connect.event.";
let emulator, api, browser, context, page, errors, contactId;
const shot = (name) => page.screenshot({ path: `${artifacts}/features-${name}.png`, animations: "disabled" });
const chat = () => page.locator("connect-chat#sales");
const mine = (text) => chat().locator("li.msg.customer", { hasText: text });

// Spies on the page's own APIs (they still do their work): notifications shown, tones played; and a
// switch for `document.hidden`, since a headless page is never hidden by itself.
const SPIES = () => {
  window.spied = { notifications: [], tones: 0 };
  const Real = window.Notification;
  window.Notification = new Proxy(Real, {
    construct(target, args) {
      window.spied.notifications.push({ title: args[0], body: args[1]?.body });
      return Reflect.construct(target, args);
    },
  });
  const osc = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    window.spied.tones++;
    return osc.call(this);
  };
  let hidden = false;
  Object.defineProperty(Document.prototype, "hidden", { get: () => hidden, configurable: true });
  Object.defineProperty(Document.prototype, "visibilityState", { get: () => (hidden ? "hidden" : "visible"), configurable: true });
  window.setHidden = (h) => {
    hidden = h;
    document.dispatchEvent(new Event("visibilitychange"));
  };
};

before(async () => {
  emulator = await startEmulator();
  api = controlApi(emulator.url);
  browser = await launchBrowser(["--autoplay-policy=no-user-gesture-required"]);
  context = await browser.newContext({ viewport: { width: 1100, height: 760 }, acceptDownloads: true });
  await context.grantPermissions(["notifications"], { origin: emulator.url });
  await context.addInitScript(SPIES);
  page = await context.newPage();
  errors = watchErrors(page);
  await page.goto(`${emulator.url}/element.html`);
  await chat().locator("button.launcher").click();
  await chat().locator("textarea:not([disabled])").waitFor();
  contactId = await api.contactOf("Sam (customer)");
});
after(async () => {
  await browser?.close();
  emulator?.stop();
});

async function send(text) {
  await chat().locator("textarea").fill(text);
  await chat().locator("textarea").press("Enter");
}

test("each message shows its status: sending, sent, delivered, read", async () => {
  // SendMessage held back for a moment: the bubble is there at once, "Sending…".
  let release;
  const held = new Promise((r) => (release = r));
  await page.route("**/participant/message", async (route) => {
    await held;
    await route.continue();
  });
  await send("Do you ship to Norway?");
  const receipt = mine("ship to Norway").locator(".receipt.pending");
  await receipt.waitFor();
  assert.equal(await receipt.getAttribute("aria-label"), "Sending…");
  assert.equal(await receipt.innerText(), "Sending…");
  await shot("1-sending");
  release();
  await mine("ship to Norway").locator(".receipt.sent").waitFor();
  await page.unroute("**/participant/message");
  const id = await mine("ship to Norway").getAttribute("data-id");
  assert.doesNotMatch(id, /^pending/, "the bubble became the message's own");
  await api.call(`contacts/${contactId}/events`, { ContentType: `${EVENT}message.delivered`, Content: JSON.stringify({ messageId: id }) });
  await mine("ship to Norway").locator(".receipt.delivered").waitFor();
  await api.call(`contacts/${contactId}/events`, { ContentType: `${EVENT}message.read`, Content: JSON.stringify({ messageId: id }) });
  await mine("ship to Norway").locator(".receipt.read").waitFor();
  assert.equal(await mine("ship to Norway").locator(".receipt").getAttribute("aria-label"), "Read");
  // Shown once, though the service echoed it on the socket too.
  await page.waitForTimeout(300);
  assert.equal(await mine("ship to Norway").count(), 1);
});

test("a message that fails says so and is retried, reaching the agent once", async () => {
  await page.route("**/participant/message", (route) => route.fulfill({ status: 400, contentType: "application/json",
    body: JSON.stringify({ message: "simulated refusal" }), headers: { "x-amzn-ErrorType": "ValidationException" } }));
  await send("Is the blue jacket in stock?");
  const bubble = mine("blue jacket in stock");
  await bubble.locator(".receipt.failed").waitFor();
  assert.equal(await bubble.locator(".receipt").innerText(), "Not sent");
  await shot("2-failed");
  await page.unroute("**/participant/message");
  await bubble.locator("button.resend").click();
  await bubble.locator(".receipt.sent").waitFor();
  const said = (await api.transcript(contactId)).filter((i) => i.ParticipantRole === "CUSTOMER" && i.Content === "Is the blue jacket in stock?");
  assert.equal(said.length, 1, "sent once");
  assert.equal(await mine("blue jacket in stock").count(), 1, "shown once");
  assert.equal(await chat().locator("textarea").evaluate((t) => t.getRootNode().activeElement === t), true, "focus back in the composer");
});

test("while the page is hidden, a message plays a tone and shows a notification; the title counts it", async () => {
  const title = await page.title();
  await page.evaluate(() => window.setHidden(true));
  await api.say(contactId, "Yes, we ship to Norway in 3 days.");
  await page.waitForFunction(() => window.spied.notifications.length === 1);
  assert.deepEqual(await page.evaluate(() => window.spied.notifications), [{ title: "New message from Agent", body: "Yes, we ship to Norway in 3 days." }]);
  assert.ok(await page.evaluate(() => window.spied.tones) >= 2, "two notes");
  assert.equal(await page.title(), `(1) ${title}`);
  await page.evaluate(() => window.setHidden(false));
  await page.waitForFunction((t) => document.title === t, title);
  assert.equal(await page.evaluate(() => document.getElementById("sales").unreadCount), 0, "seen once the page is back");
});

test("the transcript downloads as text, with times and names", async () => {
  const [download] = await Promise.all([page.waitForEvent("download"), chat().locator("button.download").click()]);
  assert.match(download.suggestedFilename(), /^chat-transcript-\d{4}-\d{2}-\d{2}\.txt$/);
  const text = readFileSync(await download.path(), "utf8");
  const lines = text.trim().split("\n");
  assert.equal(lines[0], "Sales");
  assert.ok(lines.some((l) => /^\[.+\] You: Do you ship to Norway\?$/.test(l)), text);
  assert.ok(lines.some((l) => /^\[.+\] You: Is the blue jacket in stock\?$/.test(l)), text);
  assert.ok(lines.some((l) => /^\[.+\] Agent: Yes, we ship to Norway in 3 days\.$/.test(l)), text);
  assert.equal(lines.filter((l) => l.includes("blue jacket")).length, 1, "each message once");
});

test("ending asks first; then the post-chat message and survey link; then a new chat without a reload", async () => {
  await chat().locator("button.end").click();
  const confirm = chat().locator(".confirm-end");
  await confirm.waitFor();
  assert.equal(await confirm.getAttribute("role"), "alertdialog");
  assert.equal(await chat().locator("button.confirm-no").evaluate((b) => b.getRootNode().activeElement === b), true, "focus on Cancel");
  await shot("3-confirm-end");
  // Cancel (here by Escape) keeps the chat, and the panel open.
  await page.keyboard.press("Escape");
  assert.equal(await confirm.isHidden(), true);
  assert.equal(await page.evaluate(() => document.getElementById("sales").isOpen), true);
  assert.equal(await page.evaluate(() => document.getElementById("sales").session.state), "connected");
  assert.equal(await chat().locator("button.end").evaluate((b) => b.getRootNode().activeElement === b), true, "focus back on End chat");

  await chat().locator("button.end").click();
  await chat().locator("button.confirm-yes").click();
  await chat().locator(".status.ended").waitFor();
  assert.match(await chat().locator(".status").innerText(), /You ended the chat/);
  const card = chat().locator("li.post-chat");
  await card.waitFor();
  assert.match(await card.innerText(), /Thanks for chatting with Sales!/);
  assert.equal(await card.locator("a").getAttribute("href"), "https://example.com/survey");
  assert.equal(await card.locator("a").innerText(), "Tell us how we did");
  const ended = (await page.evaluate(() => [...document.querySelectorAll('#events li[data-type="chat-ended"]')].map((l) => l.textContent)));
  assert.deepEqual(ended, ['sales: chat-ended {"by":"customer"}']);
  // Focus was on the panel's controls, now disabled: it is on "Start a new chat", never lost.
  assert.equal(await chat().locator(".status-action").evaluate((b) => b.getRootNode().activeElement === b), true);
  await shot("4-ended");

  const before = (await api.contacts()).length;
  await chat().locator(".status-action", { hasText: "Start a new chat" }).click();
  await chat().locator("textarea:not([disabled])").waitFor();
  assert.equal((await api.contacts()).length, before + 1, "a new contact");
  assert.equal(await chat().locator("li.msg", { hasText: "Norway" }).count(), 0, "the new chat starts empty");
  assert.equal(await chat().locator("li.post-chat").count(), 0);
  const started = await page.evaluate(() => document.querySelectorAll('#events li[data-type="chat-started"][data-widget="sales"]').length);
  assert.equal(started, 2);
  await shot("5-new-chat");
});

test("no page errors but the simulated refusal", () => {
  assert.deepEqual(errors.filter((e) => !e.includes("favicon") && !/HTTP 400 POST \S+\/participant\/message/.test(e)), []);
});
