//! Futures, boxed: every async method goes through one `future_to_promise` and every background task
//! through one `spawn_local`, so their machinery is compiled once rather than per call site (the shipped
//! wasm size is a headline figure).

use ::core::future::Future;
use ::core::pin::Pin;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, spawn_local};

use super::errors::to_js;
use crate::core::error::ChatError;
use crate::prelude::*;

pub type Task<T> = Pin<Box<dyn Future<Output = T>>>;

/// A Promise settled by `task`: its value, or its `ChatError` as a JS `Error`.
pub fn promise(task: Task<Result<JsValue, ChatError>>) -> Promise {
    future_to_promise(async move { task.await.map_err(|e| to_js(&e)) })
}

/// Runs `task` in the background.
pub fn spawn(task: Task<()>) {
    spawn_local(task);
}

/// A Promise for `task`, boxing it here so call sites stay short.
pub fn run(task: impl Future<Output = Result<JsValue, ChatError>> + 'static) -> Promise {
    promise(Box::pin(task))
}
