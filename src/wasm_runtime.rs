//! The shipped wasm runs without `std` (see `lib.rs`): this is what std would have provided. A panic
//! (none is reachable from input: the core is property-tested and clippy forbids unwrap/expect) traps
//! without formatting a message. The allocator is installed in every wasm build, the browser tests'
//! `std` one included, so the tests run on the memory the package ships with.

use crate::size_class_alloc::SizeClassAlloc;

#[cfg(not(feature = "std"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

fn memory_grow(pages: usize) -> usize {
    core::arch::wasm32::memory_grow(0, pages)
}

#[global_allocator]
static ALLOCATOR: SizeClassAlloc = SizeClassAlloc::new(memory_grow);
