// Shrinks the two files a page loads, after wasm-pack and `wasm-opt -Oz`, without changing what they do:
//  1. Renames the wasm's imports (module and names) to one or two letters and applies the same renaming
//     to the JS glue. The names wasm-bindgen generates (`./connect_chat_wasm_bg.js`,
//     `__wbg_fetch_678e30c747cdda16`, ...) are repeated per import and carry a hash each, which no
//     compressor squeezes, twice over: once in the wasm, once in the glue. Exports are renamed the same
//     way (`chatsession_getTranscript`, the closure trampolines' hashes, ...) but for `memory`, the one
//     raw export a page may use (`init()` resolves to the exports); the .d.ts files follow.
//  2. Bundles the JS snippets the crate imports (`#[wasm_bindgen(module = ...)]`, under pkg/snippets/)
//     into the glue with esbuild, so the package stays one JS file and one wasm file; the wasm imports
//     their functions from module `b`.
//  3. Minifies the glue with terser (its doc comments are for the .d.ts, which keeps them).
// Every renaming is checked: an import the glue does not define once stops the build rather than
// shipping a module that fails to instantiate.
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { minify } from "terser";

const root = new URL("../", import.meta.url);
const pkg = new URL("pkg/", root);
const wasmFile = new URL("connect_chat_wasm_bg.wasm", pkg);
const glueFile = new URL("connect_chat_wasm.js", pkg);
const MODULE = "a";
const SNIPPETS = "b";

let glue = readFileSync(glueFile, "utf8");
const count = (text, re) => (text.match(re) || []).length;
const escape = (s) => s.replace(/[$.*+?^(){}[\]|\\]/g, "\\$&");
const usedByGlue = (name) => new RegExp(`\\bwasm\\.${escape(name)}\\b`).test(glue);

// ----- the wasm: rewrite the import section (id 2), copy every other section as it is -----
const wasm = readFileSync(wasmFile);
let at = 0;
const byte = () => wasm[at++];
function leb() {
  let result = 0n, shift = 0n, b;
  do {
    b = byte();
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80);
  return result;
}
const u32 = () => Number(leb());
const encodeU32 = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
};
const name = () => {
  const len = u32();
  at += len;
  return wasm.subarray(at - len, at).toString("utf8");
};
const encodeName = (s) => Buffer.concat([encodeU32(Buffer.byteLength(s)), Buffer.from(s)]);
const limits = () => {
  const flags = byte();
  leb();
  if (flags & 1) leb();
};
/** Skips one import's description (function, table, memory, global or tag). */
function skipDesc() {
  const kind = byte();
  if (kind === 0) leb();
  else if (kind === 1) {
    byte(); // reference type (funcref, externref)
    limits();
  } else if (kind === 2) limits();
  else if (kind === 3) at += 2; // value type, mutability
  else if (kind === 4) {
    byte();
    leb();
  } else throw new Error(`shrink.mjs: unknown import kind ${kind}`);
}
/** `a`…`z`, `A`…`Z`, then two letters: short, unique, valid identifiers. */
const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const shortName = (i) => (i < letters.length ? letters[i] : shortName(Math.floor(i / letters.length) - 1) + letters[i % letters.length]);

const renamed = []; // imports: [old name, new name]
const snippets = new Set(); // snippet modules the wasm imports from
const exported = []; // exports: [old name, new name]
const parts = [wasm.subarray(0, 8)];
at = 8;
while (at < wasm.length) {
  const start = at;
  const id = byte();
  const size = u32();
  const end = at + size;
  if (id === 7) {
    // Exports: all the glue calls get short names, but `memory`. (wasm-bindgen also exports a few
    // globals the glue never reads, like `__abort_handler`: they keep theirs.)
    const count = u32();
    const entries = [encodeU32(count)];
    for (let i = 0; i < count; i++) {
      const from = name();
      const descStart = at;
      at += 1; // kind
      leb(); // index
      const to = from !== "memory" && usedByGlue(from) ? `_${shortName(exported.length)}` : from;
      if (to !== from) exported.push([from, to]);
      entries.push(encodeName(to), wasm.subarray(descStart, at));
    }
    if (at !== end) throw new Error("shrink.mjs: the export section did not parse to its end");
    const payload = Buffer.concat(entries);
    parts.push(Buffer.from([7]), encodeU32(payload.length), payload);
    continue;
  }
  if (id !== 2) {
    at = end;
    parts.push(wasm.subarray(start, end));
    continue;
  }
  const count = u32();
  const entries = [encodeU32(count)];
  for (let i = 0; i < count; i++) {
    const module = name();
    const field = name();
    const descStart = at;
    skipDesc();
    if (module.startsWith("./snippets/")) {
      // A function of one of our JS snippets, inlined into the glue below under its own name.
      snippets.add(module);
      entries.push(encodeName(SNIPPETS), encodeName(field), wasm.subarray(descStart, at));
      continue;
    }
    if (module !== "./connect_chat_wasm_bg.js") throw new Error(`shrink.mjs: unexpected import module ${module}`);
    const to = shortName(renamed.length);
    renamed.push([field, to]);
    entries.push(encodeName(MODULE), encodeName(to), wasm.subarray(descStart, at));
  }
  if (at !== end) throw new Error("shrink.mjs: the import section did not parse to its end");
  const payload = Buffer.concat(entries);
  parts.push(Buffer.from([2]), encodeU32(payload.length), payload);
}
const shrunk = Buffer.concat(parts);
new WebAssembly.Module(shrunk); // still a valid module
writeFileSync(wasmFile, shrunk);

