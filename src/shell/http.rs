//! Participant Service calls over `fetch` (gloo-net): rest-json, token in `X-Amz-Bearer`, every non-2xx
//! turned into the service's typed error.

use gloo_net::http::{Request, RequestBuilder};
use wasm_bindgen::prelude::*;

use super::js_json::json_parse;
use crate::core::error::ChatError;

pub enum Method {
    #[allow(dead_code)] // DescribeView is the one GET
    Get,
    Post,
}

/// Calls `path` of the service and returns the parsed JSON answer (`{}` for an empty body).
pub async fn call(endpoint: &str, method: Method, path: &str, token: &str, body: Option<String>) -> Result<JsValue, ChatError> {
    let url = format!("{endpoint}{path}");
    let builder: RequestBuilder = match method {
        Method::Get => Request::get(&url),
        Method::Post => Request::post(&url),
    };
    let builder = builder.header("X-Amz-Bearer", token);
    let request = match body {
        Some(b) => builder.header("Content-Type", "application/json").body(b),
        None => builder.build(),
    }
    .map_err(|e| ChatError::invalid_argument(format!("could not build the request: {e}")))?;
    let response = request.send().await.map_err(|e| network_error(&url, &e))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| network_error(&url, &e))?;
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

fn network_error(url: &str, e: &gloo_net::Error) -> ChatError {
    let detail = match e {
        gloo_net::Error::JsError(js) => js.message.clone(),
        other => other.to_string(),
    };
    ChatError::network(format!("request to {url} failed: {detail}"))
}
