//! The JS class `ChatSession` (contract, section 1).

use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::driver::{dispatch, not_connected, now, pump, Inner};
use super::errors::to_js;
use super::http::{self, Method};
use super::listeners::EVENT_TYPES;
use super::options::Options;
use crate::core::error::ChatError;
use crate::core::json::JsonValue;
use crate::core::requests::{self, TranscriptQuery};

/// A customer's chat session with the Amazon Connect Participant Service.
#[wasm_bindgen]
pub struct ChatSession {
    inner: Rc<Inner>,
    /// Backs the functions `on()` returns: one closure for all of them, bound to (type, listener).
    remover: Closure<dyn Fn(JsValue, JsValue)>,
}

#[wasm_bindgen]
impl ChatSession {
    /// Creates a session; nothing happens on the network until `connect()`.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "ChatSessionOptions")] options: JsValue) -> Result<ChatSession, JsValue> {
        let opts = Options::from_js(&options).map_err(|e| to_js(&e))?;
        // Jitter and ClientTokens only need to differ between clients, not to be secret.
        let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64 ^ (now() as u64).rotate_left(32);
        let inner = Inner::new(opts, seed);
        let weak = Rc::downgrade(&inner);
        let remover = Closure::<dyn Fn(JsValue, JsValue)>::new(move |event: JsValue, listener: JsValue| {
            if let (Some(inner), Some(event)) = (weak.upgrade(), event.as_string()) {
                inner.listeners.borrow_mut().remove(&event, listener.unchecked_ref());
            }
        });
        Ok(ChatSession { inner, remover })
    }

    /// `"idle" | "connecting" | "connected" | "reconnecting" | "ended" | "closed"`.
    #[wasm_bindgen(getter, unchecked_return_type = "ChatSessionState")]
    pub fn state(&self) -> String {
        self.inner.core.borrow().state().as_str().to_owned()
    }

    /// CreateParticipantConnection, WebSocket, `aws/chat` subscription; resolves once subscribed.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn connect(&self) -> Promise {
        let mut settle = None;
        let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
        if let Some((resolve, reject)) = settle {
            self.inner.add_waiter(resolve, reject);
        }
        self.inner.core.borrow_mut().connect(now());
        pump(&self.inner);
        promise
    }

    /// Local teardown: sockets and timers are released; no API call. Listeners stay registered.
    pub fn close(&self) {
        self.inner.core.borrow_mut().close();
        pump(&self.inner);
        self.inner.release_io();
    }

    /// SendMessage. Resolves to `{ Id, AbsoluteTime }`.
    #[wasm_bindgen(js_name = sendMessage, unchecked_return_type = "Promise<SendResult>")]
    pub fn send_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] content: JsValue,
        #[wasm_bindgen(js_name = contentType, unchecked_optional_param_type = "MessageContentType")] content_type: JsValue,
    ) -> Promise {
        let body = (|| {
            let content = content.as_string().ok_or_else(|| ChatError::invalid_argument("content must be a string"))?;
            let content_type = optional_arg_string("contentType", &content_type)?.unwrap_or_else(|| "text/plain".to_owned());
            requests::send_message_body(&content, &content_type, &self.client_token())
        })();
        self.call(requests::PATH_MESSAGE, body)
    }

    /// SendEvent: typing, delivered and read receipts. Resolves to `{ Id, AbsoluteTime }`.
    #[wasm_bindgen(js_name = sendEvent, unchecked_return_type = "Promise<SendResult>")]
    pub fn send_event(
        &self,
        #[wasm_bindgen(js_name = contentType, unchecked_param_type = "EventContentType")] content_type: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] content: JsValue,
    ) -> Promise {
        let body = (|| {
            let content_type =
                content_type.as_string().ok_or_else(|| ChatError::invalid_argument("contentType must be a string"))?;
            let content = optional_arg_string("content", &content)?;
            requests::send_event_body(&content_type, content.as_deref(), &self.client_token())
        })();
        self.call(requests::PATH_EVENT, body)
    }

    /// GetTranscript. Resolves to `{ InitialContactId, Transcript, NextToken }`.
    #[wasm_bindgen(js_name = getTranscript, unchecked_return_type = "Promise<TranscriptResult>")]
    pub fn get_transcript(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "TranscriptOptions")] options: JsValue,
    ) -> Promise {
        let body = transcript_query(&options).and_then(|q| requests::transcript_body(&q));
        self.call(crate::core::api::PATH_TRANSCRIPT, body)
    }

    /// DisconnectParticipant, then local teardown: the session ends.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn disconnect(&self) -> Promise {
        let inner = self.inner.clone();
        let token = inner.core.borrow().connection_token().map(str::to_owned);
        let body = requests::disconnect_body(&self.client_token());
        future_to_promise(async move {
            if let Some(token) = token {
                let result = http::call(&inner.opts.endpoint, Method::Post, requests::PATH_DISCONNECT, &token, Some(body)).await;
                match result {
                    // A refused token means the participant is already gone: the goal is reached.
                    Err(e) if e.status != 403 => return Err(to_js(&e)),
                    _ => {}
                }
            }
            inner.core.borrow_mut().end();
            pump(&inner);
            inner.release_io();
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Adds a listener for `type` (see the `ChatSessionEventMap` type for every event and its detail).
    #[wasm_bindgen(js_name = addEventListener)]
    pub fn add_event_listener(
        &self,
        #[wasm_bindgen(js_name = type, unchecked_param_type = "ChatSessionEventType")] event: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(event: ChatSessionEvent) => void")] listener: JsValue,
    ) -> Result<(), JsValue> {
        let (event, listener) = checked_listener(&event, &listener).map_err(|e| to_js(&e))?;
        self.inner.listeners.borrow_mut().add(&event, listener);
        Ok(())
    }

    #[wasm_bindgen(js_name = removeEventListener)]
    pub fn remove_event_listener(
        &self,
        #[wasm_bindgen(js_name = type, unchecked_param_type = "ChatSessionEventType")] event: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(event: ChatSessionEvent) => void")] listener: JsValue,
    ) {
        if let (Some(event), Some(listener)) = (event.as_string(), listener.dyn_ref::<Function>()) {
            self.inner.listeners.borrow_mut().remove(&event, listener);
        }
    }

    /// Adds a listener and returns a function that removes it.
    #[wasm_bindgen(unchecked_return_type = "() => void")]
    pub fn on(
        &self,
        #[wasm_bindgen(js_name = type, unchecked_param_type = "ChatSessionEventType")] event: JsValue,
        #[wasm_bindgen(unchecked_param_type = "(event: ChatSessionEvent) => void")] listener: JsValue,
    ) -> Result<Function, JsValue> {
        let (name, f) = checked_listener(&event, &listener).map_err(|e| to_js(&e))?;
        self.inner.listeners.borrow_mut().add(&name, f);
        let remover: &Function = self.remover.as_ref().unchecked_ref();
        Ok(remover.bind2(&JsValue::NULL, &event, &listener).unchecked_into())
    }
}

impl ChatSession {
    fn client_token(&self) -> String {
        requests::uuid_v4(&mut self.inner.rng.borrow_mut())
    }

    /// POSTs `body` to `path` with the ConnectionToken; rejects with the typed error.
    fn call(&self, path: &'static str, body: Result<String, ChatError>) -> Promise {
        let inner = self.inner.clone();
        let token = inner.core.borrow().connection_token().map(str::to_owned);
        future_to_promise(async move {
            let body = body.map_err(|e| to_js(&e))?;
            let token = token.ok_or_else(|| to_js(&not_connected()))?;
            let result = http::call(&inner.opts.endpoint, Method::Post, path, &token, Some(body)).await;
            result.map_err(|e| {
                if e.status == 403 {
                    // Also tell listeners: a refused ConnectionToken usually means the chat is over.
                    dispatch(&inner, "error", &to_js(&e));
                }
                to_js(&e)
            })
        })
    }
}

fn checked_listener(event: &JsValue, listener: &JsValue) -> Result<(String, Function), ChatError> {
    let name = event.as_string().ok_or_else(|| ChatError::invalid_argument("the event type must be a string"))?;
    if !EVENT_TYPES.contains(&name.as_str()) {
        return Err(ChatError::invalid_argument(format!("unknown event type {name:?}; known: {}", EVENT_TYPES.join(", "))));
    }
    let f = listener.dyn_ref::<Function>().ok_or_else(|| ChatError::invalid_argument("the listener must be a function"))?;
    Ok((name, f.clone()))
}

fn optional_arg_string(name: &str, v: &JsValue) -> Result<Option<String>, ChatError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| ChatError::invalid_argument(format!("{name} must be a string")))
}

