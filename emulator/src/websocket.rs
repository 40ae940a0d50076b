//! The chat WebSocket: `aws/subscribe`, heartbeat echo, `aws/ping`, pushed `aws/chat` items, and the
//! URL's lifetime (refused after `ConnectionExpiry`, closed when it passes), the service's frame size
//! limit, and slow consumers (dropped when their queue is full, `outbox.rs`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::faults::Stall;
use crate::outbox::{self, Eviction, Inbox};
use crate::state::{new_id, Emulator, Grant, Outbound, SocketHandle};
use crate::time::now_ms;

const SUBSCRIBED: &str = r#"{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}"#;
const REFUSED: &str = r#"{"topic":"aws/subscribe","content":{"status":"failure"}}"#;
const HEARTBEAT: &str = r#"{"topic":"aws/heartbeat"}"#;
const PONG: &str = r#"{"topic":"aws/ping","statusCode":200,"statusContent":"OK"}"#;

/// The largest frame a client may send: 32 KB, the frame limit of AWS's WebSocket endpoints ("WebSocket
/// frame size" in "Quotas for configuring and running a WebSocket API", Amazon API Gateway Developer
/// Guide, https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). A larger one is
/// refused (close 1009) before its payload is read.
pub const MAX_FRAME: usize = 32 * 1024;
/// The largest message (a fragmented one): 128 KB, the matching message limit ("Message payload size",
/// the same page).
pub const MAX_MESSAGE: usize = 128 * 1024;
/// A close frame to a client that does not read is given up on after this long.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

pub async fn connect(
    State(emu): State<Arc<Emulator>>,
    Query(q): Query<HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    let (outbox, inbox) = outbox::channel();
    let stall = Stall::default();
    // The socket is counted from its handshake on (checked and registered under one lock), so that
    // sockets opened at the same moment cannot together pass the per-participant limit.
    let (grant, id) = {
        let mut world = emu.world();
        let grant = q.get("token").and_then(|t| world.url_tokens.get(t)).cloned();
        let grant = match grant {
            None => return ApiError::access_denied("Forbidden").into_response(),
            Some(g) if g.expires_at <= now_ms() => {
                return ApiError::access_denied("the connection URL has expired").into_response()
            }
            Some(g) if world.contacts.get(&g.contact).is_some_and(|c| c.refuse_sockets_until > now_ms()) => {
                return ApiError::internal("Service unavailable (simulated outage)").into_response()
            }
            Some(g) => g,
        };
        world.next_socket += 1;
        let id = world.next_socket;
        let limit = emu.config.max_sockets_per_participant;
        let Some(contact) = world.contacts.get_mut(&grant.contact) else {
            return ApiError::access_denied("Forbidden").into_response();
        };
        // Handles of upgrades that never completed (their queue closed unread) are forgotten here.
        contact.sockets.retain(|s| !s.outbox.is_closed());
        if let Err(refused) = crate::socket_limit::check(contact, &grant.participant, limit) {
            return refused.into_response();
        }
        contact.sockets.push(SocketHandle {
            id,
            participant: grant.participant.clone(),
            subscribed: false,
            outbox,
            stall: stall.clone(),
        });
        (grant, id)
    };
    // An upgrade that fails drops `inbox` unread: its handle's queue is then closed, which the limit and
    // the next broadcast take as gone.
    ws.max_frame_size(MAX_FRAME)
        .max_message_size(MAX_MESSAGE)
        .on_upgrade(move |socket| run(emu, socket, grant, id, inbox, stall))
}

