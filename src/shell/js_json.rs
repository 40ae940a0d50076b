//! `JsValue` as the core's JSON value: frames are parsed by the engine's `JSON.parse`, read through a
//! few property lookups, and the same objects are handed to the page as event details (no copies).

use core::cell::UnsafeCell;

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::prelude::*;
use crate::protocol::json::JsonValue;
use crate::protocol::time::Millis;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string we already hold, so the text is never copied into wasm memory.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/src/shell/js/page.js")]
extern "C" {
    /// `value[key]` for an object, `undefined` for anything else: one call per member read.
    fn member(value: &JsValue, key: &JsValue) -> JsValue;
    /// A string member, copied into wasm; `None` when missing or not a string.
    #[wasm_bindgen(js_name = textMember)]
    fn text_member(value: &JsValue, key: &JsValue) -> Option<String>;
    /// A timestamp member through `Date.parse`: NaN when missing or not a date.
    #[wasm_bindgen(js_name = timeMember)]
    fn time_member(value: &JsValue, key: &JsValue) -> f64;
}

/// JS strings for the property names we read and write on every item (`Id`, `Type`, `topic`, `detail`,
/// ...), made once: creating a JS string from Rust text on every lookup was a large share of the per-item
/// cost. Keyed by the text's address and length, which are stable for the literals every call site passes.
struct KeyCache(UnsafeCell<Vec<(usize, usize, JsValue)>>);

// wasm32-unknown-unknown is single-threaded; the cache is never touched concurrently.
unsafe impl Sync for KeyCache {}

static KEYS: KeyCache = KeyCache(UnsafeCell::new(Vec::new()));
const MAX_KEYS: usize = 64;

/// The JS string for `key`: a handle to the cached one (one small function every caller shares; the
/// lookup inlined into each of them cost more wasm than the handle costs time). `key` must be a literal
/// or a `static`: a key built at run time could be freed and its address reused by another key of the
/// same length, which would then find the first one's JS string.
#[inline(never)]
pub fn key(key: &str) -> JsValue {
    let id = (key.as_ptr() as usize, key.len());
    // SAFETY: single-threaded and not re-entered (nothing here calls back into Rust). The vector gets its full
    // capacity on first use and never grows past it, so its buffer never moves.
    let keys = unsafe { &mut *KEYS.0.get() };
    if keys.capacity() == 0 {
        keys.reserve_exact(MAX_KEYS);
    }
    if let Some((_, _, v)) = keys.iter().find(|(p, l, _)| (*p, *l) == id) {
        return v.clone();
    }
    let v = JsValue::from_str(key);
    if keys.len() < keys.capacity() {
        keys.push((id.0, id.1, v.clone()));
    }
    v
}

impl JsonValue for JsValue {
    fn parse(text: &str) -> Option<Self> {
        json_parse(&JsValue::from_str(text)).ok()
    }

    fn parse_string_value(&self) -> Option<Self> {
        if !self.is_string() {
            return None;
        }
        json_parse(self).ok()
    }

    fn field(&self, key: &str) -> Option<Self> {
        let v = member(self, &self::key(key));
        (!v.is_undefined()).then_some(v)
    }

    fn str_field(&self, key: &str) -> Option<String> {
        text_member(self, &self::key(key))
    }

    fn as_string(&self) -> Option<String> {
        JsValue::as_string(self)
    }

    fn time_field(&self, key: &str) -> Option<Millis> {
        let ms = time_member(self, &self::key(key));
        ms.is_finite().then_some(ms as Millis)
    }

    fn as_bool(&self) -> Option<bool> {
        JsValue::as_bool(self)
    }

    fn as_number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn elements(&self) -> Option<Vec<Self>> {
        Array::is_array(self).then(|| self.unchecked_ref::<Array>().iter().collect())
    }

    fn is_object(&self) -> bool {
        JsValue::is_object(self) && !Array::is_array(self)
    }

    fn string(s: &str) -> Self {
        JsValue::from_str(s)
    }

    fn boolean(b: bool) -> Self {
        JsValue::from_bool(b)
    }

    fn copy(&self) -> Self {
        js_sys::Object::assign(&js_sys::Object::new(), self.unchecked_ref()).into()
    }

    fn set(&mut self, key: &'static str, value: Self) {
        super::errors::set(self, key, &value);
    }
}
