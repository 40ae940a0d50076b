//! Gap recovery: the items missed while no socket was listening (a reconnect, a failed barrier, a
//! reply whose completion never came) are fetched with GetTranscript, page by page, while live items
//! are held behind the fill; failures are retried for as long as the session lives. Owns `Recovery`.

use super::super::api::TranscriptPage;
use super::super::error::ChatError;
use super::super::gap::{earlier, GapFill, Next, Position};
use super::super::item::Item;
use super::super::text::num;
use super::super::time::{Millis, Now};
use super::{Action, Event, RequestId, Session};
use crate::prelude::*;
use crate::protocol::json::JsonValue;

#[derive(Debug)]
pub(super) struct Recovery<J> {
    pub gap: Option<GapFill<J>>,
    /// Where the next fill must start instead, when that is earlier than `last_seen`: the session closed
    /// with a gap still open or a retiring socket unconfirmed, or a barrier failed while reconnecting
    /// (`Some(None)`: the start).
    pub refill_from: Option<Option<Position>>,
}

impl<J> Default for Recovery<J> {
    fn default() -> Self {
        Recovery { gap: None, refill_from: None }
    }
}

impl<J: JsonValue + Clone> Session<J> {
    /// Reports the result of a [`Action::FetchTranscript`].
    pub fn transcript_fetched(
        &mut self,
        now: Millis,
        request: RequestId,
        result: Result<(TranscriptPage<J>, usize), ChatError>,
    ) {
        let Some(gap) = self.recovery.gap.as_mut() else { return };
        if gap.request.map(|(id, _)| id) != Some(request) {
            return;
        }
        gap.request = None;
        let (page, skipped) = match result {
            Ok(answer) => answer,
            Err(e) => return self.on_gap_failed(now, e),
        };
        if skipped > 0 {
            self.emit(Event::Error(ChatError::invalid_response(
                200,
                ["GetTranscript: skipped ", &num(skipped as u64), " entries that are not items"].concat(),
            )));
        }
        // The transcript keeps only a streamed reply's completed item; a chunk in it is ignored rather
        // than let it stand for the whole reply.
        let mut recovered = 0;
        let at = Now::at(now);
        for item in page.items {
            if !item.is_partial() && self.deliver(&at, item) {
                recovered += 1;
            }
        }
        let max_pages = self.cfg.max_gap_pages;
        let Some(gap) = self.recovery.gap.as_mut() else { return };
        gap.recovered += recovered;
        match gap.page(page.next_token, max_pages) {
            Next::More => self.request_gap_page(now),
            Next::Done => {
                let items = gap.recovered;
                self.finish_gap(now);
                self.emit(Event::GapFilled { items });
            }
            Next::Bounded(why) => {
                let reason = ChatError::invalid_response(200, why);
                self.emit(Event::GapFillFailed { reason, attempt: 1, delay_ms: 0, retrying: false });
                self.finish_gap(now);
            }
        }
    }

    /// Opens a gap from `from` (the last item seen before it), or widens the one open to start there
    /// too; a fill under way starts over.
    pub(super) fn start_gap_fill(&mut self, now: Millis, from: Option<Position>) {
        let release_at = now + Millis::from(self.cfg.gap_hold_ms);
        match self.recovery.gap.as_mut() {
            Some(g) => g.restart(from, release_at),
            None => self.recovery.gap = Some(GapFill::new(from, release_at)),
        }
        self.hold_ids();
        self.request_gap_page(now);
    }

    pub(super) fn request_gap_page(&mut self, now: Millis) {
        let id = self.fresh_id();
        let deadline = now + Millis::from(self.cfg.request_timeout_ms);
        let Some(g) = self.recovery.gap.as_mut() else { return };
        g.request = Some((id, deadline));
        let body = g.body();
        self.actions.push(Action::FetchTranscript { request: id, body });
    }

    /// A page could not be fetched. The gap stays open: the page is retried with a capped backoff, and
    /// the live items it held are released meanwhile. Only refusals (4xx) end it, after a few.
    pub(super) fn on_gap_failed(&mut self, now: Millis, e: ChatError) {
        let attempts = self.cfg.gap_fill_attempts;
        let Some(g) = self.recovery.gap.as_mut() else { return };
        if !e.retryable && g.fall_back_to_start() {
            // The service does not know our position (it may predate a transfer): read from the start;
            // items already delivered are dropped as duplicates.
            return self.request_gap_page(now);
        }
        g.failures += 1;
        let attempt = g.failures;
        let retrying = e.retryable || attempt < attempts;
        let delay = self.cfg.reconnect.delay(attempt, &mut self.rng);
        let reason = e.prefixed("could not fetch missed items: ");
        self.emit(Event::GapFillFailed { reason, attempt, delay_ms: if retrying { delay } else { 0 }, retrying });
        if !retrying {
            return self.finish_gap(now);
        }
        if let Some(g) = self.recovery.gap.as_mut() {
            g.retry_at = Some(now + Millis::from(delay));
        }
        self.release_held(now);
    }

    /// The live items held behind the fill go out now (in time order); the fill goes on without holding.
    pub(super) fn release_held(&mut self, now: Millis) {
        let Some(g) = self.recovery.gap.as_mut() else { return };
        g.holding = false;
        let held = ::core::mem::take(&mut g.held);
        self.deliver_in_order(now, held);
    }

    pub(super) fn finish_gap(&mut self, now: Millis) {
        let Some(gap) = self.recovery.gap.take() else { return };
        self.deliver_in_order(now, gap.held);
        // Only after: the held items are checked against Ids none of which was forgotten meanwhile.
        self.hold_ids();
        // Replies whose completion was overdue and is not in the transcript either: as they stand.
        self.flush_overdue_streams(now);
    }

    /// Live items held during a fill may have come from two sockets: delivered in time order (sorted by
    /// insertion: the list is short, and this keeps the sort machinery out of the wasm).
    pub(super) fn deliver_in_order(&mut self, now: Millis, items: Vec<Item<J>>) {
        let mut sorted: Vec<Item<J>> = Vec::with_capacity(items.len());
        for item in items {
            let time = item.time.unwrap_or(Millis::MAX);
            let at = sorted.partition_point(|h| h.time.unwrap_or(Millis::MAX) <= time);
            sorted.insert(at, item);
        }
        let now = Now::at(now);
        for item in sorted {
            self.deliver(&now, item);
        }
    }

    /// The fill after the next connect must start at `from` or earlier.
    pub(super) fn owe_fill(&mut self, from: Option<Position>) {
        self.recovery.refill_from = Some(match self.recovery.refill_from.take() {
            Some(f) => earlier(f, from),
            None => from,
        });
    }

    /// While a gap is open, a retired socket may still deliver or a fill is owed to the next connect,
    /// items older than the newest delivered may come: nothing delivered meanwhile may be forgotten (see
    /// `Dedup::hold`).
    #[inline(never)]
    pub(super) fn hold_ids(&mut self) {
        self.delivery.dedup.hold(
            self.recovery.gap.is_some() || self.sockets.retiring.is_some() || self.recovery.refill_from.is_some(),
        );
    }
}
