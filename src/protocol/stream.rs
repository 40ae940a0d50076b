//! Streamed bot replies (Lex with `ResponseMode: INCREMENTAL`). A reply arrives as items that all carry
//! its `Id`, numbered by `MessageMetadata.ChunkNumber` (1, 2, 3, ...) with `MessageCompleted: false`, and
//! ends with one item holding the whole reply, `MessageCompleted: true`. The chunks are stitched here, in
//! order, into "the reply so far" for the page's `message-partial` event; a chunk that is not the next
//! one (out of order, a duplicate) is skipped, since the completed item repairs everything. The completed
//! item itself is an ordinary item to the session: delivered once, as `message` and `item`.
//!
//! A reply whose completion never comes must not be held forever: after `timeout_ms` without a chunk it
//! is overdue, the session looks for the completion in the transcript, and failing that delivers the
//! reply as it stands, marked `Incomplete`.

use super::item::Item;
use super::json::JsonValue;
use super::time::Millis;
use crate::prelude::*;

/// Replies stitched at once at most. A service that opens more has the oldest treated as overdue.
const MAX_OPEN: usize = 8;

#[derive(Debug)]
pub struct Streams<J> {
    open: Vec<Stream<J>>,
    timeout_ms: u32,
}

#[derive(Debug)]
struct Stream<J> {
    id: String,
    /// The `ChunkNumber` taken next.
    next: u32,
    /// The chunks' `Content`, in order.
    text: String,
    /// `AbsoluteTime` of the first chunk, as the service wrote it: the reply's place in the chat.
    first_time: Option<J>,
    /// The newest chunk taken; the page gets it with `Content` and `AbsoluteTime` replaced.
    latest: J,
    /// When the completion is overdue (a chunk resets it).
    due: Millis,
    overdue: bool,
}

impl<J: JsonValue + Clone> Stream<J> {
    fn so_far(&self, incomplete: bool) -> J {
        let mut v = self.latest.copy();
        v.set("Content", J::string(&self.text));
        if let Some(t) = &self.first_time {
            v.set("AbsoluteTime", t.clone());
        }
        if incomplete {
            v.set("Incomplete", J::boolean(true));
        }
        v
    }
}

impl<J: JsonValue + Clone> Streams<J> {
    pub fn new(timeout_ms: u32) -> Self {
        Streams { open: Vec::new(), timeout_ms }
    }

    /// Takes a chunk (an item with `MessageCompleted: false`): the reply so far, for `message-partial`, or
    /// `None` when the chunk is skipped because it is not the next one.
    pub fn chunk(&mut self, now: Millis, item: &Item<J>) -> Option<J> {
        let number = item.chunk.map_or(0, |c| c.number);
        let due = now + Millis::from(self.timeout_ms);
        let content = item.raw.str_field("Content").unwrap_or_default();
        let stream = match self.open.iter_mut().position(|s| s.id == item.id) {
            Some(i) => &mut self.open[i],
            // The first chunk starts a reply; any other chunk without its start cannot be shown yet.
            None if number == 1 => {
                if self.open.len() >= MAX_OPEN {
                    if let Some(oldest) = self.open.iter_mut().find(|s| !s.overdue) {
                        oldest.due = now;
                    }
                }
                self.open.push(Stream {
                    id: item.id.clone(),
                    next: 1,
                    text: String::new(),
                    first_time: item.raw.field("AbsoluteTime"),
                    latest: item.raw.clone(),
                    due,
                    overdue: false,
                });
                self.open.last_mut()?
            }
            None => return None,
        };
        if number != stream.next {
            return None;
        }
        stream.next += 1;
        stream.text.push_str(&content);
        stream.latest = item.raw.clone();
        stream.due = due;
        stream.overdue = false;
        Some(stream.so_far(false))
    }

    /// The reply's completed item has been taken in: nothing more to stitch.
    pub fn complete(&mut self, id: &str) {
        if let Some(i) = self.open.iter().position(|s| s.id == id) {
            self.open.remove(i);
        }
    }

    /// The next time a reply falls overdue.
    pub fn poll_timeout(&self) -> Option<Millis> {
        self.open.iter().filter(|s| !s.overdue).map(|s| s.due).min()
    }

    /// Marks the replies whose completion is overdue at `now`; `true` if any fell overdue just now.
    pub fn mark_overdue(&mut self, now: Millis) -> bool {
        let mut any = false;
        for s in self.open.iter_mut().filter(|s| !s.overdue && s.due <= now) {
            s.overdue = true;
            any = true;
        }
        any
    }

    /// Removes the overdue replies and returns each as it stands, marked `Incomplete`.
    pub fn take_overdue(&mut self) -> Vec<J> {
        let mut out = Vec::new();
        while let Some(i) = self.open.iter().position(|s| s.overdue) {
            out.push(self.open.remove(i).so_far(true));
        }
        out
    }

    pub fn clear(&mut self) {
        self.open.clear();
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
