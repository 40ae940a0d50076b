//! connect-chat-wasm: the browser core of a customer chat widget for the Amazon Connect Participant
//! Service.
//!
//! - [`protocol`]: the wire format and the session state machine, sans IO, tested natively.
//! - `shell` (wasm32 only): fetch, WebSocket, timers and events around the protocol core, exported to JS as the
//!   class `ChatSession`.
//!
//! The shipped wasm is built without `std` (the default features are off): std's panic and formatting
//! machinery and its allocator are most of a small wasm's bytes. The `std` feature (for tests) turns it back on.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

extern crate alloc;

mod prelude;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
mod shell;

#[cfg(any(target_arch = "wasm32", test))]
mod size_class_alloc;
#[cfg(target_arch = "wasm32")]
mod wasm_runtime;

#[cfg(target_arch = "wasm32")]
pub use shell::ChatSession;
