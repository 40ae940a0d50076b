//! Nothing lost: reconnects, gap filling, stalls, malformed frames, teardown, resume, and chaos.

use std::collections::HashMap;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use super::support::*;
use connect_chat_wasm::ChatSession;

/// Fast timings, so a lost socket is noticed and replaced within a second or two.
const BRISK: &str = r#"{"heartbeatIntervalMs":1000,"reconnect":{"initialDelayMs":50,"maxDelayMs":500},"retry":{"initialDelayMs":20,"maxDelayMs":200}}"#;

async fn connected(chat: &Chat, extra: &str) -> (ChatSession, Recorder) {
    let session = ChatSession::new(options(chat, extra)).unwrap();
    let rec = Recorder::attach(
        &session,
        &["message", "item", "connected", "reconnecting", "renewed", "connection-lost", "error"],
    );
    settle(session.connect()).await.expect("connect() resolves");
    (session, rec)
}

fn message_ids(rec: &Recorder) -> Vec<String> {
    rec.details("message").iter().map(|d| get_str(d, "Id")).collect()
}

fn assert_exactly_once(rec: &Recorder, sent: &[String]) {
    let got = message_ids(rec);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for id in &got {
        *counts.entry(id.as_str()).or_default() += 1;
    }
    let dupes: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dupes.is_empty(), "delivered twice: {dupes:?}");
    let missing: Vec<_> = sent.iter().filter(|id| !counts.contains_key(id.as_str())).collect();
    assert!(missing.is_empty(), "never delivered: {} of {}", missing.len(), sent.len());
}

fn assert_time_ordered(rec: &Recorder) {
    let times: Vec<String> = rec.details("message").iter().map(|d| get_str(d, "AbsoluteTime")).collect();
    for w in times.windows(2) {
        assert!(w[0] <= w[1], "out of order: {} before {}", w[0], w[1]);
    }
}

#[wasm_bindgen_test]
async fn a_dropped_socket_is_replaced_and_the_gap_filled() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat, BRISK).await;
    let mut sent = vec![chat.agent_says("before the drop").await];
    rec.wait_for("the first message", 5_000, |r| r.count("message") == 1).await;
    control(chat.base, &format!("/emulator/contacts/{}/drop", chat.contact_id), "{}").await;
    // These go out while nobody is connected: only the transcript has them.
    for i in 0..5 {
        sent.push(chat.agent_says(&format!("missed {i}")).await);
    }
    rec.wait_for("reconnected and filled", 10_000, |r| r.count("message") >= sent.len() && r.count("connected") == 2)
        .await;
    sent.push(chat.agent_says("after").await);
    rec.wait_for("live again", 5_000, |r| r.count("message") == sent.len()).await;
    assert_exactly_once(&rec, &sent);
    assert_eq!(message_ids(&rec), sent, "in order");
    let attempts: Vec<f64> = rec.details("reconnecting").iter().map(|d| get(d, "attempt").as_f64().unwrap()).collect();
    assert_eq!(attempts.first(), Some(&1.0));
    assert!(get(&rec.details("reconnecting")[0], "delayMs").as_f64().is_some());
    assert_eq!(session.state(), "connected");
    session.close();
}

#[wasm_bindgen_test]
async fn a_stalled_socket_is_found_by_its_heartbeat() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat, BRISK).await;
    control(chat.base, &format!("/emulator/contacts/{}/stall", chat.contact_id), "{}").await;
    let sent = vec![chat.agent_says("into the void").await];
    rec.wait_for("the stall noticed and healed", 8_000, |r| r.count("message") == 1).await;
    assert!(rec.count("reconnecting") >= 1);
    let reason = get(&rec.details("reconnecting")[0], "reason");
    assert!(get_str(&reason, "message").contains("heartbeat"), "{}", get_str(&reason, "message"));
    assert_exactly_once(&rec, &sent);
    session.close();
}

