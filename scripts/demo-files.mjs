// Lays the built package out for the demo server (www/, served by the emulator): all of pkg/ under
// www/pkg/ (the demo pages' own tag), and the files the package ships also at the root, as a CDN serves
// them, so the README's tag pointed at the demo server (`<script src="http://127.0.0.1:8787/widget.js"
// data-...>`) finds the library, the stylesheet and the languages next to itself. Copies over what is
// there (never deletes: another run may be serving it).
import { cpSync, readFileSync } from "node:fs";

const root = new URL("../", import.meta.url);
const pkg = new URL("pkg/", root);
const www = new URL("www/", root);
cpSync(pkg, new URL("pkg/", www), { recursive: true });
const { files } = JSON.parse(readFileSync(new URL("package.json", pkg)));
for (const f of files.filter((f) => !["README.md", "LICENSE"].includes(f))) {
  cpSync(new URL(f, pkg), new URL(f, www), { recursive: true });
}
