//! Browser tests: the real `ChatSession` in headless Chromium against real emulator processes
//! (started by `scripts/test.sh`, which passes their URLs at compile time).

#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "browser/support.rs"]
mod support;

#[path = "browser/lifecycle.rs"]
mod lifecycle;

#[path = "browser/api.rs"]
mod api;

#[path = "browser/resilience.rs"]
mod resilience;

#[path = "browser/engine.rs"]
mod engine;

#[path = "browser/rich.rs"]
mod rich;

#[path = "browser/outbox.rs"]
mod outbox;