#[wasm_bindgen_test]
async fn connect_retries_throttled_connections() {
    let chat = start_chat(emulator()).await;
    control(chat.base, "/emulator/faults/connection", r#"{"Status":429,"Count":2}"#).await;
    let (session, rec) = connected(&chat, BRISK).await;
    assert_eq!(session.state(), "connected");
    assert_eq!(rec.count("connected"), 1);
    session.close();
}

#[wasm_bindgen_test]
async fn malformed_frames_become_error_events_and_the_session_goes_on() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat, BRISK).await;
    for kind in ["not-json", "wrong-types", "bad-content", "not-an-object", "unknown-topic", "error", "huge"] {
        control(
            chat.base,
            &format!("/emulator/contacts/{}/malformed", chat.contact_id),
            &format!(r#"{{"Kind":"{kind}"}}"#),
        )
        .await;
    }
    let sent = vec![chat.agent_says("still here").await];
    rec.wait_for("the message after the garbage", 5_000, |r| r.count("message") == 1).await;
    let names: Vec<String> = rec.details("error").iter().map(|e| get_str(e, "name")).collect();
    assert_eq!(names, ["MalformedFrame", "MalformedFrame", "MalformedFrame", "MalformedFrame", "ServiceError"]);
    for e in rec.details("error") {
        assert!(e.is_instance_of::<js_sys::Error>());
        assert!(get_str(&e, "message").len() < 300, "messages quote frames briefly");
    }
    assert_exactly_once(&rec, &sent);
    assert_eq!(session.state(), "connected");
    session.close();
}

#[wasm_bindgen_test]
async fn duplicates_from_the_service_are_delivered_once() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat, r#"{"orderWindowMs":100}"#).await;
    control(
        chat.base,
        &format!("/emulator/contacts/{}/faults", chat.contact_id),
        r#"{"DuplicateRate":1,"ReorderRate":0.5}"#,
    )
    .await;
    let mut sent = Vec::new();
    for i in 0..40 {
        sent.push(chat.agent_says(&format!("dup {i}")).await);
    }
    control(
        chat.base,
        &format!("/emulator/contacts/{}/faults", chat.contact_id),
        r#"{"DuplicateRate":0,"ReorderRate":0}"#,
    )
    .await;
    rec.wait_for("all of them", 5_000, |r| r.count("message") >= sent.len()).await;
    sleep(300).await;
    assert_exactly_once(&rec, &sent);
    assert_time_ordered(&rec);
    session.close();
}

/// Counts the timers, sockets and page listeners created from now on (test instrumentation).
fn instrument() -> JsValue {
    let f = Function::new_no_args(
        r#"
        const g = globalThis, p = { timers: new Set(), sockets: [], listeners: 0 };
        const st = g.setTimeout, ct = g.clearTimeout;
        g.setTimeout = function (f, ms, ...a) {
          const id = st.call(g, (...x) => { p.timers.delete(id); return f(...x); }, ms, ...a);
          p.timers.add(id); return id;
        };
        g.clearTimeout = function (id) { p.timers.delete(id); return ct.call(g, id); };
        const WS = g.WebSocket;
        g.WebSocket = class extends WS { constructor(u, pr) { super(u, pr); p.sockets.push(this); } };
        for (const t of [window, document]) {
          const add = t.addEventListener, rm = t.removeEventListener;
          t.addEventListener = function (...a) { p.listeners++; return add.apply(this, a); };
          t.removeEventListener = function (...a) { p.listeners--; return rm.apply(this, a); };
        }
        p.restore = () => {
          g.setTimeout = st; g.clearTimeout = ct; g.WebSocket = WS;
          for (const t of [window, document]) { delete t.addEventListener; delete t.removeEventListener; }
        };
        p.report = () => ({ timers: p.timers.size, open: p.sockets.filter((s) => s.readyState < 2).length, sockets: p.sockets.length, listeners: p.listeners });
        return p;
        "#,
    );
    f.call0(&JsValue::NULL).unwrap()
}

fn report(probe: &JsValue) -> (f64, f64, f64, f64) {
    let r: Function = Reflect::get(probe, &"report".into()).unwrap().unchecked_into();
    let v = r.call0(probe).unwrap();
    let n = |k: &str| get(&v, k).as_f64().unwrap();
    (n("timers"), n("open"), n("sockets"), n("listeners"))
}

#[wasm_bindgen_test]
async fn close_leaves_no_timers_sockets_or_listeners_behind() {
    let chat = start_chat(short_ttl_emulator()).await;
    let probe = instrument();
    let (session, rec) = connected(&chat, "{}").await;
    chat.agent_says("hello").await;
    rec.wait_for("a renewal", 5_000, |r| r.count("renewed") >= 1).await;
    let (timers, open, sockets, listeners) = report(&probe);
    // Just after a renewal the replaced socket may still be open, until its barrier heartbeat comes back.
    assert!(
        timers >= 1.0 && (1.0..=2.0).contains(&open) && sockets >= 2.0 && listeners >= 2.0,
        "while connected: {timers} {open} {sockets} {listeners}"
    );
    session.close();
    let (timers, open, _, listeners) = report(&probe);
    let restore: Function = Reflect::get(&probe, &"restore".into()).unwrap().unchecked_into();
    restore.call0(&probe).unwrap();
    assert_eq!((timers, open, listeners), (0.0, 0.0, 0.0), "after close(): timers, open sockets, page listeners");
}

