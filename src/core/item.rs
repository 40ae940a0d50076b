//! Transcript items: what the session needs to know about one (its `Id`, its time, which event it
//! becomes), next to the item itself, untouched, as the page will receive it.

use super::json::JsonValue;
use super::time::Millis;
use crate::prelude::*;

/// Prefix of every event content type.
pub const EVENT_PREFIX: &str = "application/vnd.amazonaws.connect.event.";

/// Which contract event an item becomes (besides `item`, which every item becomes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Message,
    Attachment,
    Typing,
    Read,
    Delivered,
    ParticipantJoined,
    ParticipantLeft,
    ParticipantIdle,
    ParticipantReturned,
    ParticipantAutoDisconnected,
    TransferSucceeded,
    TransferFailed,
    Ended,
    ConnectionAcknowledged,
    /// A receipt about our own read or delivery (the page knows already): only `item` fires.
    OwnReceipt,
    /// A type this version does not know: still delivered as `item`.
    Other,
}

/// Who sent an item (`ParticipantRole`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Customer,
    Agent,
    System,
    Other,
}

impl ItemKind {
    /// The contract event name, or `None` when only `item` fires.
    pub fn event_name(self) -> Option<&'static str> {
        Some(match self {
            ItemKind::Message => "message",
            ItemKind::Attachment => "attachment",
            ItemKind::Typing => "typing",
            ItemKind::Read => "read",
            ItemKind::Delivered => "delivered",
            ItemKind::ParticipantJoined => "participant-joined",
            ItemKind::ParticipantLeft => "participant-left",
            ItemKind::ParticipantIdle => "participant-idle",
            ItemKind::ParticipantReturned => "participant-returned",
            ItemKind::ParticipantAutoDisconnected => "participant-auto-disconnected",
            ItemKind::TransferSucceeded => "transfer-succeeded",
            ItemKind::TransferFailed => "transfer-failed",
            ItemKind::Ended => "ended",
            ItemKind::ConnectionAcknowledged | ItemKind::OwnReceipt | ItemKind::Other => return None,
        })
    }

    /// Classifies by `ContentType` first (the precise signal for events), then by `Type`.
    pub fn classify(item_type: &str, content_type: &str) -> ItemKind {
        let by_event = content_type.strip_prefix(EVENT_PREFIX).and_then(|event| lookup(&BY_EVENT, event));
        by_event.or_else(|| lookup(&BY_TYPE, item_type)).unwrap_or(ItemKind::Other)
    }
}

/// Event content types (after `EVENT_PREFIX`) and item `Type`s, by kind. Tables scanned in order rather
/// than `match`es on strings: the same answers in a fraction of the wasm.
const BY_EVENT: [(&str, ItemKind); 12] = [
    ("typing", ItemKind::Typing),
    ("participant.joined", ItemKind::ParticipantJoined),
    ("participant.left", ItemKind::ParticipantLeft),
    ("participant.idle", ItemKind::ParticipantIdle),
    ("participant.returned", ItemKind::ParticipantReturned),
    ("participant.autodisconnection", ItemKind::ParticipantAutoDisconnected),
    ("chat.ended", ItemKind::Ended),
    ("transfer.succeeded", ItemKind::TransferSucceeded),
    ("transfer.failed", ItemKind::TransferFailed),
    ("connection.acknowledged", ItemKind::ConnectionAcknowledged),
    ("message.delivered", ItemKind::Delivered),
    ("message.read", ItemKind::Read),
];

const BY_TYPE: [(&str, ItemKind); 11] = [
    ("MESSAGE", ItemKind::Message),
    ("ATTACHMENT", ItemKind::Attachment),
    ("TYPING", ItemKind::Typing),
    ("PARTICIPANT_JOINED", ItemKind::ParticipantJoined),
    ("PARTICIPANT_LEFT", ItemKind::ParticipantLeft),
    ("CHAT_ENDED", ItemKind::Ended),
    ("TRANSFER_SUCCEEDED", ItemKind::TransferSucceeded),
    ("TRANSFER_FAILED", ItemKind::TransferFailed),
    ("CONNECTION_ACK", ItemKind::ConnectionAcknowledged),
    ("MESSAGE_DELIVERED", ItemKind::Delivered),
    ("MESSAGE_READ", ItemKind::Read),
];

fn lookup(table: &[(&str, ItemKind)], key: &str) -> Option<ItemKind> {
    table.iter().find(|(k, _)| *k == key).map(|(_, kind)| *kind)
}

/// One transcript item: the fields the session reads, and the item itself (`raw`) for the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<J> {
    /// `Id`; empty when the service sent none (such an item cannot be de-duplicated and is always delivered).
    pub id: String,
    pub kind: ItemKind,
    /// `AbsoluteTime` in ms, `None` when missing or unreadable.
    pub time: Option<Millis>,
    pub role: Role,
    pub raw: J,
}

impl<J: JsonValue> Item<J> {
    /// Reads an item object. Fails (with a message for the `error` event) only when it is not an object;
    /// missing or mistyped fields degrade to defaults so an odd item is still delivered.
    pub fn from_json(raw: J) -> Result<Self, String> {
        if !raw.is_object() {
            return Err("chat item is not a JSON object".to_owned());
        }
        let id = raw.str_field("Id").unwrap_or_default();
        let item_type = raw.str_field("Type").unwrap_or_default();
        let content_type = raw.str_field("ContentType").unwrap_or_default();
        let kind = if item_type == "MESSAGEMETADATA" {
            receipt_kind(&raw)
        } else {
            ItemKind::classify(&item_type, &content_type)
        };
        let time = raw.time_field("AbsoluteTime");
        let role = match raw.str_field("ParticipantRole").as_deref() {
            Some("CUSTOMER") => Role::Customer,
            Some("AGENT") | Some("SUPERVISOR") | Some("CUSTOM_BOT") => Role::Agent,
            Some("SYSTEM") => Role::System,
            _ => Role::Other,
        };
        Ok(Item { id, kind, time, role, raw })
    }

    /// `ParticipantId`, read on demand (only the session's own id is ever needed).
    pub fn participant_id(&self) -> Option<String> {
        self.raw.str_field("ParticipantId")
    }

    /// Whether every receipt of a `MESSAGEMETADATA` item names `participant` as the reader/recipient.
    pub fn receipts_all_from(&self, participant: &str) -> bool {
        let receipts = self.raw.field("MessageMetadata").and_then(|m| m.field("Receipts")).and_then(|r| r.elements());
        match receipts {
            Some(list) if !list.is_empty() => {
                list.iter().all(|r| r.str_field("RecipientParticipantId").as_deref() == Some(participant))
            }
            _ => false,
        }
    }
}

/// A `MESSAGEMETADATA` item is a read receipt when any receipt has a `ReadTimestamp`, else a delivery
/// receipt.
fn receipt_kind<J: JsonValue>(raw: &J) -> ItemKind {
    let receipts = raw.field("MessageMetadata").and_then(|m| m.field("Receipts")).and_then(|r| r.elements());
    let read = receipts.unwrap_or_default().iter().any(|r| r.field("ReadTimestamp").is_some());
    if read {
        ItemKind::Read
    } else {
        ItemKind::Delivered
    }
}

#[cfg(test)]
#[path = "item_tests.rs"]
mod tests;
