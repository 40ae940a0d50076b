//! The core reads JSON through this small trait instead of a JSON library of its own: in the browser the
//! shell implements it over `JSON.parse` results (`JsValue`), so a frame is parsed once, by the engine's
//! fast native parser, and the very same object is handed to the page as the event detail. Native tests
//! implement it over `serde_json::Value`. Only the few fields the session needs are ever read.

use super::item::Item;
use super::time::{parse_iso8601, Millis};
use crate::prelude::*;

/// Read access to a parsed JSON value.
pub trait JsonValue: Sized {
    /// Parses JSON text; `None` when it is not valid JSON.
    fn parse(text: &str) -> Option<Self>;
    /// The member `key` of an object; `None` for a missing member or a non-object.
    fn field(&self, key: &str) -> Option<Self>;
    /// The value as a string; `None` unless it is a JSON string.
    fn as_string(&self) -> Option<String>;
    /// The value as a boolean; `None` unless it is a JSON boolean.
    fn as_bool(&self) -> Option<bool>;
    /// The value as a number; `None` unless it is a JSON number.
    fn as_number(&self) -> Option<f64>;
    /// The elements of an array; `None` unless it is an array.
    fn elements(&self) -> Option<Vec<Self>>;
    /// Whether the value is a JSON object (not an array, not null).
    fn is_object(&self) -> bool;
    /// A string value.
    fn string(s: &str) -> Self;
    /// A boolean value.
    fn boolean(b: bool) -> Self;
    /// A shallow copy of this object (what the page gets of a streamed reply so far).
    fn copy(&self) -> Self;
    /// Sets member `key` of this object (added or replaced), where the session tells the page more than
    /// the service's item says.
    fn set(&mut self, key: &'static str, value: Self);

    /// Reads this value as a chat item ([`Item::from_json`]). The browser implementation reads the fields
    /// the session needs in one call into JS.
    fn item(self) -> Result<Item<Self>, String> {
        Item::read(self)
    }

    /// Parses the JSON text held by this string value (`aws/chat` frames carry the item this way).
    /// The browser implementation hands the JS string to `JSON.parse` without copying it into wasm.
    fn parse_string_value(&self) -> Option<Self> {
        Self::parse(&self.as_string()?)
    }

    /// A string member, the commonest access.
    fn str_field(&self, key: &str) -> Option<String> {
        self.field(key)?.as_string()
    }

    /// A timestamp member (`AbsoluteTime`, `ConnectionExpiry`, ...) as ms since the epoch; `None` when it
    /// is missing or not an ISO 8601 timestamp. The browser implementation asks the engine's `Date.parse`
    /// (the same answer for every format the service writes; one parser less in the wasm).
    fn time_field(&self, key: &str) -> Option<Millis> {
        parse_iso8601(&self.str_field(key)?)
    }
}

/// Appends `s` to `out` as a JSON string literal. Request bodies are built with this rather than a
/// serializer: there are a handful of fixed shapes and it keeps `serde_json` out of the wasm.
pub fn push_str_literal(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[(c as usize) >> 4]));
                out.push(char::from(HEX[(c as usize) & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Builds a JSON object member by member, in insertion order.
#[derive(Debug)]
pub struct ObjectWriter {
    out: String,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl ObjectWriter {
    pub fn new() -> Self {
        ObjectWriter { out: String::from("{") }
    }

    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        push_str_literal(&mut self.out, key);
        self.out.push(':');
    }

    /// A string member.
    pub fn string(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        push_str_literal(&mut self.out, value);
        self
    }

    /// A string member, left out when `value` is `None`.
    pub fn opt_string(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.string(key, v),
            None => self,
        }
    }

    /// A member whose value is already JSON text (a nested object, a number, a boolean).
    pub fn raw(mut self, key: &str, json: &str) -> Self {
        self.key(key);
        self.out.push_str(json);
        self
    }

    /// An array of strings.
    pub fn strings(mut self, key: &str, values: &[&str]) -> Self {
        self.key(key);
        self.out.push('[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            push_str_literal(&mut self.out, v);
        }
        self.out.push(']');
        self
    }

    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// `serde_json::Value` as a [`JsonValue`], for native tests of everything that reads JSON.
#[cfg(test)]
impl JsonValue for serde_json::Value {
    fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
    fn field(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).cloned()
    }
    fn as_string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn as_bool(&self) -> Option<bool> {
        serde_json::Value::as_bool(self)
    }
    fn as_number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn elements(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
    fn is_object(&self) -> bool {
        serde_json::Value::is_object(self)
    }
    fn string(s: &str) -> Self {
        serde_json::Value::String(s.to_owned())
    }
    fn boolean(b: bool) -> Self {
        serde_json::Value::Bool(b)
    }
    fn copy(&self) -> Self {
        self.clone()
    }
    fn set(&mut self, key: &'static str, value: Self) {
        if let Some(map) = self.as_object_mut() {
            map.insert(key.to_owned(), value);
        }
    }
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
