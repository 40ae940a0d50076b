//! The browser shell: carries out what the core asks (fetch, WebSocket, timers) and turns core events
//! into JS events. Everything here is thin on purpose; the rules live in `crate::core`.

mod attachments;
mod calls;
mod cells;
mod chat_session;
mod driver;
mod errors;
mod http;
mod js_json;
mod listeners;
mod options;
mod page;
mod socket;
mod tasks;
mod timer;
mod typescript;

pub use chat_session::ChatSession;

/// The one signature of every callback the shell hands to JS (socket handlers, the page listener, timers,
/// Promise callbacks): closures of one signature share one trampoline in the wasm and the glue, so a
/// callback that needs no argument takes the `JsValue` anyway.
type Callback = wasm_bindgen::closure::Closure<dyn FnMut(wasm_bindgen::JsValue)>;
