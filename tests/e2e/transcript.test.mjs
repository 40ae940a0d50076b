// A long chat in the widget: the DOM keeps only the newest bubbles while the customer follows the chat,
// and scrolling up (or "Earlier messages") brings back every earlier one, in order, each once, without
// moving what the customer was reading. Screenshots go to test-results/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, launchBrowser, watchErrors, artifacts } from "./harness.mjs";

let emulator, browser, page, errors;
const root = () => page.locator("#connect-chat-wasm-widget");
const N = 700;

before(async () => {
  emulator = await startEmulator();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  page = await context.newPage();
  errors = watchErrors(page);
});
after(async () => {
  await browser?.close();
  emulator?.stop();
});

/** The texts of the agent's bubbles in the DOM, in order. */
const bubbles = () => page.evaluate(() => [...document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.agent .text")].map((p) => p.textContent));

test("a burst of 700 messages keeps the DOM small and the newest in view", async () => {
  await page.goto(`${emulator.url}/`);
  await root().locator("button.launcher").click();
  await root().locator("textarea:not([disabled])").waitFor();
  const contacts = await (await fetch(`${emulator.url}/emulator/contacts`)).json();
  const contact = contacts.Contacts[0].ContactId;
  await fetch(`${emulator.url}/emulator/contacts/${contact}/burst`, { method: "POST", body: JSON.stringify({ Count: N }) });
  await page.waitForFunction((last) => {
    const shown = document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.agent .text");
    return shown.length && shown[shown.length - 1].textContent === last;
  }, `burst ${N - 1}`, { timeout: 60_000 });
  const mounted = await page.evaluate(() => document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll(".log > li").length);
  assert.ok(mounted <= 201, `at most MOUNTED + SLACK + the button in the DOM (${mounted})`);
  const shown = await bubbles();
  assert.deepEqual(shown, shown.map((_, i) => `burst ${N - shown.length + i}`), "the newest, in order, each once");
  // The newest bubble is in view (the log follows).
  const inView = await root().locator("li.msg.agent").last().evaluate((li) => {
    const log = li.closest(".log").getBoundingClientRect();
    const r = li.getBoundingClientRect();
    return r.bottom <= log.bottom + 1 && r.top >= log.top - 1;
  });
  assert.ok(inView, "the newest bubble is in view");
  // A burst mounts only as many as fill the view, but always enough to fill it: no gap above them.
  const fills = await root().locator(".log").evaluate((l) => l.scrollHeight > l.clientHeight && l.scrollTop > 0);
  assert.ok(fills, "the bubbles on the page fill the view");
  await root().locator("button.earlier-button").waitFor({ state: "attached" });
  await page.screenshot({ path: `${artifacts}/transcript-1-burst.png` });
});

test("scrolling up brings back every earlier message, in order, each once, keeping the place", async () => {
  const log = root().locator(".log");
  // Scrolled to the top, the page before comes back by itself.
  const count = () => page.evaluate(() => document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.agent").length);
  const first = await count();
  await log.evaluate((l) => (l.scrollTop = 0));
  await page.waitForFunction((n) => document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.agent").length > n, first);
  // And by keyboard, with the button: what the customer was reading stays where it was.
  await root().locator("button.earlier-button").focus();
  const top = await root().locator("li.msg.agent .text").first().textContent();
  const topBubble = () => root().locator("li.msg.agent .text", { hasText: new RegExp(`^${top}$`) });
  const before = await topBubble().evaluate((p) => p.closest("li").getBoundingClientRect().top);
  const loaded = await count();
  await page.keyboard.press("Enter");
  await page.waitForFunction((n) => document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.agent").length > n, loaded);
  const after = await topBubble().evaluate((p) => p.closest("li").getBoundingClientRect().top);
  // Bubbles coming back are not announced again: the live region is quiet while they go in, then speaks.
  const liveNow = () => root().locator("[role=log]").getAttribute("aria-live");
  assert.equal(await liveNow(), "off");
  await page.waitForTimeout(400);
  assert.equal(await liveNow(), "polite");
  assert.ok(Math.abs(after - before) < 2, `the bubble that was on top stays where it was (${before} → ${after})`);
  await page.screenshot({ path: `${artifacts}/transcript-2-earlier.png` });
  // Then by scrolling to the top, again and again, until nothing is left to bring back.
  for (let i = 0; i < 40 && (await root().locator("button.earlier-button").count()) > 0; i++) {
    await log.evaluate((l) => (l.scrollTop = 0));
    await page.waitForTimeout(100);
  }
  assert.equal(await root().locator("button.earlier-button").count(), 0, "everything is back");
  const all = (await bubbles()).filter((t) => t.startsWith("burst "));
  assert.equal(all.length, N);
  assert.deepEqual(all, all.map((_, i) => `burst ${i}`), "every message, in order, each once");
  // Back at the bottom, the view follows again and the DOM shrinks back with the next messages.
  await log.evaluate((l) => (l.scrollTop = l.scrollHeight));
  await page.waitForTimeout(200);
  const contact = (await (await fetch(`${emulator.url}/emulator/contacts`)).json()).Contacts[0].ContactId;
  await fetch(`${emulator.url}/emulator/contacts/${contact}/burst`, { method: "POST", body: JSON.stringify({ Count: 60 }) });
  await page.waitForFunction(() => {
    const shown = document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.agent .text");
    return shown[shown.length - 1]?.textContent === "burst 59";
  }, null, { timeout: 30_000 });
  const mounted = await page.evaluate(() => document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll(".log > li").length);
  assert.ok(mounted <= 201, `trimmed again once followed (${mounted})`);
  assert.deepEqual(errors, []);
});

test("the view that opens after a burst, or grows after one, shows the newest and is filled", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const other = await context.newPage();
  const errs = watchErrors(other);
  const widget = other.locator("#connect-chat-wasm-widget");
  const last = (text) => other.waitForFunction((t) => [...document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.agent .text")].pop()?.textContent === t, text, { timeout: 30_000 });
  /** The log is filled and shows its end (waited for: it follows at the next frame). */
  const newestInFullView = () => other.waitForFunction(() => {
    const l = document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelector(".log");
    return l.clientHeight > 0 && l.scrollHeight > l.clientHeight && l.scrollHeight - l.scrollTop - l.clientHeight < 2;
  }, null, { timeout: 5_000 });
  await other.goto(`${emulator.url}/`);
  await widget.locator("button.launcher").click();
  await widget.locator("textarea:not([disabled])").waitFor();
  const contact = (await (await fetch(`${emulator.url}/emulator/contacts`)).json()).Contacts[0].ContactId;
  const burst = (n) => fetch(`${emulator.url}/emulator/contacts/${contact}/burst`, { method: "POST", body: JSON.stringify({ Count: n }) });
  // Messages that came while the panel was minimised: opened, it shows the newest.
  await widget.locator("button.close").click();
  await burst(300);
  await last("burst 299");
  await widget.locator("button.launcher").click();
  await newestInFullView();
  assert.deepEqual((await widget.locator("li.msg.agent .text").allTextContents()).slice(-2), ["burst 298", "burst 299"]);
  // A burst in a view a few bubbles tall mounts a few; the view grown, earlier ones come back to fill it.
  await other.setViewportSize({ width: 1100, height: 300 });
  await burst(250);
  await last("burst 249");
  await other.setViewportSize({ width: 1100, height: 760 });
  await newestInFullView();
  assert.deepEqual((await widget.locator("li.msg.agent .text").allTextContents()).slice(-2), ["burst 248", "burst 249"]);
  assert.deepEqual(errs, []);
  await context.close();
});
