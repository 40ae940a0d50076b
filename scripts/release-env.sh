# Sourced by the release builds (build-pkg.sh, size-report.sh). The shipped wasm is compiled by the pinned
# stable toolchain (rust-toolchain.toml) with the release profile in Cargo.toml and nothing else: no
# unstable options, no RUSTFLAGS of ours (a user's own RUSTFLAGS are left alone).
# What the unstable build that came before did (rebuilding core and alloc at opt-level z with the
# immediate-abort panic strategy, no panic locations, the MIR inliner) is measured in the README ("Size").

# wasm-opt's passes for the shipped wasm. -ocimfs=20 (--one-caller-inline-max-function-size): a function
# called from one place is inlined there only when small. Inlining every one-caller function (the -Oz
# default) makes the wasm 2% smaller raw but 3% larger after gzip: the inlined bodies turn repeated,
# compressible call sequences into one-off code. Measured by scanning the limit (10..50; 20-25 is best).
WASM_OPT_FLAGS=(-Oz -ocimfs=20 --converge)
