//! Wall-clock time in the service's format; the formatting is the client core's, shared.

use std::time::{SystemTime, UNIX_EPOCH};

pub use connect_chat_wasm::core::time::{format_iso8601, parse_iso8601, Millis};

pub fn now_ms() -> Millis {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as Millis).unwrap_or(0)
}

pub fn iso(ms: Millis) -> String {
    format_iso8601(ms)
}
