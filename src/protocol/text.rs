//! Building messages without `core::fmt`: the formatting machinery is several kilobytes of the shipped
//! wasm, and a few concatenations and a decimal writer do everything the messages need.

use crate::prelude::*;

/// `n` in decimal.
pub fn num(n: u64) -> String {
    // From the largest power of ten not above `n`, digit by digit into the string: no indexing (no
    // bounds check, so no panic path in the wasm) and no reversed iterator (its collection code).
    let mut p: u64 = 1;
    while n / p >= 10 {
        p *= 10;
    }
    let mut s = String::with_capacity(20);
    loop {
        s.push(char::from(b'0' + (n / p % 10) as u8));
        if p == 1 {
            return s;
        }
        p /= 10;
    }
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

/// `s` up to the first of the ASCII bytes `stops` (all of it when none occurs). Byte searches like this
/// one replace `str::split` with char patterns, whose searcher machinery costs a kilobyte of wasm.
// `stops.contains` would bring in the byte-slice `memchr` specialisation, a few hundred bytes of wasm for
// searches of one or three bytes.
#[allow(clippy::manual_contains)]
pub fn before<'a>(s: &'a str, stops: &[u8]) -> &'a str {
    let end = s.bytes().position(|b| stops.iter().any(|&stop| stop == b)).unwrap_or(s.len());
    // An ASCII byte is always a character boundary.
    s.get(..end).unwrap_or(s)
}

/// What follows the last ASCII byte `sep` of `s`, if it occurs.
pub fn after_last(s: &str, sep: u8) -> Option<&str> {
    let at = s.bytes().rposition(|b| b == sep)?;
    s.get(at + 1..)
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
