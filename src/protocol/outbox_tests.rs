//! The outbox's rules (`session/outbox.rs`), each driven with a fake clock.

use serde_json::{json, Value};

use super::error::ChatError;
use super::session::{Action, Event, RequestId, SendKind, SendStatus, Session, State};
use super::session_tests::{only_open, only_request, Harness};

fn body(token: &str) -> String {
    json!({"ContentType": "text/plain", "Content": format!("text of {token}"), "ClientToken": token}).to_string()
}

fn queue(h: &mut Harness, token: &str) -> bool {
    h.s.queue_send(h.now, token.to_owned(), SendKind::Message, body(token))
}

/// The sends an action batch asks for: (request, the ClientToken in its body).
fn sends(actions: &[Action<Value>]) -> Vec<(RequestId, String)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::SendQueued { request, body, .. } => {
                let b: Value = serde_json::from_str(body).unwrap();
                Some((*request, b["ClientToken"].as_str().unwrap().to_owned()))
            }
            _ => None,
        })
        .collect()
}

fn only_send(actions: &[Action<Value>]) -> (RequestId, String) {
    let s = sends(actions);
    assert_eq!(s.len(), 1, "{actions:?}");
    s.into_iter().next().unwrap()
}

fn settled(actions: &[Action<Value>]) -> Vec<(String, Result<Value, String>)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::SendSettled { token, result } => Some((token.clone(), result.clone().map_err(|e| e.name.clone()))),
            _ => None,
        })
        .collect()
}

fn statuses(actions: &[Action<Value>]) -> Vec<(String, SendStatus)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Emit(Event::SendStatus { token, status, .. }) => Some((token.clone(), *status)),
            _ => None,
        })
        .collect()
}

fn ok(id: &str) -> Result<Value, ChatError> {
    Ok(json!({"Id": id, "AbsoluteTime": "2023-11-14T22:13:20.000Z"}))
}

fn server_error() -> ChatError {
    ChatError::new("InternalServerException", "boom", 500, true)
}

fn refused() -> ChatError {
    ChatError::new("ValidationException", "no", 400, false)
}

/// Answers every send in `actions` (and the ones that follow) with success, until none is asked for;
/// the ClientTokens in the order sent.
fn answer_all(h: &mut Harness, mut actions: Vec<Action<Value>>) -> Vec<String> {
    let mut order = Vec::new();
    while let Some((req, token)) = sends(&actions).into_iter().next() {
        order.push(token.clone());
        h.s.send_finished(h.now, req, ok(&format!("id-{token}")));
        actions = h.take();
    }
    order
}

/// Connects again after a close or a suspension (the URL may be reused): the actions once subscribed.
fn reconnect(h: &mut Harness, mut acts: Vec<Action<Value>>) -> Vec<Action<Value>> {
    if let Some(req) = acts.iter().find_map(|a| match a {
        Action::CreateConnection { request, .. } => Some(*request),
        _ => None,
    }) {
        let conn = h.connection("wss://two", 100_000, 86_400_000);
        h.s.connection_created(h.now, h.now, req, Ok(conn));
        acts = h.take();
    }
    let sock = only_open(&acts);
    h.s.socket_opened(h.now, sock);
    h.ack(sock);
    h.take()
}

fn pending(h: &Harness) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(&h.s.outbox_json()).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| (e["clientToken"].as_str().unwrap().to_owned(), e["status"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn nothing_is_queued_before_connect_after_close_or_once_ended() {
    let mut h = Harness::new();
    assert!(!queue(&mut h, "a"), "idle: the shell calls at once and gets InvalidState");
    h.connected(100_000);
    h.s.close();
    assert!(!queue(&mut h, "b"));
    let mut h = Harness::new();
    h.connected(100_000);
    h.s.end();
    assert!(!queue(&mut h, "c"));
    assert_eq!(h.s.outbox_json(), "[]");
}

#[test]
fn sends_made_while_connecting_wait_and_go_out_in_order_one_at_a_time() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    let req = only_request(&h.take());
    for t in ["a", "b", "c"] {
        assert!(queue(&mut h, t));
    }
    let acts = h.take();
    assert!(sends(&acts).is_empty(), "not connected yet");
    assert_eq!(
        statuses(&acts),
        [("a".into(), SendStatus::Queued), ("b".into(), SendStatus::Queued), ("c".into(), SendStatus::Queued)]
    );
    let conn = h.connection("wss://one", 100_000, 86_400_000);
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    let sock = only_open(&h.take());
    h.s.socket_opened(h.now, sock);
    h.ack(sock);
    let acts = h.take();
    let (first, token) = only_send(&acts);
    assert_eq!(token, "a", "one in flight, the first typed");
    assert!(statuses(&acts).contains(&("a".into(), SendStatus::Sending)));
    // A send made while others wait goes behind them, even though connected.
    assert!(queue(&mut h, "d"));
    assert!(sends(&h.take()).is_empty(), "still one in flight");
    h.s.send_finished(h.now, first, ok("id-a"));
    let acts = h.take();
    assert_eq!(settled(&acts)[0].0, "a");
    assert!(acts.iter().any(|a| matches!(a, Action::Emit(Event::SendStatus { token, status: SendStatus::Sent, id: Some(id), .. }) if token == "a" && id == "id-a")));
    assert_eq!(answer_all(&mut h, acts), ["b", "c", "d"]);
    assert_eq!(h.s.outbox_json(), "[]");
    assert!(h.s.poll_timeout().is_some(), "heartbeats go on");
}

#[test]
fn sends_made_while_reconnecting_wait_for_the_connection() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.s.socket_closed(h.now, sock, 1006, "");
    assert_eq!(h.s.state(), State::Reconnecting);
    h.take();
    assert!(queue(&mut h, "a"));
    assert!(queue(&mut h, "b"));
    assert!(sends(&h.take()).is_empty());
    h.advance(1_000);
    let again = only_open(&h.take());
    h.s.socket_opened(h.now, again);
    h.ack(again);
    let acts = h.take();
    assert_eq!(answer_all(&mut h, acts), ["a", "b"]);
}

