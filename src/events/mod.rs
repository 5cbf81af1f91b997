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
