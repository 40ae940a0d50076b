//! Signatures of the pre-signed attachment URLs, as S3 signs the ones the real service hands out: the
//! URL carries its expiry time and an HMAC over what it grants, so editing the expiry (or the attachment,
//! or the disposition) breaks the signature. Uploads and downloads are signed with different keys, so
//! the signature of one never opens the other.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::errors::ApiError;
use crate::time::Millis;

type HmacSha1 = Hmac<Sha1>;

/// What a URL grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// `PUT /emulator/uploads/{id}`
    Upload,
    /// `GET /emulator/attachments/{id}`
    Download,
}

/// The emulator's signing keys, random for each run (URLs do not outlive the emulator's memory anyway).
pub struct Signer {
    upload: Key,
    download: Key,
}

/// SHA-1's block size, HMAC's natural key length.
type Key = [u8; 64];

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer { .. }")
    }
}

impl Default for Signer {
    fn default() -> Self {
        Signer { upload: random_key(), download: random_key() }
    }
}

/// Random bytes from the OS generator that `uuid` v4 draws on (122 random bits per UUID).
fn random_key() -> Key {
    let mut key = [0; 64];
    for part in key.chunks_mut(16) {
        part.copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    key
}

impl Signer {
    /// The `sig` of a URL granting `grant` on attachment `id` until `expires` (Unix seconds); `detail`
    /// is whatever else the URL fixes (the download's disposition).
    pub fn sign(&self, grant: Grant, id: &str, expires: u64, detail: &str) -> String {
        hex(&self.mac(grant, id, expires, detail).finalize().into_bytes())
    }

    /// Checks a URL's `sig` and `expires` (both as found in its query) at `now`: a forged or edited URL is
    /// refused as S3 refuses it ("SignatureDoesNotMatch"), then an expired one ("Request has expired").
    pub fn verify(
        &self,
        grant: Grant,
        id: &str,
        expires: Option<&str>,
        detail: &str,
        sig: Option<&str>,
        now: Millis,
    ) -> Result<(), ApiError> {
        let forged = || ApiError::access_denied("the URL's signature does not match (SignatureDoesNotMatch)");
        let expires: u64 = expires.and_then(|e| e.parse().ok()).ok_or_else(forged)?;
        let sig = sig.and_then(unhex).ok_or_else(forged)?;
        // `verify_slice` compares in constant time.
        self.mac(grant, id, expires, detail).verify_slice(&sig).map_err(|_| forged())?;
        if u128::from(expires) * 1000 <= u128::try_from(now).unwrap_or(0) {
            return Err(ApiError::access_denied("Request has expired"));
        }
        Ok(())
    }

    fn mac(&self, grant: Grant, id: &str, expires: u64, detail: &str) -> HmacSha1 {
        let (key, verb) = match grant {
            Grant::Upload => (&self.upload, "PUT"),
            Grant::Download => (&self.download, "GET"),
        };
        let mut mac = <HmacSha1 as KeyInit>::new(&(*key).into());
        // Lengths before the fields: no two different grants serialize to the same bytes.
        for field in [verb, id, &expires.to_string(), detail] {
            mac.update(&(field.len() as u64).to_be_bytes());
            mac.update(field.as_bytes());
        }
        mac
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_bind_everything_they_grant() {
        let s = Signer::default();
        let sig = s.sign(Grant::Download, "a", 100, "inline");
        let check = |grant, id, expires: &str, detail, sig: &str, now| {
            s.verify(grant, id, Some(expires), detail, Some(sig), now).map_err(|e| e.message)
        };
        assert_eq!(check(Grant::Download, "a", "100", "inline", &sig, 99_999), Ok(()));
        assert_eq!(check(Grant::Download, "a", "100", "inline", &sig, 100_000), Err("Request has expired".into()));
        for (grant, id, expires, detail) in [
            (Grant::Upload, "a", "100", "inline"),
            (Grant::Download, "b", "100", "inline"),
            (Grant::Download, "a", "101", "inline"),
            (Grant::Download, "a", "100", "attachment"),
        ] {
            assert!(check(grant, id, expires, detail, &sig, 0).unwrap_err().contains("signature"));
        }
        assert!(check(Grant::Download, "a", "100", "inline", "zz", 0).is_err());
        assert!(s.verify(Grant::Download, "a", None, "inline", Some(&sig), 0).is_err());
        assert_ne!(Signer::default().sign(Grant::Download, "a", 100, "inline"), sig, "keys are random");
    }
}