#[test]
fn a_retryable_failure_keeps_its_place_and_is_tried_again_with_the_same_token_after_a_backoff() {
    let mut h = Harness::new();
    h.connected(100_000);
    queue(&mut h, "a");
    queue(&mut h, "b");
    let (req, _) = only_send(&h.take());
    h.s.send_finished(h.now, req, Err(server_error()));
    let acts = h.take();
    assert!(sends(&acts).is_empty(), "b does not overtake a");
    assert!(settled(&acts).is_empty(), "the Promise still waits");
    assert!(acts.iter().any(|a| matches!(a, Action::Emit(Event::SendStatus { status: SendStatus::Queued, error: Some(e), .. }) if e.status == 500)));
    assert_eq!(pending(&h), [("a".into(), "queued".into()), ("b".into(), "queued".into())]);
    h.advance(1_000);
    let acts = h.take();
    let (again, token) = only_send(&acts);
    assert_eq!(token, "a");
    assert_ne!(again, req);
    h.s.send_finished(h.now, again, ok("id-a"));
    let acts = h.take();
    assert_eq!(answer_all(&mut h, acts), ["b"]);
}

#[test]
fn a_retryable_failure_is_tried_again_as_soon_as_the_connection_is_back() {
    let cfg = super::session::Config {
        send_backoff: super::backoff::Backoff { initial_ms: 60_000, max_ms: 60_000 },
        ..Default::default()
    };
    let mut h = Harness::with(cfg);
    let sock = h.connected(100_000);
    queue(&mut h, "a");
    let (req, _) = only_send(&h.take());
    h.s.socket_closed(h.now, sock, 1006, "");
    h.s.send_finished(h.now, req, Err(ChatError::network("offline")));
    h.take();
    h.advance(1_000);
    let again = only_open(&h.take());
    h.s.socket_opened(h.now, again);
    h.ack(again);
    assert_eq!(only_send(&h.take()).1, "a", "not after the minute's backoff");
}

#[test]
fn an_unanswered_send_is_tried_again_with_the_same_token() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.frame(sock, super::frame::HEARTBEAT);
    queue(&mut h, "a");
    let (req, _) = only_send(&h.take());
    h.advance(20_000);
    let acts = h.take();
    let (again, token) = only_send(&acts);
    assert_eq!(token, "a");
    // The first answer, late, is not taken for the second.
    h.s.send_finished(h.now, req, ok("late"));
    assert!(settled(&h.take()).is_empty());
    h.s.send_finished(h.now, again, ok("id-a"));
    assert_eq!(settled(&h.take()).len(), 1);
}