async fn run(emu: Arc<Emulator>, mut socket: WebSocket, grant: Grant, id: u64, mut inbox: Inbox, stall: Stall) {
    let eviction = inbox.eviction();
    let connection_id = new_id();
    let remaining = u64::try_from(grant.expires_at - now_ms()).unwrap_or(0);
    let expiry = tokio::time::sleep(Duration::from_millis(remaining));
    tokio::pin!(expiry);
    loop {
        tokio::select! {
            // Evicted for not reading: the connection is dropped with no close frame, which the client
            // could not read anyway behind everything it has not read.
            _ = eviction.happened() => break,
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if stall.is_set() {
                        continue;
                    }
                    if let Some(reply) = answer(&emu, &grant, id, &connection_id, text.as_str()) {
                        if !send(&mut socket, &eviction, Message::Text(reply.into())).await {
                            break;
                        }
                    }
                }
                Some(Err(e)) => {
                    if is_too_big(&e) {
                        close(&mut socket, &eviction, 1009, "message too big").await;
                    }
                    break;
                }
                Some(Ok(Message::Close(_))) | None => break,
                Some(Ok(_)) => {}
            },
            out = inbox.recv() => match out {
                Some(Outbound::Text(frame)) => {
                    // Queue everything already waiting and flush once: a burst of items becomes a few
                    // large writes instead of a syscall per frame.
                    let mut batch = vec![frame];
                    let mut then = None;
                    while batch.len() < 256 {
                        match inbox.try_recv() {
                            Some(Outbound::Text(f)) => batch.push(f),
                            Some(other) => {
                                then = Some(other);
                                break;
                            }
                            None => break,
                        }
                    }
                    let written = tokio::select! {
                        w = write_all(&mut socket, &batch) => w.is_ok(),
                        _ = eviction.happened() => false,
                    };
                    if !written {
                        break;
                    }
                    match then {
                        Some(Outbound::Drop) => break,
                        Some(Outbound::Close(code, reason)) => {
                            close(&mut socket, &eviction, code, reason).await;
                            break;
                        }
                        _ => {}
                    }
                }
                // Dropping the socket without a close frame: the client sees an abnormal closure (1006).
                Some(Outbound::Drop) => break,
                Some(Outbound::Close(code, reason)) => {
                    close(&mut socket, &eviction, code, reason).await;
                    break;
                }
                None => break,
            },
            _ = &mut expiry => {
                close(&mut socket, &eviction, 1001, "the connection URL has expired").await;
                break;
            }
        }
    }
    let mut world = emu.world();
    if let Some(c) = world.contacts.get_mut(&grant.contact) {
        c.sockets.retain(|s| s.id != id);
    }
}

/// Sends one frame unless the socket is evicted meanwhile; `false` if it did not go out.
async fn send(socket: &mut WebSocket, eviction: &Eviction, message: Message) -> bool {
    tokio::select! {
        sent = socket.send(message) => sent.is_ok(),
        _ = eviction.happened() => false,
    }
}

/// A close frame, given up on if the client does not take it.
async fn close(socket: &mut WebSocket, eviction: &Eviction, code: u16, reason: &'static str) {
    let frame = Message::Close(Some(CloseFrame { code, reason: reason.into() }));
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, send(socket, eviction, frame)).await;
}

/// Whether the client's frame was refused for its size (axum wraps tungstenite's error; the dependency
/// on the same tungstenite version makes the type the same).
fn is_too_big(e: &axum::Error) -> bool {
    std::error::Error::source(e)
        .and_then(|inner| inner.downcast_ref::<tungstenite::Error>())
        .is_some_and(|inner| matches!(inner, tungstenite::Error::Capacity(_)))
}

async fn write_all(socket: &mut WebSocket, frames: &[Arc<str>]) -> Result<(), axum::Error> {
    for f in frames {
        socket.feed(Message::Text(f.as_ref().into())).await?;
    }
    socket.flush().await
}

/// The reply to one client frame, if any.
fn answer(emu: &Emulator, grant: &Grant, socket: u64, connection_id: &str, text: &str) -> Option<String> {
    let frame: Option<Value> = serde_json::from_str(text).ok();
    let topic = frame.as_ref().and_then(|f| f.get("topic")).and_then(Value::as_str);
    match topic {
        Some("aws/subscribe") => {
            let wants_chat = frame
                .as_ref()
                .and_then(|f| f.pointer("/content/topics"))
                .and_then(Value::as_array)
                .is_some_and(|topics| topics.iter().any(|t| t == "aws/chat"));
            if !wants_chat {
                return Some(REFUSED.to_owned());
            }
            let mut world = emu.world();
            let Some(contact) = world.contacts.get_mut(&grant.contact) else {
                return Some(REFUSED.to_owned());
            };
            let subscribed = contact.sockets.iter_mut().find(|s| s.id == socket).map(|s| s.subscribed = true).is_some();
            // A persistent chat's history is ready once its customer listens: `chat.rehydrated` then, once.
            // It is queued behind this reply, which the socket writes first.
            let customer = contact.participant(&grant.participant).is_some_and(|p| p.role == "CUSTOMER");
            if subscribed && customer && contact.rehydration_pending {
                contact.rehydration_pending = false;
                let event = crate::persistent::rehydrated_event(contact);
                contact.publish(event, false, &emu.faults);
            }
            Some(if subscribed { SUBSCRIBED } else { REFUSED }.to_owned())
        }
        Some("aws/heartbeat") => Some(HEARTBEAT.to_owned()),
        Some("aws/ping") => Some(PONG.to_owned()),
        _ => Some(
            json!({"message": "Invalid request", "connectionId": connection_id, "requestId": new_id()}).to_string(),
        ),
    }
}
