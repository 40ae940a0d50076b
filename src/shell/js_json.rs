//! `JsValue` as the core's JSON value: frames are parsed by the engine's `JSON.parse`, read through a
//! few property lookups, and the same objects are handed to the page as event details (no copies).

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::json::JsonValue;
use crate::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string we already hold, so the text is never copied into wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
}

impl JsonValue for JsValue {
    fn parse(text: &str) -> Option<Self> {
        js_sys::JSON::parse(text).ok()
    }

    fn parse_string_value(&self) -> Option<Self> {
        if !self.is_string() {
            return None;
        }
        json_parse(self).ok()
    }

    fn field(&self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        let v = Reflect::get(self, &JsValue::from_str(key)).ok()?;
        (!v.is_undefined()).then_some(v)
    }

    fn as_string(&self) -> Option<String> {
        JsValue::as_string(self)
    }

    fn as_bool(&self) -> Option<bool> {
        JsValue::as_bool(self)
    }

    fn as_number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn elements(&self) -> Option<Vec<Self>> {
        Array::is_array(self).then(|| Array::from(self).iter().collect())
    }

    fn is_object(&self) -> bool {
        JsValue::is_object(self) && !Array::is_array(self)
    }
}
