//! Transcript items: what the session needs to know about one (its `Id`, its time, which event it
//! becomes), next to the item itself, untouched, as the page will receive it.

use super::dedup::item_key;
use super::json::JsonValue;
use super::time::Millis;
use crate::prelude::*;

/// Prefix of every event content type.
pub const EVENT_PREFIX: &str = "application/vnd.amazonaws.connect.event.";

/// Every event the page can listen to, each written once: the session's own, then those of chat items.
/// An [`ItemKind`]'s discriminant is the index of its event here (the shell keeps one bit per event).
pub const EVENT_NAMES: [&str; 35] = [
    "connected",
    "reconnecting",
    "connection-lost",
    "renewed",
    "error",
    "item",
    "message-partial",
    "gap-fill-failed",
    "gap-filled",
    "send-status",
    "message",
    "attachment",
    "typing",
    "read",
    "delivered",
    "participant-joined",
    "participant-left",
    "participant-idle",
    "participant-returned",
    "participant-auto-disconnected",
    "participant-invited",
    "participant-active",
    "participant-inactive",
    "participant-display-name-updated",
    "transfer-succeeded",
    "transfer-failed",
    "ended",
    "rehydrated",
    "workflow-cancelled",
    "authentication-initiated",
    "authentication-succeeded",
    "authentication-failed",
    "authentication-timeout",
    "authentication-expired",
    "authentication-cancelled",
];

/// Which page event an item becomes (besides `item`, which every item becomes): the discriminant is
/// the event's index in [`EVENT_NAMES`]; the kinds past its end raise only `item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ItemKind {
    Message = 10,
    Attachment,
    Typing,
    Read,
    Delivered,
    ParticipantJoined,
    ParticipantLeft,
    ParticipantIdle,
    ParticipantReturned,
    ParticipantAutoDisconnected,
    ParticipantInvited,
    ParticipantActive,
    ParticipantInactive,
    ParticipantDisplayNameUpdated,
    TransferSucceeded,
    TransferFailed,
    Ended,
    Rehydrated,
    WorkflowCancelled,
    AuthenticationInitiated,
    AuthenticationSucceeded,
    AuthenticationFailed,
    AuthenticationTimeout,
    AuthenticationExpired,
    AuthenticationCancelled,
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
    /// The page event name, or `None` when only `item` fires.
    pub fn event_name(self) -> Option<&'static str> {
        EVENT_NAMES.get(self as usize).copied()
    }

    /// Classifies by `ContentType` first (the precise signal for events), given as what follows
    /// `EVENT_PREFIX` in an event's, then by `Type`.
    pub fn of(item_type: &str, event: Option<&str>) -> ItemKind {
        event.and_then(|e| lookup(&BY_EVENT, e)).or_else(|| lookup(&BY_TYPE, item_type)).unwrap_or(ItemKind::Other)
    }
}

/// Event content types (after `EVENT_PREFIX`) and item `Type`s, by kind. Tables scanned in order rather
/// than `match`es on strings: the same answers in a fraction of the wasm.
const BY_EVENT: [(&str, ItemKind); 24] = [
    ("typing", ItemKind::Typing),
    ("message.read", ItemKind::Read),
    ("message.delivered", ItemKind::Delivered),
    ("participant.joined", ItemKind::ParticipantJoined),
    ("participant.left", ItemKind::ParticipantLeft),
    ("participant.idle", ItemKind::ParticipantIdle),
    ("participant.returned", ItemKind::ParticipantReturned),
    ("participant.autodisconnection", ItemKind::ParticipantAutoDisconnected),
    ("participant.invited", ItemKind::ParticipantInvited),
    ("participant.active", ItemKind::ParticipantActive),
    ("participant.inactive", ItemKind::ParticipantInactive),
    ("participant.displayname.updated", ItemKind::ParticipantDisplayNameUpdated),
    ("transfer.succeeded", ItemKind::TransferSucceeded),
    ("transfer.failed", ItemKind::TransferFailed),
    ("chat.ended", ItemKind::Ended),
    ("chat.rehydrated", ItemKind::Rehydrated),
    ("workflow.cancelled", ItemKind::WorkflowCancelled),
    ("authentication.initiated", ItemKind::AuthenticationInitiated),
    ("authentication.succeeded", ItemKind::AuthenticationSucceeded),
    ("authentication.failed", ItemKind::AuthenticationFailed),
    ("authentication.timeout", ItemKind::AuthenticationTimeout),
    ("authentication.expired", ItemKind::AuthenticationExpired),
    ("authentication.cancelled", ItemKind::AuthenticationCancelled),
    ("connection.acknowledged", ItemKind::ConnectionAcknowledged),
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

/// Where a streamed bot reply's item stands (`MessageMetadata.ChunkNumber` / `MessageCompleted`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// 1, 2, 3, ...; 0 when the service sent none.
    pub number: u32,
    /// The last item of the reply, holding all of it.
    pub completed: bool,
}

