#!/usr/bin/env bash
# `npm start`: builds what is missing, then serves the demo (www/) on the emulator and prints its URL.
# PORT picks the port (default 8787; 0 for any free port).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
echo "==> building the package and the emulator"
bash scripts/build-pkg.sh
cargo build --release --quiet -p connect-emulator
rm -rf www/pkg
# www/pkg/ for the demo pages, and the package's files at the root too (as a CDN serves them).
node scripts/demo-files.mjs
port=${PORT:-8787}
echo "==> open the URL below in a browser (Ctrl-C stops the emulator)"
exec target/release/connect-emulator --port "$port" --static www
