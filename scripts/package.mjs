// Turns wasm-pack's pkg/ into the npm package users install: the published name (connect-chat-wasm), precise `exports`,
// `types`, `files` and `sideEffects`; the embeddable widget (built into pkg/ by build-widget.mjs) sits next
// to the module it loads.
import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("../", import.meta.url);
const pkg = new URL("pkg/", root);
const generated = JSON.parse(readFileSync(new URL("package.json", pkg)));
copyFileSync(new URL("LICENSE", root), new URL("LICENSE", pkg));
// `disconnectOnClose`'s service worker, found beside the module (`new URL("./goodbye-worker.js", import.meta.url)`).
copyFileSync(new URL("src/shell/js/goodbye-worker.js", root), new URL("goodbye-worker.js", pkg));
// `preconnect`, a module of its own (a page loads it before the library): with the option checks it
// shares with `new ChatSession`, minified.
await build({
  entryPoints: [new URL("src/shell/js/preconnect.js", root).pathname],
  outfile: new URL("preconnect.js", pkg).pathname,
  bundle: true, minify: true, format: "esm", target: "es2020", logLevel: "warning",
});
writeFileSync(new URL("preconnect.d.ts", pkg), `import type { ChatSessionOptions } from "./connect_chat_wasm.js";

/**
 * Starts the chat's connection (CreateParticipantConnection, then its WebSocket and, once that opens, the
 * subscription to \`aws/chat\`) before the library has loaded; the \`ChatSession\` made later with the same
 * participant token and endpoint takes it over when it \`connect()\`s, with every frame the socket got
 * meanwhile (and its drop, if it dropped: the session recovers as from its own). Wrong options throw a
 * \`TypeError\` with the message of the \`InvalidArgument\` \`new ChatSession(options)\` would throw; a
 * connection no session took within 30 s is closed.
 *
 * @returns \`true\` once the subscription is acknowledged, \`false\` as soon as it will not be (the request
 * refused or failed, the socket closed, not opened or not answered within \`requestTimeoutMs\`, a session
 * took the connection over first, or, with \`shareAcrossTabs\`, another tab leads the chat: its session
 * follows that tab). It never rejects: what went wrong is reported by the session, as for a
 * connection of its own.
 */
export function preconnect(options: ChatSessionOptions): Promise<boolean>;
`);

const manifest = {
  name: "connect-chat-wasm",
  version: generated.version,
  description: generated.description,
  license: generated.license,
  repository: generated.repository,
  keywords: ["amazon-connect", "chat", "participant-service", "websocket", "wasm"],
  type: "module",
  main: "./connect_chat_wasm.js",
  module: "./connect_chat_wasm.js",
  types: "./connect_chat_wasm.d.ts",
  exports: {
    ".": { types: "./connect_chat_wasm.d.ts", default: "./connect_chat_wasm.js" },
    "./connect_chat_wasm_bg.wasm": "./connect_chat_wasm_bg.wasm",
    // The element as an ES module (`import "connect-chat-wasm/widget"`), and the one-tag embed.
    "./widget": { types: "./widget.d.ts", default: "./widget.mjs" },
    "./widget.mjs": { types: "./widget.d.ts", default: "./widget.mjs" },
    "./goodbye-worker.js": "./goodbye-worker.js",
    // The connection started before the library loads.
    "./preconnect": { types: "./preconnect.d.ts", default: "./preconnect.js" },
    "./preconnect.js": { types: "./preconnect.d.ts", default: "./preconnect.js" },
    "./widget.js": "./widget.js",
    "./widget.css": "./widget.css",
    "./locales/*": "./locales/*",
    "./package.json": "./package.json",
  },
  files: [
    "connect_chat_wasm.js", "connect_chat_wasm.d.ts", "connect_chat_wasm_bg.wasm", "connect_chat_wasm_bg.wasm.d.ts",
    "goodbye-worker.js", "preconnect.js", "preconnect.d.ts",
    "widget.js", "widget.js.map", "widget.mjs", "widget.d.ts", "widget.css", "locales/", "README.md", "LICENSE",
  ],
  // Importing the module does nothing by itself (`init()` does); the widget defines <connect-chat> (and
  // the tag mounts one) when loaded.
  sideEffects: ["./widget.js", "./widget.mjs"],
};
writeFileSync(new URL("package.json", pkg), JSON.stringify(manifest, null, 2) + "\n");

// Types: the raw wasm exports (`init()`'s result, declared by wasm-bindgen) say `unknown`, not `any`; the
// rest is written once in src/shell/typescript.rs.
const dts = new URL("connect_chat_wasm.d.ts", pkg);
let types = readFileSync(dts, "utf8");
types = types.replace(/^(\s+readonly \w+: .*)$/gm, (line) => line.replace(/\bany\b/g, "unknown"));
if (/\bany\b/.test(types.replace(/\/\*[\s\S]*?\*\//g, ""))) throw new Error("`any` left in connect_chat_wasm.d.ts");
writeFileSync(dts, types);