#[test]
fn a_final_failure_stays_listed_does_not_block_the_rest_and_can_be_retried_or_dropped() {
    let mut h = Harness::new();
    h.connected(100_000);
    for t in ["a", "b", "c"] {
        queue(&mut h, t);
    }
    let (req, _) = only_send(&h.take());
    h.s.send_finished(h.now, req, Err(refused()));
    let acts = h.take();
    assert_eq!(settled(&acts), [("a".to_owned(), Err("ValidationException".to_owned()))]);
    assert!(statuses(&acts).contains(&("a".into(), SendStatus::Failed)));
    let (req, token) = only_send(&acts);
    assert_eq!(token, "b");
    h.s.send_finished(h.now, req, Err(refused()));
    let acts = h.take();
    assert_eq!(answer_all(&mut h, acts), ["c"]);
    assert_eq!(pending(&h), [("a".into(), "failed".into()), ("b".into(), "failed".into())]);
    let listed: Value = serde_json::from_str(&h.s.outbox_json()).unwrap();
    assert_eq!(listed[0]["error"]["code"], "ValidationException");
    assert_eq!(listed[0]["error"]["retryable"], false);
    // Retried: at its place, with its token, and a Promise waits again.
    assert!(h.s.retry_pending(h.now, "a"));
    let (req, token) = only_send(&h.take());
    assert_eq!(token, "a");
    assert!(!h.s.drop_pending("a"), "being sent");
    h.s.send_finished(h.now, req, ok("id-a"));
    assert_eq!(settled(&h.take()).len(), 1);
    assert!(h.s.drop_pending("b"));
    assert!(!h.s.drop_pending("b"));
    assert!(!h.s.retry_pending(h.now, "nope"));
    assert_eq!(h.s.outbox_json(), "[]");
}

#[test]
fn dropping_a_queued_send_rejects_its_promise() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    h.take();
    queue(&mut h, "a");
    h.take();
    assert!(h.s.drop_pending("a"));
    assert_eq!(settled(&h.take()), [("a".to_owned(), Err("InvalidState".to_owned()))]);
}

#[test]
fn each_client_token_names_one_entry() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    assert!(queue(&mut h, "a"));
    assert!(!queue(&mut h, "a"));
    assert_eq!(pending(&h).len(), 1);
    // A restored copy of one already queued is skipped too.
    let saved: Value = serde_json::from_str(&h.s.outbox_json()).unwrap();
    h.s.restore_outbox(h.now, &saved);
    assert_eq!(pending(&h).len(), 1);
}

#[test]
fn the_chat_ending_fails_what_waits_and_keeps_it_listed() {
    let mut h = Harness::new();
    h.connected(100_000);
    queue(&mut h, "a");
    queue(&mut h, "b");
    h.take();
    h.s.end();
    let acts = h.take();
    let s = settled(&acts);
    assert_eq!(s.len(), 2);
    assert!(s.iter().all(|(_, r)| r.as_ref().unwrap_err() == "SessionEnded"));
    assert_eq!(pending(&h), [("a".into(), "failed".into()), ("b".into(), "failed".into())]);
    assert!(!h.s.retry_pending(h.now, "a"), "nothing can send it any more");
    assert!(h.s.drop_pending("a"));
}

#[test]
fn close_settles_the_promises_but_keeps_the_entries_for_a_later_connect() {
    let mut h = Harness::new();
    h.connected(100_000);
    queue(&mut h, "a");
    queue(&mut h, "b");
    let (req, _) = only_send(&h.take());
    h.s.close();
    let acts = h.take();
    assert_eq!(settled(&acts).len(), 2);
    assert_eq!(pending(&h), [("a".into(), "queued".into()), ("b".into(), "queued".into())]);
    h.s.send_finished(h.now, req, ok("late"));
    assert!(settled(&h.take()).is_empty());
    h.s.connect(h.now);
    let acts = h.take();
    let acts = reconnect(&mut h, acts);
    let order = answer_all(&mut h, acts);
    assert_eq!(order, ["a", "b"]);
}

#[test]
fn a_suspended_session_keeps_queueing_and_sends_when_it_resumes() {
    let mut h = Harness::new();
    h.connected(100_000);
    assert!(h.s.suspend());
    h.take();
    assert!(queue(&mut h, "a"));
    assert!(sends(&h.take()).is_empty());
    h.s.resume(h.now);
    let acts = h.take();
    let acts = reconnect(&mut h, acts);
    assert_eq!(answer_all(&mut h, acts), ["a"]);
}

#[test]
fn what_a_page_left_queued_is_restored_first_and_sent_without_a_promise() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.s.socket_closed(h.now, sock, 1006, "");
    for t in ["a", "b", "c"] {
        queue(&mut h, t);
    }
    h.take();
    let saved: Value = serde_json::from_str(&h.s.outbox_json()).unwrap();
    assert!(h.s.take_outbox_changed());
    assert!(!h.s.take_outbox_changed());

    // The next page of the chat.
    let mut next = Harness::new();
    next.s.connect(next.now);
    let connecting = next.take();
    queue(&mut next, "d");
    next.s.restore_outbox(next.now, &saved);
    assert!(next.s.take_outbox_changed());
    let acts = next.take();
    assert_eq!(statuses(&acts).len(), 4, "queued: d, then the three restored");
    assert_eq!(pending(&next).iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(), ["a", "b", "c", "d"]);
    next.s.restore_outbox(next.now, &json!("garbage"));
    next.s.restore_outbox(next.now, &json!([{"clientToken": "x"}, 5]));
    assert_eq!(pending(&next).len(), 4, "unreadable entries are skipped");
    let before = next.s.state();
    assert_eq!(before, State::Connecting);
    let mut acts = reconnect(&mut next, connecting);
    let mut order = Vec::new();
    let mut promises = Vec::new();
    while let Some((req, token)) = sends(&acts).into_iter().next() {
        order.push(token.clone());
        next.s.send_finished(next.now, req, ok("x"));
        acts = next.take();
        promises.extend(settled(&acts).into_iter().map(|(t, _)| t));
    }
    assert_eq!(order, ["a", "b", "c", "d"]);
    assert_eq!(promises, ["d"], "only d's page waits for it");
}

