use super::*;

#[test]
fn numbers_and_previews() {
    for n in [0u64, 7, 9, 10, 99, 100, 4096, 9_999_999_999_999_999_999, 10_000_000_000_000_000_000, u64::MAX] {
        assert_eq!(num(n), n.to_string());
    }
    assert_eq!(preview("short", 80), "short");
    assert_eq!(preview("abcdef", 3), "abc…");
    assert_eq!(preview("ééé", 3), "é…", "never cuts a character in half");
}

#[test]
fn byte_searches() {
    assert_eq!(before("host:443/path", b":/"), "host");
    assert_eq!(before("no-stop", b"/?#"), "no-stop");
    assert_eq!(before("", b":"), "");
    assert_eq!(before("é;x", b";"), "é");
    assert_eq!(after_last("archive.tar.gz", b'.'), Some("gz"));
    assert_eq!(after_last("trailing.", b'.'), Some(""));
    assert_eq!(after_last("none", b'.'), None);
    assert_eq!(after_last("ns#Name", b'#'), Some("Name"));
}
