//! Arguments of the page-facing API calls, checked before any request is made (an empty or over-long
//! message, an unknown enum value → `InvalidArgument`, no network), and their request bodies.
//! Limits and enums follow the service's API model.

use super::backoff::Rng;
use super::error::ChatError;
use super::item::EVENT_PREFIX;
use super::json::ObjectWriter;
use super::text::{after_last, before, char_count, num};
use crate::prelude::*;

pub const PATH_MESSAGE: &str = "/participant/message";
pub const PATH_EVENT: &str = "/participant/event";
pub const PATH_DISCONNECT: &str = "/participant/disconnect";
pub const PATH_START_UPLOAD: &str = "/participant/start-attachment-upload";
pub const PATH_COMPLETE_UPLOAD: &str = "/participant/complete-attachment-upload";
pub const PATH_ATTACHMENT: &str = "/participant/attachment";
pub const PATH_AUTH_URL: &str = "/participant/authentication-url";
pub const PATH_CANCEL_AUTH: &str = "/participant/cancel-authentication";

/// 20 MB: the service's attachment size limit.
pub const MAX_ATTACHMENT_BYTES: f64 = 20_971_520.0;

/// File types Amazon Connect chat accepts, with the extensions that imply them (a `Blob` may come
/// without a type).
pub const ATTACHMENT_TYPES: &[(&str, &[&str])] = &[
    ("text/csv", &["csv"]),
    ("application/msword", &["doc"]),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &["docx"]),
    ("image/heic", &["heic"]),
    ("image/jpeg", &["jpg", "jpeg", "jfif"]),
    ("video/quicktime", &["mov"]),
    ("video/mp4", &["mp4"]),
    ("application/pdf", &["pdf"]),
    ("image/png", &["png"]),
    ("application/vnd.ms-powerpoint", &["ppt"]),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", &["pptx"]),
    ("application/rtf", &["rtf"]),
    ("text/plain", &["txt"]),
    ("audio/wav", &["wav"]),
    ("application/vnd.ms-excel", &["xls"]),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &["xlsx"]),
];

/// Message content types the service accepts from a participant.
pub const MESSAGE_CONTENT_TYPES: &[&str] = &[
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive.response",
];

/// Event content types a participant may send.
pub const EVENT_CONTENT_TYPES: &[&str] = &["typing", "connection.acknowledged", "message.delivered", "message.read"];

/// The service documents 16,384 bytes (of UTF-8) for every message content type.
pub const MAX_CONTENT_BYTES: usize = 16_384;
const MAX_CONTENT_TYPE_LENGTH: usize = 100;

pub fn send_message_body(content: &str, content_type: &str, client_token: &str) -> Result<String, ChatError> {
    if !MESSAGE_CONTENT_TYPES.contains(&content_type) {
        return Err(one_of("contentType", MESSAGE_CONTENT_TYPES, "", content_type));
    }
    check_bytes("content", content, MAX_CONTENT_BYTES)?;
    Ok(ObjectWriter::new()
        .string("ContentType", content_type)
        .string("Content", content)
        .string("ClientToken", client_token)
        .finish())
}

pub fn send_event_body(content_type: &str, content: Option<&str>, client_token: &str) -> Result<String, ChatError> {
    check_length("contentType", content_type, 1, MAX_CONTENT_TYPE_LENGTH)?;
    let known = content_type.strip_prefix(EVENT_PREFIX).is_some_and(|e| EVENT_CONTENT_TYPES.contains(&e));
    if !known {
        return Err(one_of("contentType", EVENT_CONTENT_TYPES, EVENT_PREFIX, content_type));
    }
    if let Some(c) = content {
        check_bytes("content", c, MAX_CONTENT_BYTES)?;
    }
    Ok(ObjectWriter::new()
        .string("ContentType", content_type)
        .opt_string("Content", content)
        .string("ClientToken", client_token)
        .finish())
}

pub fn disconnect_body(client_token: &str) -> String {
    ObjectWriter::new().string("ClientToken", client_token).finish()
}

