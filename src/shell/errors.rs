//! `ChatError` as a JS `Error` with `name`, `message`, `code` (the same as `name`, for code that
//! switches on `err.code`), `status` and `retryable` (contract, section 4).

use js_sys::{Error, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::error::ChatError;
use crate::prelude::*;

pub fn to_js(e: &ChatError) -> JsValue {
    let err = Error::new(&e.message);
    err.set_name(&e.name);
    let obj: &JsValue = err.as_ref();
    set(obj, "code", &JsValue::from_str(&e.name));
    set(obj, "status", &JsValue::from(e.status));
    set(obj, "retryable", &JsValue::from_bool(e.retryable));
    err.into()
}

/// Sets a property; a failure (only possible on frozen objects, which we never pass) is ignored.
pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &super::js_json::key(key), value);
}

/// A readable message from whatever a JS API threw.
pub fn describe(thrown: &JsValue) -> String {
    if let Some(s) = thrown.as_string() {
        return s;
    }
    match Reflect::get(thrown, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()) {
        Some(m) => m,
        None => "unknown JavaScript error".to_owned(),
    }
}
