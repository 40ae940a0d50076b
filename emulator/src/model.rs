//! The Participant Service's request and answer shapes, as its API model (the Amazon Connect Participant
//! Service API Reference) defines them: member names, types and constraints. Requests are read with
//! `validate::parse` (unknown members ignored, as the service does); answers are written with the
//! members that are absent left out, as the service leaves them out.
//!
//! Transcript items stay JSON values (`Item`): the item shape has many optional members that differ by
//! `Type`, the emulator adds to them over a chat's life (receipts), and a client must handle what it does
//! not know.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::validate::{Int, List, Object, Text};

/// A transcript item, as `GetTranscript` and the `aws/chat` topic carry it.
pub type Item = Value;

// ---- Requests -------------------------------------------------------------------------------------

/// `ConnectionType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConnectionType {
    Websocket,
    ConnectionCredentials,
    WebrtcConnection,
}

/// `POST /participant/connection`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateParticipantConnectionRequest {
    pub r#type: Option<List<ConnectionType, 1, 3>>,
    pub connect_participant: Option<bool>,
}

/// `POST /participant/message`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendMessageRequest {
    pub content_type: Text<1, 100>,
    pub content: Text<1, 16_384>,
    pub client_token: Option<Text<0, 500>>,
}

/// `POST /participant/event`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendEventRequest {
    pub content_type: Text<1, 100>,
    pub content: Option<Text<1, 16_384>>,
    pub client_token: Option<Text<0, 500>>,
}

/// `ScanDirection`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScanDirection {
    Forward,
    Backward,
}

/// `SortKey` (the `SortOrder` member).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SortOrder {
    Descending,
    Ascending,
}

/// `StartPosition`: one of its members at most.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartPosition {
    pub id: Option<Text<1, 256>>,
    pub absolute_time: Option<Text<1, 100>>,
    pub most_recent: Option<Int<0, 100>>,
}

/// `POST /participant/transcript`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTranscriptRequest {
    pub contact_id: Option<Text<1, 256>>,
    pub max_results: Option<Int<0, 100>>,
    pub next_token: Option<Text<1, 1000>>,
    pub scan_direction: Option<ScanDirection>,
    pub sort_order: Option<SortOrder>,
    pub start_position: Option<Object<StartPosition>>,
}

/// `POST /participant/disconnect`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DisconnectParticipantRequest {
    pub client_token: Option<Text<0, 500>>,
}

/// `POST /participant/start-attachment-upload`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartAttachmentUploadRequest {
    pub content_type: Text<1, 255>,
    pub attachment_size_in_bytes: Int<1, { i64::MAX }>,
    pub attachment_name: Text<1, 256>,
    pub client_token: Text<1, 500>,
}

/// `POST /participant/complete-attachment-upload`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompleteAttachmentUploadRequest {
    pub attachment_ids: List<Text<1, 256>, 1, 1>,
    pub client_token: Text<1, 500>,
}

/// `UrlContentDisposition` (GetAttachment's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ContentDisposition {
    Inline,
    #[default]
    Attachment,
}

impl ContentDisposition {
    /// As `Content-Disposition` spells it.
    pub fn header_kind(self) -> &'static str {
        match self {
            ContentDisposition::Inline => "inline",
            ContentDisposition::Attachment => "attachment",
        }
    }
}

/// `POST /participant/attachment`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAttachmentRequest {
    pub attachment_id: Text<1, 256>,
    pub url_expiry_in_seconds: Option<Int<5, 300>>,
    pub url_content_disposition: Option<ContentDisposition>,
}

/// `POST /participant/authentication-url`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAuthenticationUrlRequest {
    pub session_id: Text<36, 36>,
    pub redirect_uri: Text<1, 1024>,
}

/// `POST /participant/cancel-authentication`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CancelParticipantAuthenticationRequest {
    pub session_id: Text<36, 36>,
}

// ---- Answers --------------------------------------------------------------------------------------

/// `Websocket`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Websocket {
    pub url: String,
    pub connection_expiry: String,
}

/// `ConnectionCredentials`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectionCredentials {
    pub connection_token: String,
    pub expiry: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateParticipantConnectionResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub websocket: Option<Websocket>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_credentials: Option<ConnectionCredentials>,
}

/// SendMessage's and SendEvent's answer (and the control API's for what it sends).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Sent {
    pub id: String,
    pub absolute_time: String,
}

