//! `shareAcrossTabs` in the core: a follower opens no socket and takes relayed frames in; a follower
//! promoted to leader connects and fills the gap; a follower that sees a new leader fills its own.

use serde_json::{json, Value};

use super::api::{read_connection, read_transcript, Connection};
use super::frame::{decode, HEARTBEAT, SUBSCRIBE};
use super::session::{Action, Event, State};
use super::session_tests::{
    events, item_ids, item_json, only_open, opens, requests, sends, transcript_requests, Harness, T0,
};
use super::time::format_iso8601;

fn credentials(h: &Harness) -> Connection {
    read_connection(&json!({"ConnectionCredentials": {"ConnectionToken": "follower-token",
        "Expiry": format_iso8601(h.now + 86_400_000)}}))
    .unwrap()
}

fn relay(h: &mut Harness, id: &str, at: super::time::Millis) {
    let frame = json!({"topic": "aws/chat", "contentType": "application/json",
        "content": item_json(id, at).to_string()});
    let f = decode::<Value>(&frame.to_string()).unwrap();
    h.s.relayed_frame(&super::time::Now::at(h.now), f);
}

/// The one request, for credentials only.
fn cred_request(acts: &[Action<Value>]) -> super::session::RequestId {
    match requests(acts).as_slice() {
        [(id, true)] => *id,
        other => panic!("expected one credentials-only request: {other:?}"),
    }
}

/// A follower connected: credentials only, no socket.
fn follower(h: &mut Harness) {
    h.s.follow();
    h.s.connect(h.now);
    let req = cred_request(&h.take());
    let conn = credentials(h);
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    let acts = h.take();
    assert!(opens(&acts).is_empty(), "a follower opens no socket: {acts:?}");
    assert!(events(&acts).contains(&&Event::Connected));
    assert!(acts.contains(&Action::ConnectSettled(Ok(()))));
    assert_eq!(h.s.state(), State::Connected);
    assert_eq!(h.s.connection_token(), Some("follower-token"));
}

#[test]
fn a_follower_opens_no_socket_and_delivers_relayed_items_once_in_order() {
    let mut h = Harness::new();
    follower(&mut h);
    relay(&mut h, "m1", T0 + 1);
    relay(&mut h, "m2", T0 + 2);
    relay(&mut h, "m1", T0 + 1);
    assert_eq!(item_ids(&h.take()), ["m1", "m2"], "a relayed duplicate is dropped");
    // An hour on: no socket, no URL renewal, nothing but the token's own renewal much later.
    h.advance(3_600_000);
    let acts = h.take();
    assert!(opens(&acts).is_empty() && requests(&acts).is_empty(), "{acts:?}");
    assert_eq!(h.s.state(), State::Connected);
}

#[test]
fn frames_relayed_before_the_credentials_wait_for_them() {
    let mut h = Harness::new();
    h.s.follow();
    h.s.connect(h.now);
    let req = cred_request(&h.take());
    relay(&mut h, "m1", T0 + 1);
    assert!(item_ids(&h.take()).is_empty());
    let conn = credentials(&h);
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    assert_eq!(item_ids(&h.take()), ["m1"]);
}

#[test]
fn a_leader_ignores_relayed_frames() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.item(sock, "m1", T0 + 1);
    relay(&mut h, "m2", T0 + 2);
    assert_eq!(item_ids(&h.take()), ["m1"]);
}

