//! CORS as the real service answers it, by tower-http's `CorsLayer`: browsers on any origin call it
//! directly, sending `content-type`, `x-amz-bearer` and the SDKs' `x-amz-*`/`amz-sdk-*` headers (every
//! header a preflight asks for is allowed), and must be able to read `x-amzn-ErrorType`. Every response
//! also gets an `x-amzn-RequestId`, as the service's do.
//!
//! The layer covers every route; the rule that only loopback pages may use the control API is
//! `guard.rs`'s, which runs before it and refuses other origins without CORS headers.

use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::response::Response;
use tower_http::cors::{AllowHeaders, Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

/// The service's request id header.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");
/// The rest-json error type header.
pub const ERROR_TYPE: HeaderName = HeaderName::from_static("x-amzn-errortype");

/// Any origin, the methods of the API and the attachment URLs, whatever headers are asked for, a day's
/// preflight cache.
pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::OPTIONS])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([ERROR_TYPE, REQUEST_ID, header::CONTENT_DISPOSITION])
        .max_age(Duration::from_secs(86_400))
}

/// A new `x-amzn-RequestId` on every response.
pub fn request_id() -> SetResponseHeaderLayer<fn(&Response) -> Option<HeaderValue>> {
    SetResponseHeaderLayer::overriding(REQUEST_ID, new_request_id)
}

fn new_request_id(_: &Response) -> Option<HeaderValue> {
    HeaderValue::from_str(&crate::state::new_id()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layer_is_usable() {
        // CorsLayer panics when applied to rules browsers would reject (credentials with `*`).
        let _ = axum::Router::<()>::new().layer(layer());
        assert!(new_request_id(&Response::default()).is_some());
    }
}
