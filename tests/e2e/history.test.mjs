// Instant history: after a reload the widget shows the chat from IndexedDB before it has even connected,
// then GetTranscript fills in, each message once; the chat's ending deletes what was kept.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, launchBrowser, watchErrors, artifacts } from "./harness.mjs";
import { controlApi } from "./support.mjs";

let emulator, api, browser, page, errors;
const root = () => page.locator("#connect-chat-wasm-widget");
const say = (contact, text) => api.say(contact, text);
/** The kept records, read from the page's IndexedDB. */
const kept = () => page.evaluate(() => new Promise((resolve) => {
  const req = indexedDB.open("connect-chat-wasm", 1);
  req.onupgradeneeded = () => req.result.createObjectStore("history");
  req.onsuccess = () => {
    const all = req.result.transaction("history").objectStore("history").getAll();
    all.onsuccess = () => {
      resolve(all.result.map((r) => r.items.length));
      req.result.close();
    };
  };
}));

before(async () => {
  emulator = await startEmulator();
  api = controlApi(emulator.url);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1100, height: 760 } })).newPage();
  errors = watchErrors(page);
});
after(async () => {
  await browser?.close();
  emulator?.stop();
});

test("after a reload the chat shows at once, before it connects, and each message once", async () => {
  await page.goto(`${emulator.url}/`);
  await root().locator("button.launcher").click();
  await root().locator("textarea:not([disabled])").fill("Do you ship to Norway?");
  await root().locator("textarea").press("Enter");
  const contact = (await api.contacts())[0].ContactId;
  for (const text of ["Hello!", "Yes, we ship to Norway.", "Delivery takes 3 days."]) await say(contact, text);
  await root().locator("li.msg.agent", { hasText: "Delivery takes 3 days." }).waitFor();
  await root().locator("li.msg.customer .receipt:not(.pending)").waitFor();
  await page.waitForTimeout(1_300); // the history is written at most once a second
  const [items] = await kept();
  assert.ok(items >= 4, `the chat's items are kept, its four messages among them (${items})`);

  // The service is slow to answer after the reload: what was on screen shows without it.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/participant/connection", async (route) => {
    await held;
    await route.continue();
  });
  await page.reload();
  const launcher = root().locator("button.launcher");
  await launcher.waitFor();
  if ((await launcher.getAttribute("aria-expanded")) !== "true") await launcher.click();
  for (const text of ["Do you ship to Norway?", "Hello!", "Yes, we ship to Norway.", "Delivery takes 3 days."]) {
    await root().locator("li.msg", { hasText: text }).waitFor({ timeout: 5_000 });
  }
  assert.ok(await root().locator("textarea[disabled]").count(), "still connecting");
  await page.screenshot({ path: `${artifacts}/history-1-before-connecting.png` });
  release();
  await root().locator("textarea:not([disabled])").waitFor();
  await say(contact, "Anything else?");
  await root().locator("li.msg.agent", { hasText: "Anything else?" }).waitFor();
  await page.waitForTimeout(300); // GetTranscript's answer is in
  for (const text of ["Do you ship to Norway?", "Hello!", "Yes, we ship to Norway.", "Delivery takes 3 days.", "Anything else?"]) {
    assert.equal(await root().locator("li.msg", { hasText: text }).count(), 1, `${text} once`);
  }
});

test("the chat's ending deletes what was kept", async () => {
  await root().locator("button.end").click();
  await root().locator("button.confirm-yes").click();
  await root().locator(".status.ended").waitFor();
  await page.waitForTimeout(300);
  assert.deepEqual(await kept(), [], "nothing of the ended chat stays in the browser");
  assert.deepEqual(errors, []);
});
