//! CORS as the real service answers it: browsers on any origin call it directly, sending
//! `content-type`, `x-amz-bearer` and the SDKs' `x-amz-*`/`amz-sdk-*` headers, and must be able to read
//! `x-amzn-ErrorType`. Every response also gets an `x-amzn-RequestId`. The control API is CORS-enabled
//! only for loopback pages: `guard.rs` refuses other origins before this runs.

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const ALLOWED_HEADERS: &str = "content-type, x-amz-bearer, x-amz-user-agent, x-amz-date, x-amz-content-sha256, \
x-amz-security-token, authorization, amz-sdk-invocation-id, amz-sdk-request, x-amz-client-context";

pub async fn cors(req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS {
        let requested = req.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS).cloned();
        let mut res = StatusCode::OK.into_response();
        let h = res.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, PUT, DELETE, OPTIONS"));
        // Echo what was asked for (covers any SDK header), or name the usual ones.
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested.unwrap_or(HeaderValue::from_static(ALLOWED_HEADERS)));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
        add_common(&mut res);
        return res;
    }
    let mut res = next.run(req).await;
    add_common(&mut res);
    res
}

fn add_common(res: &mut Response) {
    let h = res.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("x-amzn-ErrorType, x-amzn-RequestId, Content-Disposition"),
    );
    if let Ok(v) = HeaderValue::from_str(&crate::state::new_id()) {
        h.insert("x-amzn-RequestId", v);
    }
}
