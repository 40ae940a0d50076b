#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm-pack --target web, release, as release-env.sh says), shrinks the
# wasm with wasm-opt (flags in release-env.sh), then both files with scripts/shrink.mjs (short
# import/export names, minified glue), and prints the shipped size (wasm + JS glue, gzip -9); fails
# above the budget (SIZE_BUDGET=off skips it).
# wasm-opt comes from npm's `binaryen` (pinned in package.json): Debian's binaryen 108 predates the
# reference-types encoding wasm-bindgen now emits and writes a module browsers refuse to instantiate.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/release-env.sh

wasm-pack build --target web --release --out-dir pkg --out-name connect_chat_wasm . >/dev/null 2>pkg-build.log ||
  { cat pkg-build.log; exit 1; }
rm -f pkg-build.log
wasm=pkg/connect_chat_wasm_bg.wasm
# Features are detected from the module itself.
node_modules/.bin/wasm-opt "${WASM_OPT_FLAGS[@]}" --strip-producers --strip-target-features "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
node scripts/shrink.mjs
node scripts/build-widget.mjs
node scripts/package.mjs
node scripts/size.mjs
