//! The eleven Participant Service operations on their real paths, checked as the API model says.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::attachments;
use crate::errors::{ApiError, ApiResult};
use crate::model::*;
use crate::signing::Grant as UrlGrant;
use crate::state::{new_id, new_token, Emulator, Grant, World, EVENT_PREFIX};
use crate::time::{iso, now_ms, Millis};
use crate::transcript::{self, Direction, Query, Start};
use crate::validate::{check_bytes, check_enum, parse};

type Answer<T> = ApiResult<Json<T>>;

/// SendMessage's content types: `ContentType` in "SendMessage", Amazon Connect Participant Service API
/// Reference (https://docs.aws.amazon.com/connect-participant/latest/APIReference/API_SendMessage.html).
const MESSAGE_CONTENT_TYPES: &[&str] = &[
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive.response",
];

/// SendEvent's content types (after the common prefix): `ContentType` in "SendEvent", Amazon Connect
/// Participant Service API Reference
/// (https://docs.aws.amazon.com/connect-participant/latest/APIReference/API_SendEvent.html).
const EVENT_CONTENT_TYPES: &[&str] = &["typing", "connection.acknowledged", "message.delivered", "message.read"];

/// The most bytes of a message's content: `Content` in "SendMessage" ("Maximum of 16,384 bytes for all
/// content types"), the page above; the model's length in characters is the same number.
const MAX_CONTENT_BYTES: usize = 16_384;

/// Every operation's name, for fault injection.
pub const OPERATIONS: &[&str] = &[
    "CreateParticipantConnection",
    "SendMessage",
    "SendEvent",
    "GetTranscript",
    "DisconnectParticipant",
    "StartAttachmentUpload",
    "CompleteAttachmentUpload",
    "GetAttachment",
    "DescribeView",
    "GetAuthenticationUrl",
    "CancelParticipantAuthentication",
];

/// Waits and/or fails as fault injection says for this call of `operation`.
async fn inject(emu: &Emulator, operation: &str) -> ApiResult<()> {
    if let Some((delay_ms, error)) = emu.faults.take_call_fault(operation) {
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        if let Some(e) = error {
            return Err(e);
        }
    }
    Ok(())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-amz-bearer").and_then(|v| v.to_str().ok()).filter(|s| !s.is_empty())
}

/// The ConnectionToken's grant, refusing a chat that has ended for the calls that change it.
fn connection(world: &World, headers: &HeaderMap, now: Millis) -> ApiResult<Grant> {
    world.by_connection_token(bearer(headers), now)
}

fn live_connection(world: &World, headers: &HeaderMap, now: Millis) -> ApiResult<Grant> {
    let grant = connection(world, headers, now)?;
    if world.contact(&grant.contact)?.ended {
        return Err(ApiError::access_denied("the chat has ended"));
    }
    Ok(grant)
}

/// Runs `make` once per (participant, operation, ClientToken): a retried call gets the first answer.
fn idempotent<T: Serialize + DeserializeOwned>(
    world: &mut World,
    grant: &Grant,
    op: &'static str,
    client_token: Option<String>,
    make: impl FnOnce(&mut World) -> ApiResult<T>,
) -> ApiResult<T> {
    // An empty ClientToken (the model allows it) identifies nothing: every such call is new.
    let key = client_token.filter(|t| !t.is_empty()).map(|t| (grant.participant.clone(), op, t));
    let stored = |e: serde_json::Error| ApiError::internal(format!("the stored answer of {op}: {e}"));
    if let Some(k) = &key {
        if let Some(answer) = world.contact(&grant.contact)?.idempotency.get(k) {
            return serde_json::from_value(answer.clone()).map_err(stored);
        }
    }
    let answer = make(world)?;
    if let Some(k) = key {
        let value = serde_json::to_value(&answer).map_err(stored)?;
        world.contact_mut(&grant.contact)?.idempotency.insert(k, value);
    }
    Ok(answer)
}

