//! The session state machine, sans IO (in the manner of `quinn-proto`): it is fed inputs (an HTTP
//! result, a socket event, the current time) and answers with [`Action`]s for the shell to perform.
//! It never reads a clock, never sleeps and never touches the network, so every renewal, backoff and
//! heartbeat rule is a plain native test with a fake clock.
//!
//! The shell's loop: after any input, drain the actions ([`Session::take_actions`]), then (re)arm one
//! timer for [`Session::poll_timeout`] and call [`Session::handle_timeout`] when it fires.
//!
//! Time: `now` is a monotonic clock (the shell passes `performance.now()`): every deadline runs on it,
//! so a wall-clock step (NTP, a resumed laptop) stalls nothing. Wall time is read only where the service
//! speaks it: the expiries of URLs and tokens, and items' `AbsoluteTime`.
//!
//! Connection life: `connect` → CreateParticipantConnection → open the socket → `aws/subscribe` →
//! acknowledged: connected. Before the URL's `ConnectionExpiry` a new URL is fetched and a second
//! socket opened and subscribed; then the first is retired behind a barrier: a heartbeat sent on it
//! comes back after everything the service sent it before, so its echo means nothing is left in flight
//! and it can close (items seen on both are delivered once). Without the echo in time, it closes anyway
//! and the gap is filled from the last item seen before the switch.
//! A socket that closes, fails to subscribe or leaves a heartbeat unanswered is replaced after a
//! jittered backoff, and after such a reconnect the items missed meanwhile are fetched with
//! GetTranscript before newer live items are delivered.

use super::api::{Connection, TranscriptPage};
use super::backoff::{Backoff, Rng};
use super::dedup::Dedup;
use super::error::{names, ChatError};
use super::frame::{Inbound, HEARTBEAT, SUBSCRIBE};
use super::gap::{earlier, GapFill, Next, Position};
use super::item::{Item, ItemKind, Role};
use super::json::JsonValue;
use super::receipts::{ReceiptKind, ReceiptQueue, TypingThrottle};
use super::stream::Streams;
use super::text::num;
use super::time::Millis;
use crate::prelude::*;

/// Identifies one socket the shell opened for us.
pub type SocketId = u32;
/// Identifies one HTTP request the shell makes for us.
pub type RequestId = u32;

/// The session's state as the page sees it (`ChatSession.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Idle,
    Connecting,
    Connected,
    Reconnecting,
    Ended,
    Closed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Idle => "idle",
            State::Connecting => "connecting",
            State::Connected => "connected",
            State::Reconnecting => "reconnecting",
            State::Ended => "ended",
            State::Closed => "closed",
        }
    }
}

/// Timing rules. The defaults follow the service and chatjs (10 s heartbeat, 1 s subscribe resend
/// three times, 500 ms retry after a refused subscription five times).
#[derive(Debug, Clone)]
pub struct Config {
    pub heartbeat_interval_ms: u32,
    pub subscribe_ack_timeout_ms: u32,
    pub subscribe_sends: u32,
    pub subscribe_failure_retry_ms: u32,
    pub subscribe_failures: u32,
    /// A socket that has not opened by then is given up.
    pub open_timeout_ms: u32,
    /// An API call that has not answered by then counts as a `TimeoutError`.
    pub request_timeout_ms: u32,
    /// Lifetime assumed for a URL whose `ConnectionExpiry` is missing, unreadable or already past
    /// (a client clock set wrong must not cause a renewal storm). The service documents 100 s.
    pub default_url_ttl_ms: u32,
    /// Likewise for the ConnectionToken (the service documents one day).
    pub default_token_ttl_ms: u32,
    /// Renewal starts this long before expiry at most (a third of the lifetime for short lifetimes).
    pub max_renew_lead_ms: u32,
    /// Renewals come no closer than this. When a URL's lifetime looks shorter than the floor (a client
    /// clock far ahead of the service's makes every expiry look imminent), the floor doubles for the next
    /// one, up to a third of `default_url_ttl_ms`.
    pub min_renew_interval_ms: u32,
    /// How long a socket a renewal replaced may take to echo the heartbeat that closes it (see the module
    /// doc) before the gap is filled instead.
    pub barrier_timeout_ms: u32,
    /// Delays between reconnect attempts.
    pub reconnect: Backoff,
    /// Attempts `connect()` makes on retryable failures before it rejects.
    pub connect_attempts: u32,
    /// A gap fill refused this many times in a row (a 4xx, not worth retrying) is given up and reported.
    /// Retryable failures are retried for as long as the session lives.
    pub gap_fill_attempts: u32,
    /// A gap fill ends after this many pages (a service that never stops giving more).
    pub max_gap_pages: u32,
    /// Live items held behind a gap fill: beyond this many (or after `gap_hold_ms`) they are released.
    pub max_held_items: usize,
    pub gap_hold_ms: u32,
    /// Whether to fill gaps after reconnects with GetTranscript.
    pub gap_fill: bool,
    /// How many recent item Ids are remembered to drop duplicates.
    pub dedup_window: usize,
    /// Send a delivered receipt for every incoming message from someone else.
    pub auto_delivered_receipts: bool,
    /// Receipts are sent in batches this long after the first is queued.
    pub receipt_batch_ms: u32,
    /// At most one typing event per this many ms.
    pub typing_interval_ms: u32,
    /// How long a probe heartbeat (see [`Session::probe`]) may go unanswered.
    pub probe_timeout_ms: u32,
    /// Items are held this long and released in `AbsoluteTime` order, so items the service sends out of
    /// order reach the page in order (at the cost of this much latency). 0 delivers on arrival.
    pub order_window_ms: u32,
    /// A streamed reply with no chunk for this long is overdue: its completion is looked for in the
    /// transcript, and failing that it is delivered as it stands (see `stream`).
    pub stream_timeout_ms: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            heartbeat_interval_ms: 10_000,
            subscribe_ack_timeout_ms: 1_000,
            subscribe_sends: 3,
            subscribe_failure_retry_ms: 500,
            subscribe_failures: 5,
            open_timeout_ms: 10_000,
            request_timeout_ms: 15_000,
            default_url_ttl_ms: 100_000,
            default_token_ttl_ms: 86_400_000,
            max_renew_lead_ms: 30_000,
            min_renew_interval_ms: 1_000,
            barrier_timeout_ms: 5_000,
            reconnect: Backoff { initial_ms: 250, max_ms: 30_000 },
            connect_attempts: 4,
            gap_fill_attempts: 5,
            max_gap_pages: 500,
            max_held_items: 10_000,
            gap_hold_ms: 30_000,
            gap_fill: true,
            dedup_window: 4096,
            auto_delivered_receipts: false,
            receipt_batch_ms: 500,
            typing_interval_ms: 10_000,
            probe_timeout_ms: 3_000,
            order_window_ms: 0,
            stream_timeout_ms: 30_000,
        }
    }
}

