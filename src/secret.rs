//! Secrets: compared without telling an attacker how much of a guess was right, and the
//! server's signing key (next-page tokens), never printed.

use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// A 256-bit HMAC-SHA256 key the server signs its own tokens with. `Debug` prints no byte.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey([u8; 32]);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

impl SigningKey {
    /// A fresh random key: tokens signed with it die with the process.
    pub fn random() -> SigningKey {
        SigningKey(rand::random())
    }

    /// A key from any text (a setting): its SHA-256, so every node given the same text signs
    /// alike.
    pub fn from_text(text: &str) -> SigningKey {
        SigningKey(Sha256::digest(text.as_bytes()).into())
    }

    /// The key kept in `file` (hex), made and written (owner-only) on first use, so tokens
    /// outlive a restart.
    pub fn load_or_create(file: &Path) -> Result<SigningKey, String> {
        let shown = file.display();
        match std::fs::read_to_string(file) {
            Ok(text) => {
                let bytes =
                    hex::decode(text.trim()).map_err(|e| format!("{shown}: not a hex key: {e}"))?;
                let key: [u8; 32] = bytes
                    .try_into()
                    .map_err(|_| format!("{shown}: the key must be 32 bytes (64 hex digits)"))?;
                Ok(SigningKey(key))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SigningKey::random();
                write_private(file, &hex::encode(key.0))
                    .map_err(|e| format!("cannot write {shown}: {e}"))?;
                Ok(key)
            }
            Err(e) => Err(format!("cannot read {shown}: {e}")),
        }
    }

    /// HMAC-SHA256 of `data` under this key.
    pub fn sign(&self, data: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(data);
        mac.finalize().into_bytes().into()
    }
}

/// 256 bits of key material from a setting: 64 hex digits are the key itself; any other
/// text is hashed (SHA-256), so a passphrase works, as strong as the passphrase.
pub fn key_from_text(text: &str) -> [u8; 32] {
    let text = text.trim();
    match hex::decode(text)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
    {
        Some(key) => key,
        None => Sha256::digest(text.as_bytes()).into(),
    }
}

/// The 256-bit key kept in `file` (64 hex digits), made at random and written owner-only
/// (mode 0600) when the file does not exist yet.
pub fn key_file(file: &Path) -> Result<[u8; 32], String> {
    let shown = file.display();
    match std::fs::read_to_string(file) {
        Ok(text) => {
            let bytes =
                hex::decode(text.trim()).map_err(|e| format!("{shown}: not a hex key: {e}"))?;
            bytes
                .try_into()
                .map_err(|_| format!("{shown}: the key must be 32 bytes (64 hex digits)"))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key: [u8; 32] = rand::random();
            write_private(file, &hex::encode(key))
                .map_err(|e| format!("cannot write {shown}: {e}"))?;
            Ok(key)
        }
        Err(e) => Err(format!("cannot read {shown}: {e}")),
    }
}

/// Write `text` to a new file only its owner can read.
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)?;
    out.write_all(text.as_bytes())
}

/// True when `given` equals `expected`, in a time that depends only on the lengths: the
/// admin token and webhook signatures are compared this way, so that timing a refusal does
/// not reveal the first differing byte.
pub fn matches(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bytes_match_and_anything_else_does_not() {
        assert!(matches(b"s3cret", b"s3cret"));
        assert!(matches(b"", b""));
        assert!(!matches(b"s3cret", b"s3creT"));
        assert!(!matches(b"s3cret", b"s3cre"));
        assert!(!matches(b"", b"x"));
    }

    #[test]
    fn a_key_file_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().ok();
        let Some(dir) = dir else { return };
        let file = dir.path().join("data").join("paging.key");
        let made = SigningKey::load_or_create(&file);
        let read = SigningKey::load_or_create(&file);
        assert!(made.is_ok());
        assert_eq!(made, read);
        assert_ne!(made.ok(), Some(SigningKey::from_text("x")));
        assert_eq!(
            format!("{:?}", SigningKey::from_text("x")),
            "SigningKey(***)"
        );
    }

    #[test]
    fn signatures_depend_on_key_and_data() {
        let (a, b) = (SigningKey::from_text("a"), SigningKey::from_text("b"));
        assert_eq!(a.sign(b"x"), a.sign(b"x"));
        assert_ne!(a.sign(b"x"), b.sign(b"x"));
        assert_ne!(a.sign(b"x"), a.sign(b"y"));
    }
}
