// The npm package in a tiny Vite app (no plugins): `vite build` must bundle the module and its wasm, and
// the built app must chat in the browser; so must the page that imports the widget's element.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { build } from "vite";
import { startEmulator, launchBrowser } from "../e2e/harness.mjs";
import { prepareApp, appChats, widgetChats } from "./harness.mjs";

const { work } = prepareApp("vite-app");
let emulator, browser;

before(async () => {
  await build({
    root: work, logLevel: "warn",
    build: { outDir: `${work}/dist`, emptyOutDir: true, rollupOptions: { input: { main: `${work}/index.html`, widget: `${work}/widget.html` } } },
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

test("the built app connects and receives a message", () => appChats(browser, emulator.url, "vite"));

test("the built app's <connect-chat> chats, in the page's language", () => widgetChats(browser, emulator.url, "vite"));