/// What the session reads of an item, as whoever parsed it read them: [`Item::from_json`] through
/// [`JsonValue`], the browser shell in the same pass as its `JSON.parse` (in JS, where the page's object is
/// made), so the wasm is handed these few fields and not the item to look through.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fields<'a> {
    /// `Id`, `Type`, `ContentType`, `ParticipantRole`: empty when missing or not strings.
    pub id: &'a str,
    pub item_type: &'a str,
    /// Of an event (`event`), only what follows `EVENT_PREFIX`.
    pub content_type: &'a str,
    pub role: &'a str,
    /// `content_type` is an event's, without `EVENT_PREFIX` (the browser shell writes only the rest).
    pub event: bool,
    /// `AbsoluteTime` in ms.
    pub time: Option<Millis>,
    /// There is a `MessageMetadata` (a streamed reply's chunk is read from it).
    pub metadata: bool,
    /// A receipt of `MessageMetadata.Receipts` has a `ReadTimestamp`.
    pub read: bool,
    /// The `RecipientParticipantId` every one of `MessageMetadata.Receipts` names (there is one at least).
    pub recipient: Option<&'a str>,
}

/// One transcript item: the fields the session reads, and the item itself (`raw`) for the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<J> {
    /// `Id`; empty when the service sent none (such an item cannot be de-duplicated and is always delivered).
    pub id: String,
    /// What `id` is known by in the de-duplication and the receipts ([`item_key`]), made once.
    pub key: u64,
    pub kind: ItemKind,
    /// `AbsoluteTime` in ms, `None` when missing or unreadable.
    pub time: Option<Millis>,
    pub role: Role,
    /// Set for the items of a streamed reply (those with `MessageMetadata.MessageCompleted`).
    pub chunk: Option<Chunk>,
    /// The participant all its receipts name (see [`Fields::recipient`]), by its [`item_key`]: only ever
    /// compared with our own, and a receipt then makes no string.
    pub recipient: Option<u64>,
    pub raw: J,
}

impl<J: JsonValue> Item<J> {
    /// Reads an item object. Fails (with a message for the `error` event) only when it is not an object;
    /// missing or mistyped fields degrade to defaults so an odd item is still delivered.
    pub fn from_json(raw: J) -> Result<Self, String> {
        raw.item()
    }

    /// [`Item::from_json`] through [`JsonValue`]'s reads, one field at a time.
    pub fn read(raw: J) -> Result<Self, String> {
        if !raw.is_object() {
            return Err("chat item is not a JSON object".to_owned());
        }
        let text = |key| raw.str_field(key).unwrap_or_default();
        let (id, item_type, content_type, role) =
            (text("Id"), text("Type"), text("ContentType"), text("ParticipantRole"));
        let event = content_type.strip_prefix(EVENT_PREFIX);
        let metadata = raw.field("MessageMetadata");
        let receipts =
            metadata.as_ref().and_then(|m| m.field("Receipts")).and_then(|r| r.elements()).unwrap_or_default();
        let mut names = receipts.iter().map(|r| r.str_field("RecipientParticipantId"));
        let first = names.next().flatten();
        let recipient = first.filter(|f| names.all(|n| n.as_ref() == Some(f)));
        let fields = Fields {
            id: &id,
            item_type: &item_type,
            content_type: event.unwrap_or(&content_type),
            role: &role,
            event: event.is_some(),
            time: raw.time_field("AbsoluteTime"),
            metadata: metadata.is_some(),
            // A `MESSAGEMETADATA` item is a read receipt when any receipt has a `ReadTimestamp`.
            read: receipts.iter().any(|r| r.field("ReadTimestamp").is_some()),
            recipient: recipient.as_deref(),
        };
        Ok(Item::from_fields(raw, &fields))
    }

    /// The item `raw`, whose fields were read already.
    pub fn from_fields(raw: J, f: &Fields<'_>) -> Self {
        let kind = match f.item_type {
            "MESSAGEMETADATA" if f.read => ItemKind::Read,
            "MESSAGEMETADATA" => ItemKind::Delivered,
            _ => ItemKind::of(f.item_type, f.event.then_some(f.content_type)),
        };
        let chunk =
            (f.metadata && kind == ItemKind::Message).then(|| raw.field("MessageMetadata")).flatten().and_then(|m| {
                let completed = m.field("MessageCompleted")?.as_bool()?;
                // `as` saturates: a negative, huge or NaN number is no valid chunk number.
                let number = m.field("ChunkNumber").and_then(|n| n.as_number()).map_or(0, |n| n as u32);
                Some(Chunk { number, completed })
            });
        let role = match f.role {
            "CUSTOMER" => Role::Customer,
            "AGENT" | "SUPERVISOR" | "CUSTOM_BOT" => Role::Agent,
            "SYSTEM" => Role::System,
            _ => Role::Other,
        };
        let recipient = f.recipient.map(item_key);
        Item { id: f.id.to_owned(), key: item_key(f.id), kind, time: f.time, role, chunk, recipient, raw }
    }

    /// A chunk of a streamed reply that is not its completed last item.
    pub fn is_partial(&self) -> bool {
        self.chunk.is_some_and(|c| !c.completed) && !self.id.is_empty()
    }

    /// `ParticipantId`, read on demand (only the session's own id is ever needed).
    pub fn participant_id(&self) -> Option<String> {
        self.raw.str_field("ParticipantId")
    }

    /// Whether every receipt of a `MESSAGEMETADATA` item names `participant` as the reader/recipient.
    pub fn receipts_all_from(&self, participant: &str) -> bool {
        self.recipient == Some(item_key(participant))
    }
}

#[cfg(test)]
#[path = "item_tests.rs"]
mod tests;
