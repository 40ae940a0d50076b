//! Fault injection: what a flaky network and a busy service do to a chat client, on demand and
//! reproducibly (seeded). Set through the control API (`control.rs`).
//!
//! Independent of the service's state: `state.rs` uses this module, never the other way round. Item
//! faults work on frames already built (`state::chat_frame`), whatever they hold.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::errors::ApiError;

/// Server-wide faults.
#[derive(Debug)]
pub struct Faults {
    rng: Mutex<u64>,
    /// By operation name (`CreateParticipantConnection`, `SendMessage`, ...).
    calls: Mutex<HashMap<String, CallFault>>,
}

/// The next `remaining` calls of an operation are delayed and/or refused.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct CallFault {
    pub remaining: u32,
    /// 429 or 5xx (what a retry may get past), 400, 402, 403 or 409 (what it never will: the service's
    /// ValidationException, ServiceQuotaExceededException, AccessDeniedException, ConflictException); 0 to
    /// only delay.
    pub status: u16,
    pub delay_ms: u64,
}

impl Faults {
    pub fn new(seed: u64) -> Faults {
        Faults { rng: Mutex::new(seed | 1), calls: Mutex::new(HashMap::new()) }
    }

    /// A number in `[0, 1)` from the seeded generator.
    pub fn chance(&self) -> f64 {
        let mut s = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        let mut x = *s;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *s = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn set_call_fault(&self, operation: &str, fault: CallFault) {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).insert(operation.to_owned(), fault);
    }

    /// Consumes one faulty call of `operation`, if any is set: how long to wait, then the error to answer.
    pub fn take_call_fault(&self, operation: &str) -> Option<(u64, Option<ApiError>)> {
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        let f = calls.get_mut(operation)?;
        if f.remaining == 0 {
            return None;
        }
        f.remaining -= 1;
        let error = match f.status {
            0 => None,
            429 => Some(ApiError::throttling("Rate exceeded (injected)")),
            400 => Some(ApiError::validation("The request is not valid (injected)")),
            402 => Some(ApiError::quota("The quota is exceeded (injected)")),
            403 => Some(ApiError::access_denied("You do not have sufficient access (injected)")),
            409 => Some(ApiError::conflict("The request conflicts with the chat's state (injected)")),
            _ => Some(ApiError::internal("Internal server error (injected)")),
        };
        Some((f.delay_ms, error))
    }
}

/// Faults of one contact's item stream.
#[derive(Debug, Default)]
pub struct ContactFaults {
    /// Probability that an item is sent twice.
    pub duplicate_rate: f64,
    /// Probability that an item is held back and sent after the next one.
    pub reorder_rate: f64,
    held: Option<Arc<str>>,
}

impl ContactFaults {
    pub fn new(duplicate_rate: f64, reorder_rate: f64) -> Self {
        let mut f = ContactFaults::default();
        f.set(duplicate_rate, reorder_rate);
        f
    }

    /// New rates. An item held back for reordering stays held: the caller sends it with `flush` (dropping
    /// it here once lost a customer's message in the chaos test).
    pub fn set(&mut self, duplicate_rate: f64, reorder_rate: f64) {
        self.duplicate_rate = duplicate_rate.clamp(0.0, 1.0);
        self.reorder_rate = reorder_rate.clamp(0.0, 1.0);
    }

    /// The frames to send in place of `frame` (an item's), in order: usually just `frame`.
    pub fn frames_for(&mut self, frame: Arc<str>, faults: &Faults) -> Vec<Arc<str>> {
        let mut out = Vec::with_capacity(3);
        if self.reorder_rate > 0.0 && self.held.is_none() && faults.chance() < self.reorder_rate {
            self.held = Some(frame);
            return out;
        }
        out.push(frame.clone());
        if let Some(held) = self.held.take() {
            out.push(held);
        }
        if self.duplicate_rate > 0.0 && faults.chance() < self.duplicate_rate {
            out.push(frame);
        }
        out
    }

