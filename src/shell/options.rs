//! `new ChatSession(options)`: reading and checking the plain options object.

use wasm_bindgen::prelude::*;

use crate::prelude::*;
use crate::protocol::error::ChatError;
use crate::protocol::json::JsonValue;
use crate::protocol::retry::RetryPolicy;
use crate::protocol::session::Config;

pub struct Options {
    pub participant_token: String,
    /// Base URL of the Participant Service, without a trailing slash.
    pub endpoint: String,
    pub participant_id: Option<String>,
    pub config: Config,
    pub retry: RetryPolicy,
    pub request_timeout_ms: u32,
    /// `sessionStorage` key under which the session keeps what a reload needs, when persistence is on.
    pub persist_key: Option<String>,
    /// `shareAcrossTabs`: the tabs of this chat share one socket (needs `persist_key`).
    pub share_tabs: bool,
    /// Sends made while not connected wait in the outbox (default) rather than fail.
    pub outbox: bool,
    /// `disconnectOnClose`: the goodbye worker's URL (`js/page.js`, "a clean goodbye").
    pub goodbye_worker: Option<String>,
}

impl Options {
    /// Reads `new ChatSession(options)`: `js/arguments.js` checks the object and normalises it; a wrong
    /// option is an `InvalidArgument`.
    pub fn from_js(v: &JsValue) -> Result<Options, ChatError> {
        let o = read_options(v).map_err(|thrown| ChatError::invalid_argument(super::errors::describe(&thrown)))?;
        let mut settings =
            Settings { config: Config::default(), retry: RetryPolicy::default(), request_timeout_ms: 15_000 };
        if let Some(b) = o.field("fillGaps").and_then(|b| b.as_bool()) {
            settings.config.gap_fill = b;
        }
        if let Some(b) = o.field("autoDeliveredReceipts").and_then(|b| b.as_bool()) {
            settings.config.auto_delivered_receipts = b;
        }
        let numbers = o.field("numbers").and_then(|n| n.elements()).unwrap_or_default();
        for (apply, n) in NUMBERS.iter().zip(numbers) {
            if let Some(n) = n.as_number() {
                apply(&mut settings, n as u32);
            }
        }
        let Settings { mut config, retry, request_timeout_ms } = settings;
        config.request_timeout_ms = request_timeout_ms;
        config.send_backoff = retry.backoff;
        Ok(Options {
            participant_token: o.str_field("participantToken").unwrap_or_default(),
            endpoint: o.str_field("endpoint").unwrap_or_default(),
            participant_id: o.str_field("participantId"),
            config,
            retry,
            request_timeout_ms,
            persist_key: o.str_field("persistKey"),
            share_tabs: o.field("shareAcrossTabs").and_then(|b| b.as_bool()) == Some(true),
            outbox: o.field("outbox").and_then(|b| b.as_bool()) != Some(false),
            goodbye_worker: o.str_field("disconnectOnClose"),
        })
    }
}

#[wasm_bindgen(module = "/src/shell/js/arguments.js")]
extern "C" {
    #[wasm_bindgen(js_name = readOptions, catch)]
    fn read_options(options: &JsValue) -> Result<JsValue, JsValue>;
}

/// What the numeric options set, while they are read.
struct Settings {
    config: Config,
    retry: RetryPolicy,
    request_timeout_ms: u32,
}

/// What each numeric option sets, in the order `js/arguments.js` lists them (`NUMBERS` there): a table
/// read by one loop, where the same lines written out per option cost kilobytes of the shipped wasm.
type Setter = fn(&mut Settings, u32);
static NUMBERS: [Setter; 12] = [
    |s, ms| s.config.receipt_batch_ms = ms,
    |s, ms| s.config.typing_interval_ms = ms,
    |s, ms| s.config.order_window_ms = ms,
    |s, ms| s.config.stream_timeout_ms = ms.max(1_000),
    |s, ms| s.config.heartbeat_interval_ms = ms.max(1_000),
    |s, ms| s.request_timeout_ms = ms.max(1),
    |s, ms| s.config.reconnect.initial_ms = ms,
    |s, ms| s.config.reconnect.max_ms = ms,
    |s, n| s.retry.max_attempts = n.max(1),
    |s, ms| s.retry.backoff.initial_ms = ms,
    |s, ms| s.retry.backoff.max_ms = ms,
    |s, ms| s.retry.deadline_ms = ms,
];
