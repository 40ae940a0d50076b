//! Remembers the `Id`s of delivered items so each is delivered once, however long the chat. Memory stays
//! flat: the Ids of the last `capacity` items (up to twice as many) are kept, and of the older ones only
//! a horizon, the newest `AbsoluteTime` among those forgotten. An item at or before the horizon that is not in the window is
//! one the window has forgotten, so it was delivered: a gap fill that falls back to the whole transcript
//! (thousands of items) re-delivers nothing. The horizon is safe because items come in the service's time
//! order up to a few seconds, and because nothing is forgotten while a gap is open (`hold`): a missed item
//! the gap fill brings late is never behind the horizon, while the live items that came meanwhile stay
//! known by their Ids, however many. The window grows for that time and shrinks back after. Items the
//! session took in but could not deliver before it closed are `owe`d: new again, whatever the horizon.
//!
//! Ids are kept as 64-bit fingerprints in two small open-addressing tables (linear probing), the current
//! and the previous generation, rather than as strings in a `HashSet`: constant work per item, no string
//! copies, nothing ever deleted, and a fraction of std's hashing code in the wasm. Two different Ids in one window sharing a fingerprint
//! (about 2^-64 per pair) is the only way this could drop an item.

use super::time::Millis;
use crate::prelude::*;

#[derive(Debug)]
pub struct Dedup {
    /// The Ids taken in since the last turn, and those of the turn before: of the newest Ids, at least
    /// `capacity` and at most twice as many are known. A turn forgets a whole table at once, so no Id
    /// is ever removed from one (and no insertion order is kept).
    current: Table,
    previous: Table,
    capacity: usize,
    /// A gap is open: nothing is forgotten (the current table grows instead).
    holding: bool,
    /// The newest time among the forgotten Ids: nothing at or before it is new.
    horizon: Millis,
    /// The newest time taken in.
    latest: Millis,
    /// Items the session took in but never delivered (held for the ordering window when it closed):
    /// the horizon may have passed them, yet they are new until delivered. A few at most.
    owed: Vec<u64>,
}

/// How many owed Ids are kept (beyond, one is delivered unless the horizon passed it).
const MAX_OWED: usize = 4096;

/// How far the current table may grow while a gap is open (16 bytes an Id): beyond, turns go on, and a
/// gap fill that comes after more new items than this could repeat one.
const MAX_HELD_IDS: usize = 1 << 18;

/// Fingerprints in open addressing (linear probing); 0 marks an empty slot. At most half full.
#[derive(Debug)]
struct Table {
    slots: Vec<u64>,
    len: usize,
    /// The newest time among its Ids.
    newest: Millis,
}

impl Table {
    fn new(capacity: usize) -> Self {
        Table { slots: vec![0; (capacity * 2).next_power_of_two()], len: 0, newest: Millis::MIN }
    }

    fn find(&self, h: u64) -> bool {
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        while let Some(&v) = self.slots.get(i) {
            match v {
                0 => return false,
                v if v == h => return true,
                _ => i = (i + 1) & mask,
            }
        }
        false
    }

    fn add(&mut self, h: u64, at: Millis) {
        if (self.len + 1) * 2 > self.slots.len() {
            // Held past its size: twice the room, rehashed.
            let size = self.slots.len() * 2;
            let old = ::core::mem::replace(&mut self.slots, vec![0; size]);
            for v in old.into_iter().filter(|v| *v != 0) {
                self.place(v);
            }
        }
        self.place(h);
        self.len += 1;
        self.newest = self.newest.max(at);
    }

    fn place(&mut self, h: u64) {
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        // Never full (it turns at half), so an empty slot is always found; `get_mut` keeps the
        // bounds check's panic path out of the wasm.
        while let Some(slot) = self.slots.get_mut(i) {
            if *slot == 0 {
                *slot = h;
                return;
            }
            i = (i + 1) & mask;
        }
    }
}

/// What an item's `Id` is known by here: a fingerprint made a word (8 bytes) at a time, where
/// [`fingerprint`] takes a byte at a time, and made once per item (`Item::key`) for the de-duplication
/// and the receipts alike (a message's Id was hashed four times). Only ever compared within a page
/// (nothing keeps it); never 0.
pub fn item_key(id: &str) -> u64 {
    let bytes = id.as_bytes();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h = step(h, u64::from_le_bytes(w.try_into().unwrap_or_default()));
    }
    let mut last = [0u8; 8];
    for (to, b) in last.iter_mut().zip(words.remainder()) {
        *to = *b;
    }
    mix(step(h, u64::from_le_bytes(last)))
}

