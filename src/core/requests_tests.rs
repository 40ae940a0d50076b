//! Tests of `core::requests`.

use super::*;
use serde_json::{json, Value};

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

#[test]
fn message_bodies_and_checks() {
    let body = send_message_body("hello \"you\"", "text/plain", "tok").unwrap();
    assert_eq!(parse(&body), json!({"ContentType": "text/plain", "Content": "hello \"you\"", "ClientToken": "tok"}));
    assert_eq!(send_message_body("", "text/plain", "t").unwrap_err().name, "InvalidArgument");
    assert!(send_message_body(&"a".repeat(16_384), "text/plain", "t").is_ok());
    assert!(send_message_body(&"a".repeat(16_385), "text/plain", "t").is_err());
    assert!(send_message_body(&"é".repeat(8_193), "text/plain", "t").is_err(), "the limit counts UTF-8 bytes");
    assert!(send_message_body("x", "text/html", "t").is_err());
}

#[test]
fn event_bodies_and_checks() {
    let typing = format!("{EVENT_PREFIX}typing");
    assert_eq!(
        parse(&send_event_body(&typing, None, "t").unwrap()),
        json!({"ContentType": typing, "ClientToken": "t"})
    );
    let read = format!("{EVENT_PREFIX}message.read");
    let body = send_event_body(&read, Some(r#"{"messageId":"m"}"#), "t").unwrap();
    assert_eq!(parse(&body)["Content"], r#"{"messageId":"m"}"#);
    assert!(send_event_body("application/vnd.amazonaws.connect.event.chat.ended", None, "t").is_err());
    assert!(send_event_body("", None, "t").is_err());
}

#[test]
fn attachment_checks() {
    assert_eq!(attachment_content_type("a.pdf", "application/pdf").unwrap(), "application/pdf");
    assert_eq!(attachment_content_type("photo.JPG", "").unwrap(), "image/jpeg");
    assert_eq!(attachment_content_type("notes.txt", "text/plain;charset=utf-8").unwrap(), "text/plain");
    assert_eq!(attachment_content_type("x.png", "application/octet-stream").unwrap(), "image/png");
    assert!(attachment_content_type("a.exe", "application/x-msdownload").is_err());
    assert!(attachment_content_type("noext", "").is_err());
    let body = start_upload_body("application/pdf", 1234.0, "a.pdf", "t").unwrap();
    assert_eq!(
        parse(&body),
        json!({"ContentType": "application/pdf", "AttachmentSizeInBytes": 1234,
        "AttachmentName": "a.pdf", "ClientToken": "t"})
    );
    assert!(start_upload_body("application/pdf", 0.0, "a.pdf", "t").is_err());
    assert!(start_upload_body("application/pdf", 20_971_521.0, "a.pdf", "t").is_err());
    assert!(start_upload_body("application/pdf", 1.0, "", "t").is_err());
    assert_eq!(parse(&complete_upload_body("id", "t")), json!({"AttachmentIds": ["id"], "ClientToken": "t"}));
    assert!(get_attachment_body("").is_err());
}

#[test]
fn authentication_and_view_checks() {
    let sid = "0123456789abcdef0123456789abcdef0123";
    assert_eq!(
        parse(&authentication_url_body(sid, "https://x/cb").unwrap()),
        json!({"SessionId": sid, "RedirectUri": "https://x/cb"})
    );
    assert!(authentication_url_body("short", "https://x").is_err());
    assert!(cancel_authentication_body(sid).is_ok());
    assert_eq!(view_path("a b/c").unwrap(), "/participant/views/a%20b%2Fc");
    assert!(view_path("").is_err());
}

#[test]
fn uuids_look_like_v4_and_differ() {
    let mut rng = Rng::new(1);
    let a = uuid_v4(&mut rng);
    let b = uuid_v4(&mut rng);
    assert_ne!(a, b);
    assert_eq!(a.len(), 36);
    assert_eq!(&a[14..15], "4");
    assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    assert_eq!(a.matches('-').count(), 4);
}
