//! The outbox: messages and events the page sends while the connection is down (or while earlier ones
//! still wait) are queued with their ClientToken fixed at once, and go out once the session is
//! connected, in the order they were queued, one at a time; every attempt of one entry carries the same
//! ClientToken, so the service records it once however often it is tried. Owns `Outbox`.
//!
//! The rules:
//! - an entry is `queued` until it is its turn while connected, then `sending` (one at a time);
//! - a retryable failure (throttling, 5xx, network, timeout) puts it back at its place, `queued` with the
//!   error, until the next connection or after a backoff, whichever comes first; the ones after it wait;
//! - a final failure (a 4xx) makes it `failed`: it stays listed, with its error, out of the way of the
//!   ones after it, until it is retried (`retry_pending`) or dropped (`drop_pending`);
//! - the chat ending fails every entry still waiting; a `close()` leaves them queued (a later page of
//!   the same chat, or a later `connect()`, sends them) but settles their Promises;
//! - what waits is saved by the shell (see [`Session::outbox_json`]) and restored after a reload
//!   ([`Session::restore_outbox`]), where it is sent without a Promise;
//! - a ClientToken names exactly one entry.

use super::super::backoff::Backoff;
use super::super::error::ChatError;
use super::super::json::{push_str_literal, JsonValue, ObjectWriter};
use super::super::text::num;
use super::super::time::Millis;
use super::{Action, Event, RequestId, Session, State};
use crate::prelude::*;

/// Where one entry of the outbox stands (the `status` of `send-status` and of `pending`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendStatus {
    Queued,
    Sending,
    Sent,
    Failed,
}

impl SendStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SendStatus::Queued => "queued",
            SendStatus::Sending => "sending",
            SendStatus::Sent => "sent",
            SendStatus::Failed => "failed",
        }
    }
}

/// What an outbox entry sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendKind {
    /// SendMessage.
    Message,
    /// SendEvent.
    Event,
    /// StartAttachmentUpload, the file's upload and CompleteAttachmentUpload (the file is the shell's).
    Attachment,
}

impl SendKind {
    fn from_number(n: f64) -> SendKind {
        match n as u8 {
            1 => SendKind::Event,
            2 => SendKind::Attachment,
            _ => SendKind::Message,
        }
    }
}

/// One send waiting in the outbox.
#[derive(Debug)]
pub(super) struct Entry {
    pub token: String,
    pub kind: SendKind,
    /// The request's JSON body, ClientToken included (checked and built by the shell); an attachment's is
    /// StartAttachmentUpload's.
    pub body: String,
    pub status: SendStatus,
    pub error: Option<ChatError>,
    /// A Promise of the page's waits for this entry to settle.
    pub waiting: bool,
}

#[derive(Debug, Default)]
pub(super) struct Outbox {
    pub entries: Vec<Entry>,
    /// The entry being sent: its request and the time it is given up as unanswered.
    pub in_flight: Option<(RequestId, Millis)>,
    /// After a retryable failure, the next attempt waits until then (or the next connection).
    pub retry_at: Option<Millis>,
    /// Retryable failures in a row, for the backoff.
    pub failures: u32,
    /// Something changed since the shell last saved the outbox.
    pub changed: bool,
}

impl Outbox {
    fn find(&self, token: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.token == token)
    }
}

impl<J: JsonValue + Clone> Session<J> {
    /// Whether a send made now goes to the outbox: the session is connecting, connected, reconnecting
    /// or only suspended. Before `connect()`, after `close()` and once the chat is over it does not (the
    /// shell then calls at once, as without an outbox, and gets the error that state deserves).
    pub fn outbox_open(&self) -> bool {
        match self.state {
            State::Connecting | State::Connected | State::Reconnecting => true,
            State::Closed => self.suspended || self.link.connect_failed,
            State::Idle | State::Ended => false,
        }
    }

    /// Queues a send of `kind` whose `body` carries ClientToken `token`; a
    /// Promise waits for it ([`Action::SendSettled`]). `false` (nothing queued) when the outbox is not
    /// open or the ClientToken is in it already.
    pub fn queue_send(&mut self, now: Millis, token: String, kind: SendKind, body: String) -> bool {
        if !self.outbox_open() || self.outbox.find(&token).is_some() {
            return false;
        }
        self.status(&token, SendStatus::Queued, None, None);
        self.outbox.entries.push(Entry { token, kind, body, status: SendStatus::Queued, error: None, waiting: true });
        self.outbox.changed = true;
        self.pump_outbox(now);
        true
    }