impl Sent {
    /// The `Id` and `AbsoluteTime` of a new item.
    pub fn of(item: &Item) -> Sent {
        let member = |key: &str| item.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        Sent { id: member("Id"), absolute_time: member("AbsoluteTime") }
    }
}

/// The answer of the operations that answer nothing (`{}`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Empty {}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTranscriptResponse {
    pub initial_contact_id: String,
    pub transcript: Vec<Item>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `UploadMetadata`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UploadMetadata {
    pub url: String,
    pub url_expiry: String,
    pub headers_to_include: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartAttachmentUploadResponse {
    pub attachment_id: String,
    pub upload_metadata: UploadMetadata,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAttachmentResponse {
    pub url: String,
    pub url_expiry: String,
    pub attachment_size_in_bytes: u64,
}

/// `ViewContent`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ViewContent {
    /// A JSON document, as a string.
    pub template: String,
    /// A JSON Schema, as a string.
    pub input_schema: String,
    pub actions: Vec<String>,
}

/// `View`
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct View {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub version: u32,
    pub content: ViewContent,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeViewResponse {
    pub view: View,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAuthenticationUrlResponse {
    pub authentication_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::parse;
    use serde_json::json;

    #[test]
    fn requests_read_as_the_model_names_them() {
        let r: CreateParticipantConnectionRequest =
            parse(br#"{"Type":["WEBSOCKET","CONNECTION_CREDENTIALS"],"ConnectParticipant":true,"New":1}"#).unwrap();
        assert_eq!(r.r#type.map(|t| t.0), Some(vec![ConnectionType::Websocket, ConnectionType::ConnectionCredentials]));
        assert_eq!(r.connect_participant, Some(true));
        let e = parse::<CreateParticipantConnectionRequest>(br#"{"Type":["WEBSOCKETS"]}"#).unwrap_err();
        assert!(e.message.starts_with("Type[0]: unknown variant `WEBSOCKETS`"), "{}", e.message);
        let r: GetTranscriptRequest =
            parse(br#"{"ScanDirection":"FORWARD","SortOrder":"ASCENDING","StartPosition":{"MostRecent":3}}"#).unwrap();
        assert_eq!((r.scan_direction, r.sort_order), (Some(ScanDirection::Forward), Some(SortOrder::Ascending)));
        assert_eq!(r.start_position.and_then(|p| p.0.most_recent), Some(Int(3)));
        let e = parse::<GetTranscriptRequest>(br#"{"StartPosition":{"MostRecent":101}}"#).unwrap_err();
        assert_eq!(e.message, "StartPosition.MostRecent must be an integer from 0 to 100");
        let e = parse::<SendMessageRequest>(br#"{"Content":"x"}"#).unwrap_err();
        assert_eq!(e.message, "ContentType is required");
        let e = parse::<StartAttachmentUploadRequest>(
            br#"{"ContentType":"a","AttachmentSizeInBytes":0,"AttachmentName":"n","ClientToken":"c"}"#,
        )
        .unwrap_err();
        assert!(e.message.starts_with("AttachmentSizeInBytes must be an integer from 1"), "{}", e.message);
        let e = parse::<GetAuthenticationUrlRequest>(br#"{"SessionId":"short","RedirectUri":"x"}"#).unwrap_err();
        assert_eq!(e.message, "SessionId must be 36 to 36 characters long, got 5");
        let r: GetAttachmentRequest = parse(br#"{"AttachmentId":"a"}"#).unwrap();
        assert_eq!(r.url_content_disposition.unwrap_or_default().header_kind(), "attachment");
    }

    #[test]
    fn answers_leave_out_what_is_absent() {
        let none = serde_json::to_value(CreateParticipantConnectionResponse::default()).unwrap();
        assert_eq!(none, json!({}));
        let t = GetTranscriptResponse { initial_contact_id: "c".into(), transcript: vec![], next_token: None };
        assert_eq!(serde_json::to_value(t).unwrap(), json!({"InitialContactId": "c", "Transcript": []}));
        assert_eq!(serde_json::to_value(Empty {}).unwrap(), json!({}));
        let sent = Sent::of(&json!({"Id": "i", "AbsoluteTime": "t", "Type": "MESSAGE"}));
        assert_eq!(serde_json::to_value(sent).unwrap(), json!({"Id": "i", "AbsoluteTime": "t"}));
    }
}
