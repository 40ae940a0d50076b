# Sourced by the release builds (build-pkg.sh, size-report.sh). The shipped wasm is compiled by the pinned
# stable toolchain (rust-toolchain.toml) with the release profile in Cargo.toml and nothing else: no
# unstable options, no RUSTFLAGS of ours (a user's own RUSTFLAGS are left alone).
# What the unstable build that came before did (rebuilding core and alloc at opt-level z with the
# immediate-abort panic strategy, no panic locations, the MIR inliner) is measured in the README ("Size").

# wasm-opt's passes for the shipped wasm. -ocimfs=25 (--one-caller-inline-max-function-size): a function
# called from one place is inlined there only when small. Inlining every one-caller function (the -Oz
# default) makes the wasm 2% smaller raw but 3% larger after gzip: the inlined bodies turn repeated,
# compressible call sequences into one-off code. Measured by scanning the limit: 10..50 on the unstable
# build (20-25 best), 15..100 on the stable one (15: 45,983, 20: 46,003, 25: 45,965, 30: 45,964, 40: 46,011).
WASM_OPT_FLAGS=(-Oz -ocimfs=25 --converge)
