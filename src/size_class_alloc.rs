//! The shipped wasm's allocator (installed in `wasm_runtime.rs`): size classes and free lists, small
//! and flat over a long chat. Target-independent so that it is tested natively (`size_class_alloc_tests`).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

/// Blocks are powers of two from 16 bytes up, 16-aligned. A freed block goes on its class's free list and
/// is reused for the next request of that class; fresh blocks are cut from pages taken with
/// `memory.grow`. A chat session allocates the same few shapes over and over (strings of an item, a
/// frame's fields), so the free lists settle and memory stays flat however long the chat runs.
/// wasm memory never shrinks, so nothing is ever returned.
pub struct SizeClassAlloc {
    state: UnsafeCell<State>,
    /// Grows the memory by whole pages and returns the first new page's number, `usize::MAX` when it
    /// cannot (`memory.grow`'s contract; a native test hands in an arena).
    grow: fn(usize) -> usize,
}

struct State {
    /// Heads of the free lists, by class (class `c` holds blocks of `16 << c` bytes).
    free: [usize; CLASSES],
    /// The unused rest of the last page grab.
    next: usize,
    end: usize,
}

const MIN: usize = 16;
const CLASSES: usize = 28; // up to 16 << 27 = 2 GiB
const PAGE: usize = 65_536;

// wasm32-unknown-unknown runs one thread; the allocator is never entered concurrently.
unsafe impl Sync for SizeClassAlloc {}

impl SizeClassAlloc {
    pub const fn new(grow: fn(usize) -> usize) -> Self {
        SizeClassAlloc { state: UnsafeCell::new(State { free: [0; CLASSES], next: 0, end: 0 }), grow }
    }
}

fn class_of(layout: &Layout) -> Option<usize> {
    if layout.align() > MIN {
        return None;
    }
    let size = layout.size().max(MIN).checked_next_power_of_two()?;
    let class = (size.trailing_zeros() - MIN.trailing_zeros()) as usize;
    (class < CLASSES).then_some(class)
}

unsafe impl GlobalAlloc for SizeClassAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(&layout) else { return core::ptr::null_mut() };
        // SAFETY: single-threaded (see `Sync` above), and no reference to the state outlives this call.
        let st = unsafe { &mut *self.state.get() };
        // `get_mut` rather than an index: `class_of` keeps it in range, and no panic path is compiled.
        let Some(free) = st.free.get_mut(class) else { return core::ptr::null_mut() };
        let head = *free;
        if head != 0 {
            // SAFETY: a free block's first word holds the next free block of its class (written in dealloc).
            *free = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        let size = MIN << class;
        if st.end - st.next < size {
            let pages = size.div_ceil(PAGE);
            let old = (self.grow)(pages);
            if old == usize::MAX {
                return core::ptr::null_mut();
            }
            let start = old * PAGE;
            // The old remainder is given up unless the new pages directly follow it.
            if st.end != start {
                st.next = start;
            }
            st.end = start + pages * PAGE;
        }
        let block = st.next;
        st.next += size;
        block as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class_of(&layout) else { return };
        // SAFETY: as in `alloc`; `ptr` came from `alloc` with the same layout, so it is a block of `class`.
        let st = unsafe { &mut *self.state.get() };
        let Some(free) = st.free.get_mut(class) else { return };
        unsafe { *(ptr as *mut usize) = *free };
        *free = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else { return core::ptr::null_mut() };
        if class_of(&layout) == class_of(&new_layout) {
            // Still fits its block (a growing Vec or String usually does until it doubles).
            return ptr;
        }
        // SAFETY: the GlobalAlloc contract; the copy covers the smaller of the two sizes.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

// Native only: the tests stand an arena in for wasm memory.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "size_class_alloc_tests.rs"]
mod tests;
