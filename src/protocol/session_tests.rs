//! The session's rules, each driven with a fake clock.

use serde_json::{json, Value};

use super::api::{read_connection, read_transcript, Connection};
use super::error::ChatError;
use super::frame::{decode, Inbound, HEARTBEAT, SUBSCRIBE};
use super::session::{Action, Config, Event, RequestId, Session, SocketId, State};
use super::time::{format_iso8601, Millis, Now};

pub(crate) const T0: Millis = 1_700_000_000_000;

pub(crate) struct Harness {
    pub(crate) s: Session<Value>,
    pub(crate) now: Millis,
    pub(crate) log: Vec<Action<Value>>,
    /// Answer every heartbeat at once, as a healthy server does.
    pub(crate) echo: bool,
}

impl Harness {
    pub(crate) fn new() -> Self {
        Self::with(Config::default())
    }

    pub(crate) fn with(cfg: Config) -> Self {
        Harness { s: Session::new(cfg, 42), now: T0, log: Vec::new(), echo: true }
    }

    /// Takes the actions produced since the last call.
    pub(crate) fn take(&mut self) -> Vec<Action<Value>> {
        while let Some(a) = self.s.poll_action() {
            self.log.push(a);
        }
        std::mem::take(&mut self.log)
    }

    /// Moves the clock forward, firing every timer that falls due on the way, in order.
    pub(crate) fn advance(&mut self, ms: Millis) {
        let end = self.now + ms;
        while let Some(t) = self.s.poll_timeout() {
            if t > end {
                break;
            }
            self.now = self.now.max(t);
            self.s.handle_timeout(self.now);
            while let Some(a) = self.s.poll_action() {
                if let (true, Action::Send { socket, text: HEARTBEAT }) = (self.echo, &a) {
                    let socket = *socket;
                    self.log.push(a);
                    self.s.socket_frame(&Now::at(self.now), socket, Inbound::Heartbeat);
                    continue;
                }
                self.log.push(a);
            }
        }
        self.now = end;
    }

    pub(crate) fn connection(&self, url: &str, url_ttl_ms: Millis, token_ttl_ms: Millis) -> Connection {
        self.connection_raw(url, &format_iso8601(self.now + url_ttl_ms), &format_iso8601(self.now + token_ttl_ms))
    }

    pub(crate) fn connection_raw(&self, url: &str, url_expiry: &str, token_expiry: &str) -> Connection {
        read_connection(&json!({
            "Websocket": {"Url": url, "ConnectionExpiry": url_expiry},
            "ConnectionCredentials": {"ConnectionToken": format!("token-for-{url}"), "Expiry": token_expiry},
        }))
        .unwrap()
    }

    pub(crate) fn frame(&mut self, socket: SocketId, text: &str) {
        match decode::<Value>(text) {
            Ok(f) => self.s.socket_frame(&Now::at(self.now), socket, f),
            Err(e) => self.s.socket_garbage(socket, e),
        }
    }

    pub(crate) fn ack(&mut self, socket: SocketId) {
        self.frame(socket, r#"{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}"#);
    }

    pub(crate) fn item(&mut self, socket: SocketId, id: &str, at: Millis) {
        let frame =
            json!({"topic": "aws/chat", "contentType": "application/json", "content": item_json(id, at).to_string()});
        self.frame(socket, &frame.to_string());
    }

    /// Runs connect → URL → open → subscribe → ack; returns the socket.
    pub(crate) fn connected(&mut self, url_ttl_ms: Millis) -> SocketId {
        let conn = self.connection("wss://one", url_ttl_ms, 86_400_000);
        self.connected_with(conn, self.now)
    }

    /// `connect()` again after a `close()` while the URL is still fresh (a page back from the back-forward
    /// cache): the new socket, opened and subscribed.
    pub(crate) fn reconnected(&mut self) -> SocketId {
        self.s.connect(self.now);
        let sock = only_open(&self.take());
        self.s.socket_opened(self.now, sock);
        self.ack(sock);
        sock
    }

    /// As `connected`, with the service's answer `conn`, read against the wall clock `wall`.
    pub(crate) fn connected_with(&mut self, conn: Connection, wall: Millis) -> SocketId {
        self.s.connect(self.now);
        let req = only_request(&self.take());
        self.s.connection_created(self.now, wall, req, Ok(conn));
        let sock = only_open(&self.take());
        self.s.socket_opened(self.now, sock);
        assert_eq!(sends(&self.take(), sock), [SUBSCRIBE, HEARTBEAT]);
        self.ack(sock);
        let acts = self.take();
        assert!(acts.contains(&Action::Emit(Event::Connected)), "{acts:?}");
        assert!(acts.contains(&Action::ConnectSettled(Ok(()))));
        assert_eq!(self.s.state(), State::Connected);
        sock
    }

    /// Connects with a 9 s URL and runs the clock to its renewal (due at 6 s): the socket and the
    /// renewal's request.
    pub(crate) fn renewal_due(&mut self) -> (SocketId, RequestId) {
        let old = self.connected(9_000);
        self.frame(old, HEARTBEAT);
        self.advance(6_000);
        (old, only_request(&self.take()))
    }

    /// The socket drops; the replacement (the URL reused) opens and is subscribed: the new socket.
    pub(crate) fn dropped_and_back(&mut self, socket: SocketId) -> SocketId {
        self.s.socket_closed(self.now, socket, 1006, "");
        self.advance(1_000);
        let replacement = only_open(&self.take());
        self.s.socket_opened(self.now, replacement);
        self.ack(replacement);
        replacement
    }

    pub(crate) fn echo_heartbeats(&mut self, socket: SocketId, actions: &[Action<Value>]) {
        if sends(actions, socket).contains(&HEARTBEAT) {
            self.frame(socket, HEARTBEAT);
        }
    }
}

pub(crate) fn item_json(id: &str, at: Millis) -> Value {
    json!({"Id": id, "Type": "MESSAGE", "ContentType": "text/plain", "Content": format!("text {id}"),
        "AbsoluteTime": format_iso8601(at), "ParticipantRole": "AGENT", "DisplayName": "Agent"})
}

pub(crate) fn requests(actions: &[Action<Value>]) -> Vec<(RequestId, bool)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::CreateConnection { request, credentials_only } => Some((*request, *credentials_only)),
            _ => None,
        })
        .collect()
}

pub(crate) fn only_request(actions: &[Action<Value>]) -> RequestId {
    let r = requests(actions);
    assert_eq!(r.len(), 1, "{actions:?}");
    assert!(!r[0].1);
    r[0].0
}

pub(crate) fn opens(actions: &[Action<Value>]) -> Vec<(SocketId, String)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::OpenSocket { socket, url } => Some((*socket, url.clone())),
            _ => None,
        })
        .collect()
}

pub(crate) fn only_open(actions: &[Action<Value>]) -> SocketId {
    let o = opens(actions);
    assert_eq!(o.len(), 1, "{actions:?}");
    o[0].0
}

pub(crate) fn sends(actions: &[Action<Value>], socket: SocketId) -> Vec<&'static str> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Send { socket: s, text } if *s == socket => Some(*text),
            _ => None,
        })
        .collect()
}

