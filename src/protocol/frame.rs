//! WebSocket frames: the constant frames we send, and the decoding of every frame the service sends.

use super::item::Item;
use super::json::JsonValue;
use crate::prelude::*;

pub const SUBSCRIBE: &str = r#"{"topic":"aws/subscribe","content":{"topics":["aws/chat"]}}"#;
pub const HEARTBEAT: &str = r#"{"topic":"aws/heartbeat"}"#;
pub const PING: &str = r#"{"topic":"aws/ping"}"#;

/// A frame from the service, decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound<J> {
    /// The answer to `aws/subscribe`.
    SubscribeAck { success: bool },
    /// The echo of our heartbeat.
    Heartbeat,
    /// The answer to a deep heartbeat (`aws/ping`).
    Ping { ok: bool },
    /// An `aws/chat` item.
    Chat(Item<J>),
    /// A frame without a topic: the gateway's own error (`{"message":"Forbidden",...}`).
    ServiceError { message: String },
    /// A topic we did not subscribe to; ignored.
    Unknown { topic: String },
}

/// Decodes one text frame. Errors are messages for the `error` event; the session goes on after them.
pub fn decode<J: JsonValue>(text: &str) -> Result<Inbound<J>, String> {
    let frame = J::parse(text).ok_or_else(|| not_json("frame", text))?;
    decode_value(frame)
}

/// Decodes a frame already parsed as JSON. (The browser decodes its frames in JS, with the same answers
/// and messages: `readFrame` in `src/shell/js/page.js`, tested in `tests/js/frames.test.mjs`.)
pub fn decode_value<J: JsonValue>(frame: J) -> Result<Inbound<J>, String> {
    if !frame.is_object() {
        return Err("frame is not a JSON object".to_owned());
    }
    let Some(topic) = frame.field("topic") else {
        let message = frame.str_field("message").unwrap_or_else(|| "error frame without a message".to_owned());
        return Ok(Inbound::ServiceError { message });
    };
    let topic = topic.as_string().ok_or("frame topic is not a string")?;
    match topic.as_str() {
        "aws/subscribe" => {
            let status = frame.field("content").and_then(|c| c.str_field("status"));
            Ok(Inbound::SubscribeAck { success: status.as_deref() == Some("success") })
        }
        "aws/heartbeat" => Ok(Inbound::Heartbeat),
        "aws/ping" => {
            let code = frame.field("statusCode").and_then(|c| c.as_number());
            Ok(Inbound::Ping { ok: code == Some(200.0) })
        }
        "aws/chat" => {
            let content = frame.field("content").ok_or("aws/chat frame has no content")?;
            // The content is the item's JSON as a string, parsed a second time; tolerate an object too.
            let item = if content.is_object() {
                content
            } else {
                content.parse_string_value().ok_or_else(|| match content.as_string() {
                    Some(inner) => not_json("aws/chat content", &inner),
                    None => "aws/chat content is neither a string nor an object".to_owned(),
                })?
            };
            Ok(Inbound::Chat(Item::from_json(item)?))
        }
        _ => Ok(Inbound::Unknown { topic }),
    }
}

/// "`what` is not JSON (`start of text`)": a bad frame is quoted briefly, never a whole 1 MB of it.
pub fn not_json(what: &str, text: &str) -> String {
    [what, " is not JSON (", &super::text::preview(text, 80), ")"].concat()
}

#[cfg(test)]
#[path = "frame_tests.rs"]
mod tests;