pub async fn create_connection(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer<CreateParticipantConnectionResponse> {
    inject(&emu, "CreateParticipantConnection").await?;
    let request: CreateParticipantConnectionRequest = parse(&body)?;
    let types = request.r#type.map(|t| t.0).unwrap_or_default();
    let now = now_ms();
    let mut world = emu.world();
    let (contact_id, participant_id) = world.by_participant_token(bearer(&headers))?;
    if world.contact(&contact_id)?.ended {
        return Err(ApiError::access_denied("the chat has ended"));
    }
    if request.connect_participant == Some(true) {
        let contact = world.contact_mut(&contact_id)?;
        contact.ensure_joined(&participant_id, &emu.faults);
    }
    let mut answer = CreateParticipantConnectionResponse::default();
    let grant = |ttl: Duration| Grant {
        contact: contact_id.clone(),
        participant: participant_id.clone(),
        expires_at: now + ttl.as_millis() as Millis,
    };
    if types.contains(&ConnectionType::Websocket) {
        let token = new_token();
        let g = grant(emu.config.websocket_url_ttl);
        let connection_expiry = iso(g.expires_at);
        world.url_tokens.insert(token.clone(), g);
        let url = format!("{}/ws?token={token}", emu.websocket_base());
        answer.websocket = Some(Websocket { url, connection_expiry });
    }
    if types.contains(&ConnectionType::ConnectionCredentials) {
        let connection_token = new_token();
        let g = grant(emu.config.connection_token_ttl);
        let expiry = iso(g.expires_at);
        world.connection_tokens.insert(connection_token.clone(), g);
        answer.connection_credentials = Some(ConnectionCredentials { connection_token, expiry });
    }
    Ok(Json(answer))
}

pub async fn send_message(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer<Sent> {
    inject(&emu, "SendMessage").await?;
    let request: SendMessageRequest = parse(&body)?;
    let content_type = request.content_type.0;
    check_enum("ContentType", &content_type, MESSAGE_CONTENT_TYPES)?;
    let text = request.content.0;
    check_bytes("Content", &text, MAX_CONTENT_BYTES)?;
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
    let client_token = request.client_token.map(|t| t.0);
    let answer = idempotent(&mut world, &grant, "SendMessage", client_token, |world| {
        let contact = world.contact_mut(&grant.contact)?;
        let item = contact.new_item(Some(&grant.participant), "MESSAGE", &content_type, Some(&text));
        let answer = Sent::of(&item);
        contact.publish(item, true, &emu.faults);
        Ok(answer)
    })?;
    Ok(Json(answer))
}

pub async fn send_event(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer<Sent> {
    inject(&emu, "SendEvent").await?;
    let request: SendEventRequest = parse(&body)?;
    let content_type = request.content_type.0;
    let event =
        content_type.strip_prefix(EVENT_PREFIX).filter(|e| EVENT_CONTENT_TYPES.contains(e)).ok_or_else(|| {
            ApiError::validation(format!("ContentType {content_type:?} is not an event a participant can send"))
        })?;
    let text = request.content.map(|c| c.0);
    if let Some(text) = &text {
        check_bytes("Content", text, MAX_CONTENT_BYTES)?;
    }
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
    let client_token = request.client_token.map(|t| t.0);
    let answer = idempotent(&mut world, &grant, "SendEvent", client_token, |world| {
        let contact = world.contact_mut(&grant.contact)?;
        let item = match event {
            "message.delivered" | "message.read" => {
                receipt_item(contact, &grant.participant, &content_type, event == "message.read", text.as_deref())?
            }
            _ => contact.new_item(
                Some(&grant.participant),
                crate::state::event_item_type(&content_type),
                &content_type,
                text.as_deref(),
            ),
        };
        let answer = Sent::of(&item);
        // Typing and receipts are pushed, not kept: the service's transcript has neither as items.
        let store = event == "connection.acknowledged";
        contact.publish(item, store, &emu.faults);
        Ok(answer)
    })?;
    Ok(Json(answer))
}

/// A `MESSAGEMETADATA` item for a delivered/read receipt; the receipt is also recorded on the message.
pub fn receipt_item(
    contact: &mut crate::state::Contact,
    from: &str,
    content_type: &str,
    read: bool,
    content: Option<&str>,
) -> ApiResult<Value> {
    let message_id = content
        .and_then(|c| serde_json::from_str::<Value>(c).ok())
        .and_then(|v| v.get("messageId").and_then(Value::as_str).map(str::to_owned))
        .ok_or_else(|| ApiError::validation(r#"a receipt's Content must be {"messageId": "<Id>"}"#))?;
    let now = iso(now_ms());
    let stamp = if read { "ReadTimestamp" } else { "DeliveredTimestamp" };
    let receipt = json!({stamp: now, "RecipientParticipantId": from});
    // A persistent chat's earlier messages are shown again, and so read again: their receipts count too.
    let message = contact
        .items
        .iter_mut()
        .chain(contact.history.iter_mut())
        .find(|i| i["Id"] == message_id.as_str() && i["Type"] != "EVENT")
        .ok_or_else(|| ApiError::validation(format!("messageId {message_id} is not a message of this chat")))?;
    let meta = message
        .as_object_mut()
        .map(|m| m.entry("MessageMetadata").or_insert_with(|| json!({"MessageId": message_id, "Receipts": []})));
    if let Some(receipts) = meta.and_then(|m| m.get_mut("Receipts")).and_then(Value::as_array_mut) {
        receipts.push(receipt.clone());
    }
    let mut item = contact.new_item(Some(from), "MESSAGEMETADATA", content_type, None);
    if let Some(m) = item.as_object_mut() {
        m.insert("MessageMetadata".into(), json!({"MessageId": message_id, "Receipts": [receipt]}));
    }
    Ok(item)
}

pub async fn get_transcript(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer<GetTranscriptResponse> {
    inject(&emu, "GetTranscript").await?;
    let request: GetTranscriptRequest = parse(&body)?;
    let start = match request.start_position.map(|p| p.0) {
        None => Start::None,
        Some(StartPosition { id, absolute_time, most_recent }) => match (id, absolute_time, most_recent) {
            (Some(id), None, None) => Start::Id(id.0),
            (None, Some(t), None) => Start::Time(t.0),
            (None, None, Some(n)) => Start::MostRecent(n.0 as usize),
            (None, None, None) => Start::None,
            _ => return Err(ApiError::validation("StartPosition takes only one of Id, AbsoluteTime and MostRecent")),
        },
    };
    let world = emu.world();
    let grant = connection(&world, &headers, now_ms())?;
    let contact = world.contact(&grant.contact)?;
    // The whole chain (a persistent chat's earlier contacts first) for the current contact; one earlier
    // contact's items for that contact's id.
    let all = contact.transcript();
    let items: std::borrow::Cow<'_, [Value]> = match request.contact_id.as_ref().map(|c| c.as_str()) {
        None => all,
        Some(id) if id == contact.id => all,
        Some(id) if continues(&world, &contact.id, id) => std::borrow::Cow::Owned(
            all.iter().filter(|i| i.get("RelatedContactId").and_then(Value::as_str) == Some(id)).cloned().collect(),
        ),
        Some(_) => return Err(ApiError::validation("ContactId is not part of this participant's contact chain")),
    };
    let query = Query {
        start,
        direction: request.scan_direction.map(|d| match d {
            ScanDirection::Forward => Direction::Forward,
            ScanDirection::Backward => Direction::Backward,
        }),
        ascending: request.sort_order == Some(SortOrder::Ascending),
        max_results: request.max_results.map_or(transcript::DEFAULT_PAGE, |m| m.0 as usize),
        next_token: request.next_token.map(|t| t.0),
    };
    let (transcript, next_token) = transcript::page(&items, &query)?;
    Ok(Json(GetTranscriptResponse {
        initial_contact_id: contact.initial_contact_id().to_owned(),
        transcript,
        next_token,
    }))
}

/// Whether `contact` continues `earlier` through persistent chats (its source, its source's, ...).
fn continues(world: &World, contact: &str, earlier: &str) -> bool {
    let mut at = world.contacts.get(contact).and_then(|c| c.continued_from.as_deref());
    // Sources exist before the chats that continue them, so the walk ends; the bound is a guard only.
    for _ in 0..world.contacts.len() {
        match at {
            Some(id) if id == earlier => return true,
            Some(id) => at = world.contacts.get(id).and_then(|c| c.continued_from.as_deref()),
            None => return false,
        }
    }
    false
}

pub async fn disconnect(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer<Empty> {
    inject(&emu, "DisconnectParticipant").await?;
    let request: DisconnectParticipantRequest = parse(&body)?;
    let client_token = request.client_token.map(|t| t.0);
    let mut world = emu.world();
    let grant = match connection(&world, &headers, now_ms()) {
        Ok(g) => g,
        Err(refused) => {
            // The call revokes the very token it came with, so a retry whose first answer was lost would
            // be refused; with the same ClientToken it gets the first answer, as idempotency promises.
            return match repeated_disconnect(&world, bearer(&headers), client_token.as_deref()) {
                Some(_) => Ok(Json(Empty {})),
                None => Err(refused),
            };
        }
    };
    let answer = idempotent(&mut world, &grant, "DisconnectParticipant", client_token, |world| {
        let contact = world.contact_mut(&grant.contact)?;
        if !contact.ended {
            let left = contact.new_item(
                Some(&grant.participant),
                "PARTICIPANT_LEFT",
                &format!("{EVENT_PREFIX}participant.left"),
                None,
            );
            contact.publish(left, true, &emu.faults);
            // A customer leaving ends a chat contact.
            let ended = contact.new_item(None, "CHAT_ENDED", &format!("{EVENT_PREFIX}chat.ended"), None);
            contact.publish(ended, true, &emu.faults);
            contact.end();
        }
        Ok(Empty {})
    })?;
    world.revoke(&grant.contact, &grant.participant);
    Ok(Json(answer))
}

/// The first answer to a DisconnectParticipant made with this (now revoked) token and ClientToken.
fn repeated_disconnect<'a>(world: &'a World, token: Option<&str>, client_token: Option<&str>) -> Option<&'a Value> {
    let grant = world.revoked_tokens.get(token?)?;
    let key = (grant.participant.clone(), "DisconnectParticipant", client_token.filter(|t| !t.is_empty())?.to_owned());
    world.contacts.get(&grant.contact)?.idempotency.get(&key)
}

pub async fn start_attachment_upload(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer<StartAttachmentUploadResponse> {
    inject(&emu, "StartAttachmentUpload").await?;
    let request: StartAttachmentUploadRequest = parse(&body)?;
    let content_type = request.content_type.0;
    if !attachments::is_allowed_type(&content_type) {
        return Err(ApiError::validation(format!("ContentType {content_type} is not an accepted attachment type")));
    }
    let size = request.attachment_size_in_bytes.0 as u64;
    if size > attachments::MAX_SIZE {
        return Err(ApiError::quota(format!("attachments are limited to {} bytes", attachments::MAX_SIZE)));
    }
    let name = request.attachment_name.0;
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
    let base = emu.base_url.clone();
    let client_token = Some(request.client_token.0);
    let answer = idempotent(&mut world, &grant, "StartAttachmentUpload", client_token, |world| {
        let id = new_id();
        // The URL's expiry is signed into it, and is the UrlExpiry answered.
        let expires = now_ms() as u64 / 1000 + attachments::UPLOAD_URL_TTL_SECONDS;
        let sig = emu.signer.sign(UrlGrant::Upload, &id, expires, "");
        world.attachments.insert(
            id.clone(),
            crate::state::Attachment {
                id: id.clone(),
                contact: grant.contact.clone(),
                participant: grant.participant.clone(),
                name,
                content_type: content_type.clone(),
                size,
                bytes: None,
                completed: false,
                status: "IN_PROGRESS",
            },
        );
        Ok(StartAttachmentUploadResponse {
            upload_metadata: UploadMetadata {
                url: format!("{base}/emulator/uploads/{id}?{}", attachments::signed_query(&sig, expires)),
                url_expiry: iso(expires as Millis * 1000),
                headers_to_include: [("Content-Type".to_owned(), content_type.clone())].into(),
            },
            attachment_id: id,
        })
    })?;
    Ok(Json(answer))
}

pub async fn complete_attachment_upload(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer<Empty> {
    inject(&emu, "CompleteAttachmentUpload").await?;
    let request: CompleteAttachmentUploadRequest = parse(&body)?;
    let ids = request.attachment_ids.0;
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
    let client_token = Some(request.client_token.0);
    let answer = idempotent(&mut world, &grant, "CompleteAttachmentUpload", client_token, |world| {
        let id = ids.first().map(|t| t.0.as_str()).unwrap_or_default();
        let a = world
            .attachments
            .get_mut(id)
            .filter(|a| a.contact == grant.contact)
            .ok_or_else(|| ApiError::validation(format!("attachment {id} does not exist")))?;
        if a.bytes.is_none() {
            return Err(ApiError::conflict(format!("attachment {id} has not been uploaded")));
        }
        if a.completed {
            return Err(ApiError::conflict(format!("attachment {id} is already complete")));
        }
        a.completed = true;
        let (name, content_type) = (a.name.clone(), a.content_type.clone());
        let contact = world.contact_mut(&grant.contact)?;
        let status = contact.scan_status;
        let mut item = contact.new_item(Some(&grant.participant), "ATTACHMENT", &content_type, None);
        item["Attachments"] =
            json!([{"ContentType": content_type, "AttachmentId": id, "AttachmentName": name, "Status": status}]);
        if let Some(a) = world.attachments.get_mut(id) {
            a.status = status;
        }
        let contact = world.contact_mut(&grant.contact)?;
        contact.publish(item, true, &emu.faults);
        Ok(Empty {})
    })?;
    Ok(Json(answer))
}

pub async fn get_attachment(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer<GetAttachmentResponse> {
    inject(&emu, "GetAttachment").await?;
    let request: GetAttachmentRequest = parse(&body)?;
    let id = request.attachment_id.0;
    let expiry = request.url_expiry_in_seconds.map_or(300, |e| e.0);
    let disposition = request.url_content_disposition.unwrap_or_default().header_kind();
    let world = emu.world();
    let grant = connection(&world, &headers, now_ms())?;
    let a = world
        .attachments
        .get(&id)
        .filter(|a| a.contact == grant.contact && a.completed)
        .ok_or_else(|| ApiError::validation(format!("attachment {id} does not exist")))?;
    // Only an approved attachment is handed out (the scan may have rejected it, or not be done yet).
    if a.status != "APPROVED" {
        return Err(ApiError::validation(format!("attachment {id} is not available: its scan status is {}", a.status)));
    }
    // UrlExpiryInSeconds (5 to 300, 300 by default) is signed into the URL with the disposition, so
    // neither can be edited; UrlExpiry is the same instant.
    let expires = now_ms() as u64 / 1000 + expiry as u64;
    let sig = emu.signer.sign(UrlGrant::Download, &id, expires, disposition);
    Ok(Json(GetAttachmentResponse {
        url: format!(
            "{}/emulator/attachments/{id}?{}&disposition={disposition}",
            emu.base_url,
            attachments::signed_query(&sig, expires)
        ),
        url_expiry: iso(expires as Millis * 1000),
        attachment_size_in_bytes: a.size,
    }))
}

pub async fn describe_view(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    Path(view_token): Path<String>,
) -> Answer<DescribeViewResponse> {
    inject(&emu, "DescribeView").await?;
    if !(1..=1000).contains(&view_token.chars().count()) {
        return Err(ApiError::validation("ViewToken must be 1 to 1000 characters long"));
    }
    let world = emu.world();
    connection(&world, &headers, now_ms())?;
    let view = crate::views::by_token(&view_token)
        .ok_or_else(|| ApiError::not_found(format!("view {view_token} not found"), view_token.clone(), "VIEW"))?;
    Ok(Json(DescribeViewResponse { view }))
}

pub async fn get_authentication_url(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer<GetAuthenticationUrlResponse> {
    inject(&emu, "GetAuthenticationUrl").await?;
    let request: GetAuthenticationUrlRequest = parse(&body)?;
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
    let authentication_url = crate::authentication::url(
        &emu,
        &mut world,
        &grant.contact,
        request.session_id.as_str(),
        request.redirect_uri.as_str(),
    )?;
    Ok(Json(GetAuthenticationUrlResponse { authentication_url }))
}

pub async fn cancel_authentication(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer<Empty> {
    inject(&emu, "CancelParticipantAuthentication").await?;
    let request: CancelParticipantAuthenticationRequest = parse(&body)?;
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
    crate::authentication::cancel(&emu, &mut world, &grant.contact, request.session_id.as_str())?;
    Ok(Json(Empty {}))
}
