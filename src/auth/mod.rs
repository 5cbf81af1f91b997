//! Vendor authentication: request signing (OAuth 1.0a, AWS SigV4) and OAuth 2 tokens.
//!
//! Pure functions over a finished request (method, URL with its query, headers, body): the
//! pipeline signs last, after the hooks changed whatever they change, because a signature
//! covers the method, the path, the parameters and (for SigV4) the body. `oauth2` builds
//! authorization URLs and token requests and reads token responses; the pipeline sends them.

pub mod awsv4;
pub mod oauth1;
pub mod oauth2;

use serde_json::{Map, Value};

/// The signing schemes an element's `authentication.type` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `oauth1`: RFC 5849 (HMAC-SHA1 by default, PLAINTEXT, HMAC-SHA256).
    OAuth1,
    /// `awsv4`: AWS Signature Version 4.
    AwsV4,
}

impl Scheme {
    /// The configuration keys that hold this scheme's credentials: secrets even when an
    /// export types them as plain text fields (Trello's `oauth.user.token.secret` is one).
    pub fn secret_keys(self) -> &'static [&'static str] {
        match self {
            Scheme::OAuth1 => &[oauth1::CONSUMER_SECRET, oauth1::TOKEN, oauth1::TOKEN_SECRET],
            Scheme::AwsV4 => &[awsv4::SECRET_KEY, awsv4::SESSION_TOKEN],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Scheme::OAuth1 => "oauth1",
            Scheme::AwsV4 => "awsv4",
        }
    }
}

/// The request about to leave, as signing reads and changes it.
pub struct Message<'a> {
    pub method: &'a str,
    /// Absolute URL with its query; query placement and SigV4 rewrite it.
    pub url: &'a mut String,
    pub headers: &'a mut Vec<(String, String)>,
    pub body: &'a [u8],
}

impl Message<'_> {
    /// The first value of a header, by name without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Set a header, replacing every earlier one of that name (a hook's stale
    /// `Authorization` must not travel beside the signed one).
    pub fn set_header(&mut self, name: &str, value: String) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value));
    }
}

/// What changes from one signature to the next: injected so tests can use a spec's values.
#[derive(Debug, Clone)]
pub struct Fresh {
    /// OAuth 1.0a `oauth_nonce`.
    pub nonce: String,
    /// Seconds since the Unix epoch.
    pub seconds: i64,
}

impl Fresh {
    /// A random 32-character nonce and the current time.
    pub fn now() -> Fresh {
        use rand::distr::{Alphanumeric, SampleString};
        Fresh {
            nonce: Alphanumeric.sample_string(&mut rand::rng(), 32),
            seconds: crate::clock::now_ms().div_euclid(1000),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignError {
    #[error("{scheme} signing needs configuration {key}: set it on the instance")]
    Missing {
        scheme: &'static str,
        key: &'static str,
    },
    #[error("configuration {key} is \"{value}\"; {expected}")]
    Invalid {
        key: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("the vendor URL \"{0}\" cannot be signed: it does not parse as an absolute URL")]
    BadUrl(String),
}

/// Sign `message` with the instance's `configuration` under `scheme`.
pub fn sign(
    scheme: Scheme,
    configuration: &Map<String, Value>,
    message: &mut Message<'_>,
    fresh: &Fresh,
) -> Result<(), SignError> {
    match scheme {
        Scheme::OAuth1 => {
            let keys = oauth1::Keys::from_configuration(configuration)?;
            oauth1::sign(&keys, message, fresh)
        }
        Scheme::AwsV4 => {
            let keys = awsv4::Keys::from_configuration(configuration)?;
            awsv4::sign(&keys, message, fresh.seconds)
        }
    }
}

/// A configuration value as text; empty counts as absent (a blank form field).
fn text(configuration: &Map<String, Value>, key: &str) -> Option<String> {
    let text = match configuration.get(key)? {
        Value::String(s) => s.trim().to_string(),
        Value::Null => return None,
        other => other.to_string(),
    };
    (!text.is_empty()).then_some(text)
}

/// A configuration value the scheme cannot sign without.
fn required(
    configuration: &Map<String, Value>,
    scheme: Scheme,
    key: &'static str,
) -> Result<String, SignError> {
    text(configuration, key).ok_or(SignError::Missing {
        scheme: scheme.name(),
        key,
    })
}

/// Percent-encoding of RFC 3986's unreserved set, upper-case hex: RFC 5849 §3.6 and AWS's
/// `UriEncode` are both exactly this (unlike form encoding, a space is `%20`, `*` is encoded).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `name=value&...` decoded as `application/x-www-form-urlencoded` (`+` is a space): how both
/// schemes read the query the pipeline wrote and a form body.
fn form_pairs(text: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(text)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encoding_keeps_only_the_unreserved_set() {
        assert_eq!(encode("a b*c~d+é"), "a%20b%2Ac~d%2B%C3%A9");
    }

    #[test]
    fn a_missing_key_is_named() {
        let configuration = json!({"oauth.api.key": "k", "oauth.api.secret": ""});
        let Value::Object(configuration) = configuration else {
            panic!("object");
        };
        let (mut url, mut headers) = ("https://x.test/".to_string(), Vec::new());
        let mut message = Message {
            method: "GET",
            url: &mut url,
            headers: &mut headers,
            body: b"",
        };
        let fresh = Fresh::now();
        let error = sign(Scheme::OAuth1, &configuration, &mut message, &fresh);
        assert_eq!(
            error,
            Err(SignError::Missing {
                scheme: "oauth1",
                key: "oauth.api.secret"
            })
        );
        let error = sign(Scheme::AwsV4, &configuration, &mut message, &fresh);
        assert!(error
            .err()
            .is_some_and(|e| e.to_string().contains("aws.access.key")));
    }

    #[test]
    fn nonces_differ() {
        let (a, b) = (Fresh::now(), Fresh::now());
        assert_eq!(a.nonce.len(), 32);
        assert_ne!(a.nonce, b.nonce);
    }
}
