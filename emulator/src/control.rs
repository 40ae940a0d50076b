//! The emulator-only control API (contract, section 3): the agent's side of a chat, inspection for tests
//! and the demo, and fault injection.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::connect_api::{self, StartChatContactResponse};
use crate::errors::{ApiError, ApiResult};
use crate::faults::{malformed_frame, CallFault, MALFORMED_KINDS};
use crate::model::{Item, Sent};
use crate::participant::receipt_item;
use crate::persistent::{Rehydration, RehydrationType};
use crate::state::{event_item_type, Emulator, Outbound, EVENT_PREFIX};
use crate::validate::{check_enum, parse, Int, Text};

type Answer<T> = ApiResult<Json<T>>;

/// `{ DisplayName?, SourceContactId?, RehydrationType?, Attributes? }`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartChatRequest {
    pub display_name: Option<Text<1, 256>>,
    pub source_contact_id: Option<Text<1, 256>>,
    pub rehydration_type: Option<RehydrationType>,
    /// Passed on as StartChatContact's `Attributes` (a widget's pre-chat form sends its answers here).
    pub attributes: Option<connect_api::Attributes>,
}

/// `POST /emulator/start-chat` `{ DisplayName?, SourceContactId?, RehydrationType? }`: what a website's
/// backend does with StartChatContact. With `SourceContactId` it starts a persistent chat continuing that
/// contact (`RehydrationType`, `ENTIRE_PAST_SESSION` unless given, as the AWS sample backend sends), with
/// StartChatContact's errors.
pub async fn start_chat(State(emu): State<Arc<Emulator>>, body: Bytes) -> Answer<StartChatContactResponse> {
    let request: StartChatRequest = parse(&body)?;
    let name = request.display_name.map_or_else(|| "Customer".to_owned(), |n| n.0);
    let rehydration = match (request.source_contact_id, request.rehydration_type) {
        (Some(source), kind) => {
            Some(Rehydration { kind: kind.unwrap_or(RehydrationType::EntirePastSession), source: source.0 })
        }
        (None, Some(_)) => return Err(ApiError::validation("RehydrationType needs a SourceContactId")),
        (None, None) => None,
    };
    Ok(Json(connect_api::start(&emu, &name, None, rehydration.as_ref(), request.attributes.unwrap_or_default())?))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ParticipantSummary {
    pub participant_id: String,
    pub display_name: String,
    pub participant_role: String,
    pub joined: bool,
    pub left: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContactSummary {
    pub contact_id: String,
    pub customer_name: Option<String>,
    pub participants: Vec<ParticipantSummary>,
    /// The agent console joins as the agent with the same library the widget uses.
    pub agent_participant_id: Option<String>,
    pub agent_participant_token: Option<String>,
    pub ended: bool,
    pub items: usize,
    pub sockets: usize,
    pub started_at: String,
    /// A persistent chat's source contact.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub continued_from_contact_id: Option<String>,
    /// The contact attributes it was started with.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty", default)]
    pub attributes: connect_api::Attributes,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListContactsResponse {
    pub contacts: Vec<ContactSummary>,
}

/// `GET /emulator/contacts`: every contact, newest first, for the agent console.
pub async fn list_contacts(State(emu): State<Arc<Emulator>>) -> Answer<ListContactsResponse> {
    let world = emu.world();
    let mut contacts: Vec<(crate::time::Millis, ContactSummary)> = world
        .contacts
        .values()
        .map(|c| {
            let customer = c.participants.iter().find(|p| p.role == "CUSTOMER");
            let agent = c.participants.iter().find(|p| p.role == "AGENT");
            let summary = ContactSummary {
                contact_id: c.id.clone(),
                customer_name: customer.map(|p| p.display_name.clone()),
                participants: c
                    .participants
                    .iter()
                    .map(|p| ParticipantSummary {
                        participant_id: p.id.clone(),
                        display_name: p.display_name.clone(),
                        participant_role: p.role.to_owned(),
                        joined: p.joined,
                        left: p.left,
                    })
                    .collect(),
                agent_participant_id: agent.map(|p| p.id.clone()),
                agent_participant_token: agent.map(|p| p.token.clone()),
                ended: c.ended,
                items: c.items.len(),
                sockets: c.sockets.len(),
                started_at: crate::time::iso(c.started_at),
                continued_from_contact_id: c.continued_from.clone(),
                attributes: c.attributes.clone(),
            };
            (c.started_at, summary)
        })
        .collect();
    contacts.sort_by_key(|(started_at, _)| std::cmp::Reverse(*started_at));
    Ok(Json(ListContactsResponse { contacts: contacts.into_iter().map(|(_, c)| c).collect() }))
}

/// Message content types a flow, a bot or an agent may send: SendMessage's (`ContentType` in
/// "SendMessage", Amazon Connect Participant Service API Reference,
/// https://docs.aws.amazon.com/connect-participant/latest/APIReference/API_SendMessage.html) and the
/// interactive templates a flow or a Lex bot sends ("Add Amazon Lex interactive messages for customers in
/// chat", Amazon Connect Administrator Guide,
/// https://docs.aws.amazon.com/connect/latest/adminguide/interactive-messages.html).
pub const MESSAGE_TYPES: &[&str] = &[
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive",
    "application/vnd.amazonaws.connect.message.interactive.response",
];

/// The service takes up to 16,384 bytes in a message (the SendMessage page above); interactive templates
/// up to 20 KB ("Validation limits" on the interactive messages page above).
fn content_limit(content_type: &str) -> usize {
    if content_type.starts_with("application/vnd.amazonaws.connect.message.interactive") {
        20_480
    } else {
        16_384
    }
}

/// Who sends a control-API message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Sender {
    #[default]
    Agent,
    System,
}

/// `{ Content, ContentType?, DisplayName?, ParticipantRole? }`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AgentMessageRequest {
    pub content: Text<1, { usize::MAX }>,
    pub content_type: Option<Text<1, 100>>,
    pub display_name: Option<Text<1, 256>>,
    pub participant_role: Option<Sender>,
}

/// `POST /emulator/contacts/{id}/messages` `{ Content, ContentType?, DisplayName?, ParticipantRole? }`: a
/// message from the agent (`AGENT`, the default) or from the flow or a bot (`SYSTEM`, shown as "BOT"), of
/// any message content type. The content is not interpreted: a malformed template reaches the client as
/// sent, which is how a client's handling of one is tested.
pub async fn agent_message(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer<Sent> {
    let request: AgentMessageRequest = parse(&body)?;
    let content_type = request.content_type.map_or_else(|| "text/plain".to_owned(), |t| t.0);
    check_enum("ContentType", &content_type, MESSAGE_TYPES)?;
    let content = request.content.0;
    let limit = content_limit(&content_type);
    if content.len() > limit {
        return Err(ApiError::validation(format!("Content is longer than {limit} bytes")));
    }
    let display_name = request.display_name.map(|n| n.0);
    let mut world = emu.world();
    let contact = world.contact_mut(&id)?;
    if contact.ended {
        return Err(ApiError::conflict("the chat has ended"));
    }
    let item = match request.participant_role.unwrap_or_default() {
        Sender::System => contact.system_message(&content_type, &content, display_name.as_deref()),
        Sender::Agent => {
            let agent = contact.agent_id();
            contact.ensure_joined(&agent, &emu.faults);
            let mut item = contact.new_item(Some(&agent), "MESSAGE", &content_type, Some(&content));
            if let Some(name) = display_name {
                item["DisplayName"] = json!(name);
            }
            item
        }
    };
    let answer = Sent::of(&item);
    contact.publish(item, true, &emu.faults);
    Ok(Json(answer))
}

/// `{ Status }`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScanRequest {
    pub status: Text<1, 32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScanResponse {
    pub status: String,
}

/// `POST /emulator/contacts/{id}/scan` `{ Status }`: the verdict the instance's attachment scan gives the
/// attachments completed from now on, either side's: `APPROVED` (the default), `REJECTED` (shown, never
/// downloadable) or `IN_PROGRESS`.
pub async fn scan(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer<ScanResponse> {
    let request: ScanRequest = parse(&body)?;
    let status = crate::attachments::SCAN_STATUSES
        .iter()
        .find(|s| **s == request.status.as_str())
        .ok_or_else(|| ApiError::validation("Status must be one of APPROVED, REJECTED, IN_PROGRESS"))?;
    emu.world().contact_mut(&id)?.scan_status = status;
    Ok(Json(ScanResponse { status: (*status).to_owned() }))
}

/// Most messages one burst call makes: it holds the request (and, with `Store`, the transcript grows)
/// in proportion.
pub const MAX_BURST: i64 = 100_000;
/// A burst is pushed this many items at a time, so other requests are served in between.
const BURST_CHUNK: usize = 1000;

/// `{ Count?, Store? }`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BurstRequest {
    pub count: Option<Int<1, MAX_BURST>>,
    pub store: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BurstResponse {
    pub count: usize,
}

/// `POST /emulator/contacts/{id}/burst` `{ Count, Store? }`: `Count` (at most 100,000) agent messages as
/// fast as the sockets take them (for benchmarks). `Store: false` keeps them out of the transcript, so a
/// run of 100,000 does not grow the emulator. Answers when all are queued to the sockets.
pub async fn burst(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer<BurstResponse> {
    let request: BurstRequest = parse(&body)?;
    let count = request.count.map_or(1, |c| c.0 as usize);
    let store = request.store.unwrap_or(true);
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
    Ok(Json(BurstResponse { count: sent }))
}

/// `{ ContentType, Content? }`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AgentEventRequest {
    pub content_type: Text<1, 100>,
    pub content: Option<Text<1, 16_384>>,
}

/// `POST /emulator/contacts/{id}/events` `{ ContentType, Content? }`: an agent (or system) event.
pub async fn agent_event(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer<Sent> {
    let request: AgentEventRequest = parse(&body)?;
    let content_type = request.content_type.0;
    let event = content_type
        .strip_prefix(EVENT_PREFIX)
        .ok_or_else(|| ApiError::validation(format!("ContentType must start with {EVENT_PREFIX}")))?
        .to_owned();
    let content = request.content.map(|c| c.0);
    let mut world = emu.world();
    let contact = world.contact_mut(&id)?;
    if contact.ended {
        return Err(ApiError::conflict("the chat has ended"));
    }
    let agent = contact.agent_id();
    let (item, store): (Item, bool) = match event.as_str() {
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
    let answer = Sent::of(&item);
    contact.publish(item, store, &emu.faults);
    if event == "chat.ended" {
        contact.end();
    }
    Ok(Json(answer))
}

/// `{ RefuseMs? }`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DropRequest {
    /// An outage rather than a blip: new sockets of this contact are refused for this long.
    pub refuse_ms: Option<Int<0, 600_000>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DropResponse {
    pub dropped: usize,
}

/// `POST /emulator/contacts/{id}/drop` `{ RefuseMs? }`: closes the contact's sockets abruptly, with no
/// close frame, and refuses new ones for `RefuseMs` (a network outage).
pub async fn drop_sockets(
    State(emu): State<Arc<Emulator>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer<DropResponse> {
    let request: DropRequest = parse(&body)?;
    let refuse_ms = request.refuse_ms.map_or(0, |r| r.0);
    let mut world = emu.world();
    let contact = world.contact_mut(&id)?;
    contact.refuse_sockets_until = crate::time::now_ms() + refuse_ms;
    let dropped = contact.sockets.len();
    for s in contact.sockets.drain(..) {
        s.outbox.push(Outbound::Drop);
    }
    Ok(Json(DropResponse { dropped }))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StallResponse {
    pub stalled: usize,
}

/// `POST /emulator/contacts/{id}/stall`: the contact's current sockets stay open but answer nothing
/// and receive nothing (no heartbeat replies), like a dead network path. New sockets work.
pub async fn stall_sockets(State(emu): State<Arc<Emulator>>, Path(id): Path<String>) -> Answer<StallResponse> {
    let world = emu.world();
    let contact = world.contact(&id)?;
    for s in &contact.sockets {
        s.stall.set();
    }
    Ok(Json(StallResponse { stalled: contact.sockets.len() }))
}

/// `{ DuplicateRate?, ReorderRate? }`: probabilities from 0 to 1 (absent is 0).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ItemFaultsRequest {
    pub duplicate_rate: Option<f64>,
    pub reorder_rate: Option<f64>,
}

/// The rates now in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ItemFaults {
    pub duplicate_rate: f64,
    pub reorder_rate: f64,
}

/// `POST /emulator/contacts/{id}/faults` `{ DuplicateRate?, ReorderRate? }`: duplicate and reorder items.
pub async fn item_faults(State(emu): State<Arc<Emulator>>, Path(id): Path<String>, body: Bytes) -> Answer<ItemFaults> {
    let request: ItemFaultsRequest = parse(&body)?;
    let rate = |key: &str, rate: Option<f64>| match rate.unwrap_or(0.0) {
        r if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(ApiError::validation(format!("{key} must be from 0 to 1"))),
    };
    let rates = ItemFaults {
        duplicate_rate: rate("DuplicateRate", request.duplicate_rate)?,
        reorder_rate: rate("ReorderRate", request.reorder_rate)?,
    };
    let mut world = emu.world();
    let contact = world.contact_mut(&id)?;
    contact.faults.set(rates.duplicate_rate, rates.reorder_rate);
    if rates.reorder_rate == 0.0 {
        if let Some(held) = contact.faults.flush() {
            contact.broadcast(held);
        }
    }
    Ok(Json(rates))
}

/// `{ Kind }`, and the answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MalformedRequest {
    pub kind: Text<1, 32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MalformedResponse {
    pub kind: String,
}

/// `POST /emulator/contacts/{id}/malformed` `{ Kind }`: sends a malformed frame to the contact's sockets.
pub async fn malformed(
    State(emu): State<Arc<Emulator>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer<MalformedResponse> {
    let request: MalformedRequest = parse(&body)?;
    let kind = request.kind.0;
    check_enum("Kind", &kind, MALFORMED_KINDS)?;
    let frame = malformed_frame(&kind).ok_or_else(|| ApiError::validation("unknown Kind"))?;
    let mut world = emu.world();
    let contact = world.contact_mut(&id)?;
    contact.broadcast(Arc::from(frame));
    Ok(Json(MalformedResponse { kind }))
}

/// The longest an injected fault may delay a call.
pub const MAX_FAULT_DELAY_MS: i64 = 60_000;

/// `{ Operation?, Status?, Count?, DelayMs? }` (`Operation` is the connection faults' own).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallFaultRequest {
    pub operation: Option<Text<1, 64>>,
    /// Only a counter: a large Count costs nothing.
    pub count: Option<Int<0, 1_000_000>>,
    pub status: Option<Int<0, 599>>,
    /// Each delayed call holds a request open; a minute is past every SDK's timeout already.
    pub delay_ms: Option<Int<0, MAX_FAULT_DELAY_MS>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallFaultResponse {
    pub operation: String,
    pub count: u32,
    pub status: u16,
    pub delay_ms: u64,
}

/// `POST /emulator/faults/connection` `{ Status?, Count?, DelayMs? }`: the next `Count` (1)
/// CreateParticipantConnection calls wait `DelayMs` and then fail with `Status` (429 or 5xx; 0 = no failure).
pub async fn connection_faults(State(emu): State<Arc<Emulator>>, body: Bytes) -> Answer<CallFaultResponse> {
    set_call_fault(&emu, "CreateParticipantConnection", parse(&body)?)
}

/// `POST /emulator/faults/api` `{ Operation, Status?, Count?, DelayMs? }`: the same for any operation
/// (`SendMessage`, `GetTranscript`, ...), and also with the errors no retry gets past (400, 402, 403, 409).
pub async fn api_faults(State(emu): State<Arc<Emulator>>, body: Bytes) -> Answer<CallFaultResponse> {
    let request: CallFaultRequest = parse(&body)?;
    let op = request.operation.clone().ok_or_else(|| ApiError::validation("Operation is required"))?.0;
    check_enum("Operation", &op, crate::participant::OPERATIONS)?;
    set_call_fault(&emu, &op, request)
}

fn set_call_fault(emu: &Emulator, operation: &str, request: CallFaultRequest) -> Answer<CallFaultResponse> {
    let count = request.count.map_or(1, |c| c.0 as u32);
    let status = request.status.map_or(0, |s| s.0 as u16);
    if !matches!(status, 0 | 400 | 402 | 403 | 409 | 429 | 500..=599) {
        return Err(ApiError::validation("Status must be 0, 400, 402, 403, 409, 429 or 5xx"));
    }
    let delay_ms = request.delay_ms.map_or(0, |d| d.0 as u64);
    emu.faults.set_call_fault(operation, CallFault { remaining: count, status, delay_ms });
    Ok(Json(CallFaultResponse { operation: operation.to_owned(), count, status, delay_ms }))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TranscriptResponse {
    pub contact_id: String,
    pub ended: bool,
    pub transcript: Vec<Item>,
}

/// `GET /emulator/contacts/{id}/transcript`: every kept item, oldest first; a persistent chat's earlier
/// items (marked with their `RelatedContactId`) come first, as GetTranscript has them.
pub async fn transcript(State(emu): State<Arc<Emulator>>, Path(id): Path<String>) -> Answer<TranscriptResponse> {
    let world = emu.world();
    let contact = world.contact(&id)?;
    Ok(Json(TranscriptResponse {
        contact_id: contact.id.clone(),
        ended: contact.ended,
        transcript: contact.transcript().into_owned(),
    }))
}

pub async fn health() -> Json<Value> {
    Json(json!({ "ok": true }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bodies_read_with_their_defaults() {
        let r: AgentMessageRequest = parse(br#"{"Content":"hi","ParticipantRole":"SYSTEM"}"#).unwrap();
        assert_eq!((r.content.0.as_str(), r.participant_role), ("hi", Some(Sender::System)));
        let e = parse::<AgentMessageRequest>(br#"{"Content":"hi","ParticipantRole":"CUSTOMER"}"#).unwrap_err();
        assert!(e.message.starts_with("ParticipantRole: unknown variant `CUSTOMER`"), "{}", e.message);
        let f: ItemFaultsRequest = parse(br#"{"ReorderRate":1,"DuplicateRate":null}"#).unwrap();
        assert_eq!((f.duplicate_rate, f.reorder_rate), (None, Some(1.0)));
        let e = parse::<CallFaultRequest>(br#"{"DelayMs":60001}"#).unwrap_err();
        assert_eq!(e.message, "DelayMs must be an integer from 0 to 60000");
        let e = parse::<BurstRequest>(br#"{"Count":0}"#).unwrap_err();
        assert_eq!(e.message, "Count must be an integer from 1 to 100000");
    }
}
