//! The JS class `ChatSession` (every method and event is in the README): construction, connection, state and listeners.
//! The API calls are in `calls.rs` and `attachments.rs` (more `impl` blocks of the same class).

use super::cells::Cells;
use alloc::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::driver::{now, pump, Inner};
use super::errors::to_js;
use super::listeners::event_type;
use super::options::Options;
use crate::prelude::*;
use crate::protocol::error::ChatError;

/// A customer's chat session with the Amazon Connect Participant Service.
#[wasm_bindgen]
pub struct ChatSession {
    pub(super) inner: Rc<Inner>,
}

#[wasm_bindgen]
impl ChatSession {
    /// Creates a session; nothing happens on the network until `connect()`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ChatSessionOptions")] options: JsValue,
    ) -> Result<ChatSession, JsValue> {
        let opts = Options::from_js(&options).map_err(|e| to_js(&e))?;
        // Jitter and ClientTokens only need to differ between clients, not to be secret.
        let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64 ^ (now() as u64).rotate_left(32);
        Ok(ChatSession { inner: Inner::new(opts, seed) })
    }

    /// `"idle" | "connecting" | "connected" | "reconnecting" | "ended" | "closed"`.
    #[wasm_bindgen(getter, unchecked_return_type = "ChatSessionState")]
    pub fn state(&self) -> String {
        self.inner.core.read().state().as_str().to_owned()
    }

    /// CreateParticipantConnection, WebSocket, `aws/chat` subscription; resolves once subscribed.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn connect(&self) -> Promise {
        let (promise, settle) = super::driver::new_promise();
        if let Some((resolve, reject)) = settle {
            self.inner.add_waiter(resolve, reject);
        }
        self.inner.start();
        pump(&self.inner);
        promise
    }

    /// Local teardown: sockets, timers and page listeners of ours are released; no API call.
    /// The page's own event listeners stay registered.
    pub fn close(&self) {
        self.inner.core.write().close();
        pump(&self.inner);
        self.inner.release_io();
    }

    /// DisconnectParticipant, then local teardown: the session ends.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn disconnect(&self) -> Promise {
        let inner = self.inner.clone();
        super::tasks::run(async move {
            if inner.core.read().connection_token().is_some() {
                let token = crate::protocol::requests::uuid_v4(&mut inner.rng.write());
                let body = JsValue::from_str(&crate::protocol::requests::disconnect_body(&token));
                inner.core.write().leaving(true);
                let result = super::http::api(
                    &*inner,
                    super::http::Method::Post,
                    crate::protocol::requests::PATH_DISCONNECT,
                    Some(body),
                )
                .await;
                let outcome = crate::protocol::api::disconnect_outcome(result);
                if outcome.is_err() {
                    inner.core.write().leaving(false);
                }
                outcome?;
            }
            inner.forget_persisted();
            inner.core.write().end();
            pump(&inner);
            inner.release_io();
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Adds a listener for `type` (see `ChatSessionEventMap` for every event and its detail).
    // Typed in typescript.rs (generic in the event type, which wasm-bindgen cannot declare).
    #[wasm_bindgen(js_name = addEventListener, skip_typescript)]
    pub fn add_event_listener(
        &self,
        #[wasm_bindgen(js_name = type, unchecked_param_type = "ChatSessionEventType")] event: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(event: ChatSessionEvent) => void")] listener: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ListenerOptions")] options: JsValue,
    ) -> Result<(), JsValue> {
        let (event, listener) = checked_listener(&event, &listener).map_err(|e| to_js(&e))?;
        self.inner.listeners.add(event, listener, &options).map_err(|e| to_js(&e))
    }

    #[wasm_bindgen(js_name = removeEventListener, skip_typescript)]
    pub fn remove_event_listener(
        &self,
        #[wasm_bindgen(js_name = type, unchecked_param_type = "ChatSessionEventType")] event: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(event: ChatSessionEvent) => void")] listener: JsValue,
    ) {
        self.inner.listeners.remove(&event, &listener);
    }

    /// Adds a listener and returns a function that removes it. `options` as `addEventListener`'s.
    #[wasm_bindgen(skip_typescript)]
    pub fn on(
        &self,
        #[wasm_bindgen(js_name = type, unchecked_param_type = "ChatSessionEventType")] event: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(event: ChatSessionEvent) => void")] listener: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ListenerOptions")] options: JsValue,
    ) -> Result<Function, JsValue> {
        let (name, f) = checked_listener(&event, &listener).map_err(|e| to_js(&e))?;
        self.inner.listeners.add(name, f, &options).map_err(|e| to_js(&e))?;
        Ok(self.inner.listeners.remover(&event, &listener))
    }
}

impl Drop for ChatSession {
    fn drop(&mut self) {
        // `free()` from JS (or garbage collection): nothing may outlive the object.
        self.inner.core.write().close();
        // Settles the Promises of queued sends and saves the queue for the next page.
        pump(&self.inner);
        self.inner.release_io();
    }
}

fn checked_listener<'a>(event: &JsValue, listener: &'a JsValue) -> Result<(&'static str, &'a Function), ChatError> {
    let name = event.as_string().ok_or_else(|| ChatError::invalid_argument("the event type must be a string"))?;
    let name =
        event_type(&name).ok_or_else(|| ChatError::invalid_argument(["unknown event type: ", &name].concat()))?;
    let f =
        listener.dyn_ref::<Function>().ok_or_else(|| ChatError::invalid_argument("the listener must be a function"))?;
    Ok((name, f))
}
