//! The delivery pipeline: de-duplication, the ordering window, streamed replies, receipts, and the
//! position gap filling starts from. Owns `Delivery`.

use super::super::dedup::Dedup;
use super::super::gap::Position;
use super::super::item::{Item, ItemKind, Role};
use super::super::receipts::{ReceiptKind, ReceiptQueue, TypingThrottle};
use super::super::stream::Streams;
use super::super::time::{Millis, Now};
use super::{Event, Session, State};
use crate::prelude::*;
use crate::protocol::json::JsonValue;

/// What the delivery pipeline keeps (see the module doc).
#[derive(Debug)]
pub(super) struct Delivery<J> {
    pub dedup: Dedup,
    /// The newest persistent item delivered (by time), where gap filling starts.
    pub last_seen: Option<Position>,
    /// Items taken in but not delivered when the session closed (held for the ordering window or
    /// behind a fill): they go out after the next connect.
    pub unreleased: Vec<Item<J>>,
    /// Items held for the ordering window: (release time, item), sorted by item time.
    pub ordering: Vec<(Millis, Item<J>)>,
    /// Streamed replies being stitched.
    pub streams: Streams<J>,
    pub receipts: ReceiptQueue,
    pub typing: TypingThrottle,
    /// Our own ParticipantId: given, or learned from our own items.
    pub own_participant: Option<String>,
}

impl<J: JsonValue + Clone> Delivery<J> {
    pub fn new(cfg: &super::Config) -> Self {
        Delivery {
            dedup: Dedup::new(cfg.dedup_window),
            last_seen: None,
            unreleased: Vec::new(),
            ordering: Vec::new(),
            streams: Streams::new(cfg.stream_timeout_ms),
            receipts: ReceiptQueue::new(cfg.receipt_batch_ms),
            typing: TypingThrottle::new(cfg.typing_interval_ms),
            own_participant: None,
        }
    }
}

impl<J: JsonValue + Clone> Session<J> {
    // Not inlined: it is called from three places, and its body is large.
    #[inline(never)]
    pub(super) fn on_item(&mut self, now: &Now, item: Item<J>) {
        if item.is_partial() {
            return self.on_chunk(now.get(), item);
        }
        let max_held = self.cfg.max_held_items;
        if let Some(g) = self.recovery.gap.as_mut().filter(|g| g.holding) {
            g.held.push(item);
            if g.held.len() >= max_held {
                // A fill this slow must not hold the chat back (nor grow without bound).
                self.release_held(now.get());
            }
            return;
        }
        self.deliver(now, item);
    }

    /// Takes an item in: a duplicate (of one delivered, or of one held for the ordering window) is
    /// dropped here (`false`); the rest are delivered now, or, with an ordering window, held that long and
    /// released in `AbsoluteTime` order. An item counts as seen once delivered: one still held when the
    /// session closes is kept (`unreleased`) and goes out after the next connect.
    pub(super) fn deliver(&mut self, now: &Now, item: Item<J>) -> bool {
        if self.state == State::Ended || self.state == State::Closed {
            return false;
        }
        // Held items are sorted by time, and a copy of an item has the item's `AbsoluteTime` (the
        // service's, socket or transcript alike): only the held items of that time are compared with it,
        // and it goes in after them. (A burst keeps thousands held: each compared with every other cost
        // more than all the rest of an item's work.)
        let time = item.time.unwrap_or(Millis::MAX);
        let ordering = &self.delivery.ordering;
        let mut at = ordering.partition_point(|(_, h)| h.time.unwrap_or(Millis::MAX) < time);
        let mut held = false;
        while let Some((_, h)) = ordering.get(at).filter(|(_, h)| h.time.unwrap_or(Millis::MAX) == time) {
            held |= h.id == item.id;
            at += 1;
        }
        if !item.id.is_empty() && (held || self.delivery.dedup.seen_key(item.key, item.time)) {
            return false;
        }
        if item.kind == ItemKind::Message {
            self.delivery.streams.complete(&item.id);
        }
        if self.cfg.order_window_ms == 0 {
            self.release(now, item);
            return true;
        }
        let release_at = now.get() + Millis::from(self.cfg.order_window_ms);
        // In time order (after those of the same time); later items wait behind an earlier one held.
        self.delivery.ordering.insert(at, (release_at, item));
        true
    }

