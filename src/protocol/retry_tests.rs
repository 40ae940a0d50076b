//! Tests of `protocol::retry`.

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

#[test]
fn a_call_goes_on_until_the_policy_gives_up_or_the_session_closes() {
    let mut rng = Rng::new(5);
    let throttled = ChatError::new("ThrottlingException", "slow", 429, true);
    let mut call = Attempts::new(RetryPolicy::default(), 1_000);
    assert!(call.may_start(false).is_ok(), "the first attempt is the caller's own");
    let mut waited = 0;
    for _ in 0..3 {
        assert!(call.may_start(true).is_ok());
        waited += call.failed(1_000 + Millis::from(waited), throttled.clone(), &mut rng).unwrap();
    }
    let last = call.failed(1_000 + Millis::from(waited), throttled.clone(), &mut rng).unwrap_err();
    assert_eq!(last.name, "ThrottlingException", "the last error is the one given up with");

    let mut call = Attempts::new(RetryPolicy::default(), 0);
    call.failed(10, throttled.clone(), &mut rng).unwrap();
    assert_eq!(call.may_start(false).unwrap_err().name, "SessionEnded", "closed while it waited");

    let mut call = Attempts::new(RetryPolicy::default(), 0);
    let refused = ChatError::new("AccessDeniedException", "no", 403, false);
    assert_eq!(call.failed(10, refused, &mut rng).unwrap_err().status, 403, "a 4xx is final at once");
}