#[wasm_bindgen_test]
async fn a_listener_that_closes_the_session_leaves_nothing_behind_and_the_ended_chat_neither() {
    // close() from inside a `reconnecting` listener: the rest of that batch (the replacement socket)
    // is not carried out.
    let chat = start_chat(emulator()).await;
    let probe = instrument();
    let session = ChatSession::new(options(&chat, BRISK)).unwrap();
    settle(session.connect()).await.unwrap();
    let s = std::rc::Rc::new(session);
    let closer = s.clone();
    let on_reconnecting = Closure::<dyn Fn(JsValue)>::new(move |_| closer.close());
    s.add_event_listener("reconnecting".into(), on_reconnecting.as_ref().clone(), JsValue::UNDEFINED).unwrap();
    control(chat.base, &format!("/emulator/contacts/{}/drop", chat.contact_id), "{}").await;
    sleep(1_000).await;
    assert_eq!(s.state(), "closed");
    let (timers, open, _, listeners) = report(&probe);
    assert_eq!(
        (timers, open, listeners),
        (0.0, 0.0, 0.0),
        "after close() in a listener: timers, open sockets, page listeners"
    );
    // A chat that ends by itself (the agent ends it) lets go of the page too, without close().
    let chat = start_chat(emulator()).await;
    let (ended, rec) = connected(&chat, BRISK).await;
    chat.agent_event("application/vnd.amazonaws.connect.event.chat.ended").await;
    rec.wait_for("the end", 5_000, |r| r.count("item") >= 1).await;
    sleep(100).await;
    assert_eq!(ended.state(), "ended");
    let (timers, open, _, listeners) = report(&probe);
    let restore: Function = Reflect::get(&probe, &"restore".into()).unwrap().unchecked_into();
    restore.call0(&probe).unwrap();
    assert_eq!(
        (timers, open, listeners),
        (0.0, 0.0, 0.0),
        "after the chat ended: timers, open sockets, page listeners"
    );
}

