// The npm package in a tiny Vite app (no plugins): `vite build` must bundle the module and its wasm, and
// the built app must chat in the browser.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, rmSync, readdirSync, statSync } from "node:fs";
import { build } from "vite";
import { startEmulator, launchBrowser, watchErrors, artifacts } from "../e2e/harness.mjs";

const root = new URL("../../", import.meta.url).pathname;
const work = `${root}target/vite-app`;
let emulator, browser;

before(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(`${work}/node_modules`, { recursive: true });
  cpSync(`${root}tests/bundlers/app`, work, { recursive: true });
  // Installed as a user's `npm install connect-chat-wasm` would leave it.
  cpSync(`${root}pkg`, `${work}/node_modules/connect-chat-wasm`, { recursive: true });
  await build({ root: work, logLevel: "warn", build: { outDir: `${work}/dist`, emptyOutDir: true } });
  emulator = await startEmulator("--static", `${work}/dist`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  emulator?.stop();
});

test("vite build emits the wasm as an asset", () => {
  const assets = readdirSync(`${work}/dist/assets`);
  const wasm = assets.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `assets: ${assets}`);
  assert.ok(statSync(`${work}/dist/assets/${wasm[0]}`).size > 10_000);
});

test("the built app connects and receives a message", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${emulator.url}/`);
  await page.waitForFunction(() => document.getElementById("state").textContent === "connected");
  const contactId = await page.locator("#state").getAttribute("data-contact-id");
  await fetch(`${emulator.url}/emulator/contacts/${contactId}/messages`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ Content: "hello from the agent" }),
  });
  await page.locator("#messages li", { hasText: "hello from the agent" }).waitFor();
  await page.screenshot({ path: `${artifacts}/vite-app.png` });
  assert.deepEqual(errors, []);
});
