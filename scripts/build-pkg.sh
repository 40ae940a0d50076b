#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm-pack --target web, release), shrinks the wasm with Debian's
# wasm-opt -Oz and prints the shipped size (wasm + JS glue, gzip -9). Fails above the size budget.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

wasm-pack build --target web --release --out-dir pkg --out-name connect_chat_wasm . >/dev/null 2>pkg-build.log ||
  { cat pkg-build.log; exit 1; }
rm -f pkg-build.log
wasm=pkg/connect_chat_wasm_bg.wasm
# Rust enables these proposals by default for wasm32; Debian's older wasm-opt must be told.
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
node scripts/size.mjs
