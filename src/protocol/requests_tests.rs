//! Tests of `protocol::requests`.

use super::*;
use serde_json::{json, Value};

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

#[test]
fn the_bodies_the_session_builds() {
    assert_eq!(parse(&disconnect_body("t")), json!({"ClientToken": "t"}));
    let read = format!("{EVENT_PREFIX}message.read");
    let body = event_body(&read, r#"{"messageId":"m"}"#, "t");
    assert_eq!(parse(&body), json!({"ContentType": read, "Content": r#"{"messageId":"m"}"#, "ClientToken": "t"}));
    assert_eq!(parse(&complete_upload_body("a\"b", "t")), json!({"AttachmentIds": ["a\"b"], "ClientToken": "t"}));
}

#[test]
fn client_tokens_are_v4_uuids() {
    let mut rng = Rng::new(7);
    let a = uuid_v4(&mut rng);
    let b = uuid_v4(&mut rng);
    assert_ne!(a, b);
    assert_eq!(a.len(), 36);
    assert_eq!(&a[14..15], "4");
    assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
}
