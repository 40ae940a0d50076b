//! `ChatSession`'s Participant Service calls: messages, events and receipts, the transcript, views and
//! authentication. Arguments are checked first (`InvalidArgument`, no request); calls are retried as the
//! retry policy says, with one `ClientToken` for all attempts.

use alloc::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::chat_session::ChatSession;
use super::driver::{now, pump, Inner};
use super::errors::to_js;
use super::http::{self, Method};
use super::tasks::run;
use crate::core::api::PATH_TRANSCRIPT;
use crate::core::error::ChatError;
use crate::core::item::EVENT_PREFIX;
use crate::core::json::JsonValue;
use crate::core::receipts::ReceiptKind;
use crate::core::requests;
use crate::prelude::*;

/// The rules that only read and write JS objects, in JS (`js/`, bundled into the package's one JS file):
/// the engine does that for free, where the same code in the wasm costs kilobytes (README, "Size").
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/shell/js/interactive.js")]
    extern "C" {
        #[wasm_bindgen(js_name = parseInteractive)]
        pub fn parse_interactive(item: &JsValue) -> JsValue;
        /// `{ contentType, content }`; throws a `TypeError` when `choice` cannot answer `item`.
        #[wasm_bindgen(js_name = interactiveReply, catch)]
        pub fn interactive_reply(item: &JsValue, choice: &JsValue) -> Result<JsValue, JsValue>;
    }

    #[wasm_bindgen(module = "/src/shell/js/transcript.js")]
    extern "C" {
        /// GetTranscript's body for `getTranscript(options)`; throws a `TypeError` naming a wrong option.
        #[wasm_bindgen(js_name = transcriptBody, catch)]
        pub fn transcript_body(options: &JsValue) -> Result<JsValue, JsValue>;
    }
}

/// What a JS check threw, as the `InvalidArgument` it is.
fn refused(thrown: JsValue) -> ChatError {
    ChatError::invalid_argument(super::errors::describe(&thrown))
}

