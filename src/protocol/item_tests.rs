//! Tests of `protocol::item`.

use super::*;
use serde_json::{json, Value};

fn kind(v: Value) -> ItemKind {
    Item::from_json(v).unwrap().kind
}

#[test]
fn classifies_every_documented_type() {
    let ev = |s: &str| json!({"Type": "EVENT", "ContentType": format!("{EVENT_PREFIX}{s}")});
    assert_eq!(kind(json!({"Type": "MESSAGE", "ContentType": "text/plain"})), ItemKind::Message);
    assert_eq!(kind(json!({"Type": "ATTACHMENT"})), ItemKind::Attachment);
    assert_eq!(kind(ev("typing")), ItemKind::Typing);
    assert_eq!(kind(ev("participant.joined")), ItemKind::ParticipantJoined);
    assert_eq!(kind(ev("participant.left")), ItemKind::ParticipantLeft);
    assert_eq!(kind(ev("participant.idle")), ItemKind::ParticipantIdle);
    assert_eq!(kind(ev("participant.returned")), ItemKind::ParticipantReturned);
    assert_eq!(kind(ev("participant.autodisconnection")), ItemKind::ParticipantAutoDisconnected);
    assert_eq!(kind(ev("chat.ended")), ItemKind::Ended);
    assert_eq!(kind(ev("transfer.succeeded")), ItemKind::TransferSucceeded);
    assert_eq!(kind(ev("transfer.failed")), ItemKind::TransferFailed);
    assert_eq!(kind(ev("message.read")), ItemKind::Read);
    assert_eq!(kind(ev("message.delivered")), ItemKind::Delivered);
    assert_eq!(kind(ev("connection.acknowledged")), ItemKind::ConnectionAcknowledged);
    assert_eq!(kind(ev("participant.invited")), ItemKind::ParticipantInvited);
    assert_eq!(kind(ev("participant.active")), ItemKind::ParticipantActive);
    assert_eq!(kind(ev("participant.inactive")), ItemKind::ParticipantInactive);
    assert_eq!(kind(ev("participant.displayname.updated")), ItemKind::ParticipantDisplayNameUpdated);
    assert_eq!(kind(ev("chat.rehydrated")), ItemKind::Rehydrated);
    assert_eq!(kind(ev("workflow.cancelled")), ItemKind::WorkflowCancelled);
    for (suffix, k) in [
        ("initiated", ItemKind::AuthenticationInitiated),
        ("succeeded", ItemKind::AuthenticationSucceeded),
        ("failed", ItemKind::AuthenticationFailed),
        ("timeout", ItemKind::AuthenticationTimeout),
        ("expired", ItemKind::AuthenticationExpired),
        ("cancelled", ItemKind::AuthenticationCancelled),
    ] {
        assert_eq!(kind(ev(&format!("authentication.{suffix}"))), k);
    }
    assert_eq!(kind(ev("")), ItemKind::Other);
    assert_eq!(kind(json!({"Type": "CHAT_ENDED"})), ItemKind::Ended);
    assert_eq!(kind(json!({"Type": "SOMETHING_NEW", "ContentType": "x/y"})), ItemKind::Other);
    assert_eq!(kind(ev("not.yet.invented")), ItemKind::Other);
}

#[test]
fn message_metadata_becomes_read_or_delivered() {
    let read = json!({"Type": "MESSAGEMETADATA", "MessageMetadata": {"MessageId": "m",
        "Receipts": [{"ReadTimestamp": "2024-01-01T00:00:00.000Z", "RecipientParticipantId": "p"}]}});
    let delivered = json!({"Type": "MESSAGEMETADATA", "MessageMetadata": {"MessageId": "m",
        "Receipts": [{"DeliveredTimestamp": "2024-01-01T00:00:00.000Z"}]}});
    assert_eq!(kind(read), ItemKind::Read);
    assert_eq!(kind(delivered), ItemKind::Delivered);
    assert_eq!(kind(json!({"Type": "MESSAGEMETADATA", "MessageMetadata": 7})), ItemKind::Delivered);
}

#[test]
fn odd_fields_degrade_instead_of_failing() {
    let item = Item::from_json(json!({"Id": 5, "Type": null, "AbsoluteTime": "yesterday"})).unwrap();
    assert_eq!((item.id.as_str(), item.kind, item.time), ("", ItemKind::Other, None));
    assert!(Item::from_json(json!([1, 2])).is_err());
    assert!(Item::from_json(json!("text")).is_err());
}

#[test]
fn every_kind_but_the_silent_ones_raises_its_own_event() {
    let mut unique = EVENT_NAMES.to_vec();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), EVENT_NAMES.len(), "each event is named once");
    assert_eq!(ItemKind::Message.event_name(), Some("message"));
    assert_eq!(ItemKind::AuthenticationCancelled.event_name(), Some("authentication-cancelled"));
    assert_eq!(ItemKind::AuthenticationCancelled as usize, EVENT_NAMES.len() - 1, "the last kind with an event");
    assert_eq!(ItemKind::ConnectionAcknowledged.event_name(), None);
    assert_eq!(ItemKind::OwnReceipt.event_name(), None);
    assert_eq!(ItemKind::Other.event_name(), None);
    assert_eq!(ItemKind::AuthenticationInitiated.event_name(), Some("authentication-initiated"));
    assert_eq!(ItemKind::ParticipantDisplayNameUpdated.event_name(), Some("participant-display-name-updated"));
    // Every event content type the service documents is known.
    for suffix in [
        "typing",
        "connection.acknowledged",
        "message.delivered",
        "message.read",
        "participant.joined",
        "participant.left",
        "participant.active",
        "participant.inactive",
        "participant.idle",
        "participant.returned",
        "participant.invited",
        "participant.autodisconnection",
        "participant.displayname.updated",
        "transfer.succeeded",
        "transfer.failed",
        "chat.ended",
        "chat.rehydrated",
        "authentication.initiated",
        "authentication.succeeded",
        "authentication.failed",
        "authentication.timeout",
        "authentication.expired",
        "authentication.cancelled",
        "workflow.cancelled",
    ] {
        assert_ne!(ItemKind::of("EVENT", Some(suffix)), ItemKind::Other, "{suffix}");
    }
}

/// `EVENT_NAMES` is the one list of events; the TypeScript map and the README's events table restate
/// it for their readers, and must not drift from it.
#[test]
fn every_event_is_typed_and_documented() {
    let ts = include_str!("../shell/typescript.rs");
    let map = ts.split("export interface ChatSessionEventMap {").nth(1).unwrap().split("\n}").next().unwrap();
    let mut typed: Vec<&str> = map
        .lines()
        .filter_map(|l| l.trim().split(':').next())
        .map(|k| k.trim_matches('"'))
        .filter(|k| !k.is_empty() && !k.starts_with('/') && !k.starts_with('*'))
        .collect();
    typed.sort_unstable();
    let mut named = EVENT_NAMES.to_vec();
    named.sort_unstable();
    assert_eq!(typed, named, "ChatSessionEventMap (src/shell/typescript.rs) lists exactly EVENT_NAMES");
    let readme = include_str!("../../README.md");
    // The API's events (the widget's element has an events section of its own, earlier).
    let api = readme.split("\n## API").nth(1).unwrap();
    let events = api.split("### Events").nth(1).unwrap().split("\n### ").next().unwrap();
    for name in EVENT_NAMES {
        assert!(events.contains(&["`", name, "`"].concat()), "the README's events section names `{name}`");
    }
}