const fail = (what) => {
  throw new Error(`shrink.mjs: ${what}`);
};

// The import object: one module, keyed by its name, holding one function per import.
const moduleKey = /"\.\/connect_chat_wasm_bg\.js": import0/g;
if (count(glue, moduleKey) !== 1) fail("the glue's import module is not where expected");
glue = glue.replace(moduleKey, () => `${MODULE}: import0`);
// The import object names the snippet modules `b`, as the wasm now does: one object holding the
// functions of every snippet module the wasm imports from directly (two modules exporting one name
// would be ambiguous, and stop the build).
const direct = [];
for (const module of snippets) {
  const key = new RegExp(`\\n?\\s*"${escape(module)}": (import\\d+),?`, "g");
  // Once per Rust module that imports from it (each `extern` block is its own entry, all the same module).
  if (count(glue, key) < 1) fail(`the glue's import object does not name ${module}`);
  let first = true;
  glue = glue.replace(key, (_, id) => {
    if (first) direct.push(id);
    first = false;
    return "";
  });
}
if (direct.length > 0) {
  const names = new Map();
  for (const module of snippets) {
    const source = readFileSync(new URL(module.slice(2), pkg), "utf8");
    for (const [, name] of source.matchAll(/^export (?:async )?(?:function|const|let|class) (\w+)/gm)) {
      if (names.has(name)) fail(`${name} is exported by both ${names.get(name)} and ${module}`);
      names.set(name, module);
    }
  }
  const moduleEntry = `${MODULE}: import0`;
  if (count(glue, new RegExp(escape(moduleEntry), "g")) !== 1) fail("the glue's import object is not where expected");
  glue = glue.replace(moduleEntry, () => `${moduleEntry}, ${SNIPPETS}: { ${direct.map((id) => `...${id}`).join(", ")} }`);
}
// The snippets themselves (and what they import) are bundled into the glue by esbuild: one JS file.
const bundled = await build({
  stdin: { contents: glue, resolveDir: fileURLToPath(pkg), sourcefile: "connect_chat_wasm.js" },
  bundle: true,
  format: "esm",
  platform: "neutral",
  write: false,
  logLevel: "silent",
});
glue = bundled.outputFiles[0].text;
if (/\.\/snippets\//.test(glue)) fail("the glue still refers to a snippet file");
rmSync(new URL("snippets/", pkg), { recursive: true, force: true });
for (const [from, to] of renamed) {
  const key = new RegExp(`^(\\s+)${escape(from)}: `, "gm");
  if (count(glue, key) !== 1) fail(`import ${from} is not defined once in the glue`);
  glue = glue.replace(key, (_, indent) => `${indent}${to}: `);
}
for (const [from, to] of exported) {
  const use = new RegExp(`\\bwasm\\.${escape(from)}\\b`, "g");
  if (count(glue, use) === 0) fail(`export ${from} is not used by the glue`);
  glue = glue.replace(use, () => `wasm.${to}`);
}
// The declarations of the raw exports (`init()`'s result) follow the renaming.
for (const file of ["connect_chat_wasm.d.ts", "connect_chat_wasm_bg.wasm.d.ts"]) {
  const url = new URL(file, pkg);
  let text = readFileSync(url, "utf8");
  for (const [from, to] of exported) text = text.replace(new RegExp(`\\b${escape(from)}\\b`, "g"), () => to);
  writeFileSync(url, text);
}

const minified = await minify(glue, {
  module: true,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: /@ts-self-types/ },
});
// The glue reaches exports only as `wasm.<name>` (renamed above); any other mention of an old name would
// look for an export the wasm no longer has.
for (const [from] of exported) {
  if (new RegExp(`\\b${escape(from)}\\b`).test(minified.code)) fail(`the glue still names export ${from}`);
}
writeFileSync(glueFile, minified.code);