pub(crate) fn closed(actions: &[Action<Value>]) -> Vec<SocketId> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::CloseSocket { socket } => Some(*socket),
            _ => None,
        })
        .collect()
}

pub(crate) fn item_ids(actions: &[Action<Value>]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Emit(Event::Item(i)) => Some(i.id.clone()),
            _ => None,
        })
        .collect()
}

pub(crate) fn events(actions: &[Action<Value>]) -> Vec<&Event<Value>> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Emit(e) => Some(e),
            _ => None,
        })
        .collect()
}

pub(crate) fn transcript_requests(actions: &[Action<Value>]) -> Vec<(RequestId, Value)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::FetchTranscript { request, body } => Some((*request, serde_json::from_str(body).unwrap())),
            _ => None,
        })
        .collect()
}

#[test]
fn connects_subscribes_and_delivers_items() {
    let mut h = Harness::new();
    assert_eq!(h.s.state(), State::Idle);
    let sock = h.connected(100_000);
    assert_eq!(h.s.connection_token(), Some("token-for-wss://one"));
    h.item(sock, "a", T0);
    h.item(sock, "b", T0 + 1);
    h.item(sock, "a", T0);
    assert_eq!(item_ids(&h.take()), ["a", "b"]);
}

#[test]
fn connect_while_connected_settles_at_once_and_twice_while_connecting_joins() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    h.s.connect(h.now);
    assert_eq!(requests(&h.take()).len(), 1, "a second connect() does not start a second attempt");
    let mut h = Harness::new();
    h.connected(100_000);
    h.s.connect(h.now);
    assert_eq!(h.take(), [Action::ConnectSettled(Ok(()))]);
}