/// One word into the fingerprint: each step is a bijection of `h` (for a given word), and the rotation
/// carries what the multiplication moved to the high bits back down into the next one.
fn step(h: u64, word: u64) -> u64 {
    (h ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29)
}

/// FNV-1a with a final mix, never 0: what names a chat's token in storage and lock names, which pages
/// of other versions must find.
pub fn fingerprint(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// A fingerprint of `h` and `tag` together (a key of two parts, such as a message and a receipt kind),
/// as different from `h`'s as any other fingerprint; never 0.
pub fn fingerprint_tagged(h: u64, tag: u8) -> u64 {
    mix((h ^ u64::from(tag)).wrapping_mul(0x0100_0000_01b3))
}

fn mix(mut h: u64) -> u64 {
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 32;
    h.max(1)
}

impl Dedup {
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Dedup {
            current: Table::new(capacity),
            previous: Table::new(1),
            capacity,
            holding: false,
            horizon: Millis::MIN,
            latest: Millis::MIN,
            owed: Vec::new(),
        }
    }

    /// Behind the horizon, so forgotten (delivered), unless owed.
    fn forgotten(&self, h: u64, time: Option<Millis>) -> bool {
        time.is_some_and(|t| t <= self.horizon) && !self.is_owed(h)
    }

    // `contains` brings in the slice-search specialisation, a few hundred bytes of wasm for a list that
    // is nearly always empty.
    #[allow(clippy::manual_contains)]
    fn is_owed(&self, h: u64) -> bool {
        self.owed.iter().any(|o| *o == h)
    }

    fn known(&self, h: u64) -> bool {
        self.current.find(h) || self.previous.find(h)
    }

    /// `id` was taken in but not delivered: new again, even behind the horizon, until it is recorded.
    pub fn owe(&mut self, id: &str) {
        if id.is_empty() {
            return;
        }
        let h = item_key(id);
        if !self.known(h) && !self.is_owed(h) && self.owed.len() < MAX_OWED {
            self.owed.push(h);
        }
    }

    /// Whether `id` (of an item at `time`) was recorded: in the window, or at or before the horizon of the
    /// forgotten ones.
    pub fn seen(&self, id: &str, time: Option<Millis>) -> bool {
        self.seen_key(item_key(id), time)
    }

    /// `seen` for an Id's [`item_key`].
    pub fn seen_key(&self, h: u64, time: Option<Millis>) -> bool {
        self.known(h) || self.forgotten(h, time)
    }

    /// Records `id` of an item at `time` (`None`: unknown); `true` the first time it is seen, `false` for a
    /// duplicate (see `seen`).
    pub fn insert(&mut self, id: &str, time: Option<Millis>) -> bool {
        self.insert_key(item_key(id), time)
    }

    /// `insert` for a key that is a fingerprint already (one made of several parts, without building
    /// their text).
    pub fn insert_key(&mut self, h: u64, time: Option<Millis>) -> bool {
        if self.known(h) || self.forgotten(h, time) {
            return false;
        }
        if let Some(k) = self.owed.iter().position(|o| *o == h) {
            self.owed.swap_remove(k);
        }
        // An item without a time counts as the newest, so the horizon never passes a later real one.
        let at = time.unwrap_or(self.latest);
        self.latest = self.latest.max(at);
        if self.current.len >= self.capacity && (!self.holding || self.current.len >= MAX_HELD_IDS) {
            // A turn: the previous table is forgotten, the horizon moves past its Ids.
            self.horizon = self.horizon.max(self.previous.newest);
            self.previous = ::core::mem::replace(&mut self.current, Table::new(self.capacity));
        }
        self.current.add(h, at);
        true
    }

    /// While `on`, nothing is forgotten (a gap is open); after, the next turns forget as before (and
    /// give back the memory a long gap took).
    pub fn hold(&mut self, on: bool) {
        self.holding = on;
    }

    pub fn contains(&self, id: &str) -> bool {
        self.known(item_key(id))
    }

    /// `contains` for a key that is a fingerprint already (see `insert_key`).
    pub fn contains_key(&self, h: u64) -> bool {
        self.known(h)
    }

    pub fn len(&self) -> usize {
        self.current.len + self.previous.len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
#[path = "dedup_tests.rs"]
mod tests;
