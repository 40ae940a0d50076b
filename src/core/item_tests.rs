//! Tests of `core::item`.

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
