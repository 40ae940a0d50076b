//! Runs the core: performs its actions, feeds it socket events, HTTP results and timer expiries, and
//! re-arms the one timer it needs. The rule here: never hold a `RefCell` borrow while calling out to
//! the page (a listener may call back into the session) or across an `.await`.

use super::cells::Cells;
use ::core::cell::{Cell, RefCell};
use alloc::rc::{Rc, Weak};

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::errors::{set, to_js};
use super::http::{self, Call, Method};
use super::js_json::{frame_now, read_item, NOT_AN_ITEM};
use super::listeners::Listeners;
use super::options::Options;
use super::page::{self, Goodbye, PageEvent, PageWatch, TabEvent, Tabs};
use super::socket::SocketGuard;
use super::timer::Timeout;
use crate::prelude::*;
use crate::protocol::api::{self, read_connection, read_transcript};
use crate::protocol::backoff::Rng;
use crate::protocol::error::ChatError;
use crate::protocol::frame::Inbound;
use crate::protocol::requests;
use crate::protocol::retry::RetryPolicy;
use crate::protocol::session::{Action, Event, SendKind, Session, SocketId, State};
use crate::protocol::time::{Millis, Now};

/// Everything one `ChatSession` owns.
pub struct Inner {
    pub core: RefCell<Session<JsValue>>,
    pub opts: Options,
    pub listeners: Listeners,
    pub rng: RefCell<Rng>,
    sockets: RefCell<Vec<SocketGuard>>,
    timer: RefCell<Option<(Millis, Timeout)>>,
    /// The Promises waiting for the session (resolve, reject): `connect()`'s (no ClientToken) and queued
    /// sends' (by ClientToken).
    waiters: RefCell<Vec<(Option<String>, Function, Function)>>,
    /// The files of attachments waiting in the outbox, by ClientToken.
    pub files: RefCell<Vec<(String, JsValue)>>,
    /// Page listeners (online, visibility, pagehide) while a connection is wanted.
    page: RefCell<Option<PageWatch>>,
    /// With `shareAcrossTabs`: this tab's place among the chat's tabs (the lock, the channel).
    tabs: RefCell<Option<Tabs>>,
    /// With `disconnectOnClose`: this page's hold on the chat, for the goodbye worker.
    goodbye: RefCell<Option<Goodbye>>,
    /// Set while `pump` runs, so a re-entrant call (a listener calling `close()`) queues instead.
    pumping: Cell<bool>,
}

