// The shipped package itself, after scripts/shrink.mjs renamed its imports and minified its glue:
// it instantiates, `initSync` returns the exports the .d.ts promises (`memory` among them), and the
// class checks its arguments with typed errors. Runs in Node, without a browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const pkg = new URL("../../pkg/", import.meta.url);
const mod = await import(new URL("connect_chat_wasm.js", pkg));
const exports = mod.initSync({ module: readFileSync(new URL("connect_chat_wasm_bg.wasm", pkg)) });

test("initSync returns the raw exports under the names the .d.ts declares", () => {
  assert.ok(exports.memory instanceof WebAssembly.Memory);
  const declared = readFileSync(new URL("connect_chat_wasm.d.ts", pkg), "utf8");
  const block = declared.slice(declared.indexOf("export interface InitOutput"));
  const names = [...block.matchAll(/readonly (\w+):/g)].map((m) => m[1]);
  assert.ok(names.length > 10);
  for (const name of names) assert.ok(name in exports, `export ${name} is declared but missing`);
});

test("a session is created idle and rejects bad arguments with typed errors", () => {
  const session = new mod.ChatSession({ participantToken: "token", endpoint: "http://127.0.0.1:1" });
  assert.equal(session.state, "idle");
  assert.throws(() => session.on("no-such-event", () => {}), { name: "InvalidArgument", retryable: false });
  const off = session.on("message", () => {});
  assert.equal(typeof off, "function");
  off();
  session.free();
  assert.throws(() => new mod.ChatSession({}), (e) => e.name === "InvalidArgument" && /participantToken/.test(e.message));
  assert.throws(
    () => new mod.ChatSession({ participantToken: "t", retry: { maxAttempts: -1 } }),
    { name: "InvalidArgument", message: "options.retry.maxAttempts must be a non-negative number" },
  );
});
