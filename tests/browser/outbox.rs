//! The outbox (README, "The outbox"): sends made while the connection is down wait, go out once it is
//! back in the order made, and reach the service exactly once (checked in the emulator's transcript),
//! across dropped sockets, refused reconnects, failing calls and a page reload.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use connect_chat_wasm::ChatSession;

use super::support::*;

async fn connected(chat: &Chat, extra: &str) -> (ChatSession, Recorder) {
    let session = ChatSession::new(options(chat, extra)).unwrap();
    let rec = Recorder::attach(&session, &["send-status", "connected", "reconnecting"]);
    settle(session.connect()).await.expect("connect() resolves");
    (session, rec)
}

impl Chat {
    /// The contact's sockets close abruptly, and new ones are refused for `refuse_ms`: an outage.
    async fn outage(&self, refuse_ms: u32) {
        control(
            self.base,
            &format!("/emulator/contacts/{}/drop", self.contact_id),
            &format!(r#"{{"RefuseMs":{refuse_ms}}}"#),
        )
        .await;
    }

    /// The customer's messages in the emulator's transcript, oldest first (an attachment as
    /// `file:<name>`).
    async fn customer_messages(&self) -> Vec<String> {
        self.transcript()
            .await
            .iter()
            .filter(|i| get_str(i, "ParticipantRole") == "CUSTOMER")
            .filter_map(|i| match get_str(i, "Type").as_str() {
                "MESSAGE" => Some(get_str(i, "Content")),
                "ATTACHMENT" => {
                    Some(format!("file:{}", get_str(&Array::from(&get(i, "Attachments")).get(0), "AttachmentName")))
                }
                _ => None,
            })
            .collect()
    }
}

fn statuses(rec: &Recorder, status: &str) -> usize {
    rec.details("send-status").iter().filter(|d| get_str(d, "status") == status).count()
}

async fn wait_until(what: &str, timeout_ms: i32, cond: impl Fn() -> bool) {
    let mut waited = 0;
    while !cond() {
        assert!(waited < timeout_ms, "timed out after {timeout_ms} ms waiting for {what}");
        sleep(20).await;
        waited += 20;
    }
}

const FAST: &str =
    r#"{"reconnect":{"initialDelayMs":50,"maxDelayMs":200},"retry":{"initialDelayMs":20,"maxDelayMs":100}}"#;

#[wasm_bindgen_test]
async fn two_hundred_messages_across_outages_and_failing_calls_arrive_once_each_in_order() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat, FAST).await;
    let promises = Array::new();
    let mut expected = Vec::new();
    for i in 0..200 {
        if i % 40 == 10 {
            // The sockets drop and reconnecting is refused for a while: what is typed meanwhile waits.
            chat.outage(300).await;
        }
        if i % 40 == 30 {
            // The service fails calls now and then: retried with the same ClientToken.
            chat.fail_next("SendMessage", 500, 3).await;
        }
        let text = format!("outbox {i:03}");
        promises.push(&session.send_message(text.clone().into(), JsValue::UNDEFINED));
        expected.push(text);
        if i % 7 == 0 {
            sleep(5).await;
        }
    }
    let results = settle(Promise::all(&promises)).await.expect("every send resolves");
    let ids: std::collections::HashSet<String> = Array::from(&results).iter().map(|r| get_str(&r, "Id")).collect();
    assert_eq!(ids.len(), 200, "each its own item");
    assert!(rec.count("reconnecting") >= 5, "the outages happened: {:?}", rec.kinds());
    assert!(statuses(&rec, "queued") > 200, "some were queued again after a failure");
    assert_eq!(statuses(&rec, "sent"), 200);
    assert_eq!(chat.customer_messages().await, expected, "each exactly once, in the order typed");
    assert_eq!(Array::from(&session.pending()).length(), 0);
    session.close();
}

#[wasm_bindgen_test]
async fn a_send_made_while_reconnecting_waits_for_the_connection_and_without_the_outbox_goes_at_once() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat, FAST).await;
    chat.outage(1_500).await;
    wait_until("reconnecting", 3_000, || session.state() == "reconnecting").await;
    let sent = session.send_message("typed offline".into(), JsValue::UNDEFINED);
    let pending = Array::from(&session.pending());
    assert_eq!(pending.length(), 1);
    let entry = pending.get(0);
    assert_eq!(get_str(&entry, "status"), "queued");
    assert_eq!(get_str(&entry, "content"), "typed offline");
    assert_eq!(get_str(&entry, "contentType"), "text/plain");
    let token = get_str(&entry, "clientToken");
    assert_eq!(token.len(), 36);
    sleep(300).await;
    assert!(chat.customer_messages().await.is_empty(), "nothing went out while reconnecting");
    let answer = settle(sent).await.expect("sent once connected");
    assert_eq!(session.state(), "connected");
    let sent_status = rec.details("send-status").into_iter().find(|d| get_str(d, "status") == "sent").unwrap();
    assert_eq!(get_str(&sent_status, "clientToken"), token);
    assert_eq!(get_str(&sent_status, "id"), get_str(&answer, "Id"));
    session.close();

    // `outbox: false`: today's behaviour, the call goes out at once (and here succeeds, the token being valid).
    let (direct, _) = connected(&chat, r#"{"outbox":false,"reconnect":{"initialDelayMs":50,"maxDelayMs":200}}"#).await;
    chat.outage(1_500).await;
    wait_until("reconnecting", 3_000, || direct.state() == "reconnecting").await;
    settle(direct.send_message("sent at once".into(), JsValue::UNDEFINED)).await.expect("not queued");
    assert_eq!(direct.state(), "reconnecting");
    assert_eq!(Array::from(&direct.pending()).length(), 0);
    direct.close();
}

