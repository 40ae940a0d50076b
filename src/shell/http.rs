//! HTTP over the browser's `fetch`: Participant Service calls (rest-json, token in `X-Amz-Bearer`, every
//! non-2xx turned into the service's typed error), retried as the policy says, and the plain PUT/GET of
//! attachment bytes to pre-signed URLs. Bodies and answers stay JS values: JSON text is parsed by
//! `JSON.parse` and a `Blob` goes to `fetch` without passing through wasm memory.
//!
//! `fetch` is called directly rather than through gloo-net: four calls of it do not need a request
//! builder, and its error and conversion layers cost several kilobytes of the shipped wasm.

use js_sys::{Object, Promise};
use wasm_bindgen::prelude::*;
use web_sys::{AbortSignal, RequestInit, Response};

use super::errors::set;
use super::js_json::json_parse;
use crate::prelude::*;
use crate::protocol::backoff::Rng;
use crate::protocol::error::ChatError;
use crate::protocol::json::JsonValue;
use crate::protocol::retry::{Attempts, RetryPolicy};
use crate::protocol::time::Millis;

#[derive(Clone, Copy)]
pub enum Method {
    Get,
    Post,
    Put,
}

#[wasm_bindgen(module = "/src/shell/js/page.js")]
extern "C" {
    /// The global `fetch` (a window's or a worker's), or what `preconnect` started for this request.
    #[wasm_bindgen(js_name = request)]
    fn fetch(url: &str, init: &RequestInit) -> Promise;
}

#[wasm_bindgen]
extern "C" {
    /// `AbortSignal.timeout(ms)`, caught: a browser without it just gets no timeout.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout, catch)]
    fn abort_after(ms: f64) -> Result<AbortSignal, JsValue>;
}

/// What to send.
pub struct Call<'a> {
    pub method: Method,
    pub url: &'a str,
    /// `X-Amz-Bearer`, for the service.
    pub token: Option<&'a str>,
    /// JSON text (a JS string), or any fetch body (a `Blob`) for uploads.
    pub body: Option<JsValue>,
    /// Extra headers: an upload's `HeadersToInclude`, the object as the service sent it.
    pub headers: Option<JsValue>,
    pub timeout_ms: u32,
}

/// One request; the response on any HTTP status, a `NetworkError`/`TimeoutError` without one.
pub async fn send(call: &Call<'_>) -> Result<Response, ChatError> {
    let init = RequestInit::new();
    init.set_method(match call.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
    });
    // A copy of the extra headers, so the service's answer is not changed; `fetch` takes the object as
    // it is (names are the service's own, values are strings).
    let headers: JsValue = match call.headers.as_ref().filter(|h| JsonValue::is_object(*h)) {
        Some(extra) => Object::assign(&Object::new(), extra.unchecked_ref()).into(),
        None => Object::new().into(),
    };
    if let Some(t) = call.token {
        set(&headers, "X-Amz-Bearer", &JsValue::from_str(t));
    }
    if let Some(body) = &call.body {
        if body.is_string() {
            set(&headers, "Content-Type", &JsValue::from_str("application/json"));
        }
        init.set_body(body);
    }
    init.set_headers(&headers);
    if let Ok(signal) = abort_after(f64::from(call.timeout_ms)) {
        init.set_signal(Some(&signal));
    }
    let response = super::tasks::settled(fetch(call.url, &init)).await.map_err(|e| fetch_error(call.url, &e))?;
    Ok(response.unchecked_into())
}

/// A Participant Service call: the parsed JSON answer (`{}` for an empty body) or the typed error.
pub async fn service(call: &Call<'_>) -> Result<JsValue, ChatError> {
    let response = send(call).await?;
    let status = response.status();
    let text = match response.text() {
        Ok(p) => super::tasks::settled(p).await.map_err(|e| fetch_error(call.url, &e))?,
        Err(e) => return Err(fetch_error(call.url, &e)),
    };
    let empty = js_sys::JsString::from(text.clone()).length() == 0;
    let parsed = if empty { None } else { json_parse(&text).ok() };
    if (200..300).contains(&status) {
        if empty {
            return Ok(Object::new().into());
        }
        return parsed.ok_or_else(|| ChatError::invalid_response(status, "the response is not JSON"));
    }
    let error_type = response.headers().get("x-amzn-ErrorType").ok().flatten();
    Err(ChatError::from_http::<JsValue>(status, error_type.as_deref(), parsed.as_ref().filter(|p| p.is_object())))
}

/// What a retried service call needs from the session that makes it.
pub trait Caller {
    fn endpoint(&self) -> &str;
    /// The ConnectionToken now (it may be renewed between attempts), or the error of having none.
    fn token(&self) -> Result<String, ChatError>;
    /// Whether the session is still open: a closed one makes no more attempts.
    fn alive(&self) -> bool;
    fn request_timeout_ms(&self) -> u32;
    fn retry_policy(&self) -> RetryPolicy;
    /// A seed for the backoff's jitter.
    fn seed(&self) -> u64;
    /// The monotonic clock.
    fn now(&self) -> Millis;
}

/// A service call with the ConnectionToken, retried on throttling, server and network errors within the
/// session's retry policy (`protocol::retry::Attempts` decides).
pub async fn api(
    caller: &impl Caller,
    method: Method,
    path: &str,
    body: Option<JsValue>,
) -> Result<JsValue, ChatError> {
    let url = [caller.endpoint(), path].concat();
    let mut attempts = Attempts::new(caller.retry_policy(), caller.now());
    let mut rng = Rng::new(caller.seed());
    loop {
        attempts.may_start(caller.alive())?;
        let token = caller.token()?;
        let call = Call {
            method,
            url: &url,
            token: Some(&token),
            body: body.clone(),
            headers: None,
            timeout_ms: caller.request_timeout_ms(),
        };
        let error = match service(&call).await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        sleep(attempts.failed(caller.now(), error, &mut rng)?).await;
    }
}

pub async fn sleep(ms: u32) {
    let p = Promise::new(&mut |resolve, _| {
        super::timer::set_timeout(&resolve, f64::from(ms));
    });
    let _ = super::tasks::settled(p).await;
}

/// `fetch` rejected: a timeout (our `AbortSignal`) or a network failure.
fn fetch_error(url: &str, thrown: &JsValue) -> ChatError {
    let name = thrown.str_field("name").unwrap_or_default();
    if name == "TimeoutError" || name == "AbortError" {
        return ChatError::timeout(["no answer in time from ", url].concat());
    }
    let detail = thrown.str_field("message").unwrap_or_default();
    ChatError::network(["request to ", url, " failed: ", &detail].concat())
}
