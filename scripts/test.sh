#!/usr/bin/env bash
# `npm test`: set-up, then every test: native (core + emulator), the release build and its size,
# browser tests against real emulator processes, and the Node conformance test with the AWS SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh

section() { printf '\n=== %s ===\n' "$*"; }
started=$SECONDS

section "native tests (core, emulator)"
cargo test --workspace --quiet

section "lint: no unwrap/expect/panic in library code"
cargo clippy --workspace --quiet -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --features std -- -D warnings

section "the shell's and the widget's JS rules (interactive messages, options, errors, stored chat), in Node"
node --test tests/js/

section "release package and size"
# The size is printed on every run and the build fails above the budget (scripts/size.mjs).
bash scripts/build-pkg.sh

section "emulators"
cargo build --quiet -p connect-emulator
source scripts/emulators.sh
start_emulator EMULATOR_URL
start_emulator EMULATOR_SHORT_TTL_URL --websocket-url-ttl 2

section "browser tests (wasm-pack test, headless Chromium)"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
# Compile-time URLs: a change forces a rebuild of the test crate only.
WASM_BINDGEN_TEST_TIMEOUT=180 wasm-pack test --headless --chrome --test browser --features std -- --nocapture

section "conformance: @aws-sdk/client-connectparticipant against the emulator"
node --test tests/conformance/

section "the emulator's npm package: packed, installed with no Rust on the PATH, npx and a chat through its Node API"
# Reuses target/release/connect-emulator unless the emulator's sources are newer (then builds it).
node --test tests/emulator-npm/

section "the package: instantiates in Node, exports as declared, TypeScript strict"
node --test tests/package/
node node_modules/typescript/bin/tsc -p tests/types/tsconfig.json

section "end-to-end: the widget, the agent console and the API demo with the release package"
rm -rf www/pkg && node scripts/demo-files.mjs
node --test --test-concurrency=1 tests/e2e/ tests/bundlers/

printf '\nall tests passed in %ss\n' "$((SECONDS - started))"
