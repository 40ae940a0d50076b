//! Percent-encoding for the URLs and headers the emulator builds, by the `percent-encoding` crate: only
//! the sets of characters left as they are are the emulator's.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What a URL query value may hold as it is: RFC 3986 unreserved (alphanumerics and `-_.~`).
pub const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// What an RFC 5987 `filename*` value may hold as it is: attr-char (alphanumerics and ``!#$&+-.^_`|~``).
pub const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// `s` as UTF-8 with every byte outside `keep` written as `%XX`.
pub fn percent_encode(s: &str, keep: &'static AsciiSet) -> String {
    utf8_percent_encode(s, keep).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_what_it_must() {
        assert_eq!(percent_encode("a b/é~", UNRESERVED), "a%20b%2F%C3%A9~");
        assert_eq!(percent_encode("report é.pdf", ATTR_CHAR), "report%20%C3%A9.pdf");
        assert_eq!(percent_encode("a=1&b?c#d", UNRESERVED), "a%3D1%26b%3Fc%23d");
        assert_eq!(percent_encode("x\"y;z'\r\n!#$&+^`|~", ATTR_CHAR), "x%22y%3Bz%27%0D%0A!#$&+^`|~");
    }

    /// Every byte but the kept ones is encoded: the sets are exactly the RFC's.
    #[test]
    fn the_sets_are_the_rfcs() {
        for b in 0u8..128 {
            let s = char::from(b).to_string();
            let unreserved = b.is_ascii_alphanumeric() || b"-_.~".contains(&b);
            let attr_char = b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b);
            assert_eq!(percent_encode(&s, UNRESERVED) == s, unreserved, "{b}");
            assert_eq!(percent_encode(&s, ATTR_CHAR) == s, attr_char, "{b}");
        }
    }
}
