//! The page around the session: `online`, tab visibility and `pagehide`, and the opt-in persistence
//! in `sessionStorage` that lets a reload resume the same chat and fill the gap; the listening and the
//! storage are `js/page.js`. The listeners are an RAII guard: dropping it removes them. What the page
//! does is handed to the session as a [`PageEvent`]; this module knows nothing of the session.

use wasm_bindgen::prelude::*;

use super::Callback;
use crate::prelude::*;

// One module for everything page-facing (errors.rs imports from it too): the browser tests' server
// (wasm-bindgen-test-runner's) stalls when a test page loads more than five snippet modules at once, and
// now and then with five, so there are three (`interactive.js`, `arguments.js`, this); the package
// bundles them into its one JS file anyway.
#[wasm_bindgen(module = "/src/shell/js/page.js")]
extern "C" {
    #[wasm_bindgen(js_name = watchPage)]
    fn watch_page(report: &JsValue) -> js_sys::Function;
    #[wasm_bindgen(js_name = loadPosition)]
    fn load_position(key: &str, chat: &str) -> Option<String>;
    #[wasm_bindgen(js_name = savePosition)]
    fn save_position(key: &str, chat: &str, last_seen_id: Option<&str>);
    #[wasm_bindgen(js_name = loadPending)]
    fn load_pending(key: &str, chat: &str) -> JsValue;
    #[wasm_bindgen(js_name = savePending)]
    fn save_pending(key: &str, chat: &str, json: Option<&str>);
    /// Keeps an attachment's file in IndexedDB while it waits (a reload finds it there).
    #[wasm_bindgen(js_name = keepFile)]
    pub fn keep_file(key: &str, client_token: &str, file: &JsValue);
    /// The kept file (a Promise of it, or of `undefined`).
    #[wasm_bindgen(js_name = loadFile)]
    pub fn load_file(key: &str, client_token: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = dropFile)]
    pub fn drop_file(key: &str, client_token: &str);
    /// The detail of `send-status`.
    #[wasm_bindgen(js_name = sendStatus)]
    pub fn send_status(client_token: &str, status: &str, id: Option<&str>, error: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = shareTabs)]
    fn share_tabs(name: &str, report: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = tabsConnected)]
    fn tabs_connected(tabs: &JsValue);
    #[wasm_bindgen(js_name = tabsRelay)]
    fn tabs_relay(tabs: &JsValue);
    /// The message of the service error `readFrame` read last, or the reason of the socket's close.
    #[wasm_bindgen(js_name = frameMessage)]
    pub fn frame_message() -> String;
    /// A WebSocket to `url` (the one `preconnect` opened for this connection, or a new one), what happens
    /// on it sent to `report` (its frames through `readFrame`).
    #[wasm_bindgen(js_name = openSocket, catch)]
    pub fn open_socket(url: &str, report: &JsValue) -> Result<web_sys::WebSocket, JsValue>;
    /// Detaches `openSocket`'s handlers and closes the socket (1000: a normal close, ours).
    #[wasm_bindgen(js_name = unlistenSocket)]
    pub fn unlisten_socket(ws: &JsValue);
    #[wasm_bindgen(js_name = tabsStop)]
    fn tabs_stop(tabs: &JsValue);
    #[wasm_bindgen(js_name = goodbyeWatch)]
    fn goodbye_watch(worker_url: &str, endpoint: &str, name: &str) -> JsValue;
    #[wasm_bindgen(js_name = goodbyeTell)]
    fn goodbye_tell(goodbye: &JsValue, what: u32, connection_token: Option<&str>);
    /// `session.pending` from the core's list.
    #[wasm_bindgen(js_name = pendingList)]
    pub fn pending_list(json: &str) -> JsValue;
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

/// What the page did, as `js/page.js` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageEvent {
    /// The browser is back online.
    Online,
    /// The browser went offline: the socket may hang rather than close.
    Offline,
    /// The tab was hidden: it may never come back.
    Hidden,
    /// The tab is visible again (a laptop lid, a background tab): its socket may have died meanwhile.
    Visible,
    /// The page is being left (unload, or the back-forward cache).
    Leaving,
    /// The page is back from the back-forward cache.
    Restored,
    /// The page is being frozen (a background tab the browser stops).
    Freeze,
    /// The frozen page runs again.
    Thaw,
    /// The page is gone for good (closed, reloaded, navigated away from; not into the back-forward cache).
    Unloading,
}

impl PageEvent {
    /// `kind` as `js/page.js` numbers them.
    fn from_kind(kind: f64) -> Option<PageEvent> {
        Some(match kind as i32 {
            0 => PageEvent::Online,
            1 => PageEvent::Offline,
            2 => PageEvent::Hidden,
            3 => PageEvent::Visible,
            4 => PageEvent::Leaving,
            5 => PageEvent::Restored,
            6 => PageEvent::Freeze,
            7 => PageEvent::Thaw,
            8 => PageEvent::Unloading,
            _ => return None,
        })
    }
}

