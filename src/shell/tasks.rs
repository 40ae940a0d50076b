//! Tasks and Promises, on wasm-bindgen-futures: background tasks, Promises for the async methods, and
//! awaiting a JS Promise. Its `JsFuture` callbacks own themselves (freed when the Promise settles), so
//! a task dropped while it waits leaves nothing for JS to call after it is gone, which the library's
//! own executor before it could not promise.

use ::core::future::Future;
use ::core::pin::Pin;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, spawn_local, JsFuture};

use super::errors::to_js;
use crate::prelude::*;
use crate::protocol::error::ChatError;

pub type Task<T> = Pin<Box<dyn Future<Output = T>>>;

/// Runs `task` in the background. Its first poll comes from the microtask queue, never inside the
/// caller (which may hold a borrow the task takes).
pub fn spawn(task: Task<()>) {
    spawn_local(task);
}

/// A Promise settled by `task`: its value, or its `ChatError` as a JS `Error`. Boxed here, so that
/// `future_to_promise` is compiled once rather than once per async method (2 KB of gzip).
pub fn run(task: impl Future<Output = Result<JsValue, ChatError>> + 'static) -> Promise {
    promise(Box::pin(task))
}

#[inline(never)]
fn promise(task: Task<Result<JsValue, ChatError>>) -> Promise {
    future_to_promise(async move { task.await.map_err(|e| to_js(&e)) })
}

/// `promise`, awaited: its value, or what it was rejected with.
pub fn settled(promise: Promise) -> JsFuture {
    JsFuture::from(promise)
}
