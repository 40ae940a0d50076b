//! The page around the session: `online`, tab visibility and `pagehide`, and the opt-in persistence
//! in `sessionStorage` that lets a reload resume the same chat and fill the gap.
//! Listeners are RAII guards: dropping one removes it from its target.

use alloc::rc::Weak;

use wasm_bindgen::prelude::*;
use web_sys::{Event, EventTarget};

use super::driver::{now, Inner};
use crate::core::json::{JsonValue, ObjectWriter};
use crate::prelude::*;

/// One event listener, removed when dropped.
pub struct Listener {
    target: EventTarget,
    event: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl Listener {
    pub fn new(target: &EventTarget, event: &'static str, callback: impl FnMut(Event) + 'static) -> Option<Listener> {
        let callback = Closure::<dyn FnMut(Event)>::new(callback);
        target.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref()).ok()?;
        Some(Listener { target: target.clone(), event, callback })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(self.event, self.callback.as_ref().unchecked_ref());
    }
}

/// The page events a connected session listens to. Outside a window (a worker) there are none.
pub fn watch(inner: &Weak<Inner>) -> Vec<Listener> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let w = inner.clone();
    // Back online: reconnect now rather than after the backoff, or check the socket.
    out.extend(Listener::new(&window, "online", move |_| {
        super::driver::with_inner(&w, |inner| inner.core.borrow_mut().network_online(now()))
    }));
    if let Some(document) = window.document() {
        let w = inner.clone();
        let doc = document.clone();
        // A tab waking up (laptop lid, background tab): its socket may have died meanwhile; check it now.
        out.extend(Listener::new(&document, "visibilitychange", move |_| {
            let hidden = doc.hidden();
            super::driver::with_inner(&w, |inner| {
                if hidden {
                    inner.persist();
                } else {
                    inner.core.borrow_mut().probe(now());
                }
            })
        }));
    }
    let w = inner.clone();
    // Offline: the socket may hang rather than close; check it now so the reconnect starts (and waits
    // for `online`) instead of sitting on a dead socket.
    out.extend(Listener::new(&window, "offline", move |_| {
        super::driver::with_inner(&w, |inner| inner.core.borrow_mut().probe(now()))
    }));
    let w = inner.clone();
    // Leaving the page (unload or the back-forward cache): save the position and close the socket and
    // timers, so nothing is left behind and the page can enter the cache (an open socket keeps it out).
    out.extend(Listener::new(&window, "pagehide", move |_| {
        super::driver::with_inner(&w, |inner| {
            inner.persist();
            inner.suspend();
        })
    }));
    let w = inner.clone();
    // Back from the back-forward cache: connect again; the gap is filled as after any reconnect.
    out.extend(Listener::new(&window, "pageshow", move |e: Event| {
        let restored = e.field("persisted").and_then(|p| p.as_bool()) == Some(true);
        if restored {
            super::driver::with_inner(&w, |inner| inner.resume());
        }
    }));
    out
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// A short fingerprint of the participant token: enough to tell chats apart, not the token itself.
fn fingerprint(token: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in token.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..16).map(|i| char::from(HEX[((h >> (i * 4)) & 15) as usize])).collect()
}

/// The last item seen by an earlier page of this chat, if persistence is on and it saved one.
pub fn load(key: &str, participant_token: &str) -> Option<String> {
    let text = storage()?.get_item(key).ok()??;
    let saved = JsValue::parse(&text)?;
    (saved.str_field("chat")? == fingerprint(participant_token)).then(|| saved.str_field("lastSeenId")).flatten()
}

pub fn save(key: &str, participant_token: &str, last_seen_id: &str) {
    let text =
        ObjectWriter::new().string("chat", &fingerprint(participant_token)).string("lastSeenId", last_seen_id).finish();
    if let Some(s) = storage() {
        let _ = s.set_item(key, &text);
    }
}

pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}