/// The content type to declare for an attachment: the file's own when the service accepts it, else the
/// one its extension implies.
pub fn attachment_content_type(name: &str, declared: &str) -> Result<&'static str, ChatError> {
    let declared = before(declared, b";").trim_ascii();
    if let Some((t, _)) = ATTACHMENT_TYPES.iter().find(|(t, _)| *t == declared) {
        return Ok(t);
    }
    let ext = after_last(name, b'.').map(str::to_ascii_lowercase).unwrap_or_default();
    if declared.is_empty() || declared == "application/octet-stream" {
        if let Some((t, _)) = ATTACHMENT_TYPES.iter().find(|(_, exts)| exts.contains(&ext.as_str())) {
            return Ok(t);
        }
    }
    let shown = if declared.is_empty() { name } else { declared };
    Err(ChatError::invalid_argument(["attachments of this type are not accepted: ", shown].concat()))
}

pub fn start_upload_body(content_type: &str, size: f64, name: &str, client_token: &str) -> Result<String, ChatError> {
    check_length("file name", name, 1, 256)?;
    if !(1.0..=MAX_ATTACHMENT_BYTES).contains(&size) {
        return Err(ChatError::invalid_argument("attachments must hold 1 byte to 20 MB"));
    }
    Ok(ObjectWriter::new()
        .string("ContentType", content_type)
        .raw("AttachmentSizeInBytes", &num(size as u64))
        .string("AttachmentName", name)
        .string("ClientToken", client_token)
        .finish())
}

pub fn complete_upload_body(attachment_id: &str, client_token: &str) -> String {
    ObjectWriter::new().strings("AttachmentIds", &[attachment_id]).string("ClientToken", client_token).finish()
}

pub fn get_attachment_body(attachment_id: &str) -> Result<String, ChatError> {
    check_length("attachmentId", attachment_id, 1, 256)?;
    Ok(ObjectWriter::new().string("AttachmentId", attachment_id).finish())
}

pub fn authentication_url_body(session_id: &str, redirect_uri: &str) -> Result<String, ChatError> {
    check_length("sessionId", session_id, 36, 36)?;
    check_length("redirectUri", redirect_uri, 1, 1024)?;
    Ok(ObjectWriter::new().string("SessionId", session_id).string("RedirectUri", redirect_uri).finish())
}

pub fn cancel_authentication_body(session_id: &str) -> Result<String, ChatError> {
    check_length("sessionId", session_id, 36, 36)?;
    Ok(ObjectWriter::new().string("SessionId", session_id).finish())
}

/// `GET /participant/views/{ViewToken}`, the token percent-encoded as a path segment.
pub fn view_path(view_token: &str) -> Result<String, ChatError> {
    check_length("viewToken", view_token, 1, 1000)?;
    let mut path = String::from("/participant/views/");
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in view_token.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            path.push(char::from(b));
        } else {
            path.push('%');
            path.push(char::from(HEX[usize::from(b >> 4)]));
            path.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    Ok(path)
}

/// A random (v4) UUID for `ClientToken`s: unique, not secret.
pub fn uuid_v4(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_le_bytes());
    bytes[8..].copy_from_slice(&b.to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

fn check_length(name: &str, value: &str, min: usize, max: usize) -> Result<(), ChatError> {
    let n = char_count(value);
    if n < min || n > max {
        let why = if n < min { "must not be empty" } else { "is too long" };
        let detail =
            [" (", &num(n as u64), " characters; allowed ", &num(min as u64), " to ", &num(max as u64), ")"].concat();
        return Err(ChatError::invalid_argument([name, " ", why, &detail].concat()));
    }
    Ok(())
}

fn check_bytes(name: &str, value: &str, max: usize) -> Result<(), ChatError> {
    if value.is_empty() {
        return Err(ChatError::invalid_argument([name, " must not be empty"].concat()));
    }
    if value.len() > max {
        let detail =
            [" is too long (", &num(value.len() as u64), " bytes of UTF-8; at most ", &num(max as u64), ")"].concat();
        return Err(ChatError::invalid_argument([name, &detail].concat()));
    }
    Ok(())
}

/// "`name` must be one of `prefix`a, `prefix`b, ...; got "`value`"".
fn one_of(name: &str, allowed: &[&str], prefix: &str, value: &str) -> ChatError {
    let mut m = [name, " must be one of "].concat();
    for (i, a) in allowed.iter().enumerate() {
        if i > 0 {
            m.push_str(", ");
        }
        m.push_str(prefix);
        m.push_str(a);
    }
    m.push_str("; got \"");
    m.push_str(value);
    m.push('"');
    ChatError::invalid_argument(m)
}

#[cfg(test)]
#[path = "requests_tests.rs"]
mod tests;