/// What the session tells the page (the shell maps these to contract events).
#[derive(Debug, Clone, PartialEq)]
pub enum Event<J> {
    Connected,
    Reconnecting {
        attempt: u32,
        delay_ms: u32,
        reason: ChatError,
    },
    /// The connection cannot be restored; the session has ended.
    ConnectionLost {
        reason: ChatError,
    },
    /// A new WebSocket URL is in use.
    Renewed,
    Item(Item<J>),
    /// A streamed bot reply so far (`message-partial`): the latest chunk with `Content` = every chunk
    /// taken, in order, and the first chunk's `AbsoluteTime`.
    Partial(J),
    /// Missed items could not be fetched (yet): `retrying` says whether the session goes on trying (after
    /// `delay_ms`), as it does for every failure it can.
    GapFillFailed {
        reason: ChatError,
        attempt: u32,
        delay_ms: u32,
        retrying: bool,
    },
    /// A gap fill finished: `items` missed items were delivered by it.
    GapFilled {
        items: u32,
    },
    Error(ChatError),
}

/// Work for the shell.
#[derive(Debug, Clone, PartialEq)]
pub enum Action<J> {
    /// Call CreateParticipantConnection with the ParticipantToken, then report with
    /// [`Session::connection_created`].
    CreateConnection {
        request: RequestId,
        credentials_only: bool,
    },
    /// Call GetTranscript with the ConnectionToken and this body, then report with
    /// [`Session::transcript_fetched`].
    FetchTranscript {
        request: RequestId,
        body: String,
    },
    /// Open a WebSocket to `url` and report its events with `socket`.
    OpenSocket {
        socket: SocketId,
        url: String,
    },
    Send {
        socket: SocketId,
        text: &'static str,
    },
    /// Call SendEvent with the ConnectionToken (receipts); failures are reported as `error` events.
    SendEvent {
        content_type: &'static str,
        content: String,
    },
    /// Close the socket and forget it: the session expects no more reports about it.
    CloseSocket {
        socket: SocketId,
    },
    Emit(Event<J>),
    /// Settle the promises of pending `connect()` calls.
    ConnectSettled(Result<(), ChatError>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Get a URL for a first connection or a reconnect.
    Connect,
    /// Get a URL for the standby socket that will replace the active one before it expires.
    Renew,
    /// Get a new ConnectionToken only.
    Credentials,
}

#[derive(Debug)]
struct Request {
    id: RequestId,
    purpose: Purpose,
    /// Asked for credentials only (no URL will come back even if the purpose changes meanwhile).
    credentials_only: bool,
    deadline: Millis,
}

#[derive(Debug)]
enum Phase {
    Opening {
        deadline: Millis,
    },
    /// Subscribe sent; `resend_at` is either the acknowledgement timeout or, after a refusal, the retry.
    Subscribing {
        timeouts: u32,
        failures: u32,
        after_failure: bool,
        resend_at: Millis,
    },
    Live,
}

#[derive(Debug)]
struct Socket {
    id: SocketId,
    phase: Phase,
    /// When to start replacing this socket (meaningful once live).
    renew_at: Millis,
    /// When the next heartbeat goes out or, while one is pending, when its answer is overdue.
    heartbeat_at: Millis,
    heartbeat_pending: bool,
    heartbeat_sent: Millis,
}

/// The newest WebSocket URL; a reconnect may reuse it until it is due for renewal.
#[derive(Debug)]
struct Lease {
    url: String,
    renew_at: Millis,
}

/// A socket a renewal replaced, behind its barrier (see the module doc).
#[derive(Debug)]
struct Retiring {
    socket: SocketId,
    /// Heartbeat echoes still to come: the barrier's, and one the socket was awaiting already (an echo
    /// of that earlier heartbeat says nothing about what was sent after it).
    echoes: u32,
    deadline: Millis,
    /// The newest item seen when the new socket took over: where a fill starts if the barrier fails.
    from: Option<Position>,
}

/// The most the answer timeouts are stretched on a slow link.
const MAX_PATIENCE: u32 = 8;

/// The connection state machine of one chat participant. `J` is the JSON value type of the items.
#[derive(Debug)]
pub struct Session<J> {
    cfg: Config,
    state: State,
    actions: Vec<Action<J>>,
    next_id: u32,
    rng: Rng,
    token: Option<String>,
    token_renew_at: Option<Millis>,
    lease: Option<Lease>,
    active: Option<Socket>,
    standby: Option<Socket>,
    /// The socket a renewal replaced. It is still read until its barrier echo comes: an item the service
    /// sent it just before the new socket's subscription took effect may still be on its way (the two
    /// sockets are separate connections, with no order between them).
    retiring: Option<Retiring>,
    request: Option<Request>,
    /// A scheduled connect attempt (after a failure).
    retry_at: Option<Millis>,
    /// Consecutive failed attempts at connecting.
    attempts: u32,
    /// Consecutive failed renewals.
    renew_failures: u32,
    /// Consecutive URLs whose lifetime looked shorter than twice the renewal floor (see
    /// `min_renew_interval_ms`).
    short_leases: u32,
    connect_pending: bool,
    ever_connected: bool,
    dedup: Dedup,
    /// The newest persistent item delivered (by time), where gap filling starts.
    last_seen: Option<Position>,
    /// Where the next fill must start instead, when that is earlier than `last_seen`: the session closed
    /// with a gap still open or a retiring socket unconfirmed, or a barrier failed while reconnecting
    /// (`Some(None)`: the start).
    refill_from: Option<Option<Position>>,
    /// How many times the configured answer timeouts (subscribe, heartbeat, barrier, probe) we wait:
    /// doubled by each socket that went unanswered, halved by each brisk answer.
    patience: u32,
    /// Items taken in but not delivered when the session closed (held for the ordering window or
    /// behind a fill): they go out after the next connect.
    unreleased: Vec<Item<J>>,
    gap: Option<GapFill<J>>,
    receipts: ReceiptQueue,
    typing: TypingThrottle,
    /// Our own ParticipantId: given, or learned from our own items.
    own_participant: Option<String>,
    /// Items held for the ordering window: (release time, item), sorted by item time.
    ordering: Vec<(Millis, Item<J>)>,
    /// Streamed replies being stitched.
    streams: Streams<J>,
}

impl<J: JsonValue + Clone> Session<J> {
    pub fn new(cfg: Config, seed: u64) -> Self {
        let dedup = Dedup::new(cfg.dedup_window);
        let receipts = ReceiptQueue::new(cfg.receipt_batch_ms);
        let typing = TypingThrottle::new(cfg.typing_interval_ms);
        let streams = Streams::new(cfg.stream_timeout_ms);
        Session {
            cfg,
            state: State::Idle,
            actions: Vec::new(),
            next_id: 1,
            rng: Rng::new(seed),
            token: None,
            token_renew_at: None,
            lease: None,
            active: None,
            standby: None,
            retiring: None,
            request: None,
            retry_at: None,
            attempts: 0,
            renew_failures: 0,
            short_leases: 0,
            connect_pending: false,
            ever_connected: false,
            dedup,
            last_seen: None,
            refill_from: None,
            patience: 1,
            unreleased: Vec::new(),
            gap: None,
            receipts,
            typing,
            own_participant: None,
            ordering: Vec::new(),
            streams,
        }
    }

