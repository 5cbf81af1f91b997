//! The `CE` helper library's host side: hashes, HMACs and encodings, byte-identical to Node.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use rand::Rng;
use sha1::Sha1;
use sha2::{Sha256, Sha512};

/// A digest algorithm or output encoding that Node would reject.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CryptoError {
    #[error("Invalid digest: {0} (use sha1, sha256, sha512 or md5)")]
    Digest(String),
    #[error("Unknown encoding: {0} (use hex, base64, base64url or latin1)")]
    Encoding(String),
}

/// Lower-case hex MD5 of the string's UTF-8 bytes, as `CE.md5` returns it.
pub fn md5_hex(text: &str) -> String {
    hex::encode(Md5::digest(text.as_bytes()))
}

/// Base64 of the string's UTF-8 bytes (`Buffer.from(s).toString('base64')`).
pub fn b64(text: &str) -> String {
    STANDARD.encode(text.as_bytes())
}

/// Decode base64 (standard or URL-safe, padding optional) to UTF-8 text exactly as Node's
/// `Buffer.from(s, 'base64').toString()` does: characters outside both alphabets are
/// skipped, decoding stops at the first `=`, leftover bits are dropped, and invalid UTF-8
/// becomes U+FFFD — so a hook never fails on a sloppy vendor value.
pub fn decode64(text: &str) -> String {
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars() {
        let value = match c {
            'A'..='Z' => u32::from(c) - u32::from('A'),
            'a'..='z' => u32::from(c) - u32::from('a') + 26,
            '0'..='9' => u32::from(c) - u32::from('0') + 52,
            '+' | '-' => 62,
            '/' | '_' => 63,
            '=' => break,
            _ => continue,
        };
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// HMAC of `data` keyed by `secret` (both UTF-8, as Node's string arguments), encoded as asked.
pub fn hmac(algo: &str, encoding: &str, secret: &str, data: &str) -> Result<String, CryptoError> {
    let mac = hmac_bytes(algo, secret.as_bytes(), data.as_bytes())?;
    encode(&mac, encoding)
}

/// Raw HMAC bytes for a Node algorithm name.
pub fn hmac_bytes(algo: &str, key: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
        // KeyInit for HMAC accepts keys of any length, so this cannot fail.
        match <M as hmac::digest::KeyInit>::new_from_slice(key) {
            Ok(mut mac) => {
                mac.update(data);
                mac.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    }
    Ok(match algo.to_ascii_lowercase().as_str() {
        "sha1" => run::<Hmac<Sha1>>(key, data),
        "sha256" => run::<Hmac<Sha256>>(key, data),
        "sha512" => run::<Hmac<Sha512>>(key, data),
        "md5" => run::<Hmac<Md5>>(key, data),
        _ => return Err(CryptoError::Digest(algo.to_string())),
    })
}

/// Encode bytes with one of Node's `digest()` string encodings.
pub fn encode(bytes: &[u8], encoding: &str) -> Result<String, CryptoError> {
    Ok(match encoding.to_ascii_lowercase().as_str() {
        "hex" => hex::encode(bytes),
        "base64" => STANDARD.encode(bytes),
        "base64url" => URL_SAFE_NO_PAD.encode(bytes),
        "latin1" | "binary" => bytes.iter().map(|&b| char::from(b)).collect(),
        _ => return Err(CryptoError::Encoding(encoding.to_string())),
    })
}

/// Ten random alphanumerics, as `CE.randomString()` documents.
pub fn random_string() -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| char::from(CHARS[rng.random_range(0..CHARS.len())]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_matches_the_rfc_vector() {
        assert_eq!(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    }

    #[test]
    fn hmac_sha256_matches_rfc4231_case_2() {
        let mac = hmac("sha256", "hex", "Jefe", "what do ya want for nothing?");
        assert_eq!(
            mac.as_deref(),
            Ok("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        );
    }

    #[test]
    fn unknown_names_are_rejected_like_node() {
        assert_eq!(
            hmac("sha3", "hex", "k", "d"),
            Err(CryptoError::Digest("sha3".into()))
        );
        assert_eq!(
            hmac("sha1", "utf16", "k", "d"),
            Err(CryptoError::Encoding("utf16".into()))
        );
    }

    #[test]
    fn decode64_is_forgiving_like_node() {
        assert_eq!(decode64(&b64("héllo wörld")), "héllo wörld");
        assert_eq!(decode64("aGk"), "hi");
        assert_eq!(decode64("aG k=\n"), "hi");
        assert_eq!(decode64("aGk-_w"), decode64("aGk+/w"));
        assert_eq!(decode64("aGl="), "hi");
        assert_eq!(decode64("aGk=aGk="), "hi");
    }

    #[test]
    fn random_string_is_ten_alphanumerics() {
        let s = random_string();
        assert_eq!(s.len(), 10);
        assert!(s.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(s, random_string());
    }
}
