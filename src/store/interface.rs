//! What a store keeps (records, filters, errors) and what every backend provides (`Store`),
//! asynchronous so that a database server fits behind it as well as a file.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::jobs::{JobRunRecord, ScheduleRecord};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A statement PostgreSQL refused (a constraint, a bad value); a lost connection is
    /// `Unavailable` instead (see `store::postgres`).
    #[error("store: {0}")]
    Postgres(tokio_postgres::Error),
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
    /// A sealed value that does not open (wrong key, damaged).
    #[error("store: instance {instance} key {key}: {error}")]
    Sealed {
        instance: i64,
        key: String,
        error: crate::seal::SealError,
    },
    /// The store cannot answer now (its thread or its server is gone); worth trying again.
    #[error("store: unavailable: {0}")]
    Unavailable(String),
}

/// An instance as the store keeps it: the initial configuration, from the instances file or
/// from the instances API.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InstanceRecord {
    pub id: i64,
    pub name: String,
    pub element: String,
    pub token: String,
    pub configuration: Map<String, Value>,
    /// The instance's own fair-share limits (`limits:` of instances.yaml); not stored: the
    /// file gives them on every load.
    pub limits: crate::admission::Fairness,
    /// Created through the instances API (kept by the store), not declared in the file.
    pub from_api: bool,
    pub tags: Vec<String>,
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

