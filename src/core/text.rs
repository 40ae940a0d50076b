//! Building messages without `core::fmt`: the formatting machinery is several kilobytes of the shipped
//! wasm, and a few concatenations and a decimal writer do everything the messages need.

use crate::prelude::*;

/// `n` in decimal.
pub fn num(n: u64) -> String {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf[i..].iter().map(|&b| char::from(b)).collect()
}

/// The number of characters (Unicode scalar values) of `s`, counted from its UTF-8 lead bytes.
pub fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| (b & 0xC0) != 0x80).count()
}

/// At most the first `max` bytes of `s`, cut at a character boundary, with `…` when cut.
pub fn preview(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut cut = max;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    [s.get(..cut).unwrap_or(""), "…"].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_counts_and_previews() {
        for n in [0u64, 7, 10, 4096, u64::MAX] {
            assert_eq!(num(n), n.to_string());
        }
        for s in ["", "abc", "é", "日本語", "🎉x"] {
            assert_eq!(char_count(s), s.chars().count());
        }
        assert_eq!(preview("short", 80), "short");
        assert_eq!(preview("abcdef", 3), "abc…");
        assert_eq!(preview("ééé", 3), "é…", "never cuts a character in half");
    }
}