#[test]
fn a_failed_entry_is_restored_failed_with_its_error() {
    let mut h = Harness::new();
    h.connected(100_000);
    queue(&mut h, "a");
    let (req, _) = only_send(&h.take());
    h.s.send_finished(h.now, req, Err(refused()));
    let saved: Value = serde_json::from_str(&h.s.outbox_json()).unwrap();
    let mut next: Session<Value> = Session::new(Default::default(), 7);
    next.connect(0);
    next.restore_outbox(0, &saved);
    let v: Value = serde_json::from_str(&next.outbox_json()).unwrap();
    assert_eq!(v[0]["status"], "failed");
    assert_eq!(v[0]["error"]["status"], 400);
    assert_eq!(v[0]["body"].as_str().unwrap(), body("a"));
}

#[test]
fn an_attachment_waits_like_a_message_and_keeps_its_kind_across_a_reload() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    let connecting = h.take();
    let upload =
        json!({"ContentType": "text/plain", "AttachmentName": "a.txt", "AttachmentSizeInBytes": 1, "ClientToken": "f"});
    assert!(h.s.queue_send(h.now, "f".into(), SendKind::Attachment, upload.to_string()));
    assert!(h.s.queue_send(h.now, "e".into(), SendKind::Event, body("e")));
    let saved: Value = serde_json::from_str(&h.s.outbox_json()).unwrap();
    assert_eq!((saved[0]["kind"].as_u64(), saved[1]["kind"].as_u64()), (Some(2), Some(1)));
    let mut next = Harness::new();
    next.s.connect(next.now);
    let connecting_next = next.take();
    next.s.restore_outbox(next.now, &saved);
    for (h, connecting) in [(&mut h, connecting), (&mut next, connecting_next)] {
        let acts = reconnect(h, connecting);
        let kinds: Vec<SendKind> = acts
            .iter()
            .filter_map(|a| match a {
                Action::SendQueued { kind, .. } => Some(*kind),
                _ => None,
            })
            .collect();
        assert_eq!(kinds, [SendKind::Attachment], "one at a time, the file first");
        let (req, _) = only_send(&acts);
        h.s.send_finished(h.now, req, Ok(json!({"AttachmentId": "att-1"})));
        let acts = h.take();
        assert!(acts.iter().any(|a| matches!(a, Action::Emit(Event::SendStatus { status: SendStatus::Sent, id: Some(id), .. }) if id == "att-1")));
        assert_eq!(only_send(&acts).1, "e");
    }
}

#[test]
fn after_connect_gave_up_sends_wait_behind_the_queue_for_the_next_connect() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    assert!(queue(&mut h, "a"), "queued while connecting");
    // The service cannot be reached: connect() gives up after its attempts.
    let busy = ChatError::new("InternalServerException", "oops", 500, true);
    for _ in 0..4 {
        let req = only_request(&h.take());
        h.s.connection_created(h.now, h.now, req, Err(busy.clone()));
        h.advance(1_000);
    }
    assert_eq!(h.s.state(), State::Closed);
    // Typed now: into the queue behind "a", not sent on its own (two sends out at once could arrive in
    // either order).
    assert!(queue(&mut h, "b"));
    assert!(sends(&h.take()).is_empty());
    // The page connects again: "a", then "b".
    let conn = h.connection("wss://one", 100_000, 86_400_000);
    h.s.connect(h.now);
    let req = only_request(&h.take());
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    let sock = only_open(&h.take());
    h.s.socket_opened(h.now, sock);
    h.take();
    h.ack(sock);
    let (first, token) = only_send(&h.take());
    assert_eq!(token, "a");
    h.s.send_finished(h.now, first, ok("id-a"));
    let (_, token) = only_send(&h.take());
    assert_eq!(token, "b");
    // After close() the outbox is shut again (a send goes out on its own, or fails, as before).
    h.s.close();
    assert!(!queue(&mut h, "c"));
}
