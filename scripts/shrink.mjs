// Shrinks the two files a page loads, after wasm-pack and `wasm-opt -Oz`, without changing what they do:
//  1. Renames the wasm's imports, exports and import module to one or two letters (binaryen's
//     --minify-imports-and-exports-and-modules) and applies the same renaming to the JS glue. The names
//     wasm-bindgen generates (`__wbg_fetch_678e30c747cdda16`, ...) carry a hash each, which no
//     compressor can squeeze, twice over: once in the wasm, once in the glue.
//  2. Minifies the glue with terser (its doc comments are for the .d.ts, which keeps them).
// Every renaming is checked: a name the glue uses that the map does not cover, or a map entry the glue
// does not define, stops the build rather than shipping a module that fails to instantiate.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { minify } from "terser";

const root = new URL("../", import.meta.url);
const pkg = new URL("pkg/", root);
const wasmFile = new URL("connect_chat_wasm_bg.wasm", pkg).pathname;
const glueFile = new URL("connect_chat_wasm.js", pkg).pathname;
const wasmOpt = new URL("node_modules/.bin/wasm-opt", root).pathname;

const out = execFileSync(wasmOpt, [wasmFile, "--minify-imports-and-exports-and-modules", "-o", wasmFile], {
  encoding: "utf8",
});
const map = JSON.parse(out.slice(out.indexOf("{")));
const module = new WebAssembly.Module(readFileSync(wasmFile));
const modules = [...new Set(WebAssembly.Module.imports(module).map((i) => i.module))];
if (modules.length !== 1) throw new Error(`expected one import module after renaming, got ${modules}`);

let glue = readFileSync(glueFile, "utf8");
const fail = (what) => {
  throw new Error(`shrink.mjs: ${what}`);
};
const count = (text, re) => (text.match(re) || []).length;
const escape = (s) => s.replace(/[$.*+?^(){}[\]|\\]/g, "\\$&");

// The import object: one module, keyed by its name, holding one function per import.
const moduleKey = /"\.\/connect_chat_wasm_bg\.js": import0/g;
if (count(glue, moduleKey) !== 1) fail("the glue's import module is not where expected");
glue = glue.replace(moduleKey, () => `${JSON.stringify(modules[0])}: import0`);
for (const [, from, to] of map.imports) {
  const key = new RegExp(`^(\\s+)${escape(from)}: `, "gm");
  if (count(glue, key) !== 1) fail(`import ${from} is not defined once in the glue`);
  glue = glue.replace(key, (_, indent) => `${indent}${JSON.stringify(to)}: `);
}
// Exports: every use is `wasm.name`.
for (const [from, to] of map.exports) {
  glue = glue.replace(new RegExp(`\\bwasm\\.${escape(from)}\\b`, "g"), () => `wasm[${JSON.stringify(to)}]`);
}
const left = glue.match(/\bwasm\.(?!length\b)[A-Za-z_$][\w$]*/g);
if (left) fail(`exports the renaming missed: ${[...new Set(left)]}`);

const minified = await minify(glue, {
  module: true,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: /@ts-self-types/ },
});
writeFileSync(glueFile, minified.code);
// The raw exports' declarations describe names that no longer exist.
rmSync(new URL("connect_chat_wasm_bg.wasm.d.ts", pkg), { force: true });
