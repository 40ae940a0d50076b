//! `RefCell` borrows that trap instead of panicking. A borrow that fails is a re-entrancy bug (no borrow
//! is held across an `.await` or a call into JS), and the shipped panic handler traps anyway; going
//! there directly spares each of the shell's fifty borrow sites its panic location and the formatting
//! machinery the borrow error's message pulls in: 650 bytes of the gzip size.

use ::core::cell::{Ref, RefCell, RefMut};

pub trait Cells<T> {
    fn read(&self) -> Ref<'_, T>;
    fn write(&self) -> RefMut<'_, T>;
}

impl<T> Cells<T> for RefCell<T> {
    #[inline(always)]
    fn read(&self) -> Ref<'_, T> {
        match self.try_borrow() {
            Ok(r) => r,
            Err(_) => ::core::arch::wasm32::unreachable(),
        }
    }

    #[inline(always)]
    fn write(&self) -> RefMut<'_, T> {
        match self.try_borrow_mut() {
            Ok(r) => r,
            Err(_) => ::core::arch::wasm32::unreachable(),
        }
    }
}
