//! Events: vendors' inbound webhooks, persisted before they are answered, normalized by the
//! element's event hook, and delivered — signed, retried, parked — to the instance's subscriber.
//!
//! - `signature` — verifying vendor signatures; signing our deliveries.
//! - `ingest` — the inbound request: instance, signature, size, persist.
//! - `process` — the background worker: normalize received events, deliver due notifications.
//! - `poll` — the scheduled calls of polling instances, fed into the same path.

pub mod ingest;
pub mod poll;
pub mod process;
pub mod signature;

use std::time::Duration;

/// How deliveries are retried.
#[derive(Debug, Clone, Copy)]
pub struct DeliverySettings {
    /// Attempts before a delivery is parked as `queued`.
    pub max_tries: u32,
    /// The first retry waits this long; each next one twice as long (with jitter).
    pub backoff: Duration,
    pub max_backoff: Duration,
    pub timeout: Duration,
    /// How often the worker looks for work when nothing wakes it.
    pub poll: Duration,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        DeliverySettings {
            max_tries: 9,
            backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(3600),
            timeout: Duration::from_secs(10),
            poll: Duration::from_millis(200),
        }
    }
}

pub use crate::clock::now_ms;
