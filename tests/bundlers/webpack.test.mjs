// The npm package bundled by webpack 5 (no loaders, no plugins): the wasm must come out as an asset and
// the built app must chat in the browser.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, rmSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import webpack from "webpack";
import { startEmulator, launchBrowser, watchErrors, artifacts } from "../e2e/harness.mjs";

const root = new URL("../../", import.meta.url).pathname;
const work = `${root}target/webpack-app`;
let emulator, browser;

function build(config) {
  return new Promise((resolve, reject) =>
    webpack(config, (err, stats) => (err || stats.hasErrors() ? reject(err || new Error(stats.toString("errors-only"))) : resolve(stats))));
}

before(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(`${work}/node_modules`, { recursive: true });
  cpSync(`${root}tests/bundlers/app/main.js`, `${work}/main.js`);
  cpSync(`${root}pkg`, `${work}/node_modules/connect-chat-wasm`, { recursive: true });
  await build({
    mode: "production",
    context: work,
    entry: "./main.js",
    output: { path: `${work}/dist`, filename: "main.js", publicPath: "auto" },
    experiments: { topLevelAwait: true },
  });
  // webpack's output is a classic script (top-level await is compiled into an async module).
  const html = readFileSync(`${root}tests/bundlers/app/index.html`, "utf8").replace('type="module" ', "");
  writeFileSync(`${work}/dist/index.html`, html);
  emulator = await startEmulator("--static", `${work}/dist`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  emulator?.stop();
});

test("webpack emits the wasm as an asset", () => {
  const files = readdirSync(`${work}/dist`);
  assert.equal(files.filter((f) => f.endsWith(".wasm")).length, 1, `dist: ${files}`);
});

test("the webpack-built app connects and receives a message", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${emulator.url}/`);
  await page.waitForFunction(() => document.getElementById("state").textContent === "connected");
  const contactId = await page.locator("#state").getAttribute("data-contact-id");
  await fetch(`${emulator.url}/emulator/contacts/${contactId}/messages`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ Content: "hello via webpack" }),
  });
  await page.locator("#messages li", { hasText: "hello via webpack" }).waitFor();
  await page.screenshot({ path: `${artifacts}/webpack-app.png` });
  assert.deepEqual(errors, []);
});