    /// Sends the next queued entry if it is time: connected, nothing in flight, no backoff running.
    pub(super) fn pump_outbox(&mut self, now: Millis) {
        let o = &mut self.outbox;
        if self.state != State::Connected || o.in_flight.is_some() || o.retry_at.is_some_and(|at| at > now) {
            return;
        }
        o.retry_at = None;
        let Some(e) = o.entries.iter_mut().find(|e| e.status == SendStatus::Queued) else { return };
        e.status = SendStatus::Sending;
        let (token, kind, body) = (e.token.clone(), e.kind, e.body.clone());
        let request = self.fresh_id();
        // The shell's calls have timeouts of their own: this only guards against an answer that never
        // comes. An attachment is three calls, one of them a file's upload of up to two minutes.
        let timeout = Millis::from(self.cfg.request_timeout_ms);
        let wait = if kind == SendKind::Attachment { 4 * timeout + 300_000 } else { timeout + 1_000 };
        let deadline = now + wait;
        self.outbox.in_flight = Some((request, deadline));
        self.status(&token, SendStatus::Sending, None, None);
        self.actions.push(Action::SendQueued { request, kind, token, body });
    }

    /// Reports the answer to an [`Action::SendQueued`]: the service's (`{ Id, AbsoluteTime }`) or its error.
    pub fn send_finished(&mut self, now: Millis, request: RequestId, result: Result<J, ChatError>) {
        if self.outbox.in_flight.map(|(id, _)| id) != Some(request) {
            return;
        }
        self.outbox.in_flight = None;
        let Some(i) = self.outbox.entries.iter().position(|e| e.status == SendStatus::Sending) else { return };
        self.outbox.changed = true;
        match result {
            Ok(answer) => {
                self.outbox.failures = 0;
                let e = self.outbox.entries.remove(i);
                // An attachment's answer is `{ AttachmentId }`.
                let id = answer.str_field("Id").or_else(|| answer.str_field("AttachmentId"));
                self.status(&e.token, SendStatus::Sent, id, None);
                if e.waiting {
                    self.actions.push(Action::SendSettled { token: e.token, result: Ok(answer) });
                }
            }
            Err(error) if error.retryable => {
                self.outbox.failures += 1;
                let delay = self.cfg.send_backoff.delay(self.outbox.failures, &mut self.rng);
                self.outbox.retry_at = Some(now + Millis::from(delay));
                if let Some(e) = self.outbox.entries.get_mut(i) {
                    e.status = SendStatus::Queued;
                    e.error = Some(error.clone());
                    let token = e.token.clone();
                    self.status(&token, SendStatus::Queued, None, Some(error));
                }
            }
            Err(error) => self.fail_entry(i, error),
        }
        self.pump_outbox(now);
    }

    /// A failed entry (or a queued one) is tried again, at its place in the queue; a Promise waits for it.
    /// `false` if there is no such entry, it is being sent, or the outbox is not open.
    pub fn retry_pending(&mut self, now: Millis, token: &str) -> bool {
        let open = self.outbox_open();
        let Some(e) = self.outbox.entries.iter_mut().find(|e| e.token == token) else { return false };
        if !open || e.status == SendStatus::Sending {
            return false;
        }
        e.status = SendStatus::Queued;
        e.error = None;
        e.waiting = true;
        self.outbox.changed = true;
        self.outbox.retry_at = None;
        self.status(token, SendStatus::Queued, None, None);
        self.pump_outbox(now);
        true
    }

    /// Removes an entry that is not being sent; a Promise waiting for it is rejected. `false` if there
    /// is none such.
    pub fn drop_pending(&mut self, token: &str) -> bool {
        let Some(i) = self
            .outbox
            .find(token)
            .filter(|&i| self.outbox.entries.get(i).is_some_and(|e| e.status != SendStatus::Sending))
        else {
            return false;
        };
        let e = self.outbox.entries.remove(i);
        self.outbox.changed = true;
        if e.waiting {
            let result = Err(ChatError::invalid_state("the send was dropped (dropPending)"));
            self.actions.push(Action::SendSettled { token: e.token, result });
        }
        true
    }

    /// Whether the outbox changed since the last call (the shell then saves [`Session::outbox_json`]).
    pub fn take_outbox_changed(&mut self) -> bool {
        ::core::mem::take(&mut self.outbox.changed)
    }

    /// Every entry, oldest first, as a JSON array: `{ clientToken, status, kind, body, error? }` (`kind`
    /// 0 a message, 1 an event, 2 an attachment; the
    /// error as `{ name, message, status, retryable }`). What `pending` shows and what a reload restores.
    pub fn outbox_json(&self) -> String {
        let mut out = String::from("[");
        for (n, e) in self.outbox.entries.iter().enumerate() {
            if n > 0 {
                out.push(',');
            }
            let mut w = ObjectWriter::new()
                .string("clientToken", &e.token)
                .string("status", e.status.as_str())
                .raw("kind", &num(e.kind as u64))
                .string("body", &e.body);
            if let Some(err) = &e.error {
                // As a service's error body, so restoring it is `ChatError::from_http`.
                let mut o = String::from("{\"code\":");
                push_str_literal(&mut o, &err.name);
                o.push_str(",\"message\":");
                push_str_literal(&mut o, &err.message);
                o.push_str(",\"status\":");
                o.push_str(&num(u64::from(err.status)));
                o.push_str(if err.retryable { ",\"retryable\":true}" } else { ",\"retryable\":false}" });
                w = w.raw("error", &o);
            }
            out.push_str(&w.finish());
        }
        out.push(']');
        out
    }

