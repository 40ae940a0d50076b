// disconnectOnClose, the clean goodbye: closing the last tab of a chat disconnects the customer (the
// emulator's transcript gets the customer's participant.left, which the agent console shows), and neither
// a reload, nor going to another page and back, nor closing one of several tabs of the chat does. Through
// the widget (`disconnect-on-close`, www/goodbye.html) and through the library with shareAcrossTabs
// (www/tabs.html?goodbye). A tab that goes to a page without the chat and stays counts as closed (a page
// kept in the back-forward cache does not; headless Chromium keeps none). The goodbye is said by the library's service worker a few seconds after the tab
// went (goodbye-worker.js: GRACE_MS, 3 s), so every "not" below waits longer than that.
import { test } from "node:test";
import assert from "node:assert/strict";
import { watchErrors, artifacts } from "./harness.mjs";
import { chatInTabs, emulatorAndBrowser, sleep, until } from "./support.mjs";

const env = emulatorAndBrowser();

/** Longer than the worker's grace, with room for a slow machine. */
const PAST_GRACE_MS = 5_000;

/** Whether the customer has left contact `contactId` (their participant.left is in its transcript). */
async function customerLeft(contactId) {
  const items = await env.api.transcript(contactId);
  return items.some((i) => i.ContentType?.endsWith("participant.left") && i.ParticipantRole === "CUSTOMER");
}

/** Waits for the customer to leave; how long it took (ms). */
async function untilLeft(contactId) {
  const start = Date.now();
  await until(`the customer of ${contactId} to leave`, () => customerLeft(contactId), 15_000);
  return Date.now() - start;
}

const widget = (page) => page.locator("#connect-chat-wasm-widget");

/** The widget's chat is up: its composer takes text. */
const chatting = (page) => widget(page).locator("textarea:not([disabled])").waitFor();

/** A browser context with www/goodbye.html open and its widget's chat started. */
async function widgetChat() {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.emulator.url}/goodbye.html`);
  await widget(page).locator("button.launcher").click();
  await chatting(page);
  return { context, page, errors, contactId: (await env.api.contacts())[0].ContactId };
}

test("the widget with disconnect-on-close: a reload and a back-forward trip keep the chat; closing the tab ends it", async () => {
  const { context, page, errors, contactId } = await widgetChat();
  // The agent, in a browser of their own, has the chat open in the console.
  const agentContext = await env.browser.newContext({ viewport: { width: 1000, height: 700 } });
  const agent = await agentContext.newPage();
  await agent.goto(`${env.emulator.url}/agent.html`);
  await agent.locator("#contacts button").first().click();
  await agent.waitForFunction(() => document.getElementById("state").textContent === "connected");

  // A reload: the page that went hands the worker the goodbye, the reloaded one holds the chat again.
  await page.reload();
  await chatting(page);
  await sleep(PAST_GRACE_MS);
  assert.equal(await customerLeft(contactId), false, "a reload must not end the chat");
  await env.api.say(contactId, "still here after the reload");
  await widget(page).locator("li.msg.agent", { hasText: "still here after the reload" }).waitFor();

  // To another page of the site that shows the chat, then back (a fresh load each, in headless Chromium,
  // which keeps no page in its back-forward cache: the worker is handed the goodbye each time).
  await page.click("#another");
  await page.waitForURL(/page=2/);
  await chatting(page);
  await page.goBack();
  await page.waitForURL(/goodbye\.html$/);
  await chatting(page);
  await sleep(PAST_GRACE_MS);
  assert.equal(await customerLeft(contactId), false, "another page with the chat, or going back, must not end the chat");
  await env.api.say(contactId, "still here after the trip");
  await widget(page).locator("li.msg.agent", { hasText: "still here after the trip" }).waitFor();

  // Closing the tab: the customer leaves, seconds later, with nothing left open.
  await page.close({ runBeforeUnload: true });
  const took = await untilLeft(contactId);
  console.log(`# the customer left ${took} ms after the tab closed`);
  await agent.locator("#log li.note", { hasText: "left" }).waitFor();
  await agent.screenshot({ path: `${artifacts}/goodbye-agent-sees-the-customer-leave.png` });
  assert.deepEqual(errors, []);
  await context.close();
  await agentContext.close();
});

test("a reload slower than the grace (the widget's script held back 5 s) keeps the chat: the worker waits for the page at that address", async () => {
  const { context, page, errors, contactId } = await widgetChat();
  await page.route(/\/pkg\/widget\.js$/, async (route) => {
    await sleep(5_000);
    await route.continue();
  });
  await page.reload();
  await chatting(page);
  await sleep(PAST_GRACE_MS);
  assert.equal(await customerLeft(contactId), false, "a slow reload must not end the chat");
  await env.api.say(contactId, "still here after a slow reload");
  await widget(page).locator("li.msg.agent", { hasText: "still here after a slow reload" }).waitFor();
  await page.unrouteAll();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a tab that goes to a page without the chat, and stays, ends it too (the goodbye above is the worker's)", async () => {
  const { context, page, errors, contactId } = await widgetChat();
  await page.click("#away");
  await page.waitForURL(/basic\.html/);
  const took = await untilLeft(contactId);
  assert.ok(took >= 2_000, `the goodbye waits out the grace (${took} ms)`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("shareAcrossTabs with disconnectOnClose: closing two of three tabs keeps the chat; closing the last ends it", async () => {
  const { contactId, context, pages, errors } = await chatInTabs(env, "Goodbye tabs", 3, "?goodbye");
  // The leader first (its socket moves to another tab), then a follower.
  const leads = await Promise.all(pages.map((p) => p.evaluate(() => window.tab.leads())));
  const leader = pages[leads.indexOf(true)];
  await leader.close({ runBeforeUnload: true });
  const rest = pages.filter((p) => p !== leader);
  await rest[0].close({ runBeforeUnload: true });
  await sleep(PAST_GRACE_MS);
  assert.equal(await customerLeft(contactId), false, "a tab of the chat is still open");
  await env.api.say(contactId, "to the last tab");
  await rest[1].waitForFunction(() => window.tab.items.some((i) => i.content === "to the last tab"));

  await rest[1].close({ runBeforeUnload: true });
  const took = await untilLeft(contactId);
  console.log(`# the customer left ${took} ms after the last tab closed`);
  assert.deepEqual(errors.flat(), []);
  await context.close();
});
