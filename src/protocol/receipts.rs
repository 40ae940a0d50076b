//! Typing and read/delivered receipts, sans IO.
//!
//! - Typing events go out at most once per interval (default 10 s): a widget may call on every key.
//! - Receipts are queued and sent in batches after a short window, each (message, kind) at most once. A
//!   batch carries at most one receipt of each kind, for the newest message queued: it stands for the
//!   ones before it, as with the official Connect chat SDKs (which keep one pending receipt per kind), so
//!   a burst of 3,000 bot messages costs two SendEvent calls per window instead of 3,000. A read receipt
//!   makes a delivered one for the same message pointless.
//! - Incoming receipts about our own reads are not worth an event: the page already knows.

use super::dedup::{fingerprint_tagged, Dedup};
use super::time::{Millis, Now};
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

/// A receipt waiting for its batch: its message's Id and that Id's [`item_key`](super::dedup::item_key).
type Pending = Option<(String, u64)>;

/// Receipts waiting for their batch (the newest of each kind), and those sent or stood for.
#[derive(Debug)]
pub struct ReceiptQueue {
    pub batch_ms: u32,
    read: Pending,
    delivered: Pending,
    flush_at: Option<Millis>,
    sent: Dedup,
}

impl ReceiptQueue {
    pub fn new(batch_ms: u32) -> Self {
        ReceiptQueue { batch_ms, read: None, delivered: None, flush_at: None, sent: Dedup::new(1024) }
    }

    /// Queues a receipt for `message_id`, whose [`item_key`](super::dedup::item_key) is `message`;
    /// `false` when it was already sent, queued or stood for (nothing to do). Called for every message
    /// that comes (its delivered receipt), so it makes no string.
    pub fn push(&mut self, now: &Now, message_id: &str, message: u64, kind: ReceiptKind) -> bool {
        if message_id.is_empty() {
            return false;
        }
        let read = kind == ReceiptKind::Read;
        let is = |pending: &Pending| pending.as_ref().is_some_and(|(id, _)| id == message_id);
        if self.sent.contains_key(key(message, kind))
            || (!read && (is(&self.read) || self.sent.contains_key(key(message, ReceiptKind::Read))))
        {
            return false;
        }
        if read && is(&self.delivered) {
            self.delivered = None;
        }
        let slot = if read { &mut self.read } else { &mut self.delivered };
        match slot {
            Some((older, _)) if older == message_id => return false,
            Some((older, older_key)) => {
                // The receipt it replaces is stood for by this one: never sent on its own later.
                self.sent.insert_key(key(*older_key, kind), None);
                older.clear();
                older.push_str(message_id);
                *older_key = message;
            }
            none => *none = Some((message_id.to_owned(), message)),
        }
        self.flush_at.get_or_insert_with(|| now.get() + Millis::from(self.batch_ms));
        true
    }

    pub fn flush_at(&self) -> Option<Millis> {
        self.flush_at
    }

    /// The batch to send, if its time has come: at most one receipt of each kind. Each is remembered as
    /// sent.
    pub fn take_due(&mut self, now: Millis) -> Vec<(String, ReceiptKind)> {
        if self.flush_at.is_none_or(|t| t > now) {
            return Vec::new();
        }
        self.flush_at = None;
        let mut batch = Vec::with_capacity(2);
        if let Some((id, message)) = self.delivered.take() {
            self.sent.insert_key(key(message, ReceiptKind::Delivered), None);
            batch.push((id, ReceiptKind::Delivered));
        }
        if let Some((id, message)) = self.read.take() {
            self.sent.insert_key(key(message, ReceiptKind::Read), None);
            batch.push((id, ReceiptKind::Read));
        }
        batch
    }

    /// Forgets what is pending (the session ended).
    pub fn clear(&mut self) {
        self.read = None;
        self.delivered = None;
        self.flush_at = None;
    }
}

/// What a receipt is remembered by: its message's fingerprint and its kind.
fn key(message: u64, kind: ReceiptKind) -> u64 {
    fingerprint_tagged(message, kind as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::dedup::item_key;
    use crate::protocol::text::num;

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
        assert!(q.push(&Now::at(0), "m1", item_key("m1"), ReceiptKind::Delivered));
        assert!(!q.push(&Now::at(10), "m1", item_key("m1"), ReceiptKind::Delivered), "already queued");
        assert!(q.push(&Now::at(20), "m2", item_key("m2"), ReceiptKind::Read));
        assert!(!q.push(&Now::at(40), "m2", item_key("m2"), ReceiptKind::Delivered), "delivered after read is pointless");
        assert_eq!(q.flush_at(), Some(500));
        assert!(q.take_due(499).is_empty());
        let batch = q.take_due(500);
        assert_eq!(batch, vec![("m1".to_owned(), ReceiptKind::Delivered), ("m2".to_owned(), ReceiptKind::Read)]);
        assert_eq!(q.flush_at(), None);
        assert!(!q.push(&Now::at(600), "m1", item_key("m1"), ReceiptKind::Delivered), "sent already");
        assert!(!q.push(&Now::at(600), "m2", item_key("m2"), ReceiptKind::Delivered), "read already");
        assert!(q.push(&Now::at(600), "m1", item_key("m1"), ReceiptKind::Read), "read after delivered is news");
        assert!(!q.push(&Now::at(600), "", item_key(""), ReceiptKind::Read));
    }

    #[test]
    fn a_batch_carries_the_newest_receipt_of_each_kind_which_stands_for_the_rest() {
        let mut q = ReceiptQueue::new(500);
        let id = |i: u64| ["m", &num(i)].concat();
        for i in 0..3_000 {
            assert!(q.push(&Now::at(i as Millis), &id(i), item_key(&id(i)), ReceiptKind::Delivered));
        }
        assert!(q.push(&Now::at(3_000), &id(10), item_key(&id(10)), ReceiptKind::Read));
        assert_eq!(
            q.take_due(5_000),
            vec![(id(2999), ReceiptKind::Delivered), (id(10), ReceiptKind::Read)],
            "two calls for 3,001 receipts"
        );
        // (The newest thousand or so are remembered; one forgotten costs at most a call that says again
        // what was said.)
        for i in [2000, 2500, 2998] {
            assert!(
                !q.push(&Now::at(6_000), &id(i), item_key(&id(i)), ReceiptKind::Delivered),
                "{} was stood for by a newer one",
                id(i)
            );
        }
        assert!(q.take_due(10_000).is_empty());
        // A read of the newest message makes its pending delivered one pointless.
        assert!(q.push(&Now::at(11_000), "n1", item_key("n1"), ReceiptKind::Delivered));
        assert!(q.push(&Now::at(11_001), "n1", item_key("n1"), ReceiptKind::Read));
        assert_eq!(q.take_due(12_000), vec![("n1".to_owned(), ReceiptKind::Read)]);
    }
}
