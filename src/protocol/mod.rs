//! The protocol and session core: plain Rust, no browser APIs, no clock, no IO. The browser shell
//! (`crate::shell`) feeds it and carries out what it asks; native tests drive it with a fake clock.

pub mod api;
pub mod backoff;
pub mod dedup;
pub mod error;
pub mod frame;
pub mod gap;
pub mod item;
pub mod json;
pub mod receipts;
pub mod requests;
pub mod retry;
pub mod session;
pub mod stream;
pub mod text;
pub mod time;

#[cfg(test)]
mod session_tests;

#[cfg(test)]
mod outbox_tests;

#[cfg(test)]
mod sharing_tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod proptests;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod model_tests;
