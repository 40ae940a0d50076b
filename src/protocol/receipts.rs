//! Typing and read/delivered receipts, sans IO.
//!
//! - Typing events go out at most once per interval (default 10 s): a widget may call on every key.
//! - Receipts are queued and sent in batches after a short window; each (message, kind) goes out at most
//!   once, and a read receipt makes a pending delivered one for the same message pointless.
//! - Incoming receipts about our own reads are not worth an event: the page already knows.

use super::dedup::Dedup;
use super::time::Millis;
use crate::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptKind {
    Delivered,
    Read,
}

impl ReceiptKind {
    pub fn content_type(self) -> &'static str {
        match self {
            ReceiptKind::Delivered => "application/vnd.amazonaws.connect.event.message.delivered",
            ReceiptKind::Read => "application/vnd.amazonaws.connect.event.message.read",
        }
    }
}

/// Allows one typing event per `interval_ms`.
#[derive(Debug, Clone)]
pub struct TypingThrottle {
    pub interval_ms: u32,
    last: Option<Millis>,
}

impl TypingThrottle {
    pub fn new(interval_ms: u32) -> Self {
        TypingThrottle { interval_ms, last: None }
    }

    /// Whether a typing event may be sent now (and, if so, records it).
    pub fn allow(&mut self, now: Millis) -> bool {
        match self.last {
            Some(t) if now >= t && now - t < Millis::from(self.interval_ms) => false,
            _ => {
                self.last = Some(now);
                true
            }
        }
    }
}

/// Receipts waiting for their batch, and those already sent.
#[derive(Debug)]
pub struct ReceiptQueue {
    pub batch_ms: u32,
    pending: Vec<(String, ReceiptKind)>,
    flush_at: Option<Millis>,
    sent: Dedup,
}

impl ReceiptQueue {
    pub fn new(batch_ms: u32) -> Self {
        ReceiptQueue { batch_ms, pending: Vec::new(), flush_at: None, sent: Dedup::new(1024) }
    }

    /// Queues a receipt; `false` when it was already sent or queued (nothing to do).
    pub fn push(&mut self, now: Millis, message_id: &str, kind: ReceiptKind) -> bool {
        if message_id.is_empty() || self.sent.contains(&key(message_id, kind)) {
            return false;
        }
        if kind == ReceiptKind::Delivered && self.sent.contains(&key(message_id, ReceiptKind::Read)) {
            return false;
        }
        if self.pending.iter().any(|(id, k)| id == message_id && (*k == kind || *k == ReceiptKind::Read)) {
            return false;
        }
        if kind == ReceiptKind::Read {
            self.pending.retain(|(id, _)| id != message_id);
        }
        self.pending.push((message_id.to_owned(), kind));
        self.flush_at.get_or_insert(now + Millis::from(self.batch_ms));
        true
    }

    pub fn flush_at(&self) -> Option<Millis> {
        self.flush_at
    }

    /// The batch to send, if its time has come. Each is remembered as sent.
    pub fn take_due(&mut self, now: Millis) -> Vec<(String, ReceiptKind)> {
        if self.flush_at.is_none_or(|t| t > now) {
            return Vec::new();
        }
        self.flush_at = None;
        let batch = ::core::mem::take(&mut self.pending);
        for (id, kind) in &batch {
            self.sent.insert(&key(id, *kind), None);
        }
        batch
    }

    /// Forgets what is pending (the session ended).
    pub fn clear(&mut self) {
        self.pending.clear();
        self.flush_at = None;
    }
}

fn key(id: &str, kind: ReceiptKind) -> String {
    let mut k = String::with_capacity(id.len() + 2);
    k.push(if kind == ReceiptKind::Read { 'r' } else { 'd' });
    k.push(':');
    k.push_str(id);
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_goes_out_once_per_interval() {
        let mut t = TypingThrottle::new(10_000);
        assert!(t.allow(0));
        assert!(!t.allow(1));
        assert!(!t.allow(9_999));
        assert!(t.allow(10_000));
        assert!(!t.allow(15_000));
        let mut t = TypingThrottle::new(0);
        assert!(t.allow(5) && t.allow(5), "a zero interval disables the throttle");
    }

    #[test]
    fn receipts_are_batched_and_sent_once() {
        let mut q = ReceiptQueue::new(500);
        assert!(q.push(0, "m1", ReceiptKind::Delivered));
        assert!(!q.push(10, "m1", ReceiptKind::Delivered), "already queued");
        assert!(q.push(20, "m2", ReceiptKind::Delivered));
        assert!(q.push(30, "m2", ReceiptKind::Read), "read replaces the pending delivered");
        assert!(!q.push(40, "m2", ReceiptKind::Delivered), "delivered after read is pointless");
        assert_eq!(q.flush_at(), Some(500));
        assert!(q.take_due(499).is_empty());
        let batch = q.take_due(500);
        assert_eq!(batch, vec![("m1".to_owned(), ReceiptKind::Delivered), ("m2".to_owned(), ReceiptKind::Read)]);
        assert_eq!(q.flush_at(), None);
        assert!(!q.push(600, "m1", ReceiptKind::Delivered), "sent already");
        assert!(!q.push(600, "m2", ReceiptKind::Delivered), "read already");
        assert!(q.push(600, "m1", ReceiptKind::Read), "read after delivered is news");
        assert!(!q.push(600, "", ReceiptKind::Read));
    }
}
