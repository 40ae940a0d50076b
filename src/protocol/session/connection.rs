//! The connection's life: the ConnectionToken and its renewal, the WebSocket URL lease and its
//! renewal, the one CreateParticipantConnection call in flight, and the reconnect schedule after a
//! failure. Owns `Link`; the sockets it opens are `sockets.rs`'s.

use super::super::api::Connection;
use super::super::error::ChatError;
use super::super::time::Millis;
use super::sockets::Phase;
use super::{Action, Event, RequestId, Session, State};
use crate::prelude::*;
use crate::protocol::json::JsonValue;

/// The connection's state (see the module doc).
#[derive(Debug, Default)]
pub(super) struct Link {
    pub token: Option<String>,
    pub token_renew_at: Option<Millis>,
    pub lease: Option<Lease>,
    pub request: Option<Request>,
    /// A scheduled connect attempt (after a failure).
    pub retry_at: Option<Millis>,
    /// Consecutive failed attempts at connecting.
    pub attempts: u32,
    /// Consecutive failed renewals.
    pub renew_failures: u32,
    /// Consecutive URLs whose lifetime looked shorter than twice the renewal floor (see
    /// `min_renew_interval_ms`).
    pub short_leases: u32,
    /// A `connect()` waits to be settled.
    pub connect_pending: bool,
    pub ever_connected: bool,
    /// `connect()` gave up on retryable failures (`Closed`, the chat not over): sends wait in the outbox
    /// for the next `connect()`, behind what waits there already, instead of going out on their own.
    pub connect_failed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// Get a URL for a first connection or a reconnect.
    Connect,
    /// Get a URL for the standby socket that will replace the active one before it expires.
    Renew,
    /// Get a new ConnectionToken only.
    Credentials,
}

#[derive(Debug)]
pub(super) struct Request {
    pub id: RequestId,
    pub purpose: Purpose,
    /// Asked for credentials only (no URL will come back even if the purpose changes meanwhile).
    pub credentials_only: bool,
    pub deadline: Millis,
}

/// The newest WebSocket URL; a reconnect may reuse it until it is due for renewal.
#[derive(Debug)]
pub(super) struct Lease {
    pub url: String,
    pub renew_at: Millis,
}

impl<J: JsonValue + Clone> Session<J> {
    /// Reports the result of a [`Action::CreateConnection`]; `wall` is the wall clock now (ms since the
    /// epoch), against which the answer's expiries are read.
    pub fn connection_created(
        &mut self,
        now: Millis,
        wall: Millis,
        request: RequestId,
        result: Result<Connection, ChatError>,
    ) {
        let Some(req) = self.link.request.take_if(|r| r.id == request) else {
            return;
        };
        match result {
            Ok(conn) => self.on_connection(now, wall, &req, conn),
            Err(e) => self.on_request_failed(now, req.purpose, e),
        }
    }

    pub(super) fn begin_connect_attempt(&mut self, now: Millis) {
        // The last URL is reused while it is not due for renewal anyway; after that a new one is fetched.
        let reusable = self.link.lease.as_ref().filter(|l| l.renew_at > now).map(|l| l.url.clone());
        match reusable {
            Some(url) if self.sockets.active.is_none() && !self.follower => self.open_socket(now, url, false),
            _ => self.send_request(now, Purpose::Connect),
        }
    }

    pub(super) fn send_request(&mut self, now: Millis, purpose: Purpose) {
        if self.link.request.is_some() {
            return;
        }
        let id = self.fresh_id();
        let deadline = now + Millis::from(self.cfg.request_timeout_ms);
        // A follower (see `sharing`) connects with credentials only: it opens no socket.
        let credentials_only = purpose == Purpose::Credentials || (self.follower && purpose == Purpose::Connect);
        self.link.request = Some(Request { id, purpose, credentials_only, deadline });
        self.actions.push(Action::CreateConnection { request: id, credentials_only });
    }

    pub(super) fn on_connection(&mut self, now: Millis, wall: Millis, req: &Request, conn: Connection) {
        if let Some(cred) = conn.credentials {
            let ttl = lifetime(wall, cred.expiry, self.cfg.default_token_ttl_ms);
            self.link.token_renew_at = Some(now + renew_after(ttl, self.cfg.max_renew_lead_ms));
            self.link.token = Some(cred.token);
            self.link.renew_failures = 0;
        }
        let purpose = req.purpose;
        if purpose == Purpose::Credentials {
            return;
        }
        if req.credentials_only {
            if self.follower {
                return self.became_connected(now);
            }
            // A token renewal that a lost socket (or a promotion) turned into a connect: now get a URL.
            return self.begin_connect_attempt(now);
        }
        let Some(ws) = conn.websocket else {
            let e = ChatError::invalid_response(200, "CreateParticipantConnection returned no Websocket");
            return self.on_request_failed(now, purpose, e);
        };
        let ttl = lifetime(wall, ws.expiry, self.cfg.default_url_ttl_ms);
        let renew_in = self.renewal_interval(ttl);
        self.link.lease = Some(Lease { url: ws.url.clone(), renew_at: now + renew_in });
        let as_standby = purpose == Purpose::Renew && self.sockets.active.is_some();
        self.open_socket(now, ws.url, as_standby);
    }

