//! Wall-clock time in the service's format (`2026-12-01T12:03:19.448Z`), by humantime: the emulator
//! keeps its own time code so that a client's mistake in reading timestamps is not agreed with.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

pub fn now_ms() -> Millis {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as Millis).unwrap_or(0)
}

/// The service's timestamp of `ms` (times before 1970 are clamped to it).
pub fn iso(ms: Millis) -> String {
    let at = UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(at).to_string()
}

/// Reads a timestamp as the service accepts them (`StartPosition.AbsoluteTime`): RFC 3339 in UTC,
/// with or without fractional seconds.
pub fn parse_iso8601(text: &str) -> Option<Millis> {
    let at = humantime::parse_rfc3339(text).ok()?;
    at.duration_since(UNIX_EPOCH).ok().map(|d| d.as_millis() as Millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_service_format() {
        assert_eq!(iso(1_796_126_599_448), "2026-12-01T12:03:19.448Z");
        assert_eq!(parse_iso8601("2026-12-01T12:03:19.448Z"), Some(1_796_126_599_448));
        assert_eq!(parse_iso8601("2026-12-01T12:03:19Z"), Some(1_796_126_599_000));
        assert_eq!(parse_iso8601("yesterday"), None);
        assert_eq!(parse_iso8601("2026-13-01T00:00:00Z"), None);
    }
}
