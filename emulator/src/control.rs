//! The emulator-only control API (contract, section 3): the agent's side of a chat, inspection for tests
//! and the demo, and fault injection.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use crate::connect_api;
use crate::errors::{ApiError, ApiResult};
use crate::faults::{malformed_frame, CallFault, MALFORMED_KINDS};
use crate::participant::receipt_item;
use crate::state::{event_item_type, Emulator, Outbound, EVENT_PREFIX};
use crate::validate::{check_enum, Body};

type Answer = ApiResult<Json<Value>>;

/// `POST /emulator/start-chat` `{ DisplayName? }`: what a website's backend does with StartChatContact.
pub async fn start_chat(State(emu): State<Arc<Emulator>>, body: Bytes) -> Answer {
    let body = Body::parse(&body)?;
    let name = body.optional_str("DisplayName", 1, 256)?.unwrap_or_else(|| "Customer".to_owned());
    Ok(Json(connect_api::start(&emu, &name, None)))
}

/// `GET /emulator/contacts`: every contact, newest first, for the agent console.
pub async fn list_contacts(State(emu): State<Arc<Emulator>>) -> Answer {
    let world = emu.world();
    let mut contacts: Vec<Value> = world
        .contacts
        .values()
        .map(|c| {
            let customer = c.participants.iter().find(|p| p.role == "CUSTOMER");
            let agent = c.participants.iter().find(|p| p.role == "AGENT");
            json!({
                "ContactId": c.id,
                "CustomerName": customer.map(|p| p.display_name.clone()),
                "Participants": c.participants.iter().map(|p| json!({
                    "ParticipantId": p.id,
                    "DisplayName": p.display_name,
                    "ParticipantRole": p.role,
                    "Joined": p.joined,
                    "Left": p.left,
                })).collect::<Vec<_>>(),
                // The agent console joins as the agent with the same library the widget uses.
                "AgentParticipantId": agent.map(|p| p.id.clone()),
                "AgentParticipantToken": agent.map(|p| p.token.clone()),
                "Ended": c.ended,
                "Items": c.items.len(),
                "Sockets": c.sockets.len(),
                "StartedAt": crate::time::iso(c.started_at),
            })
        })
        .collect();
    contacts.sort_by(|a, b| b["StartedAt"].as_str().cmp(&a["StartedAt"].as_str()));
    Ok(Json(json!({ "Contacts": contacts })))
}

/// Message content types a flow, a bot or an agent may send (the service's documented ones).
pub const MESSAGE_TYPES: &[&str] = &[
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive",
    "application/vnd.amazonaws.connect.message.interactive.response",
];

/// The service takes up to 16,384 bytes in a message; interactive templates up to about 20 KB.
fn content_limit(content_type: &str) -> usize {
    if content_type.starts_with("application/vnd.amazonaws.connect.message.interactive") {
        20_480
    } else {
        16_384
    }
}

/// `POST /emulator/contacts/{id}/messages` `{ Content, ContentType?, DisplayName?, ParticipantRole? }`: a
/// message from the agent (`AGENT`, the default) or from the flow or a bot (`SYSTEM`, shown as "BOT"), of
/// any message content type. The content is not interpreted: a malformed template reaches the client as
/// sent, which is how a client's handling of one is tested.
pub async fn agent_message(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer {
    let body = Body::parse(&body)?;
    let content_type = body.optional_str("ContentType", 1, 100)?.unwrap_or_else(|| "text/plain".to_owned());
    check_enum("ContentType", &content_type, MESSAGE_TYPES)?;
    let content = body.required_str("Content", 1, usize::MAX)?;
    if content.len() > content_limit(&content_type) {
        let limit = content_limit(&content_type);
        return Err(ApiError::validation(format!("Content is longer than {limit} bytes")));
    }
    let display_name = body.optional_str("DisplayName", 1, 256)?;
    let role = body.optional_enum("ParticipantRole", &["AGENT", "SYSTEM"])?.unwrap_or_else(|| "AGENT".to_owned());
    let mut world = emu.world();
    let contact = world.contact_mut(&id)?;
    if contact.ended {
        return Err(ApiError::conflict("the chat has ended"));
    }
    let item = if role == "SYSTEM" {
        contact.system_message(&content_type, &content, display_name.as_deref())
    } else {
        let agent = contact.agent_id();
        contact.ensure_joined(&agent, &emu.faults);
        let mut item = contact.new_item(Some(&agent), "MESSAGE", &content_type, Some(&content));
        if let Some(name) = display_name {
            item["DisplayName"] = json!(name);
        }
        item
    };
    let answer = json!({"Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"]});
    contact.publish(item, true, &emu.faults);
    Ok(Json(answer))
}

