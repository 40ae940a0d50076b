//! Streamed bot replies, in the session, with the fake clock.

use serde_json::{json, Value};

use crate::protocol::api::read_transcript;
use crate::protocol::item::Item;
use crate::protocol::session::{Action, Config, Event, State};
use crate::protocol::session_tests::{events, item_ids, item_json, transcript_requests, Harness, T0};
use crate::protocol::time::{format_iso8601, Millis};

const REPLY: &str = "reply-1";

/// One item of a streamed reply: a chunk (`completed: false`) or the completed reply.
fn chunk(n: u32, content: &str, completed: bool, at: Millis) -> Value {
    json!({"Id": REPLY, "Type": "MESSAGE", "ContentType": "text/plain", "Content": content,
        "AbsoluteTime": format_iso8601(at), "ParticipantRole": "SYSTEM", "DisplayName": "BOT",
        "MessageMetadata": {"MessageId": REPLY, "ChunkNumber": n, "MessageCompleted": completed}})
}

impl Harness {
    /// Connected, the heartbeat sent on open answered (later ones are answered by `advance`).
    fn live(&mut self) -> u32 {
        let sock = self.connected(3_600_000);
        self.frame(sock, crate::protocol::frame::HEARTBEAT);
        sock
    }

    fn send(&mut self, socket: u32, item: Value) {
        let frame = json!({"topic": "aws/chat", "contentType": "application/json", "content": item.to_string()});
        self.frame(socket, &frame.to_string());
    }
}

/// The `message-partial` details among `actions`: (Content, AbsoluteTime).
fn partials(actions: &[Action<Value>]) -> Vec<(String, String)> {
    events(actions)
        .into_iter()
        .filter_map(|e| match e {
            Event::Partial(v) => Some((v["Content"].as_str()?.to_owned(), v["AbsoluteTime"].as_str()?.to_owned())),
            _ => None,
        })
        .collect()
}

