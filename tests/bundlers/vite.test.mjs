// The npm package in a tiny Vite app (no plugins): `vite build` must bundle the module and its wasm, and
// the built app must chat in the browser; so must the page that imports the widget's element.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { build } from "vite";
import { startEmulator, launchBrowser } from "../e2e/harness.mjs";
import { prepareApp, appChats, widgetChats } from "./harness.mjs";

const { work } = prepareApp("vite-app");
let emulator, browser;

before(async () => {
  await build({
    root: work, logLevel: "warn",
    build: {
      outDir: `${work}/dist`, emptyOutDir: true, rollupOptions: { input: { main: `${work}/index.html`, widget: `${work}/widget.html` } },
      // As the README says for disconnectOnClose: Vite would inline the small worker as a data: URL, which
      // cannot be registered as a service worker.
      assetsInlineLimit: (file) => (file.endsWith("goodbye-worker.js") ? false : undefined),
    },
  });
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

test("vite build emits the goodbye worker (disconnectOnClose) as a file beside the module", () => {
  const assets = readdirSync(`${work}/dist/assets`);
  const worker = assets.filter((f) => /^goodbye-worker-.*\.js$/.test(f));
  assert.equal(worker.length, 1, `assets: ${assets}`);
  assert.match(readFileSync(`${work}/dist/assets/${worker[0]}`, "utf8"), /participant\/disconnect/);
  const module = assets.filter((f) => f.startsWith("connect_chat_wasm-")).map((f) => readFileSync(`${work}/dist/assets/${f}`, "utf8")).join("");
  assert.ok(module.includes(worker[0]) && !module.includes("data:text/javascript"), "the module points at the file");
});

test("the built app connects and receives a message", () => appChats(browser, emulator.url, "vite"));

test("the built app's <connect-chat> chats, in the page's language", () => widgetChats(browser, emulator.url, "vite"));
