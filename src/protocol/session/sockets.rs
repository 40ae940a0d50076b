//! The protocol of each socket: opening, subscribing to `aws/chat`, heartbeats, and the retirement of
//! a socket a renewal replaced behind its barrier (see the session's module doc). Owns `Sockets`.

use super::super::error::{names, ChatError};
use super::super::frame::{Inbound, HEARTBEAT, SUBSCRIBE};
use super::super::gap::Position;
use super::super::text::num;
use super::super::time::{Millis, Now};
use super::connection::Purpose;
use super::{Action, Event, Session, SocketId, State};
use crate::prelude::*;
use crate::protocol::json::JsonValue;

/// The sockets of the session: the active one, the standby a renewal opens, the one it retires.
#[derive(Debug)]
pub(super) struct Sockets {
    pub active: Option<Socket>,
    pub standby: Option<Socket>,
    /// The socket a renewal replaced. It is still read until its barrier echo comes: an item the service
    /// sent it just before the new socket's subscription took effect may still be on its way (the two
    /// sockets are separate connections, with no order between them).
    pub retiring: Option<Retiring>,
    /// How many times the configured answer timeouts (subscribe, heartbeat, barrier, probe) we wait:
    /// doubled by each socket that went unanswered, halved by each brisk answer.
    pub patience: u32,
}

impl Default for Sockets {
    fn default() -> Self {
        Sockets { active: None, standby: None, retiring: None, patience: 1 }
    }
}

impl Sockets {
    pub fn get(&self, id: SocketId) -> Option<&Socket> {
        [&self.active, &self.standby].into_iter().flatten().find(|s| s.id == id)
    }

    pub fn get_mut(&mut self, id: SocketId) -> Option<&mut Socket> {
        [&mut self.active, &mut self.standby].into_iter().flatten().find(|s| s.id == id)
    }

    pub fn is_standby(&self, id: SocketId) -> bool {
        self.standby.as_ref().is_some_and(|s| s.id == id)
    }

    /// An answer timeout of `ms`, times the patience the link has earned.
    pub fn patient(&self, ms: u32) -> Millis {
        Millis::from(ms) * Millis::from(self.patience)
    }
}

