//! The one error type of the library. It carries what a caller needs to decide what to do next: the
//! service's error name (or one of ours), the HTTP status (0 when no response came) and whether
//! retrying the same call can help. The shell turns it into a JS `Error` with `name`, `message`,
//! `status` and `retryable` (the README, "Errors").

use super::json::JsonValue;
use super::text::{after_last, before};
use crate::prelude::*;

/// Boxed: errors travel in every `Result` of the library, and a one-pointer error keeps those small
/// (the moves of a four-field error in every `?` were kilobytes of the shipped wasm). Its fields are
/// read through `Deref`: `e.name`, `e.status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatError(Box<ErrorFields>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorFields {
    pub name: String,
    pub message: String,
    pub status: u16,
    pub retryable: bool,
}

impl core::ops::Deref for ChatError {
    type Target = ErrorFields;
    fn deref(&self) -> &ErrorFields {
        &self.0
    }
}

impl core::ops::DerefMut for ChatError {
    fn deref_mut(&mut self) -> &mut ErrorFields {
        &mut self.0
    }
}

/// Names of our own errors (the service's names come from its responses).
pub mod names {
    pub const NETWORK: &str = "NetworkError";
    pub const TIMEOUT: &str = "TimeoutError";
    pub const INVALID_ARGUMENT: &str = "InvalidArgument";
    pub const SESSION_ENDED: &str = "SessionEnded";
    pub const INVALID_STATE: &str = "InvalidState";
    pub const INVALID_RESPONSE: &str = "InvalidResponse";
    pub const MALFORMED_FRAME: &str = "MalformedFrame";
    pub const SUBSCRIBE_FAILED: &str = "SubscribeFailed";
    pub const SOCKET_CLOSED: &str = "SocketClosed";
    pub const SERVICE_FRAME: &str = "ServiceError";
    pub const ACCESS_DENIED: &str = "AccessDeniedException";
}

impl ChatError {
    pub fn new(name: &str, message: impl Into<String>, status: u16, retryable: bool) -> Self {
        ChatError(Box::new(ErrorFields { name: name.to_owned(), message: message.into(), status, retryable }))
    }

    pub fn network(message: impl Into<String>) -> Self {
        Self::new(names::NETWORK, message, 0, true)
    }

    pub fn timeout(message: impl Into<String>) -> Self {
        Self::new(names::TIMEOUT, message, 0, true)
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(names::INVALID_ARGUMENT, message, 0, false)
    }

    pub fn session_ended(message: impl Into<String>) -> Self {
        Self::new(names::SESSION_ENDED, message, 0, false)
    }

    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new(names::INVALID_STATE, message, 0, false)
    }

    /// The same error, its message led by `context` (what was being done when it happened).
    pub fn prefixed(mut self, context: &str) -> Self {
        self.message = [context, &self.message].concat();
        self
    }

    pub fn invalid_response(status: u16, message: impl Into<String>) -> Self {
        // A 2xx we cannot read is most likely a proxy or a truncated body; asking again may work.
        Self::new(names::INVALID_RESPONSE, message, status, true)
    }

    /// Builds the error for a non-2xx HTTP answer of a rest-json service: the type comes from the
    /// `x-amzn-ErrorType` header, else from `__type`/`code` in the body, else from the status.
    pub fn from_http<J: JsonValue>(status: u16, error_type_header: Option<&str>, body: Option<&J>) -> Self {
        let from_body = |key: &str| body.and_then(|b| b.str_field(key));
        let raw_name = error_type_header
            .map(str::to_owned)
            .filter(|s| !s.is_empty())
            .or_else(|| from_body("__type"))
            .or_else(|| from_body("code"));
        let name = match raw_name {
            Some(raw) => clean_error_type(&raw).to_owned(),
            None => name_for_status(status).to_owned(),
        };
        let message = from_body("message")
            .or_else(|| from_body("Message"))
            .unwrap_or_else(|| ["HTTP ", &super::text::num(u64::from(status))].concat());
        let retryable = is_retryable(status, &name);
        ChatError(Box::new(ErrorFields { name, message, status, retryable }))
    }
}

impl core::fmt::Display for ChatError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

/// `x-amzn-ErrorType` may carry a suffix (`Name:http://...`) and `__type` a namespace
/// (`com.amazonaws.connectparticipant#Name`); the name is what is left in between.
fn clean_error_type(raw: &str) -> &str {
    let before_colon = before(raw, b":");
    after_last(before_colon, b'#').unwrap_or(before_colon).trim_ascii()
}

fn name_for_status(status: u16) -> &'static str {
    match status {
        400 => "ValidationException",
        402 => "ServiceQuotaExceededException",
        403 => names::ACCESS_DENIED,
        404 => "ResourceNotFoundException",
        409 => "ConflictException",
        429 => "ThrottlingException",
        500..=599 => "InternalServerException",
        _ => "UnknownError",
    }
}

/// Throttling and server-side failures are worth retrying; every other 4xx means the request itself
/// (or the token) is wrong and the same request will fail again.
fn is_retryable(status: u16, name: &str) -> bool {
    matches!(status, 429 | 500..=599) || name == "ThrottlingException" || name == "InternalServerException"
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
