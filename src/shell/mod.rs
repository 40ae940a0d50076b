//! The browser shell: carries out what the core asks (fetch, WebSocket, timers) and turns core events
//! into JS events. Everything here is thin on purpose; the rules live in `crate::core`.

mod attachments;
mod calls;
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
