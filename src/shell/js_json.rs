//! `JsValue` as the core's JSON value: frames are parsed by the engine's `JSON.parse`, read through a
//! few property lookups, and the same objects are handed to the page as event details (no copies).

use core::cell::{Cell, UnsafeCell};

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::prelude::*;
use crate::protocol::item::{Fields, Item};
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
    /// A timestamp member as `Date.parse` reads it (`parseTime`): NaN when missing or not a date.
    #[wasm_bindgen(js_name = timeMember)]
    fn time_member(value: &JsValue, key: &JsValue) -> f64;
    /// What the session reads of a chat item, into `SCRATCH` (see `read_item`); -1 for a non-object.
    #[wasm_bindgen(js_name = itemFields)]
    fn item_fields(item: &JsValue) -> f64;
    /// Where `itemFields` writes: `SCRATCH`, in the wasm's memory.
    #[wasm_bindgen(js_name = shareScratch)]
    fn share_scratch(memory: &JsValue, numbers: *const f64, bytes: *const u8, capacity: usize);
    /// When the frame `readFrame` read last came, on `performance.now()`'s clock.
    #[wasm_bindgen(js_name = frameTime)]
    fn frame_time() -> f64;
}

/// When the frame being read came (`Now::lazy`: asked only by a rule that needs it).
pub fn frame_now() -> Millis {
    frame_time() as Millis
}

/// Where `itemFields` writes an item's fields: the numbers (`AbsoluteTime`, the bits, the lengths of the
/// five texts) and the texts in UTF-8, end to end, so that nothing is made per item
/// to carry them (neither a string nor a view of the memory). Whether JS has been told where they are.
struct Scratch(UnsafeCell<([f64; 7], Vec<u8>)>, Cell<bool>);

// wasm32-unknown-unknown is single-threaded.
unsafe impl Sync for Scratch {}

static SCRATCH: Scratch = Scratch(UnsafeCell::new(([0.0; 7], Vec::new())), Cell::new(false));

/// Why a value is no chat item.
pub const NOT_AN_ITEM: &str = "chat item is not a JSON object";

/// A chat item, its fields read by `itemFields` (`js/page.js`) in one call; what is not an object, given
/// back.
pub fn read_item(raw: JsValue) -> Result<Item<JsValue>, JsValue> {
    // SAFETY: single-threaded, and not re-entered: `itemFields` calls nothing in the wasm.
    let (numbers, bytes) = unsafe { &mut *SCRATCH.0.get() };
    let len = loop {
        if !SCRATCH.1.replace(true) {
            share_scratch(&wasm_bindgen::memory(), numbers.as_ptr(), bytes.as_ptr(), bytes.len());
        }
        let need = item_fields(&raw);
        if need < 0.0 {
            return Err(raw);
        }
        let need = need as usize;
        if need <= bytes.len() {
            break need;
        }
        // More room, shared again; the texts are written again.
        bytes.resize(need.max(256), 0);
        SCRATCH.1.set(false);
    };
    let mut texts = [""; 5];
    let mut at: usize = 0;
    for (text, n) in texts.iter_mut().zip(&numbers[2..]) {
        let end = at.saturating_add(*n as usize).min(len);
        let written = bytes.get(at..end).unwrap_or_default();
        // SAFETY: `itemFields` wrote `len` bytes of UTF-8 from the start, each text whole (its ASCII bytes,
        // or `TextEncoder`'s whole characters) and its length in bytes in `numbers`.
        *text = unsafe { ::core::str::from_utf8_unchecked(written) };
        at = end;
    }
    let [item_type, content_type, role, recipient, id] = texts;
    let [time, bits, ..] = *numbers;
    let bits = bits as u8;
    let fields = Fields {
        id,
        item_type,
        content_type,
        role,
        event: bits & 8 != 0,
        time: time.is_finite().then_some(time as Millis),
        metadata: bits & 2 != 0,
        read: bits & 1 != 0,
        recipient: (bits & 4 != 0).then_some(recipient),
    };
    Ok(Item::from_fields(raw, &fields))
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
    fn item(self) -> Result<Item<Self>, String> {
        read_item(self).map_err(|_| NOT_AN_ITEM.to_owned())
    }

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
