//! `ChatSession`'s Participant Service calls: messages, events and receipts, the transcript, views and
//! authentication. Arguments are checked first, by `js/arguments.js` (`InvalidArgument`, no request);
//! calls are retried as the retry policy says, with one `ClientToken` for all attempts.

use super::cells::Cells;
use alloc::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::chat_session::ChatSession;
use super::driver::{now, pump, Inner};
use super::errors::to_js;
use super::http::{self, Method};
use super::tasks::run;
use crate::prelude::*;
use crate::protocol::api::PATH_TRANSCRIPT;
use crate::protocol::error::ChatError;
use crate::protocol::json::JsonValue;
use crate::protocol::receipts::ReceiptKind;
use crate::protocol::requests;
use crate::protocol::session::SendKind;

/// The rules that only read and write JS objects, in JS (`js/`, bundled into the package's one JS file):
/// the engine does that for free, where the same code in the wasm costs kilobytes (README, "Size").
pub(super) mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/shell/js/interactive.js")]
    extern "C" {
        #[wasm_bindgen(js_name = parseInteractive)]
        pub fn parse_interactive(item: &JsValue) -> JsValue;
        /// `{ contentType, content }`; throws a `TypeError` when `choice` cannot answer `item`.
        #[wasm_bindgen(js_name = interactiveReply, catch)]
        pub fn interactive_reply(item: &JsValue, choice: &JsValue) -> Result<JsValue, JsValue>;
    }

    // Each builds a request's body (a JSON string) from the page's arguments, or throws the `TypeError`
    // that names what is wrong with them.
    #[wasm_bindgen(module = "/src/shell/js/arguments.js")]
    extern "C" {
        /// GetTranscript's body for `getTranscript(options)`.
        #[wasm_bindgen(js_name = transcriptBody, catch)]
        pub fn transcript_body(options: &JsValue) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = messageBody, catch)]
        pub fn message_body(content: &JsValue, content_type: &JsValue, client_token: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = eventBody, catch)]
        pub fn event_body(content_type: &JsValue, content: &JsValue, client_token: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = uploadBody, catch)]
        pub fn upload_body(file: &JsValue, client_token: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = attachmentBody, catch)]
        pub fn attachment_body(attachment_id: &JsValue) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = authUrlBody, catch)]
        pub fn auth_url_body(options: &JsValue) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = cancelAuthBody, catch)]
        pub fn cancel_auth_body(options: &JsValue) -> Result<JsValue, JsValue>;
        /// DescribeView's path, the token percent-encoded.
        #[wasm_bindgen(js_name = viewPath, catch)]
        pub fn view_path(view_token: &JsValue) -> Result<JsValue, JsValue>;
    }
}

