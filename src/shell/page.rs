//! The page around the session: `online`, tab visibility and `pagehide`, and the opt-in persistence
//! in `sessionStorage` that lets a reload resume the same chat and fill the gap; the listening and the
//! storage are `js/page.js`. The listeners are an RAII guard: dropping it removes them.

use super::cells::Cells;
use alloc::rc::Weak;

use wasm_bindgen::prelude::*;

use super::driver::{now, with_inner, Inner};
use super::Callback;
use crate::prelude::*;

// One module for everything page-facing (errors.rs imports from it too): the browser tests' server
// (wasm-bindgen-test-runner's) stalls, as measured, when a test page loads more than five snippet
// modules at once, so they are few; the package bundles them into its one JS file anyway.
#[wasm_bindgen(module = "/src/shell/js/page.js")]
extern "C" {
    #[wasm_bindgen(js_name = watchPage)]
    fn watch_page(report: &JsValue) -> js_sys::Function;
    #[wasm_bindgen(js_name = loadPosition)]
    fn load_position(key: &str, chat: &str) -> Option<String>;
    #[wasm_bindgen(js_name = savePosition)]
    fn save_position(key: &str, chat: &str, last_seen_id: Option<&str>);
}

/// The session's page listeners (`js/page.js`), removed when dropped.
pub struct PageWatch {
    _callback: Callback,
    unwatch: js_sys::Function,
}

impl Drop for PageWatch {
    fn drop(&mut self) {
        let _ = self.unwatch.call0(&JsValue::UNDEFINED);
    }
}

/// Starts listening to the page on behalf of the session.
pub fn watch(inner: &Weak<Inner>) -> PageWatch {
    let weak = inner.clone();
    let callback = Callback::new(move |kind: JsValue| on_page_event(&weak, kind.as_f64().unwrap_or(-1.0) as i32));
    let unwatch = watch_page(callback.as_ref());
    PageWatch { _callback: callback, unwatch }
}

/// `kind` as `js/page.js` numbers them.
fn on_page_event(weak: &Weak<Inner>, kind: i32) {
    with_inner(weak, |inner| match kind {
        // Back online: reconnect now rather than after the backoff, or check the socket.
        0 => inner.core.write().network_online(now()),
        // Offline: the socket may hang rather than close; check it now so the reconnect starts (and waits
        // for `online`) instead of sitting on a dead socket. A tab waking up (laptop lid, background
        // tab): its socket may have died meanwhile; check it now.
        1 | 3 => inner.core.write().probe(now()),
        // Going hidden: save the position, as the tab may never come back.
        2 => inner.persist(),
        // Leaving the page (unload or the back-forward cache): save the position and close the socket and
        // timers, so nothing is left behind and the page can enter the cache (an open socket keeps it out).
        4 => {
            inner.persist();
            inner.suspend();
        }
        // Back from the back-forward cache: connect again; the gap is filled as after any reconnect.
        5 => inner.resume(),
        _ => {}
    })
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
    load_position(key, &fingerprint(participant_token))
}

pub fn save(key: &str, participant_token: &str, last_seen_id: &str) {
    save_position(key, &fingerprint(participant_token), Some(last_seen_id));
}

pub fn forget(key: &str) {
    save_position(key, "", None);
}
