//! The library's own small executor: background tasks, Promises for the async methods, and awaiting a JS
//! Promise. Everything the library awaits is a JS Promise (fetch, a body, a timer), so a task only ever
//! needs to run again when one of those settles, and that is when it is polled: from the Promise's
//! callback, with nothing of ours on the stack.
//!
//! wasm-bindgen-futures does the same job in general (any waker, a run queue, JSPI stacks), for 1.6 KB
//! more of the shipped gzip size; this is the part the library uses. The browser tests still use
//! wasm-bindgen-futures.

use ::core::cell::{Cell, RefCell};
use ::core::future::Future;
use ::core::pin::Pin;
use ::core::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
use alloc::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::errors::to_js;
use super::Callback;
use crate::core::error::ChatError;
use crate::prelude::*;

pub type Task<T> = Pin<Box<dyn Future<Output = T>>>;

/// A spawned future and its run state.
struct Runner {
    future: RefCell<Option<Task<()>>>,
    /// Set while the future is being polled, so a wake from inside the poll re-polls instead of
    /// re-entering it.
    polling: Cell<bool>,
    woken: Cell<bool>,
}

impl Runner {
    fn run(self: &Rc<Self>) {
        self.woken.set(true);
        if self.polling.replace(true) {
            return;
        }
        let waker = waker(self.clone());
        let mut cx = Context::from_waker(&waker);
        while self.woken.replace(false) {
            let mut slot = self.future.borrow_mut();
            let done = match slot.as_mut() {
                Some(f) => f.as_mut().poll(&mut cx).is_ready(),
                None => break,
            };
            // A finished future is dropped at once (and outside the borrow): it holds the session alive.
            let finished = if done { slot.take() } else { None };
            drop(slot);
            drop(finished);
        }
        self.polling.set(false);
    }
}

// The waker is an `Rc<Runner>` (its pointer is the waker's data). wasm32-unknown-unknown runs one
// thread, so the `Send`/`Sync` a `Waker` promises is never exercised.
// SAFETY (all four): `p` came from `Rc::into_raw` in `waker` or `clone_waker`, and the waker being
// cloned, woken or dropped still owns its count; `wake` and `drop` consume that count, `wake_by_ref`
// leaves it.
static VTABLE: RawWakerVTable = RawWakerVTable::new(clone_waker, wake, wake_by_ref, drop_waker);

unsafe fn clone_waker(p: *const ()) -> RawWaker {
    unsafe { Rc::increment_strong_count(p as *const Runner) };
    RawWaker::new(p, &VTABLE)
}

unsafe fn wake(p: *const ()) {
    unsafe { Rc::from_raw(p as *const Runner) }.run();
}

unsafe fn wake_by_ref(p: *const ()) {
    let runner = ::core::mem::ManuallyDrop::new(unsafe { Rc::from_raw(p as *const Runner) });
    runner.run();
}

unsafe fn drop_waker(p: *const ()) {
    drop(unsafe { Rc::from_raw(p as *const Runner) });
}

fn waker(runner: Rc<Runner>) -> Waker {
    // SAFETY: the vtable's functions keep the `Rc` count balanced (see above).
    unsafe { Waker::from_raw(RawWaker::new(Rc::into_raw(runner) as *const (), &VTABLE)) }
}

/// Runs `task` in the background. Its first poll comes in a microtask, never inside the caller (which
/// may hold a borrow the task takes).
pub fn spawn(task: Task<()>) {
    let started = settled(Promise::resolve(&JsValue::UNDEFINED));
    let runner = Rc::new(Runner {
        future: RefCell::new(Some(Box::pin(async move {
            let _ = started.await;
            task.await;
        }))),
        polling: Cell::new(false),
        woken: Cell::new(false),
    });
    runner.run();
}

/// A Promise settled by `task`: its value, or its `ChatError` as a JS `Error`.
pub fn promise(task: Task<Result<JsValue, ChatError>>) -> Promise {
    let mut settle: Option<(Function, Function)> = None;
    let promise = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    if let Some((resolve, reject)) = settle {
        spawn(Box::pin(async move {
            let _ = match task.await {
                Ok(v) => resolve.call1(&JsValue::UNDEFINED, &v),
                Err(e) => reject.call1(&JsValue::UNDEFINED, &to_js(&e)),
            };
        }));
    }
    promise
}

/// A Promise for `task`, boxing it here so call sites stay short.
pub fn run(task: impl Future<Output = Result<JsValue, ChatError>> + 'static) -> Promise {
    promise(Box::pin(task))
}

/// What a Promise settled with, and who waits for it.
#[derive(Default)]
struct Slot {
    result: Option<Result<JsValue, JsValue>>,
    waker: Option<Waker>,
}

/// `promise`, awaited: its value, or what it was rejected with.
pub struct Settled {
    slot: Rc<RefCell<Slot>>,
    /// The `then` callbacks; dropped with the future (after the Promise settled, or with its task).
    _callbacks: [Callback; 2],
}

pub fn settled(promise: Promise) -> Settled {
    let slot = Rc::new(RefCell::new(Slot::default()));
    let on = |ok: bool| {
        let slot = slot.clone();
        Callback::new(move |v: JsValue| {
            let waker = {
                let mut s = slot.borrow_mut();
                s.result = Some(if ok { Ok(v) } else { Err(v) });
                s.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        })
    };
    let callbacks = [on(true), on(false)];
    let _ = promise.then2(&callbacks[0], &callbacks[1]);
    Settled { slot, _callbacks: callbacks }
}

impl Future for Settled {
    type Output = Result<JsValue, JsValue>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut s = self.slot.borrow_mut();
        match s.result.take() {
            Some(r) => Poll::Ready(r),
            None => {
                s.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
