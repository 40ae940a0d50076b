//! Gap filling: the items a connection missed are fetched with GetTranscript, from the last item seen
//! before the gap, FORWARD, following `NextToken`, and delivered before the live items that arrived
//! meanwhile (those are held back, briefly). A gap opens after a reconnect, after a renewal whose old
//! socket could not confirm it had delivered everything, and when a streamed reply's completion is
//! overdue.
//!
//! A gap is never abandoned while the session lives: a failed page is retried with a capped backoff
//! (and again after the next reconnect), the page is told (`gap-fill-failed`), and the held live items
//! are released at once so the chat does not freeze meanwhile. A fill is bounded too: a `NextToken` seen
//! twice, too many pages or too many held items end the pass (and are reported) instead of growing a
//! buffer forever.

use super::api::gap_fill_body;
use super::dedup::fingerprint;
use super::item::Item;
use super::time::Millis;
use crate::prelude::*;

/// Where a fill starts: an item `Id` and its time (`None` when unknown).
pub type Position = (String, Option<Millis>);

/// Which of two starting points comes first: no position (the transcript's start) before any, an
/// unknown time before a known one, else the earlier time.
#[inline(never)]
pub fn earlier(a: Option<Position>, b: Option<Position>) -> Option<Position> {
    // The order as one number: the start lowest, an unknown time next, then by time.
    let key = |p: &Option<Position>| p.as_ref().map_or(Millis::MIN, |(_, t)| t.unwrap_or(Millis::MIN + 1));
    if key(&a) <= key(&b) {
        a
    } else {
        b
    }
}

#[derive(Debug)]
pub struct GapFill<J> {
    /// The last item seen before the gap; `None` fills from the transcript's start.
    pub from: Option<Position>,
    /// The service refused `from` (it may predate a transfer): this pass reads from the start instead;
    /// what was delivered already is dropped as a duplicate.
    pub from_start: bool,
    /// The page in flight and its deadline.
    pub request: Option<(u32, Millis)>,
    pub retry_at: Option<Millis>,
    next_token: Option<String>,
    /// Fingerprints of the `NextToken`s of this pass: one seen twice means the service is going round in
    /// circles.
    tokens: Vec<u64>,
    pages: u32,
    /// Consecutive failed pages.
    pub failures: u32,
    /// Items this fill delivered (for `gap-filled`).
    pub recovered: u32,
    /// Live items wait behind the fill while this holds; a failed page releases them, and so does
    /// `release_at` (a fill that takes too long).
    pub holding: bool,
    pub release_at: Millis,
    pub held: Vec<Item<J>>,
}

/// What a page of the transcript means for the fill.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Ask for the page after it.
    More,
    /// The gap is filled.
    Done,
    /// The service repeats itself or the pages never end: the pass is over, reported with this.
    Bounded(&'static str),
}

impl<J> GapFill<J> {
    pub fn new(from: Option<Position>, release_at: Millis) -> Self {
        GapFill {
            release_at,
            from,
            from_start: false,
            request: None,
            retry_at: None,
            next_token: None,
            tokens: Vec::new(),
            pages: 0,
            failures: 0,
            recovered: 0,
            holding: true,
            held: Vec::new(),
        }
    }

    /// Starts over (a reconnect during a fill, or a fill that failed before): from the earlier of the
    /// two positions, holding live items again.
    pub fn restart(&mut self, from: Option<Position>, release_at: Millis) {
        self.from = earlier(self.from.take(), from);
        self.release_at = release_at;
        self.from_start = false;
        self.request = None;
        self.retry_at = None;
        self.next_token = None;
        self.tokens.clear();
        self.pages = 0;
        self.failures = 0;
        self.holding = true;
    }

    /// The body of the next page's GetTranscript.
    pub fn body(&self) -> String {
        let after = if self.from_start { None } else { self.from.as_ref().map(|(id, _)| id.as_str()) };
        gap_fill_body(None, after, self.next_token.as_deref())
    }

    /// A page arrived, with the `NextToken` it gave.
    pub fn page(&mut self, next_token: Option<String>, max_pages: u32) -> Next {
        self.failures = 0;
        self.pages += 1;
        let Some(token) = next_token else {
            return Next::Done;
        };
        let seen = fingerprint(&token);
        if self.tokens.contains(&seen) || self.pages >= max_pages {
            return Next::Bounded("GetTranscript repeated a NextToken or never ended");
        }
        self.tokens.push(seen);
        self.next_token = Some(token);
        Next::More
    }

    /// The service refused the position: read this pass from the start instead. `false` when it was the
    /// start already (nothing to fall back to).
    pub fn fall_back_to_start(&mut self) -> bool {
        if self.from_start || self.from.is_none() || self.next_token.is_some() {
            return false;
        }
        self.from_start = true;
        true
    }
}

#[cfg(test)]
#[path = "gap_tests.rs"]
mod tests;
