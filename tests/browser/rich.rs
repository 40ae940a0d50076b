//! What real Connect chats carry besides text, through the emulator: streamed bot replies (also across
//! a dropped socket) and interactive messages answered as the reference widget answers them.

use js_sys::{Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use super::support::*;
use connect_chat_wasm::ChatSession;

const BRISK: &str = r#"{"heartbeatIntervalMs":1000,"reconnect":{"initialDelayMs":50,"maxDelayMs":300},"retry":{"initialDelayMs":20,"maxDelayMs":200}}"#;
const INTERACTIVE: &str = "application/vnd.amazonaws.connect.message.interactive";

async fn connected(chat: &Chat) -> (ChatSession, Recorder) {
    let session = ChatSession::new(options(chat, BRISK)).unwrap();
    let rec = Recorder::attach(&session, &["message-partial", "message", "item", "connected"]);
    settle(session.connect()).await.expect("connect() resolves");
    (session, rec)
}

fn stream_body(chunks: &[&str], interval_ms: u32) -> String {
    let chunks: Vec<String> = chunks.iter().map(|c| format!("{c:?}")).collect();
    format!(r#"{{"Chunks":[{}],"IntervalMs":{interval_ms}}}"#, chunks.join(","))
}

fn contents(rec: &Recorder, kind: &str) -> Vec<String> {
    rec.details(kind).iter().map(|d| get_str(d, "Content")).collect()
}

#[wasm_bindgen_test]
async fn a_streamed_reply_grows_then_arrives_once() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat).await;
    let path = format!("/emulator/contacts/{}/stream", chat.contact_id);
    let sent = control(chat.base, &path, &stream_body(&["Your ", "order ", "has ", "shipped."], 30)).await;
    let id = get_str(&sent, "Id");
    rec.wait_for("the completed reply", 5_000, |r| r.count("message") == 1).await;
    assert_eq!(
        contents(&rec, "message-partial"),
        ["Your ", "Your order ", "Your order has ", "Your order has shipped."]
    );
    let partials = rec.details("message-partial");
    assert!(partials.iter().all(|p| get_str(p, "Id") == id), "one Id throughout");
    let first_time = get_str(&partials[0], "AbsoluteTime");
    assert!(partials.iter().all(|p| get_str(p, "AbsoluteTime") == first_time), "placed at the first chunk");
    assert_eq!(contents(&rec, "message"), ["Your order has shipped."]);
    let items: Vec<JsValue> = rec.details("item").into_iter().filter(|i| get_str(i, "Id") == id).collect();
    assert_eq!(items.len(), 1, "the reply is one item");
    // Partials come before the message, never after it.
    let kinds = rec.kinds();
    let last_partial = kinds.iter().rposition(|k| k == "message-partial").unwrap();
    assert!(kinds.iter().position(|k| k == "message").unwrap() > last_partial);
    session.close();
}

#[wasm_bindgen_test]
async fn a_reply_streamed_across_a_dropped_socket_is_recovered_whole() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat).await;
    let path = format!("/emulator/contacts/{}/stream", chat.contact_id);
    let body = stream_body(&["One ", "two ", "three ", "four ", "five ", "six."], 250);
    let base = chat.base;
    let streaming = wasm_bindgen_futures::future_to_promise(async move { Ok(control(base, &path, &body).await) });
    rec.wait_for("the first chunk", 5_000, |r| r.count("message-partial") >= 1).await;
    // An outage of most of the reply: the chunks sent meanwhile reach nobody.
    control(chat.base, &format!("/emulator/contacts/{}/drop", chat.contact_id), r#"{"RefuseMs":800}"#).await;
    settle(streaming).await.unwrap();
    rec.wait_for("the completed reply", 10_000, |r| r.count("message") == 1).await;
    assert_eq!(contents(&rec, "message"), ["One two three four five six."]);
    assert!(rec.count("connected") >= 2, "it reconnected: {:?}", rec.kinds());
    // Whatever partials were shown grew in order, each a prefix of the reply.
    for p in contents(&rec, "message-partial") {
        assert!("One two three four five six.".starts_with(&p), "{p}");
    }
    sleep(500).await;
    assert_eq!(rec.count("message"), 1, "and only once");
    session.close();
}

/// A bot's template, sent as the flow does.
async fn bot_sends(chat: &Chat, template: &str) -> String {
    let body = JSON::stringify(
        &js_sys::Object::from_entries(&Array::of3(
            &Array::of2(&"Content".into(), &template.into()),
            &Array::of2(&"ContentType".into(), &INTERACTIVE.into()),
            &Array::of2(&"ParticipantRole".into(), &"SYSTEM".into()),
        ))
        .unwrap(),
    )
    .unwrap();
    let sent =
        control(chat.base, &format!("/emulator/contacts/{}/messages", chat.contact_id), &String::from(body)).await;
    get_str(&sent, "Id")
}

