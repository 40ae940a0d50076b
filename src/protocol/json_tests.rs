//! Tests of `protocol::json`.

use super::*;

#[test]
fn string_literals_round_trip_through_a_real_parser() {
    for s in ["", "hello", "quote \" backslash \\ nl \n tab \t", "\u{1}\u{1f}", "émoji 🎉", "</script>"] {
        let mut out = String::new();
        push_str_literal(&mut out, s);
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, s);
    }
}

#[test]
fn object_writer_builds_valid_json() {
    let text = ObjectWriter::new()
        .strings("Type", &["WEBSOCKET", "CONNECTION_CREDENTIALS"])
        .raw("ConnectParticipant", "true")
        .opt_string("Missing", None)
        .string("Content", "a \"quoted\" word")
        .finish();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"], "ConnectParticipant": true,
            "Content": "a \"quoted\" word"})
    );
    assert_eq!(ObjectWriter::new().finish(), "{}");
}
