//! `new ChatSession(options)`: reading and checking the plain options object.

use wasm_bindgen::prelude::*;

use crate::core::error::ChatError;
use crate::core::json::JsonValue;
use crate::core::retry::RetryPolicy;
use crate::core::session::Config;
use crate::prelude::*;

pub struct Options {
    pub participant_token: String,
    /// Base URL of the Participant Service, without a trailing slash.
    pub endpoint: String,
    pub participant_id: Option<String>,
    pub config: Config,
    pub retry: RetryPolicy,
    pub request_timeout_ms: u32,
    /// `sessionStorage` key under which the session keeps what a reload needs, when persistence is on.
    pub persist_key: Option<String>,
}

const DEFAULT_REGION: &str = "us-west-2";

impl Options {
    pub fn from_js(v: &JsValue) -> Result<Options, ChatError> {
        if !JsonValue::is_object(v) {
            return Err(ChatError::invalid_argument("ChatSession options must be an object"));
        }
        let participant_token = match string(v, "participantToken")? {
            Some(t) if !t.trim_ascii().is_empty() => t,
            _ => return Err(ChatError::invalid_argument("options.participantToken must be a non-empty string")),
        };
        let region = string(v, "region")?.unwrap_or_else(|| DEFAULT_REGION.to_owned());
        if region.is_empty() || !region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(ChatError::invalid_argument("options.region must look like us-west-2"));
        }
        let endpoint = match string(v, "endpoint")? {
            Some(mut e) if e.starts_with("https://") || e.starts_with("http://") => {
                while e.as_bytes().last() == Some(&b'/') {
                    e.pop();
                }
                e
            }
            Some(_) => return Err(ChatError::invalid_argument("options.endpoint must be an http(s) URL")),
            None => ["https://participant.connect.", &region, ".amazonaws.com"].concat(),
        };
        let mut settings =
            Settings { config: Config::default(), retry: RetryPolicy::default(), request_timeout_ms: 15_000 };
        if let Some(b) = boolean(v, "fillGaps")? {
            settings.config.gap_fill = b;
        }
        if let Some(b) = boolean(v, "autoDeliveredReceipts")? {
            settings.config.auto_delivered_receipts = b;
        }
        for (group, key, apply) in &NUMBERS {
            let holder = match group {
                None => Some(v.clone()),
                Some(g) => object(v, g)?,
            };
            if let Some(ms) = holder.map(|h| millis(&h, *group, key)).transpose()?.flatten() {
                apply(&mut settings, ms);
            }
        }
        let Settings { mut config, retry, request_timeout_ms } = settings;
        config.request_timeout_ms = request_timeout_ms;
        let persist_key = match v.field("persist") {
            None => None,
            Some(p) if p.is_null() || p.as_bool() == Some(false) => None,
            Some(p) if p.as_bool() == Some(true) => Some("connect-chat-wasm".to_owned()),
            Some(p) => match p.as_string() {
                Some(k) if !k.is_empty() => Some(k),
                _ => return Err(ChatError::invalid_argument("options.persist must be a boolean or a storage key")),
            },
        };
        Ok(Options {
            participant_token,
            endpoint,
            participant_id: string(v, "participantId")?,
            config,
            retry,
            request_timeout_ms,
            persist_key,
        })
    }
}

/// What the numeric options set, while they are read.
struct Settings {
    config: Config,
    retry: RetryPolicy,
    request_timeout_ms: u32,
}

/// The numeric options (non-negative milliseconds or counts): the object holding them (`None`: the
/// options themselves) and what each one sets. A table read by one loop: the same checks written out
/// per option cost several kilobytes of the shipped wasm.
type Setter = fn(&mut Settings, u32);
static NUMBERS: [(Option<&str>, &str, Setter); 12] = [
    (None, "receiptBatchMs", |s, ms| s.config.receipt_batch_ms = ms),
    (None, "typingThrottleMs", |s, ms| s.config.typing_interval_ms = ms),
    (None, "orderWindowMs", |s, ms| s.config.order_window_ms = ms),
    (None, "streamTimeoutMs", |s, ms| s.config.stream_timeout_ms = ms.max(1_000)),
    (None, "heartbeatIntervalMs", |s, ms| s.config.heartbeat_interval_ms = ms.max(1_000)),
    (None, "requestTimeoutMs", |s, ms| s.request_timeout_ms = ms.max(1)),
    (Some("reconnect"), "initialDelayMs", |s, ms| s.config.reconnect.initial_ms = ms),
    (Some("reconnect"), "maxDelayMs", |s, ms| s.config.reconnect.max_ms = ms),
    (Some("retry"), "maxAttempts", |s, n| s.retry.max_attempts = n.max(1)),
    (Some("retry"), "initialDelayMs", |s, ms| s.retry.backoff.initial_ms = ms),
    (Some("retry"), "maxDelayMs", |s, ms| s.retry.backoff.max_ms = ms),
    (Some("retry"), "deadlineMs", |s, ms| s.retry.deadline_ms = ms),
];

fn bad(key: &str, what: &str) -> ChatError {
    ChatError::invalid_argument(["options.", key, " must be ", what].concat())
}

/// Present and not null.
fn present(v: &JsValue, key: &str) -> Option<JsValue> {
    v.field(key).filter(|x| !x.is_null())
}

fn string(v: &JsValue, key: &str) -> Result<Option<String>, ChatError> {
    present(v, key).map(|x| x.as_string().ok_or_else(|| bad(key, "a string"))).transpose()
}

fn boolean(v: &JsValue, key: &str) -> Result<Option<bool>, ChatError> {
    present(v, key).map(|x| x.as_bool().ok_or_else(|| bad(key, "a boolean"))).transpose()
}

fn object(v: &JsValue, key: &str) -> Result<Option<JsValue>, ChatError> {
    present(v, key).map(|x| if JsonValue::is_object(&x) { Ok(x) } else { Err(bad(key, "an object")) }).transpose()
}

/// `group` is the object `v` is under, if any: the error names the whole path (`retry.maxAttempts`).
fn millis(v: &JsValue, group: Option<&str>, key: &str) -> Result<Option<u32>, ChatError> {
    present(v, key)
        .map(|x| match x.as_f64() {
            Some(n) if n.is_finite() && n >= 0.0 && n <= f64::from(u32::MAX) => Ok(n as u32),
            _ => {
                let path = group.map_or_else(|| key.to_owned(), |g| [g, ".", key].concat());
                Err(bad(&path, "a non-negative number"))
            }
        })
        .transpose()
}