#[test]
fn heartbeats_every_ten_seconds_and_a_missed_reply_is_a_dead_socket() {
    let mut h = Harness::new();
    h.echo = false;
    let sock = h.connected(3_600_000);
    h.frame(sock, HEARTBEAT); // reply to the heartbeat sent on open
    for _ in 0..3 {
        h.advance(9_999);
        assert!(sends(&h.take(), sock).is_empty());
        h.advance(1);
        let acts = h.take();
        assert_eq!(sends(&acts, sock), [HEARTBEAT]);
        h.echo_heartbeats(sock, &acts);
    }
    // This one goes unanswered: at the next tick the socket is declared dead and replaced.
    h.advance(10_000);
    assert_eq!(sends(&h.take(), sock), [HEARTBEAT]);
    h.advance(10_000);
    let acts = h.take();
    assert_eq!(closed(&acts), [sock]);
    assert_eq!(h.s.state(), State::Reconnecting);
    match events(&acts).as_slice() {
        [Event::Reconnecting { attempt: 1, delay_ms, reason }] => {
            assert!(*delay_ms <= 50, "the first retry is immediate, give or take jitter: {delay_ms}");
            assert!(reason.message.contains("heartbeat"), "{reason:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn renews_before_expiry_with_overlap_and_delivers_each_item_once() {
    let mut h = Harness::new();
    let old = h.connected(9_000); // renewal is due at 6 s, a third before expiry
    h.frame(old, HEARTBEAT);
    h.advance(5_999);
    assert!(requests(&h.take()).is_empty());
    h.advance(1);
    let req = only_request(&h.take());
    let conn = h.connection("wss://two", 9_000, 86_400_000);
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    let new = only_open(&h.take());
    assert_ne!(new, old);
    h.item(old, "x1", T0 + 1);
    h.s.socket_opened(h.now, new);
    assert_eq!(sends(&h.take(), new), [SUBSCRIBE, HEARTBEAT]);
    // Both sockets carry the same items during the overlap.
    h.item(old, "x2", T0 + 2);
    h.item(new, "x2", T0 + 2);
    h.ack(new);
    h.item(old, "x3", T0 + 3);
    h.item(new, "x3", T0 + 3);
    let acts = h.take();
    assert_eq!(item_ids(&acts), ["x2", "x3"]);
    assert!(closed(&acts).is_empty(), "the old socket is still read until its barrier comes back");
    assert_eq!(sends(&acts, old), [HEARTBEAT], "the barrier: a heartbeat on the old socket");
    assert!(events(&acts).contains(&&Event::Renewed));
    assert_eq!(h.s.connection_token(), Some("token-for-wss://two"));
    assert_eq!(h.s.state(), State::Connected);
    // The service sent x4 to the old socket just before the new subscription took effect: it arrives
    // there after the new socket's acknowledgement, and is delivered. Its copy of x3 is not. However
    // late it comes (a busy page, a retransmission), it comes before the barrier's echo.
    h.frame(new, HEARTBEAT);
    h.advance(4_000);
    h.item(old, "x3", T0 + 3);
    h.item(old, "x4", T0 + 4);
    let acts = h.take();
    assert_eq!(item_ids(&acts), ["x4"]);
    assert!(closed(&acts).is_empty());
    // The echo: everything sent to the old socket before it has arrived, so it closes. Frames still in
    // flight from it are ignored.
    h.frame(old, HEARTBEAT);
    assert_eq!(closed(&h.take()), [old]);
    h.item(old, "x5", T0 + 5);
    h.s.socket_closed(h.now, old, 1000, "");
    assert!(h.take().is_empty(), "nothing from the closed socket, and its close is no failure");
    assert_eq!(h.s.state(), State::Connected);
    // The next renewal follows the new URL's expiry (6 s after it came, 4 s of which have passed).
    h.frame(new, HEARTBEAT);
    h.advance(1_999);
    assert!(requests(&h.take()).is_empty());
    h.advance(1);
    assert_eq!(requests(&h.take()).len(), 1);
}

/// Renews (a 9 s URL, due at 6 s) after `before` arrived: (old socket, new socket), the new one live.
fn renewed(h: &mut Harness, before: &str) -> (SocketId, SocketId) {
    let (old, req) = h.renewal_due();
    h.item(old, before, T0 + 1);
    let conn = h.connection("wss://two", 9_000, 86_400_000);
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    let new = only_open(&h.take());
    h.s.socket_opened(h.now, new);
    h.ack(new);
    h.frame(new, HEARTBEAT);
    let acts = h.take();
    assert_eq!(sends(&acts, old), [HEARTBEAT]);
    (old, new)
}

#[test]
fn a_renewal_whose_barrier_never_comes_back_fills_the_gap_from_before_the_switch() {
    let mut h = Harness::new();
    let (old, new) = renewed(&mut h, "before");
    // A newer item reaches the new socket first; the old one never echoes.
    h.item(new, "after", T0 + 9);
    h.take();
    h.advance(4_999);
    assert!(closed(&h.take()).is_empty());
    h.advance(1);
    let acts = h.take();
    assert_eq!(closed(&acts), [old]);
    let (req, body) = transcript_requests(&acts).pop().expect("a gap fill");
    assert_eq!(body["StartPosition"]["Id"], "before", "from the last item seen before the switch, not the newest");
    let page =
        json!({"Transcript": [item_json("before", T0 + 1), item_json("lost", T0 + 2), item_json("after", T0 + 9)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    let acts = h.take();
    assert_eq!(item_ids(&acts), ["lost"]);
    assert!(events(&acts).contains(&&Event::GapFilled { items: 1 }));
}

#[test]
fn a_retiring_socket_that_closes_before_its_echo_fills_the_gap() {
    let mut h = Harness::new();
    let (old, _) = renewed(&mut h, "before");
    h.s.socket_closed(h.now, old, 1006, "");
    let acts = h.take();
    assert_eq!(closed(&acts), [old]);
    assert_eq!(transcript_requests(&acts).pop().unwrap().1["StartPosition"]["Id"], "before");
    assert_eq!(h.s.state(), State::Connected, "the new socket carries on");
}

#[test]
fn the_echo_of_an_earlier_heartbeat_is_no_barrier() {
    let mut h = Harness::new();
    h.echo = false;
    let (old, req) = h.renewal_due();
    // A regular heartbeat goes out on the old socket just before the switch; its echo is on the way.
    h.advance(4_000);
    assert_eq!(sends(&h.take(), old), [HEARTBEAT]);
    let conn = h.connection("wss://two", 9_000, 86_400_000);
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    let new = only_open(&h.take());
    h.s.socket_opened(h.now, new);
    h.ack(new);
    h.take();
    h.frame(old, HEARTBEAT); // the regular heartbeat's echo
    assert!(closed(&h.take()).is_empty(), "items sent after that heartbeat may still be on their way");
    h.item(old, "late", T0 + 5);
    h.frame(old, HEARTBEAT); // the barrier's
    let acts = h.take();
    assert_eq!(item_ids(&acts), ["late"]);
    assert_eq!(closed(&acts), [old]);
}

#[test]
fn a_failed_renewal_retries_while_the_old_socket_keeps_working() {
    let mut h = Harness::new();
    let old = h.connected(30_000);
    h.frame(old, HEARTBEAT);
    h.advance(20_000);
    let acts = h.take();
    h.echo_heartbeats(old, &acts);
    let req = only_request(&acts);
    h.s.connection_created(h.now, h.now, req, Err(ChatError::new("ThrottlingException", "slow down", 429, true)));
    assert_eq!(h.s.state(), State::Connected);
    h.item(old, "still", T0);
    assert_eq!(item_ids(&h.take()), ["still"]);
    h.advance(500);
    assert_eq!(requests(&h.take()).len(), 1, "renewal retried after a backoff");
}

#[test]
fn expiry_in_the_past_or_garbage_falls_back_to_the_documented_lifetime() {
    for expiry in [format_iso8601(T0 - 3_600_000), "not a time".to_owned(), String::new()] {
        let mut h = Harness::new();
        let conn = h.connection_raw("wss://one", &expiry, &expiry);
        let sock = h.connected_with(conn, h.now);
        h.frame(sock, HEARTBEAT);
        h.take();
        // Default 100 s lifetime: renewal at 70 s, not in a tight loop now.
        let mut first_request_at = None;
        for _ in 0..8 {
            h.advance(10_000);
            let acts = h.take();
            h.echo_heartbeats(sock, &acts);
            if !requests(&acts).is_empty() && first_request_at.is_none() {
                first_request_at = Some(h.now - T0);
            }
        }
        assert_eq!(first_request_at, Some(70_000), "expiry {expiry:?}");
    }
}

#[test]
fn renews_the_connection_token_before_its_expiry() {
    let mut h = Harness::new();
    let conn = h.connection("wss://one", 3_600_000, 90_000); // the token expires long before the URL
    let sock = h.connected_with(conn, h.now);
    h.frame(sock, HEARTBEAT);
    h.take();
    let mut seen = None;
    for _ in 0..9 {
        h.advance(10_000);
        let acts = h.take();
        h.echo_heartbeats(sock, &acts);
        if let Some(r) = requests(&acts).first() {
            seen = Some((h.now - T0, *r));
            break;
        }
    }
    let (at, (req, credentials_only)) = seen.expect("a token renewal");
    assert!(credentials_only);
    assert_eq!(at, 60_000, "renewed a third of its lifetime before expiry");
    let conn = read_connection(&json!({"ConnectionCredentials": {"ConnectionToken": "fresh",
        "Expiry": format_iso8601(h.now + 90_000)}}))
    .unwrap();
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    assert_eq!(h.s.connection_token(), Some("fresh"));
    assert!(opens(&h.take()).is_empty(), "a token renewal leaves the socket alone");
}

#[test]
fn a_refused_subscription_is_retried_every_500ms_then_abandoned() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    let req = only_request(&h.take());
    h.s.connection_created(h.now, h.now, req, Ok(h.connection("wss://one", 100_000, 86_400_000)));
    let sock = only_open(&h.take());
    h.s.socket_opened(h.now, sock);
    h.take();
    let failure = r#"{"topic":"aws/subscribe","content":{"status":"failure"}}"#;
    for _ in 0..4 {
        h.frame(sock, failure);
        h.advance(499);
        assert!(sends(&h.take(), sock).is_empty());
        h.advance(1);
        assert_eq!(sends(&h.take(), sock), [SUBSCRIBE]);
    }
    h.frame(sock, failure);
    let acts = h.take();
    assert_eq!(closed(&acts), [sock]);
    assert_eq!(h.s.state(), State::Connecting, "connect() keeps trying within its attempts");
    h.advance(250);
    assert_eq!(requests(&h.take()).len(), 1, "a refused URL is not reused");
}

#[test]
fn an_unacknowledged_subscription_is_resent_then_given_up() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    let req = only_request(&h.take());
    h.s.connection_created(h.now, h.now, req, Ok(h.connection("wss://one", 100_000, 86_400_000)));
    let sock = only_open(&h.take());
    h.s.socket_opened(h.now, sock);
    h.take();
    h.advance(1_000);
    assert_eq!(sends(&h.take(), sock), [SUBSCRIBE]);
    h.advance(1_000);
    assert_eq!(sends(&h.take(), sock), [SUBSCRIBE]);
    h.advance(1_000);
    assert_eq!(closed(&h.take()), [sock]);
}

#[test]
fn connect_rejects_at_once_on_access_denied() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    let req = only_request(&h.take());
    let denied = ChatError::new("AccessDeniedException", "bad token", 403, false);
    h.s.connection_created(h.now, h.now, req, Err(denied.clone()));
    assert_eq!(h.take(), [Action::ConnectSettled(Err(denied))]);
    assert_eq!(h.s.state(), State::Closed);
    assert_eq!(h.s.poll_timeout(), None, "nothing left running");
}

#[test]
fn connect_retries_transient_failures_then_rejects() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    let busy = ChatError::new("InternalServerException", "oops", 500, true);
    for _ in 0..3 {
        let req = only_request(&h.take());
        h.s.connection_created(h.now, h.now, req, Err(busy.clone()));
        assert!(events(&h.take()).is_empty(), "no reconnecting events before the first connection");
        h.advance(1_000);
    }
    let req = only_request(&h.take());
    h.s.connection_created(h.now, h.now, req, Err(busy.clone()));
    assert_eq!(h.take(), [Action::ConnectSettled(Err(busy))]);
    assert_eq!(h.s.state(), State::Closed);
}

#[test]
fn a_request_that_never_answers_times_out() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    let req = only_request(&h.take());
    h.advance(14_999);
    assert!(requests(&h.take()).is_empty(), "no retry before the timeout");
    h.advance(1);
    let retry = only_request(&h.take());
    // The late answer to the first request is ignored.
    h.s.connection_created(h.now, h.now, req, Ok(h.connection("wss://late", 100_000, 86_400_000)));
    assert!(opens(&h.take()).is_empty());
    h.s.connection_created(h.now, h.now, retry, Ok(h.connection("wss://one", 100_000, 86_400_000)));
    assert_eq!(opens(&h.take()).len(), 1);
}

#[test]
fn reconnects_with_backoff_reuses_a_fresh_url_and_fills_the_gap() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.item(sock, "m1", T0 + 1);
    h.item(sock, "m2", T0 + 2);
    h.take();
    h.s.socket_closed(h.now, sock, 1006, "");
    let acts = h.take();
    let delay = match events(&acts).as_slice() {
        [Event::Reconnecting { attempt: 1, delay_ms, .. }] => *delay_ms,
        other => panic!("{other:?}"),
    };
    assert_eq!(h.s.state(), State::Reconnecting);
    h.advance(Millis::from(delay));
    let acts = h.take();
    assert!(requests(&acts).is_empty(), "the URL is still fresh: no new one is fetched");
    let (sock2, url) = opens(&acts).pop().unwrap();
    assert_eq!(url, "wss://one");
    h.s.socket_opened(h.now, sock2);
    h.ack(sock2);
    // A live item arrives while the gap is being filled: it waits for the missed ones.
    h.item(sock2, "m5", T0 + 5);
    let acts = h.take();
    assert!(events(&acts).contains(&&Event::Connected));
    assert!(item_ids(&acts).is_empty());
    let (req, body) = transcript_requests(&acts).pop().unwrap();
    assert_eq!(
        body,
        json!({"MaxResults": 100, "ScanDirection": "FORWARD", "SortOrder": "ASCENDING",
        "StartPosition": {"Id": "m2"}})
    );
    let page1 = json!({"Transcript": [item_json("m2", T0 + 2), item_json("m3", T0 + 3)], "NextToken": "p2"});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page1).unwrap()));
    let acts = h.take();
    assert_eq!(item_ids(&acts), ["m3"]);
    let (req, body) = transcript_requests(&acts).pop().unwrap();
    assert_eq!(body["NextToken"], "p2");
    let page2 = json!({"Transcript": [item_json("m4", T0 + 4), item_json("m5", T0 + 5)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page2).unwrap()));
    assert_eq!(item_ids(&h.take()), ["m4", "m5"], "m5 once, although it came live and in the page");
    h.item(sock2, "m6", T0 + 6);
    assert_eq!(item_ids(&h.take()), ["m6"]);
}