/// A store answer to come. Boxed so that `Store` stays object-safe (`Arc<dyn Store>`), and
/// `Send` so that any runtime, or `wait`, can drive it.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// What every store backend provides. Every method is asynchronous at this boundary, so a
/// backend that speaks to a server (PostgreSQL) fits behind it as well as the SQLite file.
pub trait Store: Send + Sync {
    /// Record the instances declared in the instances file (insert or replace by id).
    fn save_instances<'a>(&'a self, instances: &'a [InstanceRecord]) -> StoreFuture<'a, ()>;
    /// Configuration values written back by hooks for one instance; `null` marks a removal.
    fn configuration_writes(&self, instance: i64) -> StoreFuture<'_, Map<String, Value>>;
    /// Persist configuration written back by a hook (merged; `null` removes the key).
    fn write_configuration<'a>(
        &'a self,
        instance: i64,
        changes: &'a Map<String, Value>,
    ) -> StoreFuture<'a, ()>;
    /// Commit a received event (durably, before the vendor is answered); returns its id.
    fn insert_event<'a>(&'a self, event: &'a EventRecord) -> StoreFuture<'a, i64>;
    /// Events waiting to be normalized, oldest first.
    fn received_events(&self, limit: usize) -> StoreFuture<'_, Vec<EventRecord>>;
    /// Record the outcome of normalizing an event and, in the same transaction, its deliveries.
    fn finish_event<'a>(
        &'a self,
        id: i64,
        status: &'a str,
        error: Option<&'a str>,
        normalized: Option<&'a Value>,
        deliveries: &'a [DeliveryRecord],
    ) -> StoreFuture<'a, ()>;
    /// Put an event back to be normalized again (a replay), with a new generation.
    fn replay_event(&self, id: i64) -> StoreFuture<'_, bool>;
    fn event(&self, id: i64) -> StoreFuture<'_, Option<EventRecord>>;
    fn events<'a>(&'a self, filter: &'a Filter) -> StoreFuture<'a, Vec<EventRecord>>;
    /// Pending deliveries whose time has come, soonest first.
    fn due_deliveries(&self, now: i64, limit: usize) -> StoreFuture<'_, Vec<DeliveryRecord>>;
    /// The earliest next attempt of a pending delivery.
    fn next_delivery_at(&self) -> StoreFuture<'_, Option<i64>>;
    fn update_delivery<'a>(&'a self, delivery: &'a DeliveryRecord) -> StoreFuture<'a, ()>;
    fn deliveries<'a>(&'a self, filter: &'a Filter) -> StoreFuture<'a, Vec<DeliveryRecord>>;
    /// Make parked (or any) deliveries pending again; `None` means every parked one.
    fn redeliver<'a>(&'a self, id: Option<&'a str>, now: i64) -> StoreFuture<'a, usize>;
    /// When an instance's object was last polled (ms since the epoch).
    fn last_poll<'a>(&'a self, instance: i64, object: &'a str) -> StoreFuture<'a, Option<i64>>;
    fn set_last_poll<'a>(&'a self, instance: i64, object: &'a str, at: i64) -> StoreFuture<'a, ()>;
    /// Take or keep the lease `name` (a poller's) for this node: true while it holds it, false
    /// while another node's lease runs. A store for one node only (SQLite) always grants it.
    fn lease<'a>(&'a self, name: &'a str) -> StoreFuture<'a, bool>;
    /// Pass every stored configuration value and instance token through `change` in one
    /// transaction, writing back those it changes (sealing a clear store, key rotation);
    /// returns how many changed. An error from `change` rolls everything back.
    fn rewrite_secrets(&self, change: Rewrite) -> StoreFuture<'_, usize>;
    /// The instances created through the instances API, by id.
    fn api_instances(&self) -> StoreFuture<'_, Vec<InstanceRecord>>;
    /// Record an instance created through the API (token and configuration already sealed).
    fn insert_instance<'a>(&'a self, record: &'a InstanceRecord) -> StoreFuture<'a, ()>;
    /// Change an API instance's name and tags.
    fn rename_instance<'a>(
        &'a self,
        id: i64,
        name: &'a str,
        tags: &'a [String],
    ) -> StoreFuture<'a, ()>;
    /// Forget an instance and every configuration value written for it; false when there
    /// was none.
    fn delete_instance(&self, id: i64) -> StoreFuture<'_, bool>;

    // The web tasks' key-value store (`kv` in a task). Values arrive sealed by the caller
    // and leave as stored; keys are plain text.

    /// The value stored under `key`.
    fn kv_get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Value>>;
    /// Store `value` under `key`, replacing what was there.
    fn kv_put<'a>(&'a self, key: &'a str, value: &'a Value) -> StoreFuture<'a, ()>;
    /// Forget `key`; false when there was nothing under it.
    fn kv_delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, bool>;
    /// The keys starting with `prefix`, in order (at most a thousand).
    fn kv_list<'a>(&'a self, prefix: &'a str) -> StoreFuture<'a, Vec<String>>;

    // Background jobs (`store::jobs`): their runs and their schedules.

    /// Record a run (insert, or replace the one with its id).
    fn save_job_run<'a>(&'a self, run: &'a JobRunRecord) -> StoreFuture<'a, ()>;
    /// A running run's last message; false when the run is not running (any more).
    fn job_run_progress<'a>(&'a self, id: &'a str, message: &'a str) -> StoreFuture<'a, bool>;
    fn job_run<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<JobRunRecord>>;
    /// Runs, newest first: of one job, or of all.
    fn job_runs<'a>(
        &'a self,
        job: Option<&'a str>,
        limit: usize,
    ) -> StoreFuture<'a, Vec<JobRunRecord>>;
    /// Running runs this node still runs: their heartbeat moved to `until`.
    fn renew_job_runs<'a>(&'a self, ids: &'a [String], until: i64) -> StoreFuture<'a, ()>;
    /// Running runs whose heartbeat is older than `expired_before` become `interrupted`
    /// (finished at `now`); the job and start of each.
    fn interrupt_job_runs(
        &self,
        expired_before: i64,
        now: i64,
    ) -> StoreFuture<'_, Vec<(String, i64)>>;
    /// Record a schedule (insert, or replace the one with its name).
    fn save_schedule<'a>(&'a self, schedule: &'a ScheduleRecord) -> StoreFuture<'a, ()>;
    /// Every schedule, by name.
    fn schedules(&self) -> StoreFuture<'_, Vec<ScheduleRecord>>;
    /// Forget a schedule; false when there was none.
    fn delete_schedule<'a>(&'a self, name: &'a str) -> StoreFuture<'a, bool>;
    // Several nodes on one store. A store for one node only (SQLite) keeps the defaults:
    // nothing changes behind its back, its locks are the node's own, its traces stay in
    // memory.

    /// Tell `follower` about instances another node (or this one) changed in the store, for
    /// as long as the store lives; `Change::Everything` when changes may have been missed (a
    /// lost connection). Called once, at start.
    fn follow(&self, follower: Follower) {
        let _ = follower;
    }
    /// Wait until this node alone may refresh `instance`'s OAuth token, across every node
    /// on the store; held until the returned guard is dropped. A node that dies lets go.
    fn refresh_lock(&self, instance: i64) -> StoreFuture<'_, Held> {
        let _ = instance;
        Box::pin(async { Ok(Held(Box::new(()))) })
    }
    /// An id for a new API instance that no node has handed out, where several nodes share
    /// the store; `None`: the caller picks one (a single node knows every instance).
    fn allocate_instance_id(&self) -> StoreFuture<'_, Option<i64>> {
        Box::pin(async { Ok(None) })
    }
    /// Whether several nodes may use this store at once: what one writes, the others read
    /// again (configuration, a refreshed token), and debug traces are kept in it.
    fn shared(&self) -> bool {
        false
    }
    /// Keep a debug trace (already masked), forgetting the oldest beyond `capacity`. The
    /// write starts at once: a caller may drop the future and the trace is still kept.
    fn keep_trace<'a>(
        &'a self,
        request_id: &'a str,
        trace: &'a Value,
        capacity: usize,
    ) -> StoreFuture<'a, ()> {
        let _ = (request_id, trace, capacity);
        Box::pin(async { Ok(()) })
    }
    /// The newest debug traces kept, at most `limit`, newest first.
    fn recent_traces(&self, limit: usize) -> StoreFuture<'_, Vec<Value>> {
        let _ = limit;
        Box::pin(async { Ok(Vec::new()) })
    }
    /// The debug trace kept for `request_id`.
    fn trace<'a>(&'a self, request_id: &'a str) -> StoreFuture<'a, Option<Value>> {
        let _ = request_id;
        Box::pin(async { Ok(None) })
    }
}

/// What changed in a store shared by several nodes (`Store::follow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// One instance: its configuration was written, or it was created, renamed or deleted.
    Instance(i64),
    /// Anything may have changed (notifications may have been missed): read everything.
    Everything,
}

/// Told of every `Change`; called on the store's own threads, so it must not block.
pub type Follower = Arc<dyn Fn(Change) + Send + Sync>;

/// A lock held in the store (`Store::refresh_lock`) until dropped.
pub struct Held(pub Box<dyn std::any::Any + Send>);

/// What `rewrite_secrets` does to one stored value: `Ok(None)` keeps it.
pub type Rewrite = Arc<dyn Fn(&Value) -> Result<Option<Value>, String> + Send + Sync>;

/// Wait for a store answer on a thread that runs no async runtime: start-up, the reload
/// thread, tests. Never on a runtime's thread, whose other requests would stall meanwhile.
pub fn wait<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        // A wake that came before the park makes the park return at once: nothing is lost.
        std::thread::park();
    }
}
