//! Request bodies the Rust side builds itself (the page's own calls are checked and built by
//! `shell/js/arguments.js`): disconnecting, completing an upload, sending a receipt, and the
//! `ClientToken`s every mutating call carries.

use super::backoff::Rng;
use super::item::EVENT_PREFIX;
use super::json::ObjectWriter;
use crate::prelude::*;

pub const PATH_MESSAGE: &str = "/participant/message";
pub const PATH_EVENT: &str = "/participant/event";
pub const PATH_DISCONNECT: &str = "/participant/disconnect";
pub const PATH_START_UPLOAD: &str = "/participant/start-attachment-upload";
pub const PATH_COMPLETE_UPLOAD: &str = "/participant/complete-attachment-upload";
pub const PATH_ATTACHMENT: &str = "/participant/attachment";
pub const PATH_AUTH_URL: &str = "/participant/authentication-url";
pub const PATH_CANCEL_AUTH: &str = "/participant/cancel-authentication";

/// The typing event's content type (throttled by the session).
pub const TYPING: &str = "application/vnd.amazonaws.connect.event.typing";

pub fn disconnect_body(client_token: &str) -> String {
    ObjectWriter::new().string("ClientToken", client_token).finish()
}

/// SendEvent's body for an event of the session's own (a receipt): its content type is one of ours.
pub fn event_body(content_type: &str, content: &str, client_token: &str) -> String {
    debug_assert!(content_type.starts_with(EVENT_PREFIX));
    ObjectWriter::new()
        .string("ContentType", content_type)
        .string("Content", content)
        .string("ClientToken", client_token)
        .finish()
}

pub fn complete_upload_body(attachment_id: &str, client_token: &str) -> String {
    ObjectWriter::new().strings("AttachmentIds", &[attachment_id]).string("ClientToken", client_token).finish()
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

#[cfg(test)]
#[path = "requests_tests.rs"]
mod tests;
