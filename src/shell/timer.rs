//! One `setTimeout`, owned: dropping the guard clears it and frees its closure.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::Callback;

#[wasm_bindgen]
extern "C" {
    // Bound as globals (not `window.`) so the library also runs in workers.
    #[wasm_bindgen(js_name = setTimeout)]
    pub(super) fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

pub struct Timeout {
    id: JsValue,
    _callback: Callback,
}

impl Timeout {
    pub fn new(ms: f64, mut callback: impl FnMut() + 'static) -> Timeout {
        // Called with no argument (see `Callback`).
        let callback = Callback::new(move |_| callback());
        let id = set_timeout(callback.as_ref().unchecked_ref(), ms.max(0.0));
        Timeout { id, _callback: callback }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}
