//! Tests of `core::retry`.

use super::*;

#[test]
fn retries_only_what_can_heal_within_attempts_and_deadline() {
    let p = RetryPolicy::default();
    let mut rng = Rng::new(3);
    let throttled = ChatError::new("ThrottlingException", "slow", 429, true);
    let invalid = ChatError::new("ValidationException", "bad", 400, false);
    assert!(p.next_delay(1, 0, &invalid, &mut rng).is_none());
    let d1 = p.next_delay(1, 0, &throttled, &mut rng).unwrap();
    assert!((100..=200).contains(&d1));
    let d3 = p.next_delay(3, 1_000, &throttled, &mut rng).unwrap();
    assert!((400..=800).contains(&d3));
    assert!(p.next_delay(4, 1_000, &throttled, &mut rng).is_none(), "four attempts in all");
    assert!(p.next_delay(1, 19_950, &throttled, &mut rng).is_none(), "the deadline would pass");
    let network = ChatError::network("offline");
    assert!(p.next_delay(2, 0, &network, &mut rng).is_some());
}
