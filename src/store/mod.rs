//! Durable state: instances, the configuration hooks write back, events and deliveries.
//! SQLite by default.
//!
//! - `interface` — the records, the errors and the `Store` trait every backend implements.
//! - `sqlite` — the default backend: one SQLite file, on a thread of its own.

mod interface;
mod sqlite;

pub use interface::{
    wait, DeliveryRecord, EventRecord, Filter, InstanceRecord, Store, StoreError, StoreFuture,
};
pub use sqlite::SqliteStore;
