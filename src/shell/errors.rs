//! `ChatError` as a JS `Error` with `name`, `message`, `code` (the same as `name`, for code that
//! switches on `err.code`), `status` and `retryable` (the README, "Errors"), built in JS
//! (`js/page.js`), which also cuts the query off every URL in the message (no error carries a credential).

use wasm_bindgen::prelude::*;

use crate::prelude::*;
use crate::protocol::error::ChatError;

#[wasm_bindgen(module = "/src/shell/js/page.js")]
extern "C" {
    #[wasm_bindgen(js_name = chatError)]
    fn chat_error(name: &str, message: &str, status: u16, retryable: bool) -> JsValue;
    #[wasm_bindgen(js_name = setMember)]
    fn set_member(target: &JsValue, key: &JsValue, value: &JsValue);
}

pub fn to_js(e: &ChatError) -> JsValue {
    chat_error(&e.name, &e.message, e.status, e.retryable)
}

/// Sets a property of an object of ours or of one `JSON.parse` made (never frozen, so it cannot throw).
pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    set_member(target, &super::js_json::key(key), value);
}

/// A readable message from whatever a JS API threw.
pub fn describe(thrown: &JsValue) -> String {
    if let Some(s) = thrown.as_string() {
        return s;
    }
    use crate::protocol::json::JsonValue;
    thrown.str_field("message").unwrap_or_else(|| "unknown JavaScript error".to_owned())
}