#[wasm_bindgen_test]
async fn calls_are_not_retried_after_close() {
    let chat = start_chat(emulator()).await;
    let (session, _) = connected(&chat, r#"{"retry":{"maxAttempts":10,"initialDelayMs":300,"maxDelayMs":300}}"#).await;
    chat.fail_next("SendMessage", 500, 1).await;
    let sent = session.send_message("never retried".into(), JsValue::UNDEFINED);
    sleep(100).await;
    session.close();
    let err = settle(sent).await.unwrap_err();
    assert_eq!(get_str(&err, "name"), "SessionEnded");
    sleep(400).await;
    assert!(chat.transcript().await.iter().all(|i| get_str(i, "Content") != "never retried"));
}

#[wasm_bindgen_test]
async fn a_reloaded_page_resumes_the_chat_and_fills_the_gap() {
    let chat = start_chat(emulator()).await;
    let persist = r#"{"persist":"resume-test","heartbeatIntervalMs":1000}"#;
    let (first, rec1) = connected(&chat, persist).await;
    let mut sent = vec![chat.agent_says("before reload").await];
    rec1.wait_for("the first message", 5_000, |r| r.count("message") == 1).await;
    // The page goes away: `pagehide` saves the position.
    let window = web_sys::window().unwrap();
    window.dispatch_event(&web_sys::Event::new("pagehide").unwrap()).unwrap();
    first.close();
    let during: Vec<String> = vec![chat.agent_says("during reload 1").await, chat.agent_says("during reload 2").await];
    sent.extend(during.iter().cloned());
    let (second, rec2) = connected(&chat, persist).await;
    rec2.wait_for("the missed messages", 5_000, |r| r.count("message") >= 2).await;
    sleep(300).await;
    assert_eq!(message_ids(&rec2), during, "the gap and nothing older");
    second.close();
    web_sys::window().unwrap().session_storage().unwrap().unwrap().remove_item("resume-test").unwrap();
}

/// A small seeded generator, so a chaos run can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[wasm_bindgen_test]
async fn chaos_thousands_of_messages_through_drops_stalls_throttling_and_duplicates() {
    const MESSAGES: usize = 2_000;
    let seed = option_env!("CHAOS_SEED").and_then(|s| s.parse().ok()).unwrap_or(20_261_124u64);
    let mut rng = Rng(seed | 1);
    let chat = start_chat(emulator()).await;
    let extra = r#"{"heartbeatIntervalMs":1000,"orderWindowMs":300,"reconnect":{"initialDelayMs":50,"maxDelayMs":500},"retry":{"initialDelayMs":20,"maxDelayMs":200}}"#;
    let (session, rec) = connected(&chat, extra).await;
    let contact = format!("/emulator/contacts/{}", chat.contact_id);
    control(chat.base, &format!("{contact}/faults"), r#"{"DuplicateRate":0.05,"ReorderRate":0.05}"#).await;
    let mut sent = Vec::with_capacity(MESSAGES);
    let mut faults: HashMap<&str, usize> = HashMap::new();
    for i in 0..MESSAGES {
        sent.push(chat.agent_says(&format!("chaos {i}")).await);
        if i % 40 == 39 {
            let fault = match rng.next(5) {
                0 => "drop",
                1 => "stall",
                2 => "throttle",
                3 => "malformed",
                _ => "none",
            };
            match fault {
                "drop" => drop(control(chat.base, &format!("{contact}/drop"), "{}").await),
                "stall" => drop(control(chat.base, &format!("{contact}/stall"), "{}").await),
                "throttle" => {
                    control(chat.base, "/emulator/faults/connection", r#"{"Status":429,"Count":2}"#).await;
                    control(chat.base, &format!("{contact}/drop"), "{}").await;
                }
                "malformed" => {
                    drop(control(chat.base, &format!("{contact}/malformed"), r#"{"Kind":"not-json"}"#).await)
                }
                _ => {}
            }
            *faults.entry(fault).or_default() += 1;
        }
    }
    control(chat.base, &format!("{contact}/faults"), r#"{"DuplicateRate":0,"ReorderRate":0}"#).await;
    rec.wait_for("every message", 60_000, |r| r.count("message") >= MESSAGES).await;
    rec.wait_for("connected at the end", 10_000, |_| session.state() == "connected").await;
    sleep(500).await;
    assert_exactly_once(&rec, &sent);
    assert_time_ordered(&rec);
    assert_eq!(rec.count("message"), MESSAGES);
    assert_eq!(rec.count("connection-lost"), 0);
    console_log!(
        "chaos (seed {seed}): {} messages sent, {} delivered once each, in order; faults {:?}; {} reconnecting events, {} connected, {} renewed, {} errors",
        sent.len(),
        rec.count("message"),
        faults,
        rec.count("reconnecting"),
        rec.count("connected"),
        rec.count("renewed"),
        rec.count("error"),
    );
    session.close();
}

#[wasm_bindgen_test]
async fn a_page_back_from_the_back_forward_cache_reconnects_and_fills_the_gap() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat, BRISK).await;
    let mut sent = vec![chat.agent_says("before leaving").await];
    rec.wait_for("the first message", 5_000, |r| r.count("message") == 1).await;
    // Leaving the page closes the socket and timers (nothing left behind, and the page may be cached).
    let window = web_sys::window().unwrap();
    window.dispatch_event(&web_sys::Event::new("pagehide").unwrap()).unwrap();
    assert_eq!(session.state(), "closed");
    sent.push(chat.agent_says("while cached 1").await);
    sent.push(chat.agent_says("while cached 2").await);
    let restored = Function::new_no_args("return new PageTransitionEvent('pageshow', { persisted: true })")
        .call0(&JsValue::NULL)
        .unwrap();
    window.dispatch_event(restored.unchecked_ref()).unwrap();
    rec.wait_for("reconnected with the gap filled", 5_000, |r| r.count("message") == 3 && r.count("connected") == 2)
        .await;
    assert_exactly_once(&rec, &sent);
    assert_eq!(message_ids(&rec), sent);
    assert_eq!(session.state(), "connected");
    session.close();
}

#[wasm_bindgen_test]
async fn back_online_reconnects_at_once_instead_of_waiting_out_the_backoff() {
    let chat = start_chat(emulator()).await;
    // A long backoff: without `online`, the second attempt would come 20 s after the first failed.
    let slow = r#"{"heartbeatIntervalMs":1000,"reconnect":{"initialDelayMs":20000,"maxDelayMs":20000}}"#;
    let (session, rec) = connected(&chat, slow).await;
    // An outage: the socket drops and new ones are refused for a second.
    control(chat.base, &format!("/emulator/contacts/{}/drop", chat.contact_id), r#"{"RefuseMs":1000}"#).await;
    // The immediate first attempt fails; the next one is scheduled after the long delay.
    rec.wait_for("a reconnect scheduled after the backoff", 5_000, |r| {
        r.details("reconnecting").iter().any(|d| get(d, "delayMs").as_f64().unwrap_or(0.0) >= 10_000.0)
    })
    .await;
    assert_eq!(session.state(), "reconnecting");
    sleep(1_200).await;
    // The outage is over and the page's `online` event says so: the wait is cut short.
    web_sys::window().unwrap().dispatch_event(&web_sys::Event::new("online").unwrap()).unwrap();
    rec.wait_for("connected again without waiting 20 s", 3_000, |r| r.count("connected") == 2).await;
    assert_eq!(session.state(), "connected");
    // After `close()` the page listeners are gone: another `online` does nothing.
    session.close();
    web_sys::window().unwrap().dispatch_event(&web_sys::Event::new("online").unwrap()).unwrap();
    sleep(200).await;
    assert_eq!(session.state(), "closed");
    assert_eq!(rec.count("connected"), 2);
}

/// A persistent chat: the customer comes back to a chat that ended (StartChatContact's PersistentChat,
/// through the emulator's start-chat with `SourceContactId`). `rehydrated` arrives; `getTranscript` pages
/// back through the earlier contact's items, more than one page of them, each once and marked with the
/// contact they were sent on; and after a drop the gap fill brings exactly what the new contact missed,
/// none of the history again.
#[wasm_bindgen_test]
async fn a_continued_chat_pages_back_through_the_earlier_contact_and_fills_only_its_own_gap() {
    let first = start_chat(emulator()).await;
    control(first.base, &format!("/emulator/contacts/{}/burst", first.contact_id), r#"{"Count":150}"#).await;
    first.agent_event("application/vnd.amazonaws.connect.event.chat.ended").await;
    let body = format!(r#"{{"DisplayName":"Customer","SourceContactId":"{}"}}"#, first.contact_id);
    let started = post_json(&format!("{}/emulator/start-chat", first.base), &body).await;
    let chat = Chat {
        base: first.base,
        contact_id: get_str(&started, "ContactId"),
        participant_token: get_str(&started, "ParticipantToken"),
    };
    assert_eq!(get_str(&started, "ContinuedFromContactId"), first.contact_id);
    let session = ChatSession::new(options(&chat, BRISK)).unwrap();
    let rec = Recorder::attach(&session, &["message", "connected", "rehydrated"]);
    settle(session.connect()).await.expect("connect() resolves");
    let mine = vec![chat.agent_says("welcome back").await];
    rec.wait_for("the new contact's message and rehydrated", 5_000, |r| {
        r.count("message") == 1 && r.count("rehydrated") == 1
    })
    .await;

    // Back through the history, a page of at most 100 at a time.
    let mut earlier = Vec::new();
    let mut next: Option<String> = None;
    let mut pages = 0;
    loop {
        let options =
            js_sys::JSON::parse(r#"{"scanDirection":"BACKWARD","sortOrder":"ASCENDING","maxResults":100}"#).unwrap();
        if let Some(token) = &next {
            Reflect::set(&options, &"nextToken".into(), &token.into()).unwrap();
        }
        let page = settle(session.get_transcript(options)).await.expect("GetTranscript");
        assert_eq!(get_str(&page, "InitialContactId"), chat.contact_id);
        pages += 1;
        let items: Vec<JsValue> = js_sys::Array::from(&get(&page, "Transcript")).iter().collect();
        for item in items.iter().rev() {
            if get_str(item, "Type") == "MESSAGE" && get_str(item, "RelatedContactId") == first.contact_id {
                earlier.push(get_str(item, "Content"));
            }
        }
        next = get(&page, "NextToken").as_string();
        if next.is_none() {
            break;
        }
    }
    assert!(pages >= 2, "150 earlier messages take more than one page ({pages})");
    earlier.reverse();
    let burst: Vec<String> = (0..150).map(|i| format!("burst {i}")).collect();
    assert_eq!(earlier.len(), 150, "each earlier message once");
    assert!(earlier.iter().all(|c| c.starts_with("burst ")), "the earlier contact's messages: {:?}", &earlier[..3]);
    assert_eq!(earlier.iter().collect::<std::collections::HashSet<_>>().len(), burst.len());

    // A drop: the fill brings the new contact's missed messages only.
    control(chat.base, &format!("/emulator/contacts/{}/drop", chat.contact_id), "{}").await;
    let mut sent = mine.clone();
    for i in 0..3 {
        sent.push(chat.agent_says(&format!("missed {i}")).await);
    }
    rec.wait_for("reconnected and filled", 10_000, |r| r.count("message") >= sent.len() && r.count("connected") == 2)
        .await;
    sleep(300).await;
    assert_eq!(message_ids(&rec), sent, "the gap, in order, and none of the history");
    session.close();
}