    /// When to renew a URL that lives `ttl`: a third before its end (at most `max_renew_lead_ms` before),
    /// but never sooner than the floor, which doubles while URLs keep looking too short to be true.
    pub(super) fn renewal_interval(&mut self, ttl: Millis) -> Millis {
        let cap = Millis::from(self.cfg.default_url_ttl_ms / 3).max(Millis::from(self.cfg.min_renew_interval_ms));
        let floor = (Millis::from(self.cfg.min_renew_interval_ms) << self.link.short_leases.min(20)).min(cap);
        self.link.short_leases = if ttl < floor { self.link.short_leases + 1 } else { 0 };
        renew_after(ttl, self.cfg.max_renew_lead_ms).max(floor)
    }

    pub(super) fn on_request_failed(&mut self, now: Millis, purpose: Purpose, e: ChatError) {
        if !e.retryable {
            // The ParticipantToken is refused or the chat is gone: no retry can help.
            return self.give_up(e);
        }
        match purpose {
            Purpose::Connect => self.connect_attempt_failed(now, e),
            Purpose::Renew => self.renewal_failed(now),
            Purpose::Credentials => {
                self.link.renew_failures += 1;
                let delay = self.cfg.reconnect.delay(self.link.renew_failures, &mut self.rng);
                self.link.token_renew_at = Some(now + Millis::from(delay));
            }
        }
    }

    /// A connect attempt (API call, socket open or subscription) failed with a retryable error.
    pub(super) fn connect_attempt_failed(&mut self, now: Millis, reason: ChatError) {
        self.link.attempts += 1;
        if self.state == State::Connecting && self.link.attempts >= self.cfg.connect_attempts {
            self.outbox_stopped(&reason, false);
            self.settle_connect(Err(reason));
            self.teardown();
            self.state = State::Closed;
            self.link.connect_failed = true;
            return;
        }
        if self.state == State::Connected {
            self.state = State::Reconnecting;
        }
        // The first retry goes out at once (a little jitter only): most drops are one-off, and every
        // millisecond here is a millisecond without messages. Then the backoff grows.
        let delay = match self.link.attempts {
            1 => self.rng.below(FIRST_RETRY_JITTER_MS + 1),
            n => self.cfg.reconnect.delay(n - 1, &mut self.rng),
        };
        self.link.retry_at = Some(now + Millis::from(delay));
        if self.state == State::Reconnecting {
            self.emit(Event::Reconnecting { attempt: self.link.attempts, delay_ms: delay, reason });
        }
    }

    pub(super) fn renewal_failed(&mut self, now: Millis) {
        self.link.renew_failures += 1;
        let delay = self.cfg.reconnect.delay(self.link.renew_failures, &mut self.rng);
        if let Some(a) = self.sockets.active.as_mut() {
            a.renew_at = now + Millis::from(delay);
        }
    }

    pub(super) fn give_up(&mut self, reason: ChatError) {
        let connecting = self.state == State::Connecting;
        self.outbox_stopped(&reason, !connecting);
        if connecting {
            self.settle_connect(Err(reason));
            self.teardown();
            self.state = State::Closed;
        } else {
            self.teardown();
            self.state = State::Ended;
            self.emit(Event::ConnectionLost { reason });
        }
    }

    pub(super) fn settle_connect(&mut self, result: Result<(), ChatError>) {
        if ::core::mem::take(&mut self.link.connect_pending) {
            self.actions.push(Action::ConnectSettled(result));
        }
    }

    pub(super) fn renewal_due_at(&self) -> Option<Millis> {
        if self.state != State::Connected || self.sockets.standby.is_some() || self.link.request.is_some() {
            return None;
        }
        let a = self.sockets.active.as_ref()?;
        matches!(a.phase, Phase::Live).then_some(a.renew_at)
    }
}

/// Jitter of the first reconnect attempt: none, it goes out at once (later attempts are jittered).
const FIRST_RETRY_JITTER_MS: u32 = 0;

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