    /// Releases held items whose window has passed, earliest first: all of them taken off the front at
    /// once (removing them one by one moved every item still held each time, thousands in a burst).
    pub(super) fn release_due(&mut self, now: Millis) {
        let due = self.delivery.ordering.iter().take_while(|(at, _)| *at <= now).count();
        if due == 0 {
            return;
        }
        let rest = self.delivery.ordering.split_off(due);
        let now = Now::at(now);
        for (_, item) in ::core::mem::replace(&mut self.delivery.ordering, rest) {
            self.release(&now, item);
        }
    }

    /// Delivers an item to the page: receipts, the gap-filling position, the end of the chat.
    pub(super) fn release(&mut self, now: &Now, mut item: Item<J>) {
        if self.state == State::Ended || self.state == State::Closed {
            return;
        }
        if !item.id.is_empty() {
            self.delivery.dedup.insert_key(item.key, item.time);
        }
        if item.role == Role::Customer && self.delivery.own_participant.is_none() {
            self.delivery.own_participant = item.participant_id();
        }
        match item.kind {
            ItemKind::Read | ItemKind::Delivered => {
                let own = self.delivery.own_participant.as_deref().is_some_and(|me| item.receipts_all_from(me));
                if own {
                    item.kind = ItemKind::OwnReceipt;
                }
            }
            // One delivered receipt for all the tabs of a chat: the leader's (see `sharing`).
            ItemKind::Message | ItemKind::Attachment
                if self.cfg.auto_delivered_receipts && !self.follower && item.role != Role::Customer =>
            {
                self.delivery.receipts.push(now, &item.id, item.key, ReceiptKind::Delivered);
            }
            _ => {}
        }
        if item.kind == ItemKind::AuthenticationInitiated {
            add_session_id(&mut item.raw);
        }
        let ended = item.kind == ItemKind::Ended;
        if is_persistent(item.kind) && !item.id.is_empty() {
            let newer = match (&self.delivery.last_seen, item.time) {
                (Some((_, Some(seen))), Some(t)) => t >= *seen,
                (Some((_, Some(_))), None) => false,
                _ => true,
            };
            if newer {
                // Into the text already kept where there is one: no allocation per item.
                match &mut self.delivery.last_seen {
                    Some((id, time)) => {
                        id.clear();
                        id.push_str(&item.id);
                        *time = item.time;
                    }
                    none => *none = Some((item.id.clone(), item.time)),
                }
            }
        }
        self.emit(Event::Item(item));
        if ended {
            self.shut_down(State::Ended, "the chat has ended");
        }
    }

    /// A chunk of a streamed reply: shown as the reply so far, unless the reply is complete already.
    pub(super) fn on_chunk(&mut self, now: Millis, item: Item<J>) {
        if matches!(self.state, State::Ended | State::Closed) || self.delivery.dedup.contains(&item.id) {
            return;
        }
        if let Some(so_far) = self.delivery.streams.chunk(now, &item) {
            self.emit(Event::Partial(so_far));
        }
    }

    /// Some replies went silent before their completed item. The socket may have lost it (the
    /// transcript keeps completed replies): look there first, with a gap fill; otherwise (or once that
    /// fill is done) they are delivered as they stand. While reconnecting, the reconnect's own fill
    /// does the looking.
    pub(super) fn streams_overdue(&mut self, now: Millis) {
        if !self.cfg.gap_fill {
            return self.flush_overdue_streams(now);
        }
        if self.state == State::Connected && self.recovery.gap.is_none() {
            let from = self.delivery.last_seen.clone();
            self.start_gap_fill(now, from);
        }
    }

    pub(super) fn flush_overdue_streams(&mut self, now: Millis) {
        let now = Now::at(now);
        for raw in self.delivery.streams.take_overdue() {
            if let Ok(item) = Item::from_json(raw) {
                self.deliver(&now, item);
            }
        }
    }
}

/// `authentication.initiated` names the sign-in session in its `Content` (`{"SessionId": ...}`); the page
/// gets it as `sessionId` too, ready for GetAuthenticationUrl.
fn add_session_id<J: JsonValue>(raw: &mut J) {
    if let Some(id) = raw.field("Content").and_then(|c| c.parse_string_value()).and_then(|c| c.field("SessionId")) {
        raw.set("sessionId", id);
    }
}

/// Items that the transcript keeps (typing and receipts are not), so gap filling can start from them.
fn is_persistent(kind: ItemKind) -> bool {
    !matches!(kind, ItemKind::Typing | ItemKind::Read | ItemKind::Delivered | ItemKind::OwnReceipt)
}
