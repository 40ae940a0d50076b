//! One browser WebSocket and its four handlers, owned: dropping the guard detaches the handlers and
//! closes the socket, so a retired or failed socket can never call back into the session.
//! The native `web_sys::WebSocket` is used rather than gloo's stream wrapper: we need close codes,
//! synchronous handler removal and fewer bytes.

use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use super::Callback;
use crate::prelude::*;
use crate::protocol::session::SocketId;

/// What happened on a socket, reported to the driver.
pub enum SocketEvent {
    Open,
    /// A text frame (a JS string, not yet copied into wasm).
    Text(JsValue),
    /// A binary frame: the service never sends one.
    Binary,
    Closed {
        code: u16,
        reason: String,
    },
}

pub struct SocketGuard {
    pub id: SocketId,
    ws: WebSocket,
    // All four take a plain `JsValue` (see `Callback`).
    _on_open: Callback,
    _on_message: Callback,
    _on_close: Callback,
    _on_error: Callback,
}

impl SocketGuard {
    /// Opens `url`; every event goes to `report(id, event)`. Fails when the URL is unusable.
    pub fn open(
        id: SocketId,
        url: &str,
        report: impl Fn(SocketId, SocketEvent) + Clone + 'static,
    ) -> Result<Self, JsValue> {
        let ws = WebSocket::new(url)?;
        let r = report.clone();
        let on_open = Callback::new(move |_| r(id, SocketEvent::Open));
        let r = report.clone();
        let on_message = Callback::new(move |e: JsValue| {
            let data = e.unchecked_ref::<MessageEvent>().data();
            r(id, if data.is_string() { SocketEvent::Text(data) } else { SocketEvent::Binary });
        });
        let r = report.clone();
        let on_close = Callback::new(move |e: JsValue| {
            let e: &CloseEvent = e.unchecked_ref();
            r(id, SocketEvent::Closed { code: e.code(), reason: e.reason() })
        });
        // An `error` is always followed by `close`, which carries the code; reporting it as a close
        // right away just makes the replacement start sooner. The later `close` finds no socket.
        let on_error = Callback::new(move |_| {
            report(id, SocketEvent::Closed { code: 1006, reason: "WebSocket error".to_owned() })
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        ws.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(SocketGuard { id, ws, _on_open: on_open, _on_message: on_message, _on_close: on_close, _on_error: on_error })
    }

    /// Sends a text frame. A failure means the socket is closing; its `close` event follows.
    pub fn send(&self, text: &str) {
        let _ = self.ws.send_with_str(text);
    }
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        self.ws.set_onerror(None);
        // 1000: a normal close, ours. Closing a socket that is still connecting is allowed.
        let _ = self.ws.close_with_code(1000);
    }
}