#[wasm_bindgen]
impl ChatSession {
    /// SendMessage. Resolves to `{ Id, AbsoluteTime }`.
    #[wasm_bindgen(js_name = sendMessage, unchecked_return_type = "Promise<SendResult>")]
    pub fn send_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] content: JsValue,
        #[wasm_bindgen(js_name = contentType, unchecked_optional_param_type = "MessageContentType")]
        content_type: JsValue,
    ) -> Promise {
        let body = (|| {
            let content = content.as_string().ok_or_else(|| ChatError::invalid_argument("content must be a string"))?;
            let content_type =
                optional_string("contentType", &content_type)?.unwrap_or_else(|| "text/plain".to_owned());
            requests::send_message_body(&content, &content_type, &self.client_token())
        })();
        call(&self.inner, Method::Post, requests::PATH_MESSAGE.to_owned(), body)
    }

    /// SendEvent: typing, delivered and read receipts. Resolves to `{ Id, AbsoluteTime }`; a typing event
    /// within `typingThrottleMs` of the last one resolves to `undefined` without a request.
    #[wasm_bindgen(js_name = sendEvent, unchecked_return_type = "Promise<SendResult | undefined>")]
    pub fn send_event(
        &self,
        #[wasm_bindgen(js_name = contentType, unchecked_param_type = "EventContentType")] content_type: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] content: JsValue,
    ) -> Promise {
        let body = (|| {
            let content_type =
                content_type.as_string().ok_or_else(|| ChatError::invalid_argument("contentType must be a string"))?;
            let content = optional_string("content", &content)?;
            let body = requests::send_event_body(&content_type, content.as_deref(), &self.client_token())?;
            let typing = content_type.strip_prefix(EVENT_PREFIX) == Some("typing");
            Ok((body, typing))
        })();
        match body {
            Ok((_, true)) if !self.inner.core.borrow_mut().allow_typing(now()) => Promise::resolve(&JsValue::UNDEFINED),
            other => call(&self.inner, Method::Post, requests::PATH_EVENT.to_owned(), other.map(|(b, _)| b)),
        }
    }

    /// A typing event, throttled (see `sendEvent`).
    #[wasm_bindgen(js_name = sendTyping, unchecked_return_type = "Promise<SendResult | undefined>")]
    pub fn send_typing(&self) -> Promise {
        self.send_event(JsValue::from_str("application/vnd.amazonaws.connect.event.typing"), JsValue::UNDEFINED)
    }

    /// Queues a read receipt for an incoming message; receipts go out in batches, each at most once.
    /// Returns whether it was queued (`false`: already sent or queued, or not connected).
    #[wasm_bindgen(js_name = sendReadReceipt)]
    pub fn send_read_receipt(&self, #[wasm_bindgen(js_name = messageId)] message_id: &str) -> bool {
        self.receipt(message_id, ReceiptKind::Read)
    }

    /// Queues a delivered receipt (see `sendReadReceipt`).
    #[wasm_bindgen(js_name = sendDeliveredReceipt)]
    pub fn send_delivered_receipt(&self, #[wasm_bindgen(js_name = messageId)] message_id: &str) -> bool {
        self.receipt(message_id, ReceiptKind::Delivered)
    }

    /// GetTranscript. Resolves to `{ InitialContactId, Transcript, NextToken }`.
    #[wasm_bindgen(js_name = getTranscript, unchecked_return_type = "Promise<TranscriptResult>")]
    pub fn get_transcript(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "TranscriptOptions")] options: JsValue,
    ) -> Promise {
        let body = js::transcript_body(&options).map(|b| b.as_string().unwrap_or_default()).map_err(refused);
        call(&self.inner, Method::Post, PATH_TRANSCRIPT.to_owned(), body)
    }

    /// DescribeView. Resolves to `{ View }`.
    #[wasm_bindgen(js_name = describeView, unchecked_return_type = "Promise<DescribeViewResult>")]
    pub fn describe_view(
        &self,
        #[wasm_bindgen(js_name = viewToken, unchecked_param_type = "string")] view_token: JsValue,
    ) -> Promise {
        let path = view_token
            .as_string()
            .ok_or_else(|| ChatError::invalid_argument("viewToken must be a string"))
            .and_then(|t| requests::view_path(&t));
        match path {
            Ok(p) => call(&self.inner, Method::Get, p, Ok(String::new())),
            Err(e) => Promise::reject(&to_js(&e)),
        }
    }

    /// GetAuthenticationUrl. Resolves to `{ AuthenticationUrl }`.
    #[wasm_bindgen(js_name = getAuthenticationUrl, unchecked_return_type = "Promise<{ AuthenticationUrl: string }>")]
    pub fn get_authentication_url(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ sessionId: string; redirectUri: string }")] options: JsValue,
    ) -> Promise {
        let body = (|| {
            let session = required_field(&options, "sessionId")?;
            let redirect = required_field(&options, "redirectUri")?;
            requests::authentication_url_body(&session, &redirect)
        })();
        call(&self.inner, Method::Post, requests::PATH_AUTH_URL.to_owned(), body)
    }

    /// The template of an interactive message (`{ templateType, version, content, replyMessage? }`), or
    /// `null` for any other item and for a template of the wrong shape. Never throws.
    #[wasm_bindgen(js_name = parseInteractive, unchecked_return_type = "InteractiveTemplate | null")]
    pub fn parse_interactive(#[wasm_bindgen(unchecked_param_type = "ChatItem")] item: &JsValue) -> JsValue {
        js::parse_interactive(item)
    }

    /// Answers an interactive message as the reference widget does: `choice` is one of its elements, one
    /// of its time slots, or a ViewResource action `{ action, data? }`. Resolves to `{ Id, AbsoluteTime }`.
    #[wasm_bindgen(js_name = sendInteractiveResponse, unchecked_return_type = "Promise<SendResult>")]
    pub fn send_interactive_response(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ChatItem")] item: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "InteractiveChoice")] choice: &JsValue,
    ) -> Promise {
        match js::interactive_reply(item, choice) {
            Ok(reply) => self.send_message(
                reply.field("content").unwrap_or_default(),
                reply.field("contentType").unwrap_or_default(),
            ),
            Err(thrown) => Promise::reject(&to_js(&refused(thrown))),
        }
    }

    /// CancelParticipantAuthentication.
    #[wasm_bindgen(js_name = cancelParticipantAuthentication, unchecked_return_type = "Promise<void>")]
    pub fn cancel_participant_authentication(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ sessionId: string }")] options: JsValue,
    ) -> Promise {
        let body = required_field(&options, "sessionId").and_then(|s| requests::cancel_authentication_body(&s));
        call(&self.inner, Method::Post, requests::PATH_CANCEL_AUTH.to_owned(), body)
    }
}

impl ChatSession {
    pub(super) fn client_token(&self) -> String {
        requests::uuid_v4(&mut self.inner.rng.borrow_mut())
    }

    fn receipt(&self, message_id: &str, kind: ReceiptKind) -> bool {
        let queued = self.inner.core.borrow_mut().queue_receipt(now(), message_id, kind);
        pump(&self.inner);
        queued
    }
}

/// Runs a checked call: a checking error rejects at once, with no request. An empty body means GET.
fn call(inner: &Rc<Inner>, method: Method, path: String, body: Result<String, ChatError>) -> Promise {
    let inner = inner.clone();
    run(async move {
        let body = body?;
        let body = if matches!(method, Method::Get) { None } else { Some(body) };
        http::api(&inner, method, &path, body).await
    })
}

pub(super) fn optional_string(name: &str, v: &JsValue) -> Result<Option<String>, ChatError> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| ChatError::invalid_argument([name, " must be a string"].concat()))
}

fn required_field(options: &JsValue, key: &str) -> Result<String, ChatError> {
    options
        .field(key)
        .and_then(|v| v.as_string())
        .ok_or_else(|| ChatError::invalid_argument([key, " is required and must be a string"].concat()))
}
