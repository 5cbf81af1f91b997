//! The PostgreSQL store (`--store postgres://…`): the same records as the SQLite file, in a
//! database several nodes can share, through a pool on a runtime the store owns.
//!
//! Why a runtime of its own: tokio-postgres needs a tokio runtime to drive each connection,
//! while the store is called from actix's per-worker current-thread runtimes, from the
//! events worker, and from plain threads through `store::wait` (start-up, reload). A small
//! multi-thread runtime owned by the store runs the pool and every statement; a caller's
//! future only awaits the spawned task's `JoinHandle`, which any executor (or `wait`) can
//! poll. This mirrors `SqliteStore`, which owns its thread.

use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use serde_json::{Map, Value};
use tokio_postgres::NoTls;

use super::interface::{
    wait, DeliveryRecord, EventRecord, Filter, Follower, Held, InstanceRecord, Rewrite, Store,
    StoreError, StoreFuture,
};
use super::jobs::{JobRunRecord, ScheduleRecord};
use super::postgres_nodes as nodes;
use super::postgres_schema::{describe, migrate};
use super::postgres_sql::{self as sql, Outcome};

/// Connections one node keeps at most; a statement waits for one at most `TIMEOUT`.
const POOL_SIZE: usize = 16;
/// How long connecting, or waiting for a free connection, may take before the caller is
/// told the store is unavailable (503 with Retry-After) rather than hanging.
const TIMEOUT: Duration = Duration::from_secs(5);

pub struct PostgresStore {
    pool: Pool,
    /// `None` only while dropping.
    runtime: Option<tokio::runtime::Runtime>,
    /// The URL with its password masked, for messages.
    target: String,
    /// How long (ms) a node's claim on an event, a delivery or a lease lasts before another
    /// node may take it (`--claim-lease-ms`, default a minute): longer than any one event's
    /// hooks or delivery attempt take, short enough that a dead node's work moves on.
    lease: i64,
    /// This node's name in the claims and leases it holds (`--node-id`; random unless named).
    node: String,
    /// Where to connect the connection that listens for other nodes' changes.
    config: tokio_postgres::Config,
}

/// The claim lease when `--claim-lease-ms` does not say.
const DEFAULT_LEASE_MS: i64 = 60_000;

/// A connection that failed (refused, reset, terminated by the server, shut down) means
/// the database is away for now: `Unavailable`, which the server answers with 503 and
/// `Retry-After`. Anything else PostgreSQL refused is an error of the statement.
impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> StoreError {
        use tokio_postgres::error::SqlState;
        let gone = match error.code() {
            // Class 08: connection exceptions; 57P0x: the server shutting down or the
            // backend terminated (pg_terminate_backend); 53300: too many connections.
            Some(code) => {
                code.code().starts_with("08")
                    || [
                        SqlState::ADMIN_SHUTDOWN,
                        SqlState::CRASH_SHUTDOWN,
                        SqlState::CANNOT_CONNECT_NOW,
                        SqlState::TOO_MANY_CONNECTIONS,
                    ]
                    .contains(code)
            }
            // No SQLSTATE: an I/O error or a closed connection, not a refused statement.
            None => error.is_closed() || is_io(&error),
        };
        if gone {
            StoreError::Unavailable(format!("PostgreSQL: {}", causes(&error)))
        } else {
            StoreError::Postgres(error)
        }
    }
}

/// An error and its causes, `: `-separated: the pool's "error creating a new object" says
/// nothing without the driver's "connection refused" under it.
pub(super) fn causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = cause.source();
    }
    text
}

/// Whether an error without a SQLSTATE came from the socket.
fn is_io(error: &tokio_postgres::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause.is::<std::io::Error>() {
            return true;
        }
        source = cause.source();
    }
    false
}

impl PostgresStore {
    /// Connect to `url` (`postgres://user[:password]@host[:port]/database`, or a
    /// `key=value` connection string), apply the migrations this database lacks, and keep a
    /// pool. Call it where blocking is allowed (start-up): it waits for the first connection.
    pub fn open(url: &str) -> Result<PostgresStore, StoreError> {
        PostgresStore::open_with_lease(url, DEFAULT_LEASE_MS)
    }