    /// Our ParticipantId, when the page knows it (else it is learned from our own items).
    pub fn set_participant_id(&mut self, id: String) {
        self.own_participant = Some(id);
    }

    /// Queues a read or delivered receipt for `message_id`; `false` if it was already sent or queued.
    pub fn queue_receipt(&mut self, now: Millis, message_id: &str, kind: ReceiptKind) -> bool {
        if matches!(self.state, State::Ended | State::Closed | State::Idle) {
            return false;
        }
        self.receipts.push(now, message_id, kind)
    }

    /// The browser says the network is back: a pending reconnect runs now instead of after its backoff,
    /// and a connected socket is probed.
    pub fn network_online(&mut self, now: Millis) {
        if self.state == State::Reconnecting && self.retry_at.is_some() {
            self.retry_at = Some(now);
        }
        self.probe(now);
    }

    /// Checks the active socket at once (a tab waking up, the network coming back): a heartbeat goes out
    /// now and must be answered within `probe_timeout_ms`, instead of waiting for the next tick.
    pub fn probe(&mut self, now: Millis) {
        let timeout = self.patient(self.cfg.probe_timeout_ms);
        let Some(s) = self.active.as_mut() else {
            return;
        };
        if !matches!(s.phase, Phase::Live) {
            return;
        }
        if !s.heartbeat_pending {
            s.heartbeat_pending = true;
            s.heartbeat_sent = now;
            let id = s.id;
            self.actions.push(Action::Send { socket: id, text: HEARTBEAT });
        }
        if let Some(s) = self.active.as_mut() {
            s.heartbeat_at = s.heartbeat_at.min(now + timeout);
        }
    }

    /// Whether a typing event may go out now (at most one per `typing_interval_ms`).
    pub fn allow_typing(&mut self, now: Millis) -> bool {
        self.typing.allow(now)
    }

    pub fn state(&self) -> State {
        self.state
    }

    /// Whether `socket` is one the session still wants: an [`Action::OpenSocket`] taken before a
    /// re-entrant `close()` (a listener called it while the shell performed the batch) is not carried out.
    pub fn wants_socket(&self, socket: SocketId) -> bool {
        self.socket_ref(socket).is_some()
    }

    /// Items taken in but not delivered yet (the ordering window, a gap fill's hold), and an open gap.
    #[cfg(test)]
    pub fn held_items(&self) -> usize {
        self.ordering.len() + self.unreleased.len() + self.gap.as_ref().map_or(0, |g| g.held.len() + 1)
    }

    /// The current ConnectionToken, for the API calls the shell makes on the page's behalf.
    pub fn connection_token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The Id of the newest item delivered, where a resumed session fills its gap from.
    pub fn last_seen_id(&self) -> Option<&str> {
        self.last_seen.as_ref().map(|(id, _)| id.as_str())
    }

    /// The oldest queued action, if any (the tests step through them one at a time).
    pub fn poll_action(&mut self) -> Option<Action<J>> {
        (!self.actions.is_empty()).then(|| self.actions.remove(0))
    }

    /// Every queued action, oldest first (what `poll_action` would return one by one). The shell drains
    /// the queue this way: constant work per action however many one input queued.
    pub fn take_actions(&mut self) -> Vec<Action<J>> {
        ::core::mem::take(&mut self.actions)
    }

    /// Starts connecting. A call while connecting joins the pending attempt; a call while connected
    /// settles at once.
    pub fn connect(&mut self, now: Millis) {
        match self.state {
            State::Connected => self.actions.push(Action::ConnectSettled(Ok(()))),
            State::Connecting | State::Reconnecting => self.connect_pending = true,
            State::Ended => self.actions.push(Action::ConnectSettled(Err(ChatError::session_ended(
                "the chat has ended; start a new chat for a new session",
            )))),
            State::Idle | State::Closed => {
                self.state = State::Connecting;
                self.connect_pending = true;
                self.attempts = 0;
                self.begin_connect_attempt(now);
            }
        }
    }

    /// Seeds the session with what a previous page load knew (opt-in persistence): the last item seen,
    /// so the gap since then is filled after connecting.
    pub fn resume_from(&mut self, last_seen_id: Option<String>) {
        if let Some(id) = last_seen_id {
            // The earlier page delivered that item; the gap starts after it.
            self.dedup.insert(&id, None);
            self.last_seen = Some((id, None));
            self.ever_connected = true;
        }
    }

    /// Local teardown: every socket closed, every timer dropped, no API call.
    pub fn close(&mut self) {
        self.shut_down(State::Closed, "the session was closed");
    }

    /// The participant has left (after DisconnectParticipant): as `close`, but final.
    pub fn end(&mut self) {
        self.shut_down(State::Ended, "the chat has ended");
    }

    /// Reports the result of a [`Action::CreateConnection`]; `wall` is the wall clock now (ms since the
    /// epoch), against which the answer's expiries are read.
    pub fn connection_created(
        &mut self,
        now: Millis,
        wall: Millis,
        request: RequestId,
        result: Result<Connection, ChatError>,
    ) {
        let Some(req) = self.request.take_if(|r| r.id == request) else {
            return;
        };
        match result {
            Ok(conn) => self.on_connection(now, wall, &req, conn),
            Err(e) => self.on_request_failed(now, req.purpose, e),
        }
    }