/// What a JS check threw, as the `InvalidArgument` it is.
pub(super) fn refused(thrown: JsValue) -> ChatError {
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
        let token = self.client_token();
        let body = js::message_body(&content, &content_type, &token);
        if let Some(queued) = body.as_ref().ok().and_then(|b| self.inner.queue_send(&token, SendKind::Message, b, None))
        {
            return queued;
        }
        call(&self.inner, Method::Post, requests::PATH_MESSAGE, body)
    }

    /// SendEvent: typing, delivered and read receipts. Resolves to `{ Id, AbsoluteTime }`; a typing event
    /// within `typingThrottleMs` of the last one resolves to `undefined` without a request.
    #[wasm_bindgen(js_name = sendEvent, unchecked_return_type = "Promise<SendResult | undefined>")]
    pub fn send_event(
        &self,
        #[wasm_bindgen(js_name = contentType, unchecked_param_type = "EventContentType")] content_type: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] content: JsValue,
    ) -> Promise {
        let token = self.client_token();
        let body = js::event_body(&content_type, &content, &token);
        let kind = content_type.as_string().unwrap_or_default();
        let typing = kind == requests::TYPING;
        if body.is_ok() && typing && !self.inner.core.write().allow_typing(now()) {
            return Promise::resolve(&JsValue::UNDEFINED);
        }
        // Typing and receipts are of the moment: they never wait in the outbox.
        let ephemeral = typing || kind.ends_with(".delivered") || kind.ends_with(".read");
        if let Some(queued) = body
            .as_ref()
            .ok()
            .filter(|_| !ephemeral)
            .and_then(|b| self.inner.queue_send(&token, SendKind::Event, b, None))
        {
            return queued;
        }
        call(&self.inner, Method::Post, requests::PATH_EVENT, body)
    }

    /// A typing event, throttled (see `sendEvent`).
    #[wasm_bindgen(js_name = sendTyping, unchecked_return_type = "Promise<SendResult | undefined>")]
    pub fn send_typing(&self) -> Promise {
        self.send_event(JsValue::from_str(requests::TYPING), JsValue::UNDEFINED)
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
        call(&self.inner, Method::Post, PATH_TRANSCRIPT, js::transcript_body(&options))
    }

    /// DescribeView. Resolves to `{ View }`.
    #[wasm_bindgen(js_name = describeView, unchecked_return_type = "Promise<DescribeViewResult>")]
    pub fn describe_view(
        &self,
        #[wasm_bindgen(js_name = viewToken, unchecked_param_type = "string")] view_token: JsValue,
    ) -> Promise {
        match js::view_path(&view_token) {
            Ok(path) => call(&self.inner, Method::Get, &path.as_string().unwrap_or_default(), Ok(JsValue::UNDEFINED)),
            Err(thrown) => Promise::reject(&to_js(&refused(thrown))),
        }
    }

    /// GetAuthenticationUrl. Resolves to `{ AuthenticationUrl }`.
    #[wasm_bindgen(js_name = getAuthenticationUrl, unchecked_return_type = "Promise<{ AuthenticationUrl: string }>")]
    pub fn get_authentication_url(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ sessionId: string; redirectUri: string }")] options: JsValue,
    ) -> Promise {
        call(&self.inner, Method::Post, requests::PATH_AUTH_URL, js::auth_url_body(&options))
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
        call(&self.inner, Method::Post, requests::PATH_CANCEL_AUTH, js::cancel_auth_body(&options))
    }
}

#[wasm_bindgen]
impl ChatSession {
    /// The sends waiting in the outbox (queued, being sent, or failed for good), oldest first.
    #[wasm_bindgen(getter, unchecked_return_type = "PendingSend[]")]
    pub fn pending(&self) -> JsValue {
        let json = self.inner.core.read().outbox_json();
        super::page::pending_list(&json)
    }

    /// Tries a pending send again (a failed one, at its place in the queue), with its ClientToken.
    /// Resolves as `sendMessage` does; rejects with `InvalidArgument` when no such send can be retried.
    #[wasm_bindgen(js_name = retryPending, unchecked_return_type = "Promise<SendResult>")]
    pub fn retry_pending(&self, #[wasm_bindgen(js_name = clientToken)] client_token: &str) -> Promise {
        if !self.inner.core.write().retry_pending(now(), client_token) {
            let e = ChatError::invalid_argument("no pending send with this clientToken can be retried now");
            return Promise::reject(&to_js(&e));
        }
        let promise = self.inner.send_promise(client_token);
        pump(&self.inner);
        promise
    }

    /// Removes a pending send that is not being sent (its Promise, if any, rejects); whether it did.
    #[wasm_bindgen(js_name = dropPending)]
    pub fn drop_pending(&self, #[wasm_bindgen(js_name = clientToken)] client_token: &str) -> bool {
        let dropped = self.inner.core.write().drop_pending(client_token);
        if dropped {
            self.inner.forget_file(client_token);
        }
        pump(&self.inner);
        dropped
    }
}

impl ChatSession {
    pub(super) fn client_token(&self) -> String {
        requests::uuid_v4(&mut self.inner.rng.write())
    }

    fn receipt(&self, message_id: &str, kind: ReceiptKind) -> bool {
        let queued = self.inner.core.write().queue_receipt(now(), message_id, kind);
        pump(&self.inner);
        queued
    }
}

/// Runs a checked call: a body the JS checks refused rejects at once, with no request. A GET has no body
/// (`undefined`).
pub(super) fn call(inner: &Rc<Inner>, method: Method, path: &str, body: Result<JsValue, JsValue>) -> Promise {
    let inner = inner.clone();
    let path = path.to_owned();
    run(async move {
        let body = body.map_err(refused)?;
        let body = if body.is_undefined() { None } else { Some(body) };
        http::api(&*inner, method, &path, body).await
    })
}
