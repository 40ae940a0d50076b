//! Percent-encoding, for the URLs and headers the emulator builds.

/// Characters a URL query value may hold as they are (RFC 3986 unreserved).
pub const UNRESERVED: &[u8] = b"-_.~";
/// Characters an RFC 5987 `filename*` value may hold as they are (attr-char).
pub const ATTR_CHAR: &[u8] = b"!#$&+-.^_`|~";

/// `s` with every byte that is neither alphanumeric nor in `keep` written as `%XX`.
pub fn percent_encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_what_it_must() {
        assert_eq!(percent_encode("a b/é~", UNRESERVED), "a%20b%2F%C3%A9~");
        assert_eq!(percent_encode("report é.pdf", ATTR_CHAR), "report%20%C3%A9.pdf");
    }
}
