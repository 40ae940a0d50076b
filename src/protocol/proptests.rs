//! No panic is reachable from input: the frame, item, timestamp and response readers, and the session
//! itself, are fed arbitrary bytes and arbitrary JSON.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use super::api::{read_connection, read_transcript};
use super::frame::{decode, decode_value};
use super::item::Item;
use super::session::{Action, Config, Session};
use super::time::{format_iso8601, parse_iso8601};

/// Arbitrary JSON, biased towards the keys and values the readers look at.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("topic".to_owned()),
        Just("content".to_owned()),
        Just("Id".to_owned()),
        Just("Type".to_owned()),
        Just("ContentType".to_owned()),
        Just("AbsoluteTime".to_owned()),
        Just("MessageMetadata".to_owned()),
        Just("Receipts".to_owned()),
        Just("status".to_owned()),
        Just("statusCode".to_owned()),
        Just("message".to_owned()),
        Just("Transcript".to_owned()),
        Just("Websocket".to_owned()),
        Just("Url".to_owned()),
        Just("ConnectionExpiry".to_owned()),
        Just("ConnectionCredentials".to_owned()),
        "[a-zA-Z]{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        any::<i64>().prop_map(|n| json!(n)),
        prop_oneof![
            Just("aws/chat".to_owned()),
            Just("aws/subscribe".to_owned()),
            Just("aws/heartbeat".to_owned()),
            Just("success".to_owned()),
            Just("MESSAGEMETADATA".to_owned()),
            Just("2024-02-30T25:61:61.999Z".to_owned()),
            Just("ws://127.0.0.1:1/x".to_owned()),
            Just("{\"Id\":\"x\"}".to_owned()),
            any::<String>(),
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = decode::<Value>(&text);
        let _ = parse_iso8601(&text);
    }

    #[test]
    fn decoding_arbitrary_json_never_panics(v in json_value()) {
        let _ = decode_value(v.clone());
        let _ = Item::from_json(v.clone());
        let _ = read_connection(&v);
        let _ = read_transcript(v.clone());
        // The same value as the string content of an aws/chat frame.
        let frame = json!({"topic": "aws/chat", "content": v.to_string()});
        let _ = decode::<Value>(&frame.to_string());
    }

    #[test]
    fn timestamps_round_trip(ms in -62_135_596_800_000i64..253_402_300_799_999i64) {
        prop_assert_eq!(parse_iso8601(&format_iso8601(ms)), Some(ms));
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn a_connected_session_survives_any_frame_sequence(frames in prop::collection::vec(json_value(), 0..40)) {
        let mut s: Session<Value> = Session::new(Config::default(), 1);
        let now = 1_700_000_000_000;
        s.connect(now);
        let request = match s.poll_action() { Some(Action::CreateConnection { request, .. }) => request, other => panic!("{other:?}") };
        let conn = read_connection(&json!({"Websocket": {"Url": "wss://x", "ConnectionExpiry": "2030-01-01T00:00:00.000Z"}})).unwrap();
        s.connection_created(now, now, request, Ok(conn));
        let socket = match s.poll_action() { Some(Action::OpenSocket { socket, .. }) => socket, other => panic!("{other:?}") };
        s.socket_opened(now, socket);
        for (i, f) in frames.into_iter().enumerate() {
            match decode_value(f) {
                Ok(frame) => s.socket_frame(&super::time::Now::at(now + i as i64), socket, frame),
                Err(e) => s.socket_garbage(socket, e),
            }
            s.handle_timeout(now + i as i64 * 1000);
            while s.poll_action().is_some() {}
        }
    }
}
