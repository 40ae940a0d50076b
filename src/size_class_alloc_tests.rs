//! The allocator natively, on an arena standing in for wasm memory: blocks never overlap and keep their
//! bytes, freed blocks are reused, a reallocation keeps its contents, requests it cannot serve are null,
//! and a chat's steady churn of the same shapes takes no new memory.

use core::alloc::{GlobalAlloc, Layout};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use super::{SizeClassAlloc, PAGE};
use crate::protocol::backoff::Rng;

/// 1 GiB of address space, page-aligned, taken once (untouched pages cost nothing); tests share it.
const ARENA_PAGES: usize = 16_384;
static ARENA: OnceLock<usize> = OnceLock::new();
static USED: AtomicUsize = AtomicUsize::new(0);
static GROWS: AtomicUsize = AtomicUsize::new(0);

fn arena_grow(pages: usize) -> usize {
    let base = *ARENA.get_or_init(|| {
        let layout = Layout::from_size_align(ARENA_PAGES * PAGE, PAGE).unwrap();
        // SAFETY: a non-zero size; the arena lives for the whole test run.
        let p = unsafe { std::alloc::alloc(layout) };
        assert!(!p.is_null());
        p as usize
    });
    GROWS.fetch_add(1, Ordering::Relaxed);
    let first = USED.fetch_add(pages, Ordering::Relaxed);
    if first + pages > ARENA_PAGES {
        return usize::MAX;
    }
    base / PAGE + first
}

fn no_memory(_: usize) -> usize {
    usize::MAX
}

fn layout(size: usize) -> Layout {
    Layout::from_size_align(size, 8).unwrap()
}

#[test]
fn live_blocks_never_overlap_and_keep_their_bytes() {
    let a = SizeClassAlloc::new(arena_grow);
    let mut rng = Rng::new(7);
    let mut live: HashMap<usize, (usize, u8)> = HashMap::new();
    for step in 0..20_000u32 {
        if live.is_empty() || rng.below(3) != 0 {
            let max = if rng.below(20) == 0 { 100_000 } else { 300 };
            let size = 1 + rng.below(max) as usize;
            // SAFETY: a valid layout; the block is written within its size only.
            let p = unsafe { a.alloc(layout(size)) };
            assert!(!p.is_null());
            assert_eq!(p as usize % 16, 0, "16-aligned");
            let fill = (step % 251) as u8;
            unsafe { std::ptr::write_bytes(p, fill, size) };
            live.insert(p as usize, (size, fill));
        } else {
            let (&p, &(size, fill)) = live.iter().nth(rng.below(live.len() as u32) as usize).unwrap();
            // SAFETY: a live block of `size` bytes from this allocator.
            let bytes = unsafe { std::slice::from_raw_parts(p as *const u8, size) };
            assert!(bytes.iter().all(|&b| b == fill), "a block was overwritten by another");
            unsafe { a.dealloc(p as *mut u8, layout(size)) };
            live.remove(&p);
        }
    }
    let mut spans: Vec<(usize, usize)> = live.iter().map(|(&p, &(s, _))| (p, p + s)).collect();
    spans.sort();
    assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "live blocks overlap");
}

#[test]
fn a_freed_block_is_the_next_one_of_its_class() {
    let a = SizeClassAlloc::new(arena_grow);
    unsafe {
        let p = a.alloc(layout(100));
        a.dealloc(p, layout(100));
        assert_eq!(a.alloc(layout(120)), p, "100 and 120 bytes share the 128-byte class");
        assert_ne!(a.alloc(layout(120)), p);
    }
}

#[test]
fn a_reallocation_keeps_its_contents_and_its_block_while_it_fits() {
    let a = SizeClassAlloc::new(arena_grow);
    unsafe {
        let p = a.alloc(layout(40));
        for i in 0..40 {
            *p.add(i) = i as u8;
        }
        assert_eq!(a.realloc(p, layout(40), 64), p, "still 64-byte class");
        let q = a.realloc(p, layout(64), 1000);
        assert_ne!(q, p);
        assert!((0..40).all(|i| *q.add(i) == i as u8));
        let r = a.realloc(q, layout(1000), 10);
        assert!((0..10).all(|i| *r.add(i) == i as u8));
    }
}

#[test]
fn what_it_cannot_serve_is_null() {
    let a = SizeClassAlloc::new(arena_grow);
    let none = SizeClassAlloc::new(no_memory);
    unsafe {
        assert!(a.alloc(Layout::from_size_align(64, 32).unwrap()).is_null(), "alignment above 16");
        assert!(a.alloc(layout(1 << 33)).is_null(), "beyond the largest class (2 GiB)");
        assert!(none.alloc(layout(16)).is_null(), "no memory left");
        let p = a.alloc(layout(16));
        assert!(a.realloc(p, layout(16), usize::MAX - 4).is_null(), "an impossible layout");
    }
}

#[test]
fn a_steady_churn_of_the_same_shapes_takes_no_new_memory() {
    let a = SizeClassAlloc::new(arena_grow);
    let churn = |rounds: usize| unsafe {
        for round in 0..rounds {
            let mut blocks: Vec<(*mut u8, usize)> =
                (0..200).map(|i| 16 + (i * 37) % 2000).map(|s| (a.alloc(layout(s)), s)).collect();
            if round % 2 == 1 {
                blocks.reverse();
            }
            for (p, s) in blocks {
                a.dealloc(p, layout(s));
            }
        }
    };
    churn(2);
    // Other tests grow the shared arena meanwhile, so the count is of this allocator's pages only.
    let state = unsafe { &*a.state.get() };
    let (next, end) = (state.next, state.end);
    churn(1_000);
    let state = unsafe { &*a.state.get() };
    assert_eq!((state.next, state.end), (next, end), "the free lists absorbed every request");
    assert!(GROWS.load(Ordering::Relaxed) > 0);
}