#[test]
fn backoff_grows_between_failed_reconnects_and_an_expired_url_is_refetched() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.s.socket_closed(h.now, sock, 1006, "");
    let mut delays = Vec::new();
    let mut socket = None;
    for attempt in 1..=6u32 {
        let acts = h.take();
        let delay = events(&acts)
            .iter()
            .find_map(|e| match e {
                Event::Reconnecting { attempt: a, delay_ms, .. } if *a == attempt => Some(*delay_ms),
                _ => None,
            })
            .unwrap_or_else(|| panic!("attempt {attempt}: {acts:?}"));
        delays.push(delay);
        h.advance(Millis::from(delay));
        let acts = h.take();
        if let Some((s, _)) = opens(&acts).pop() {
            socket = Some(s);
            h.s.socket_closed(h.now, s, 1006, ""); // refused before opening: the URL is dropped
        } else {
            let req = only_request(&acts);
            h.s.connection_created(h.now, h.now, req, Err(ChatError::network("offline")));
        }
    }
    assert!(socket.is_some());
    assert!(delays[0] <= 50, "{delays:?}");
    let ceilings = [250, 500, 1000, 2000, 4000];
    for (d, c) in delays[1..].iter().zip(ceilings) {
        assert!(*d >= c / 2 && *d <= c, "{delays:?}");
    }
}

#[test]
fn a_403_while_reconnecting_ends_the_session_with_connection_lost() {
    let mut h = Harness::new();
    let sock = h.connected(5_000);
    h.s.socket_closed(h.now, sock, 1001, "going away");
    h.advance(1_000);
    // The URL is still fresh and is tried again, but the server refuses it.
    let again = only_open(&h.take());
    h.s.socket_closed(h.now, again, 1006, "");
    h.advance(1_000);
    let req = only_request(&h.take());
    let denied = ChatError::new("AccessDeniedException", "chat is over", 403, false);
    h.s.connection_created(h.now, h.now, req, Err(denied.clone()));
    assert_eq!(events(&h.take()), [&Event::ConnectionLost { reason: denied }]);
    assert_eq!(h.s.state(), State::Ended);
    assert_eq!(h.s.poll_timeout(), None);
}

#[test]
fn chat_ended_ends_the_session_and_closes_the_socket() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    let ended = json!({"Id": "e", "Type": "EVENT", "ContentType": "application/vnd.amazonaws.connect.event.chat.ended",
        "AbsoluteTime": format_iso8601(T0)});
    let frame = json!({"topic": "aws/chat", "content": ended.to_string()});
    h.frame(sock, &frame.to_string());
    let acts = h.take();
    assert_eq!(item_ids(&acts), ["e"]);
    assert_eq!(closed(&acts), [sock]);
    assert_eq!(h.s.state(), State::Ended);
    assert_eq!(h.s.poll_timeout(), None);
    h.s.close();
    assert_eq!(h.s.state(), State::Ended, "close() after the end keeps `ended`");
}

#[test]
fn close_tears_everything_down_and_rejects_a_pending_connect() {
    let mut h = Harness::new();
    h.s.connect(h.now);
    h.take();
    h.s.close();
    match h.take().as_slice() {
        [Action::ConnectSettled(Err(e))] => assert_eq!(e.name, "SessionEnded"),
        other => panic!("{other:?}"),
    }
    assert_eq!(h.s.state(), State::Closed);
    assert_eq!(h.s.poll_timeout(), None);

    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.s.close();
    assert_eq!(closed(&h.take()), [sock]);
    assert_eq!(h.s.poll_timeout(), None);
    h.item(sock, "late", T0);
    assert!(h.take().is_empty(), "a closed session reports nothing");
}

