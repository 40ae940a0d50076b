//! Remembers the `Id`s of delivered items so each is delivered once, however long the chat. Memory stays
//! flat: the Ids of the last `capacity` items are kept, and of the older ones only a horizon, the newest
//! `AbsoluteTime` among those forgotten. An item at or before the horizon that is not in the window is
//! one the window has forgotten, so it was delivered: a gap fill that falls back to the whole transcript
//! (thousands of items) re-delivers nothing. The horizon is safe because items come in the service's time
//! order up to a few seconds (the session holds live items while it fills a gap, so a missed item is
//! always taken in before the newer ones that would push the horizon past it).
//!
//! Ids are kept as 64-bit fingerprints in a small open-addressing table (linear probing, deletion by
//! backward shift) rather than as strings in a `HashSet`: constant work per item, no string copies, and a
//! fraction of std's hashing code in the wasm. Two different Ids in one window sharing a fingerprint
//! (about 2^-64 per pair) is the only way this could drop an item.

use super::time::Millis;
use crate::prelude::*;

#[derive(Debug)]
pub struct Dedup {
    /// Fingerprints; 0 marks an empty slot. The length is a power of two, at least twice the capacity.
    slots: Vec<u64>,
    /// The last `capacity` fingerprints with their items' times, a ring in insertion order: `order[next]`
    /// is the oldest once full.
    order: Vec<(u64, Millis)>,
    next: usize,
    capacity: usize,
    /// The newest time among the forgotten Ids: nothing at or before it is new.
    horizon: Millis,
    /// The newest time taken in.
    latest: Millis,
}

/// FNV-1a with a final mix, never 0.
pub fn fingerprint(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 32;
    h.max(1)
}

impl Dedup {
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        let size = (capacity * 2).next_power_of_two();
        Dedup {
            slots: vec![0; size],
            order: Vec::with_capacity(capacity),
            next: 0,
            capacity,
            horizon: Millis::MIN,
            latest: Millis::MIN,
        }
    }

    /// Records `id` of an item at `time` (`None`: unknown); `true` the first time it is seen, `false` for a
    /// duplicate (in the window, or at or before the horizon of the forgotten ones).
    pub fn insert(&mut self, id: &str, time: Option<Millis>) -> bool {
        let h = fingerprint(id);
        if self.find(h).is_some() || time.is_some_and(|t| t <= self.horizon) {
            return false;
        }
        // An item without a time counts as the newest, so the horizon never passes a later real one.
        let at = time.unwrap_or(self.latest);
        self.latest = self.latest.max(at);
        if self.order.len() == self.capacity {
            let (old, old_time) = ::core::mem::replace(&mut self.order[self.next], (h, at));
            self.next = (self.next + 1) % self.capacity;
            self.horizon = self.horizon.max(old_time);
            self.remove(old);
        } else {
            self.order.push((h, at));
        }
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = h;
        true
    }

    pub fn contains(&self, id: &str) -> bool {
        self.find(fingerprint(id)).is_some()
    }

    /// Forgets `id` again: an item that was taken in but never reached the page (held for the ordering
    /// window when the session closed) must count as unseen, so the gap fill brings it back. Its place
    /// in the ring stays, empty (fingerprint 0, which the table never holds), until the ring comes round.
    pub fn forget(&mut self, id: &str) {
        let h = fingerprint(id);
        if let Some(entry) = self.order.iter_mut().find(|(f, _)| *f == h) {
            *entry = (0, Millis::MIN);
            self.remove(h);
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    fn find(&self, h: u64) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        loop {
            match self.slots[i] {
                0 => return None,
                v if v == h => return Some(i),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Removes `h` and shifts later entries of its probe run back, so lookups never stop early.
    fn remove(&mut self, h: u64) {
        let Some(mut hole) = self.find(h) else { return };
        let mask = self.slots.len() - 1;
        let mut j = hole;
        loop {
            j = (j + 1) & mask;
            let v = self.slots[j];
            if v == 0 {
                break;
            }
            let home = (v as usize) & mask;
            // `v` may stay if its home lies cyclically in (hole, j]; otherwise it moves into the hole.
            let stays = if hole <= j { hole < home && home <= j } else { hole < home || home <= j };
            if !stays {
                self.slots[hole] = v;
                hole = j;
            }
        }
        self.slots[hole] = 0;
    }
}

#[cfg(test)]
#[path = "dedup_tests.rs"]
mod tests;