    /// Reports the result of a [`Action::FetchTranscript`].
    pub fn transcript_fetched(
        &mut self,
        now: Millis,
        request: RequestId,
        result: Result<(TranscriptPage<J>, usize), ChatError>,
    ) {
        let Some(gap) = self.gap.as_mut() else { return };
        if gap.request.map(|(id, _)| id) != Some(request) {
            return;
        }
        gap.request = None;
        let (page, skipped) = match result {
            Ok(answer) => answer,
            Err(e) => return self.on_gap_failed(now, e),
        };
        if skipped > 0 {
            self.emit(Event::Error(ChatError::invalid_response(
                200,
                ["GetTranscript: skipped ", &num(skipped as u64), " entries that are not items"].concat(),
            )));
        }
        // The transcript keeps only a streamed reply's completed item; a chunk in it is ignored rather
        // than let it stand for the whole reply.
        let mut recovered = 0;
        for item in page.items {
            if !item.is_partial() && self.deliver(now, item) {
                recovered += 1;
            }
        }
        let max_pages = self.cfg.max_gap_pages;
        let Some(gap) = self.gap.as_mut() else { return };
        gap.recovered += recovered;
        match gap.page(page.next_token, max_pages) {
            Next::More => self.request_gap_page(now),
            Next::Done => {
                let items = gap.recovered;
                self.finish_gap(now);
                self.emit(Event::GapFilled { items });
            }
            Next::Bounded(why) => {
                let reason = ChatError::invalid_response(200, why);
                self.emit(Event::GapFillFailed { reason, attempt: 1, delay_ms: 0, retrying: false });
                self.finish_gap(now);
            }
        }
    }

    pub fn socket_opened(&mut self, now: Millis, socket: SocketId) {
        let ack_timeout = self.patient(self.cfg.subscribe_ack_timeout_ms);
        let answer = self.patient(self.cfg.heartbeat_interval_ms);
        let Some(s) = self.socket_mut(socket) else {
            return;
        };
        s.phase = Phase::Subscribing { timeouts: 0, failures: 0, after_failure: false, resend_at: now + ack_timeout };
        s.heartbeat_pending = true;
        s.heartbeat_sent = now;
        s.heartbeat_at = now + answer;
        self.actions.push(Action::Send { socket, text: SUBSCRIBE });
        self.actions.push(Action::Send { socket, text: HEARTBEAT });
    }

    /// A text frame that is not JSON at all (the shell could not parse it).
    pub fn socket_garbage(&mut self, socket: SocketId, message: String) {
        if self.socket_ref(socket).is_some() {
            self.emit(Event::Error(ChatError::new(names::MALFORMED_FRAME, message, 0, false)));
        }
    }

    /// A decoded frame (see [`super::frame::decode_value`]); decoding errors go to `socket_garbage`.
    pub fn socket_frame(&mut self, now: Millis, socket: SocketId, frame: Inbound<J>) {
        if let Some(r) = self.retiring.as_mut().filter(|r| r.socket == socket) {
            // Only its items and the barrier's echo matter now (see `Retiring`).
            match frame {
                Inbound::Chat(item) => self.on_item(now, item),
                Inbound::Heartbeat => {
                    r.echoes = r.echoes.saturating_sub(1);
                    if r.echoes == 0 {
                        self.retiring = None;
                        self.hold_ids();
                        self.actions.push(Action::CloseSocket { socket });
                    }
                }
                _ => {}
            }
            return;
        }
        if self.socket_ref(socket).is_none() {
            return;
        }
        match frame {
            Inbound::SubscribeAck { success: true } => self.on_subscribed(now, socket),
            Inbound::SubscribeAck { success: false } => self.on_subscribe_refused(now, socket),
            Inbound::Heartbeat => {
                let interval = Millis::from(self.cfg.heartbeat_interval_ms);
                let Some(s) = self.socket_mut(socket) else { return };
                if s.heartbeat_pending {
                    s.heartbeat_pending = false;
                    s.heartbeat_at = s.heartbeat_sent + interval;
                    if now - s.heartbeat_sent < interval / 2 {
                        // The link answers briskly again: less patience next time.
                        self.patience = (self.patience / 2).max(1);
                    }
                }
            }
            Inbound::Ping { .. } | Inbound::Unknown { .. } => {}
            Inbound::Chat(item) => self.on_item(now, item),
            Inbound::ServiceError { message } => {
                self.emit(Event::Error(ChatError::new(names::SERVICE_FRAME, message, 0, false)));
            }
        }
    }

    /// The socket closed (or errored) without us asking.
    pub fn socket_closed(&mut self, now: Millis, socket: SocketId, code: u16, reason: &str) {
        if self.retiring.as_ref().is_some_and(|r| r.socket == socket) {
            // Closed before its barrier's echo: what it still carried may be lost.
            return self.barrier_failed(now);
        }
        let Some(s) = self.socket_ref(socket) else {
            return;
        };
        let never_opened = matches!(s.phase, Phase::Opening { .. });
        let what = if never_opened { "the WebSocket could not be opened" } else { "the WebSocket closed" };
        let msg = if reason.is_empty() {
            [what, " (code ", &num(u64::from(code)), ")"].concat()
        } else {
            [what, " (code ", &num(u64::from(code)), ": ", reason, ")"].concat()
        };
        // A URL that cannot even be opened is likely expired or refused: do not try it again.
        self.fail_socket(now, socket, ChatError::new(names::SOCKET_CLOSED, msg, 0, true), never_opened);
    }

    /// The earliest time [`Session::handle_timeout`] must be called, if any.
    pub fn poll_timeout(&self) -> Option<Millis> {
        let mut t: Option<Millis> = None;
        let mut consider = |v: Option<Millis>| {
            if let Some(v) = v {
                t = Some(t.map_or(v, |c| c.min(v)));
            }
        };
        consider(self.request.as_ref().map(|r| r.deadline));
        consider(self.retry_at);
        consider(self.retiring.as_ref().map(|r| r.deadline));
        for s in [&self.active, &self.standby].into_iter().flatten() {
            match s.phase {
                Phase::Opening { deadline } => consider(Some(deadline)),
                Phase::Subscribing { resend_at, .. } => {
                    consider(Some(resend_at));
                    consider(Some(s.heartbeat_at));
                }
                Phase::Live => consider(Some(s.heartbeat_at)),
            }
        }
        consider(self.renewal_due_at());
        if self.request.is_none() && self.state == State::Connected {
            consider(self.token_renew_at);
        }
        if let Some(g) = &self.gap {
            consider(g.request.map(|(_, d)| d));
            consider(g.retry_at);
            consider(g.holding.then_some(g.release_at));
        }
        consider(self.receipts.flush_at());
        consider(self.ordering.first().map(|(at, _)| *at));
        consider(self.streams.poll_timeout());
        t
    }

