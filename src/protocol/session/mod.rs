//! The session state machine, sans IO (in the manner of `quinn-proto`): it is fed inputs (an HTTP
//! result, a socket event, the current time) and answers with [`Action`]s for the shell to perform.
//! It never reads a clock, never sleeps and never touches the network, so every renewal, backoff and
//! heartbeat rule is a plain native test with a fake clock.
//!
//! The shell's loop: after any input, drain the actions ([`Session::take_actions`]), then (re)arm one
//! timer for [`Session::poll_timeout`] and call [`Session::handle_timeout`] when it fires.
//!
//! Time: `now` is a monotonic clock (the shell passes `performance.now()`): every deadline runs on it,
//! so a wall-clock step (NTP, a resumed laptop) stalls nothing. A socket's frame comes with a clock to
//! read instead ([`Now`](super::time::Now)): most items set no deadline, and the browser's clock read
//! for every one was a few percent of its cost. Wall time is read only where the service
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
//!
//! The parts, a file each: `connection` (token, URL lease, renewal, reconnect), `sockets` (opening,
//! subscribing, heartbeats, barriers), `delivery` (de-duplication, ordering, streamed replies,
//! receipts), `recovery` (gap fills) and `timers` (every deadline, in one table). This file holds the
//! session itself and what the shell calls on it.

mod config;
mod connection;
mod delivery;
mod outbox;
mod recovery;
mod sharing;
mod sockets;
mod timers;
mod vocabulary;

pub use config::Config;
pub use outbox::{SendKind, SendStatus, SEND_BACKOFF};
pub use vocabulary::{Action, Event, RequestId, SocketId, State};

use super::backoff::Rng;
use super::error::ChatError;
use super::receipts::ReceiptKind;
use super::time::Millis;
use crate::prelude::*;
use crate::protocol::json::JsonValue;
use connection::Link;
use delivery::Delivery;
use outbox::Outbox;
use recovery::Recovery;
use sockets::Sockets;

/// The connection state machine of one chat participant. `J` is the JSON value type of the items.
#[derive(Debug)]
pub struct Session<J> {
    cfg: Config,
    state: State,
    actions: Vec<Action<J>>,
    next_id: u32,
    rng: Rng,
    /// Closed by `suspend` (the page left for the back-forward cache), to connect again on `resume`.
    suspended: bool,
    /// Another tab holds the socket and relays its frames (see `sharing`).
    follower: bool,
    /// The tabs' election has not answered yet: `connect` asks for nothing until it does (`sharing`).
    electing: bool,
    /// DisconnectParticipant is on its way: no receipt goes out with a token it is about to end.
    leaving: bool,
    link: Link,
    sockets: Sockets,
    delivery: Delivery<J>,
    recovery: Recovery<J>,
    outbox: Outbox,
}

impl<J: JsonValue + Clone> Session<J> {
    pub fn new(cfg: Config, seed: u64) -> Self {
        let delivery = Delivery::new(&cfg);
        Session {
            cfg,
            state: State::Idle,
            actions: Vec::new(),
            next_id: 1,
            rng: Rng::new(seed),
            suspended: false,
            follower: false,
            electing: false,
            leaving: false,
            link: Link::default(),
            sockets: Sockets::default(),
            delivery,
            recovery: Recovery::default(),
            outbox: Outbox::default(),
        }
    }

    /// Our ParticipantId, when the page knows it (else it is learned from our own items).
    pub fn set_participant_id(&mut self, id: String) {
        self.delivery.own_participant = Some(id);
    }

    /// Queues a read or delivered receipt for `message_id`; `false` if it was already sent or queued.
    pub fn queue_receipt(&mut self, now: Millis, message_id: &str, kind: ReceiptKind) -> bool {
        if self.leaving || matches!(self.state, State::Ended | State::Closed | State::Idle) {
            return false;
        }
        let now = super::time::Now::at(now);
        self.delivery.receipts.push(&now, message_id, crate::protocol::dedup::item_key(message_id), kind)
    }

    /// The browser says the network is back: a pending reconnect runs now instead of after its backoff,
    /// and a connected socket is probed.
    pub fn network_online(&mut self, now: Millis) {
        if self.state == State::Reconnecting && self.link.retry_at.is_some() {
            self.link.retry_at = Some(now);
        }
        self.outbox.retry_at = None;
        self.pump_outbox(now);
        self.probe(now);
    }

    /// Whether a typing event may go out now (at most one per `typing_interval_ms`).
    pub fn allow_typing(&mut self, now: Millis) -> bool {
        self.delivery.typing.allow(now)
    }

    pub fn state(&self) -> State {
        self.state
    }

    /// Whether `socket` is one the session still wants: an [`Action::OpenSocket`] taken before a
    /// re-entrant `close()` (a listener called it while the shell performed the batch) is not carried out.
    pub fn wants_socket(&self, socket: SocketId) -> bool {
        self.sockets.get(socket).is_some()
    }

    /// Items taken in but not delivered yet (the ordering window, a gap fill's hold), and an open gap.
    #[cfg(test)]
    pub fn held_items(&self) -> usize {
        self.delivery.ordering.len()
            + self.delivery.unreleased.len()
            + self.recovery.gap.as_ref().map_or(0, |g| g.held.len() + 1)
    }