/// Reads `getTranscript(options)`: camelCase names mirroring the API.
fn transcript_query(v: &JsValue) -> Result<TranscriptQuery, ChatError> {
    if v.is_undefined() || v.is_null() {
        return Ok(TranscriptQuery::default());
    }
    if !JsonValue::is_object(v) {
        return Err(ChatError::invalid_argument("getTranscript options must be an object"));
    }
    let string = |key: &str| optional_arg_string(key, &v.field(key).unwrap_or(JsValue::UNDEFINED));
    let number = |obj: &JsValue, key: &str| -> Result<Option<f64>, ChatError> {
        match obj.field(key) {
            None => Ok(None),
            Some(n) if n.is_null() => Ok(None),
            Some(n) => n.as_f64().map(Some).ok_or_else(|| ChatError::invalid_argument(format!("{key} must be a number"))),
        }
    };
    let mut q = TranscriptQuery {
        contact_id: string("contactId")?,
        max_results: number(v, "maxResults")?,
        next_token: string("nextToken")?,
        scan_direction: string("scanDirection")?,
        sort_order: string("sortOrder")?,
        ..Default::default()
    };
    if let Some(p) = v.field("startPosition").filter(|p| !p.is_null()) {
        if !JsonValue::is_object(&p) {
            return Err(ChatError::invalid_argument("startPosition must be an object"));
        }
        let field = |key: &str| optional_arg_string(key, &p.field(key).unwrap_or(JsValue::UNDEFINED));
        q.start_id = field("id")?;
        q.start_absolute_time = field("absoluteTime")?;
        q.start_most_recent = number(&p, "mostRecent")?;
    }
    Ok(q)
}
