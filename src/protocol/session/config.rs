//! The session's timing rules and limits, with the service's and chatjs's defaults.

use super::super::backoff::Backoff;

/// Timing rules. The defaults follow the service and chatjs (10 s heartbeat, 1 s subscribe resend
/// three times, 500 ms retry after a refused subscription five times).
#[derive(Debug, Clone)]
pub struct Config {
    pub heartbeat_interval_ms: u32,
    pub subscribe_ack_timeout_ms: u32,
    pub subscribe_sends: u32,
    pub subscribe_failure_retry_ms: u32,
    pub subscribe_failures: u32,
    /// A socket that has not opened by then is given up.
    pub open_timeout_ms: u32,
    /// An API call that has not answered by then counts as a `TimeoutError`.
    pub request_timeout_ms: u32,
    /// Lifetime assumed for a URL whose `ConnectionExpiry` is missing, unreadable or already past
    /// (a client clock set wrong must not cause a renewal storm). The service documents 100 s.
    pub default_url_ttl_ms: u32,
    /// Likewise for the ConnectionToken (the service documents one day).
    pub default_token_ttl_ms: u32,
    /// Renewal starts this long before expiry at most (a third of the lifetime for short lifetimes).
    pub max_renew_lead_ms: u32,
    /// Renewals come no closer than this. When a URL's lifetime looks shorter than the floor (a client
    /// clock far ahead of the service's makes every expiry look imminent), the floor doubles for the next
    /// one, up to a third of `default_url_ttl_ms`.
    pub min_renew_interval_ms: u32,
    /// How long a socket a renewal replaced may take to echo the heartbeat that closes it (see the module
    /// doc) before the gap is filled instead.
    pub barrier_timeout_ms: u32,
    /// Delays between reconnect attempts.
    pub reconnect: Backoff,
    /// Attempts `connect()` makes on retryable failures before it rejects.
    pub connect_attempts: u32,
    /// A gap fill refused this many times in a row (a 4xx, not worth retrying) is given up and reported.
    /// Retryable failures are retried for as long as the session lives.
    pub gap_fill_attempts: u32,
    /// A gap fill ends after this many pages (a service that never stops giving more).
    pub max_gap_pages: u32,
    /// Live items held behind a gap fill: beyond this many (or after `gap_hold_ms`) they are released.
    pub max_held_items: usize,
    pub gap_hold_ms: u32,
    /// Whether to fill gaps after reconnects with GetTranscript.
    pub gap_fill: bool,
    /// How many recent item Ids are remembered to drop duplicates.
    pub dedup_window: usize,
    /// Send a delivered receipt for every incoming message from someone else.
    pub auto_delivered_receipts: bool,
    /// Receipts are sent in batches this long after the first is queued.
    pub receipt_batch_ms: u32,
    /// At most one typing event per this many ms.
    pub typing_interval_ms: u32,
    /// How long a probe heartbeat (see [`Session::probe`]) may go unanswered.
    pub probe_timeout_ms: u32,
    /// Items are held this long and released in `AbsoluteTime` order, so items the service sends out of
    /// order reach the page in order (at the cost of this much latency). 0 delivers on arrival.
    pub order_window_ms: u32,
    /// A streamed reply with no chunk for this long is overdue: its completion is looked for in the
    /// transcript, and failing that it is delivered as it stands (see `stream`).
    pub stream_timeout_ms: u32,
    /// Delays between attempts of one queued send (the outbox) while connected; the next connection
    /// ends a delay at once.
    pub send_backoff: Backoff,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            heartbeat_interval_ms: 10_000,
            subscribe_ack_timeout_ms: 1_000,
            subscribe_sends: 3,
            subscribe_failure_retry_ms: 500,
            subscribe_failures: 5,
            open_timeout_ms: 10_000,
            request_timeout_ms: 15_000,
            default_url_ttl_ms: 100_000,
            default_token_ttl_ms: 86_400_000,
            max_renew_lead_ms: 30_000,
            min_renew_interval_ms: 1_000,
            barrier_timeout_ms: 5_000,
            reconnect: Backoff { initial_ms: 250, max_ms: 30_000 },
            connect_attempts: 4,
            gap_fill_attempts: 5,
            max_gap_pages: 500,
            max_held_items: 10_000,
            gap_hold_ms: 30_000,
            gap_fill: true,
            dedup_window: 4096,
            auto_delivered_receipts: false,
            receipt_batch_ms: 500,
            typing_interval_ms: 10_000,
            probe_timeout_ms: 3_000,
            order_window_ms: 0,
            stream_timeout_ms: 30_000,
            send_backoff: super::SEND_BACKOFF,
        }
    }
}
