//! Remembers the `Id`s of recently delivered items so each is delivered once. Bounded: duplicates
//! come from socket overlaps, server resends and gap-fill pages, all close in time to the original, so
//! a window of recent Ids catches them while memory stays flat however long the chat runs.

use std::collections::{HashSet, VecDeque};

#[derive(Debug)]
pub struct Dedup {
    seen: HashSet<String>,
    order: VecDeque<String>,
    capacity: usize,
}

impl Dedup {
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Dedup { seen: HashSet::with_capacity(capacity), order: VecDeque::with_capacity(capacity), capacity }
    }

    /// Records `id`; `true` the first time it is seen, `false` for a duplicate.
    pub fn insert(&mut self, id: &str) -> bool {
        if self.seen.contains(id) {
            return false;
        }
        if self.order.len() == self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        self.seen.insert(id.to_owned());
        self.order.push_back(id.to_owned());
        true
    }

    pub fn contains(&self, id: &str) -> bool {
        self.seen.contains(id)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivers_once_and_stays_bounded() {
        let mut d = Dedup::new(3);
        assert!(d.insert("a"));
        assert!(!d.insert("a"));
        assert!(d.insert("b") && d.insert("c") && d.insert("d"));
        assert_eq!(d.len(), 3);
        assert!(!d.contains("a"), "the oldest id leaves the window");
        assert!(!d.insert("d"));
        for i in 0..10_000 {
            d.insert(&i.to_string());
        }
        assert_eq!(d.len(), 3);
    }
}
