//! GetTranscript paging over a contact's items (oldest first), as the service documents it:
//! - the start is `StartPosition` (an item `Id`, an `AbsoluteTime`, or `MostRecent` = how many items
//!   back from the newest), inclusive; without one, the newest item for BACKWARD and the oldest for FORWARD;
//! - `ScanDirection` defaults to BACKWARD without a StartPosition and to FORWARD with one;
//! - a page holds up to `MaxResults` items (default 15, as real clients observe; 0 means the default),
//!   ordered by `SortOrder` (default DESCENDING, as the model documents);
//! - `NextToken` (opaque to clients) continues the same scan; an unknown `Id` is a ValidationException
//!   (the operation has no ResourceNotFoundException in the model).

use serde_json::Value;

use crate::errors::{ApiError, ApiResult};
use crate::time::parse_iso8601;

pub const DEFAULT_PAGE: usize = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Start {
    #[default]
    None,
    Id(String),
    Time(String),
    MostRecent(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub start: Start,
    pub direction: Option<Direction>,
    pub ascending: bool,
    pub max_results: usize,
    pub next_token: Option<String>,
}

impl Default for Query {
    fn default() -> Self {
        Query { start: Start::None, direction: None, ascending: false, max_results: DEFAULT_PAGE, next_token: None }
    }
}

/// A page: the items and the token for the next page.
pub fn page(items: &[Value], q: &Query) -> ApiResult<(Vec<Value>, Option<String>)> {
    let (direction, mut cursor) = match &q.next_token {
        Some(t) => decode_token(t, items.len())?,
        None => {
            let direction =
                q.direction.unwrap_or(if q.start == Start::None { Direction::Backward } else { Direction::Forward });
            (direction, start_index(items, &q.start, direction)?)
        }
    };
    let mut out = Vec::new();
    let take = if q.max_results == 0 { DEFAULT_PAGE } else { q.max_results };
    // `cursor` is the next index to take, or None when the scan has run off the end.
    while out.len() < take {
        let Some(i) = cursor else { break };
        let Some(item) = items.get(i) else { break };
        out.push(item.clone());
        cursor = step(i, direction, items.len());
    }
    let next = cursor.filter(|i| *i < items.len()).map(|i| encode_token(direction, i));
    if q.ascending != (direction == Direction::Forward) {
        out.reverse();
    }
    Ok((out, next))
}

fn step(i: usize, direction: Direction, len: usize) -> Option<usize> {
    match direction {
        Direction::Forward => (i + 1 < len).then_some(i + 1),
        Direction::Backward => i.checked_sub(1),
    }
}

fn start_index(items: &[Value], start: &Start, direction: Direction) -> ApiResult<Option<usize>> {
    let len = items.len();
    Ok(match start {
        Start::None => match direction {
            Direction::Forward => (len > 0).then_some(0),
            Direction::Backward => len.checked_sub(1),
        },
        Start::Id(id) => {
            let i = items
                .iter()
                .position(|it| it.get("Id").and_then(Value::as_str) == Some(id.as_str()))
                .ok_or_else(|| ApiError::validation(format!("StartPosition.Id {id} is not an item of this contact")))?;
            Some(i)
        }
        Start::Time(t) => {
            let at = parse_iso8601(t)
                .ok_or_else(|| ApiError::validation("StartPosition.AbsoluteTime is not an ISO 8601 time"))?;
            let time = |it: &Value| it.get("AbsoluteTime").and_then(Value::as_str).and_then(parse_iso8601).unwrap_or(0);
            match direction {
                Direction::Forward => items.iter().position(|it| time(it) >= at),
                Direction::Backward => items.iter().rposition(|it| time(it) <= at),
            }
        }
        Start::MostRecent(n) => len.checked_sub(1 + n).or((len > 0).then_some(0)),
    })
}

fn encode_token(direction: Direction, index: usize) -> String {
    let d = if direction == Direction::Forward { 'F' } else { 'B' };
    format!("emu1{d}{index:x}")
}

fn decode_token(token: &str, len: usize) -> ApiResult<(Direction, Option<usize>)> {
    let bad = || ApiError::validation("NextToken is not valid");
    let rest = token.strip_prefix("emu1").ok_or_else(bad)?;
    let direction = match rest.chars().next() {
        Some('F') => Direction::Forward,
        Some('B') => Direction::Backward,
        _ => return Err(bad()),
    };
    let index = usize::from_str_radix(&rest[1..], 16).map_err(|_| bad())?;
    if index >= len {
        return Err(bad());
    }
    Ok((direction, Some(index)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn items(n: usize) -> Vec<Value> {
        (0..n)
            .map(|i| json!({"Id": format!("i{i}"), "AbsoluteTime": crate::time::iso(1_000_000 + i as i64 * 1000)}))
            .collect()
    }

    fn ids(v: &[Value]) -> Vec<String> {
        v.iter().map(|i| i["Id"].as_str().unwrap().to_owned()).collect()
    }

    fn q(start: Start, direction: Option<Direction>, ascending: bool, max: usize) -> Query {
        Query { start, direction, ascending, max_results: max, next_token: None }
    }

    #[test]
    fn defaults_are_the_newest_items_newest_first() {
        let all = items(20);
        let (page1, next) = page(&all, &Query::default()).unwrap();
        assert_eq!(ids(&page1)[..3], ["i19", "i18", "i17"]);
        assert_eq!(page1.len(), 15);
        let (page2, next2) = page(&all, &Query { next_token: next, ..Query::default() }).unwrap();
        assert_eq!(ids(&page2), ["i4", "i3", "i2", "i1", "i0"]);
        assert_eq!(next2, None);
    }

    #[test]
    fn every_direction_and_order() {
        let all = items(5);
        let cases = [
            (Some(Direction::Forward), true, vec!["i0", "i1", "i2"]),
            (Some(Direction::Forward), false, vec!["i2", "i1", "i0"]),
            (Some(Direction::Backward), true, vec!["i2", "i3", "i4"]),
            (Some(Direction::Backward), false, vec!["i4", "i3", "i2"]),
        ];
        for (d, asc, want) in cases {
            let (p, next) = page(&all, &q(Start::None, d, asc, 3)).unwrap();
            assert_eq!(ids(&p), want, "{d:?} asc={asc}");
            assert!(next.is_some());
        }
    }

    #[test]
    fn start_positions_are_inclusive_and_forward_by_default() {
        let all = items(6);
        let (p, _) = page(&all, &q(Start::Id("i2".into()), None, true, 2)).unwrap();
        assert_eq!(ids(&p), ["i2", "i3"]);
        let (p, next) = page(&all, &q(Start::Id("i2".into()), Some(Direction::Backward), true, 10)).unwrap();
        assert_eq!((ids(&p), next), (vec!["i0".to_owned(), "i1".to_owned(), "i2".to_owned()], None));
        let t = all[3]["AbsoluteTime"].as_str().unwrap().to_owned();
        let (p, _) = page(&all, &q(Start::Time(t.clone()), None, true, 10)).unwrap();
        assert_eq!(ids(&p), ["i3", "i4", "i5"]);
        let (p, _) = page(&all, &q(Start::Time(t), Some(Direction::Backward), false, 10)).unwrap();
        assert_eq!(ids(&p), ["i3", "i2", "i1", "i0"]);
        let (p, _) = page(&all, &q(Start::MostRecent(1), None, true, 10)).unwrap();
        assert_eq!(ids(&p), ["i4", "i5"]);
        let (p, _) = page(&all, &q(Start::MostRecent(50), None, true, 2)).unwrap();
        assert_eq!(ids(&p), ["i0", "i1"]);
        assert!(page(&all, &q(Start::Id("nope".into()), None, true, 2)).is_err());
        assert!(page(&all, &q(Start::Time("yesterday".into()), None, true, 2)).is_err());
    }

    #[test]
    fn next_tokens_walk_everything_once() {
        let all = items(37);
        for (d, asc) in [(Direction::Forward, true), (Direction::Backward, false), (Direction::Forward, false)] {
            let mut query = q(Start::None, Some(d), asc, 10);
            let mut seen = Vec::new();
            loop {
                let (p, next) = page(&all, &query).unwrap();
                seen.extend(ids(&p));
                match next {
                    Some(t) => query.next_token = Some(t),
                    None => break,
                }
            }
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), 37);
        }
        assert!(page(&all, &Query { next_token: Some("garbage".into()), ..Query::default() }).is_err());
        assert!(page(&all, &Query { next_token: Some("emu1Fzz".into()), ..Query::default() }).is_err());
        assert!(page(&all, &Query { next_token: Some("emu1F999".into()), ..Query::default() }).is_err());
    }

    /// Every StartPosition kind × ScanDirection × SortOrder, walked two items a page through NextToken:
    /// the pages, put back in scan order, are exactly the items from the start (inclusive) to the end
    /// the scan goes to, and each page is ordered as SortOrder says.
    #[test]
    fn every_start_direction_and_order_pages_through_next_token() {
        let all = items(6);
        let time = |i: usize| all[i]["AbsoluteTime"].as_str().unwrap().to_owned();
        let between = crate::time::iso(1_000_000 + 2 * 1000 + 500); // after i2, before i3
        let starts: [(Start, [usize; 2]); 6] = [
            // (start, [first index scanning forward, first index scanning backward])
            (Start::None, [0, 5]),
            (Start::Id("i2".into()), [2, 2]),
            (Start::Time(time(2)), [2, 2]),
            (Start::Time(between), [3, 2]),
            (Start::MostRecent(1), [4, 4]),
            (Start::MostRecent(0), [5, 5]),
        ];
        for (start, [fwd, bwd]) in starts {
            for direction in [Direction::Forward, Direction::Backward] {
                let want: Vec<String> = match direction {
                    Direction::Forward => (fwd..6).map(|i| format!("i{i}")).collect(),
                    Direction::Backward => (0..=bwd).rev().map(|i| format!("i{i}")).collect(),
                };
                for ascending in [true, false] {
                    let mut query = q(start.clone(), Some(direction), ascending, 2);
                    let mut walked = Vec::new();
                    loop {
                        let (p, next) = page(&all, &query).unwrap();
                        let mut got = ids(&p);
                        let mut sorted = got.clone();
                        sorted.sort();
                        if !ascending {
                            sorted.reverse();
                        }
                        assert_eq!(got, sorted, "{start:?} {direction:?} ascending={ascending}: page order");
                        if ascending != (direction == Direction::Forward) {
                            got.reverse();
                        }
                        walked.extend(got);
                        match next {
                            Some(t) => query = Query { next_token: Some(t), ..query },
                            None => break,
                        }
                    }
                    assert_eq!(walked, want, "{start:?} {direction:?} ascending={ascending}");
                }
            }
        }
    }

    #[test]
    fn an_empty_transcript_is_an_empty_page() {
        assert_eq!(page(&[], &Query::default()).unwrap(), (vec![], None));
        assert_eq!(page(&[], &q(Start::MostRecent(3), None, true, 5)).unwrap(), (vec![], None));
    }
}
