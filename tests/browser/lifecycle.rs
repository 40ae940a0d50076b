//! Connecting, events, renewal, listeners and the end of a chat.

use std::collections::HashMap;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use super::support::*;
use connect_chat_wasm::ChatSession;

#[wasm_bindgen_test]
async fn connects_and_receives_an_agent_message_with_the_service_fields() {
    let chat = start_chat(emulator()).await;
    let session = chat.session();
    assert_eq!(session.state(), "idle");
    let rec = Recorder::attach(&session, &["connected", "message", "item", "error"]);
    settle(session.connect()).await.expect("connect() resolves");
    assert_eq!(session.state(), "connected");
    assert_eq!(rec.count("connected"), 1);

    let id = chat.agent_says("Hello, how can I help?").await;
    rec.wait_for("the agent message", 5_000, |r| r.count("message") == 1).await;
    let msg = &rec.details("message")[0];
    assert_eq!(get_str(msg, "Id"), id);
    assert_eq!(get_str(msg, "Type"), "MESSAGE");
    assert_eq!(get_str(msg, "Content"), "Hello, how can I help?");
    assert_eq!(get_str(msg, "ContentType"), "text/plain");
    assert_eq!(get_str(msg, "ParticipantRole"), "AGENT");
    assert_eq!(get_str(msg, "DisplayName"), "Agent Smith");
    assert!(get_str(msg, "AbsoluteTime").ends_with('Z'));
    assert!(!get_str(msg, "ParticipantId").is_empty());
    // The same object also arrives as `item`.
    assert!(rec.details("item").iter().any(|d| get_str(d, "Id") == id));
    assert_eq!(rec.count("error"), 0);
    session.close();
    assert_eq!(session.state(), "closed");
}

#[wasm_bindgen_test]
async fn our_message_round_trips_and_arrives_once() {
    let chat = start_chat(emulator()).await;
    let session = chat.session();
    let rec = Recorder::attach(&session, &["message"]);
    settle(session.connect()).await.unwrap();
    let sent = settle(session.send_message("hi there".into(), JsValue::UNDEFINED)).await.expect("sendMessage resolves");
    let id = get_str(&sent, "Id");
    assert!(!id.is_empty() && get_str(&sent, "AbsoluteTime").ends_with('Z'));
    rec.wait_for("our own message on the socket", 5_000, |r| r.count("message") >= 1).await;
    sleep(200).await;
    let echoed = rec.details("message");
    assert_eq!(echoed.len(), 1);
    assert_eq!(get_str(&echoed[0], "Id"), id);
    assert_eq!(get_str(&echoed[0], "ParticipantRole"), "CUSTOMER");
    session.close();
}

#[wasm_bindgen_test]
async fn renews_before_expiry_and_delivers_every_message_exactly_once() {
    // URLs live 2 s here, so a 7 s run crosses at least three renewals.
    let chat = start_chat(short_ttl_emulator()).await;
    let session = chat.session();
    let rec = Recorder::attach(&session, &["message", "renewed", "reconnecting", "connection-lost", "error"]);
    settle(session.connect()).await.unwrap();
    let mut sent = Vec::new();
    let started = js_sys::Date::now();
    while js_sys::Date::now() - started < 7_000.0 {
        sent.push(chat.agent_says(&format!("message {}", sent.len())).await);
        sleep(100).await;
    }
    rec.wait_for("every message", 10_000, |r| r.count("message") >= sent.len()).await;
    sleep(500).await;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for d in rec.details("message") {
        *seen.entry(get_str(&d, "Id")).or_default() += 1;
    }
    let duplicated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    let missing: Vec<_> = sent.iter().filter(|id| !seen.contains_key(*id)).collect();
    assert!(duplicated.is_empty(), "duplicates: {duplicated:?}");
    assert!(missing.is_empty(), "missing: {missing:?}");
    assert_eq!(seen.len(), sent.len());
    assert!(rec.count("renewed") >= 3, "renewed {} times; events {:?}", rec.count("renewed"), rec.kinds());
    assert_eq!(rec.count("reconnecting"), 0, "renewal happened ahead of expiry, without a reconnect");
    assert_eq!(rec.count("connection-lost"), 0);
    assert_eq!(session.state(), "connected");
    console_log!("renewal run: {} messages, {} renewals", sent.len(), rec.count("renewed"));
    session.close();
}

#[wasm_bindgen_test]
async fn a_bad_token_rejects_connect_with_a_typed_error() {
    let opts = js_sys::Object::new();
    Reflect::set(&opts, &"participantToken".into(), &"not-a-real-token".into()).unwrap();
    Reflect::set(&opts, &"endpoint".into(), &emulator().into()).unwrap();
    let session = ChatSession::new(opts.into()).unwrap();
    let err = settle(session.connect()).await.expect_err("connect() rejects");
    assert_eq!(get_str(&err, "name"), "AccessDeniedException");
    assert_eq!(get_str(&err, "code"), "AccessDeniedException");
    assert_eq!(get(&err, "status").as_f64(), Some(403.0));
    assert_eq!(get(&err, "retryable").as_bool(), Some(false));
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(session.state(), "closed");
}

