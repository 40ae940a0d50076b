//! Request bodies and response readers of the Participant Service calls the session itself makes.

use super::error::{names, ChatError};
use super::item::Item;
use super::json::{JsonValue, ObjectWriter};
use super::text::before;
use super::time::Millis;
use crate::prelude::*;

pub const PATH_CONNECTION: &str = "/participant/connection";
pub const PATH_TRANSCRIPT: &str = "/participant/transcript";

/// The body of CreateParticipantConnection. `credentials_only` renews just the ConnectionToken.
pub fn create_connection_body(credentials_only: bool) -> String {
    let types: &[&str] =
        if credentials_only { &["CONNECTION_CREDENTIALS"] } else { &["WEBSOCKET", "CONNECTION_CREDENTIALS"] };
    ObjectWriter::new().strings("Type", types).raw("ConnectParticipant", "true").finish()
}

/// A WebSocket URL and when it stops being accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct WebsocketUrl {
    pub url: String,
    /// `ConnectionExpiry`, `None` when missing or unreadable.
    pub expiry: Option<Millis>,
}

/// A ConnectionToken and its `Expiry`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionToken {
    pub token: String,
    pub expiry: Option<Millis>,
}

/// The answer of CreateParticipantConnection.
#[derive(Debug, Clone, PartialEq)]
pub struct Connection {
    pub websocket: Option<WebsocketUrl>,
    pub credentials: Option<ConnectionToken>,
}

/// Reads CreateParticipantConnection's answer. A URL that is not `wss://` (or `ws://` on a loopback
/// host, for a local emulator) is refused: the token travels on that socket.
pub fn read_connection<J: JsonValue>(body: &J) -> Result<Connection, ChatError> {
    let bad = |m: &str| ChatError::invalid_response(200, ["CreateParticipantConnection: ", m].concat());
    let websocket = match body.field("Websocket") {
        Some(ws) => {
            let url = ws.str_field("Url").ok_or_else(|| bad("Websocket.Url is missing"))?;
            if !is_acceptable_socket_url(&url) {
                return Err(ChatError::new(
                    names::INVALID_RESPONSE,
                    ["refusing WebSocket URL that is neither wss:// nor ws:// on loopback: ", &url].concat(),
                    200,
                    false,
                ));
            }
            let expiry = ws.time_field("ConnectionExpiry");
            Some(WebsocketUrl { url, expiry })
        }
        None => None,
    };
    let credentials = match body.field("ConnectionCredentials") {
        Some(c) => {
            let token = c.str_field("ConnectionToken").ok_or_else(|| bad("ConnectionToken is missing"))?;
            let expiry = c.time_field("Expiry");
            Some(ConnectionToken { token, expiry })
        }
        None => None,
    };
    Ok(Connection { websocket, credentials })
}

/// `wss://` anywhere; plain `ws://` only to this machine (the emulator), as chatjs allows.
pub fn is_acceptable_socket_url(url: &str) -> bool {
    if url.starts_with("wss://") {
        return true;
    }
    let Some(rest) = url.strip_prefix("ws://") else {
        return false;
    };
    let host_port = before(rest, b"/?#");
    let host = match host_port.strip_prefix('[') {
        Some(v6) => before(v6, b"]"),
        None => before(host_port, b":"),
    };
    host == "localhost" || host == "::1" || is_loopback_v4(host)
}

fn is_loopback_v4(host: &str) -> bool {
    let mut parts = 0;
    let well_formed = host.as_bytes().split(|&b| b == b'.').all(|p| {
        parts += 1;
        !p.is_empty() && p.len() <= 3 && p.iter().all(u8::is_ascii_digit)
    });
    well_formed && parts == 4 && host.starts_with("127.")
}

/// The GetTranscript request the session makes to fill a gap: everything after `after_id`, oldest first.
pub fn gap_fill_body(contact_id: Option<&str>, after_id: Option<&str>, next_token: Option<&str>) -> String {
    let mut w = ObjectWriter::new()
        .opt_string("ContactId", contact_id)
        .raw("MaxResults", "100")
        .opt_string("NextToken", next_token)
        .string("ScanDirection", "FORWARD")
        .string("SortOrder", "ASCENDING");
    if let Some(id) = after_id {
        w = w.raw("StartPosition", &ObjectWriter::new().string("Id", id).finish());
    }
    w.finish()
}

/// One page of GetTranscript.
#[derive(Debug, Clone, PartialEq)]
pub struct TranscriptPage<J> {
    pub items: Vec<Item<J>>,
    pub next_token: Option<String>,
    pub initial_contact_id: Option<String>,
}

/// Reads a GetTranscript answer; entries that are not objects are skipped (and counted in `skipped`).
pub fn read_transcript<J: JsonValue>(body: J) -> Result<(TranscriptPage<J>, usize), ChatError> {
    let entries = body
        .field("Transcript")
        .and_then(|t| t.elements())
        .ok_or_else(|| ChatError::invalid_response(200, "GetTranscript: Transcript is missing"))?;
    let mut skipped = 0;
    let mut items = Vec::with_capacity(entries.len());
    for e in entries {
        match Item::from_json(e) {
            Ok(item) => items.push(item),
            Err(_) => skipped += 1,
        }
    }
    let next_token = body.str_field("NextToken").filter(|t| !t.is_empty());
    let initial_contact_id = body.str_field("InitialContactId");
    Ok((TranscriptPage { items, next_token, initial_contact_id }, skipped))
}

/// Where and how an attachment's bytes go: StartAttachmentUpload's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload<J> {
    pub attachment_id: String,
    /// The pre-signed URL the file is PUT to.
    pub url: String,
    /// `HeadersToInclude`: the PUT must carry exactly these (the URL is signed over them).
    pub headers: Option<J>,
}

/// Reads StartAttachmentUpload's answer.
pub fn read_upload<J: JsonValue>(answer: &J) -> Result<Upload<J>, ChatError> {
    let attachment_id = answer.str_field("AttachmentId").ok_or_else(|| lacks("AttachmentId"))?;
    let meta = answer.field("UploadMetadata").ok_or_else(|| lacks("UploadMetadata"))?;
    let url = meta.str_field("Url").ok_or_else(|| lacks("UploadMetadata.Url"))?;
    Ok(Upload { attachment_id, url, headers: meta.field("HeadersToInclude") })
}

/// Reads GetAttachment's answer: the pre-signed URL of the file.
pub fn read_download_url<J: JsonValue>(answer: &J) -> Result<String, ChatError> {
    answer.str_field("Url").ok_or_else(|| lacks("Url"))
}

fn lacks(what: &str) -> ChatError {
    ChatError::invalid_response(200, ["the answer has no ", what].concat())
}

/// The PUT of an upload, or the GET of a download, answered `status`: `Ok` on 2xx, else the error
/// (the storage service's, not the Participant Service's: its body is not read).
pub fn transfer_outcome<J: JsonValue>(status: u16, upload: bool) -> Result<(), ChatError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let e = ChatError::from_http::<J>(status, None, None);
    Err(if upload { e.prefixed("the upload was refused: ") } else { e })
}

/// DisconnectParticipant's outcome: a refused token (403) means the participant is gone already, which
/// is what the call was for.
pub fn disconnect_outcome<T>(result: Result<T, ChatError>) -> Result<(), ChatError> {
    match result {
        Err(e) if e.status != 403 => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[path = "api_tests.rs"]
mod tests;
