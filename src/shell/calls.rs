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
use crate::core::requests::{self, TranscriptQuery};
use crate::prelude::*;

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
        let body = transcript_query(&options).and_then(|q| requests::transcript_body(&q));
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

/// Reads `getTranscript(options)`: camelCase names mirroring the API.
fn transcript_query(v: &JsValue) -> Result<TranscriptQuery, ChatError> {
    if v.is_undefined() || v.is_null() {
        return Ok(TranscriptQuery::default());
    }
    if !JsonValue::is_object(v) {
        return Err(ChatError::invalid_argument("getTranscript options must be an object"));
    }
    let string = |obj: &JsValue, key: &str| optional_string(key, &obj.field(key).unwrap_or(JsValue::UNDEFINED));
    let number = |obj: &JsValue, key: &str| -> Result<Option<f64>, ChatError> {
        match obj.field(key).filter(|n| !n.is_null()) {
            None => Ok(None),
            Some(n) => {
                n.as_f64().map(Some).ok_or_else(|| ChatError::invalid_argument([key, " must be a number"].concat()))
            }
        }
    };
    let mut q = TranscriptQuery {
        contact_id: string(v, "contactId")?,
        max_results: number(v, "maxResults")?,
        next_token: string(v, "nextToken")?,
        scan_direction: string(v, "scanDirection")?,
        sort_order: string(v, "sortOrder")?,
        ..Default::default()
    };
    if let Some(p) = v.field("startPosition").filter(|p| !p.is_null()) {
        if !JsonValue::is_object(&p) {
            return Err(ChatError::invalid_argument("startPosition must be an object"));
        }
        q.start_id = string(&p, "id")?;
        q.start_absolute_time = string(&p, "absoluteTime")?;
        q.start_most_recent = number(&p, "mostRecent")?;
    }
    Ok(q)
}
