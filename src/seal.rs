//! Secrets at rest: configuration values and tokens sealed with ChaCha20-Poly1305 under the
//! server's key before they reach the store, with a previous key accepted during rotation.
//!
//! A sealed value is the JSON string `enc:v1:<key id>:<base64(nonce ‖ ciphertext)>`, where
//! the key id is the first 4 bytes (hex) of the key's SHA-256 and the plaintext is the value's
//! JSON text: strings, booleans and objects all come back as they went in.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use serde_json::Value;
use sha2::{Digest, Sha256};

const PREFIX: &str = "enc:v1:";

/// Why a stored value cannot be opened.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("sealed with key {0}, which is neither the secret key nor the previous one (was ELEMENTAL_SECRET_KEY changed without ELEMENTAL_SECRET_KEY_PREVIOUS?)")]
    UnknownKey(String),
    #[error("a sealed value is damaged (it does not decrypt under its key)")]
    Damaged,
}

/// One 256-bit key and its id.
#[derive(Clone)]
struct Sealing {
    id: String,
    cipher: ChaCha20Poly1305,
}

impl Sealing {
    fn new(key: [u8; 32]) -> Sealing {
        let id = hex::encode(&Sha256::digest(key)[..4]);
        Sealing {
            id,
            cipher: ChaCha20Poly1305::new(Key::from_slice(&key)),
        }
    }
}

/// The server's sealing keys: the one sealing now, and the one it replaces while a rotation
/// is under way. `Debug` prints only key ids.
#[derive(Clone)]
pub struct Sealer {
    current: Sealing,
    previous: Option<Sealing>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealer(key {})", self.current.id)
    }
}

/// What `reseal` did to one stored value.
#[derive(Debug, PartialEq, Eq)]
pub enum Resealed {
    /// Already sealed with the current key (or nothing to seal): left alone.
    Kept,
    /// Clear text, or sealed with the previous key: here sealed with the current one.
    Changed(Value),
}

impl Sealer {
    pub fn new(key: [u8; 32], previous: Option<[u8; 32]>) -> Sealer {
        Sealer {
            current: Sealing::new(key),
            previous: previous.map(Sealing::new),
        }
    }

    /// The current key's id, as sealed values name it.
    pub fn key_id(&self) -> &str {
        &self.current.id
    }

    /// `value` sealed with the current key; `null` stays `null` (a removal, not a secret).
    pub fn seal(&self, value: &Value) -> Value {
        if value.is_null() {
            return Value::Null;
        }
        let nonce: [u8; 12] = rand::random();
        let plain = value.to_string();
        let Ok(sealed) = self
            .current
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
        else {
            // ChaCha20-Poly1305 fails only past 256 GiB of plaintext, which no value is.
            unreachable!("a configuration value too large to encrypt")
        };
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Value::String(format!(
            "{PREFIX}{}:{}",
            self.current.id,
            STANDARD.encode(bytes)
        ))
    }

    /// The value `stored` holds: opened when sealed, as it is when it is clear text (a store
    /// from before sealing, until `reseal` migrates it).
    pub fn open(&self, stored: &Value) -> Result<Value, SealError> {
        let Some((id, data)) = sealed_parts(stored) else {
            return Ok(stored.clone());
        };
        let sealing = [Some(&self.current), self.previous.as_ref()]
            .into_iter()
            .flatten()
            .find(|s| s.id == id)
            .ok_or_else(|| SealError::UnknownKey(id.to_string()))?;
        let bytes = STANDARD.decode(data).map_err(|_| SealError::Damaged)?;
        if bytes.len() < 12 {
            return Err(SealError::Damaged);
        }
        let (nonce, sealed) = bytes.split_at(12);
        let plain = sealing
            .cipher
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| SealError::Damaged)?;
        serde_json::from_slice(&plain).map_err(|_| SealError::Damaged)
    }

    /// What a stored value should become: clear or previous-key values sealed with the
    /// current key, current-key values kept.
    pub fn reseal(&self, stored: &Value) -> Result<Resealed, SealError> {
        if stored.is_null() {
            return Ok(Resealed::Kept);
        }
        match sealed_parts(stored) {
            Some((id, _)) if id == self.current.id => Ok(Resealed::Kept),
            _ => Ok(Resealed::Changed(self.seal(&self.open(stored)?))),
        }
    }
}

/// Whether a stored value is sealed (with any key).
pub fn is_sealed(stored: &Value) -> bool {
    sealed_parts(stored).is_some()
}

fn sealed_parts(stored: &Value) -> Option<(&str, &str)> {
    stored.as_str()?.strip_prefix(PREFIX)?.split_once(':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_come_back_as_they_went_in_and_never_show_in_clear() {
        let sealer = Sealer::new([7; 32], None);
        for value in [json!("hunter2"), json!(true), json!({"a": [1, "x"]})] {
            let sealed = sealer.seal(&value);
            assert!(is_sealed(&sealed));
            assert!(!sealed.to_string().contains("hunter2"));
            assert_eq!(sealer.open(&sealed), Ok(value));
        }
        assert_eq!(sealer.seal(&Value::Null), Value::Null);
        assert_ne!(
            sealer.seal(&json!("x")),
            sealer.seal(&json!("x")),
            "fresh nonces"
        );
    }

    #[test]
    fn clear_values_are_read_and_migrated_and_keys_rotate() {
        let old = Sealer::new([1; 32], None);
        let sealed_old = old.seal(&json!("s3cret"));
        let rotating = Sealer::new([2; 32], Some([1; 32]));
        assert_eq!(rotating.open(&json!("clear")), Ok(json!("clear")));
        assert_eq!(rotating.open(&sealed_old), Ok(json!("s3cret")));
        let Ok(Resealed::Changed(moved)) = rotating.reseal(&sealed_old) else {
            panic!("a previous-key value is resealed");
        };
        assert_eq!(Sealer::new([2; 32], None).open(&moved), Ok(json!("s3cret")));
        assert_eq!(rotating.reseal(&moved), Ok(Resealed::Kept));
        assert!(matches!(
            rotating.reseal(&json!("clear")),
            Ok(Resealed::Changed(_))
        ));
        let stranger = Sealer::new([3; 32], None);
        assert!(matches!(
            stranger.open(&sealed_old),
            Err(SealError::UnknownKey(_))
        ));
    }

    #[test]
    fn a_damaged_value_is_an_error_not_garbage() {
        let sealer = Sealer::new([9; 32], None);
        let Value::String(text) = sealer.seal(&json!("x")) else {
            panic!("sealed values are strings");
        };
        let mut damaged = text.into_bytes();
        let last = damaged.len() - 2;
        damaged[last] = if damaged[last] == b'A' { b'B' } else { b'A' };
        let damaged = Value::String(String::from_utf8_lossy(&damaged).into_owned());
        assert_eq!(sealer.open(&damaged), Err(SealError::Damaged));
    }
}