    /// Puts back what an earlier page of this chat left in its outbox (`saved`: what
    /// [`Session::outbox_json`] gave), before anything queued since; no Promise waits for those entries.
    /// Entries that are not readable, or whose ClientToken is in the outbox already, are skipped.
    pub fn restore_outbox(&mut self, now: Millis, saved: &J) {
        let mut at = 0;
        for v in saved.elements().unwrap_or_default() {
            let (Some(token), Some(body)) = (v.str_field("clientToken"), v.str_field("body")) else { continue };
            if self.outbox.find(&token).is_some() {
                continue;
            }
            // A failed entry keeps its (final) error; a queued one is tried afresh.
            let failed = v.str_field("status").as_deref() == Some("failed");
            let error = v.field("error").filter(|_| failed).map(|e| {
                let status = e.field("status").and_then(|s| s.as_number()).unwrap_or(0.0) as u16;
                ChatError::from_http(status, None, Some(&e))
            });
            let status = if error.is_some() { SendStatus::Failed } else { SendStatus::Queued };
            self.status(&token, status, None, error.clone());
            let kind = SendKind::from_number(v.field("kind").and_then(|k| k.as_number()).unwrap_or(0.0));
            self.outbox.entries.insert(at, Entry { token, kind, body, status, error, waiting: false });
            at += 1;
        }
        if at > 0 {
            self.outbox.changed = true;
            self.pump_outbox(now);
        }
    }

    /// The connection is back: a backoff after a failure ends now.
    pub(super) fn outbox_connected(&mut self, now: Millis) {
        self.outbox.retry_at = None;
        self.outbox.failures = 0;
        self.pump_outbox(now);
    }

    /// The entry in flight has not been answered in time: as a retryable failure (the same ClientToken
    /// goes out again, so an answer that was only lost records nothing twice).
    pub(super) fn send_timed_out(&mut self, now: Millis) {
        if let Some((request, _)) = self.outbox.in_flight {
            self.send_finished(now, request, Err(ChatError::timeout("the send did not answer in time")));
        }
    }

    /// The session stopped: what is in flight goes back to the queue, and the page's Promises are
    /// settled with `reason`. With `ended`, every entry still waiting fails with it too (and stays listed).
    pub(super) fn outbox_stopped(&mut self, reason: &ChatError, ended: bool) {
        self.outbox.in_flight = None;
        self.outbox.retry_at = None;
        self.outbox.changed = true;
        for i in 0..self.outbox.entries.len() {
            let Some(e) = self.outbox.entries.get_mut(i).filter(|e| e.status != SendStatus::Failed) else { continue };
            e.status = SendStatus::Queued;
            if ended {
                self.fail_entry(i, reason.clone());
            } else if ::core::mem::take(&mut e.waiting) {
                let token = e.token.clone();
                self.actions.push(Action::SendSettled { token, result: Err(reason.clone()) });
            }
        }
    }

    /// A final failure of entry `i`: `failed`, its Promise rejected; the queue goes on without it.
    fn fail_entry(&mut self, i: usize, error: ChatError) {
        let Some(e) = self.outbox.entries.get_mut(i) else { return };
        e.status = SendStatus::Failed;
        e.error = Some(error.clone());
        let token = e.token.clone();
        let waiting = ::core::mem::take(&mut e.waiting);
        self.status(&token, SendStatus::Failed, None, Some(error.clone()));
        if waiting {
            self.actions.push(Action::SendSettled { token, result: Err(error) });
        }
    }

    fn status(&mut self, token: &str, status: SendStatus, id: Option<String>, error: Option<ChatError>) {
        self.emit(Event::SendStatus { token: token.to_owned(), status, id, error });
    }

    /// When the outbox needs the clock: the answer in flight is overdue, or a backoff ends (only worth
    /// waking for while connected).
    pub(super) fn outbox_deadline(&self) -> Option<Millis> {
        match self.outbox.in_flight {
            Some((_, deadline)) => Some(deadline),
            None if self.state == State::Connected
                && self.outbox.entries.iter().any(|e| e.status == SendStatus::Queued) =>
            {
                self.outbox.retry_at
            }
            None => None,
        }
    }
}

/// The default backoff between attempts of one queued send while connected (the retry policy's).
pub const SEND_BACKOFF: Backoff = Backoff { initial_ms: 200, max_ms: 5_000 };
