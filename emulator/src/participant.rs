//! The eleven Participant Service operations on their real paths, checked as the API model says.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use crate::attachments;
use crate::errors::{ApiError, ApiResult};
use crate::signing::Grant as UrlGrant;
use crate::state::{new_id, new_token, Emulator, Grant, World, EVENT_PREFIX};
use crate::time::{iso, now_ms, Millis};
use crate::transcript::{self, Direction, Query, Start};
use crate::validate::{check_enum, Body};

type Answer = ApiResult<Json<Value>>;

/// SendMessage's content types, as the API model documents them.
const MESSAGE_CONTENT_TYPES: &[&str] = &[
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive.response",
];

/// SendEvent's content types (after the common prefix), as the API model documents them.
const EVENT_CONTENT_TYPES: &[&str] = &["typing", "connection.acknowledged", "message.delivered", "message.read"];

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

/// Content as the service limits it: present, at most 16,384 bytes.
fn content(body: &Body, key: &str, required: bool) -> ApiResult<Option<String>> {
    let v = body.optional_str(key, 1, usize::MAX)?;
    match &v {
        None if required => return Err(ApiError::validation(format!("{key} is required"))),
        Some(c) if c.len() > MAX_CONTENT_BYTES => {
            return Err(ApiError::validation(format!("{key} is longer than {MAX_CONTENT_BYTES} bytes")))
        }
        _ => {}
    }
    Ok(v)
}

/// Runs `make` once per (participant, operation, ClientToken): a retried call gets the first answer.
fn idempotent(
    world: &mut World,
    grant: &Grant,
    op: &'static str,
    client_token: Option<String>,
    make: impl FnOnce(&mut World) -> ApiResult<Value>,
) -> ApiResult<Value> {
    // An empty ClientToken (the model allows it) identifies nothing: every such call is new.
    let key = client_token.filter(|t| !t.is_empty()).map(|t| (grant.participant.clone(), op, t));
    if let Some(k) = &key {
        if let Some(answer) = world.contact(&grant.contact)?.idempotency.get(k) {
            return Ok(answer.clone());
        }
    }
    let answer = make(world)?;
    if let Some(k) = key {
        world.contact_mut(&grant.contact)?.idempotency.insert(k, answer.clone());
    }
    Ok(answer)
}

