#!/usr/bin/env bash
# Installs what the project needs and is missing; skips everything already there. Safe to run often:
# `npm start` and `npm test` call it first. Nothing is downloaded from GitHub (it is unreachable here):
# Rust tools come from crates.io, the browser from Debian, JS packages (and wasm-opt) from npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '==> %s\n' "$*"; }

# The wasm-bindgen CLI must be exactly the crate's version, or wasm-pack builds its own (slowly).
wbg_version=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)

# The toolchain rust-toolchain.toml pins. Offline, a machine whose stable toolchain is that very release
# gets it under the pinned name (a link, as rustup names installed toolchains); otherwise rustup installs it.
pinned=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup toolchain list | grep -q "^$pinned"; then
  host=$(rustup run stable rustc -vV 2>/dev/null | sed -n 's/^host: //p')
  toolchains="${RUSTUP_HOME:-$HOME/.rustup}/toolchains"
  if [ -n "$host" ] && rustup run stable rustc --version | grep -q "^rustc $pinned "; then
    say "using the installed stable toolchain as $pinned"
    ln -s "$toolchains/stable-$host" "$toolchains/$pinned-$host"
  else
    say "installing the Rust toolchain $pinned"
    rustup toolchain install "$pinned" --profile minimal
  fi
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if ! rustup component list --installed 2>/dev/null | grep -q '^clippy'; then
  say "adding clippy"
  rustup component add clippy
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg_version" ]; then
  say "installing wasm-bindgen-cli $wbg_version"
  # --locked first (reproducible); without it when the registry mirror lacks a locked dependency.
  cargo install wasm-bindgen-cli --version "$wbg_version" --locked ||
    cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack"
  cargo install wasm-pack --locked || cargo install wasm-pack
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# A font with Chinese, Japanese and Korean glyphs, so the widget's screenshots in those languages show
# text rather than empty boxes (4 MB).
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from Debian"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
