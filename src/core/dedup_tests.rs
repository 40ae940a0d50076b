//! Tests of `core::dedup`.

use super::*;

#[test]
fn delivers_once_and_stays_bounded() {
    let mut d = Dedup::new(3);
    assert!(d.insert("a", None));
    assert!(!d.insert("a", None));
    assert!(d.insert("b", None) && d.insert("c", None) && d.insert("d", None));
    assert_eq!(d.len(), 3);
    assert!(!d.contains("a"), "the oldest id leaves the window");
    assert!(!d.insert("d", None));
    for i in 0..10_000 {
        d.insert(&i.to_string(), None);
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
        assert_eq!(d.insert(&id, None), fresh, "{id}");
    }
}

#[test]
fn forgotten_ids_stay_seen_by_their_time() {
    // A window of 3: "a".."c" at times 1..3; "d" and "e" push "a" and "b" out, the horizon becomes 2.
    let mut d = Dedup::new(3);
    for (id, t) in [("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)] {
        assert!(d.insert(id, Some(t)));
    }
    assert!(!d.contains("a"));
    assert!(!d.insert("a", Some(1)), "forgotten, but before the horizon: a duplicate");
    assert!(!d.insert("b", Some(2)));
    assert!(!d.insert("c", Some(3)), "still in the window");
    assert!(d.insert("f", Some(6)), "new");
    assert!(d.insert("late", Some(5)), "after the horizon is new, even out of order");
    // 5,000 items through a window of 64 and a fallback that brings them all again: nothing twice.
    let mut d = Dedup::new(64);
    for i in 0..5_000 {
        assert!(d.insert(&format!("m{i}"), Some(1_000 + i)));
    }
    let again = (0..5_000).filter(|i| d.insert(&format!("m{i}"), Some(1_000 + i))).count();
    assert_eq!(again, 0);
}

#[test]
fn a_forgotten_id_is_new_again_and_the_ring_stays_in_order() {
    let mut d = Dedup::new(3);
    for (id, t) in [("a", 1), ("b", 2), ("c", 3), ("d", 4)] {
        d.insert(id, Some(t));
    }
    d.forget("c");
    assert!(!d.contains("c"));
    assert!(d.insert("c", Some(3)), "unseen again");
    // The ring still evicts the oldest first: "b" then "d".
    assert!(d.insert("e", Some(5)));
    assert!(!d.contains("b") && d.contains("d") && d.contains("c") && d.contains("e"));
    d.forget("nothing");
    assert!(d.contains("d") && d.contains("c") && d.contains("e"));
}
