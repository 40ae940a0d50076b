//! What the standard prelude would give: the crate is `no_std` in the shipped wasm (no std panic and
//! formatting machinery, a small allocator), so every module takes these from `alloc` explicitly.
#![allow(unused_imports)]

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::format;
pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;
