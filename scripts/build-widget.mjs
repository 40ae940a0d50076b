// Builds the embeddable widget into pkg/: widget/ (ES modules) bundled by esbuild into one classic
// script, pkg/widget.js (the one-tag embed needs `document.currentScript`, which only a classic script
// has), and widget/widget.css beside it, minified by esbuild too (its comments are for readers of the
// source). Prints their shipped size (gzip -9).
import { mkdirSync } from "node:fs";
import { build } from "esbuild";
import { shipped } from "./shipped.mjs";

const root = new URL("../", import.meta.url);
const out = new URL("pkg/", root);
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL("widget/index.js", root).pathname],
  outfile: new URL("widget.js", out).pathname,
  bundle: true,
  format: "iife",
  target: "es2020",
  minify: true,
  sourcemap: true,
  legalComments: "none",
  logLevel: "warning",
});
await build({
  entryPoints: [new URL("widget/widget.css", root).pathname],
  outfile: new URL("widget.css", out).pathname,
  minify: true,
  target: "chrome100",
  logLevel: "warning",
});
const size = shipped(["pkg/widget.js", "pkg/widget.css"].map((f) => new URL(f, root)));
console.log(`size: widget (widget.js + widget.css) = ${size.raw} bytes raw, ${size.gzip} gzip -9, ${size.brotli} brotli`);
