//! Where the shell hands work to the engine instead of the core's own Rust code: the answers must be
//! the same as the core's (which the native tests pin down).

use connect_chat_wasm::protocol::json::JsonValue;
use connect_chat_wasm::protocol::time::parse_iso8601;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

/// Timestamps are read with `Date.parse` in the browser and with `parse_iso8601` natively.
#[wasm_bindgen_test]
fn date_parse_reads_every_timestamp_the_service_writes_as_the_core_does() {
    let service_formats = [
        "2019-11-08T02:41:28.172Z",
        "2019-11-08T02:41:28Z",
        "2019-11-08T02:41:28.1Z",
        "2019-11-08T02:41:28.172999Z",
        "2019-11-08T03:41:28.172+01:00",
        "2019-11-07T20:41:28.172-06:00",
        "2024-02-29T00:00:00Z",
        "1970-01-01T00:00:00.000Z",
        "2026-12-31T23:59:59.999Z",
    ];
    for text in service_formats {
        let item = js_sys::Object::new();
        js_sys::Reflect::set(&item, &"AbsoluteTime".into(), &text.into()).unwrap();
        let item: JsValue = item.into();
        assert_eq!(item.time_field("AbsoluteTime"), parse_iso8601(text), "{text}");
        assert!(item.time_field("AbsoluteTime").is_some(), "{text}");
    }
    for garbage in ["", "yesterday", "2019-13-08T02:41:28Z", "2019-11-08T25:41:28Z"] {
        let item = js_sys::Object::new();
        js_sys::Reflect::set(&item, &"AbsoluteTime".into(), &garbage.into()).unwrap();
        let item: JsValue = item.into();
        assert_eq!(item.time_field("AbsoluteTime"), None, "{garbage:?}");
    }
    let numbers: JsValue = js_sys::JSON::parse(r#"{"AbsoluteTime":1573180888172,"Other":null}"#).unwrap();
    assert_eq!(numbers.time_field("AbsoluteTime"), None, "a number is not a timestamp string");
    assert_eq!(numbers.time_field("Other"), None);
    assert_eq!(numbers.time_field("Missing"), None);
}