#[derive(Debug)]
pub(super) enum Phase {
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
pub(super) struct Socket {
    pub id: SocketId,
    pub phase: Phase,
    /// When to start replacing this socket (meaningful once live).
    pub renew_at: Millis,
    /// When the next heartbeat goes out or, while one is pending, when its answer is overdue.
    pub heartbeat_at: Millis,
    pub heartbeat_pending: bool,
    pub heartbeat_sent: Millis,
}

impl Socket {
    /// The earliest of its deadlines: opening, the subscription's resend, the heartbeat.
    pub fn next_deadline(&self) -> Millis {
        match self.phase {
            Phase::Opening { deadline } => deadline,
            Phase::Subscribing { resend_at, .. } => resend_at.min(self.heartbeat_at),
            Phase::Live => self.heartbeat_at,
        }
    }
}

/// A socket a renewal replaced, behind its barrier (see the module doc).
#[derive(Debug)]
pub(super) struct Retiring {
    pub socket: SocketId,
    /// Heartbeat echoes still to come: the barrier's, and one the socket was awaiting already (an echo
    /// of that earlier heartbeat says nothing about what was sent after it).
    pub echoes: u32,
    pub deadline: Millis,
    /// The newest item seen when the new socket took over: where a fill starts if the barrier fails.
    pub from: Option<Position>,
}

/// The most the answer timeouts are stretched on a slow link.
const MAX_PATIENCE: u32 = 8;

impl<J: JsonValue + Clone> Session<J> {
    pub fn socket_opened(&mut self, now: Millis, socket: SocketId) {
        let ack_timeout = self.sockets.patient(self.cfg.subscribe_ack_timeout_ms);
        let answer = self.sockets.patient(self.cfg.heartbeat_interval_ms);
        let Some(s) = self.sockets.get_mut(socket) else {
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
        if self.sockets.get(socket).is_some() {
            self.emit(Event::Error(ChatError::new(names::MALFORMED_FRAME, message, 0, false)));
        }
    }

    /// A decoded frame (see [`super::frame::decode_value`]), come at `now`; decoding errors go to
    /// `socket_garbage`. Socket 0 (the core numbers its own from 1) is another tab's: see [`Session::relayed_frame`].
    pub fn socket_frame(&mut self, now: &Now, socket: SocketId, frame: Inbound<J>) {
        if socket == 0 {
            return self.relayed_frame(now, frame);
        }
        if let Some(r) = self.sockets.retiring.as_mut().filter(|r| r.socket == socket) {
            // Only its items and the barrier's echo matter now (see `Retiring`).
            match frame {
                Inbound::Chat(item) => self.on_item(now, item),
                Inbound::Heartbeat => {
                    r.echoes = r.echoes.saturating_sub(1);
                    if r.echoes == 0 {
                        self.sockets.retiring = None;
                        self.hold_ids();
                        self.actions.push(Action::CloseSocket { socket });
                    }
                }
                _ => {}
            }
            return;
        }
        if self.sockets.get(socket).is_none() {
            return;
        }
        match frame {
            Inbound::SubscribeAck { success: true } => self.on_subscribed(now.get(), socket),
            Inbound::SubscribeAck { success: false } => self.on_subscribe_refused(now.get(), socket),
            Inbound::Heartbeat => {
                let interval = Millis::from(self.cfg.heartbeat_interval_ms);
                let Some(s) = self.sockets.get_mut(socket) else { return };
                if s.heartbeat_pending {
                    s.heartbeat_pending = false;
                    s.heartbeat_at = s.heartbeat_sent + interval;
                    if now.get() - s.heartbeat_sent < interval / 2 {
                        // The link answers briskly again: less patience next time.
                        self.sockets.patience = (self.sockets.patience / 2).max(1);
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
        if self.sockets.retiring.as_ref().is_some_and(|r| r.socket == socket) {
            // Closed before its barrier's echo: what it still carried may be lost.
            return self.barrier_failed(now);
        }
        let Some(s) = self.sockets.get(socket) else {
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

    /// Checks the active socket at once (a tab waking up, the network coming back): a heartbeat goes out
    /// now and must be answered within `probe_timeout_ms`, instead of waiting for the next tick.
    pub fn probe(&mut self, now: Millis) {
        let timeout = self.sockets.patient(self.cfg.probe_timeout_ms);
        let Some(s) = self.sockets.active.as_mut() else {
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
        if let Some(s) = self.sockets.active.as_mut() {
            s.heartbeat_at = s.heartbeat_at.min(now + timeout);
        }
    }

    pub(super) fn open_socket(&mut self, now: Millis, url: String, as_standby: bool) {
        let id = self.fresh_id();
        let renew_at = self.link.lease.as_ref().map_or(now, |l| l.renew_at);
        let socket = Socket {
            id,
            phase: Phase::Opening { deadline: now + Millis::from(self.cfg.open_timeout_ms) },
            renew_at,
            heartbeat_at: Millis::MAX,
            heartbeat_pending: false,
            heartbeat_sent: 0,
        };
        if as_standby {
            self.sockets.standby = Some(socket);
        } else {
            self.sockets.active = Some(socket);
        }
        self.actions.push(Action::OpenSocket { socket: id, url });
    }

    pub(super) fn on_subscribed(&mut self, now: Millis, socket: SocketId) {
        let Some(s) = self.sockets.get_mut(socket) else {
            return;
        };
        if matches!(s.phase, Phase::Live) {
            return;
        }
        s.phase = Phase::Live;
        if self.sockets.is_standby(socket) {
            // The new socket is ready: retire the old one behind its barrier. Items that reach both are
            // de-duplicated.
            if let Some(old) = self.sockets.active.take() {
                self.retire(now, old);
            }
            self.sockets.active = self.sockets.standby.take();
            self.link.renew_failures = 0;
            self.emit(Event::Renewed);
            return;
        }
        self.became_connected(now);
    }

    /// Retires `old` (a renewal replaced it): a heartbeat goes out on it, and its echo, which the service
    /// sends after everything it sent `old` before, closes it.
    pub(super) fn retire(&mut self, now: Millis, old: Socket) {
        if self.sockets.retiring.is_some() {
            // A second renewal before the first barrier came back: give that one up.
            self.barrier_failed(now);
        }
        let echoes = if old.heartbeat_pending { 2 } else { 1 };
        let deadline = now + self.sockets.patient(self.cfg.barrier_timeout_ms);
        self.sockets.retiring =
            Some(Retiring { socket: old.id, echoes, deadline, from: self.delivery.last_seen.clone() });
        self.hold_ids();
        self.actions.push(Action::Send { socket: old.id, text: HEARTBEAT });
    }

    /// The retiring socket closed, or its echo did not come in time: close it, and fetch from the
    /// transcript whatever it may still have carried.
    pub(super) fn barrier_failed(&mut self, now: Millis) {
        let Some(r) = self.sockets.retiring.take() else { return };
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

    pub(super) fn on_subscribe_refused(&mut self, now: Millis, socket: SocketId) {
        let (retry_ms, max_failures) = (self.cfg.subscribe_failure_retry_ms, self.cfg.subscribe_failures);
        let Some(s) = self.sockets.get_mut(socket) else {
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

    pub(super) fn socket_timers(&mut self, now: Millis, socket: SocketId) {
        let (ack_timeout, sends) = (self.sockets.patient(self.cfg.subscribe_ack_timeout_ms), self.cfg.subscribe_sends);
        let answer = self.sockets.patient(self.cfg.heartbeat_interval_ms);
        let Some(s) = self.sockets.get_mut(socket) else {
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
                self.sockets.patience = (self.sockets.patience * 2).min(MAX_PATIENCE);
            }
            let e = ChatError::new(names::SOCKET_CLOSED, msg, 0, true);
            self.fail_socket(now, socket, e, url_bad);
        }
    }

    /// Drops a socket that stopped working and arranges its replacement.
    pub(super) fn fail_socket(&mut self, now: Millis, socket: SocketId, reason: ChatError, url_bad: bool) {
        self.actions.push(Action::CloseSocket { socket });
        if url_bad {
            self.link.lease = None;
        }
        if self.sockets.is_standby(socket) {
            self.sockets.standby = None;
            return self.renewal_failed(now);
        }
        self.sockets.active = None;
        if let Some(standby) = self.sockets.standby.take() {
            // Start over from a clean slate; the standby's fresh URL stays in the lease.
            self.actions.push(Action::CloseSocket { socket: standby.id });
        }
        if let Some(req) = self.link.request.as_mut() {
            // A renewal in flight now serves the reconnect (see `on_connection`).
            req.purpose = Purpose::Connect;
            self.state = if self.state == State::Connected { State::Reconnecting } else { self.state };
            self.link.attempts += 1;
            if self.state == State::Reconnecting {
                self.emit(Event::Reconnecting { attempt: self.link.attempts, delay_ms: 0, reason });
            }
            return;
        }
        self.connect_attempt_failed(now, reason);
    }
}