/// `POST /emulator/contacts/{id}/scan` `{ Status }`: the verdict the instance's attachment scan gives the
/// attachments completed from now on, either side's: `APPROVED` (the default), `REJECTED` (shown, never
/// downloadable) or `IN_PROGRESS`.
pub async fn scan(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer {
    let body = Body::parse(&body)?;
    let status = body.required_str("Status", 1, 32)?;
    let status = crate::attachments::SCAN_STATUSES
        .iter()
        .find(|s| **s == status)
        .ok_or_else(|| ApiError::validation("Status must be one of APPROVED, REJECTED, IN_PROGRESS"))?;
    emu.world().contact_mut(&id)?.scan_status = status;
    Ok(Json(json!({ "Status": status })))
}

/// Most messages one burst call makes: it holds the request (and, with `Store`, the transcript grows)
/// in proportion.
pub const MAX_BURST: i64 = 100_000;
/// A burst is pushed this many items at a time, so other requests are served in between.
const BURST_CHUNK: usize = 1000;

/// `POST /emulator/contacts/{id}/burst` `{ Count, Store? }`: `Count` (at most 100,000) agent messages as
/// fast as the sockets take them (for benchmarks). `Store: false` keeps them out of the transcript, so a
/// run of 100,000 does not grow the emulator. Answers when all are queued to the sockets.
pub async fn burst(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer {
    let body = Body::parse(&body)?;
    let count = body.optional_int("Count", 1, MAX_BURST)?.unwrap_or(1) as usize;
    let store = body.optional_bool("Store")?.unwrap_or(true);
    let mut sent = 0;
    while sent < count {
        let chunk = (count - sent).min(BURST_CHUNK);
        // Socket queues are bounded: wait until the readers have room rather than evict one that reads
        // slower than the emulator writes. One that does not read at all is evicted after a grace period.
        let receiving = emu.world().contact(&id)?.receiving();
        // Room for twice the chunk: item faults may send every item twice.
        crate::outbox::wait_for_room(&receiving, 2 * chunk + 1).await;
        drop(receiving);
        {
            let mut world = emu.world();
            let contact = world.contact_mut(&id)?;
            let agent = contact.agent_id();
            contact.ensure_joined(&agent, &emu.faults);
            for _ in 0..chunk {
                let text = ["burst ", &sent.to_string()].concat();
                let item = contact.new_item(Some(&agent), "MESSAGE", "text/plain", Some(&text));
                contact.publish(item, store, &emu.faults);
                sent += 1;
            }
        }
        tokio::task::yield_now().await;
    }
    Ok(Json(json!({ "Count": sent })))
}

/// `POST /emulator/contacts/{id}/events` `{ ContentType, Content? }`: an agent (or system) event.
pub async fn agent_event(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer {
    let body = Body::parse(&body)?;
    let content_type = body.required_str("ContentType", 1, 100)?;
    let event = content_type
        .strip_prefix(EVENT_PREFIX)
        .ok_or_else(|| ApiError::validation(format!("ContentType must start with {EVENT_PREFIX}")))?
        .to_owned();
    let content = body.optional_str("Content", 1, 16_384)?;
    let mut world = emu.world();
    let contact = world.contact_mut(&id)?;
    if contact.ended {
        return Err(ApiError::conflict("the chat has ended"));
    }
    let agent = contact.agent_id();
    let (item, store) = match event.as_str() {
        "message.delivered" | "message.read" => {
            (receipt_item(contact, &agent, &content_type, event == "message.read", content.as_deref())?, false)
        }
        "typing" => (contact.new_item(Some(&agent), "TYPING", &content_type, None), false),
        "chat.ended" | "transfer.succeeded" | "transfer.failed" => {
            (contact.new_item(None, event_item_type(&content_type), &content_type, content.as_deref()), true)
        }
        _ => {
            if event == "participant.joined" {
                if let Some(p) = contact.participants.iter_mut().find(|p| p.id == agent) {
                    p.joined = true;
                }
            }
            (contact.new_item(Some(&agent), event_item_type(&content_type), &content_type, content.as_deref()), true)
        }
    };
    let answer = json!({"Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"]});
    contact.publish(item, store, &emu.faults);
    if event == "chat.ended" {
        contact.ended = true;
    }
    Ok(Json(answer))
}

/// `POST /emulator/contacts/{id}/drop` `{ RefuseMs? }`: closes the contact's sockets abruptly, with no
/// close frame, and refuses new ones for `RefuseMs` (a network outage).
pub async fn drop_sockets(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer {
    let body = Body::parse(&body)?;
    // An outage rather than a blip: new sockets of this contact are refused for this long.
    let refuse_ms = body.optional_int("RefuseMs", 0, 600_000)?.unwrap_or(0);
    let mut world = emu.world();
    let contact = world.contact_mut(&id)?;
    contact.refuse_sockets_until = crate::time::now_ms() + refuse_ms;
    let n = contact.sockets.len();
    for s in contact.sockets.drain(..) {
        s.outbox.push(Outbound::Drop);
    }
    Ok(Json(json!({ "Dropped": n })))
}

/// `POST /emulator/contacts/{id}/stall`: the contact's current sockets stay open but answer nothing
/// and receive nothing (no heartbeat replies), like a dead network path. New sockets work.
pub async fn stall_sockets(State(emu): State<Arc<Emulator>>, Path(id): Path<String>) -> Answer {
    let world = emu.world();
    let contact = world.contact(&id)?;
    for s in &contact.sockets {
        s.stall.set();
    }
    Ok(Json(json!({ "Stalled": contact.sockets.len() })))
}

/// `POST /emulator/contacts/{id}/faults` `{ DuplicateRate?, ReorderRate? }`: duplicate and reorder items.
pub async fn item_faults(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer {
    let body = Body::parse(&body)?;
    let rate = |key: &str| -> ApiResult<f64> {
        match body.get(key) {
            None => Ok(0.0),
            Some(v) => v
                .as_f64()
                .filter(|r| (0.0..=1.0).contains(r))
                .ok_or_else(|| ApiError::validation(format!("{key} must be from 0 to 1"))),
        }
    };
    let (dup, reorder) = (rate("DuplicateRate")?, rate("ReorderRate")?);
    let mut world = emu.world();
    let contact = world.contact_mut(&id)?;
    contact.faults.set(dup, reorder);
    if reorder == 0.0 {
        if let Some(held) = contact.faults.flush() {
            contact.broadcast(held);
        }
    }
    Ok(Json(json!({ "DuplicateRate": dup, "ReorderRate": reorder })))
}

/// `POST /emulator/contacts/{id}/malformed` `{ Kind }`: sends a malformed frame to the contact's sockets.
pub async fn malformed(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer {
    let body = Body::parse(&body)?;
    let kind = body.required_str("Kind", 1, 32)?;
    check_enum("Kind", &kind, MALFORMED_KINDS)?;
    let frame = malformed_frame(&kind).ok_or_else(|| ApiError::validation("unknown Kind"))?;
    let mut world = emu.world();
    let contact = world.contact_mut(&id)?;
    contact.broadcast(Arc::from(frame));
    Ok(Json(json!({ "Kind": kind })))
}

/// `POST /emulator/faults/connection` `{ Status?, Count?, DelayMs? }`: the next `Count` (1)
/// CreateParticipantConnection calls wait `DelayMs` and then fail with `Status` (429 or 5xx; 0 = no failure).
pub async fn connection_faults(State(emu): State<Arc<Emulator>>, body: Bytes) -> Answer {
    set_call_fault(&emu, "CreateParticipantConnection", &Body::parse(&body)?)
}

/// `POST /emulator/faults/api` `{ Operation, Status?, Count?, DelayMs? }`: the same for any operation
/// (`SendMessage`, `GetTranscript`, ...).
pub async fn api_faults(State(emu): State<Arc<Emulator>>, body: Bytes) -> Answer {
    let body = Body::parse(&body)?;
    let op = body.required_str("Operation", 1, 64)?;
    check_enum("Operation", &op, crate::participant::OPERATIONS)?;
    set_call_fault(&emu, &op, &body)
}

/// The longest an injected fault may delay a call.
pub const MAX_FAULT_DELAY_MS: i64 = 60_000;

fn set_call_fault(emu: &Emulator, operation: &str, body: &Body) -> Answer {
    // Only a counter: a large Count costs nothing.
    let count = body.optional_int("Count", 0, 1_000_000)?.unwrap_or(1) as u32;
    let status = body.optional_int("Status", 0, 599)?.unwrap_or(0) as u16;
    if !matches!(status, 0 | 429 | 500..=599) {
        return Err(ApiError::validation("Status must be 0, 429 or 5xx"));
    }
    // Each delayed call holds a request open; a minute is past every SDK's timeout already.
    let delay_ms = body.optional_int("DelayMs", 0, MAX_FAULT_DELAY_MS)?.unwrap_or(0) as u64;
    emu.faults.set_call_fault(operation, CallFault { remaining: count, status, delay_ms });
    Ok(Json(json!({ "Operation": operation, "Count": count, "Status": status, "DelayMs": delay_ms })))
}

/// `GET /emulator/contacts/{id}/transcript`: every kept item, oldest first.
pub async fn transcript(State(emu): State<Arc<Emulator>>, Path(id): Path<String>) -> Answer {
    let world = emu.world();
    let contact = world.contact(&id)?;
    Ok(Json(json!({ "ContactId": contact.id, "Ended": contact.ended, "Transcript": contact.items })))
}

pub async fn health() -> Json<Value> {
    Json(json!({ "ok": true }))
}
