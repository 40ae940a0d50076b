//! `ChatError` as a JS `Error` with `name`, `message`, `code` (the same as `name`, for code that
//! switches on `err.code`), `status` and `retryable` (the README, "Errors"), built in JS
//! (`js/page.js`), which also cuts the query off every URL in the message (no error carries a credential).

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::prelude::*;
use crate::protocol::error::ChatError;

#[wasm_bindgen(module = "/src/shell/js/page.js")]
extern "C" {
    #[wasm_bindgen(js_name = chatError)]
    fn chat_error(name: &str, message: &str, status: u16, retryable: bool) -> JsValue;
}

pub fn to_js(e: &ChatError) -> JsValue {
    chat_error(&e.name, &e.message, e.status, e.retryable)
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