    /// Runs every rule whose time has come.
    pub fn handle_timeout(&mut self, now: Millis) {
        if self.request.as_ref().is_some_and(|r| r.deadline <= now) {
            if let Some(req) = self.request.take() {
                self.on_request_failed(
                    now,
                    req.purpose,
                    ChatError::timeout("CreateParticipantConnection did not answer in time"),
                );
            }
        }
        for id in [self.active.as_ref().map(|s| s.id), self.standby.as_ref().map(|s| s.id)].into_iter().flatten() {
            self.socket_timers(now, id);
        }
        if self.retiring.as_ref().is_some_and(|r| r.deadline <= now) {
            self.barrier_failed(now);
        }
        if self.retry_at.is_some_and(|t| t <= now) {
            self.retry_at = None;
            self.begin_connect_attempt(now);
        }
        if self.renewal_due_at().is_some_and(|t| t <= now) {
            self.send_request(now, Purpose::Renew);
        }
        if self.state == State::Connected && self.request.is_none() && self.token_renew_at.is_some_and(|t| t <= now) {
            self.send_request(now, Purpose::Credentials);
        }
        if let Some(g) = self.gap.as_mut() {
            if g.request.is_some_and(|(_, d)| d <= now) {
                g.request = None;
                self.on_gap_failed(now, ChatError::timeout("GetTranscript did not answer in time"));
            } else if g.retry_at.is_some_and(|t| t <= now) {
                g.retry_at = None;
                self.request_gap_page(now);
            }
        }
        if self.gap.as_ref().is_some_and(|g| g.holding && g.release_at <= now) {
            self.release_held(now);
        }
        self.release_due(now);
        if self.streams.mark_overdue(now) {
            self.streams_overdue(now);
        }
        for (id, kind) in self.receipts.take_due(now) {
            let mut content = String::with_capacity(id.len() + 16);
            content.push_str(r#"{"messageId":"#);
            super::json::push_str_literal(&mut content, &id);
            content.push('}');
            self.actions.push(Action::SendEvent { content_type: kind.content_type(), content });
        }
    }

    // ----- connecting -----

    fn begin_connect_attempt(&mut self, now: Millis) {
        // The last URL is reused while it is not due for renewal anyway; after that a new one is fetched.
        let reusable = self.lease.as_ref().filter(|l| l.renew_at > now).map(|l| l.url.clone());
        match reusable {
            Some(url) if self.active.is_none() => self.open_socket(now, url, false),
            _ => self.send_request(now, Purpose::Connect),
        }
    }

    fn send_request(&mut self, now: Millis, purpose: Purpose) {
        if self.request.is_some() {
            return;
        }
        let id = self.fresh_id();
        let deadline = now + Millis::from(self.cfg.request_timeout_ms);
        let credentials_only = purpose == Purpose::Credentials;
        self.request = Some(Request { id, purpose, credentials_only, deadline });
        self.actions.push(Action::CreateConnection { request: id, credentials_only });
    }

    fn on_connection(&mut self, now: Millis, wall: Millis, req: &Request, conn: Connection) {
        if let Some(cred) = conn.credentials {
            let ttl = lifetime(wall, cred.expiry, self.cfg.default_token_ttl_ms);
            self.token_renew_at = Some(now + renew_after(ttl, self.cfg.max_renew_lead_ms));
            self.token = Some(cred.token);
            self.renew_failures = 0;
        }
        let purpose = req.purpose;
        if purpose == Purpose::Credentials {
            return;
        }
        if req.credentials_only {
            // A token renewal that a lost socket turned into a reconnect: now get a URL.
            return self.begin_connect_attempt(now);
        }
        let Some(ws) = conn.websocket else {
            let e = ChatError::invalid_response(200, "CreateParticipantConnection returned no Websocket");
            return self.on_request_failed(now, purpose, e);
        };
        let ttl = lifetime(wall, ws.expiry, self.cfg.default_url_ttl_ms);
        let renew_in = self.renewal_interval(ttl);
        self.lease = Some(Lease { url: ws.url.clone(), renew_at: now + renew_in });
        let as_standby = purpose == Purpose::Renew && self.active.is_some();
        self.open_socket(now, ws.url, as_standby);
    }

    /// When to renew a URL that lives `ttl`: a third before its end (at most `max_renew_lead_ms` before),
    /// but never sooner than the floor, which doubles while URLs keep looking too short to be true.
    fn renewal_interval(&mut self, ttl: Millis) -> Millis {
        let cap = Millis::from(self.cfg.default_url_ttl_ms / 3).max(Millis::from(self.cfg.min_renew_interval_ms));
        let floor = (Millis::from(self.cfg.min_renew_interval_ms) << self.short_leases.min(20)).min(cap);
        self.short_leases = if ttl < floor { self.short_leases + 1 } else { 0 };
        renew_after(ttl, self.cfg.max_renew_lead_ms).max(floor)
    }

    fn open_socket(&mut self, now: Millis, url: String, as_standby: bool) {
        let id = self.fresh_id();
        let renew_at = self.lease.as_ref().map_or(now, |l| l.renew_at);
        let socket = Socket {
            id,
            phase: Phase::Opening { deadline: now + Millis::from(self.cfg.open_timeout_ms) },
            renew_at,
            heartbeat_at: Millis::MAX,
            heartbeat_pending: false,
            heartbeat_sent: 0,
        };
        if as_standby {
            self.standby = Some(socket);
        } else {
            self.active = Some(socket);
        }
        self.actions.push(Action::OpenSocket { socket: id, url });
    }

    fn on_request_failed(&mut self, now: Millis, purpose: Purpose, e: ChatError) {
        if !e.retryable {
            // The ParticipantToken is refused or the chat is gone: no retry can help.
            return self.give_up(e);
        }
        match purpose {
            Purpose::Connect => self.connect_attempt_failed(now, e),
            Purpose::Renew => self.renewal_failed(now),
            Purpose::Credentials => {
                self.renew_failures += 1;
                let delay = self.cfg.reconnect.delay(self.renew_failures, &mut self.rng);
                self.token_renew_at = Some(now + Millis::from(delay));
            }
        }
    }

    /// A connect attempt (API call, socket open or subscription) failed with a retryable error.
    fn connect_attempt_failed(&mut self, now: Millis, reason: ChatError) {
        self.attempts += 1;
        if self.state == State::Connecting && self.attempts >= self.cfg.connect_attempts {
            self.settle_connect(Err(reason));
            self.teardown();
            self.state = State::Closed;
            return;
        }
        if self.state == State::Connected {
            self.state = State::Reconnecting;
        }
        // The first retry goes out at once (a little jitter only): most drops are one-off, and every
        // millisecond here is a millisecond without messages. Then the backoff grows.
        let delay = match self.attempts {
            1 => self.rng.below(FIRST_RETRY_JITTER_MS + 1),
            n => self.cfg.reconnect.delay(n - 1, &mut self.rng),
        };
        self.retry_at = Some(now + Millis::from(delay));
        if self.state == State::Reconnecting {
            self.emit(Event::Reconnecting { attempt: self.attempts, delay_ms: delay, reason });
        }
    }

    fn renewal_failed(&mut self, now: Millis) {
        self.renew_failures += 1;
        let delay = self.cfg.reconnect.delay(self.renew_failures, &mut self.rng);
        if let Some(a) = self.active.as_mut() {
            a.renew_at = now + Millis::from(delay);
        }
    }

    fn give_up(&mut self, reason: ChatError) {
        if self.state == State::Connecting {
            self.settle_connect(Err(reason));
            self.teardown();
            self.state = State::Closed;
        } else {
            self.teardown();
            self.state = State::Ended;
            self.emit(Event::ConnectionLost { reason });
        }
    }

    fn settle_connect(&mut self, result: Result<(), ChatError>) {
        if ::core::mem::take(&mut self.connect_pending) {
            self.actions.push(Action::ConnectSettled(result));
        }
    }

    // ----- sockets -----

    fn socket_ref(&self, id: SocketId) -> Option<&Socket> {
        [&self.active, &self.standby].into_iter().flatten().find(|s| s.id == id)
    }

    fn socket_mut(&mut self, id: SocketId) -> Option<&mut Socket> {
        [&mut self.active, &mut self.standby].into_iter().flatten().find(|s| s.id == id)
    }

    fn is_standby(&self, id: SocketId) -> bool {
        self.standby.as_ref().is_some_and(|s| s.id == id)
    }

    fn on_subscribed(&mut self, now: Millis, socket: SocketId) {
        let Some(s) = self.socket_mut(socket) else {
            return;
        };
        if matches!(s.phase, Phase::Live) {
            return;
        }
        s.phase = Phase::Live;
        if self.is_standby(socket) {
            // The new socket is ready: retire the old one behind its barrier. Items that reach both are
            // de-duplicated.
            if let Some(old) = self.active.take() {
                self.retire(now, old);
            }
            self.active = self.standby.take();
            self.renew_failures = 0;
            self.emit(Event::Renewed);
            return;
        }
        let reconnected = self.ever_connected;
        self.state = State::Connected;
        self.attempts = 0;
        self.retry_at = None;
        self.ever_connected = true;
        self.emit(Event::Connected);
        self.settle_connect(Ok(()));
        let refill = self.refill_from.take();
        if reconnected && self.cfg.gap_fill {
            let from = match refill {
                Some(earliest) => earlier(earliest, self.last_seen.clone()),
                None => self.last_seen.clone(),
            };
            self.start_gap_fill(now, from);
        }
        self.hold_ids();
        // Behind the fill, if one started, as live items are.
        for item in ::core::mem::take(&mut self.unreleased) {
            self.on_item(now, item);
        }
    }

    /// Retires `old` (a renewal replaced it): a heartbeat goes out on it, and its echo, which the service
    /// sends after everything it sent `old` before, closes it.
    fn retire(&mut self, now: Millis, old: Socket) {
        if self.retiring.is_some() {
            // A second renewal before the first barrier came back: give that one up.
            self.barrier_failed(now);
        }
        let echoes = if old.heartbeat_pending { 2 } else { 1 };
        let deadline = now + self.patient(self.cfg.barrier_timeout_ms);
        self.retiring = Some(Retiring { socket: old.id, echoes, deadline, from: self.last_seen.clone() });
        self.hold_ids();
        self.actions.push(Action::Send { socket: old.id, text: HEARTBEAT });
    }

    /// While a gap is open, a retired socket may still deliver or a fill is owed to the next connect,
    /// items older than the newest delivered may come: nothing delivered meanwhile may be forgotten (see
    /// `Dedup::hold`).
    #[inline(never)]
    fn hold_ids(&mut self) {
        self.dedup.hold(self.gap.is_some() || self.retiring.is_some() || self.refill_from.is_some());
    }

    /// The retiring socket closed, or its echo did not come in time: close it, and fetch from the
    /// transcript whatever it may still have carried.
    fn barrier_failed(&mut self, now: Millis) {
        let Some(r) = self.retiring.take() else { return };
        self.actions.push(Action::CloseSocket { socket: r.socket });
        if self.cfg.gap_fill && self.state == State::Connected {
            self.start_gap_fill(now, r.from);
        } else {
            // Reconnecting: the fill after the connect starts from here.
            self.owe_fill(r.from);
        }
        // Only now: the gap keeps the Ids held, without a moment in which they could be forgotten.
        self.hold_ids();
    }

    /// An answer timeout of `ms`, times the patience the link has earned.
    fn patient(&self, ms: u32) -> Millis {
        Millis::from(ms) * Millis::from(self.patience)
    }

    /// The fill after the next connect must start at `from` or earlier.
    fn owe_fill(&mut self, from: Option<Position>) {
        self.refill_from = Some(match self.refill_from.take() {
            Some(f) => earlier(f, from),
            None => from,
        });
    }

    fn on_subscribe_refused(&mut self, now: Millis, socket: SocketId) {
        let (retry_ms, max_failures) = (self.cfg.subscribe_failure_retry_ms, self.cfg.subscribe_failures);
        let Some(s) = self.socket_mut(socket) else {
            return;
        };
        let Phase::Subscribing { failures, after_failure, resend_at, .. } = &mut s.phase else {
            return;
        };
        *failures += 1;
        if *failures >= max_failures {
            let e = ChatError::new(names::SUBSCRIBE_FAILED, "the service refused the aws/chat subscription", 0, true);
            return self.fail_socket(now, socket, e, true);
        }
        *after_failure = true;
        *resend_at = now + Millis::from(retry_ms);
    }

    fn socket_timers(&mut self, now: Millis, socket: SocketId) {
        let (ack_timeout, sends) = (self.patient(self.cfg.subscribe_ack_timeout_ms), self.cfg.subscribe_sends);
        let answer = self.patient(self.cfg.heartbeat_interval_ms);
        let Some(s) = self.socket_mut(socket) else {
            return;
        };
        let mut failure: Option<(&str, bool)> = None;
        let mut send: Vec<&'static str> = Vec::new();
        match &mut s.phase {
            Phase::Opening { deadline } if *deadline <= now => {
                failure = Some(("the WebSocket did not open in time", true))
            }
            Phase::Subscribing { timeouts, after_failure, resend_at, .. } if *resend_at <= now => {
                if !*after_failure {
                    *timeouts += 1;
                }
                if !*after_failure && *timeouts >= sends {
                    failure = Some(("the aws/chat subscription was never acknowledged", false));
                } else {
                    *after_failure = false;
                    *resend_at = now + ack_timeout;
                    send.push(SUBSCRIBE);
                }
            }
            _ => {}
        }
        if failure.is_none() && !matches!(s.phase, Phase::Opening { .. }) && s.heartbeat_at <= now {
            if s.heartbeat_pending {
                failure = Some(("the heartbeat went unanswered", false));
            } else {
                s.heartbeat_pending = true;
                s.heartbeat_sent = now;
                s.heartbeat_at = now + answer;
                send.push(HEARTBEAT);
            }
        }
        for text in send {
            self.actions.push(Action::Send { socket, text });
        }
        if let Some((msg, url_bad)) = failure {
            if !url_bad {
                // Unanswered rather than refused: the link may be slow, not broken. Wait longer on the
                // next socket (up to 8 times), so a satellite or congested link still gets a chat.
                self.patience = (self.patience * 2).min(MAX_PATIENCE);
            }
            let e = ChatError::new(names::SOCKET_CLOSED, msg, 0, true);
            self.fail_socket(now, socket, e, url_bad);
        }
    }

    /// Drops a socket that stopped working and arranges its replacement.
    fn fail_socket(&mut self, now: Millis, socket: SocketId, reason: ChatError, url_bad: bool) {
        self.actions.push(Action::CloseSocket { socket });
        if url_bad {
            self.lease = None;
        }
        if self.is_standby(socket) {
            self.standby = None;
            return self.renewal_failed(now);
        }
        self.active = None;
        if let Some(standby) = self.standby.take() {
            // Start over from a clean slate; the standby's fresh URL stays in the lease.
            self.actions.push(Action::CloseSocket { socket: standby.id });
        }
        if let Some(req) = self.request.as_mut() {
            // A renewal in flight now serves the reconnect (see `on_connection`).
            req.purpose = Purpose::Connect;
            self.state = if self.state == State::Connected { State::Reconnecting } else { self.state };
            self.attempts += 1;
            if self.state == State::Reconnecting {
                self.emit(Event::Reconnecting { attempt: self.attempts, delay_ms: 0, reason });
            }
            return;
        }
        self.connect_attempt_failed(now, reason);
    }

    fn renewal_due_at(&self) -> Option<Millis> {
        if self.state != State::Connected || self.standby.is_some() || self.request.is_some() {
            return None;
        }
        let a = self.active.as_ref()?;
        matches!(a.phase, Phase::Live).then_some(a.renew_at)
    }

    // ----- items -----

    // Not inlined: it is called from three places, and its body is large.
    #[inline(never)]
    fn on_item(&mut self, now: Millis, item: Item<J>) {
        if item.is_partial() {
            return self.on_chunk(now, item);
        }
        let max_held = self.cfg.max_held_items;
        if let Some(g) = self.gap.as_mut().filter(|g| g.holding) {
            g.held.push(item);
            if g.held.len() >= max_held {
                // A fill this slow must not hold the chat back (nor grow without bound).
                self.release_held(now);
            }
            return;
        }
        self.deliver(now, item);
    }

    /// Takes an item in: a duplicate (of one delivered, or of one held for the ordering window) is
    /// dropped here (`false`); the rest are delivered now, or, with an ordering window, held that long and
    /// released in `AbsoluteTime` order. An item counts as seen once delivered: one still held when the
    /// session closes is kept (`unreleased`) and goes out after the next connect.
    fn deliver(&mut self, now: Millis, item: Item<J>) -> bool {
        if self.state == State::Ended || self.state == State::Closed {
            return false;
        }
        let held = |ordering: &[(Millis, Item<J>)]| ordering.iter().any(|(_, h)| h.id == item.id);
        if !item.id.is_empty() && (self.dedup.seen(&item.id, item.time) || held(&self.ordering)) {
            return false;
        }
        if item.kind == ItemKind::Message {
            self.streams.complete(&item.id);
        }
        if self.cfg.order_window_ms == 0 {
            self.release(now, item);
            return true;
        }
        let release_at = now + Millis::from(self.cfg.order_window_ms);
        let time = item.time.unwrap_or(Millis::MAX);
        // Sorted by time (stable for equal times); later items wait behind an earlier one still held.
        let at = self.ordering.partition_point(|(_, held)| held.time.unwrap_or(Millis::MAX) <= time);
        self.ordering.insert(at, (release_at, item));
        true
    }

    /// Releases held items whose window has passed, earliest first.
    fn release_due(&mut self, now: Millis) {
        while self.ordering.first().is_some_and(|(at, _)| *at <= now) {
            let (_, item) = self.ordering.remove(0);
            self.release(now, item);
        }
    }

    /// Delivers an item to the page: receipts, the gap-filling position, the end of the chat.
    fn release(&mut self, now: Millis, mut item: Item<J>) {
        if self.state == State::Ended || self.state == State::Closed {
            return;
        }
        if !item.id.is_empty() {
            self.dedup.insert(&item.id, item.time);
        }
        if item.role == Role::Customer && self.own_participant.is_none() {
            self.own_participant = item.participant_id();
        }
        match item.kind {
            ItemKind::Read | ItemKind::Delivered => {
                let own = self.own_participant.as_deref().is_some_and(|me| item.receipts_all_from(me));
                if own {
                    item.kind = ItemKind::OwnReceipt;
                }
            }
            ItemKind::Message | ItemKind::Attachment
                if self.cfg.auto_delivered_receipts && item.role != Role::Customer =>
            {
                self.receipts.push(now, &item.id, ReceiptKind::Delivered);
            }
            _ => {}
        }
        if item.kind == ItemKind::AuthenticationInitiated {
            add_session_id(&mut item.raw);
        }
        let ended = item.kind == ItemKind::Ended;
        if is_persistent(item.kind) && !item.id.is_empty() {
            let newer = match (&self.last_seen, item.time) {
                (Some((_, Some(seen))), Some(t)) => t >= *seen,
                (Some((_, Some(_))), None) => false,
                _ => true,
            };
            if newer {
                self.last_seen = Some((item.id.clone(), item.time));
            }
        }
        self.emit(Event::Item(item));
        if ended {
            self.shut_down(State::Ended, "the chat has ended");
        }
    }

    /// Opens a gap from `from` (the last item seen before it), or widens the one open to start there
    /// too; a fill under way starts over.
    fn start_gap_fill(&mut self, now: Millis, from: Option<Position>) {
        let release_at = now + Millis::from(self.cfg.gap_hold_ms);
        match self.gap.as_mut() {
            Some(g) => g.restart(from, release_at),
            None => self.gap = Some(GapFill::new(from, release_at)),
        }
        self.hold_ids();
        self.request_gap_page(now);
    }

    fn request_gap_page(&mut self, now: Millis) {
        let id = self.fresh_id();
        let deadline = now + Millis::from(self.cfg.request_timeout_ms);
        let Some(g) = self.gap.as_mut() else { return };
        g.request = Some((id, deadline));
        let body = g.body();
        self.actions.push(Action::FetchTranscript { request: id, body });
    }

    /// A page could not be fetched. The gap stays open: the page is retried with a capped backoff, and
    /// the live items it held are released meanwhile. Only refusals (4xx) end it, after a few.
    fn on_gap_failed(&mut self, now: Millis, e: ChatError) {
        let attempts = self.cfg.gap_fill_attempts;
        let Some(g) = self.gap.as_mut() else { return };
        if !e.retryable && g.fall_back_to_start() {
            // The service does not know our position (it may predate a transfer): read from the start;
            // items already delivered are dropped as duplicates.
            return self.request_gap_page(now);
        }
        g.failures += 1;
        let attempt = g.failures;
        let retrying = e.retryable || attempt < attempts;
        let delay = self.cfg.reconnect.delay(attempt, &mut self.rng);
        let reason = e.prefixed("could not fetch missed items: ");
        self.emit(Event::GapFillFailed { reason, attempt, delay_ms: if retrying { delay } else { 0 }, retrying });
        if !retrying {
            return self.finish_gap(now);
        }
        if let Some(g) = self.gap.as_mut() {
            g.retry_at = Some(now + Millis::from(delay));
        }
        self.release_held(now);
    }

    /// The live items held behind the fill go out now (in time order); the fill goes on without holding.
    fn release_held(&mut self, now: Millis) {
        let Some(g) = self.gap.as_mut() else { return };
        g.holding = false;
        let held = ::core::mem::take(&mut g.held);
        self.deliver_in_order(now, held);
    }

    fn finish_gap(&mut self, now: Millis) {
        let Some(gap) = self.gap.take() else { return };
        self.deliver_in_order(now, gap.held);
        // Only after: the held items are checked against Ids none of which was forgotten meanwhile.
        self.hold_ids();
        // Replies whose completion was overdue and is not in the transcript either: as they stand.
        self.flush_overdue_streams(now);
    }

    /// Live items held during a fill may have come from two sockets: delivered in time order (sorted by
    /// insertion: the list is short, and this keeps the sort machinery out of the wasm).
    fn deliver_in_order(&mut self, now: Millis, items: Vec<Item<J>>) {
        let mut sorted: Vec<Item<J>> = Vec::with_capacity(items.len());
        for item in items {
            let time = item.time.unwrap_or(Millis::MAX);
            let at = sorted.partition_point(|h| h.time.unwrap_or(Millis::MAX) <= time);
            sorted.insert(at, item);
        }
        for item in sorted {
            self.deliver(now, item);
        }
    }

    // ----- streamed replies -----

    /// A chunk of a streamed reply: shown as the reply so far, unless the reply is complete already.
    fn on_chunk(&mut self, now: Millis, item: Item<J>) {
        if matches!(self.state, State::Ended | State::Closed) || self.dedup.contains(&item.id) {
            return;
        }
        if let Some(so_far) = self.streams.chunk(now, &item) {
            self.emit(Event::Partial(so_far));
        }
    }

    /// Some replies went silent before their completed item. The socket may have lost it (the
    /// transcript keeps completed replies): look there first, with a gap fill; otherwise (or once that
    /// fill is done) they are delivered as they stand. While reconnecting, the reconnect's own fill
    /// does the looking.
    fn streams_overdue(&mut self, now: Millis) {
        if !self.cfg.gap_fill {
            return self.flush_overdue_streams(now);
        }
        if self.state == State::Connected && self.gap.is_none() {
            let from = self.last_seen.clone();
            self.start_gap_fill(now, from);
        }
    }

    fn flush_overdue_streams(&mut self, now: Millis) {
        for raw in self.streams.take_overdue() {
            if let Ok(item) = Item::from_json(raw) {
                self.deliver(now, item);
            }
        }
    }

    // ----- plumbing -----

    fn emit(&mut self, event: Event<J>) {
        self.actions.push(Action::Emit(event));
    }

    fn fresh_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        id
    }

