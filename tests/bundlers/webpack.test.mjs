// The npm package bundled by webpack 5 (no loaders, no plugins): the wasm must come out as an asset and
// the built app must chat in the browser; so must the page that imports the widget's element.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import webpack from "webpack";
import { startEmulator, launchBrowser } from "../e2e/harness.mjs";
import { prepareApp, appChats, widgetChats } from "./harness.mjs";

const { work } = prepareApp("webpack-app");
let emulator, browser;

function build(config) {
  return new Promise((resolve, reject) =>
    webpack(config, (err, stats) => (err || stats.hasErrors() ? reject(err || new Error(stats.toString("errors-only"))) : resolve(stats))));
}

before(async () => {
  await build({
    mode: "production",
    context: work,
    entry: { main: "./main.js", widget: "./widget.js" },
    output: { path: `${work}/dist`, filename: "[name].js", publicPath: "auto" },
    experiments: { topLevelAwait: true },
  });
  // webpack's output is a classic script (top-level await is compiled into an async module).
  const html = readFileSync(`${work}/index.html`, "utf8").replace('type="module" ', "");
  writeFileSync(`${work}/dist/index.html`, html);
  writeFileSync(`${work}/dist/widget.html`, readFileSync(`${work}/widget.html`, "utf8").replace('type="module" ', ""));
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

test("webpack emits the goodbye worker (disconnectOnClose) as an asset", () => {
  const files = readdirSync(`${work}/dist`).filter((f) => f.endsWith(".js"));
  const worker = files.filter((f) => {
    const text = readFileSync(`${work}/dist/${f}`, "utf8");
    return text.includes("skipWaiting") && text.includes("/participant/disconnect");
  });
  assert.equal(worker.length, 1, `dist: ${files}`);
});

test("the webpack-built app connects and receives a message", () => appChats(browser, emulator.url, "webpack"));

test("the webpack-built app's <connect-chat> chats, in the page's language", () => widgetChats(browser, emulator.url, "webpack"));