    /// `open`, with claims on events and deliveries lasting `lease` ms.
    pub fn open_with_lease(url: &str, lease: i64) -> Result<PostgresStore, StoreError> {
        let mut config = tokio_postgres::Config::from_str(url).map_err(|e| {
            StoreError::Unavailable(format!("the store URL is not a PostgreSQL URL: {e}"))
        })?;
        let target = describe(url, &config);
        if config.get_application_name().is_none() {
            // Named in pg_stat_activity, so an operator can tell the nodes' connections apart.
            config.application_name("elemental");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(TIMEOUT);
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("elemental-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Unavailable(format!("cannot start the store runtime: {e}")))?;
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            // Fast: a connection the server closed is known closed and replaced; checking
            // every checkout with a query would add a round trip to each statement.
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(TIMEOUT))
            .create_timeout(Some(TIMEOUT))
            .recycle_timeout(Some(TIMEOUT))
            .build()
            .map_err(|e| StoreError::Unavailable(format!("the PostgreSQL pool: {e}")))?;
        let first = pool.clone();
        let migrated = wait(runtime.spawn(async move {
            let mut client = first.get().await.map_err(|e| causes(&e))?;
            migrate(&mut client).await.map_err(|e| causes(&e))
        }));
        match migrated {
            Ok(Ok(applied)) => {
                tracing::info!(store = %target, migrations = applied, "PostgreSQL store ready")
            }
            Ok(Err(message)) => {
                return Err(StoreError::Unavailable(format!(
                    "cannot use PostgreSQL at {target}: {message}"
                )))
            }
            Err(e) => return Err(StoreError::Unavailable(format!("the store runtime: {e}"))),
        }
        Ok(PostgresStore {
            pool,
            runtime: Some(runtime),
            target,
            lease,
            node: format!("{:016x}", rand::random::<u64>()),
            config,
        })
    }

    /// This store under the node name `node` (`--node-id`): the holder named in its claims
    /// and leases, and the sender of its change notices. Every node needs its own.
    pub fn named(mut self, node: &str) -> PostgresStore {
        self.node = node.to_string();
        self
    }

    /// Where this store is (password masked).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Spawn `work` on the store's runtime now; the future is its answer. Spawned at once,
    /// not when first polled, so that a write happens even if its caller stops waiting.
    fn run<T, F, Fut>(&self, work: F) -> StoreFuture<'static, T>
    where
        T: Send + 'static,
        F: FnOnce(Pool) -> Fut,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let task = self
            .runtime
            .as_ref()
            .map(|runtime| runtime.spawn(work(self.pool.clone())));
        Box::pin(async move {
            match task {
                None => Err(StoreError::Unavailable(
                    "the store's runtime has stopped".into(),
                )),
                Some(task) => task.await.map_err(|e| {
                    StoreError::Unavailable(format!("the store task did not finish: {e}"))
                })?,
            }
        })
    }
}

impl Drop for PostgresStore {
    /// Let statements in flight finish (briefly), then close the connections (with the pool).
    /// Inside another runtime blocking is not allowed: there the runtime is let go in the
    /// background.
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            } else {
                runtime.shutdown_timeout(TIMEOUT);
            }
        }
    }
}

impl Store for PostgresStore {
    fn save_instances<'a>(&'a self, instances: &'a [InstanceRecord]) -> StoreFuture<'a, ()> {
        let instances = instances.to_vec();
        self.run(move |pool| sql::save_instances(pool, instances))
    }

