//! The `events` settings: where webhooks find their instance and how their signature is checked.

use serde_json::Value;

use super::Reader;
use crate::element::located::child;
use crate::element::model::EventSettings;
use crate::element::signature::{Scheme, SignatureCheck};

const SIGNATURE_KEYS: &[&str] = &[
    "scheme",
    "header",
    "prefix",
    "algorithm",
    "encoding",
    "secret",
    "tolerance",
];

impl Reader<'_> {
    /// `events: {signature: {...}, instanceFinder, maxBodyBytes}`.
    pub(super) fn events(&mut self) -> EventSettings {
        let mut settings = EventSettings::default();
        if self
            .object(
                "/events",
                "events",
                &["signature", "instanceFinder", "maxBodyBytes"],
            )
            .is_none()
        {
            return settings;
        }
        settings.instance_finder = self.string("/events", "instanceFinder", false);
        if let Some(Value::Number(n)) = self.value("/events/maxBodyBytes") {
            settings.max_body = n.as_u64().map_or(settings.max_body, |n| n as usize);
        }
        settings.signature = self.signature("/events/signature");
        settings
    }

    /// `events.signature`; `None` when absent or when a required part is missing or wrong.
    fn signature(&mut self, at: &str) -> Option<SignatureCheck> {
        self.object(at, "events.signature", SIGNATURE_KEYS)?;
        let scheme = self.scheme(at)?;
        let default_header = match scheme {
            Scheme::Hmac => None,
            Scheme::Stripe => Some("stripe-signature"),
            Scheme::Slack => Some("x-slack-signature"),
        };
        let header = self
            .string(at, "header", default_header.is_none())
            .or(default_header.map(str::to_string))?;
        let secret = self.string(at, "secret", true)?;
        let algorithm = self.choice(
            at,
            "algorithm",
            "sha256",
            &["sha1", "sha256", "sha512", "md5"],
            "use sha1 or sha256",
        );
        let encoding = self.choice(
            at,
            "encoding",
            "hex",
            &["hex", "base64"],
            "use hex or base64",
        );
        let tolerance = match self.value(&child(at, "tolerance")) {
            Some(Value::Number(n)) => n.as_u64().unwrap_or(300),
            _ => 300,
        };
        Some(SignatureCheck {
            scheme,
            header: header.to_ascii_lowercase(),
            prefix: self.string(at, "prefix", false).unwrap_or_default(),
            algorithm,
            encoding,
            secret,
            tolerance,
        })
    }

    fn scheme(&mut self, at: &str) -> Option<Scheme> {
        match self.string(at, "scheme", false).as_deref() {
            None | Some("hmac") => Some(Scheme::Hmac),
            Some("stripe") => Some(Scheme::Stripe),
            Some("slack") => Some(Scheme::Slack),
            Some(other) => {
                self.error(
                    &child(at, "scheme"),
                    format!("unknown signature scheme \"{other}\" (use hmac, stripe or slack)"),
                );
                None
            }
        }
    }

    /// The lower-cased value of `key`, or `default`; a value outside `known` is an error.
    fn choice(&mut self, at: &str, key: &str, default: &str, known: &[&str], hint: &str) -> String {
        let value = self
            .string(at, key, false)
            .unwrap_or_else(|| default.into())
            .to_ascii_lowercase();
        if !known.contains(&value.as_str()) {
            self.error(
                &child(at, key),
                format!("unknown {key} \"{value}\" ({hint})"),
            );
        }
        value
    }
}
