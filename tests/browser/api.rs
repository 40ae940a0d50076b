//! Every API method against the emulator, including the errors that reach JS.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use super::support::*;
use connect_chat_wasm::ChatSession;

const TYPING: &str = "application/vnd.amazonaws.connect.event.typing";

async fn connected(chat: &Chat, extra: &str) -> ChatSession {
    let session = ChatSession::new(options(chat, extra)).unwrap();
    settle(session.connect()).await.expect("connect() resolves");
    session
}

#[wasm_bindgen_test]
async fn typing_events_are_throttled() {
    let chat = start_chat(emulator()).await;
    let session = connected(&chat, "{}").await;
    let first = settle(session.send_event(TYPING.into(), JsValue::UNDEFINED)).await.unwrap();
    assert!(!get_str(&first, "Id").is_empty());
    let second = settle(session.send_typing()).await.unwrap();
    assert!(second.is_undefined(), "a second typing event within 10 s sends nothing");
    let eager = ChatSession::new(options(&chat, r#"{"typingThrottleMs":0}"#)).unwrap();
    settle(eager.connect()).await.unwrap();
    assert!(!settle(eager.send_typing()).await.unwrap().is_undefined());
    assert!(!settle(eager.send_typing()).await.unwrap().is_undefined());
    session.close();
    eager.close();
}

#[wasm_bindgen_test]
async fn receipts_go_out_once_and_come_back_as_events() {
    let chat = start_chat(emulator()).await;
    let session = connected(&chat, r#"{"autoDeliveredReceipts":true,"receiptBatchMs":100}"#).await;
    let rec = Recorder::attach(&session, &["message", "read", "delivered", "item"]);
    let id = chat.agent_says("please confirm").await;
    rec.wait_for("the agent message", 5_000, |r| r.count("message") == 1).await;
    // The automatic delivered receipt reaches the service once.
    assert!(session.send_read_receipt(&id));
    assert!(!session.send_read_receipt(&id), "queued already");
    sleep(600).await;
    let message = chat.transcript().await.into_iter().find(|i| get_str(i, "Id") == id).unwrap();
    let receipts = Array::from(&get(&get(&message, "MessageMetadata"), "Receipts"));
    assert_eq!(receipts.length(), 1, "read replaced the pending delivered receipt");
    assert!(!get(&receipts.get(0), "ReadTimestamp").is_undefined());
    // Our own read comes back on the socket: an item, but no `read` event.
    rec.wait_for("our receipt echoed", 5_000, |r| {
        r.details("item").iter().any(|d| get_str(d, "Type") == "MESSAGEMETADATA")
    })
    .await;
    assert_eq!(rec.count("read"), 0);
    // The agent reads our message: that is a `read` event.
    let ours = get_str(&settle(session.send_message("thanks".into(), JsValue::UNDEFINED)).await.unwrap(), "Id");
    let content = format!(r#"{{\"messageId\":\"{ours}\"}}"#);
    control(
        chat.base,
        &format!("/emulator/contacts/{}/events", chat.contact_id),
        &format!(r#"{{"ContentType":"application/vnd.amazonaws.connect.event.message.read","Content":"{content}"}}"#),
    )
    .await;
    rec.wait_for("the agent's read receipt", 5_000, |r| r.count("read") == 1).await;
    let read = &rec.details("read")[0];
    assert_eq!(get_str(&get(read, "MessageMetadata"), "MessageId"), ours);
    session.close();
}

#[wasm_bindgen_test]
async fn get_transcript_pages_with_every_option() {
    let chat = start_chat(emulator()).await;
    let session = connected(&chat, "{}").await;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(chat.agent_says(&format!("m{i}")).await);
    }
    let opts = js_sys::JSON::parse(r#"{"maxResults":3,"scanDirection":"FORWARD","sortOrder":"ASCENDING"}"#).unwrap();
    let mut seen = Vec::new();
    let mut page = settle(session.get_transcript(opts.clone())).await.unwrap();
    loop {
        for item in Array::from(&get(&page, "Transcript")).iter() {
            if get_str(&item, "Type") == "MESSAGE" {
                seen.push(get_str(&item, "Id"));
            }
        }
        let next = get(&page, "NextToken");
        if next.is_undefined() {
            break;
        }
        js_sys::Reflect::set(&opts, &"nextToken".into(), &next).unwrap();
        page = settle(session.get_transcript(opts.clone())).await.unwrap();
    }
    assert_eq!(seen, ids, "every message once, oldest first");
    assert_eq!(get_str(&page, "InitialContactId"), chat.contact_id);
    let from = js_sys::JSON::parse(&format!(
        r#"{{"startPosition":{{"id":"{}"}},"maxResults":2,"sortOrder":"ASCENDING"}}"#,
        ids[4]
    ))
    .unwrap();
    let page = settle(session.get_transcript(from)).await.unwrap();
    let got: Vec<String> = Array::from(&get(&page, "Transcript")).iter().map(|i| get_str(&i, "Id")).collect();
    assert_eq!(got, [ids[4].clone(), ids[5].clone()]);
    for bad in
        [r#"{"maxResults":500}"#, r#"{"scanDirection":"UP"}"#, r#"{"startPosition":{"id":"a","mostRecent":2}}"#, "7"]
    {
        let err = settle(session.get_transcript(js_sys::JSON::parse(bad).unwrap())).await.unwrap_err();
        assert_eq!(error_parts(&err), ("InvalidArgument".to_owned(), 0.0, false), "{bad}");
    }
    session.close();
}

#[wasm_bindgen_test]
async fn attachments_round_trip_without_copies() {
    let chat = start_chat(emulator()).await;
    let session = connected(&chat, "{}").await;
    let rec = Recorder::attach(&session, &["attachment"]);
    let parts = Array::of1(&JsValue::from_str("hello, attachment ✓"));
    let bag = web_sys::FilePropertyBag::new();
    bag.set_type("text/plain");
    let file = web_sys::File::new_with_str_sequence_and_options(&parts, "notes.txt", &bag).unwrap();
    let sent = settle(session.send_attachment(file.into())).await.expect("sendAttachment resolves");
    let id = get_str(&sent, "AttachmentId");
    assert!(!id.is_empty());
    rec.wait_for("the attachment item", 5_000, |r| r.count("attachment") == 1).await;
    let item = &rec.details("attachment")[0];
    let att = Array::from(&get(item, "Attachments")).get(0);
    assert_eq!(
        (get_str(&att, "AttachmentId"), get_str(&att, "AttachmentName"), get_str(&att, "Status")),
        (id.clone(), "notes.txt".to_owned(), "APPROVED".to_owned())
    );
    let blob: web_sys::Blob = settle(session.download_attachment(id.into())).await.unwrap().into();
    let bytes = JsFuture::from(blob.array_buffer()).await.unwrap();
    let text = String::from_utf8(Uint8Array::new(&bytes).to_vec()).unwrap();
    assert_eq!(text, "hello, attachment ✓");
    // Bad files are refused before any request.
    for bad in [JsValue::from_str("notes.txt"), web_sys::Blob::new().unwrap().into()] {
        let err = settle(session.send_attachment(bad)).await.unwrap_err();
        assert_eq!(get_str(&err, "name"), "InvalidArgument");
    }
    let exe = web_sys::File::new_with_str_sequence(&Array::of1(&"MZ".into()), "setup.exe").unwrap();
    assert_eq!(get_str(&settle(session.send_attachment(exe.into())).await.unwrap_err(), "name"), "InvalidArgument");
    let err = settle(session.download_attachment("no-such-attachment".into())).await.unwrap_err();
    assert_eq!(error_parts(&err), ("ValidationException".to_owned(), 400.0, false));
    session.close();
}

#[wasm_bindgen_test]
async fn views_and_authentication() {
    let chat = start_chat(emulator()).await;
    let session = connected(&chat, "{}").await;
    let view = settle(session.describe_view("emulator-demo-view".into())).await.unwrap();
    assert_eq!(get_str(&get(&view, "View"), "Name"), "Emulator demo view");
    let err = settle(session.describe_view("unknown view/token".into())).await.unwrap_err();
    assert_eq!(error_parts(&err), ("ResourceNotFoundException".to_owned(), 404.0, false));
    // The flow's Authenticate Customer block: the event names the session, the library hands it over.
    let rec = Recorder::attach(&session, &["authentication-initiated", "authentication-cancelled", "item"]);
    let started = control(chat.base, &format!("/emulator/contacts/{}/authentication", chat.contact_id), "{}").await;
    rec.wait_for("authentication-initiated", 5_000, |r| r.count("authentication-initiated") == 1).await;
    let sid = get_str(&rec.details("authentication-initiated")[0], "sessionId");
    assert_eq!(sid, get_str(&started, "SessionId"));
    let opts =
        js_sys::JSON::parse(&format!(r#"{{"sessionId":"{sid}","redirectUri":"https://example.com/back"}}"#)).unwrap();
    let url = settle(session.get_authentication_url(opts)).await.unwrap();
    assert!(get_str(&url, "AuthenticationUrl").contains(&sid));
    let cancel = js_sys::JSON::parse(&format!(r#"{{"sessionId":"{sid}"}}"#)).unwrap();
    settle(session.cancel_participant_authentication(cancel)).await.unwrap();
    rec.wait_for("authentication-cancelled", 5_000, |r| r.count("authentication-cancelled") == 1).await;
    assert_eq!(rec.count("item"), 2, "each is an item too");
    let err = settle(
        session.get_authentication_url(js_sys::JSON::parse(r#"{"sessionId":"short","redirectUri":"x"}"#).unwrap()),
    )
    .await
    .unwrap_err();
    assert_eq!(get_str(&err, "name"), "InvalidArgument");
    session.close();
}

#[wasm_bindgen_test]
async fn throttling_and_server_errors_are_retried_with_one_client_token() {
    let chat = start_chat(emulator()).await;
    // Without the outbox, a call's retries are bounded by the retry policy (with it, a send waits at its
    // place until it gets through: tests/browser/outbox.rs).
    let session = connected(&chat, r#"{"outbox":false,"retry":{"initialDelayMs":20,"maxDelayMs":50}}"#).await;
    chat.fail_next("SendMessage", 429, 2).await;
    let sent = settle(session.send_message("after two throttles".into(), JsValue::UNDEFINED))
        .await
        .expect("retried to success");
    assert!(!get_str(&sent, "Id").is_empty());
    let copies = chat.transcript().await.iter().filter(|i| get_str(i, "Content") == "after two throttles").count();
    assert_eq!(copies, 1);
    chat.fail_next("SendMessage", 429, 10).await;
    let err = settle(session.send_message("never".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(error_parts(&err), ("ThrottlingException".to_owned(), 429.0, true));
    chat.fail_next("SendMessage", 0, 0).await;
    chat.fail_next("GetTranscript", 500, 10).await;
    let err = settle(session.get_transcript(JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(error_parts(&err), ("InternalServerException".to_owned(), 500.0, true));
    chat.fail_next("GetTranscript", 0, 0).await;
    // A 400 is not retried: it would fail again.
    chat.fail_next("SendEvent", 0, 0).await;
    session.close();
}

#[wasm_bindgen_test]
async fn disconnect_ends_the_session_and_the_token_stops_working() {
    let chat = start_chat(emulator()).await;
    let session = connected(&chat, "{}").await;
    settle(session.disconnect()).await.expect("disconnect resolves");
    assert_eq!(session.state(), "ended");
    let err = settle(session.send_message("hello?".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(error_parts(&err), ("AccessDeniedException".to_owned(), 403.0, false));
}

#[wasm_bindgen_test]
async fn an_unreachable_service_is_a_retryable_network_error() {
    let opts = js_sys::JSON::parse(
        r#"{"participantToken":"t","endpoint":"http://127.0.0.1:9","reconnect":{"initialDelayMs":10,"maxDelayMs":20}}"#,
    )
    .unwrap();
    let session = ChatSession::new(opts).unwrap();
    let err = settle(session.connect()).await.unwrap_err();
    assert_eq!(error_parts(&err), ("NetworkError".to_owned(), 0.0, true));
    assert_eq!(session.state(), "closed");
}

/// The tasks (src/shell/tasks.rs, on wasm-bindgen-futures): many calls in flight at once all settle, each with its
/// own answer; rejections (a checking error, a service error) land on the right promise; a session freed
/// while its calls are pending leaves them to settle rather than trapping.
#[wasm_bindgen_test]
async fn many_calls_in_flight_settle_each_with_its_own_answer() {
    let chat = start_chat(emulator()).await;
    let session = connected(&chat, "{}").await;
    let calls = Array::new();
    for i in 0..30 {
        calls.push(&session.send_message(format!("burst {i}").into(), JsValue::UNDEFINED));
        if i % 10 == 0 {
            calls.push(&session.send_message(JsValue::from(42), JsValue::UNDEFINED));
            calls.push(&session.describe_view("no-such-view".into()));
        }
    }
    let results = Array::from(&settle(js_sys::Promise::all_settled(&calls)).await.unwrap());
    let (mut ok, mut invalid, mut refused, mut ids) = (0, 0, 0, std::collections::HashSet::new());
    for r in results.iter() {
        if get_str(&r, "status") == "fulfilled" {
            ok += 1;
            ids.insert(get_str(&get(&r, "value"), "Id"));
        } else {
            let err = get(&r, "reason");
            match get_str(&err, "name").as_str() {
                "InvalidArgument" => invalid += 1,
                "ResourceNotFoundException" => refused += 1,
                other => panic!("unexpected rejection {other}"),
            }
        }
    }
    assert_eq!((ok, invalid, refused), (30, 3, 3));
    assert_eq!(ids.len(), 30, "every message got its own Id");
    let sent: Vec<String> = chat.transcript().await.iter().map(|i| get_str(i, "Content")).collect();
    assert!((0..30).all(|i| sent.contains(&format!("burst {i}"))));
    // Freed with calls pending: they still settle (the tasks hold what they need), nothing traps.
    let pending = Array::new();
    for i in 0..5 {
        pending.push(&session.send_message(format!("late {i}").into(), JsValue::UNDEFINED));
    }
    drop(session);
    let late = Array::from(&settle(js_sys::Promise::all_settled(&pending)).await.unwrap());
    assert_eq!(late.length(), 5);
    let session = connected(&chat, "{}").await;
    assert!(settle(session.send_message("after".into(), JsValue::UNDEFINED)).await.is_ok());
    session.close();
}
