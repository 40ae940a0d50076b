//! How many WebSockets one participant may have open at once: "Open websocket connections per
//! participant: 5" in the Feature specifications of "Amazon Connect service quotas", Amazon Connect
//! Administrator Guide (https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html#feature-limits;
//! CreateParticipantConnection's page points there for "the allowed number of open websocket connections
//! per participant"). The guide does not say how a socket past the limit is refused; the emulator refuses
//! its handshake with ServiceQuotaExceededException (the Participant Service's error for a quota), so a
//! browser sees the socket fail to open and a Node client sees why. `--max-sockets-per-participant`
//! sets the number (0: no limit).

use crate::errors::{ApiError, ApiResult};
use crate::state::Contact;

/// The service's number.
pub const DEFAULT: usize = 5;

/// Whether `participant` may open one more socket on `contact`, with `limit` open at most (0: any number).
/// A socket counts from its handshake until it is gone (its queue closed).
pub fn check(contact: &Contact, participant: &str, limit: usize) -> ApiResult<()> {
    if limit == 0 {
        return Ok(());
    }
    let open = contact.sockets.iter().filter(|s| s.participant == participant && !s.outbox.is_closed()).count();
    if open >= limit {
        return Err(ApiError::quota(format!(
            "the participant already has {open} open WebSocket connections, the most allowed ({limit})"
        )));
    }
    Ok(())
}
