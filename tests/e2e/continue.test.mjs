// Persistent chat in the widget (continue-chat): after a chat ends the customer may continue it (the
// start-chat backend gets SourceContactId), the earlier conversation shows above a divider, and a later
// visit is offered the same. Runs against the emulator's persistent chat. Screenshots go to test-results/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { watchErrors, artifacts } from "./harness.mjs";
import { assertAccessible, emulatorAndBrowser } from "./support.mjs";

let context, page, errors;
const chat = (p = page) => p.locator("#again");
const say = (contact, text) => env.api.say(contact, text);

/** A page with one <connect-chat continue-chat>; resolves to the page and a list of its chat-started details. */
async function mount(p) {
  await p.goto(`${env.emulator.url}/element.html`);
  return p.evaluate(() => {
    window.started = [];
    const el = document.createElement("connect-chat");
    Object.assign(el, { id: "again" });
    for (const [k, v] of Object.entries({ "start-chat-url": "/emulator/start-chat", endpoint: "/", title: "Again", "display-name": "Kim", "continue-chat": "", "confirm-end": "off" })) el.setAttribute(k, v);
    el.addEventListener("chat-started", (e) => window.started.push(e.detail.contactId));
    document.body.append(el);
  });
}
const started = (p = page) => p.evaluate(() => window.started);

const env = emulatorAndBrowser(async () => {
  context = await env.browser.newContext({ viewport: { width: 1100, height: 760 } });
  page = await context.newPage();
  errors = watchErrors(page);
});

test("an ended chat can be continued: the earlier conversation above a divider", async () => {
  await mount(page);
  await page.evaluate(() => document.getElementById("again").open());
  await page.waitForFunction(() => window.started.length === 1);
  const [first] = await started();
  await say(first, "Your parcel left today.");
  await chat().locator("li.msg.agent", { hasText: "Your parcel left today." }).waitFor();
  await page.evaluate(() => document.getElementById("again").end());
  const again = chat().locator(".status-other", { hasText: "Continue the previous conversation" });
  await again.waitFor();
  await again.click();
  await page.waitForFunction(() => window.started.length === 2);
  const [, second] = await started();
  assert.notEqual(second, first, "a new contact");
  const contacts = await env.api.contacts();
  assert.ok(contacts.some((c) => c.ContactId === second), "the emulator made it");
  await chat().locator("li.divider", { hasText: "Previous conversation" }).waitFor();
  await say(second, "Welcome back! How can I help?");
  await chat().locator("li.msg.agent", { hasText: "Welcome back!" }).waitFor();
  assert.equal(await chat().locator("li.msg.agent", { hasText: "Your parcel left today." }).count(), 1, "the earlier message, once");
  // Earlier message, then the divider, then the new one.
  const order = await chat().locator("li.msg.agent, li.divider").allTextContents();
  const at = (s) => order.findIndex((t) => t.includes(s));
  assert.ok(at("Your parcel") < at("Previous conversation") && at("Previous conversation") < at("Welcome back!"), order.join(" | "));
  await assertAccessible(page, "continued chat with its divider");
  await page.screenshot({ path: `${artifacts}/continue-1-continued.png` });
});

test("a later visit is offered to continue the chat that ended", async () => {
  await page.evaluate(() => document.getElementById("again").end());
  await chat().locator(".status.ended").waitFor();
  const later = await context.newPage(); // a new tab: no stored chat, the ended one remembered
  const laterErrors = watchErrors(later);
  await mount(later);
  await later.evaluate(() => document.getElementById("again").open());
  const offer = chat(later).locator(".status-other", { hasText: "Start a new chat" });
  await offer.waitFor();
  assert.match(await chat(later).locator(".status").innerText(), /Welcome back/);
  assert.equal(await started(later).then((s) => s.length), 0, "nothing starts until the customer chooses");
  await assertAccessible(later, "welcome back, continue or start anew");
  await later.screenshot({ path: `${artifacts}/continue-2-welcome-back.png` });
  await chat(later).locator(".status-action", { hasText: "Continue the previous conversation" }).click();
  await later.waitForFunction(() => window.started.length === 1);
  // The whole conversation comes back: both earlier contacts' messages, once each.
  await chat(later).locator("li.msg.agent", { hasText: "Welcome back!" }).waitFor();
  assert.equal(await chat(later).locator("li.msg.agent", { hasText: "Your parcel left today." }).count(), 1);
  assert.equal(await chat(later).locator("li.divider").count(), 1, "one divider");
  // axe-core, run from the test, applies inline styles the page's CSP blocks (and logs): not the widget's.
  const ours = (list) => list.filter((e) => !e.includes("Applying inline style violates"));
  assert.deepEqual(ours(laterErrors), []);
  assert.deepEqual(ours(errors), []);
});
