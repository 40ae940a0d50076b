// Builds the embeddable widget into pkg/ (esbuild, minified), from the ES modules in widget/:
//   widget.js       the one-tag embed: a classic script (only a classic script has
//                   `document.currentScript`), defining <connect-chat> and mounting one from its data-*
//   widget.mjs      the same element as an ES module, for `import "connect-chat-wasm/widget"` in a
//                   bundler app: it imports ./connect_chat_wasm.js and ./locales/*.js, which stay
//                   separate files for the app's bundler to follow (and references ./widget.css)
//   locales/*.js    one module per language (English is built in), fetched only by a page that needs it
//   widget.css      the stylesheet, minified (its comments are for readers of the source)
//   widget.d.ts     the element's types (widget/widget.d.ts, as written)
// Prints the shipped size (gzip -9) of what a page loads: the script and the stylesheet (and one
// language's table on top, for pages in another language).
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { build } from "esbuild";
import { shipped } from "./shipped.mjs";

const root = new URL("../", import.meta.url);
const src = (f) => new URL(`widget/${f}`, root).pathname;
const out = new URL("pkg/", root);
mkdirSync(new URL("locales/", out), { recursive: true });
const common = { bundle: true, target: "es2022", minify: true, legalComments: "none", logLevel: "warning" };
// The ES module keeps the library and the languages as imports of their own (relative to it in pkg/).
const keepApart = {
  name: "keep-apart",
  setup(b) {
    b.onResolve({ filter: /^\.\/(connect_chat_wasm\.js|preconnect\.js|locales\/[\w-]+\.js)$/ }, (args) =>
      args.importer.endsWith("module.js") || args.importer.endsWith("connect_chat_wasm.js") ? { path: args.path, external: true } : undefined);
  },
};
const locales = readdirSync(new URL("widget/locales/", root)).filter((f) => f.endsWith(".js"));
await Promise.all([
  build({ ...common, entryPoints: [src("index.js")], outfile: new URL("widget.js", out).pathname, format: "iife", sourcemap: true }),
  // Not minified: the app's bundler minifies it, and must see the magic comments that tell it to leave a
  // site's own `module` URL to the browser.
  build({ ...common, minify: false, entryPoints: [src("module.js")], outfile: new URL("widget.mjs", out).pathname, format: "esm", plugins: [keepApart] }),
  build({ ...common, entryPoints: locales.map((f) => src(`locales/${f}`)), outdir: new URL("locales/", out).pathname, format: "esm" }),
  build({ entryPoints: [src("widget.css")], outfile: new URL("widget.css", out).pathname, bundle: true, minify: true, target: "chrome100", logLevel: "warning" }),
]);
copyFileSync(new URL("widget/widget.d.ts", root), new URL("widget.d.ts", out));
const core = shipped(["pkg/widget.js", "pkg/widget.css"].map((f) => new URL(f, root)));
const locale = locales.map((f) => shipped([new URL(`pkg/locales/${f}`, root)]).gzip);
console.log(`size: widget (widget.js + widget.css) = ${core.raw} bytes raw, ${core.gzip} gzip -9, ${core.brotli} brotli`);
if (locale.length) console.log(`size: a language's strings (pkg/locales/*.js, ${locales.length} files) = ${Math.min(...locale)}–${Math.max(...locale)} bytes gzip -9 each, loaded only when used`);