    /// Releases a held-back item (so a reordered item is never lost for good).
    pub fn flush(&mut self) -> Option<Arc<str>> {
        self.held.take()
    }
}

/// Shared with a socket task: while set, the socket answers nothing and receives nothing.
#[derive(Debug, Clone, Default)]
pub struct Stall(Arc<AtomicBool>);

impl Stall {
    pub fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Frames that are wrong in every way a client must survive.
pub fn malformed_frame(kind: &str) -> Option<String> {
    Some(match kind {
        "not-json" => "this is not JSON {".to_owned(),
        "wrong-types" => r#"{"topic":42,"content":[1,2,3]}"#.to_owned(),
        "bad-content" => {
            r#"{"topic":"aws/chat","contentType":"application/json","content":"{\"Id\": oops"}"#.to_owned()
        }
        "not-an-object" => r#"{"topic":"aws/chat","contentType":"application/json","content":"[1,2]"}"#.to_owned(),
        "unknown-topic" => r#"{"topic":"aws/unknown","content":{"x":1}}"#.to_owned(),
        "error" => r#"{"message":"Forbidden","connectionId":"emulated","requestId":"emulated"}"#.to_owned(),
        "huge" => {
            let filler = "x".repeat(1 << 20);
            format!(r#"{{"topic":"aws/unknown","content":"{filler}"}}"#)
        }
        _ => return None,
    })
}

pub const MALFORMED_KINDS: &[&str] =
    &["not-json", "wrong-types", "bad-content", "not-an-object", "unknown-topic", "error", "huge"];

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(id: usize) -> Arc<str> {
        Arc::from(id.to_string())
    }

    #[test]
    fn call_faults_count_down_per_operation() {
        let f = Faults::new(1);
        assert!(f.take_call_fault("SendMessage").is_none());
        f.set_call_fault("SendMessage", CallFault { remaining: 2, status: 429, delay_ms: 5 });
        assert!(f.take_call_fault("SendEvent").is_none());
        let (delay, err) = f.take_call_fault("SendMessage").unwrap();
        assert_eq!((delay, err.unwrap().status), (5, 429));
        assert_eq!(f.take_call_fault("SendMessage").unwrap().1.unwrap().status, 429);
        assert!(f.take_call_fault("SendMessage").is_none());
    }

    #[test]
    fn turning_reordering_off_keeps_the_held_item_for_flush() {
        let f = Faults::new(7);
        let mut c = ContactFaults::default();
        c.set(0.0, 1.0);
        assert!(c.frames_for(frame(1), &f).is_empty(), "held back");
        c.set(0.0, 0.0);
        assert_eq!(c.flush(), Some(frame(1)));
    }

    #[test]
    fn duplicates_and_reorders_but_never_loses() {
        let f = Faults::new(7);
        let mut c = ContactFaults::default();
        c.set(0.3, 0.3);
        let mut sent = Vec::new();
        for i in 0..1000 {
            sent.extend(c.frames_for(frame(i), &f));
        }
        sent.extend(c.flush());
        let ids: std::collections::HashSet<_> = sent.iter().collect();
        assert_eq!(ids.len(), 1000, "every item is sent at least once");
        assert!(sent.len() > 1100, "some are sent twice");
        let id = |f: &Arc<str>| f.parse::<usize>().unwrap();
        let in_order = sent.windows(2).all(|w| id(&w[0]) <= id(&w[1]));
        assert!(!in_order, "some are out of order");
    }

    /// The dependency is one-way: `state.rs` uses this module, this module nothing of `state.rs`.
    #[test]
    fn faults_do_not_depend_on_the_state() {
        let source = include_str!("faults.rs");
        let needle = ["crate::", "state"].concat();
        assert!(!source.contains(&needle), "faults.rs must not use the state module");
    }

    #[test]
    fn every_malformed_kind_exists() {
        for k in MALFORMED_KINDS {
            assert!(malformed_frame(k).is_some());
        }
        assert!(malformed_frame("nope").is_none());
    }
}