#[wasm_bindgen_test]
async fn what_waits_when_the_chat_ends_is_failed_listed_and_can_be_dropped() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat, FAST).await;
    chat.outage(5_000).await;
    wait_until("reconnecting", 3_000, || session.state() == "reconnecting").await;
    let a = session.send_message("never a".into(), JsValue::UNDEFINED);
    let b = session
        .send_event("application/vnd.amazonaws.connect.event.connection.acknowledged".into(), JsValue::UNDEFINED);
    assert_eq!(Array::from(&session.pending()).length(), 2, "the event waits too");
    settle(session.disconnect()).await.expect("disconnect resolves");
    let err = settle(a).await.unwrap_err();
    assert_eq!(error_parts(&err).0, "SessionEnded");
    assert_eq!(get_str(&err, "clientToken"), get_str(&Array::from(&session.pending()).get(0), "clientToken"));
    assert_eq!(error_parts(&settle(b).await.unwrap_err()).0, "SessionEnded");
    let pending = Array::from(&session.pending());
    assert_eq!(pending.length(), 2);
    let first = pending.get(0);
    assert_eq!(get_str(&first, "status"), "failed");
    assert_eq!(get_str(&get(&first, "error"), "name"), "SessionEnded");
    assert!(get(&first, "error").is_instance_of::<js_sys::Error>());
    assert_eq!(statuses(&rec, "failed"), 2);
    let err = settle(session.retry_pending(&get_str(&first, "clientToken"))).await.unwrap_err();
    assert_eq!(get_str(&err, "name"), "InvalidArgument", "the chat is over");
    assert!(session.drop_pending(&get_str(&first, "clientToken")));
    assert!(!session.drop_pending("no-such-token"));
    assert_eq!(Array::from(&session.pending()).length(), 1);
    assert!(chat.customer_messages().await.is_empty());
}

