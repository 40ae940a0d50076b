//! `--static DIR`: the demo's files (`www/`, with the built package copied to `www/pkg/`), served by
//! tower-http's `ServeDir` after every API path. It decodes the path, refuses anything that could leave
//! `DIR` (`..`, absolute paths, Windows prefixes), serves `index.html` for a directory (without a
//! redirect, as before), answers `HEAD`, ranges and `If-Modified-Since`, and types files by extension
//! (`mime_guess`: `.wasm` is `application/wasm`, as `WebAssembly.instantiateStreaming` requires).
//!
//! The emulator adds: `Cache-Control: no-cache` (a rebuilt package is picked up on reload),
//! `X-Content-Type-Options: nosniff` (a file is only ever what its extension says), and a 404 for
//! whatever is not a file, including other methods than `GET`/`HEAD`.

use std::path::Path;

use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// What every path that is neither an API route nor a file answers.
pub async fn not_found() -> impl IntoResponse {
    (StatusCode::NOT_FOUND, "not found")
}

/// The files under `root`, as a router to fall back to.
pub fn files(root: &Path) -> Router {
    let dir = ServeDir::new(root)
        .redirect_to_trailing_slash(false)
        .call_fallback_on_method_not_allowed(true)
        .not_found_service(not_found.into_service());
    Router::new()
        .fallback_service(dir)
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}
