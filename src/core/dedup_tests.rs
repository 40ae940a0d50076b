//! Tests of `core::dedup`.

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

#[test]
fn agrees_with_a_reference_set_under_churn() {
    use std::collections::{HashSet, VecDeque};
    let cap = 64;
    let mut d = Dedup::new(cap);
    let mut set = HashSet::new();
    let mut order = VecDeque::new();
    let mut x: u64 = 7;
    for _ in 0..50_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Ids from a small space, so repeats are common both inside and outside the window.
        let id = (x % 200).to_string();
        let fresh = !set.contains(&id);
        if fresh {
            if order.len() == cap {
                let old: String = order.pop_front().unwrap();
                set.remove(&old);
            }
            set.insert(id.clone());
            order.push_back(id.clone());
        }
        assert_eq!(d.insert(&id), fresh, "{id}");
    }
}
