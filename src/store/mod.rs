//! Durable state: instances and the configuration hooks write back. SQLite by default.

mod sqlite;

use serde_json::{Map, Value};

pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("store: cannot create the data folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("store: corrupt value for instance {instance} key {key}: {source}")]
    Corrupt {
        instance: i64,
        key: String,
        source: serde_json::Error,
    },
    #[error("store: the database lock was poisoned by a crashed thread")]
    Poisoned,
}

/// An instance as the store keeps it (the initial configuration from the file).
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceRecord {
    pub id: i64,
    pub name: String,
    pub element: String,
    pub token: String,
    pub configuration: Map<String, Value>,
}

/// An inbound webhook as received, before and after normalization.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub id: i64,
    pub element: String,
    pub instance_id: i64,
    pub method: String,
    /// Lower-case header names and values, as received.
    pub headers: Vec<(String, String)>,
    pub query: String,
    pub body: Vec<u8>,
    /// Milliseconds since the Unix epoch.
    pub received_at: i64,
    /// `received` (to process), `processed`, `dropped` (continue:false), `failed` (hook error).
    pub status: String,
    pub error: Option<String>,
    /// Bumped by every replay, so a replay's deliveries get new ids.
    pub generation: i64,
    /// The normalized events, once processed.
    pub normalized: Option<Value>,
}

/// One notification to a subscriber: the exact bytes it gets, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRecord {
    /// Stable across retries (`Elements-Webhook-Id`), so receivers can de-duplicate.
    pub id: String,
    pub event_id: i64,
    pub instance_id: i64,
    pub url: String,
    pub body: Vec<u8>,
    /// `pending`, `delivered`, or `queued` (parked after the last try; re-deliverable).
    pub status: String,
    pub attempts: i64,
    /// Milliseconds since the Unix epoch.
    pub next_attempt_at: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
}

/// Filters for the admin listings.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub instance: Option<i64>,
    pub status: Option<String>,
    pub limit: usize,
}

/// What every store backend provides.
pub trait Store: Send + Sync {
    /// Record the instances declared in the instances file (insert or replace by id).
    fn save_instances(&self, instances: &[InstanceRecord]) -> Result<(), StoreError>;
    /// Configuration values written back by hooks for one instance; `null` marks a removal.
    fn configuration_writes(&self, instance: i64) -> Result<Map<String, Value>, StoreError>;
    /// Persist configuration written back by a hook (merged; `null` removes the key).
    /// Commit a received event (durably, before the vendor is answered); returns its id.
    fn insert_event(&self, event: &EventRecord) -> Result<i64, StoreError>;
    /// Events waiting to be normalized, oldest first.
    fn received_events(&self, limit: usize) -> Result<Vec<EventRecord>, StoreError>;
    /// Record the outcome of normalizing an event and, in the same transaction, its deliveries.
    fn finish_event(
        &self,
        id: i64,
        status: &str,
        error: Option<&str>,
        normalized: Option<&Value>,
        deliveries: &[DeliveryRecord],
    ) -> Result<(), StoreError>;
    /// Put an event back to be normalized again (a replay), with a new generation.
    fn replay_event(&self, id: i64) -> Result<bool, StoreError>;
    fn event(&self, id: i64) -> Result<Option<EventRecord>, StoreError>;
    fn events(&self, filter: &Filter) -> Result<Vec<EventRecord>, StoreError>;
    /// Pending deliveries whose time has come, soonest first.
    fn due_deliveries(&self, now: i64, limit: usize) -> Result<Vec<DeliveryRecord>, StoreError>;
    /// The earliest next attempt of a pending delivery.
    fn next_delivery_at(&self) -> Result<Option<i64>, StoreError>;
    fn update_delivery(&self, delivery: &DeliveryRecord) -> Result<(), StoreError>;
    fn deliveries(&self, filter: &Filter) -> Result<Vec<DeliveryRecord>, StoreError>;
    /// Make parked (or any) deliveries pending again; `None` means every parked one.
    fn redeliver(&self, id: Option<&str>, now: i64) -> Result<usize, StoreError>;

    /// When an instance's object was last polled (ms since the epoch).
    fn last_poll(&self, instance: i64, object: &str) -> Result<Option<i64>, StoreError>;
    fn set_last_poll(&self, instance: i64, object: &str, at: i64) -> Result<(), StoreError>;

    fn write_configuration(
        &self,
        instance: i64,
        changes: &Map<String, Value>,
    ) -> Result<(), StoreError>;
}
