//! The page's event listeners: a plain `EventTarget` of the session's own holds them and calls them, so
//! they behave exactly as DOM listeners do (added once, removable while an event is being dispatched, a
//! listener that throws is reported like any other and does not stop the others). Each listener gets an
//! `Event` of the type, with the event's `detail` on it.

use ::core::cell::Cell;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::errors::set;
use super::js_json::key;

/// Every event type the session emits.
pub const EVENT_TYPES: [&str; 19] = [
    "connected",
    "reconnecting",
    "connection-lost",
    "renewed",
    "message",
    "attachment",
    "typing",
    "read",
    "delivered",
    "participant-joined",
    "participant-left",
    "participant-idle",
    "participant-returned",
    "participant-auto-disconnected",
    "transfer-succeeded",
    "transfer-failed",
    "ended",
    "error",
    "item",
];

#[wasm_bindgen]
extern "C" {
    type Target;
    #[wasm_bindgen(constructor, js_class = EventTarget)]
    fn new() -> Target;
    #[wasm_bindgen(method, js_name = addEventListener)]
    fn add(this: &Target, event: &JsValue, listener: &Function);
    #[wasm_bindgen(method, js_name = removeEventListener)]
    fn remove(this: &Target, event: &JsValue, listener: &JsValue);
    #[wasm_bindgen(method, js_name = dispatchEvent)]
    fn dispatch(this: &Target, event: &JsValue);
    #[wasm_bindgen(method, getter, js_name = removeEventListener)]
    fn remover(this: &Target) -> Function;

    #[wasm_bindgen(js_name = Event)]
    type PlainEvent;
    #[wasm_bindgen(constructor, js_class = Event)]
    fn new(event: &JsValue) -> PlainEvent;
}

pub struct Listeners {
    target: Target,
    /// Bit `i`: a listener was ever added for `EVENT_TYPES[i]`. Events nobody listens to are not even
    /// created (two per chat item otherwise).
    listened: Cell<u32>,
}

/// The index of `event` in `EVENT_TYPES`, which the caller has checked it is in.
fn index(event: &str) -> usize {
    EVENT_TYPES.iter().position(|t| *t == event).unwrap_or(0)
}

impl Listeners {
    pub fn new() -> Listeners {
        Listeners { target: Target::new(), listened: Cell::new(0) }
    }

    /// `event` is one of `EVENT_TYPES` (checked by the caller).
    pub fn add(&self, event: &'static str, listener: &Function) {
        self.listened.set(self.listened.get() | 1 << index(event));
        self.target.add(&key(event), listener);
    }

    pub fn remove(&self, event: &JsValue, listener: &JsValue) {
        self.target.remove(event, listener);
    }

    /// `removeEventListener` bound to this target, `event` and `listener`: what `on()` returns.
    pub fn remover(&self, event: &JsValue, listener: &JsValue) -> Function {
        self.target.remover().bind2(&self.target, event, listener).unchecked_into()
    }

    /// Dispatches `event` (one of `EVENT_TYPES`) with `detail` to its listeners, synchronously.
    pub fn dispatch(&self, event: &'static str, detail: &JsValue) {
        if self.listened.get() & 1 << index(event) == 0 {
            return;
        }
        let e: JsValue = PlainEvent::new(&key(event)).into();
        set(&e, "detail", detail);
        self.target.dispatch(&e);
    }
}

/// `EVENT_TYPES`' own `&'static str` for `name`, if it is one.
pub fn event_type(name: &str) -> Option<&'static str> {
    EVENT_TYPES.iter().find(|t| **t == name).copied()
}