#[test]
fn a_promoted_follower_connects_its_socket_and_fills_the_gap_from_its_last_item() {
    let mut h = Harness::new();
    follower(&mut h);
    relay(&mut h, "m1", T0 + 1);
    relay(&mut h, "m2", T0 + 2);
    h.take();
    // The leader's tab closed: this one got the lock.
    h.s.lead(h.now);
    assert!(!h.s.is_follower());
    assert_eq!(h.s.state(), State::Reconnecting);
    let acts = h.take();
    let (req, credentials_only) = requests(&acts)[0];
    assert!(!credentials_only, "a URL this time");
    let conn = h.connection("wss://leader", 100_000, 86_400_000);
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    let sock = only_open(&h.take());
    h.s.socket_opened(h.now, sock);
    assert_eq!(sends(&h.take(), sock), [SUBSCRIBE, HEARTBEAT]);
    h.ack(sock);
    h.item(sock, "m5", T0 + 5);
    let acts = h.take();
    assert!(events(&acts).contains(&&Event::Connected));
    let (req, body) = transcript_requests(&acts).pop().unwrap();
    assert_eq!(body["StartPosition"], json!({"Id": "m2"}), "the gap since the last relayed item");
    assert!(item_ids(&acts).is_empty(), "the live item waits behind the fill");
    let page = json!({"Transcript": [item_json("m2", T0 + 2), item_json("m3", T0 + 3), item_json("m4", T0 + 4)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    assert_eq!(item_ids(&h.take()), ["m3", "m4", "m5"]);
    // A leader now: relayed frames (from an old leader still talking) are ignored; its own socket renews.
    relay(&mut h, "m6", T0 + 6);
    assert!(item_ids(&h.take()).is_empty());
    h.advance(70_000);
    assert!(!requests(&h.take()).is_empty(), "the leader renews its URL");
}

#[test]
fn a_follower_promoted_while_fetching_its_credentials_asks_for_a_socket_at_once() {
    let mut h = Harness::new();
    h.s.follow();
    h.s.connect(h.now);
    let req = cred_request(&h.take());
    h.s.lead(h.now);
    // A tab on its own: granted the lead a moment after connect(). One round trip, not two in a row.
    let acts = h.take();
    let (req2, credentials_only) = requests(&acts)[0];
    assert!(!credentials_only, "a URL, now: {acts:?}");
    assert_ne!(req2, req);
    // The credentials' answer, when it comes, is no longer awaited.
    let conn = credentials(&h);
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    let acts = h.take();
    assert!(requests(&acts).is_empty() && opens(&acts).is_empty(), "{acts:?}");
    assert!(!events(&acts).contains(&&Event::Connected), "not connected on credentials alone");
    let conn = h.connection("wss://leader", 100_000, 86_400_000);
    h.s.connection_created(h.now, h.now, req2, Ok(conn));
    let sock = only_open(&h.take());
    h.s.socket_opened(h.now, sock);
    h.ack(sock);
    let acts = h.take();
    assert!(events(&acts).contains(&&Event::Connected));
    assert!(transcript_requests(&acts).is_empty(), "a first connection has no gap");
}

#[test]
fn a_follower_that_sees_a_new_leader_fills_its_own_gap_holding_the_new_leaders_items() {
    let mut h = Harness::new();
    follower(&mut h);
    relay(&mut h, "m1", T0 + 1);
    h.take();
    h.s.leader_changed(h.now);
    let acts = h.take();
    let (req, body) = transcript_requests(&acts).pop().unwrap();
    assert_eq!(body["StartPosition"], json!({"Id": "m1"}));
    // The new leader relays what it fills and what comes live.
    relay(&mut h, "m3", T0 + 3);
    assert!(item_ids(&h.take()).is_empty());
    let page = json!({"Transcript": [item_json("m1", T0 + 1), item_json("m2", T0 + 2), item_json("m3", T0 + 3)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    assert_eq!(item_ids(&h.take()), ["m2", "m3"]);
    relay(&mut h, "m2", T0 + 2);
    relay(&mut h, "m4", T0 + 4);
    assert_eq!(item_ids(&h.take()), ["m4"]);
}

#[test]
fn a_follower_sends_through_its_own_outbox() {
    let mut h = Harness::new();
    follower(&mut h);
    assert!(h.s.queue_send(h.now, "tok-1".into(), super::session::SendKind::Message, "{}".into()));
    let acts = h.take();
    assert!(acts.iter().any(|a| matches!(a, Action::SendQueued { token, .. } if token == "tok-1")), "{acts:?}");
}

#[test]
fn follow_does_not_demote_a_live_leader() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.s.follow();
    assert!(!h.s.is_follower());
    h.item(sock, "m1", T0 + 1);
    assert_eq!(item_ids(&h.take()), ["m1"]);
}

#[test]
fn a_leader_that_lost_the_lock_closes_its_socket_and_follows_filling_its_gap() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.item(sock, "m1", T0 + 1);
    h.take();
    // Frozen, its lock stolen: the shell suspends it, makes it a follower and resumes it.
    assert!(h.s.suspend());
    assert!(super::session_tests::closed(&h.take()).contains(&sock));
    h.s.follow();
    assert!(h.s.is_follower());
    h.s.resume(h.now);
    let req = cred_request(&h.take());
    let conn = credentials(&h);
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    let acts = h.take();
    assert!(opens(&acts).is_empty());
    let (_, body) = transcript_requests(&acts).pop().unwrap();
    assert_eq!(body["StartPosition"], json!({"Id": "m1"}));
}

#[test]
fn only_the_leader_sends_the_automatic_delivered_receipts() {
    let cfg = super::session::Config { auto_delivered_receipts: true, ..super::session::Config::default() };
    let mut h = Harness::with(cfg);
    follower(&mut h);
    relay(&mut h, "a1", T0 + 1);
    h.advance(1_000);
    let acts = h.take();
    assert!(!acts.iter().any(|a| matches!(a, Action::SendEvent { .. })), "a follower sends none: {acts:?}");
    h.s.lead(h.now);
    let (req, _) = requests(&h.take())[0];
    let conn = h.connection("wss://leader", 100_000, 86_400_000);
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    let sock = only_open(&h.take());
    h.s.socket_opened(h.now, sock);
    h.ack(sock);
    let (fill, _) = transcript_requests(&h.take()).pop().unwrap();
    h.s.transcript_fetched(h.now, fill, Ok(read_transcript(json!({"Transcript": []})).unwrap()));
    h.item(sock, "a2", T0 + 2);
    h.advance(1_000);
    let acts = h.take();
    assert_eq!(acts.iter().filter(|a| matches!(a, Action::SendEvent { .. })).count(), 1, "the leader's: {acts:?}");
}

#[test]
fn a_tab_in_an_election_asks_for_nothing_until_it_answers_then_once_as_what_it_is() {
    // Granted the lead: one request, for a URL (a tab on its own makes one call, not two).
    let mut h = Harness::new();
    h.s.elect();
    h.s.connect(h.now);
    assert!(requests(&h.take()).is_empty(), "nothing before the election answers");
    h.s.lead(h.now);
    let acts = h.take();
    match requests(&acts).as_slice() {
        [(_, false)] => {}
        other => panic!("expected one request for a URL: {other:?}"),
    }
    h.s.followed(h.now); // a late word changes nothing
    assert!(requests(&h.take()).is_empty());

    // Another tab leads: one request, for credentials only; connected on them.
    let mut h = Harness::new();
    h.s.elect();
    h.s.connect(h.now);
    h.take();
    h.s.followed(h.now);
    let req = cred_request(&h.take());
    h.s.connection_created(h.now, h.now, req, Ok(credentials(&h)));
    let acts = h.take();
    assert!(opens(&acts).is_empty());
    assert!(events(&acts).contains(&&Event::Connected));
    assert!(h.s.is_follower());

    // The lead granted before connect(): connect() asks for a URL at once.
    let mut h = Harness::new();
    h.s.elect();
    h.s.lead(h.now);
    h.s.connect(h.now);
    match requests(&h.take()).as_slice() {
        [(_, false)] => {}
        other => panic!("expected one request for a URL: {other:?}"),
    }
}
