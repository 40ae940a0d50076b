//! connect-chat-wasm: the browser core of a customer chat widget for the Amazon Connect Participant
//! Service.
//!
//! - [`core`]: the wire format and the session state machine, sans IO, tested natively.
//! - `shell` (wasm32 only): fetch, WebSocket, timers and events around the core, exported to JS as the
//!   class `ChatSession`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod core;

#[cfg(target_arch = "wasm32")]
mod shell;

#[cfg(target_arch = "wasm32")]
pub use shell::ChatSession;