#[wasm_bindgen]
extern "C" {
    /// The monotonic clock every deadline runs on (a wall-clock step stalls nothing).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Monotonic milliseconds, for the session's deadlines.
pub fn now() -> Millis {
    performance_now() as Millis
}

/// Wall-clock milliseconds since the epoch, for the service's own times (expiries).
pub fn wall() -> Millis {
    js_sys::Date::now() as Millis
}

impl Inner {
    pub fn new(opts: Options, seed: u64) -> Rc<Inner> {
        let core = Session::new(opts.config.clone(), seed);
        Rc::new(Inner {
            core: RefCell::new(core),
            opts,
            listeners: Listeners::new(),
            rng: RefCell::new(Rng::new(seed.rotate_left(17))),
            sockets: RefCell::default(),
            timer: RefCell::default(),
            waiters: RefCell::default(),
            files: RefCell::default(),
            page: RefCell::default(),
            tabs: RefCell::default(),
            goodbye: RefCell::default(),
            pumping: Cell::new(false),
        })
    }

    /// `connect()`: resumes what an earlier page of this chat saved (opt-in), watches the page, starts.
    pub fn start(self: &Rc<Self>) {
        let fresh = self.core.read().state() == State::Idle;
        if let (true, Some(key)) = (fresh, &self.opts.persist_key) {
            let last_seen = page::load(key, &self.opts.participant_token);
            self.core.write().resume_from(last_seen);
        }
        if let Some(id) = &self.opts.participant_id {
            self.core.write().set_participant_id(id.clone());
        }
        if self.page.read().is_none() {
            let weak = Rc::downgrade(self);
            let watch = page::watch(move |event| with_inner(&weak, |inner| inner.on_page(event)));
            *self.page.write() = Some(watch);
        }
        // (Again after a `close()`: the tab rejoins as a follower rather than open a socket of its own.)
        self.join_tabs();
        let watching = self.goodbye.read().is_some();
        if let (Some(url), false) = (&self.opts.goodbye_worker, watching) {
            *self.goodbye.write() = Some(Goodbye::watch(url, &self.opts.endpoint, &self.opts.participant_token));
        }
        self.core.write().connect(now());
        if let (true, Some(key)) = (fresh, &self.opts.persist_key) {
            // What the earlier page left in its outbox goes first, with no Promise waiting.
            let saved = page::load_outbox(key, &self.opts.participant_token);
            self.core.write().restore_outbox(now(), &saved);
        }
    }

    /// With `shareAcrossTabs`, joins the chat's tabs as a follower (the lock, when it comes, makes this
    /// tab the leader); where the browser cannot share, the tab runs on its own.
    fn join_tabs(self: &Rc<Self>) {
        let Some(key) = self.opts.persist_key.as_deref().filter(|_| self.opts.share_tabs) else {
            return;
        };
        if self.tabs.read().is_some() {
            return;
        }
        let weak = Rc::downgrade(self);
        let tabs = Tabs::join(key, &self.opts.participant_token, move |event| {
            with_inner(&weak, |inner| inner.on_tabs(event));
        });
        if tabs.is_some() {
            self.core.write().elect();
        }
        *self.tabs.write() = tabs;
    }

    /// Leaves the chat's tabs (the lock goes to another).
    fn leave_tabs(&self) {
        let tabs = self.tabs.write().take();
        drop(tabs);
    }

    fn on_tabs(self: &Rc<Self>, event: TabEvent) {
        let t = now();
        match event {
            TabEvent::Lead => self.core.write().lead(t),
            TabEvent::Follow => self.core.write().followed(t),
            TabEvent::NewLeader => self.core.write().leader_changed(t),
            // Through the socket's own path (one reader), as the frames of socket 0: relayed.
            TabEvent::Frame(frame) => on_socket_event(self, RELAYED, frame),
            TabEvent::LostLead => {
                // Another tab leads now: close our socket and follow (our gap is filled once connected).
                self.suspend();
                self.core.write().follow();
                self.core.write().resume(t);
            }
        }
    }

    /// With the outbox on and open, queues a send (`body` checked, with ClientToken `token`; an
    /// attachment's `file`, kept here and, with `persist`, in IndexedDB) and returns its Promise; `None`:
    /// the caller calls at once, as without an outbox.
    pub fn queue_send(
        self: &Rc<Self>,
        token: &str,
        kind: SendKind,
        body: &JsValue,
        file: Option<&JsValue>,
    ) -> Option<js_sys::Promise> {
        let body = body.as_string().filter(|_| self.opts.outbox)?;
        if !self.core.write().queue_send(now(), token.to_owned(), kind, body) {
            return None;
        }
        if let Some(file) = file {
            self.files.write().push((token.to_owned(), file.clone()));
            if let Some(key) = &self.opts.persist_key {
                page::keep_file(key, token, file);
            }
        }
        let promise = self.send_promise(token);
        pump(self);
        Some(promise)
    }

    /// An attachment's file is no longer needed (sent, or dropped).
    pub fn forget_file(&self, token: &str) {
        self.files.write().retain(|(t, _)| t != token);
        if let Some(key) = &self.opts.persist_key {
            page::drop_file(key, token);
        }
    }

    /// A Promise settled when the core settles the send with ClientToken `token`.
    pub fn send_promise(&self, token: &str) -> js_sys::Promise {
        let (promise, settle) = new_promise();
        if let Some((resolve, reject)) = settle {
            self.waiters.write().push((Some(token.to_owned()), resolve, reject));
        }
        promise
    }

    /// What the session does when the page changes.
    fn on_page(self: &Rc<Self>, event: PageEvent) {
        let sharing = self.opts.share_tabs;
        match event {
            // Back online: reconnect now rather than after the backoff, or check the socket.
            PageEvent::Online => self.core.write().network_online(now()),
            // Offline: check the socket now so the reconnect starts (and waits for `online`) instead of
            // sitting on a dead socket. Visible again: its socket may have died meanwhile.
            PageEvent::Offline | PageEvent::Visible => self.core.write().probe(now()),
            // Hidden: save the position, as the tab may never come back.
            PageEvent::Hidden => self.persist(),
            // Leaving (unload or the back-forward cache): save the position and close the socket and
            // timers, so nothing is left behind and the page can enter the cache (an open socket keeps it
            // out).
            PageEvent::Leaving | PageEvent::Unloading => {
                self.say_goodbye(event == PageEvent::Unloading);
                self.persist();
                self.suspend();
                self.leave_tabs();
            }
            // A tab sharing its chat lets the lock go when frozen (another takes the lead at once) and
            // joins again, as a follower, when it thaws; one on its own keeps its socket as before.
            PageEvent::Freeze if sharing => {
                self.persist();
                self.suspend();
                self.leave_tabs();
            }
            // Back from the back-forward cache: connect again; the gap is filled as after any reconnect.
            PageEvent::Restored | PageEvent::Thaw if sharing || event == PageEvent::Restored => {
                if self.tabs.read().is_none() && self.core.read().is_alive() {
                    self.join_tabs();
                }
                if let (Some(goodbye), PageEvent::Restored) = (&*self.goodbye.read(), event) {
                    goodbye.back();
                }
                self.resume();
            }
            PageEvent::Freeze | PageEvent::Thaw | PageEvent::Restored => {}
        }
    }

    /// `disconnectOnClose`, as the page goes (`gone`) or enters the back-forward cache: a page gone
    /// hands the goodbye worker its connection token (none when not connected: no goodbye).
    fn say_goodbye(&self, gone: bool) {
        if let Some(goodbye) = &*self.goodbye.read() {
            let core = self.core.read();
            goodbye.leave(core.connection_token().filter(|_| gone && core.is_alive()));
        }
    }

    /// The page is going away (or into the back-forward cache): close the socket and timers, keep the
    /// page listeners so `resume` can connect again.
    pub fn suspend(&self) {
        if self.core.write().suspend() {
            self.release_connection();
        }
    }

    /// The page is back: connect again if `suspend` closed the session.
    pub fn resume(&self) {
        self.core.write().resume(now());
    }

    /// Saves what a reload needs to resume (opt-in): the last item seen.
    pub fn persist(&self) {
        let Some(key) = &self.opts.persist_key else {
            return;
        };
        let state = self.core.read().state();
        if matches!(state, State::Ended) {
            return page::forget(key);
        }
        let last = self.core.read().last_seen_id().map(str::to_owned);
        if let Some(id) = last {
            page::save(key, &self.opts.participant_token, &id);
        }
    }

    pub fn forget_persisted(&self) {
        if let Some(key) = &self.opts.persist_key {
            page::forget(key);
        }
    }

    /// Whether calls may still go out: not after `close()` nor once the chat is over (a page in the
    /// back-forward cache is only suspended).
    pub fn alive(&self) -> bool {
        self.core.read().is_alive()
    }

    pub fn add_waiter(&self, resolve: Function, reject: Function) {
        self.waiters.write().push((None, resolve, reject));
    }

    /// Drops every socket and the timer (their handlers and closures go with them).
    fn release_connection(&self) {
        let sockets = ::core::mem::take(&mut *self.sockets.write());
        drop(sockets);
        let timer = self.timer.write().take();
        drop(timer);
    }

    /// Drops every socket, the timer and the page listeners.
    pub fn release_io(&self) {
        self.release_connection();
        let page = self.page.write().take();
        drop(page);
        self.leave_tabs();
        let goodbye = self.goodbye.write().take();
        drop(goodbye);
    }
}

/// A new Promise and the functions that settle it (resolve, reject).
#[inline(never)]
pub fn new_promise() -> (js_sys::Promise, Option<(Function, Function)>) {
    let mut settle = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    (promise, settle)
}

/// Performs every queued core action, then re-arms the timer.
pub fn pump(inner: &Rc<Inner>) {
    if inner.pumping.replace(true) {
        // The outer pump will pick up whatever this call would have done.
        return;
    }
    loop {
        let actions = inner.core.write().take_actions();
        if actions.is_empty() {
            break;
        }
        for action in actions {
            perform(inner, action);
        }
    }
    inner.pumping.set(false);
    let ended = inner.core.read().state() == State::Ended;
    // (The borrow ends with the statement, before the one below takes its own.)
    let changed = inner.core.write().take_outbox_changed();
    if let (Some(key), true) = (&inner.opts.persist_key, changed) {
        // The queue kept beside the position, for a reload; forgotten once the chat is over.
        let json = (!ended).then(|| inner.core.read().outbox_json());
        page::save_outbox(key, &inner.opts.participant_token, json.as_deref());
    }
    if ended {
        // The chat ended by itself (the agent ended it, the connection was lost for good): nothing of
        // the page's is kept for it any more.
        inner.release_io();
        return;
    }
    arm_timer(inner);
}

fn perform(inner: &Rc<Inner>, action: Action<JsValue>) {
    match action {
        Action::CreateConnection { request, credentials_only } => {
            let token = inner.opts.participant_token.clone();
            let body = api::create_connection_body(credentials_only);
            session_request(inner, api::PATH_CONNECTION, token, body, move |core, t, result| {
                core.connection_created(t, wall(), request, result.and_then(|v| read_connection(&v)))
            });
        }
        Action::FetchTranscript { request, body } => {
            let token = inner.core.read().connection_token().unwrap_or_default().to_owned();
            session_request(inner, api::PATH_TRANSCRIPT, token, body, move |core, t, result| {
                core.transcript_fetched(t, request, result.and_then(read_transcript))
            });
        }
        Action::SendEvent { content_type, content } => {
            if !inner.alive() {
                return;
            }
            let inner = inner.clone();
            super::tasks::spawn(Box::pin(async move {
                let token = requests::uuid_v4(&mut inner.rng.write());
                let body = JsValue::from_str(&requests::event_body(content_type, &content, &token));
                let result = http::api(&*inner, Method::Post, requests::PATH_EVENT, Some(body)).await;
                if let Err(e) = result {
                    inner.listeners.dispatch("error", &to_js(&e));
                }
            }));
        }
        Action::OpenSocket { socket, url } => {
            // A listener earlier in this batch may have closed the session: the socket is not wanted.
            if !inner.core.read().wants_socket(socket) {
                return;
            }
            let weak = Rc::downgrade(inner);
            let report = move |id: SocketId, event: JsValue| {
                with_inner(&weak, |inner| on_socket_event(inner, id, event));
            };
            match SocketGuard::open(socket, &url, report) {
                Ok(guard) => inner.sockets.write().push(guard),
                Err(e) => {
                    let reason = super::errors::describe(&e);
                    inner.core.write().socket_closed(now(), socket, 1006, &reason);
                }
            }
        }
        Action::Send { socket, text } => {
            if let Some(s) = inner.sockets.read().iter().find(|s| s.id == socket) {
                s.send(text);
            }
        }
        Action::CloseSocket { socket } => {
            let removed = {
                let mut sockets = inner.sockets.write();
                sockets.iter().position(|s| s.id == socket).map(|i| sockets.swap_remove(i))
            };
            drop(removed);
        }
        Action::Emit(event) => emit(inner, event),
        Action::SendQueued { request, kind: SendKind::Attachment, token, body } => {
            let inner = inner.clone();
            super::tasks::spawn(Box::pin(async move {
                let result = super::attachments::queued_upload(&inner, &token, body).await;
                inner.core.write().send_finished(now(), request, result);
                pump(&inner);
            }));
        }
        Action::SendQueued { request, kind, body, .. } => {
            let token = inner.core.read().connection_token().unwrap_or_default().to_owned();
            let path = if kind == SendKind::Event { requests::PATH_EVENT } else { requests::PATH_MESSAGE };
            session_request(inner, path, token, body, move |core, t, result| core.send_finished(t, request, result));
        }
        Action::SendSettled { token, result } => settle(inner, Some(&token), result),
        Action::ConnectSettled(result) => settle(inner, None, result.map(|()| JsValue::UNDEFINED)),
    }
}

/// Settles the Promises waiting for `token` (`connect()`'s: none) with `result`.
fn settle(inner: &Inner, token: Option<&str>, result: Result<JsValue, ChatError>) {
    // A queued send's rejection names it, for `retryPending` and `dropPending`.
    let result = result.map_err(|e| {
        let error = to_js(&e);
        if let Some(token) = token {
            set(&error, "clientToken", &JsValue::from_str(token));
        }
        error
    });
    loop {
        // In the order they were made; no borrow is held while a Promise's function runs.
        let waiter = {
            let mut waiters = inner.waiters.write();
            waiters.iter().position(|(t, _, _)| t.as_deref() == token).map(|i| waiters.remove(i))
        };
        let Some((_, resolve, reject)) = waiter else { break };
        let _ = match &result {
            Ok(v) => resolve.call1(&JsValue::UNDEFINED, v),
            Err(e) => reject.call1(&JsValue::UNDEFINED, e),
        };
    }
}

/// What the session does with the answer to one of its own requests.
type OnAnswer = Box<dyn FnOnce(&mut Session<JsValue>, Millis, Result<JsValue, ChatError>)>;

/// A request the session itself makes (CreateParticipantConnection, a gap-filling GetTranscript): one
/// attempt, whose result goes back to the core; retries are the session's business there (backoff,
/// `reconnecting` events), not the HTTP layer's. One function for both, so one state machine in the wasm.
fn session_request(
    inner: &Rc<Inner>,
    path: &str,
    token: String,
    body: String,
    on_answer: impl FnOnce(&mut Session<JsValue>, Millis, Result<JsValue, ChatError>) + 'static,
) {
    request(inner, path, token, body, Box::new(on_answer));
}

/// `session_request`'s body, compiled once rather than once per kind of answer.
#[inline(never)]
fn request(inner: &Rc<Inner>, path: &str, token: String, body: String, on_answer: OnAnswer) {
    let weak = Rc::downgrade(inner);
    let url = [inner.opts.endpoint.as_str(), path].concat();
    let timeout_ms = inner.opts.request_timeout_ms;
    super::tasks::spawn(Box::pin(async move {
        let body = Some(JsValue::from_str(&body));
        let call = Call { method: Method::Post, url: &url, token: Some(&token), body, headers: None, timeout_ms };
        let result = http::service(&call).await;
        with_inner(&weak, |inner| on_answer(&mut inner.core.write(), now(), result));
    }));
}

impl http::Caller for Inner {
    fn endpoint(&self) -> &str {
        &self.opts.endpoint
    }
    fn token(&self) -> Result<String, ChatError> {
        self.core.read().connection_token().map(str::to_owned).ok_or_else(not_connected)
    }
    fn alive(&self) -> bool {
        Inner::alive(self)
    }
    fn request_timeout_ms(&self) -> u32 {
        self.opts.request_timeout_ms
    }
    fn retry_policy(&self) -> RetryPolicy {
        self.opts.retry
    }
    fn seed(&self) -> u64 {
        self.rng.write().next_u64()
    }
    fn now(&self) -> Millis {
        now()
    }
}

/// Runs `f` on the session if it still exists, then performs what it queued.
pub fn with_inner(weak: &Weak<Inner>, f: impl FnOnce(&Rc<Inner>)) {
    if let Some(inner) = weak.upgrade() {
        f(&inner);
        pump(&inner);
    }
}

/// The socket id of frames another tab's socket received (the core numbers its own from 1).
const RELAYED: SocketId = 0;

/// What `openSocket` (`js/page.js`) reports beside `readFrame`'s numbers: the socket opened.
const OPENED: f64 = 5.0;

/// What happened on socket `id`, as `openSocket` reports it: a chat item `readFrame` has parsed, a
/// control frame or the socket's own event as a number, what is wrong with a frame as a string.
fn on_socket_event(inner: &Rc<Inner>, id: SocketId, event: JsValue) {
    // An item first, by far the most frequent: `itemFields` tells it from anything else, so it costs
    // no call into JS to ask what the value is.
    let frame = match read_item(event) {
        Ok(item) => Ok(Inbound::Chat(item)),
        Err(event) => match event.as_f64() {
            Some(code) if code == OPENED => return inner.core.write().socket_opened(now(), id),
            Some(code) if code < 0.0 => {
                let reason = page::frame_message();
                return inner.core.write().socket_closed(now(), id, (-1.0 - code) as u16, &reason);
            }
            // A control frame, as `readFrame` numbers them.
            Some(code) => Ok(match code as u8 {
                0 | 1 => Inbound::SubscribeAck { success: code == 1.0 },
                2 => Inbound::Heartbeat,
                4 => Inbound::ServiceError { message: page::frame_message() },
                _ => Inbound::Unknown { topic: String::new() },
            }),
            // What is wrong with the frame, as `readFrame` words it (an object that is no item: an array).
            None => Err(event.as_string().unwrap_or_else(|| NOT_AN_ITEM.to_owned())),
        },
    };
    if let (Some(tabs), false) = (&*inner.tabs.read(), id == RELAYED) {
        // The other tabs of the chat take our socket's frames in as theirs (only a leader has one).
        tabs.relay();
    }
    let mut core = inner.core.write();
    match frame {
        // The frame's time, from its event, only if a rule needs it (most items need none).
        Ok(frame) => core.socket_frame(&Now::lazy(frame_now), id, frame),
        Err(message) => core.socket_garbage(id, message),
    }
}

fn arm_timer(inner: &Rc<Inner>) {
    let due = inner.core.read().poll_timeout();
    let current = inner.timer.read().as_ref().map(|(at, _)| *at);
    if due == current {
        return;
    }
    let replaced = inner.timer.write().take();
    drop(replaced);
    if let Some(at) = due {
        let weak = Rc::downgrade(inner);
        let timeout = Timeout::new((at - now()) as f64, move || {
            with_inner(&weak, |inner| {
                // This timer has fired: forget it so `arm_timer` sets the next one.
                let fired = inner.timer.write().take();
                inner.core.write().handle_timeout(now());
                drop(fired);
            });
        });
        *inner.timer.write() = Some((at, timeout));
    }
}

fn emit(inner: &Rc<Inner>, event: Event<JsValue>) {
    match event {
        Event::Connected => {
            if let Some(tabs) = &*inner.tabs.read() {
                tabs.connected();
            }
            inner.listeners.dispatch("connected", &JsValue::UNDEFINED);
        }
        Event::Renewed => inner.listeners.dispatch("renewed", &JsValue::UNDEFINED),
        Event::Reconnecting { attempt, delay_ms, reason } => {
            let detail: JsValue = js_sys::Object::new().into();
            set(&detail, "attempt", &JsValue::from(attempt));
            set(&detail, "delayMs", &JsValue::from(delay_ms));
            set(&detail, "reason", &to_js(&reason));
            inner.listeners.dispatch("reconnecting", &detail);
        }
        Event::ConnectionLost { reason } => {
            let detail: JsValue = js_sys::Object::new().into();
            set(&detail, "reason", &to_js(&reason));
            inner.listeners.dispatch("connection-lost", &detail);
        }
        Event::Error(e) => inner.listeners.dispatch("error", &to_js(&e)),
        Event::Partial(so_far) => inner.listeners.dispatch("message-partial", &so_far),
        Event::GapFillFailed { reason, attempt, delay_ms, retrying } => {
            let detail: JsValue = js_sys::Object::new().into();
            set(&detail, "reason", &to_js(&reason));
            set(&detail, "attempt", &JsValue::from(attempt));
            set(&detail, "delayMs", &JsValue::from(delay_ms));
            set(&detail, "retrying", &JsValue::from(retrying));
            inner.listeners.dispatch("gap-fill-failed", &detail);
        }
        Event::SendStatus { token, status, id, error } => {
            let error = error.map(|e| to_js(&e)).unwrap_or_default();
            let detail = page::send_status(&token, status.as_str(), id.as_deref(), &error);
            inner.listeners.dispatch("send-status", &detail);
        }
        Event::GapFilled { items } => {
            let detail: JsValue = js_sys::Object::new().into();
            set(&detail, "items", &JsValue::from(items));
            inner.listeners.dispatch("gap-filled", &detail);
        }
        Event::Item(item) => inner.listeners.dispatch_item(item.kind, &item.raw),
    }
}

/// An error for a call made in a state that cannot serve it.
pub fn not_connected() -> ChatError {
    ChatError::invalid_state("not connected: call connect() first")
}