/// The customer's messages the emulator kept: (ContentType, Content).
async fn customer_said(chat: &Chat) -> Vec<(String, String)> {
    chat.transcript()
        .await
        .iter()
        .filter(|i| get_str(i, "ParticipantRole") == "CUSTOMER" && get_str(i, "Type") == "MESSAGE")
        .map(|i| (get_str(i, "ContentType"), get_str(i, "Content")))
        .collect()
}

#[wasm_bindgen_test]
async fn interactive_messages_parse_and_are_answered_as_the_reference_widget_answers() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat).await;
    let list = r#"{"templateType":"ListPicker","version":"1.0","data":{"replyMessage":{"title":"Thanks"},"content":{"title":"Which fruit?","referenceId":"r1","listId":"fruit","preIndex":0,"nextIndex":2,"elements":[{"title":"Apple"},{"title":"Banana"},{"title":"More","actionDetail":"SHOW_MORE"}]}}}"#;
    let card = |id: &str, title: &str| {
        format!(
            r#"{{"templateType":"Panel","templateIdentifier":"{id}","version":"1.0","data":{{"content":{{"title":"{title}","elements":[{{"title":"Book"}}]}}}}}}"#
        )
    };
    let carousel = format!(
        r#"{{"templateType":"Carousel","version":"1.0","data":{{"content":{{"title":"Hotels","elements":[{},{}]}}}}}}"#,
        card("hotel-a", "Hotel A"),
        card("hotel-b", "Hotel B")
    );
    bot_sends(&chat, list).await;
    bot_sends(&chat, &carousel).await;
    bot_sends(&chat, r#"{"templateType":"ListPicker","data":{"content":{"title":"no elements"}}}"#).await;
    rec.wait_for("three templates", 5_000, |r| r.count("message") == 3).await;
    let messages = rec.details("message");
    let picker = ChatSession::parse_interactive(&messages[0]);
    assert_eq!(get_str(&picker, "templateType"), "ListPicker");
    assert_eq!(get_str(&get(&picker, "replyMessage"), "title"), "Thanks");
    assert!(ChatSession::parse_interactive(&messages[2]).is_null(), "a wrong shape is null");
    assert!(ChatSession::parse_interactive(&JsValue::from_str("not an item")).is_null());
    assert!(ChatSession::parse_interactive(&JsValue::NULL).is_null());

    let elements = Array::from(&get(&get(&picker, "content"), "elements"));
    settle(session.send_interactive_response(&messages[0], &elements.get(1))).await.unwrap();
    settle(session.send_interactive_response(&messages[0], &elements.get(2))).await.unwrap();
    // The very element object of the second card, although both cards offer "Book".
    let hotels = ChatSession::parse_interactive(&messages[1]);
    let cards = Array::from(&get(&get(&hotels, "content"), "elements"));
    let book_b = Array::from(&get(&get(&get(&cards.get(1), "data"), "content"), "elements")).get(0);
    settle(session.send_interactive_response(&messages[1], &book_b)).await.unwrap();

    let said = customer_said(&chat).await;
    assert_eq!(said[0], ("text/plain".to_owned(), "Banana".to_owned()));
    assert_eq!(said[1].0, "application/vnd.amazonaws.connect.message.interactive.response");
    assert_eq!(
        said[1].1,
        r#"{"version":"1.0","data":{"actionName":"SHOW_MORE","preIndex":0,"nextIndex":2,"listId":"fruit","templateType":"ListPicker","referenceId":"r1"},"action":"SHOW_MORE"}"#
    );
    assert_eq!(
        said[2],
        (
            "text/plain".to_owned(),
            r#"{"templateIdentifier":"hotel-b","listTitle":"Hotel B","selectionText":"Book"}"#.to_owned()
        )
    );

    // Wrong answers are typed errors, and nothing is sent.
    for (item, choice) in [
        (&messages[0], JSON::parse(r#"{"title":"Cherry"}"#).unwrap()),
        (&messages[0], JsValue::from_str("Apple")),
        (&messages[2], JSON::parse(r#"{"title":"x"}"#).unwrap()),
    ] {
        let err = settle(session.send_interactive_response(item, &choice)).await.unwrap_err();
        assert_eq!(error_parts(&err), ("InvalidArgument".to_owned(), 0.0, false));
    }
    assert_eq!(customer_said(&chat).await.len(), 3);
    session.close();
}