#[wasm_bindgen_test]
async fn wrong_arguments_from_js_are_invalid_argument_errors() {
    let err = ChatSession::new(JsValue::from_str("token")).err().expect("a string is not options");
    assert_eq!(get_str(&err, "name"), "InvalidArgument");
    let opts = js_sys::Object::new();
    let err = ChatSession::new(opts.clone().into()).err().expect("participantToken is required");
    assert_eq!(get_str(&err, "name"), "InvalidArgument");
    Reflect::set(&opts, &"participantToken".into(), &"t".into()).unwrap();
    Reflect::set(&opts, &"shareAcrossTabs".into(), &true.into()).unwrap();
    let err = ChatSession::new(opts.clone().into()).err().expect("shareAcrossTabs needs persist");
    assert_eq!(get_str(&err, "name"), "InvalidArgument");
    assert!(get_str(&err, "message").contains("persist"));
    Reflect::set(&opts, &"persist".into(), &true.into()).unwrap();
    assert!(ChatSession::new(opts.clone().into()).is_ok(), "shareAcrossTabs with persist");
    Reflect::set(&opts, &"shareAcrossTabs".into(), &"yes".into()).unwrap();
    assert!(ChatSession::new(opts.clone().into()).is_err(), "shareAcrossTabs must be a boolean");
    Reflect::set(&opts, &"shareAcrossTabs".into(), &false.into()).unwrap();
    // disconnectOnClose: a boolean or the worker's URL (tests/e2e/goodbye.test.mjs says the goodbye).
    for fine in [JsValue::TRUE, JsValue::FALSE, "/goodbye-worker.js".into()] {
        Reflect::set(&opts, &"disconnectOnClose".into(), &fine).unwrap();
        assert!(ChatSession::new(opts.clone().into()).is_ok(), "disconnectOnClose {fine:?}");
    }
    Reflect::set(&opts, &"disconnectOnClose".into(), &1.into()).unwrap();
    let err = ChatSession::new(opts.clone().into()).err().expect("disconnectOnClose must be a boolean or a URL");
    assert!(get_str(&err, "message").contains("disconnectOnClose"));
    Reflect::set(&opts, &"disconnectOnClose".into(), &JsValue::UNDEFINED).unwrap();
    Reflect::set(&opts, &"endpoint".into(), &"ftp://x".into()).unwrap();
    assert!(ChatSession::new(opts.into()).is_err());

    let chat = start_chat(emulator()).await;
    let session = chat.session();
    let noop = Closure::<dyn Fn()>::new(|| {});
    let err = session.add_event_listener("mesage".into(), noop.as_ref().clone(), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(get_str(&err, "name"), "InvalidArgument");
    let err = settle(session.send_message("x".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get_str(&err, "name"), "InvalidState", "not connected yet");
    settle(session.connect()).await.unwrap();
    let err = settle(session.send_message("".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get_str(&err, "name"), "InvalidArgument");
    let err = settle(session.send_message(JsValue::from(5), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get_str(&err, "name"), "InvalidArgument");
    session.close();
}

#[wasm_bindgen_test]
async fn on_returns_an_unsubscribe_function_and_close_stops_events() {
    let chat = start_chat(emulator()).await;
    let session = chat.session();
    let rec = Recorder::attach(&session, &["message"]);
    let count = std::rc::Rc::new(std::cell::Cell::new(0));
    let c = count.clone();
    let listener = Closure::<dyn Fn(JsValue)>::new(move |_| c.set(c.get() + 1));
    let off = session.on("message".into(), listener.as_ref().clone(), JsValue::UNDEFINED).unwrap();
    settle(session.connect()).await.unwrap();
    chat.agent_says("one").await;
    rec.wait_for("one", 5_000, |r| r.count("message") == 1).await;
    assert_eq!(count.get(), 1);
    off.call0(&JsValue::NULL).unwrap();
    chat.agent_says("two").await;
    rec.wait_for("two", 5_000, |r| r.count("message") == 2).await;
    assert_eq!(count.get(), 1, "the unsubscribed listener is not called");
    session.close();
    chat.agent_says("three").await;
    sleep(300).await;
    assert_eq!(rec.count("message"), 2, "nothing arrives after close()");
}

/// Listener options are the DOM's: `once` is called for the first event only, `signal` removes the
/// listener when aborted, and options the DOM refuses are a typed error, not an exception from inside.
#[wasm_bindgen_test]
async fn listener_options_once_and_signal_are_honoured() {
    let chat = start_chat(emulator()).await;
    let session = chat.session();
    let rec = Recorder::attach(&session, &["message"]);
    let log = js_sys::Array::new();
    let make = js_sys::Function::new_with_args("log, tag", "return (e) => log.push(tag + ':' + e.detail.Content)");
    let listener = |tag: &str| -> JsValue { make.call2(&JsValue::NULL, &log, &tag.into()).unwrap() };
    let options = |js: &str| js_sys::Function::new_no_args(&["return ", js].concat()).call0(&JsValue::NULL).unwrap();
    session.on("message".into(), listener("once"), options("({ once: true })")).unwrap();
    let controller = options("new AbortController()");
    let signal = js_sys::Reflect::get(&controller, &"signal".into()).unwrap();
    let with_signal = js_sys::Object::new();
    js_sys::Reflect::set(&with_signal, &"signal".into(), &signal).unwrap();
    session.add_event_listener("message".into(), listener("signal"), with_signal.into()).unwrap();
    settle(session.connect()).await.unwrap();
    chat.agent_says("one").await;
    rec.wait_for("one", 5_000, |r| r.count("message") == 1).await;
    let abort = js_sys::Reflect::get(&controller, &"abort".into()).unwrap();
    abort.unchecked_ref::<js_sys::Function>().call0(&controller).unwrap();
    chat.agent_says("two").await;
    rec.wait_for("two", 5_000, |r| r.count("message") == 2).await;
    let entries: Vec<String> = log.iter().map(|v| v.as_string().unwrap()).collect();
    assert_eq!(entries, ["once:one", "signal:one"], "neither is called for the second message");
    let noop = listener("noop");
    for bad in ["({ signal: 'not a signal' })", "({ signal: {} })"] {
        let err = session.on("message".into(), noop.clone(), options(bad)).unwrap_err();
        assert_eq!(get_str(&err, "name"), "InvalidArgument", "{bad}");
    }
    session.close();
}

#[wasm_bindgen_test]
async fn chat_ended_by_the_agent_ends_the_session() {
    let chat = start_chat(emulator()).await;
    let session = chat.session();
    let rec = Recorder::attach(&session, &["ended", "item"]);
    settle(session.connect()).await.unwrap();
    chat.agent_event("application/vnd.amazonaws.connect.event.chat.ended").await;
    rec.wait_for("ended", 5_000, |r| r.count("ended") == 1).await;
    assert_eq!(session.state(), "ended");
    let err = settle(session.connect()).await.unwrap_err();
    assert_eq!(get_str(&err, "name"), "SessionEnded");
}

/// Listeners behave as DOM listeners: one function added twice is called once, one removed by an earlier
/// listener during the same dispatch is not called, one that throws does not stop the others nor the
/// session, and each receives an event with `type` and `detail`.
#[wasm_bindgen_test]
async fn listeners_behave_as_dom_listeners() {
    let chat = start_chat(emulator()).await;
    let session = chat.session();
    let rec = Recorder::attach(&session, &["message"]);
    let log = js_sys::Array::new();
    let make = js_sys::Function::new_with_args(
        "log, tag, action",
        "return (e) => { log.push(tag + ':' + e.type + ':' + e.detail.Content); if (action) action(); }",
    );
    let listener =
        |tag: &str, action: &JsValue| -> JsValue { make.call3(&JsValue::NULL, &log, &tag.into(), action).unwrap() };
    let twice = listener("twice", &JsValue::UNDEFINED);
    session.add_event_listener("message".into(), twice.clone(), JsValue::UNDEFINED).unwrap();
    session.add_event_listener("message".into(), twice, JsValue::UNDEFINED).unwrap();
    let thrower = listener("thrower", &js_sys::Function::new_no_args("throw new Error('listener bug')").into());
    session.add_event_listener("message".into(), thrower, JsValue::UNDEFINED).unwrap();
    // `remover` runs before `removed` (listeners run in the order added) and removes it mid-dispatch.
    let holder = js_sys::Object::new();
    let remove_later =
        js_sys::Function::new_with_args("holder", "return () => holder.off()").call1(&JsValue::NULL, &holder).unwrap();
    let remover = listener("remover", &remove_later);
    session.add_event_listener("message".into(), remover, JsValue::UNDEFINED).unwrap();
    let removed = listener("removed", &JsValue::UNDEFINED);
    let off = session.on("message".into(), removed, JsValue::UNDEFINED).unwrap();
    js_sys::Reflect::set(&holder, &"off".into(), &off).unwrap();
    // A throwing listener is reported on the page: keep the test runner from counting it as a failure.
    let swallow = js_sys::Function::new_no_args("window.onerror = () => true;");
    swallow.call0(&JsValue::NULL).unwrap();
    settle(session.connect()).await.unwrap();
    chat.agent_says("one").await;
    rec.wait_for("one", 5_000, |r| r.count("message") == 1).await;
    chat.agent_says("two").await;
    rec.wait_for("two", 5_000, |r| r.count("message") == 2).await;
    let entries: Vec<String> = log.iter().map(|v| v.as_string().unwrap()).collect();
    assert_eq!(
        entries,
        [
            "twice:message:one",
            "thrower:message:one",
            "remover:message:one",
            "twice:message:two",
            "thrower:message:two",
            "remover:message:two",
        ]
    );
    assert_eq!(session.state(), "connected", "a throwing listener does not break the session");
    session.close();
    js_sys::Function::new_no_args("window.onerror = null;").call0(&JsValue::NULL).unwrap();
}
