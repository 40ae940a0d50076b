//! The page around the session: `online`, tab visibility and `pagehide`, and the opt-in persistence
//! in `sessionStorage` that lets a reload resume the same chat and fill the gap.
//! The listeners are an RAII guard: dropping it removes them from their targets.

use alloc::rc::Weak;

use wasm_bindgen::prelude::*;

use super::driver::{now, with_inner, Inner};
use super::Callback;
use crate::core::json::{JsonValue, ObjectWriter};
use crate::prelude::*;

#[wasm_bindgen]
extern "C" {
    // The page's globals, called by name rather than through `web_sys::window()`, whose global-object
    // lookup costs a kilobyte of wasm. Where one is missing (a worker has no `document` nor
    // `sessionStorage`) the call throws a ReferenceError, which `catch` turns into an `Err`: the session
    // then runs without it. Storage may also throw (disabled, over quota): the same.
    #[wasm_bindgen(catch, js_name = addEventListener)]
    fn add_global_listener(event: &str, f: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = removeEventListener)]
    fn remove_global_listener(event: &str, f: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = document, js_name = addEventListener)]
    fn add_document_listener(event: &str, f: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = document, js_name = removeEventListener)]
    fn remove_document_listener(event: &str, f: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = sessionStorage, js_name = getItem)]
    fn storage_get(key: &str) -> Result<Option<String>, JsValue>;
    #[wasm_bindgen(catch, js_namespace = sessionStorage, js_name = setItem)]
    fn storage_set(key: &str, value: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = sessionStorage, js_name = removeItem)]
    fn storage_remove(key: &str) -> Result<(), JsValue>;
}

/// The page events a connected session listens to, and whether on `document` (else the window).
const EVENTS: [(&str, bool); 5] =
    [("online", false), ("offline", false), ("pagehide", false), ("pageshow", false), ("visibilitychange", true)];

/// The session's page listeners: one callback for all the events, removed from every target when dropped.
pub struct PageWatch {
    callback: Callback,
    added: Vec<(&'static str, bool)>,
}

impl Drop for PageWatch {
    fn drop(&mut self) {
        let f: &JsValue = self.callback.as_ref();
        for &(event, on_document) in &self.added {
            let _ = if on_document { remove_document_listener(event, f) } else { remove_global_listener(event, f) };
        }
    }
}

/// Starts listening to the page on behalf of the session.
pub fn watch(inner: &Weak<Inner>) -> PageWatch {
    let weak = inner.clone();
    let callback = Callback::new(move |event: JsValue| on_page_event(&weak, &event));
    let f: &JsValue = callback.as_ref();
    let added = EVENTS
        .iter()
        .copied()
        .filter(|&(event, on_document)| {
            let added = if on_document { add_document_listener(event, f) } else { add_global_listener(event, f) };
            added.is_ok()
        })
        .collect();
    PageWatch { callback, added }
}

fn on_page_event(weak: &Weak<Inner>, event: &JsValue) {
    let flag = |key: &str| event.field(key).and_then(|v| v.as_bool()) == Some(true);
    match event.str_field("type").unwrap_or_default().as_str() {
        // Back online: reconnect now rather than after the backoff, or check the socket.
        "online" => with_inner(weak, |inner| inner.core.borrow_mut().network_online(now())),
        // Offline: the socket may hang rather than close; check it now so the reconnect starts (and waits
        // for `online`) instead of sitting on a dead socket.
        "offline" => with_inner(weak, |inner| inner.core.borrow_mut().probe(now())),
        // A tab waking up (laptop lid, background tab): its socket may have died meanwhile; check it now.
        // Going hidden: save the position, as the tab may never come back.
        "visibilitychange" => {
            let hidden = event.field("target").and_then(|document| document.field("hidden")).and_then(|h| h.as_bool());
            with_inner(weak, |inner| {
                if hidden == Some(true) {
                    inner.persist();
                } else {
                    inner.core.borrow_mut().probe(now());
                }
            })
        }
        // Leaving the page (unload or the back-forward cache): save the position and close the socket and
        // timers, so nothing is left behind and the page can enter the cache (an open socket keeps it out).
        "pagehide" => with_inner(weak, |inner| {
            inner.persist();
            inner.suspend();
        }),
        // Back from the back-forward cache: connect again; the gap is filled as after any reconnect.
        "pageshow" if flag("persisted") => with_inner(weak, |inner| inner.resume()),
        _ => {}
    }
}

/// A short fingerprint of the participant token: enough to tell chats apart, not the token itself.
fn fingerprint(token: &str) -> String {
    // The same hash as the item Ids' (one hash function in the wasm).
    let h = crate::core::dedup::fingerprint(token);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..16).map(|i| char::from(HEX[((h >> (i * 4)) & 15) as usize])).collect()
}

/// The last item seen by an earlier page of this chat, if persistence is on and it saved one.
pub fn load(key: &str, participant_token: &str) -> Option<String> {
    let text = storage_get(key).ok()??;
    let saved = JsValue::parse(&text)?;
    (saved.str_field("chat")? == fingerprint(participant_token)).then(|| saved.str_field("lastSeenId")).flatten()
}

pub fn save(key: &str, participant_token: &str, last_seen_id: &str) {
    let text =
        ObjectWriter::new().string("chat", &fingerprint(participant_token)).string("lastSeenId", last_seen_id).finish();
    let _ = storage_set(key, &text);
}

pub fn forget(key: &str) {
    let _ = storage_remove(key);
}
