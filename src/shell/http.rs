//! HTTP over `fetch` (gloo-net): Participant Service calls (rest-json, token in `X-Amz-Bearer`, every
//! non-2xx turned into the service's typed error), retried as the policy says, and the plain PUT/GET of
//! attachment bytes to pre-signed URLs.

use std::rc::Rc;

use gloo_net::http::{Request, RequestBuilder};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::driver::{now, Inner};
use super::js_json::json_parse;
use crate::core::error::ChatError;

#[derive(Clone, Copy)]
pub enum Method {
    Get,
    Post,
    Put,
}

#[wasm_bindgen]
extern "C" {
    /// `AbortSignal.timeout(ms)`, caught: a browser without it just gets no timeout.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout, catch)]
    fn abort_after(ms: f64) -> Result<AbortSignal, JsValue>;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: f64) -> JsValue;
}

/// What to send.
pub struct Call<'a> {
    pub method: Method,
    pub url: &'a str,
    /// `X-Amz-Bearer`, for the service.
    pub token: Option<&'a str>,
    /// JSON text, or any fetch body (a `Blob`) for uploads.
    pub body: Option<JsValue>,
    /// Extra headers (an upload's `HeadersToInclude`).
    pub headers: &'a [(String, String)],
    pub timeout_ms: u32,
}

/// One request; the raw response on any HTTP status, a `NetworkError`/`TimeoutError` without one.
pub async fn send(call: &Call<'_>) -> Result<gloo_net::http::Response, ChatError> {
    let builder: RequestBuilder = match call.method {
        Method::Get => Request::get(call.url),
        Method::Post => Request::post(call.url),
        Method::Put => Request::put(call.url),
    };
    let mut builder = builder;
    if let Some(t) = call.token {
        builder = builder.header("X-Amz-Bearer", t);
    }
    for (k, v) in call.headers {
        builder = builder.header(k, v);
    }
    let signal = abort_after(f64::from(call.timeout_ms)).ok();
    let builder = builder.abort_signal(signal.as_ref());
    let request = match &call.body {
        Some(b) if b.is_string() => builder.header("Content-Type", "application/json").body(b.clone()),
        Some(b) => builder.body(b.clone()),
        None => builder.build(),
    }
    .map_err(|_| ChatError::invalid_argument("could not build the request"))?;
    request.send().await.map_err(|e| fetch_error(call.url, &e))
}

/// A Participant Service call: the parsed JSON answer (`{}` for an empty body) or the typed error.
pub async fn service(call: &Call<'_>) -> Result<JsValue, ChatError> {
    let response = send(call).await?;
    let status = response.status();
    let text = response.text().await.map_err(|e| fetch_error(call.url, &e))?;
    let empty = text.trim().is_empty();
    let parsed = if empty { None } else { json_parse(&JsValue::from_str(&text)).ok() };
    if (200..300).contains(&status) {
        if empty {
            return Ok(js_sys::Object::new().into());
        }
        return parsed.ok_or_else(|| ChatError::invalid_response(status, "the response is not JSON"));
    }
    let error_type = response.headers().get("x-amzn-ErrorType");
    Err(ChatError::from_http::<JsValue>(status, error_type.as_deref(), parsed.as_ref().filter(|p| p.is_object())))
}

/// A service call with the ConnectionToken, retried on throttling, server and network errors within the
/// session's retry policy. The token is read at each attempt (it may have been renewed meanwhile).
pub async fn api(inner: &Rc<Inner>, method: Method, path: &str, body: Option<String>) -> Result<JsValue, ChatError> {
    let url = [inner.opts.endpoint.as_str(), path].concat();
    let body = body.map(|b| JsValue::from_str(&b));
    let started = now();
    let mut attempt = 1;
    loop {
        let token = inner.core.borrow().connection_token().map(str::to_owned);
        let token = token.ok_or_else(super::driver::not_connected)?;
        let call = Call {
            method,
            url: &url,
            token: Some(&token),
            body: body.clone(),
            headers: &[],
            timeout_ms: inner.opts.request_timeout_ms,
        };
        let error = match service(&call).await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let delay = inner.opts.retry.next_delay(attempt, now() - started, &error, &mut inner.rng.borrow_mut());
        match delay {
            Some(ms) => sleep(ms).await,
            None => return Err(error),
        }
        attempt += 1;
    }
}

pub async fn sleep(ms: u32) {
    let p = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, f64::from(ms));
    });
    let _ = JsFuture::from(p).await;
}

fn fetch_error(url: &str, e: &gloo_net::Error) -> ChatError {
    match e {
        gloo_net::Error::JsError(js) if js.name == "TimeoutError" || js.name == "AbortError" => {
            ChatError::timeout(["no answer in time from ", url].concat())
        }
        gloo_net::Error::JsError(js) => ChatError::network(["request to ", url, " failed: ", &js.message].concat()),
        _ => ChatError::network(["request to ", url, " failed"].concat()),
    }
}