#[test]
fn malformed_frames_become_error_events_and_the_session_goes_on() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    for bad in ["not json", r#"{"topic":"aws/chat","content":"{broken"}"#, "[]"] {
        h.frame(sock, bad);
    }
    h.frame(sock, r#"{"message":"Forbidden","connectionId":"c","requestId":"r"}"#);
    h.frame(sock, r#"{"topic":"aws/unknown","content":{}}"#);
    let acts = h.take();
    let errors: Vec<_> = events(&acts)
        .into_iter()
        .map(|e| match e {
            Event::Error(e) => e.name.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(errors, ["MalformedFrame", "MalformedFrame", "MalformedFrame", "ServiceError"]);
    h.item(sock, "ok", T0);
    assert_eq!(item_ids(&h.take()), ["ok"]);
    assert_eq!(h.s.state(), State::Connected);
}

#[test]
fn a_lost_socket_during_renewal_turns_the_renewal_into_the_reconnect() {
    let mut h = Harness::new();
    let (old, req) = h.renewal_due();
    h.s.socket_closed(h.now, old, 1006, "");
    assert_eq!(h.s.state(), State::Reconnecting);
    h.take();
    h.s.connection_created(h.now, h.now, req, Ok(h.connection("wss://two", 9_000, 86_400_000)));
    let sock = only_open(&h.take());
    h.s.socket_opened(h.now, sock);
    h.ack(sock);
    assert!(events(&h.take()).contains(&&Event::Connected));
    assert_eq!(h.s.state(), State::Connected);
}

#[test]
fn gap_fill_falls_back_to_the_whole_transcript_when_the_position_is_refused() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.item(sock, "m1", T0 + 1);
    h.take();
    h.dropped_and_back(sock);
    let (req, _) = transcript_requests(&h.take()).pop().unwrap();
    let refused = ChatError::new("ResourceNotFoundException", "no such item", 404, false);
    h.s.transcript_fetched(h.now, req, Err(refused));
    let (req, body) = transcript_requests(&h.take()).pop().unwrap();
    assert!(body.get("StartPosition").is_none());
    let page = json!({"Transcript": [item_json("m1", T0 + 1), item_json("m2", T0 + 2)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    assert_eq!(item_ids(&h.take()), ["m2"]);
}

#[test]
fn frames_for_unknown_sockets_are_ignored() {
    let mut h = Harness::new();
    h.connected(100_000);
    h.item(999, "ghost", T0);
    h.s.socket_closed(h.now, 999, 1006, "");
    assert!(h.take().is_empty());
    assert_eq!(h.s.state(), State::Connected);
}

#[test]
fn decoded_frames_reach_the_session_as_values() {
    // `decode` and `socket_frame` agree on the frame shapes the emulator and service send.
    let text = json!({"topic": "aws/chat", "content": item_json("z", T0).to_string()}).to_string();
    assert!(matches!(decode::<Value>(&text), Ok(Inbound::Chat(_))));
}

fn agent_and_customer_items(h: &mut Harness, sock: SocketId) {
    let agent = json!({"Id": "a1", "Type": "MESSAGE", "ContentType": "text/plain", "Content": "hi",
        "AbsoluteTime": format_iso8601(T0), "ParticipantRole": "AGENT", "ParticipantId": "agent"});
    let mine = json!({"Id": "c1", "Type": "MESSAGE", "ContentType": "text/plain", "Content": "hello",
        "AbsoluteTime": format_iso8601(T0 + 1), "ParticipantRole": "CUSTOMER", "ParticipantId": "me"});
    for item in [agent, mine] {
        h.frame(sock, &json!({"topic": "aws/chat", "content": item.to_string()}).to_string());
    }
}

fn send_events(actions: &[Action<Value>]) -> Vec<(&'static str, Value)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::SendEvent { content_type, content } => {
                Some((*content_type, serde_json::from_str(content).unwrap()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn automatic_delivered_receipts_are_batched_for_other_peoples_messages() {
    let mut h = Harness::with(Config { auto_delivered_receipts: true, ..Config::default() });
    let sock = h.connected(100_000);
    agent_and_customer_items(&mut h, sock);
    assert!(send_events(&h.take()).is_empty(), "nothing before the batch window");
    h.advance(500);
    let sent = send_events(&h.take());
    assert_eq!(sent, [("application/vnd.amazonaws.connect.event.message.delivered", json!({"messageId": "a1"}))]);
    // The page marks it read: a read receipt follows; delivered is never sent twice.
    assert!(h.s.queue_receipt(h.now, "a1", super::receipts::ReceiptKind::Read));
    assert!(!h.s.queue_receipt(h.now, "a1", super::receipts::ReceiptKind::Delivered));
    h.advance(500);
    assert_eq!(
        send_events(&h.take()),
        [("application/vnd.amazonaws.connect.event.message.read", json!({"messageId": "a1"}))]
    );
}

#[test]
fn no_receipt_goes_out_while_the_customer_is_leaving() {
    let mut h = Harness::with(Config { auto_delivered_receipts: true, ..Config::default() });
    let sock = h.connected(100_000);
    agent_and_customer_items(&mut h, sock);
    // DisconnectParticipant is on its way: the delivered receipt waiting for its batch is dropped.
    h.s.leaving(true);
    assert!(!h.s.queue_receipt(h.now, "a1", super::receipts::ReceiptKind::Read), "none queued meanwhile");
    h.advance(500);
    assert!(send_events(&h.take()).is_empty(), "nothing sent with a token about to end");
    // The disconnect failed: the chat goes on, and receipts with it.
    h.s.leaving(false);
    assert!(h.s.queue_receipt(h.now, "a1", super::receipts::ReceiptKind::Read));
    h.advance(500);
    assert_eq!(
        send_events(&h.take()),
        [("application/vnd.amazonaws.connect.event.message.read", json!({"messageId": "a1"}))]
    );
}

#[test]
fn receipts_about_our_own_reads_raise_no_read_event() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    agent_and_customer_items(&mut h, sock); // learns that "me" is our ParticipantId
    h.take();
    let receipt = |id: &str, reader: &str| {
        json!({"Id": id, "Type": "MESSAGEMETADATA",
        "ContentType": "application/vnd.amazonaws.connect.event.message.read", "AbsoluteTime": format_iso8601(T0 + 2),
        "MessageMetadata": {"MessageId": "x", "Receipts": [{"ReadTimestamp": format_iso8601(T0 + 2), "RecipientParticipantId": reader}]}})
    };
    for (id, reader) in [("r1", "me"), ("r2", "agent")] {
        h.frame(sock, &json!({"topic": "aws/chat", "content": receipt(id, reader).to_string()}).to_string());
    }
    let kinds: Vec<_> = h
        .take()
        .into_iter()
        .filter_map(|a| match a {
            Action::Emit(Event::Item(i)) => Some((i.id.clone(), i.kind)),
            _ => None,
        })
        .collect();
    use super::item::ItemKind;
    assert_eq!(kinds, [("r1".to_owned(), ItemKind::OwnReceipt), ("r2".to_owned(), ItemKind::Read)]);
    assert_eq!(h.s.last_seen_id(), Some("c1"), "receipts are not in the transcript: gap filling never starts from one");
}

#[test]
fn typing_is_throttled_by_the_session() {
    let mut h = Harness::new();
    assert!(h.s.allow_typing(0));
    assert!(!h.s.allow_typing(5_000));
    assert!(h.s.allow_typing(10_000));
}

#[test]
fn a_probe_finds_a_dead_socket_quickly() {
    let mut h = Harness::new();
    h.echo = false;
    let sock = h.connected(3_600_000);
    h.frame(sock, HEARTBEAT);
    h.advance(4_000);
    h.take();
    // The tab wakes up: a heartbeat goes out now and must be answered within 3 s.
    h.s.probe(h.now);
    assert_eq!(sends(&h.take(), sock), [HEARTBEAT]);
    h.advance(2_999);
    assert!(closed(&h.take()).is_empty());
    h.advance(1);
    assert_eq!(closed(&h.take()), [sock]);
    assert_eq!(h.s.state(), State::Reconnecting);
}

#[test]
fn a_probe_answered_in_time_changes_nothing() {
    let mut h = Harness::new();
    h.echo = false;
    let sock = h.connected(3_600_000);
    h.frame(sock, HEARTBEAT);
    h.s.probe(h.now);
    h.take();
    h.frame(sock, HEARTBEAT);
    h.advance(9_000);
    assert!(closed(&h.take()).is_empty());
    assert_eq!(h.s.state(), State::Connected);
}

#[test]
fn coming_back_online_reconnects_without_waiting_for_the_backoff() {
    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.s.socket_closed(h.now, sock, 1006, "");
    // Fail a few attempts so the backoff is long.
    for _ in 0..5 {
        h.advance(30_000);
        let acts = h.take();
        if let Some((s, _)) = opens(&acts).pop() {
            h.s.socket_closed(h.now, s, 1006, "");
        } else if let Some((r, _)) = requests(&acts).pop() {
            h.s.connection_created(h.now, h.now, r, Err(ChatError::network("offline")));
        }
    }
    h.take();
    h.s.network_online(h.now);
    h.advance(0);
    let acts = h.take();
    assert!(!requests(&acts).is_empty() || !opens(&acts).is_empty(), "an attempt right away: {acts:?}");
}

#[test]
fn an_ordering_window_releases_out_of_order_items_in_time_order() {
    let mut h = Harness::with(Config { order_window_ms: 200, ..Config::default() });
    let sock = h.connected(100_000);
    h.item(sock, "b", T0 + 2);
    h.advance(50);
    h.item(sock, "a", T0 + 1); // arrives late, but within the window
    h.item(sock, "b", T0 + 2); // a duplicate while the original is held
    h.item(sock, "c", T0 + 3);
    assert!(item_ids(&h.take()).is_empty(), "held for the window");
    h.advance(150);
    assert!(item_ids(&h.take()).is_empty(), "b waits behind the earlier a");
    h.advance(50);
    assert_eq!(item_ids(&h.take()), ["a", "b", "c"]);
    h.item(sock, "d", T0 + 4);
    h.advance(200);
    assert_eq!(item_ids(&h.take()), ["d"]);
}

#[test]
fn an_item_reads_the_clock_only_for_a_rule_that_needs_it() {
    // Reading the browser's clock for every frame was 4 to 7% of an item's cost: the shell gives the
    // core a clock to read, and only a rule that sets a deadline reads it, once per frame.
    use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
    static READS: AtomicU32 = AtomicU32::new(0);
    fn clock() -> Millis {
        READS.fetch_add(1, Relaxed);
        T0 + 7
    }
    let item = |id: &str| Inbound::Chat(super::item::Item::from_json(item_json(id, T0)).unwrap());

    let mut h = Harness::new();
    let sock = h.connected(100_000);
    h.s.socket_frame(&Now::lazy(clock), sock, item("a"));
    assert_eq!(item_ids(&h.take()), ["a"]);
    assert_eq!(READS.load(Relaxed), 0, "delivered at once: no deadline, no clock");

    let mut h = Harness::with(Config { order_window_ms: 100, ..Config::default() });
    let sock = h.connected(100_000);
    assert_eq!(h.now, T0);
    h.s.socket_frame(&Now::lazy(clock), sock, item("b"));
    assert_eq!(READS.load(Relaxed), 1, "held for the window: read once");
    h.advance(106);
    assert!(item_ids(&h.take()).is_empty());
    h.advance(1);
    assert_eq!(item_ids(&h.take()), ["b"], "released 100 ms after its frame came (T0 + 7)");
}

#[test]
fn a_burst_held_for_the_ordering_window_comes_out_once_each_in_time_order() {
    // Thousands held at once (the widget's 150 ms of a bot's burst), many of one time, copies among them.
    let mut h = Harness::with(Config { order_window_ms: 150, ..Config::default() });
    let sock = h.connected(100_000);
    let id = |i: Millis| format!("m{i}");
    for i in 0..3_000 {
        h.item(sock, &id(i), T0 + i / 10);
        if i % 7 == 0 {
            h.item(sock, &id(i), T0 + i / 10); // a copy while the original is held
        }
        if i % 500 == 499 {
            h.advance(40);
        }
    }
    // Late, of the time of m2000..m2009 (still held): it comes after them, before m2010.
    h.item(sock, "late", T0 + 200);
    let mut out = item_ids(&h.take());
    for _ in 0..10 {
        h.advance(100);
        out.extend(item_ids(&h.take()));
    }
    let mut want: Vec<String> = (0..2_010).map(id).collect();
    want.push("late".to_owned());
    want.extend((2_010..3_000).map(id));
    assert_eq!(out, want, "each once, in time order");
    assert_eq!(h.s.held_items(), 0);
}

#[test]
fn a_resumed_session_fills_the_gap_after_the_saved_item() {
    let mut h = Harness::new();
    h.s.resume_from(Some("saved".to_owned()));
    h.s.connect(h.now);
    let req = only_request(&h.take());
    h.s.connection_created(h.now, h.now, req, Ok(h.connection("wss://one", 100_000, 86_400_000)));
    let sock = only_open(&h.take());
    h.s.socket_opened(h.now, sock);
    h.ack(sock);
    let (req, body) = transcript_requests(&h.take()).pop().expect("a gap fill right after connecting");
    assert_eq!(body["StartPosition"]["Id"], "saved");
    let page = json!({"Transcript": [item_json("saved", T0), item_json("new", T0 + 1)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    assert_eq!(item_ids(&h.take()), ["new"], "the saved item was delivered by the earlier page");
    h.item(sock, "live", T0 + 2);
    assert_eq!(item_ids(&h.take()), ["live"]);
}

#[test]
fn closing_during_a_renewal_handover_closes_the_retiring_socket_too() {
    let mut h = Harness::new();
    let (old, req) = h.renewal_due();
    let conn = h.connection("wss://two", 9_000, 86_400_000);
    h.s.connection_created(h.now, h.now, req, Ok(conn));
    let new = only_open(&h.take());
    h.s.socket_opened(h.now, new);
    h.ack(new);
    assert!(closed(&h.take()).is_empty());
    h.s.close();
    let mut shut = closed(&h.take());
    shut.sort_unstable();
    assert_eq!(shut, [old, new]);
    assert_eq!(h.s.poll_timeout(), None, "no timer is left behind");
}

/// Runs the clock until the session asks for a transcript page (a retry after its backoff).
fn next_fetch(h: &mut Harness) -> (RequestId, Value) {
    for _ in 0..600 {
        h.advance(100);
        if let Some(r) = transcript_requests(&h.take()).pop() {
            return r;
        }
    }
    panic!("no GetTranscript within a minute");
}

/// Drops `sock`, reconnects, and fails the gap fill's first page with `error`: the new socket.
fn gap_fill_fails(h: &mut Harness, sock: SocketId, error: ChatError) -> SocketId {
    let sock2 = h.dropped_and_back(sock);
    h.frame(sock2, HEARTBEAT);
    let (req, _) = transcript_requests(&h.take()).pop().expect("a gap fill");
    h.s.transcript_fetched(h.now, req, Err(error));
    sock2
}

#[test]
fn a_failing_gap_fill_is_retried_for_as_long_as_it_takes_and_reported() {
    let mut h = Harness::new();
    let sock = h.connected(3_600_000);
    h.frame(sock, HEARTBEAT);
    h.item(sock, "m1", T0 + 1);
    h.take();
    let down = || ChatError::new("InternalServerException", "down", 500, true);
    let sock2 = gap_fill_fails(&mut h, sock, down());
    // The live item that waited behind the fill goes out now: the chat does not freeze.
    h.item(sock2, "live", T0 + 9);
    let acts = h.take();
    match events(&acts).as_slice() {
        [Event::GapFillFailed { attempt: 1, retrying: true, .. }, Event::Item(i)] => assert_eq!(i.id, "live"),
        other => panic!("{other:?}"),
    }
    // Ten more failures, each retried after a capped backoff, each reported.
    for attempt in 2..12 {
        let (req, body) = next_fetch(&mut h);
        assert_eq!(body["StartPosition"]["Id"], "m1", "still from before the gap");
        h.s.transcript_fetched(h.now, req, Err(down()));
        match events(&h.take()).as_slice() {
            [Event::GapFillFailed { attempt: a, retrying: true, delay_ms, .. }] => {
                assert_eq!(*a, attempt);
                assert!(*delay_ms <= 30_000);
            }
            other => panic!("{other:?}"),
        }
    }
    let (req, _) = next_fetch(&mut h);
    let page = json!({"Transcript": [item_json("m1", T0 + 1), item_json("m2", T0 + 2), item_json("live", T0 + 9)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    let acts = h.take();
    assert_eq!(item_ids(&acts), ["m2"], "the missed item, once; the live one was delivered already");
    assert!(events(&acts).contains(&&Event::GapFilled { items: 1 }));
    assert_eq!(h.s.poll_timeout().map(|t| t - h.now > 1_000), Some(true), "nothing left to retry");
}

#[test]
fn a_gap_fill_that_refuses_again_and_again_is_given_up_and_reported() {
    let mut h = Harness::new();
    let sock = h.connected(3_600_000);
    h.frame(sock, HEARTBEAT);
    h.item(sock, "m1", T0 + 1);
    h.take();
    let refused = || ChatError::new("ValidationException", "no", 400, false);
    // Refused from the last item seen: read from the start at once; refused there too, five times.
    gap_fill_fails(&mut h, sock, refused());
    let (req, body) = transcript_requests(&h.take()).pop().expect("from the start");
    assert!(body.get("StartPosition").is_none());
    h.s.transcript_fetched(h.now, req, Err(refused()));
    let mut failures = vec![];
    let mut record = |acts: &[Action<Value>]| {
        for e in events(acts) {
            if let Event::GapFillFailed { retrying, .. } = e {
                failures.push(*retrying);
            }
        }
    };
    record(&h.take());
    for _ in 0..4 {
        let (req, _) = next_fetch(&mut h);
        h.s.transcript_fetched(h.now, req, Err(refused()));
        record(&h.take());
    }
    assert_eq!(failures.last(), Some(&false), "given up in the end: {failures:?}");
    h.advance(120_000);
    assert!(transcript_requests(&h.take()).is_empty(), "and not asked again");
}

#[test]
fn a_service_that_repeats_its_next_token_ends_the_fill_and_it_is_reported() {
    let mut h = Harness::new();
    let sock = h.connected(3_600_000);
    h.frame(sock, HEARTBEAT);
    h.item(sock, "m1", T0 + 1);
    h.take();
    let sock2 = h.dropped_and_back(sock);
    h.frame(sock2, HEARTBEAT);
    h.item(sock2, "live", T0 + 50);
    let mut acts = h.take();
    for round in 0..3 {
        let (req, _) = transcript_requests(&acts).pop().expect("a page");
        let page = json!({"Transcript": [item_json(&format!("p{round}"), T0 + 2 + round)], "NextToken": "same"});
        h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
        acts = h.take();
        if round == 1 {
            break;
        }
    }
    assert!(transcript_requests(&acts).is_empty(), "no third page");
    assert!(events(&acts).iter().any(|e| matches!(e, Event::GapFillFailed { retrying: false, .. })));
    assert_eq!(item_ids(&acts), ["p1", "live"], "what it brought, then the held live item");
}

#[test]
fn live_items_are_held_behind_a_fill_only_so_long_and_so_many() {
    let mut h = Harness::with(Config { max_held_items: 3, ..Config::default() });
    let sock = h.connected(3_600_000);
    h.frame(sock, HEARTBEAT);
    h.item(sock, "m1", T0 + 1);
    h.take();
    let sock2 = h.dropped_and_back(sock);
    h.frame(sock2, HEARTBEAT);
    h.take();
    for i in 0..2 {
        h.item(sock2, &format!("l{i}"), T0 + 10 + i);
    }
    assert!(item_ids(&h.take()).is_empty(), "held behind the fill");
    h.item(sock2, "l2", T0 + 12);
    assert_eq!(item_ids(&h.take()), ["l0", "l1", "l2"], "a full hold is released");
    h.item(sock2, "l3", T0 + 13);
    assert_eq!(item_ids(&h.take()), ["l3"], "and the fill holds nothing more");
    // A slow fill also releases what it holds after gap_hold_ms, and goes on.
    let mut h = Harness::with(Config { request_timeout_ms: 60_000, gap_hold_ms: 5_000, ..Config::default() });
    let sock = h.connected(3_600_000);
    h.frame(sock, HEARTBEAT);
    h.item(sock, "m1", T0 + 1);
    h.take();
    let sock2 = h.dropped_and_back(sock);
    h.item(sock2, "waiting", T0 + 10);
    let (req, _) = transcript_requests(&h.take()).pop().unwrap();
    h.advance(4_999);
    assert!(item_ids(&h.take()).is_empty());
    h.advance(1);
    assert_eq!(item_ids(&h.take()), ["waiting"]);
    let page = json!({"Transcript": [item_json("m1", T0 + 1), item_json("m2", T0 + 2), item_json("waiting", T0 + 10)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    assert_eq!(item_ids(&h.take()), ["m2"]);
}

#[test]
fn items_held_for_the_ordering_window_when_the_page_is_hidden_come_back() {
    let mut h = Harness::with(Config { order_window_ms: 150, ..Config::default() });
    let sock = h.connected(3_600_000);
    h.frame(sock, HEARTBEAT);
    h.item(sock, "a", T0 + 1);
    h.advance(150);
    assert_eq!(item_ids(&h.take()), ["a"]);
    h.item(sock, "b", T0 + 2);
    // pagehide: the session closes with "b" still in the window.
    h.s.close();
    assert!(item_ids(&h.take()).is_empty());
    // pageshow: connect again (the URL is still fresh); the gap fill brings "b", not a duplicate.
    h.reconnected();
    let (req, body) = transcript_requests(&h.take()).pop().unwrap();
    assert_eq!(body["StartPosition"]["Id"], "a");
    let page = json!({"Transcript": [item_json("a", T0 + 1), item_json("b", T0 + 2)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    h.advance(150);
    assert_eq!(item_ids(&h.take()), ["b"]);
}

#[test]
fn items_held_when_the_page_is_hidden_come_back_even_behind_the_horizon_and_out_of_order() {
    // A long chat (a window of 4 Ids), one item whose time is a little before its predecessor's, and a
    // close while both are held: after the next connect each is delivered once, whatever the fill says.
    let mut h = Harness::with(Config { order_window_ms: 150, dedup_window: 4, ..Config::default() });
    let sock = h.connected(3_600_000);
    h.frame(sock, HEARTBEAT);
    for i in 0..10 {
        h.item(sock, &format!("i{i}"), T0 + 100 * i);
    }
    h.advance(150);
    assert_eq!(item_ids(&h.take()).len(), 10);
    h.item(sock, "late", T0 + 2_000);
    h.item(sock, "early", T0 + 1_990);
    h.s.close();
    assert!(item_ids(&h.take()).is_empty());
    h.reconnected();
    let (req, body) = transcript_requests(&h.take()).pop().unwrap();
    assert_eq!(body["StartPosition"]["Id"], "i9", "the fill starts after the last item delivered");
    // The service's page starts at i9 (the held two are after it); it repeats them.
    let page = json!({"Transcript": [item_json("i9", T0 + 900), item_json("late", T0 + 2_000), item_json("early", T0 + 1_990)]});
    h.s.transcript_fetched(h.now, req, Ok(read_transcript(page).unwrap()));
    h.advance(150);
    assert_eq!(item_ids(&h.take()), ["early", "late"]);
    assert_eq!(h.s.held_items(), 0);
}

#[test]
fn a_slow_link_earns_patience_and_a_brisk_one_loses_it() {
    // Heartbeats every 2 s; the link answers in 3 s: each socket is given up, until the wait has grown.
    let mut h = Harness::with(Config { heartbeat_interval_ms: 2_000, ..Config::default() });
    h.echo = false;
    let sock = h.connected(3_600_000);
    h.advance(2_000);
    let acts = h.take();
    assert_eq!(closed(&acts), [sock], "the first heartbeat went unanswered for 2 s");
    let next = only_open(&acts);
    h.s.socket_opened(h.now, next);
    assert_eq!(sends(&h.take(), next), [SUBSCRIBE, HEARTBEAT]);
    // The subscription now waits 2 s before a resend, and the heartbeat 4 s for its echo.
    h.advance(1_999);
    assert!(sends(&h.take(), next).is_empty());
    h.advance(1);
    assert_eq!(sends(&h.take(), next), [SUBSCRIBE]);
    h.ack(next);
    h.advance(1_000);
    h.frame(next, HEARTBEAT); // 3 s after it went out: late, yet in time now
    let acts = h.take();
    assert!(closed(&acts).is_empty(), "{acts:?}");
    assert_eq!(h.s.state(), State::Connected);
    // The next heartbeat is due 2 s after the last went out, so at once; answered at once, the
    // patience halves.
    h.advance(0);
    assert_eq!(sends(&h.take(), next), [HEARTBEAT]);
    h.frame(next, HEARTBEAT);
    h.advance(2_000);
    assert_eq!(sends(&h.take(), next), [HEARTBEAT]);
    h.advance(2_000);
    assert_eq!(closed(&h.take()), [next], "back to 2 s for an answer");
}

#[test]
fn a_client_clock_far_ahead_cannot_make_renewals_a_storm() {
    let mut h = Harness::new();
    // The service says the URL expires in 100 s; a clock 99.8 s ahead reads that as 200 ms.
    let skewed = h.now + 99_800;
    let conn = h.connection_raw("wss://one", &format_iso8601(h.now + 100_000), &format_iso8601(h.now + 86_400_000));
    let sock = h.connected_with(conn, skewed);
    h.frame(sock, HEARTBEAT);
    h.take();
    let mut renewals = 0;
    for _ in 0..60 {
        h.advance(1_000);
        for req in requests(&h.take()) {
            renewals += 1;
            let wall = h.now + 99_800;
            let conn =
                h.connection_raw("wss://next", &format_iso8601(h.now + 100_000), &format_iso8601(h.now + 86_400_000));
            h.s.connection_created(h.now, wall, req.0, Ok(conn));
            let acts = h.take();
            if let Some((new, _)) = opens(&acts).pop() {
                h.s.socket_opened(h.now, new);
                h.ack(new);
                h.frame(new, HEARTBEAT);
                let acts = h.take();
                if let Some(old) = sends(&acts, sock).first().map(|_| sock) {
                    h.frame(old, HEARTBEAT);
                }
                h.take();
            }
        }
    }
    assert!(renewals <= 8, "{renewals} renewals in a minute: the floor doubles (1, 2, 4, 8, 16, 32 s)");
    assert!(renewals >= 3, "but it does renew: {renewals}");
}

#[test]
fn a_wall_clock_step_back_stalls_no_heartbeat() {
    // The session's clock is monotonic: only the expiries read the wall clock. A wall clock an hour
    // behind the service makes the URL look like it lives an hour more; heartbeats go on regardless.
    let mut h = Harness::new();
    let conn = h.connection("wss://one", 100_000, 86_400_000);
    let sock = h.connected_with(conn, h.now - 3_600_000);
    h.frame(sock, HEARTBEAT);
    h.take();
    h.advance(10_000);
    assert_eq!(sends(&h.take(), sock), [HEARTBEAT]);
}

/// The back-forward cache: leaving the page closes a live session, coming back connects it again; a
/// session the page closed or that ended stays so, and one that was never live is left alone.
#[test]
fn a_suspended_session_resumes_and_a_closed_one_stays_closed() {
    let mut h = Harness::new();
    let sock = h.connected(3_600_000);
    assert!(h.s.suspend());
    assert_eq!(closed(&h.take()), [sock]);
    assert_eq!(h.s.state(), State::Closed);
    assert!(h.s.is_alive(), "suspended, not closed for good: a call waiting to retry goes on");
    h.s.resume(h.now);
    assert!(!opens(&h.take()).is_empty(), "the fresh URL is reused at once");
    assert_eq!(h.s.state(), State::Connecting);

    let mut h = Harness::new();
    h.connected(3_600_000);
    h.s.suspend();
    h.s.close();
    assert!(!h.s.is_alive());
    h.s.resume(h.now);
    assert!(h.take().iter().all(|a| matches!(a, Action::CloseSocket { .. })), "closed by the page: stays closed");
    assert_eq!(h.s.state(), State::Closed);

    let mut h = Harness::new();
    assert!(!h.s.suspend(), "never connected: nothing to suspend");
    h.s.resume(h.now);
    assert!(h.take().is_empty());
    assert_eq!(h.s.state(), State::Idle);

    let mut h = Harness::new();
    h.connected(3_600_000);
    h.s.end();
    assert!(!h.s.suspend() && !h.s.is_alive(), "an ended chat is over");
}