#[wasm_bindgen_test]
async fn a_reloaded_page_sends_what_the_first_left_queued_once_each_in_order() {
    let chat = start_chat(emulator()).await;
    let persist =
        format!(r#"{{"persist":"outbox-{}","reconnect":{{"initialDelayMs":50,"maxDelayMs":200}}}}"#, chat.contact_id);
    let (first, rec) = connected(&chat, &persist).await;
    // Each send takes a while, so the page goes away with some sent, one in flight and the rest queued.
    control(chat.base, "/emulator/faults/api", r#"{"Operation":"SendMessage","Status":0,"Count":1000,"DelayMs":150}"#)
        .await;
    let mut expected = Vec::new();
    let promises = Array::new();
    for i in 0..20 {
        let text = format!("reload {i:02}");
        promises.push(&first.send_message(text.clone().into(), JsValue::UNDEFINED));
        expected.push(text);
    }
    wait_until("five sent", 10_000, || statuses(&rec, "sent") >= 5).await;
    let stored = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .get_item(&format!("outbox-{}.outbox", chat.contact_id))
        .unwrap()
        .expect("the queue is kept in sessionStorage");
    assert!(stored.contains("reload 19"));
    assert!(!stored.contains(&chat.participant_token), "no token in storage");
    drop(first);
    let left = Array::from(&settle(Promise::all_settled(&promises)).await.unwrap());
    let rejected = left.iter().filter(|r| get_str(r, "status") == "rejected").count();
    assert!(rejected > 0 && rejected < 20, "the first page's waiting Promises settle: {rejected}");
    control(chat.base, "/emulator/faults/api", r#"{"Operation":"SendMessage","Status":0,"Count":0}"#).await;

    // The next page of the chat, with the same persist key.
    let second = ChatSession::new(options(&chat, &persist)).unwrap();
    let rec2 = Recorder::attach(&second, &["send-status"]);
    settle(second.connect()).await.expect("connect() resolves");
    assert!(rec2.count("send-status") > 0);
    wait_until("the rest sent", 10_000, || Array::from(&second.pending()).length() == 0).await;
    assert!(statuses(&rec2, "sent") >= rejected - 1, "the restored ones, sent by the second page");
    // The one in flight when the first page went may have reached the service and been sent again: the
    // same ClientToken makes it one item.
    sleep(300).await;
    assert_eq!(chat.customer_messages().await, expected, "each exactly once, in the order typed");
    second.close();
    let storage = web_sys::window().unwrap().session_storage().unwrap().unwrap();
    assert_eq!(
        storage.get_item(&format!("outbox-{}.outbox", chat.contact_id)).unwrap(),
        None,
        "an empty queue is not kept"
    );
}

fn text_file(name: &str, text: &str) -> JsValue {
    let bag = web_sys::FilePropertyBag::new();
    bag.set_type("text/plain");
    web_sys::File::new_with_str_sequence_and_options(&Array::of1(&text.into()), name, &bag).unwrap().into()
}

#[wasm_bindgen_test]
async fn an_attachment_made_offline_waits_its_turn_and_goes_once_also_after_a_reload() {
    let chat = start_chat(emulator()).await;
    let persist = format!(
        r#"{{"persist":"outbox-file-{}","reconnect":{{"initialDelayMs":50,"maxDelayMs":200}}}}"#,
        chat.contact_id
    );
    let (first, _) = connected(&chat, &persist).await;
    chat.outage(1_000).await;
    wait_until("reconnecting", 3_000, || first.state() == "reconnecting").await;
    let before = first.send_message("before the file".into(), JsValue::UNDEFINED);
    let file = first.send_attachment(text_file("notes.txt", "kept while offline"));
    let after = first.send_message("after the file".into(), JsValue::UNDEFINED);
    let pending = Array::from(&first.pending());
    assert_eq!(pending.length(), 3);
    let entry = pending.get(1);
    assert_eq!((get_str(&entry, "contentType"), get_str(&entry, "content")), ("text/plain".into(), "notes.txt".into()));
    settle(before).await.unwrap();
    let sent = settle(file).await.expect("the file goes once connected");
    assert!(!get_str(&sent, "AttachmentId").is_empty());
    settle(after).await.unwrap();
    assert_eq!(chat.customer_messages().await, ["before the file", "file:notes.txt", "after the file"]);

    // Queued, then the page goes away: the next page finds the file in IndexedDB and sends it.
    chat.outage(2_000).await;
    wait_until("reconnecting", 3_000, || first.state() == "reconnecting").await;
    let _ = first.send_attachment(text_file("reloaded.txt", "kept across a reload"));
    sleep(200).await;
    drop(first);
    sleep(2_000).await;
    let second = ChatSession::new(options(&chat, &persist)).unwrap();
    let rec = Recorder::attach(&second, &["send-status"]);
    settle(second.connect()).await.expect("connect() resolves");
    wait_until("the file sent", 10_000, || statuses(&rec, "sent") == 1).await;
    assert_eq!(
        chat.customer_messages().await,
        ["before the file", "file:notes.txt", "after the file", "file:reloaded.txt"],
        "each once, in order"
    );
    let id = get_str(&rec.details("send-status").into_iter().find(|d| get_str(d, "status") == "sent").unwrap(), "id");
    let blob: web_sys::Blob = settle(second.download_attachment(id.into())).await.unwrap().into();
    let text = settle(blob.text()).await.unwrap().as_string().unwrap();
    assert_eq!(text, "kept across a reload");
    second.close();
}

/// A send the service refuses for good (ValidationException, 400, injected by the emulator: no retry gets
/// past it) fails at once, stays listed in `pending` with its error, and `retryPending` sends it (with its
/// ClientToken) once the service takes it: the emulator records it once, when retried (a failed send
/// holds up none typed after it). One dropped instead never reaches the service.
#[wasm_bindgen_test]
async fn a_send_the_service_refuses_stays_pending_and_is_retried_or_dropped() {
    let chat = start_chat(emulator()).await;
    let (session, rec) = connected(&chat, FAST).await;
    chat.fail_next("SendMessage", 400, 2).await;
    let refused = settle(session.send_message("refused, then retried".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(error_parts(&refused), ("ValidationException".to_owned(), 400.0, false));
    let dropped = settle(session.send_message("refused, then dropped".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(error_parts(&dropped).0, "ValidationException");
    let pending = Array::from(&session.pending());
    assert_eq!(pending.length(), 2, "both listed");
    let (first, second) = (pending.get(0), pending.get(1));
    assert_eq!(get_str(&first, "content"), "refused, then retried");
    assert_eq!(get_str(&first, "status"), "failed");
    assert_eq!(get_str(&get(&first, "error"), "name"), "ValidationException");
    assert_eq!(get_str(&refused, "clientToken"), get_str(&first, "clientToken"));
    assert_eq!(statuses(&rec, "failed"), 2);
    settle(session.send_message("after them".into(), JsValue::UNDEFINED)).await.expect("the service takes it");

    let sent = settle(session.retry_pending(&get_str(&first, "clientToken"))).await.expect("the retry is taken");
    assert!(!get_str(&sent, "Id").is_empty());
    assert!(session.drop_pending(&get_str(&second, "clientToken")));
    assert_eq!(Array::from(&session.pending()).length(), 0, "nothing left pending");
    assert_eq!(chat.customer_messages().await, ["after them", "refused, then retried"], "each once; the dropped never");
    session.close();
}
