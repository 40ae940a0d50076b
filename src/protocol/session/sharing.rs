//! One socket for every tab (`shareAcrossTabs`): the tabs showing one chat elect a leader (the shell
//! does, with the Web Locks API); only the leader opens the WebSocket and renews its URL. A follower
//! gets a ConnectionToken of its own (CreateParticipantConnection for credentials only, no socket), is
//! `connected` once it has it, makes its own API calls, and takes the leader's socket frames in as
//! inputs ([`Session::relayed_frame`]): de-duplication, ordering, streams, receipts and events run as
//! for its own socket. When the leader goes, the tab promoted ([`Session::lead`]) connects and fills the
//! gap from the last item it had seen, as after any reconnect; the others fill theirs
//! ([`Session::leader_changed`]), so every tab sees every item once.

use super::super::frame::Inbound;
use super::super::gap::earlier;
use super::super::time::{Millis, Now};
use super::connection::Purpose;
use super::{Event, Session, State};
use crate::protocol::json::JsonValue;

impl<J: JsonValue + Clone> Session<J> {
    /// Makes this session a follower: `connect` fetches credentials only and opens no socket. Called
    /// before `connect`; a live leader is not turned into a follower (a tab that loses the lead closes
    /// its session first, as `suspend` does).
    pub fn follow(&mut self) {
        if matches!(self.state, State::Idle | State::Closed) {
            self.follower = true;
        }
    }

    pub fn is_follower(&self) -> bool {
        self.follower
    }

    /// Joins the tabs' election: a follower until it answers, and `connect` asks for nothing until then
    /// ([`Session::lead`], or [`Session::followed`] when another tab leads). Asking for credentials at
    /// once, as a follower, a tab on its own (granted the lead a moment later) made two
    /// CreateParticipantConnection calls on every page load, where one does.
    pub fn elect(&mut self) {
        self.follow();
        self.electing = self.follower;
    }

    /// The election's answer: another tab leads. A `connect` held for it goes on, for credentials only.
    pub fn followed(&mut self, now: Millis) {
        if ::core::mem::take(&mut self.electing) {
            self.after_election(now);
        }
    }

    /// A `connect` held for the election goes on, as what the answer made this tab.
    fn after_election(&mut self, now: Millis) {
        if matches!(self.state, State::Connecting | State::Reconnecting) && self.link.request.is_none() {
            self.begin_connect_attempt(now);
        }
    }

    /// This tab became the leader: a connected follower starts connecting its own socket (the state is
    /// `reconnecting` until it is subscribed) and, once it is, fills the gap from the last item it had
    /// seen. A follower still fetching its credentials asks at once for a URL too, instead of once they
    /// come: a tab on its own is granted the lead a moment after `connect()`, and waiting made its
    /// connection two round trips in a row (the first answer is ignored, as one no longer awaited).
    pub fn lead(&mut self, now: Millis) {
        let held = ::core::mem::take(&mut self.electing);
        if !::core::mem::take(&mut self.follower) {
            return;
        }
        if self.state != State::Connected {
            if self.link.request.as_ref().is_some_and(|r| r.credentials_only && r.purpose == Purpose::Connect) {
                self.link.request = None;
                self.send_request(now, Purpose::Connect);
            } else if held {
                self.after_election(now);
            }
            return;
        }
        self.state = State::Reconnecting;
        self.link.ever_connected = true;
        self.link.attempts = 0;
        match self.link.request.as_mut() {
            // A token renewal in flight serves the connect (see `on_connection`).
            Some(req) => req.purpose = Purpose::Connect,
            None => self.begin_connect_attempt(now),
        }
    }

    /// A frame the leader's socket received, relayed to this follower: its items are taken in as if
    /// they had come on our own socket (those that come before the credentials wait for them).
    pub fn relayed_frame(&mut self, now: &Now, frame: Inbound<J>) {
        let Inbound::Chat(item) = frame else { return };
        if !self.follower {
            return;
        }
        match self.state {
            State::Connected => self.on_item(now, item),
            State::Connecting | State::Reconnecting if self.delivery.unreleased.len() < self.cfg.max_held_items => {
                self.delivery.unreleased.push(item)
            }
            _ => {}
        }
    }

    /// The leader's socket is subscribed (another tab took the lead, or the leader reconnected): what
    /// came since the last relayed frame may never have reached us, so a connected follower fills the gap
    /// from the last item it saw; everything after comes relayed, and waits behind the fill as live
    /// items do. (Called when the new socket is subscribed, not when the lead changes hands: a fill
    /// before that would miss what comes between.)
    pub fn leader_changed(&mut self, now: Millis) {
        if self.follower && self.state == State::Connected && self.cfg.gap_fill {
            let from = self.delivery.last_seen.clone();
            self.start_gap_fill(now, from);
        }
    }

    /// Connected (subscribed, or a follower with its credentials): `connect()` settles, the outbox goes
    /// out, and after a reconnect the gap is filled before the items held meanwhile are delivered.
    pub(super) fn became_connected(&mut self, now: Millis) {
        let reconnected = self.link.ever_connected;
        self.state = State::Connected;
        self.link.attempts = 0;
        self.link.retry_at = None;
        self.link.ever_connected = true;
        self.emit(Event::Connected);
        self.settle_connect(Ok(()));
        self.outbox_connected(now);
        let refill = self.recovery.refill_from.take();
        if reconnected && self.cfg.gap_fill {
            let from = match refill {
                Some(earliest) => earlier(earliest, self.delivery.last_seen.clone()),
                None => self.delivery.last_seen.clone(),
            };
            self.start_gap_fill(now, from);
        }
        self.hold_ids();
        // Behind the fill, if one started, as live items are.
        let now = Now::at(now);
        for item in ::core::mem::take(&mut self.delivery.unreleased) {
            self.on_item(&now, item);
        }
    }
}
