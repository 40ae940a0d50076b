//! Tests of `protocol::api`.

use super::*;
use serde_json::{json, Value};

#[test]
fn connection_body_matches_what_the_cli_sends() {
    let v: Value = serde_json::from_str(&create_connection_body(false)).unwrap();
    assert_eq!(v, json!({"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"], "ConnectParticipant": true}));
    let v: Value = serde_json::from_str(&create_connection_body(true)).unwrap();
    assert_eq!(v, json!({"Type": ["CONNECTION_CREDENTIALS"], "ConnectParticipant": true}));
}

#[test]
fn reads_a_connection() {
    let body = json!({"Websocket": {"Url": "wss://x.example/connect?t=1", "ConnectionExpiry": "2019-11-08T02:41:28.172Z"},
        "ConnectionCredentials": {"ConnectionToken": "tok", "Expiry": "garbage"}});
    let c = read_connection(&body).unwrap();
    assert_eq!(
        c.websocket,
        Some(WebsocketUrl { url: "wss://x.example/connect?t=1".into(), expiry: Some(1_573_180_888_172) })
    );
    assert_eq!(c.credentials, Some(ConnectionToken { token: "tok".into(), expiry: None }));
    assert_eq!(read_connection(&json!({})).unwrap(), Connection { websocket: None, credentials: None });
    assert!(read_connection(&json!({"Websocket": {}})).is_err());
    assert!(read_connection(&json!({"ConnectionCredentials": {"ConnectionToken": 3}})).is_err());
}

#[test]
fn only_secure_or_loopback_socket_urls() {
    for ok in ["wss://a.b/c", "ws://127.0.0.1:9000/ws?t=1", "ws://localhost:1/x", "ws://[::1]:8/x", "ws://127.1.2.3"] {
        assert!(is_acceptable_socket_url(ok), "{ok}");
    }
    for bad in [
        "ws://evil.example/x",
        "http://127.0.0.1/x",
        "ws://127.0.0.1.evil.example/x",
        "",
        "wss:/x",
        "ws://128.0.0.1/x",
        "ws://127..0.1/x",
        "ws://1270.0.0.1/x",
        "ws://127.0.0/x",
    ] {
        assert!(!is_acceptable_socket_url(bad), "{bad}");
    }
}

#[test]
fn gap_fill_asks_for_everything_after_the_last_item() {
    let v: Value = serde_json::from_str(&gap_fill_body(None, Some("i9"), Some("nt"))).unwrap();
    assert_eq!(
        v,
        json!({"MaxResults": 100, "NextToken": "nt", "ScanDirection": "FORWARD",
        "SortOrder": "ASCENDING", "StartPosition": {"Id": "i9"}})
    );
    let v: Value = serde_json::from_str(&gap_fill_body(Some("c"), None, None)).unwrap();
    assert_eq!(v, json!({"ContactId": "c", "MaxResults": 100, "ScanDirection": "FORWARD", "SortOrder": "ASCENDING"}));
}

#[test]
fn reads_a_transcript_page() {
    let body = json!({"InitialContactId": "c1", "NextToken": "n",
        "Transcript": [{"Id": "a", "Type": "MESSAGE"}, 5, {"Id": "b", "Type": "EVENT"}]});
    let (page, skipped) = read_transcript(body).unwrap();
    assert_eq!(page.items.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!((page.next_token.as_deref(), page.initial_contact_id.as_deref(), skipped), (Some("n"), Some("c1"), 1));
    assert!(read_transcript(json!({"NextToken": "x"})).is_err());
}