pub async fn create_connection(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer {
    inject(&emu, "CreateParticipantConnection").await?;
    let body = Body::parse(&body)?;
    let types = body.optional_str_list("Type", 1, 3)?.unwrap_or_default();
    for t in &types {
        check_enum("Type", t, &["WEBSOCKET", "CONNECTION_CREDENTIALS", "WEBRTC_CONNECTION"])?;
    }
    let connect_participant = body.optional_bool("ConnectParticipant")?.unwrap_or(false);
    let now = now_ms();
    let mut world = emu.world();
    let (contact_id, participant_id) = world.by_participant_token(bearer(&headers))?;
    if world.contact(&contact_id)?.ended {
        return Err(ApiError::access_denied("the chat has ended"));
    }
    if connect_participant {
        let contact = world.contact_mut(&contact_id)?;
        contact.ensure_joined(&participant_id, &emu.faults);
    }
    let mut answer = serde_json::Map::new();
    let grant = |ttl: Duration| Grant {
        contact: contact_id.clone(),
        participant: participant_id.clone(),
        expires_at: now + ttl.as_millis() as Millis,
    };
    if types.iter().any(|t| t == "WEBSOCKET") {
        let token = new_token();
        let g = grant(emu.config.websocket_url_ttl);
        let expiry = iso(g.expires_at);
        world.url_tokens.insert(token.clone(), g);
        let url = format!("{}/ws?token={token}", emu.websocket_base());
        answer.insert("Websocket".into(), json!({"Url": url, "ConnectionExpiry": expiry}));
    }
    if types.iter().any(|t| t == "CONNECTION_CREDENTIALS") {
        let token = new_token();
        let g = grant(emu.config.connection_token_ttl);
        let expiry = iso(g.expires_at);
        world.connection_tokens.insert(token.clone(), g);
        answer.insert("ConnectionCredentials".into(), json!({"ConnectionToken": token, "Expiry": expiry}));
    }
    Ok(Json(Value::Object(answer)))
}

pub async fn send_message(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer {
    inject(&emu, "SendMessage").await?;
    let body = Body::parse(&body)?;
    let content_type = body.required_str("ContentType", 1, 100)?;
    check_enum("ContentType", &content_type, MESSAGE_CONTENT_TYPES)?;
    let text = content(&body, "Content", true)?;
    let client_token = body.optional_str("ClientToken", 0, 500)?;
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
    let answer = idempotent(&mut world, &grant, "SendMessage", client_token, |world| {
        let contact = world.contact_mut(&grant.contact)?;
        let item = contact.new_item(Some(&grant.participant), "MESSAGE", &content_type, text.as_deref());
        let answer = json!({"Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"]});
        contact.publish(item, true, &emu.faults);
        Ok(answer)
    })?;
    Ok(Json(answer))
}

pub async fn send_event(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer {
    inject(&emu, "SendEvent").await?;
    let body = Body::parse(&body)?;
    let content_type = body.required_str("ContentType", 1, 100)?;
    let event =
        content_type.strip_prefix(EVENT_PREFIX).filter(|e| EVENT_CONTENT_TYPES.contains(e)).ok_or_else(|| {
            ApiError::validation(format!("ContentType {content_type:?} is not an event a participant can send"))
        })?;
    let text = content(&body, "Content", false)?;
    let client_token = body.optional_str("ClientToken", 0, 500)?;
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
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
        let answer = json!({"Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"]});
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
    let message = contact
        .items
        .iter_mut()
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

pub async fn get_transcript(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer {
    inject(&emu, "GetTranscript").await?;
    let body = Body::parse(&body)?;
    let contact_id = body.optional_str("ContactId", 1, 256)?;
    let max_results = body.optional_int("MaxResults", 0, 100)?;
    let next_token = body.optional_str("NextToken", 1, 1000)?;
    let direction = body.optional_enum("ScanDirection", &["FORWARD", "BACKWARD"])?;
    let sort = body.optional_enum("SortOrder", &["DESCENDING", "ASCENDING"])?;
    let start = match body.optional_object("StartPosition")? {
        None => Start::None,
        Some(p) => {
            let id = p.optional_str("Id", 1, 256)?;
            let time = p.optional_str("AbsoluteTime", 1, 100)?;
            let recent = p.optional_int("MostRecent", 0, 100)?;
            match (id, time, recent) {
                (Some(id), None, None) => Start::Id(id),
                (None, Some(t), None) => Start::Time(t),
                (None, None, Some(n)) => Start::MostRecent(n as usize),
                (None, None, None) => Start::None,
                _ => {
                    return Err(ApiError::validation("StartPosition takes only one of Id, AbsoluteTime and MostRecent"))
                }
            }
        }
    };
    let world = emu.world();
    let grant = connection(&world, &headers, now_ms())?;
    if let Some(c) = &contact_id {
        if *c != grant.contact {
            return Err(ApiError::validation("ContactId is not part of this participant's contact chain"));
        }
    }
    let contact = world.contact(&grant.contact)?;
    let query = Query {
        start,
        direction: direction.map(|d| if d == "FORWARD" { Direction::Forward } else { Direction::Backward }),
        ascending: sort.as_deref() == Some("ASCENDING"),
        max_results: max_results.unwrap_or(transcript::DEFAULT_PAGE as i64) as usize,
        next_token,
    };
    let (items, next) = transcript::page(&contact.items, &query)?;
    let mut answer = json!({"InitialContactId": contact.id, "Transcript": items});
    if let (Some(t), Some(m)) = (next, answer.as_object_mut()) {
        m.insert("NextToken".into(), json!(t));
    }
    Ok(Json(answer))
}

pub async fn disconnect(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer {
    inject(&emu, "DisconnectParticipant").await?;
    let body = Body::parse(&body)?;
    let client_token = body.optional_str("ClientToken", 0, 500)?;
    let mut world = emu.world();
    let grant = match connection(&world, &headers, now_ms()) {
        Ok(g) => g,
        Err(refused) => {
            // The call revokes the very token it came with, so a retry whose first answer was lost would
            // be refused; with the same ClientToken it gets the first answer, as idempotency promises.
            return repeated_disconnect(&world, bearer(&headers), client_token.as_deref()).ok_or(refused).map(Json);
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
            contact.ended = true;
        }
        Ok(json!({}))
    })?;
    world.revoke(&grant.contact, &grant.participant);
    Ok(Json(answer))
}

/// The first answer to a DisconnectParticipant made with this (now revoked) token and ClientToken.
fn repeated_disconnect(world: &World, token: Option<&str>, client_token: Option<&str>) -> Option<Value> {
    let grant = world.revoked_tokens.get(token?)?;
    let key = (grant.participant.clone(), "DisconnectParticipant", client_token.filter(|t| !t.is_empty())?.to_owned());
    world.contacts.get(&grant.contact)?.idempotency.get(&key).cloned()
}

pub async fn start_attachment_upload(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer {
    inject(&emu, "StartAttachmentUpload").await?;
    let body = Body::parse(&body)?;
    let content_type = body.required_str("ContentType", 1, 255)?;
    if !attachments::is_allowed_type(&content_type) {
        return Err(ApiError::validation(format!("ContentType {content_type} is not an accepted attachment type")));
    }
    let size = match body.get("AttachmentSizeInBytes").and_then(Value::as_i64) {
        Some(n) if n >= 1 => n as u64,
        _ => return Err(ApiError::validation("AttachmentSizeInBytes is required and must be at least 1")),
    };
    if size > attachments::MAX_SIZE {
        return Err(ApiError::quota(format!("attachments are limited to {} bytes", attachments::MAX_SIZE)));
    }
    let name = body.required_str("AttachmentName", 1, 256)?;
    let client_token = body.required_str("ClientToken", 1, 500)?;
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
    let base = emu.base_url.clone();
    let answer = idempotent(&mut world, &grant, "StartAttachmentUpload", Some(client_token), |world| {
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
        Ok(json!({
            "AttachmentId": id,
            "UploadMetadata": {
                "Url": format!("{base}/emulator/uploads/{id}?{}", attachments::signed_query(&sig, expires)),
                "UrlExpiry": iso(expires as Millis * 1000),
                "HeadersToInclude": {"Content-Type": content_type},
            }
        }))
    })?;
    Ok(Json(answer))
}

pub async fn complete_attachment_upload(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer {
    inject(&emu, "CompleteAttachmentUpload").await?;
    let body = Body::parse(&body)?;
    let ids = body
        .optional_str_list("AttachmentIds", 1, 1)?
        .ok_or_else(|| ApiError::validation("AttachmentIds is required"))?;
    let client_token = body.required_str("ClientToken", 1, 500)?;
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
    let answer = idempotent(&mut world, &grant, "CompleteAttachmentUpload", Some(client_token), |world| {
        let id = &ids[0];
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
        Ok(json!({}))
    })?;
    Ok(Json(answer))
}

pub async fn get_attachment(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer {
    inject(&emu, "GetAttachment").await?;
    let body = Body::parse(&body)?;
    let id = body.required_str("AttachmentId", 1, 256)?;
    let expiry = body.optional_int("UrlExpiryInSeconds", 5, 300)?.unwrap_or(300);
    let disposition =
        body.optional_enum("UrlContentDisposition", &["INLINE", "ATTACHMENT"])?.unwrap_or_else(|| "ATTACHMENT".into());
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
    let disposition = disposition.to_lowercase();
    let sig = emu.signer.sign(UrlGrant::Download, &id, expires, &disposition);
    Ok(Json(json!({
        "Url": format!(
            "{}/emulator/attachments/{id}?{}&disposition={disposition}",
            emu.base_url,
            attachments::signed_query(&sig, expires)
        ),
        "UrlExpiry": iso(expires as Millis * 1000),
        "AttachmentSizeInBytes": a.size,
    })))
}

pub async fn describe_view(
    State(emu): State<Arc<Emulator>>,
    headers: HeaderMap,
    Path(view_token): Path<String>,
) -> Answer {
    inject(&emu, "DescribeView").await?;
    crate::validate::check_len("ViewToken", &view_token, 1, 1000)?;
    let world = emu.world();
    connection(&world, &headers, now_ms())?;
    let view = crate::views::by_token(&view_token)
        .ok_or_else(|| ApiError::not_found(format!("view {view_token} not found"), view_token.clone(), "VIEW"))?;
    Ok(Json(json!({ "View": view })))
}

pub async fn get_authentication_url(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer {
    inject(&emu, "GetAuthenticationUrl").await?;
    let body = Body::parse(&body)?;
    let session = body.required_str("SessionId", 36, 36)?;
    let redirect = body.required_str("RedirectUri", 1, 1024)?;
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
    let url = crate::authentication::url(&emu, &mut world, &grant.contact, &session, &redirect)?;
    Ok(Json(json!({ "AuthenticationUrl": url })))
}

pub async fn cancel_authentication(State(emu): State<Arc<Emulator>>, headers: HeaderMap, body: Bytes) -> Answer {
    inject(&emu, "CancelParticipantAuthentication").await?;
    let body = Body::parse(&body)?;
    let session = body.required_str("SessionId", 36, 36)?;
    let mut world = emu.world();
    let grant = live_connection(&world, &headers, now_ms())?;
    crate::authentication::cancel(&emu, &mut world, &grant.contact, &session)?;
    Ok(Json(json!({})))
}
