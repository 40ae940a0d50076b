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

#[test]
fn reads_an_upload_and_says_what_is_missing() {
    let answer = json!({"AttachmentId": "a1", "UploadMetadata": {"Url": "https://s3/x?sig", "UrlExpiry": "2026-12-01T12:00:00Z",
        "HeadersToInclude": {"x-amz-meta-a": "1"}}});
    let up = read_upload(&answer).unwrap();
    assert_eq!((up.attachment_id.as_str(), up.url.as_str()), ("a1", "https://s3/x?sig"));
    assert_eq!(up.headers, Some(json!({"x-amz-meta-a": "1"})));
    for (answer, missing) in [
        (json!({"UploadMetadata": {"Url": "u"}}), "AttachmentId"),
        (json!({"AttachmentId": "a"}), "UploadMetadata"),
        (json!({"AttachmentId": "a", "UploadMetadata": {"Url": 3}}), "UploadMetadata.Url"),
    ] {
        let e = read_upload(&answer).unwrap_err();
        assert_eq!(e.name, "InvalidResponse");
        assert!(e.message.ends_with(missing), "{}", e.message);
    }
    assert_eq!(read_download_url(&json!({"Url": "https://s3/y"})).unwrap(), "https://s3/y");
    assert_eq!(read_download_url(&json!({})).unwrap_err().message, "the answer has no Url");
}

#[test]
fn transfers_and_disconnects_succeed_as_the_service_means_it() {
    assert!(transfer_outcome::<Value>(204, true).is_ok());
    let refused = transfer_outcome::<Value>(403, true).unwrap_err();
    assert!(refused.message.starts_with("the upload was refused: "), "{}", refused.message);
    assert_eq!((refused.status, refused.retryable), (403, false));
    assert!(transfer_outcome::<Value>(503, false).unwrap_err().retryable, "a storage outage can heal");
    assert!(disconnect_outcome(Ok(())).is_ok());
    assert!(disconnect_outcome::<()>(Err(ChatError::from_http::<Value>(403, None, None))).is_ok(), "gone already");
    assert!(disconnect_outcome::<()>(Err(ChatError::network("offline"))).is_err());
}
