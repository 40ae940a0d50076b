//! The page's event listeners, by event type, and dispatch of `{ type, detail }` objects.

use js_sys::{Function, Object};
use wasm_bindgen::prelude::*;

use super::errors::set;
use crate::prelude::*;

/// Every event type the session emits.
pub const EVENT_TYPES: &[&str] = &[
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

/// By event type; a short list scanned linearly (there are 19 types), cheaper in bytes than a map.
#[derive(Default)]
pub struct Listeners {
    by_type: Vec<(String, Vec<Function>)>,
}

impl Listeners {
    /// Adds a listener once (adding the same function twice is a no-op, as with the DOM).
    pub fn add(&mut self, event: &str, f: Function) {
        match self.by_type.iter_mut().find(|(t, _)| t == event) {
            Some((_, list)) => {
                if !list.iter().any(|g| g == &f) {
                    list.push(f);
                }
            }
            None => self.by_type.push((event.to_owned(), vec![f])),
        }
    }

    pub fn remove(&mut self, event: &str, f: &Function) {
        if let Some((_, list)) = self.by_type.iter_mut().find(|(t, _)| t == event) {
            list.retain(|g| g != f);
        }
    }

    /// A snapshot of the listeners of `event`, so they are called with no borrow held (a listener may
    /// add or remove listeners, or close the session).
    pub fn snapshot(&self, event: &str) -> Vec<Function> {
        self.by_type.iter().find(|(t, _)| t == event).map(|(_, l)| l.clone()).unwrap_or_default()
    }
}

/// The event object every listener receives.
pub fn event_object(event: &str, detail: &JsValue) -> JsValue {
    let obj: JsValue = Object::new().into();
    set(&obj, "type", &JsValue::from_str(event));
    set(&obj, "detail", detail);
    obj
}

/// Calls each listener; one that throws is reported to the console and does not stop the others or
/// the session.
pub fn call_all(listeners: &[Function], event: &JsValue) {
    for f in listeners {
        if let Err(thrown) = f.call1(&JsValue::UNDEFINED, event) {
            report_listener_error(&thrown);
        }
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(a: &JsValue, b: &JsValue);
}

fn report_listener_error(thrown: &JsValue) {
    console_error(&JsValue::from_str("connect-chat-wasm: an event listener threw"), thrown);
}
