//! `new ChatSession(options)`: reading and checking the plain options object.

use wasm_bindgen::prelude::*;

use crate::core::error::ChatError;
use crate::core::json::JsonValue;
use crate::core::session::Config;

pub struct Options {
    pub participant_token: String,
    /// Base URL of the Participant Service, without a trailing slash.
    pub endpoint: String,
    pub config: Config,
}

const DEFAULT_REGION: &str = "us-west-2";

impl Options {
    pub fn from_js(v: &JsValue) -> Result<Options, ChatError> {
        if !v.is_object() {
            return Err(ChatError::invalid_argument("ChatSession options must be an object"));
        }
        let participant_token = match v.field("participantToken").map(|t| t.as_string()) {
            Some(Some(t)) if !t.trim().is_empty() => t,
            Some(_) => return Err(ChatError::invalid_argument("options.participantToken must be a non-empty string")),
            None => return Err(ChatError::invalid_argument("options.participantToken is required")),
        };
        let region = optional_string(v, "region")?.unwrap_or_else(|| DEFAULT_REGION.to_owned());
        if region.is_empty() || !region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(ChatError::invalid_argument("options.region must look like \"us-west-2\""));
        }
        let endpoint = match optional_string(v, "endpoint")? {
            Some(e) => {
                if !(e.starts_with("https://") || e.starts_with("http://")) {
                    return Err(ChatError::invalid_argument("options.endpoint must be an http(s) URL"));
                }
                e.trim_end_matches('/').to_owned()
            }
            None => format!("https://participant.connect.{region}.amazonaws.com"),
        };
        let mut config = Config::default();
        if let Some(gap) = v.field("fillGaps") {
            config.gap_fill = gap.as_bool().ok_or_else(|| ChatError::invalid_argument("options.fillGaps must be a boolean"))?;
        }
        if let Some(r) = v.field("reconnect") {
            if let Some(ms) = optional_ms(&r, "initialDelayMs")? {
                config.reconnect.initial_ms = ms;
            }
            if let Some(ms) = optional_ms(&r, "maxDelayMs")? {
                config.reconnect.max_ms = ms;
            }
        }
        if let Some(ms) = optional_ms(v, "heartbeatIntervalMs")? {
            config.heartbeat_interval_ms = ms.max(1_000);
        }
        Ok(Options { participant_token, endpoint, config })
    }
}

fn optional_string(v: &JsValue, key: &str) -> Result<Option<String>, ChatError> {
    match v.field(key) {
        None => Ok(None),
        Some(x) if x.is_null() => Ok(None),
        Some(x) => x.as_string().map(Some).ok_or_else(|| ChatError::invalid_argument(format!("options.{key} must be a string"))),
    }
}

fn optional_ms(v: &JsValue, key: &str) -> Result<Option<u32>, ChatError> {
    match v.field(key) {
        None => Ok(None),
        Some(x) => match x.as_f64() {
            Some(n) if n.is_finite() && n >= 0.0 && n <= f64::from(u32::MAX) => Ok(Some(n as u32)),
            _ => Err(ChatError::invalid_argument(format!("{key} must be a number of milliseconds"))),
        },
    }
}
