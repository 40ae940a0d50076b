//! The page's event listeners, held and called by a small registry in JS (`js/page.js`, `Listeners`) that
//! behaves as an `EventTarget` does (added once, removable while an event is being dispatched, a listener
//! that throws is reported like any other and does not stop the others) without building a native
//! `Event` per item. Each listener gets `{ type, detail }`.

use ::core::cell::Cell;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::js_json::key;
use crate::protocol::error::ChatError;
use crate::protocol::item::{ItemKind, EVENT_NAMES};

#[wasm_bindgen(module = "/src/shell/js/page.js")]
extern "C" {
    #[wasm_bindgen(js_name = Listeners)]
    type Registry;
    #[wasm_bindgen(constructor, js_class = Listeners)]
    fn new() -> Registry;
    /// `options` as the DOM takes them (`{ once, signal }`); throws a `TypeError` for a `signal` that is
    /// not an `AbortSignal`.
    #[wasm_bindgen(method, js_class = Listeners, catch)]
    fn add(this: &Registry, event: &JsValue, listener: &Function, options: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method, js_class = Listeners)]
    fn remove(this: &Registry, event: &JsValue, listener: &JsValue);
    #[wasm_bindgen(method, js_class = Listeners)]
    fn remover(this: &Registry, event: &JsValue, listener: &JsValue) -> Function;
    #[wasm_bindgen(method, js_class = Listeners)]
    fn fire(this: &Registry, event: &JsValue, detail: &JsValue);
    /// `fire`, then the same for event `then` (when it is one).
    #[wasm_bindgen(method, js_class = Listeners, js_name = fire)]
    fn fire_then(this: &Registry, event: &JsValue, detail: &JsValue, then: &JsValue);
}

pub struct Listeners {
    target: Registry,
    /// Bit `i`: a listener was ever added for `EVENT_NAMES[i]`. Events nobody listens to are not even
    /// created (two per chat item otherwise).
    listened: Cell<u64>,
}

/// The bit of `event` (one of `EVENT_NAMES`, as the caller has checked).
fn bit(event: &str) -> u64 {
    1 << EVENT_NAMES.iter().position(|t| *t == event).unwrap_or(0)
}

impl Listeners {
    pub fn new() -> Listeners {
        Listeners { target: Registry::new(), listened: Cell::new(0) }
    }

    /// `event` is one of `EVENT_NAMES` (checked by the caller); `options` are the DOM's listener options,
    /// honoured as the DOM does (`once`, `signal`; a boolean is `capture`, which changes nothing here).
    /// What the DOM refuses (a `signal` that is not an `AbortSignal`) is an `InvalidArgument`.
    pub fn add(&self, event: &'static str, listener: &Function, options: &JsValue) -> Result<(), ChatError> {
        self.target.add(&key(event), listener, options).map_err(super::calls::refused)?;
        self.listened.set(self.listened.get() | bit(event));
        Ok(())
    }

    pub fn remove(&self, event: &JsValue, listener: &JsValue) {
        self.target.remove(event, listener);
    }

    /// `removeEventListener` bound to this target, `event` and `listener`: what `on()` returns.
    pub fn remover(&self, event: &JsValue, listener: &JsValue) -> Function {
        self.target.remover(event, listener)
    }

    /// Dispatches a chat item: `item`, then its kind's own event (if it has one), in one call into JS.
    pub fn dispatch_item(&self, kind: ItemKind, detail: &JsValue) {
        let own = kind.event_name();
        // A kind's discriminant is its event's index in `EVENT_NAMES`.
        if self.listened.get() & (bit("item") | own.map_or(0, |_| 1 << kind as u8)) == 0 {
            return;
        }
        self.target.fire_then(&key("item"), detail, &own.map(key).unwrap_or_default());
    }

    /// Dispatches `event` (one of `EVENT_NAMES`) with `detail` to its listeners, synchronously.
    pub fn dispatch(&self, event: &'static str, detail: &JsValue) {
        if self.listened.get() & bit(event) == 0 {
            return;
        }
        self.target.fire(&key(event), detail);
    }
}

/// The `&'static str` of the event type `name`, if it is one.
pub fn event_type(name: &str) -> Option<&'static str> {
    EVENT_NAMES.iter().find(|t| **t == name).copied()
}