    /// The current ConnectionToken, for the API calls the shell makes on the page's behalf.
    pub fn connection_token(&self) -> Option<&str> {
        self.link.token.as_deref()
    }

    /// The Id of the newest item delivered, where a resumed session fills its gap from.
    pub fn last_seen_id(&self) -> Option<&str> {
        self.delivery.last_seen.as_ref().map(|(id, _)| id.as_str())
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
            State::Connecting | State::Reconnecting => self.link.connect_pending = true,
            State::Ended => self.actions.push(Action::ConnectSettled(Err(ChatError::session_ended(
                "the chat has ended; start a new chat for a new session",
            )))),
            State::Idle | State::Closed => {
                self.state = State::Connecting;
                self.link.connect_failed = false;
                self.link.connect_pending = true;
                self.link.attempts = 0;
                // In the tabs' election, the first attempt waits for its answer (`sharing`).
                if !self.electing {
                    self.begin_connect_attempt(now);
                }
            }
        }
    }

    /// Seeds the session with what a previous page load knew (opt-in persistence): the last item seen,
    /// so the gap since then is filled after connecting.
    pub fn resume_from(&mut self, last_seen_id: Option<String>) {
        if let Some(id) = last_seen_id {
            // The earlier page delivered that item; the gap starts after it.
            self.delivery.dedup.insert(&id, None);
            self.delivery.last_seen = Some((id, None));
            self.link.ever_connected = true;
        }
    }

    /// Local teardown: every socket closed, every timer dropped, no API call. A suspended session
    /// closed this way stays closed when the page comes back.
    pub fn close(&mut self) {
        self.suspended = false;
        self.link.connect_failed = false;
        self.shut_down(State::Closed, "the session was closed");
        // What waits stays queued, for a later `connect()` or page of this chat; its Promises settle.
        self.outbox_stopped(&ChatError::session_ended("the session was closed"), false);
    }

    /// The page is leaving, maybe for the back-forward cache: a live session closes (an open socket
    /// would keep the page out of the cache) and connects again on `resume`; what it held is kept for
    /// then. `true` if it was live.
    pub fn suspend(&mut self) -> bool {
        if !matches!(self.state, State::Connecting | State::Connected | State::Reconnecting) {
            return false;
        }
        self.shut_down(State::Closed, "the session was closed");
        self.suspended = true;
        true
    }

    /// The page is back: a session `suspend` closed connects again (and fills the gap as after any
    /// reconnect).
    pub fn resume(&mut self, now: Millis) {
        if ::core::mem::take(&mut self.suspended) {
            self.connect(now);
        }
    }

    /// Whether the session may still act for the page: not ended, and not closed unless only
    /// suspended. A call waiting to be retried gives up when this turns false.
    pub fn is_alive(&self) -> bool {
        match self.state {
            State::Ended => false,
            State::Closed => self.suspended,
            _ => true,
        }
    }

    /// `disconnect()` sends DisconnectParticipant (`true`), or it failed and the chat goes on (`false`):
    /// meanwhile the receipts waiting for their batch are dropped and no more are queued, since the
    /// service would refuse them once the participant is gone (the chat is ending: nobody reads them).
    pub fn leaving(&mut self, leaving: bool) {
        self.leaving = leaving;
        if leaving {
            self.delivery.receipts.clear();
        }
    }

    /// The participant has left (after DisconnectParticipant): as `close`, but final.
    pub fn end(&mut self) {
        self.suspended = false;
        self.shut_down(State::Ended, "the chat has ended");
    }

    pub(super) fn emit(&mut self, event: Event<J>) {
        self.actions.push(Action::Emit(event));
    }

    pub(super) fn fresh_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        id
    }

    /// Closes every socket and forgets every timer and request.
    pub(super) fn teardown(&mut self) {
        for s in [self.sockets.active.take(), self.sockets.standby.take()].into_iter().flatten() {
            self.actions.push(Action::CloseSocket { socket: s.id });
        }
        // What was not delivered yet comes after the next connect (a page back from the back-forward
        // cache): the items held for the ordering window or behind a fill, kept as they are, and what a
        // retiring socket or an open gap may still have missed, fetched from where they began.
        if let Some(r) = self.sockets.retiring.take() {
            self.actions.push(Action::CloseSocket { socket: r.socket });
            self.owe_fill(r.from);
        }
        let mut held = ::core::mem::take(&mut self.delivery.ordering);
        if let Some(g) = self.recovery.gap.take() {
            self.owe_fill(g.from);
            held.extend(g.held.into_iter().map(|item| (0, item)));
        }
        for (_, item) in held {
            self.delivery.dedup.owe(&item.id);
            self.delivery.unreleased.push(item);
        }
        self.hold_ids();
        self.link.request = None;
        self.link.retry_at = None;
        self.link.token_renew_at = None;
        self.delivery.receipts.clear();
        self.delivery.streams.clear();
    }

    pub(super) fn shut_down(&mut self, state: State, why: &str) {
        self.settle_connect(Err(ChatError::session_ended(why)));
        self.teardown();
        if state == State::Ended {
            self.outbox_stopped(&ChatError::session_ended(why), true);
        }
        // close() after the chat ended keeps the more informative `ended` state.
        if !(self.state == State::Ended && state == State::Closed) {
            self.state = state;
        }
    }
}
