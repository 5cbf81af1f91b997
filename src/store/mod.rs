//! Durable state: instances, the configuration hooks write back, events and deliveries.
//! SQLite by default.
//!
//! - `interface` — the records, the errors and the `Store` trait every backend implements.
//! - `discard` — a store that keeps nothing, for hooks that run for no instance.
//! - `sqlite` — the default backend: one SQLite file, on a thread of its own (`secrets`:
//!   its rewrite of every stored secret, for sealing and key rotation; `instances`: the
//!   instances the instances API created; `kv`: the web tasks' key-value store).
//! - `jobs` — background jobs' runs and schedules (`jobs_sqlite`, `postgres_jobs`).
//! - `postgres` — the backend several nodes share: `postgres_sql` its statements,
//!   `postgres_schema` the migrations, `postgres_kv` kv and leases, `postgres_secrets` the
//!   rewrite of secrets, `postgres_nodes` what nodes tell each other (instance changes,
//!   the refresh lock, debug traces).

mod discard;
mod instances;
mod interface;
pub mod jobs;
mod jobs_sqlite;
pub mod kv;
mod postgres;
mod postgres_jobs;
mod postgres_kv;
mod postgres_nodes;
mod postgres_schema;
mod postgres_secrets;
mod postgres_sql;
mod secrets;
mod sqlite;

pub use discard::Discard;
pub use interface::{
    wait, Change, DeliveryRecord, EventRecord, Filter, Follower, Held, InstanceRecord, Rewrite,
    Store, StoreError, StoreFuture,
};
pub use jobs::{JobRunRecord, ScheduleRecord};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
