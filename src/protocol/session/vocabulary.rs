//! What the session and the shell say to each other: the page-facing state and events, and the
//! actions the shell performs.

use super::super::error::ChatError;
use super::super::item::Item;
use crate::prelude::*;

/// Identifies one socket the shell opened for us.
pub type SocketId = u32;
/// Identifies one HTTP request the shell makes for us.
pub type RequestId = u32;

/// The session's state as the page sees it (`ChatSession.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Idle,
    Connecting,
    Connected,
    Reconnecting,
    Ended,
    Closed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Idle => "idle",
            State::Connecting => "connecting",
            State::Connected => "connected",
            State::Reconnecting => "reconnecting",
            State::Ended => "ended",
            State::Closed => "closed",
        }
    }
}

/// What the session tells the page (the shell maps these to the page events).
#[derive(Debug, Clone, PartialEq)]
pub enum Event<J> {
    Connected,
    Reconnecting {
        attempt: u32,
        delay_ms: u32,
        reason: ChatError,
    },
    /// The connection cannot be restored; the session has ended.
    ConnectionLost {
        reason: ChatError,
    },
    /// A new WebSocket URL is in use.
    Renewed,
    Item(Item<J>),
    /// A streamed bot reply so far (`message-partial`): the latest chunk with `Content` = every chunk
    /// taken, in order, and the first chunk's `AbsoluteTime`.
    Partial(J),
    /// Missed items could not be fetched (yet): `retrying` says whether the session goes on trying (after
    /// `delay_ms`), as it does for every failure it can.
    GapFillFailed {
        reason: ChatError,
        attempt: u32,
        delay_ms: u32,
        retrying: bool,
    },
    /// A gap fill finished: `items` missed items were delivered by it.
    GapFilled {
        items: u32,
    },
    Error(ChatError),
    /// An outbox entry changed (`send-status`): `id` once sent, `error` after a failure.
    SendStatus {
        token: String,
        status: super::SendStatus,
        id: Option<String>,
        error: Option<ChatError>,
    },
}

/// Work for the shell.
#[derive(Debug, Clone, PartialEq)]
pub enum Action<J> {
    /// Call CreateParticipantConnection with the ParticipantToken, then report with
    /// [`Session::connection_created`].
    CreateConnection {
        request: RequestId,
        credentials_only: bool,
    },
    /// Call GetTranscript with the ConnectionToken and this body, then report with
    /// [`Session::transcript_fetched`].
    FetchTranscript {
        request: RequestId,
        body: String,
    },
    /// Open a WebSocket to `url` and report its events with `socket`.
    OpenSocket {
        socket: SocketId,
        url: String,
    },
    Send {
        socket: SocketId,
        text: &'static str,
    },
    /// Call SendEvent with the ConnectionToken (receipts); failures are reported as `error` events.
    SendEvent {
        content_type: &'static str,
        content: String,
    },
    /// Close the socket and forget it: the session expects no more reports about it.
    CloseSocket {
        socket: SocketId,
    },
    Emit(Event<J>),
    /// Settle the promises of pending `connect()` calls.
    ConnectSettled(Result<(), ChatError>),
    /// Send an outbox entry of `kind` with this body, then report with [`Session::send_finished`].
    SendQueued {
        request: RequestId,
        kind: super::SendKind,
        /// The entry's ClientToken (in `body` too).
        token: String,
        body: String,
    },
    /// Settle the Promise of the send with this ClientToken.
    SendSettled {
        token: String,
        result: Result<J, ChatError>,
    },
}
