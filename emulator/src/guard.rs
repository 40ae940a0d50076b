//! Who may talk to the emulator at all (`Host`), and which web pages may use its control API (`Origin`).
//!
//! `Host`: the emulator listens on loopback only, yet a web page can still reach it by DNS rebinding (a
//! name the page's author controls resolves first to their server, then to 127.0.0.1, and the page is
//! then "same-origin" with the emulator and can read every answer). Such requests name the author's host
//! in `Host`, so anything but the emulator's own loopback address and port is refused, on every route.
//!
//! `Origin`: the Participant Service and the pre-signed attachment URLs (S3 in the real service) answer
//! browsers on any origin, and keep doing so (`cors.rs`). The control API has no AWS counterpart and
//! hands out every chat's and agent's tokens, so a page on a non-loopback origin is refused before the
//! request has any effect, without CORS headers. Pages on loopback origins (the demo, browser tests on a
//! random 127.0.0.1 port) and callers that send no `Origin` (curl, Node, the AWS CLI) are served.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::errors::ApiError;
use crate::state::Emulator;

/// The names the emulator answers to; it binds 127.0.0.1, and `localhost`/`[::1]` are how people and
/// tools spell the same machine.
const LOOPBACK_HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

/// The middleware, outside CORS so that a refusal carries no CORS headers.
pub async fn check(State(emu): State<Arc<Emulator>>, req: Request, next: Next) -> Response {
    let port = emu.addr.port();
    if !names_this_emulator(&req, port) {
        let message = format!(
            "this is connect-emulator on 127.0.0.1:{port}: the Host header must be 127.0.0.1:{port}, \
localhost:{port} or [::1]:{port} (other names are refused against DNS rebinding)"
        );
        let mut res = (StatusCode::MISDIRECTED_REQUEST, axum::Json(json!({ "message": message }))).into_response();
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return res;
    }
    if is_control_api(req.uri().path()) {
        if let Some(origin) = req.headers().get(header::ORIGIN) {
            if !is_loopback_origin(origin) {
                return ApiError::access_denied(
                    "the emulator's control API answers web pages on loopback origins only \
(http://127.0.0.1, http://localhost or http://[::1], any port)",
                )
                .into_response();
            }
        }
    }
    next.run(req).await
}

/// Whether the request is addressed to this emulator: its `Host`, and the authority of an absolute-form
/// request target if it has one (which HTTP/1.1 says takes precedence), must both be ours. A request
/// that names no host at all (HTTP/1.0) is refused too: nothing shows it was meant for us.
fn names_this_emulator(req: &Request, port: u16) -> bool {
    let host = req.headers().get(header::HOST).map(|h| h.to_str().map(|h| is_own_authority(h, port)).unwrap_or(false));
    let target = req.uri().authority().map(|a| is_own_authority(a.as_str(), port));
    match (host, target) {
        (None, None) => false,
        (host, target) => host.unwrap_or(true) && target.unwrap_or(true),
    }
}

/// `host[:port]` naming a loopback host and exactly `port` (no port means 80, as in HTTP).
fn is_own_authority(authority: &str, port: u16) -> bool {
    split_authority(authority).is_some_and(|(host, p)| is_loopback_host(host) && p.unwrap_or(80) == port)
}

/// `http(s)://` + a loopback host + any port, and nothing else (an `Origin` never has a path).
pub fn is_loopback_origin(origin: &HeaderValue) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let Some(authority) = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) else {
        return false;
    };
    split_authority(authority).is_some_and(|(host, _)| is_loopback_host(host))
}

fn is_loopback_host(host: &str) -> bool {
    LOOPBACK_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host))
}

/// `host[:port]` or `[v6]:port` into its parts; `None` if the port is there but not a number.
fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, rest) = authority.split_at(end + 1);
        match rest {
            "" => (host, None),
            _ => (host, Some(rest.strip_prefix(':')?)),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
    };
    Some((host, port))
}

/// The control API: everything under `/emulator/` except the two pre-signed attachment routes, which
/// stand for S3 and are called by the customer's page wherever it is served from. Matched on the raw
/// path, as the router matches it (it decodes nothing before routing).
pub fn is_control_api(path: &str) -> bool {
    if path != "/emulator" && !path.starts_with("/emulator/") {
        return false;
    }
    let presigned = ["/emulator/uploads/", "/emulator/attachments/"]
        .iter()
        .filter_map(|prefix| path.strip_prefix(prefix))
        .any(|id| !id.is_empty() && !id.contains('/'));
    !presigned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_authorities() {
        for ok in ["127.0.0.1:8787", "localhost:8787", "LocalHost:8787", "[::1]:8787"] {
            assert!(is_own_authority(ok, 8787), "{ok}");
        }
        for bad in [
            "127.0.0.1:8788",
            "127.0.0.1",
            "attacker.example:8787",
            "127.0.0.1.nip.io:8787",
            "localhost.:8787",
            "[::1]",
            "[::2]:8787",
            "127.0.0.1:",
            "127.0.0.1:87x7",
            "user@127.0.0.1:8787",
            "",
        ] {
            assert!(!is_own_authority(bad, 8787), "{bad}");
        }
        assert!(is_own_authority("localhost", 80));
    }

    #[test]
    fn loopback_origins() {
        for ok in ["http://127.0.0.1:5173", "http://localhost:3000", "http://[::1]:9", "http://localhost"] {
            assert!(is_loopback_origin(&HeaderValue::from_static(ok)), "{ok}");
        }
        for bad in [
            "null",
            "https://shop.example",
            "http://127.0.0.1.attacker.example",
            "http://localhost.attacker.example:80",
            "http://127.0.0.1:5173/",
            "file://",
            "http://192.168.1.2:8787",
        ] {
            assert!(!is_loopback_origin(&HeaderValue::from_static(bad)), "{bad}");
        }
    }

    #[test]
    fn control_paths() {
        for control in
            ["/emulator/contacts", "/emulator/health", "/emulator", "/emulator/uploads/", "/emulator/attachments/a/b"]
        {
            assert!(is_control_api(control), "{control}");
        }
        for other in
            ["/emulator/uploads/abc", "/emulator/attachments/abc", "/participant/message", "/ws", "/", "/emulatorx"]
        {
            assert!(!is_control_api(other), "{other}");
        }
    }
}
