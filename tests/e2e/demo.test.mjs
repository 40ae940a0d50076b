// The API on its own (www/basic.html) with the release package: a customer chats with the emulated agent. This is the only
// test that loads the wasm as shipped (release build, wasm-opt), so it also guards the build itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, launchBrowser, watchErrors, artifacts } from "./harness.mjs";

let emulator, browser;
before(async () => {
  emulator = await startEmulator();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  emulator?.stop();
});

test("the demo starts a chat and shows both sides, as text", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${emulator.url}/basic.html`);
  await page.click("#start");
  await page.waitForFunction(() => document.getElementById("state").textContent === "connected");
  await page.fill("#message", "Hi, I need help with my order");
  await page.click("#send");
  await page.fill("#agent-message", "Sure! <img src=x onerror=alert(1)>");
  await page.click("#agent-send");
  await page.waitForFunction(() => document.querySelectorAll("#transcript li").length >= 3);
  const text = await page.locator("#transcript").innerText();
  assert.match(text, /Hi, I need help with my order/);
  assert.match(text, /Sure! <img src=x onerror=alert\(1\)>/, "markup is shown as characters");
  assert.equal(await page.locator("#transcript img").count(), 0, "and never becomes an element");
  await page.screenshot({ path: `${artifacts}/demo.png` });
  await page.click("#agent-end");
  await page.waitForFunction(() => document.getElementById("state").textContent === "ended");
  assert.deepEqual(errors.filter((e) => !e.includes("favicon")), []);
});
