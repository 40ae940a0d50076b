//! A socket's send queue: what the service has for one WebSocket and has not written yet. Bounded, so a
//! client that stops reading costs a fixed amount of memory: when its queue is full it is evicted (its
//! connection dropped), as a real service drops a slow consumer. Pushing never waits, so the world lock
//! is never held while a client is slow.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, Notify};

use crate::state::Outbound;

/// Frames a socket may have waiting. Far more than any client needs to absorb an agent's messages; a
/// `burst` waits for room (`wait_for_room`) instead of overflowing a client that reads.
pub const MAX_FRAMES: usize = 4096;
/// Bytes a socket may have waiting (frames differ in size: a malformed `huge` one is 1 MB).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// How long a `burst` waits for a socket that makes no room at all before pushing on (and evicting it).
pub const STALL_GRACE: Duration = Duration::from_secs(1);

/// The pushing side, kept by the contact.
#[derive(Debug, Clone)]
pub struct Outbox {
    tx: mpsc::Sender<Outbound>,
    shared: Arc<Shared>,
}

/// The socket task's side.
#[derive(Debug)]
pub struct Inbox {
    rx: mpsc::Receiver<Outbound>,
    shared: Arc<Shared>,
}

/// Resolves when the socket has been evicted.
#[derive(Debug, Clone)]
pub struct Eviction(Arc<Shared>);

#[derive(Debug, Default)]
struct Shared {
    bytes: AtomicUsize,
    evicted: Notify,
}

pub fn channel() -> (Outbox, Inbox) {
    let (tx, rx) = mpsc::channel(MAX_FRAMES);
    let shared = Arc::new(Shared::default());
    (Outbox { tx, shared: shared.clone() }, Inbox { rx, shared })
}

fn size(message: &Outbound) -> usize {
    match message {
        Outbound::Text(t) => t.len(),
        _ => 0,
    }
}

impl Outbox {
    /// Queues `message`. `false` if the socket is gone or has just been evicted for a full queue: either
    /// way the contact forgets it.
    pub fn push(&self, message: Outbound) -> bool {
        let len = size(&message);
        if self.shared.bytes.fetch_add(len, Ordering::Relaxed) + len > MAX_BYTES {
            self.shared.bytes.fetch_sub(len, Ordering::Relaxed);
            self.shared.evicted.notify_one();
            return false;
        }
        match self.tx.try_send(message) {
            Ok(()) => true,
            Err(e) => {
                self.shared.bytes.fetch_sub(len, Ordering::Relaxed);
                if matches!(e, TrySendError::Full(_)) {
                    self.shared.evicted.notify_one();
                }
                false
            }
        }
    }

    /// Frames that can still be queued.
    pub fn room(&self) -> usize {
        self.tx.capacity()
    }

    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }
}

impl Inbox {
    pub async fn recv(&mut self) -> Option<Outbound> {
        let message = self.rx.recv().await;
        self.taken(message.as_ref());
        message
    }

    pub fn try_recv(&mut self) -> Option<Outbound> {
        let message = self.rx.try_recv().ok();
        self.taken(message.as_ref());
        message
    }

    fn taken(&self, message: Option<&Outbound>) {
        if let Some(m) = message {
            self.shared.bytes.fetch_sub(size(m), Ordering::Relaxed);
        }
    }

    pub fn eviction(&self) -> Eviction {
        Eviction(self.shared.clone())
    }
}

impl Eviction {
    /// Waits for the eviction (at once if it already happened: `Notify` keeps the permit).
    pub async fn happened(&self) {
        self.0.evicted.notified().await
    }
}

/// Waits until every one of `outboxes` has room for `frames` more, or has made no room for
/// `STALL_GRACE` (a client that has stopped reading: the push that follows evicts it). A client that
/// reads, however slowly, is waited for, so a burst never drops it.
pub async fn wait_for_room(outboxes: &[Outbox], frames: usize) {
    let frames = frames.min(MAX_FRAMES);
    let start = Instant::now();
    let mut watched: Vec<(&Outbox, usize, Instant)> = outboxes.iter().map(|o| (o, o.room(), start)).collect();
    loop {
        let now = Instant::now();
        let mut waiting = false;
        for (outbox, last_room, last_progress) in &mut watched {
            if outbox.is_closed() {
                continue;
            }
            let room = outbox.room();
            if room > *last_room {
                *last_progress = now;
            }
            *last_room = room;
            waiting |= room < frames && now.duration_since(*last_progress) < STALL_GRACE;
        }
        if !waiting {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_evicts_and_frees_nothing_else() {
        let (outbox, mut inbox) = channel();
        let frame: Arc<str> = Arc::from("x");
        for _ in 0..MAX_FRAMES {
            assert!(outbox.push(Outbound::Text(frame.clone())));
        }
        assert_eq!(outbox.room(), 0);
        assert!(!outbox.push(Outbound::Text(frame.clone())), "the frame past the bound evicts");
        tokio::time::timeout(Duration::from_secs(1), inbox.eviction().happened()).await.unwrap();
        assert!(inbox.try_recv().is_some());
        assert_eq!(outbox.room(), 1);
    }

    #[tokio::test]
    async fn bytes_are_bounded_too() {
        let (outbox, inbox) = channel();
        let big: Arc<str> = Arc::from("x".repeat(MAX_BYTES / 4 + 1));
        for _ in 0..3 {
            assert!(outbox.push(Outbound::Text(big.clone())));
        }
        assert!(!outbox.push(Outbound::Text(big)));
        tokio::time::timeout(Duration::from_secs(1), inbox.eviction().happened()).await.unwrap();
    }
}
