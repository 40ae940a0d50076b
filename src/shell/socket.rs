//! One browser WebSocket and its handlers (`js/page.js`'s `openSocket`: all four report to one callback),
//! owned: dropping the guard detaches the handlers and closes the socket, so a retired or failed socket
//! can never call back into the session.
//! The native `web_sys::WebSocket` is used rather than gloo's stream wrapper: we need close codes,
//! synchronous handler removal and fewer bytes.

use wasm_bindgen::prelude::*;
use web_sys::WebSocket;

use super::Callback;
use crate::protocol::session::SocketId;

pub struct SocketGuard {
    pub id: SocketId,
    ws: WebSocket,
    _report: Callback,
}

impl SocketGuard {
    /// Opens `url`; everything that happens on it goes to `report(id, event)`, as `openSocket`
    /// (`js/page.js`) gives it. Fails when the URL is unusable.
    pub fn open(id: SocketId, url: &str, report: impl Fn(SocketId, JsValue) + 'static) -> Result<Self, JsValue> {
        let callback = Callback::new(move |event| report(id, event));
        // (`preconnect`'s socket when it opened this one.)
        let ws = super::page::open_socket(url, callback.as_ref())?;
        Ok(SocketGuard { id, ws, _report: callback })
    }

    /// Sends a text frame. A failure means the socket is closing; its `close` event follows.
    pub fn send(&self, text: &str) {
        let _ = self.ws.send_with_str(text);
    }
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        // Before the callback goes: the handlers are detached and the socket closed.
        super::page::unlisten_socket(&self.ws);
    }
}
