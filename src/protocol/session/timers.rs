//! Every deadline of the session, in one table. `poll_timeout` is the earliest of them;
//! `handle_timeout` goes down the table in its order, and runs each whose time has come, reading its
//! deadline afresh: a rule run earlier in the same call may have moved a later one (a failed call
//! schedules the retry, which may be due at once).

use super::super::error::ChatError;
use super::super::time::Millis;
use super::connection::Purpose;
use super::{Action, Session, State};
use crate::prelude::*;
use crate::protocol::json::JsonValue;

/// A deadline of the session, in the order they are run.
#[derive(Debug, Clone, Copy)]
enum Timer {
    /// CreateParticipantConnection has not answered.
    Request,
    /// The active socket: it has not opened, its subscription is unacknowledged, a heartbeat is due or
    /// unanswered.
    Active,
    /// The same for the standby socket a renewal opened.
    Standby,
    /// The retiring socket's barrier echo has not come.
    Barrier,
    /// A reconnect attempt after its backoff.
    Retry,
    /// Time to replace the active socket's URL.
    Renewal,
    /// Time to renew the ConnectionToken.
    TokenRenewal,
    /// A GetTranscript page has not answered, or a failed one is due again.
    GapCall,
    /// Live items have been held behind a fill for long enough.
    GapRelease,
    /// Items held for the ordering window are due.
    Ordering,
    /// A streamed reply has gone silent.
    Streams,
    /// A batch of receipts is due.
    Receipts,
    /// The outbox: the send in flight is overdue, or the backoff after a failed one has passed.
    Outbox,
}

const TABLE: [Timer; 13] = [
    Timer::Request,
    Timer::Active,
    Timer::Standby,
    Timer::Barrier,
    Timer::Retry,
    Timer::Renewal,
    Timer::TokenRenewal,
    Timer::GapCall,
    Timer::GapRelease,
    Timer::Ordering,
    Timer::Streams,
    Timer::Receipts,
    Timer::Outbox,
];

impl<J: JsonValue + Clone> Session<J> {
    /// The earliest time [`Session::handle_timeout`] must be called, if any.
    pub fn poll_timeout(&self) -> Option<Millis> {
        TABLE.iter().filter_map(|&t| self.deadline(t)).min()
    }

    /// Runs every rule whose time has come.
    pub fn handle_timeout(&mut self, now: Millis) {
        for timer in TABLE {
            if self.deadline(timer).is_some_and(|at| at <= now) {
                self.fire(now, timer);
            }
        }
    }

    fn deadline(&self, timer: Timer) -> Option<Millis> {
        match timer {
            Timer::Request => self.link.request.as_ref().map(|r| r.deadline),
            Timer::Active => self.sockets.active.as_ref().map(|s| s.next_deadline()),
            Timer::Standby => self.sockets.standby.as_ref().map(|s| s.next_deadline()),
            Timer::Barrier => self.sockets.retiring.as_ref().map(|r| r.deadline),
            Timer::Retry => self.link.retry_at,
            Timer::Renewal => self.renewal_due_at(),
            Timer::TokenRenewal => {
                (self.link.request.is_none() && self.state == State::Connected).then_some(self.link.token_renew_at)?
            }
            Timer::GapCall => {
                let g = self.recovery.gap.as_ref()?;
                g.request.map(|(_, deadline)| deadline).or(g.retry_at)
            }
            Timer::GapRelease => self.recovery.gap.as_ref().filter(|g| g.holding).map(|g| g.release_at),
            Timer::Ordering => self.delivery.ordering.first().map(|(at, _)| *at),
            Timer::Streams => self.delivery.streams.poll_timeout(),
            Timer::Receipts => self.delivery.receipts.flush_at(),
            Timer::Outbox => self.outbox_deadline(),
        }
    }

    fn fire(&mut self, now: Millis, timer: Timer) {
        match timer {
            Timer::Request => {
                if let Some(req) = self.link.request.take() {
                    let e = ChatError::timeout("CreateParticipantConnection did not answer in time");
                    self.on_request_failed(now, req.purpose, e);
                }
            }
            Timer::Active | Timer::Standby => {
                let slot = if matches!(timer, Timer::Active) { &self.sockets.active } else { &self.sockets.standby };
                if let Some(id) = slot.as_ref().map(|s| s.id) {
                    self.socket_timers(now, id);
                }
            }
            Timer::Barrier => self.barrier_failed(now),
            Timer::Retry => {
                self.link.retry_at = None;
                self.begin_connect_attempt(now);
            }
            Timer::Renewal => self.send_request(now, Purpose::Renew),
            Timer::TokenRenewal => self.send_request(now, Purpose::Credentials),
            Timer::GapCall => {
                let Some(g) = self.recovery.gap.as_mut() else { return };
                if g.request.take().is_some() {
                    self.on_gap_failed(now, ChatError::timeout("GetTranscript did not answer in time"));
                } else {
                    g.retry_at = None;
                    self.request_gap_page(now);
                }
            }
            Timer::GapRelease => self.release_held(now),
            Timer::Ordering => self.release_due(now),
            Timer::Streams => {
                if self.delivery.streams.mark_overdue(now) {
                    self.streams_overdue(now);
                }
            }
            Timer::Receipts => {
                for (id, kind) in self.delivery.receipts.take_due(now) {
                    let mut content = String::with_capacity(id.len() + 16);
                    content.push_str(r#"{"messageId":"#);
                    super::super::json::push_str_literal(&mut content, &id);
                    content.push('}');
                    self.actions.push(Action::SendEvent { content_type: kind.content_type(), content });
                }
            }
            Timer::Outbox => match self.outbox.in_flight {
                Some(_) => self.send_timed_out(now),
                None => self.pump_outbox(now),
            },
        }
    }
}
