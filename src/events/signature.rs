//! Verifying vendors' webhook signatures (HMAC over the raw body, Stripe's and Slack's
//! timestamped schemes) and signing our own deliveries.

use base64::Engine as _;

use crate::element::signature::{Scheme, SignatureCheck};
use crate::hooks::ce;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing signature header {0}")]
    Missing(String),
    #[error("signature does not match")]
    Mismatch,
    #[error("malformed signature header {0}")]
    Malformed(String),
    #[error("signature timestamp is outside the tolerance of {0} s")]
    Stale(u64),
    #[error("the signing secret is not configured (configuration {0})")]
    NoSecret(String),
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn hmac_hex(secret: &str, data: &[u8]) -> String {
    hex::encode(ce::hmac_bytes("sha256", secret.as_bytes(), data).unwrap_or_default())
}

fn fresh(timestamp: u64, now: u64, tolerance: u64) -> bool {
    tolerance == 0 || timestamp.abs_diff(now) <= tolerance
}

/// Check a webhook's signature; `now` is the current Unix time in seconds.
pub fn verify(
    check: &SignatureCheck,
    headers: &[(String, String)],
    body: &[u8],
    secret: &str,
    now: u64,
) -> Result<(), SignatureError> {
    let given = header(headers, &check.header)
        .ok_or_else(|| SignatureError::Missing(check.header.clone()))?
        .trim();
    match check.scheme {
        Scheme::Hmac => {
            let value = given
                .strip_prefix(check.prefix.as_str())
                .ok_or_else(|| SignatureError::Malformed(check.header.clone()))?;
            let mac = ce::hmac_bytes(&check.algorithm, secret.as_bytes(), body)
                .map_err(|_| SignatureError::Malformed(check.algorithm.clone()))?;
            let expected = match check.encoding.as_str() {
                "base64" => base64::engine::general_purpose::STANDARD.encode(&mac),
                _ => hex::encode(&mac),
            };
            let matches = if check.encoding == "base64" {
                crate::secret::matches(value.as_bytes(), expected.as_bytes())
            } else {
                crate::secret::matches(value.to_ascii_lowercase().as_bytes(), expected.as_bytes())
            };
            if matches {
                Ok(())
            } else {
                Err(SignatureError::Mismatch)
            }
        }
        Scheme::Stripe => {
            let mut timestamp = None;
            let mut candidates = Vec::new();
            for part in given.split(',') {
                match part.trim().split_once('=') {
                    Some(("t", t)) => timestamp = t.parse::<u64>().ok(),
                    Some(("v1", v)) => candidates.push(v.to_ascii_lowercase()),
                    _ => {}
                }
            }
            let timestamp =
                timestamp.ok_or_else(|| SignatureError::Malformed(check.header.clone()))?;
            let mut signed = format!("{timestamp}.").into_bytes();
            signed.extend_from_slice(body);
            let expected = hmac_hex(secret, &signed);
            if !candidates
                .iter()
                .any(|c| crate::secret::matches(c.as_bytes(), expected.as_bytes()))
            {
                return Err(SignatureError::Mismatch);
            }
            if fresh(timestamp, now, check.tolerance) {
                Ok(())
            } else {
                Err(SignatureError::Stale(check.tolerance))
            }
        }
        Scheme::Slack => {
            let timestamp = header(headers, "x-slack-request-timestamp")
                .ok_or_else(|| SignatureError::Missing("x-slack-request-timestamp".into()))?;
            let seconds: u64 = timestamp
                .trim()
                .parse()
                .map_err(|_| SignatureError::Malformed("x-slack-request-timestamp".into()))?;
            let mut signed = format!("v0:{}:", timestamp.trim()).into_bytes();
            signed.extend_from_slice(body);
            let expected = format!("v0={}", hmac_hex(secret, &signed));
            if !crate::secret::matches(given.to_ascii_lowercase().as_bytes(), expected.as_bytes()) {
                return Err(SignatureError::Mismatch);
            }
            if fresh(seconds, now, check.tolerance) {
                Ok(())
            } else {
                Err(SignatureError::Stale(check.tolerance))
            }
        }
    }
}

/// `Elements-Webhook-Signature` of a delivery: `sha256=<base64 HMAC-SHA256(key, body)>`.
pub fn sign_delivery(key: &str, body: &[u8]) -> String {
    let mac = ce::hmac_bytes("sha256", key.as_bytes(), body).unwrap_or_default();
    format!(
        "sha256={}",
        base64::engine::general_purpose::STANDARD.encode(mac)
    )
}

/// Standard Webhooks `webhook-signature`: `v1,<base64 HMAC-SHA256(secret, "<id>.<ts>.<body>")>`,
/// the secret given as `whsec_<base64>` (or raw text).
pub fn sign_standard(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let key = secret
        .strip_prefix("whsec_")
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec());
    let mut signed = format!("{id}.{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    let mac = ce::hmac_bytes("sha256", &key, &signed).unwrap_or_default();
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github() -> SignatureCheck {
        SignatureCheck {
            scheme: Scheme::Hmac,
            header: "x-hub-signature-256".into(),
            prefix: "sha256=".into(),
            algorithm: "sha256".into(),
            encoding: "hex".into(),
            secret: "webhook.secret".into(),
            tolerance: 0,
        }
    }

    #[test]
    fn hmac_hex_with_prefix() {
        let body = b"{\"a\":1}";
        let sig = format!("sha256={}", hmac_hex("s3", body));
        let headers = vec![("X-Hub-Signature-256".to_string(), sig)];
        assert_eq!(verify(&github(), &headers, body, "s3", 0), Ok(()));
        assert_eq!(
            verify(&github(), &headers, b"{\"a\":2}", "s3", 0),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&github(), &[], body, "s3", 0),
            Err(SignatureError::Missing("x-hub-signature-256".into()))
        );
    }

    #[test]
    fn stripe_checks_signature_and_age() {
        let check = SignatureCheck {
            scheme: Scheme::Stripe,
            header: "stripe-signature".into(),
            tolerance: 300,
            ..github()
        };
        let body = b"{}";
        let sig = hmac_hex("whsec_x", b"1700000000.{}");
        let headers = vec![(
            "stripe-signature".to_string(),
            format!("t=1700000000,v1=deadbeef,v1={sig}"),
        )];
        assert_eq!(
            verify(&check, &headers, body, "whsec_x", 1_700_000_100),
            Ok(())
        );
        assert_eq!(
            verify(&check, &headers, body, "whsec_x", 1_700_001_000),
            Err(SignatureError::Stale(300))
        );
        assert_eq!(
            verify(&check, &headers, body, "other", 1_700_000_100),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn delivery_signatures_are_base64_hmac() {
        assert_eq!(
            sign_delivery("key", b"body"),
            format!(
                "sha256={}",
                base64::engine::general_purpose::STANDARD
                    .encode(ce::hmac_bytes("sha256", b"key", b"body").unwrap_or_default())
            )
        );
        assert!(sign_standard("whsec_c2VjcmV0", "msg_1", 1, b"{}").starts_with("v1,"));
    }
}
