//! ISO 8601 timestamps as the service writes them (`2019-11-08T02:41:28.172Z`), converted to and from
//! milliseconds since the Unix epoch. Hand-written instead of `chrono`/`time` because the wasm size is a
//! headline figure and we need exactly two conversions.

use crate::prelude::*;

/// Milliseconds since the Unix epoch: the unit of every clock reading and deadline in the core.
pub type Millis = i64;

/// When an input came, read only if a rule needs it: a socket's item is most often taken in without
/// one (no ordering window, no receipt batch to begin), and the browser's clock, read for every frame,
/// was 4 to 7% of an item's cost. Read once, the same after.
pub struct Now {
    /// The time read, or `UNREAD` (no clock reads `Millis::MIN`, the first millisecond of 292
    /// million years BC; as an `Option` it cost 35 bytes of gzip more).
    at: ::core::cell::Cell<Millis>,
    clock: fn() -> Millis,
}

const UNREAD: Millis = Millis::MIN;

impl Now {
    /// `t`, known already.
    pub fn at(t: Millis) -> Self {
        Now { at: ::core::cell::Cell::new(t), clock: || UNREAD }
    }

    /// What `clock` says when first asked.
    pub fn lazy(clock: fn() -> Millis) -> Self {
        Now { at: ::core::cell::Cell::new(UNREAD), clock }
    }

    // Not inlined: asked at a few places, and seldom (inlined, it made the wasm 186 bytes larger).
    #[inline(never)]
    pub fn get(&self) -> Millis {
        if self.at.get() == UNREAD {
            self.at.set((self.clock)());
        }
        self.at.get()
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff...](Z|±HH:MM)`. Returns `None` for anything else, including
/// out-of-range fields, so a garbage timestamp from the wire can never panic or produce nonsense.
pub fn parse_iso8601(s: &str) -> Option<Millis> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            // Only the first three fraction digits matter; the rest are read and dropped.
            if i - start < 3 {
                millis = millis * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return None;
        }
        for _ in n..3 {
            millis *= 10;
        }
    }
    let offset_minutes = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
            let h = digits(b, i + 1, 2)?;
            let m = digits(b, i + 4, 2)?;
            if h > 23 || m > 59 {
                return None;
            }
            let total = h * 60 + m;
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(secs * 1000 + millis)
}

/// Formats as `YYYY-MM-DDTHH:MM:SS.mmmZ`, the service's own format.
pub fn format_iso8601(ms: Millis) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(24);
    push_padded(&mut out, y, 4);
    out.push('-');
    push_padded(&mut out, m, 2);
    out.push('-');
    push_padded(&mut out, d, 2);
    out.push('T');
    push_padded(&mut out, rem / 3600, 2);
    out.push(':');
    push_padded(&mut out, rem % 3600 / 60, 2);
    out.push(':');
    push_padded(&mut out, rem % 60, 2);
    out.push('.');
    push_padded(&mut out, millis, 3);
    out.push('Z');
    out
}

fn push_padded(out: &mut String, value: i64, width: usize) {
    // Integer formatting by hand keeps `core::fmt` number machinery out of the wasm.
    let mut buf = [b'0'; 20];
    let mut v = value.unsigned_abs();
    let mut n = 0;
    while v > 0 || n == 0 {
        buf[n] = b'0' + (v % 10) as u8;
        v /= 10;
        n += 1;
    }
    if value < 0 {
        out.push('-');
    }
    for _ in n..width {
        out.push('0');
    }
    for i in (0..n).rev() {
        out.push(char::from(buf[i]));
    }
}

fn digits(b: &[u8], start: usize, len: usize) -> Option<i64> {
    let mut v = 0i64;
    for &c in b.get(start..start + len)? {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (era-based arithmetic, valid for any year).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_service_format() {
        assert_eq!(parse_iso8601("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(parse_iso8601("2019-11-08T02:41:28.172Z"), Some(1_573_180_888_172));
        assert_eq!(parse_iso8601("2019-11-08T02:41:28Z"), Some(1_573_180_888_000));
        assert_eq!(parse_iso8601("2019-11-08T02:41:28.1Z"), Some(1_573_180_888_100));
        assert_eq!(parse_iso8601("2019-11-08T02:41:28.172999Z"), Some(1_573_180_888_172));
        assert_eq!(parse_iso8601("2019-11-08T03:41:28.172+01:00"), Some(1_573_180_888_172));
        assert_eq!(parse_iso8601("2024-02-29T00:00:00Z"), Some(1_709_164_800_000));
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "garbage",
            "2019-11-08",
            "2019-13-08T02:41:28Z",
            "2019-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2019-11-08T24:00:00Z",
            "2019-11-08T02:41:28.Z",
            "2019-11-08T02:41:28.172",
            "2019-11-08T02:41:28.172Zjunk",
            "2019-11-08T02:41:28+0100",
            "２０１９-11-08T02:41:28Z",
            "2019-11-08T02:4a:28Z",
            "-019-11-08T02:41:28Z",
        ] {
            assert_eq!(parse_iso8601(s), None, "{s}");
        }
    }

    #[test]
    fn formats_and_round_trips() {
        assert_eq!(format_iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_iso8601(1_573_180_888_172), "2019-11-08T02:41:28.172Z");
        for ms in [0, 1, 999, 86_399_999, 951_782_400_000, 1_709_164_800_123, 4_102_444_800_000] {
            assert_eq!(parse_iso8601(&format_iso8601(ms)), Some(ms));
        }
    }
}