    /// Closes every socket and forgets every timer and request.
    fn teardown(&mut self) {
        for s in [self.active.take(), self.standby.take()].into_iter().flatten() {
            self.actions.push(Action::CloseSocket { socket: s.id });
        }
        // What was not delivered yet comes after the next connect (a page back from the back-forward
        // cache): the items held for the ordering window or behind a fill, kept as they are, and what a
        // retiring socket or an open gap may still have missed, fetched from where they began.
        if let Some(r) = self.retiring.take() {
            self.actions.push(Action::CloseSocket { socket: r.socket });
            self.owe_fill(r.from);
        }
        let mut held = ::core::mem::take(&mut self.ordering);
        if let Some(g) = self.gap.take() {
            self.owe_fill(g.from);
            held.extend(g.held.into_iter().map(|item| (0, item)));
        }
        for (_, item) in held {
            self.dedup.owe(&item.id);
            self.unreleased.push(item);
        }
        self.hold_ids();
        self.request = None;
        self.retry_at = None;
        self.token_renew_at = None;
        self.receipts.clear();
        self.streams.clear();
    }

    fn shut_down(&mut self, state: State, why: &str) {
        self.settle_connect(Err(ChatError::session_ended(why)));
        self.teardown();
        // close() after the chat ended keeps the more informative `ended` state.
        if !(self.state == State::Ended && state == State::Closed) {
            self.state = state;
        }
    }
}

/// Jitter of the first reconnect attempt: none, it goes out at once (later attempts are jittered).
const FIRST_RETRY_JITTER_MS: u32 = 0;

/// `authentication.initiated` names the sign-in session in its `Content` (`{"SessionId": ...}`); the page
/// gets it as `sessionId` too, ready for GetAuthenticationUrl.
fn add_session_id<J: JsonValue>(raw: &mut J) {
    if let Some(id) = raw.field("Content").and_then(|c| c.parse_string_value()).and_then(|c| c.field("SessionId")) {
        raw.set("sessionId", id);
    }
}

/// Items that the transcript keeps (typing and receipts are not), so gap filling can start from them.
fn is_persistent(kind: ItemKind) -> bool {
    !matches!(kind, ItemKind::Typing | ItemKind::Read | ItemKind::Delivered | ItemKind::OwnReceipt)
}

/// Lifetime of a URL or token from its expiry; a missing, garbage or past expiry (most likely a wrong
/// client clock, since the service just issued it) falls back to the documented lifetime.
fn lifetime(now: Millis, expiry: Option<Millis>, default_ms: u32) -> Millis {
    match expiry {
        Some(e) if e > now => e - now,
        _ => Millis::from(default_ms),
    }
}

/// When to start renewing something that lives `ttl`: a third before the end, at most `max_lead` before.
fn renew_after(ttl: Millis, max_lead_ms: u32) -> Millis {
    ttl - (ttl / 3).min(Millis::from(max_lead_ms))
}
