//! Tests of `protocol::gap`: where a fill starts, and its bounds.

use super::*;
use serde_json::Value;

fn at(id: &str, t: Option<Millis>) -> Option<Position> {
    Some((id.to_owned(), t))
}

#[test]
fn the_earlier_start_wins() {
    assert_eq!(earlier(at("a", Some(5)), at("b", Some(9))), at("a", Some(5)));
    assert_eq!(earlier(at("b", Some(9)), at("a", Some(5))), at("a", Some(5)));
    assert_eq!(earlier(None, at("a", Some(5))), None, "the transcript's start comes first");
    assert_eq!(earlier(at("a", Some(5)), at("r", None)), at("r", None), "an unknown time is taken as the earlier");
}

#[test]
fn a_fill_follows_its_tokens_and_stops_at_a_repeated_one() {
    let mut g: GapFill<Value> = GapFill::new(at("m1", Some(1)), 0);
    assert_eq!(
        g.body(),
        r#"{"MaxResults":100,"ScanDirection":"FORWARD","SortOrder":"ASCENDING","StartPosition":{"Id":"m1"}}"#
    );
    assert_eq!(g.page(Some("p2".into()), 100), Next::More);
    assert!(g.body().contains(r#""NextToken":"p2""#));
    assert_eq!(g.page(Some("p3".into()), 100), Next::More);
    assert!(matches!(g.page(Some("p2".into()), 100), Next::Bounded(_)), "a repeated token");
    let mut g: GapFill<Value> = GapFill::new(None, 0);
    for i in 0..9 {
        assert_eq!(g.page(Some(format!("t{i}")), 10), Next::More);
    }
    assert!(matches!(g.page(Some("t9".into()), 10), Next::Bounded(_)), "at most 10 pages");
    assert_eq!(GapFill::<Value>::new(None, 0).page(None, 10), Next::Done);
}

#[test]
fn a_refused_position_falls_back_to_the_start_once() {
    let mut g: GapFill<Value> = GapFill::new(at("m1", Some(1)), 0);
    assert!(g.fall_back_to_start());
    assert!(!g.body().contains("StartPosition"));
    assert!(!g.fall_back_to_start(), "only once");
    let mut g: GapFill<Value> = GapFill::new(None, 0);
    assert!(!g.fall_back_to_start(), "the start is not refused");
    // A restart goes back to the earlier position and holds live items again.
    let mut g: GapFill<Value> = GapFill::new(at("m5", Some(5)), 0);
    g.holding = false;
    g.restart(at("m9", Some(9)), 0);
    assert_eq!((g.from.clone(), g.holding), (at("m5", Some(5)), true));
}
