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

/// What every store backend provides.
pub trait Store: Send + Sync {
    /// Record the instances declared in the instances file (insert or replace by id).
    fn save_instances(&self, instances: &[InstanceRecord]) -> Result<(), StoreError>;
    /// Configuration values written back by hooks for one instance; `null` marks a removal.
    fn configuration_writes(&self, instance: i64) -> Result<Map<String, Value>, StoreError>;
    /// Persist configuration written back by a hook (merged; `null` removes the key).
    fn write_configuration(
        &self,
        instance: i64,
        changes: &Map<String, Value>,
    ) -> Result<(), StoreError>;
}