    fn configuration_writes(&self, instance: i64) -> StoreFuture<'_, Map<String, Value>> {
        self.run(move |pool| sql::configuration_writes(pool, instance))
    }

    fn write_configuration<'a>(
        &'a self,
        instance: i64,
        changes: &'a Map<String, Value>,
    ) -> StoreFuture<'a, ()> {
        let (changes, notice) = (changes.clone(), nodes::notice(&self.node, instance));
        self.run(move |pool| sql::write_configuration(pool, instance, changes, notice))
    }

    fn insert_event<'a>(&'a self, event: &'a EventRecord) -> StoreFuture<'a, i64> {
        let event = event.clone();
        self.run(move |pool| sql::insert_event(pool, event))
    }

    fn received_events(&self, limit: usize) -> StoreFuture<'_, Vec<EventRecord>> {
        let (lease, node) = (self.lease, self.node.clone());
        self.run(move |pool| sql::received_events(pool, limit, lease, node))
    }

    fn finish_event<'a>(
        &'a self,
        id: i64,
        status: &'a str,
        error: Option<&'a str>,
        normalized: Option<&'a Value>,
        deliveries: &'a [DeliveryRecord],
    ) -> StoreFuture<'a, ()> {
        let outcome = Outcome {
            status: status.to_string(),
            error: error.map(str::to_string),
            normalized: normalized.map(Value::to_string),
            deliveries: deliveries.to_vec(),
        };
        self.run(move |pool| sql::finish_event(pool, id, outcome))
    }

    fn replay_event(&self, id: i64) -> StoreFuture<'_, bool> {
        self.run(move |pool| sql::replay_event(pool, id))
    }

    fn event(&self, id: i64) -> StoreFuture<'_, Option<EventRecord>> {
        self.run(move |pool| sql::event(pool, id))
    }

    fn events<'a>(&'a self, filter: &'a Filter) -> StoreFuture<'a, Vec<EventRecord>> {
        let filter = filter.clone();
        self.run(move |pool| sql::events(pool, filter))
    }

    fn due_deliveries(&self, now: i64, limit: usize) -> StoreFuture<'_, Vec<DeliveryRecord>> {
        let lease = self.lease;
        self.run(move |pool| sql::due_deliveries(pool, now, limit, lease))
    }

    fn next_delivery_at(&self) -> StoreFuture<'_, Option<i64>> {
        self.run(sql::next_delivery_at)
    }

    fn update_delivery<'a>(&'a self, delivery: &'a DeliveryRecord) -> StoreFuture<'a, ()> {
        let delivery = delivery.clone();
        self.run(move |pool| sql::update_delivery(pool, delivery))
    }

    fn deliveries<'a>(&'a self, filter: &'a Filter) -> StoreFuture<'a, Vec<DeliveryRecord>> {
        let filter = filter.clone();
        self.run(move |pool| sql::deliveries(pool, filter))
    }

    fn redeliver<'a>(&'a self, id: Option<&'a str>, now: i64) -> StoreFuture<'a, usize> {
        let id = id.map(str::to_string);
        self.run(move |pool| sql::redeliver(pool, id, now))
    }

    fn last_poll<'a>(&'a self, instance: i64, object: &'a str) -> StoreFuture<'a, Option<i64>> {
        let object = object.to_string();
        self.run(move |pool| sql::last_poll(pool, instance, object))
    }

    fn set_last_poll<'a>(&'a self, instance: i64, object: &'a str, at: i64) -> StoreFuture<'a, ()> {
        let object = object.to_string();
        self.run(move |pool| sql::set_last_poll(pool, instance, object, at))
    }

    fn lease<'a>(&'a self, name: &'a str) -> StoreFuture<'a, bool> {
        let (name, node, lease) = (name.to_string(), self.node.clone(), self.lease);
        self.run(move |pool| super::postgres_kv::lease(pool, name, node, lease))
    }

    fn rewrite_secrets(&self, change: Rewrite) -> StoreFuture<'_, usize> {
        self.run(move |pool| super::postgres_secrets::rewrite(pool, change))
    }

    fn api_instances(&self) -> StoreFuture<'_, Vec<InstanceRecord>> {
        self.run(sql::api_instances)
    }

    fn insert_instance<'a>(&'a self, record: &'a InstanceRecord) -> StoreFuture<'a, ()> {
        let (record, notice) = (record.clone(), nodes::notice(&self.node, record.id));
        self.run(move |pool| sql::insert_instance(pool, record, notice))
    }

    fn rename_instance<'a>(
        &'a self,
        id: i64,
        name: &'a str,
        tags: &'a [String],
    ) -> StoreFuture<'a, ()> {
        let (name, tags) = (name.to_string(), tags.to_vec());
        let notice = nodes::notice(&self.node, id);
        self.run(move |pool| sql::rename_instance(pool, id, name, tags, notice))
    }

    fn delete_instance(&self, id: i64) -> StoreFuture<'_, bool> {
        let notice = nodes::notice(&self.node, id);
        self.run(move |pool| sql::delete_instance(pool, id, notice))
    }

    fn kv_get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Value>> {
        let key = key.to_string();
        self.run(move |pool| super::postgres_kv::get(pool, key))
    }

    fn kv_put<'a>(&'a self, key: &'a str, value: &'a Value) -> StoreFuture<'a, ()> {
        let (key, value) = (key.to_string(), value.clone());
        self.run(move |pool| super::postgres_kv::put(pool, key, value))
    }

    fn kv_delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, bool> {
        let key = key.to_string();
        self.run(move |pool| super::postgres_kv::delete(pool, key))
    }

    fn kv_list<'a>(&'a self, prefix: &'a str) -> StoreFuture<'a, Vec<String>> {
        let prefix = prefix.to_string();
        self.run(move |pool| super::postgres_kv::list(pool, prefix))
    }

    fn save_job_run<'a>(&'a self, run: &'a JobRunRecord) -> StoreFuture<'a, ()> {
        let run = run.clone();
        self.run(move |pool| super::postgres_jobs::save_run(pool, run))
    }

    fn job_run_progress<'a>(&'a self, id: &'a str, message: &'a str) -> StoreFuture<'a, bool> {
        let (id, message) = (id.to_string(), message.to_string());
        self.run(move |pool| super::postgres_jobs::progress(pool, id, message))
    }

    fn job_run<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<JobRunRecord>> {
        let id = id.to_string();
        self.run(move |pool| super::postgres_jobs::run(pool, id))
    }

    fn job_runs<'a>(
        &'a self,
        job: Option<&'a str>,
        limit: usize,
    ) -> StoreFuture<'a, Vec<JobRunRecord>> {
        let job = job.map(str::to_string);
        self.run(move |pool| super::postgres_jobs::runs(pool, job, limit))
    }

    fn renew_job_runs<'a>(&'a self, ids: &'a [String], until: i64) -> StoreFuture<'a, ()> {
        let ids = ids.to_vec();
        self.run(move |pool| super::postgres_jobs::renew(pool, ids, until))
    }

    fn interrupt_job_runs(
        &self,
        expired_before: i64,
        now: i64,
    ) -> StoreFuture<'_, Vec<(String, i64)>> {
        self.run(move |pool| super::postgres_jobs::interrupt(pool, expired_before, now))
    }

    fn save_schedule<'a>(&'a self, schedule: &'a ScheduleRecord) -> StoreFuture<'a, ()> {
        let schedule = schedule.clone();
        self.run(move |pool| super::postgres_jobs::save_schedule(pool, schedule))
    }

    fn schedules(&self) -> StoreFuture<'_, Vec<ScheduleRecord>> {
        self.run(super::postgres_jobs::schedules)
    }

    fn delete_schedule<'a>(&'a self, name: &'a str) -> StoreFuture<'a, bool> {
        let name = name.to_string();
        self.run(move |pool| super::postgres_jobs::delete_schedule(pool, name))
    }

    fn follow(&self, follower: Follower) {
        if let Some(runtime) = &self.runtime {
            runtime.spawn(nodes::listen(self.config.clone(), follower));
        }
    }

    fn refresh_lock(&self, instance: i64) -> StoreFuture<'_, Held> {
        let Some(handle) = self.runtime.as_ref().map(|r| r.handle().clone()) else {
            return Box::pin(async {
                Err(StoreError::Unavailable(
                    "the store's runtime has stopped".into(),
                ))
            });
        };
        self.run(move |pool| nodes::refresh_lock(pool, handle, instance))
    }

    fn shared(&self) -> bool {
        true
    }

    fn allocate_instance_id(&self) -> StoreFuture<'_, Option<i64>> {
        self.run(nodes::allocate_instance_id)
    }

    fn keep_trace<'a>(
        &'a self,
        request_id: &'a str,
        trace: &'a Value,
        capacity: usize,
    ) -> StoreFuture<'a, ()> {
        let (request_id, trace) = (request_id.to_string(), trace.to_string());
        let capacity = i64::try_from(capacity).unwrap_or(i64::MAX);
        self.run(move |pool| nodes::keep_trace(pool, request_id, trace, capacity))
    }

    fn recent_traces(&self, limit: usize) -> StoreFuture<'_, Vec<Value>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.run(move |pool| nodes::recent_traces(pool, limit))
    }

    fn trace<'a>(&'a self, request_id: &'a str) -> StoreFuture<'a, Option<Value>> {
        let request_id = request_id.to_string();
        self.run(move |pool| nodes::trace(pool, request_id))
    }
}
