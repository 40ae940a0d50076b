// Prints the shipped size of the package (wasm + JS glue, gzip -9 and brotli) and enforces the
// budget: a page loads exactly these two files.
import { shipped } from "./shipped.mjs";

// gzip -9 bytes, for the stable build with everything it ships (0.72 of amazon-connect-chatjs 5.0.0's 76,773; the README's "Size" says what each step cost). SIZE_BUDGET_BYTES overrides.
const BUDGET = Number(process.env.SIZE_BUDGET_BYTES || 54_895);
const { raw, gzip: gz, brotli: br } = shipped(["pkg/connect_chat_wasm_bg.wasm", "pkg/connect_chat_wasm.js"]);
console.log(`size: wasm + JS glue = ${raw} bytes raw, ${gz} gzip -9, ${br} brotli (budget ${BUDGET} gzip -9)`);
if (process.env.SIZE_BUDGET !== "off" && gz > BUDGET) {
  console.error(`size budget exceeded: ${gz} > ${BUDGET} bytes gzip -9`);
  process.exit(1);
}
