//! How an element says its vendor signs webhooks (`events.signature`): plain data, read by
//! the loader and checked by `events::signature`.

/// How a vendor signs its webhooks (the element's `events.signature`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    /// HMAC of the raw body in `header`, after `prefix` (GitHub `sha256=<hex>`, Shopify base64).
    Hmac,
    /// `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>[,v1=...]`.
    Stripe,
    /// `X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:<ts>:" + body)>` with
    /// `X-Slack-Request-Timestamp`.
    Slack,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    pub scheme: Scheme,
    /// Lower-case header name.
    pub header: String,
    pub prefix: String,
    /// `sha1` or `sha256` (HMAC scheme).
    pub algorithm: String,
    /// `hex` or `base64` (HMAC scheme).
    pub encoding: String,
    /// The configuration key holding the secret.
    pub secret: String,
    /// Largest accepted age of a timestamped signature, in seconds (0: not checked).
    pub tolerance: u64,
}
