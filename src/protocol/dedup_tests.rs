//! Tests of `protocol::dedup`.

use super::*;

#[test]
fn delivers_once_and_stays_bounded() {
    let mut d = Dedup::new(3);
    assert!(d.insert("a", None));
    assert!(!d.insert("a", None));
    assert!(d.insert("b", None) && d.insert("c", None) && d.insert("d", None));
    assert!(d.contains("a"), "the previous generation is still known");
    assert!(d.insert("e", None) && d.insert("f", None) && d.insert("g", None));
    assert!(!d.contains("a"), "two turns later it is forgotten");
    assert!(!d.insert("g", None));
    for i in 0..10_000 {
        d.insert(&i.to_string(), None);
    }
    assert!(d.len() <= 6, "at most twice the window: {}", d.len());
}

#[test]
fn agrees_with_a_reference_under_churn() {
    // An Id taken in among the last `cap` new ones is always a duplicate; one never seen is always
    // new; one older than that may be either (then the reference takes the answer given).
    use std::collections::HashMap;
    let cap = 64;
    let mut d = Dedup::new(cap);
    let mut last_new: HashMap<String, usize> = HashMap::new();
    let mut fresh_count = 0;
    let mut x: u64 = 7;
    for _ in 0..50_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Ids from a small space, so repeats are common both inside and outside the window.
        let id = (x % 200).to_string();
        let fresh = d.insert(&id, None);
        match last_new.get(&id) {
            None => assert!(fresh, "{id} was never seen"),
            Some(&at) if fresh_count - at < cap => assert!(!fresh, "{id} is among the last {cap}"),
            Some(_) => {}
        }
        if fresh {
            last_new.insert(id, fresh_count);
            fresh_count += 1;
        }
    }
    assert!(d.len() <= 2 * cap);
}

#[test]
fn forgotten_ids_stay_seen_by_their_time() {
    // A window of 2: "a","b" at 1,2; "c","d" turn them into the previous table; "e" turns again, and
    // the horizon becomes 2.
    let mut d = Dedup::new(2);
    for (id, t) in [("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)] {
        assert!(d.insert(id, Some(t)));
    }
    assert!(!d.contains("a"));
    assert!(!d.insert("a", Some(1)), "forgotten, but before the horizon: a duplicate");
    assert!(!d.insert("b", Some(2)));
    assert!(!d.insert("c", Some(3)), "still known");
    assert!(d.insert("f", Some(6)), "new");
    assert!(d.insert("late", Some(3)), "after the horizon is new, even out of order");
    // 5,000 items through a window of 64 and a fallback that brings them all again: nothing twice.
    let mut d = Dedup::new(64);
    for i in 0..5_000 {
        assert!(d.insert(&format!("m{i}"), Some(1_000 + i)));
    }
    let again = (0..5_000).filter(|i| d.insert(&format!("m{i}"), Some(1_000 + i))).count();
    assert_eq!(again, 0);
}

#[test]
fn while_held_nothing_is_forgotten_and_after_the_turns_go_on() {
    let mut d = Dedup::new(3);
    d.hold(true);
    for i in 0..100 {
        assert!(d.insert(&format!("x{i}"), Some(i)));
    }
    assert!((0..100).all(|i| d.contains(&format!("x{i}"))), "the table grew");
    d.hold(false);
    assert!(d.insert("y0", Some(100)));
    assert!((0..100).all(|i| d.contains(&format!("x{i}"))), "the held ones are the previous table now");
    for i in 1..4 {
        assert!(d.insert(&format!("y{i}"), Some(100 + i)));
    }
    assert!(!d.contains("x99"), "forgotten after the next turn");
    assert!(d.seen("x0", Some(0)) && d.seen("x99", Some(99)), "behind the horizon");
    assert!(!d.seen("late", Some(100)), "after the horizon");
    assert!(d.len() <= 6, "the memory a long gap took is given back: {}", d.len());
}

#[test]
fn an_owed_id_is_new_behind_the_horizon_until_recorded() {
    let mut d = Dedup::new(1);
    for (id, t) in [("a", 1), ("b", 2), ("c", 3)] {
        d.insert(id, Some(t));
    }
    assert!(d.seen("held", Some(1)), "behind the horizon");
    d.owe("held");
    assert!(!d.seen("held", Some(1)));
    assert!(d.insert("held", Some(1)));
    assert!(!d.insert("held", Some(1)), "recorded once");
    d.owe("c");
    assert!(!d.insert("c", Some(3)), "owing a known Id changes nothing");
}

#[test]
fn keys_of_two_parts_are_told_apart_from_each_other_and_from_plain_ids() {
    // Receipts are remembered as (message, kind): the two kinds of one message, and any Id, never meet.
    let mut d = Dedup::new(4096);
    let mut keys = std::collections::HashSet::new();
    for i in 0..2_000 {
        let id = format!("m{i}");
        let h = item_key(&id);
        for k in [h, fingerprint_tagged(h, 0), fingerprint_tagged(h, 1)] {
            assert_ne!(k, 0);
            assert!(keys.insert(k), "{id}: two keys alike");
        }
        assert!(d.insert_key(fingerprint_tagged(h, 0), None));
    }
    assert!(d.contains_key(fingerprint_tagged(item_key("m7"), 0)));
    assert!(!d.contains_key(fingerprint_tagged(item_key("m7"), 1)), "the other kind is not known");
    assert!(!d.contains("m7"), "nor the plain Id");
    assert!(!d.insert_key(fingerprint_tagged(item_key("m7"), 0), None), "a duplicate");
}

#[test]
fn item_keys_tell_ids_apart_whatever_their_length() {
    // Made a word at a time, the last one padded with zeros: the length is part of the key, so "a" and
    // "a\0" differ, as do Ids that share their first words.
    let mut keys = std::collections::HashSet::new();
    let uuid = "7a2c95e1-3f4b-4c8d-9e0f-1a2b3c4d5e6f";
    let mut ids: Vec<String> = (0..=uuid.len()).map(|n| uuid[..n].to_owned()).collect();
    ids.extend(["a", "a\0", "a\0\0\0\0\0\0\0", "\0"].map(str::to_owned));
    ids.extend((0..20_000).map(|i| format!("{}{i:05}", &uuid[..31])));
    for id in &ids {
        let k = item_key(id);
        assert_ne!(k, 0);
        assert!(keys.insert(k), "{id:?}: two Ids with one key");
    }
    assert_eq!(item_key(uuid), item_key(&uuid.to_owned()), "the same Id, the same key");
}
