//! Tests of `protocol::frame`.

use super::*;
use crate::protocol::item::ItemKind;
use serde_json::{json, Value};

fn dec(text: &str) -> Result<Inbound<Value>, String> {
    decode::<Value>(text)
}

#[test]
fn decodes_control_frames() {
    assert_eq!(
        dec(r#"{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}"#),
        Ok(Inbound::SubscribeAck { success: true })
    );
    assert_eq!(
        dec(r#"{"topic":"aws/subscribe","content":{"status":"failure"}}"#),
        Ok(Inbound::SubscribeAck { success: false })
    );
    assert_eq!(dec(HEARTBEAT), Ok(Inbound::Heartbeat));
    assert_eq!(dec(r#"{"topic":"aws/ping","statusCode":200,"statusContent":"OK"}"#), Ok(Inbound::Ping { ok: true }));
    assert_eq!(dec(r#"{"topic":"aws/ping","statusCode":500}"#), Ok(Inbound::Ping { ok: false }));
    assert_eq!(
        dec(r#"{"message":"Forbidden","connectionId":"c","requestId":"r"}"#),
        Ok(Inbound::ServiceError { message: "Forbidden".into() })
    );
    assert_eq!(dec(r#"{"topic":"aws/other"}"#), Ok(Inbound::Unknown { topic: "aws/other".into() }));
}

#[test]
fn decodes_a_chat_item_from_its_string_content() {
    let item = json!({"Id": "i1", "Type": "MESSAGE", "ContentType": "text/plain", "Content": "hi",
        "AbsoluteTime": "2024-01-01T00:00:00.000Z", "ParticipantRole": "AGENT"});
    let frame = json!({"topic": "aws/chat", "contentType": "application/json", "content": item.to_string()});
    match dec(&frame.to_string()).unwrap() {
        Inbound::Chat(it) => {
            assert_eq!(it.id, "i1");
            assert_eq!(it.kind, ItemKind::Message);
            assert_eq!(it.time, Some(1_704_067_200_000));
            assert_eq!(it.raw, item);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_frames_are_errors_not_panics() {
    for bad in [
        "",
        "not json",
        "[1,2]",
        "42",
        r#"{"topic":7}"#,
        r#"{"topic":"aws/chat"}"#,
        r#"{"topic":"aws/chat","content":"{not json"}"#,
        r#"{"topic":"aws/chat","content":"[1]"}"#,
        r#"{"topic":"aws/chat","content":5}"#,
    ] {
        assert!(dec(bad).is_err(), "{bad}");
    }
    let long = "x".repeat(1_000_000);
    let err = dec(&long).unwrap_err();
    assert!(err.len() < 200, "the message quotes only the start of the frame");
}
