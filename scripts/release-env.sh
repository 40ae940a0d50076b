# Sourced by the release builds (build-pkg.sh, size-report.sh): how the shipped wasm is compiled.
# core and alloc are rebuilt from source (the rust-src component, added by setup.sh) with the release
# profile (opt-level z), and with the panic strategy immediate-abort: a panic in core (an index or an
# arithmetic check; none is reachable from input) traps at once instead of formatting a message first,
# which drops core::fmt and the panic-location tables from the wasm (2.8 KB of the gzip size with
# -Zlocation-detail=none). -Zinline-mir=yes runs rustc's MIR inliner, which every release build at
# opt-level 2 or 3 runs and opt-level "z" leaves off; `#[inline]` functions are held to a size closer
# to the others' (hint threshold 50 instead of 100; scanned 0..100, 40-50 is best): 1.5 KB less gzip.
# These are unstable cargo and rustc options; RUSTC_BOOTSTRAP lets the stable toolchain accept them,
# for these builds only (native and browser tests build the ordinary way, with readable panics).
if [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/core" ]; then
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=core,alloc,panic_abort
  export RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zinline-mir=yes -Zinline-mir-hint-threshold=50"
else
  echo "warning: rust-src is missing (rustup component add rust-src): building without build-std, larger" >&2
fi

# wasm-opt's passes for the shipped wasm. -ocimfs=20 (--one-caller-inline-max-function-size): a function
# called from one place is inlined there only when small. Inlining every one-caller function (the -Oz
# default) makes the wasm 2% smaller raw but 3% larger after gzip: the inlined bodies turn repeated,
# compressible call sequences into one-off code. Measured by scanning the limit (10..50; 20-25 is best).
WASM_OPT_FLAGS=(-Oz -ocimfs=20 --converge)