/// Starts listening to the page; `on_event` is called with each of its events until the guard drops.
pub fn watch(on_event: impl Fn(PageEvent) + 'static) -> PageWatch {
    let callback = Callback::new(move |kind: JsValue| {
        if let Some(event) = kind.as_f64().and_then(PageEvent::from_kind) {
            on_event(event);
        }
    });
    let unwatch = watch_page(callback.as_ref());
    PageWatch { _callback: callback, unwatch }
}

/// What the other tabs of the chat say (`shareAcrossTabs`, `js/page.js`'s `shareTabs`).
pub enum TabEvent {
    /// This tab holds the lock now: it leads.
    Lead,
    /// A frame the leader's socket received (as `readFrame` gives it).
    Frame(JsValue),
    /// The leader's socket is subscribed (another tab took the lead, or its socket came back): what
    /// it carried before may not have reached us.
    NewLeader,
    /// The lock was taken from this tab (it was frozen): it follows again.
    LostLead,
    /// The election's first answer, when it is not `Lead`: another tab holds the lock.
    Follow,
}

/// This tab's place among the tabs of its chat: the lock held or queued for, the channel; leaving it
/// (dropping) releases the lock.
pub struct Tabs {
    _callback: Callback,
    handle: JsValue,
}

impl Tabs {
    /// Joins the tabs of chat `key` with this participant token; `None` where the browser has no Web
    /// Locks or BroadcastChannel.
    pub fn join(key: &str, participant_token: &str, on_event: impl Fn(TabEvent) + 'static) -> Option<Tabs> {
        // A frame comes as its text, the rest as numbers.
        let callback = Callback::new(move |what: JsValue| {
            let event = match what.as_f64().map(|k| k as i32) {
                None => TabEvent::Frame(what),
                Some(0) => TabEvent::Lead,
                Some(2) => TabEvent::NewLeader,
                Some(3) => TabEvent::LostLead,
                Some(4) => TabEvent::Follow,
                _ => return,
            };
            on_event(event);
        });
        let name = ["connect-chat-wasm-tabs\n", key, "\n", &fingerprint(participant_token)].concat();
        let handle = share_tabs(&name, callback.as_ref());
        (!handle.is_undefined()).then_some(Tabs { _callback: callback, handle })
    }

    /// Relays the frame our socket received last to the other tabs (when this one leads).
    pub fn relay(&self) {
        tabs_relay(&self.handle);
    }

    /// Tells the other tabs our socket is subscribed (when this one leads).
    pub fn connected(&self) {
        tabs_connected(&self.handle);
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        tabs_stop(&self.handle);
    }
}

/// `disconnectOnClose`: while this page shows the chat it holds the chat's lock; when it goes, the goodbye
/// worker says the goodbye unless another page of the chat (the reloaded one) holds it by then
/// (`js/page.js`). Dropped (the chat ended or was closed here): the lock is let go, no goodbye.
pub struct Goodbye(JsValue);

impl Goodbye {
    pub fn watch(worker_url: &str, endpoint: &str, participant_token: &str) -> Goodbye {
        let name = ["connect-chat-wasm-goodbye\n", &fingerprint(participant_token)].concat();
        Goodbye(goodbye_watch(worker_url, endpoint, &name))
    }

    /// The page went: with the connection token, the worker is handed DisconnectParticipant; without
    /// one (into the back-forward cache, or not connected) the page only lets go of the chat.
    pub fn leave(&self, connection_token: Option<&str>) {
        goodbye_tell(&self.0, if connection_token.is_some() { 0 } else { 1 }, connection_token);
    }

    /// Back from the back-forward cache: the page holds the chat again.
    pub fn back(&self) {
        goodbye_tell(&self.0, 2, None);
    }
}

impl Drop for Goodbye {
    fn drop(&mut self) {
        goodbye_tell(&self.0, 3, None);
    }
}

/// A short fingerprint of the participant token: enough to tell chats apart, not the token itself.
fn fingerprint(token: &str) -> String {
    // The same hash as the item Ids' (one hash function in the wasm).
    let h = crate::protocol::dedup::fingerprint(token);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Pushed one by one: collected from an iterator, the same string cost 150 bytes of wasm more.
    let mut s = String::with_capacity(16);
    for i in 0..16 {
        s.push(char::from(HEX[((h >> (i * 4)) & 15) as usize]));
    }
    s
}

/// The last item seen by an earlier page of this chat, if persistence is on and it saved one.
pub fn load(key: &str, participant_token: &str) -> Option<String> {
    load_position(key, &fingerprint(participant_token))
}

pub fn save(key: &str, participant_token: &str, last_seen_id: &str) {
    save_position(key, &fingerprint(participant_token), Some(last_seen_id));
}

/// What an earlier page of this chat left in its outbox (an array), or `undefined`.
pub fn load_outbox(key: &str, participant_token: &str) -> JsValue {
    load_pending(key, &fingerprint(participant_token))
}

/// Saves the outbox's entries (`Session::outbox_json`), or forgets them (`None`).
pub fn save_outbox(key: &str, participant_token: &str, json: Option<&str>) {
    save_pending(key, &fingerprint(participant_token), json);
}

pub fn forget(key: &str) {
    save_position(key, "", None);
}
