#!/usr/bin/env bash
# `npm run size:report`: where the shipped wasm's bytes go. Builds the release wasm as the package does,
# keeps the function names (wasm-opt as the package, with -g), and prints twiggy's largest items and a sum per module.
# Installs twiggy from crates.io on first use. TOP=N sets how many items are listed (default 40).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/release-env.sh
command -v twiggy >/dev/null || cargo install twiggy --locked || cargo install twiggy

out=target/size-report
mkdir -p "$out"
cargo build --release --target wasm32-unknown-unknown --lib --quiet
wasm-bindgen --target web --keep-debug --out-dir "$out" target/wasm32-unknown-unknown/release/connect_chat_wasm.wasm
node_modules/.bin/wasm-opt "${WASM_OPT_FLAGS[@]}" -g "$out/connect_chat_wasm_bg.wasm" -o "$out/named.wasm"
twiggy top -n "${TOP:-40}" "$out/named.wasm"
twiggy top -n 100000 --format csv "$out/named.wasm" >"$out/items.csv"
node - "$out/items.csv" <<'EOF'
// Sums the items by where they come from: our modules, the crates we use, the generated export shims.
const rows = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n").slice(1);
const sums = new Map();
for (const row of rows) {
  const [, quoted, shallow] = row.match(/^(.*),(\d+),[\d.]+,\d*,[\d.]*$/) ?? [];
  const name = (quoted ?? "").replace(/^"|"$/g, "").replaceAll('""', '"');
  const size = Number(shallow ?? 0);
  if (name.includes("function names")) continue; // not shipped: the package is built without -g
  const ours = name.match(/connect_chat_wasm(?:\[\w+\])?::(protocol|shell)::(\w+)/);
  const group = ours ? `src/${ours[1]}/${ours[2]}.rs`
    : name.includes(" shim") ? "wasm-bindgen export shims"
    : name.startsWith("data") ? "data (strings, tables)"
    : name.match(/^<?(js_sys|wasm_bindgen|web_sys|alloc|core)\b(?!_)/)?.[1]?.concat(" (crate)") ?? "other (generic glue, closures)";
  sums.set(group, (sums.get(group) ?? 0) + size);
}
console.log("\nbytes (raw, before gzip) by origin:");
for (const [group, size] of [...sums].sort((a, b) => b[1] - a[1])) console.log(String(size).padStart(8), group);
EOF