fn delivered(actions: &[Action<Value>]) -> Vec<Value> {
    events(actions)
        .into_iter()
        .filter_map(|e| match e {
            Event::Item(i) => Some(i.raw.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn chunks_are_stitched_in_order_and_the_completed_reply_is_delivered_once() {
    let mut h = Harness::new();
    let sock = h.live();
    let first = format_iso8601(T0 + 10);
    h.send(sock, chunk(1, "Your ", false, T0 + 10));
    h.send(sock, chunk(2, "order ", false, T0 + 20));
    h.send(sock, chunk(3, "has shipped.", false, T0 + 30));
    let acts = h.take();
    assert_eq!(
        partials(&acts),
        [
            ("Your ".to_owned(), first.clone()),
            ("Your order ".to_owned(), first.clone()),
            ("Your order has shipped.".to_owned(), first.clone()),
        ],
        "the reply so far, placed at its first chunk"
    );
    assert!(item_ids(&acts).is_empty(), "no chunk is an item");
    h.send(sock, chunk(4, "Your order has shipped.", true, T0 + 40));
    let acts = h.take();
    assert!(partials(&acts).is_empty());
    let items = delivered(&acts);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["Content"], "Your order has shipped.");
    // Duplicates of any of it, afterwards, change nothing.
    h.send(sock, chunk(4, "Your order has shipped.", true, T0 + 40));
    h.send(sock, chunk(2, "order ", false, T0 + 20));
    h.send(sock, chunk(5, "more?", false, T0 + 50));
    assert!(h.take().iter().all(|a| !matches!(a, Action::Emit(_))), "nothing after the completion");
    // Nothing is left to time out.
    h.advance(120_000);
    assert!(delivered(&h.take()).is_empty());
}

#[test]
fn an_out_of_order_chunk_is_skipped_and_duplicate_chunks_are_harmless() {
    let mut h = Harness::new();
    let sock = h.live();
    for (n, text) in [(1, "a"), (3, "c"), (1, "a"), (2, "b"), (2, "b"), (3, "c")] {
        h.send(sock, chunk(n, text, false, T0 + i64::from(n)));
    }
    let contents: Vec<String> = partials(&h.take()).into_iter().map(|(c, _)| c).collect();
    assert_eq!(contents, ["a", "ab", "abc"]);
    h.send(sock, chunk(4, "abcd", true, T0 + 4));
    let items = delivered(&h.take());
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["Content"], "abcd");
}

#[test]
fn a_reply_joined_mid_stream_shows_nothing_until_its_completion() {
    let mut h = Harness::new();
    let sock = h.live();
    h.send(sock, chunk(2, "b", false, T0 + 2));
    h.send(sock, chunk(3, "c", false, T0 + 3));
    assert!(partials(&h.take()).is_empty(), "without chunk 1 there is no reply so far to show");
    h.send(sock, chunk(4, "abc", true, T0 + 4));
    assert_eq!(delivered(&h.take())[0]["Content"], "abc");
}

#[test]
fn other_items_are_unaffected_by_a_reply_in_progress() {
    let mut h = Harness::new();
    let sock = h.live();
    h.send(sock, chunk(1, "Hel", false, T0 + 1));
    h.item(sock, "agent-1", T0 + 2);
    h.send(sock, chunk(2, "lo", false, T0 + 3));
    h.item(sock, "agent-1", T0 + 2);
    let acts = h.take();
    assert_eq!(item_ids(&acts), ["agent-1"]);
    assert_eq!(partials(&acts).len(), 2);
}

#[test]
fn a_socket_dropped_mid_stream_recovers_the_completed_reply_through_the_gap_fill() {
    let mut h = Harness::new();
    let sock = h.live();
    h.item(sock, "before", T0 + 1);
    h.send(sock, chunk(1, "Your ", false, T0 + 2));
    h.send(sock, chunk(2, "order ", false, T0 + 3));
    h.take();
    let sock2 = h.dropped_and_back(sock);
    // The rest of the reply went out while no socket was there; the new socket sees its tail only.
    h.send(sock2, chunk(4, "is late", false, T0 + 5));
    let acts = h.take();
    assert!(partials(&acts).is_empty(), "chunk 4 is not the next one");
    let (req, body) = transcript_requests(&acts).pop().unwrap();
    assert_eq!(body["StartPosition"]["Id"], "before");
    let page = json!({"Transcript": [item_json("before", T0 + 1), chunk(5, "Your order is late", true, T0 + 6)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    let items = delivered(&h.take());
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["Content"], "Your order is late");
    // The live completion that follows is a duplicate.
    h.send(sock2, chunk(5, "Your order is late", true, T0 + 6));
    assert!(delivered(&h.take()).is_empty());
}

#[test]
fn a_reply_whose_completion_never_comes_is_looked_up_then_delivered_as_it_stands() {
    let mut h = Harness::new();
    let sock = h.live();
    h.item(sock, "before", T0);
    h.send(sock, chunk(1, "Half ", false, T0 + 1));
    h.advance(20_000);
    h.send(sock, chunk(2, "a reply", false, T0 + 2));
    h.take();
    // 30 s of silence after the last chunk: the transcript is asked for the completion.
    h.advance(29_999);
    assert!(transcript_requests(&h.take()).is_empty());
    h.advance(1);
    let acts = h.take();
    let (req, body) = transcript_requests(&acts).pop().expect("a look in the transcript");
    assert_eq!(body["StartPosition"]["Id"], "before");
    assert!(delivered(&acts).is_empty());
    // Not there either: delivered as it stands, marked so, at its first chunk's time.
    let page = json!({"Transcript": [item_json("before", T0)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    let items = delivered(&h.take());
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["Id"], REPLY);
    assert_eq!(items[0]["Content"], "Half a reply");
    assert_eq!(items[0]["Incomplete"], true);
    assert_eq!(items[0]["AbsoluteTime"], format_iso8601(T0 + 1));
    assert_eq!(h.s.state(), State::Connected);
    h.send(sock, chunk(3, "Half a reply!", true, T0 + 3));
    assert!(delivered(&h.take()).is_empty(), "the reply was delivered once already");
}

#[test]
fn an_overdue_reply_found_in_the_transcript_is_delivered_complete() {
    let mut h = Harness::new();
    let sock = h.live();
    h.item(sock, "before", T0);
    h.send(sock, chunk(1, "Half ", false, T0 + 1));
    h.take();
    h.advance(30_000);
    let (req, _) = transcript_requests(&h.take()).pop().unwrap();
    let page = json!({"Transcript": [item_json("before", T0), chunk(2, "Half of it, then all", true, T0 + 2)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    let items = delivered(&h.take());
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["Content"], "Half of it, then all");
    assert!(items[0].get("Incomplete").is_none());
}

#[test]
fn without_gap_filling_an_overdue_reply_is_delivered_at_once() {
    let mut h = Harness::with(Config { gap_fill: false, stream_timeout_ms: 5_000, ..Config::default() });
    let sock = h.live();
    h.send(sock, chunk(1, "Half", false, T0 + 1));
    h.take();
    h.advance(5_000);
    let acts = h.take();
    assert!(transcript_requests(&acts).is_empty());
    let items = delivered(&acts);
    assert_eq!((items.len(), &items[0]["Incomplete"]), (1, &json!(true)));
}

#[test]
fn the_transcript_never_stands_a_chunk_in_for_its_reply() {
    let mut h = Harness::new();
    let sock = h.live();
    h.item(sock, "m1", T0);
    h.take();
    let sock2 = h.dropped_and_back(sock);
    let (req, _) = transcript_requests(&h.take()).pop().unwrap();
    let page = json!({"Transcript": [item_json("m1", T0), chunk(1, "Hal", false, T0 + 1)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    assert!(delivered(&h.take()).is_empty());
    h.send(sock2, chunk(2, "Hello", true, T0 + 2));
    assert_eq!(delivered(&h.take())[0]["Content"], "Hello");
}

#[test]
fn a_chunk_without_an_id_is_an_ordinary_message() {
    let mut h = Harness::new();
    let sock = h.live();
    let mut c = chunk(1, "orphan", false, T0);
    c["Id"] = json!("");
    h.send(sock, c);
    assert_eq!(delivered(&h.take()).len(), 1);
}

#[test]
fn nothing_is_stitched_after_the_session_ends_and_nothing_is_left_behind() {
    let mut h = Harness::new();
    let sock = h.live();
    h.send(sock, chunk(1, "a", false, T0));
    h.take();
    h.s.close();
    h.take();
    h.send(sock, chunk(2, "b", false, T0));
    assert!(h.take().is_empty());
    assert_eq!(h.s.poll_timeout(), None, "no stream timer survives close()");
}

#[test]
fn at_most_eight_replies_are_stitched_at_once() {
    let mut h = Harness::with(Config { gap_fill: false, ..Config::default() });
    let sock = h.live();
    for i in 0..9 {
        let mut c = chunk(1, "x", false, T0 + i);
        c["Id"] = json!(format!("r{i}"));
        h.send(sock, c);
    }
    h.take();
    // The oldest is due at once, and delivered as it stands.
    h.advance(0);
    let items = delivered(&h.take());
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["Id"], "r0");
}

#[test]
fn authentication_initiated_carries_its_session_id() {
    let mut h = Harness::new();
    let sock = h.live();
    let item = json!({"Id": "auth-1", "Type": "EVENT", "AbsoluteTime": format_iso8601(T0),
        "ContentType": "application/vnd.amazonaws.connect.event.authentication.initiated",
        "Content": "{\"SessionId\":\"6b1f0d3e-9c52-4f6e-8f0a-2d7c1e9b4a10\"}", "ParticipantRole": "SYSTEM"});
    h.send(sock, item);
    let items = delivered(&h.take());
    assert_eq!(items[0]["sessionId"], "6b1f0d3e-9c52-4f6e-8f0a-2d7c1e9b4a10");
    assert_eq!(items[0]["Id"], "auth-1", "the item itself is kept");
    // Unreadable content: the item still arrives, without a sessionId.
    let bad = json!({"Id": "auth-2", "Type": "EVENT", "AbsoluteTime": format_iso8601(T0 + 1),
        "ContentType": "application/vnd.amazonaws.connect.event.authentication.initiated", "Content": "{oops"});
    h.send(sock, bad);
    let items = delivered(&h.take());
    assert_eq!(items.len(), 1);
    assert!(items[0].get("sessionId").is_none());
}

#[test]
fn the_chunk_metadata_is_read_only_where_it_belongs() {
    let c = Item::from_json(chunk(3, "x", false, T0)).unwrap();
    assert!(c.is_partial());
    assert_eq!(c.chunk.map(|c| c.number), Some(3));
    assert!(!Item::from_json(chunk(3, "x", true, T0)).unwrap().is_partial());
    assert!(Item::from_json(item_json("plain", T0)).unwrap().chunk.is_none());
    let odd = json!({"Id": "o", "Type": "MESSAGE", "MessageMetadata": {"MessageCompleted": "no", "ChunkNumber": -1}});
    assert!(Item::from_json(odd).unwrap().chunk.is_none(), "a non-boolean MessageCompleted is no stream");
    let event = json!({"Id": "e", "Type": "EVENT", "ContentType": "application/vnd.amazonaws.connect.event.typing",
        "MessageMetadata": {"MessageCompleted": false}});
    assert!(!Item::from_json(event).unwrap().is_partial(), "only messages stream");
}
