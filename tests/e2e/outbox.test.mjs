// The widget on the library's outbox: what the customer types while the connection is down shows greyed
// ("Waiting to send…") and goes out once it is back, in order, each once; a send held up when the page
// reloads is shown again on the new page and still reaches the agent once. Screenshots in test-results/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { watchErrors, artifacts } from "./harness.mjs";
import { assertAccessible, emulatorAndBrowser } from "./support.mjs";

let context, page, errors, contact;
const root = () => page.locator("#connect-chat-wasm-widget");
/** What the customer said, as the service recorded it. */
const recorded = async () =>
  (await env.api.transcript(contact)).filter((i) => i.Type === "MESSAGE" && i.ParticipantRole === "CUSTOMER").map((i) => i.Content);
const type = async (text) => {
  await root().locator("textarea").fill(text);
  await root().locator("textarea").press("Enter");
};

const env = emulatorAndBrowser(async () => {
  context = await env.browser.newContext({ viewport: { width: 1100, height: 760 } });
  page = await context.newPage();
  errors = watchErrors(page);
  await page.goto(`${env.emulator.url}/`);
  await root().locator("button.launcher").click();
  await root().locator("textarea:not([disabled])").waitFor();
  contact = (await env.api.contacts())[0].ContactId;
});

test("typed while offline: greyed and waiting, then sent once each, in order", async () => {
  await context.setOffline(true);
  await root().locator(".status.warning").waitFor({ timeout: 15_000 }); // reconnecting
  await type("First, while offline");
  await type("Second, still offline");
  const waiting = root().locator("li.msg.customer.waiting");
  await waiting.nth(1).waitFor();
  assert.equal(await waiting.first().locator(".receipt").getAttribute("aria-label"), "Waiting to send…");
  await assertAccessible(page, "messages waiting to send");
  await page.screenshot({ path: `${artifacts}/outbox-1-waiting.png` });
  assert.deepEqual(await recorded(), [], "nothing reached the service yet");
  await context.setOffline(false);
  await page.waitForFunction(() => document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.customer:not(.pending):not(.waiting):not(.failed)").length >= 2, null, { timeout: 30_000 });
  assert.equal(await root().locator("li.msg.customer.waiting, li.msg.customer.pending").count(), 0);
  assert.deepEqual(await recorded(), ["First, while offline", "Second, still offline"]);
  for (const text of ["First, while offline", "Second, still offline"]) {
    assert.equal(await root().locator("li.msg.customer", { hasText: text }).count(), 1, `${text} shown once`);
  }
});

test("a send held up when the page reloads is shown again and reaches the agent once", async () => {
  // SendMessage answers nothing (the request hangs) until the page has reloaded.
  await page.route("**/participant/message", () => {});
  await type("Sent just before the reload");
  await root().locator("li.msg.customer.pending", { hasText: "Sent just before the reload" }).waitFor();
  await page.unroute("**/participant/message");
  await page.reload();
  const launcher = root().locator("button.launcher");
  await launcher.waitFor();
  if ((await launcher.getAttribute("aria-expanded")) !== "true") await launcher.click();
  await root().locator("li.msg.customer", { hasText: "Sent just before the reload" }).first().waitFor();
  // Sent: the bubble is the message's own (no longer pending), whichever came first, the answer or the echo.
  await page.waitForFunction(() => [...document.getElementById("connect-chat-wasm-widget").shadowRoot.querySelectorAll("li.msg.customer")]
    .some((li) => li.textContent.includes("Sent just before the reload") && !li.matches(".pending, .waiting, .failed")), null, { timeout: 30_000 });
  await page.waitForTimeout(500); // GetTranscript and the echo are in
  assert.deepEqual(await recorded(), ["First, while offline", "Second, still offline", "Sent just before the reload"], "each once, in order");
  assert.equal(await root().locator("li.msg.customer", { hasText: "Sent just before the reload" }).count(), 1, "shown once");
  await page.screenshot({ path: `${artifacts}/outbox-2-after-reload.png` });
  // The browser logs what the offline period refused; axe-core (run from the test) applies inline styles
  // the page's CSP blocks.
  const noise = (e) => /WebSocket|ERR_INTERNET_DISCONNECTED|Failed to fetch|net::|Applying inline style violates/.test(e);
  assert.deepEqual(errors.filter((e) => !noise(e)), []);
});
