//! The default store: one SQLite file (WAL) under the data folder, no server needed. The
//! connection lives on a thread of its own; callers send it work and await the answer, so
//! no request or worker thread waits on the disk while holding anything.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::{params, Connection};
use serde_json::{Map, Value};
use tokio::sync::oneshot;

use super::interface::{
    DeliveryRecord, EventRecord, Filter, InstanceRecord, Rewrite, Store, StoreError, StoreFuture,
};
use super::jobs::{JobRunRecord, ScheduleRecord};

const EVENT_COLUMNS: &str = "id, element, instance_id, method, headers, query, body, received_at, status, error, generation, normalized";
const DELIVERY_COLUMNS: &str = "id, event_id, instance_id, url, body, status, attempts, next_attempt_at, last_status, last_error, created_at";

fn event_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<EventRecord> {
    let headers: String = row.get(4)?;
    let normalized: Option<String> = row.get(11)?;
    Ok(EventRecord {
        id: row.get(0)?,
        element: row.get(1)?,
        instance_id: row.get(2)?,
        method: row.get(3)?,
        headers: serde_json::from_str(&headers).unwrap_or_default(),
        query: row.get(5)?,
        body: row.get(6)?,
        received_at: row.get(7)?,
        status: row.get(8)?,
        error: row.get(9)?,
        generation: row.get(10)?,
        normalized: normalized.and_then(|n| serde_json::from_str(&n).ok()),
    })
}

fn delivery_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DeliveryRecord> {
    Ok(DeliveryRecord {
        id: row.get(0)?,
        event_id: row.get(1)?,
        instance_id: row.get(2)?,
        url: row.get(3)?,
        body: row.get(4)?,
        status: row.get(5)?,
        attempts: row.get(6)?,
        next_attempt_at: row.get(7)?,
        last_status: row.get(8)?,
        last_error: row.get(9)?,
        created_at: row.get(10)?,
    })
}

/// `WHERE` clause and parameters for a listing filter.
fn filtered(filter: &Filter) -> (String, Vec<rusqlite::types::Value>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if let Some(instance) = filter.instance {
        clauses.push("instance_id = ?");
        values.push(rusqlite::types::Value::Integer(instance));
    }
    if let Some(status) = &filter.status {
        clauses.push("status = ?");
        values.push(rusqlite::types::Value::Text(status.clone()));
    }
    let clause = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (clause, values)
}

/// Work for the store thread: it runs with the connection and answers through its own channel.
type Job = Box<dyn FnOnce(&mut Connection) + Send>;

pub struct SqliteStore {
    /// `None` only while dropping: closing the channel ends the store thread.
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS instances (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    element       TEXT NOT NULL,
    token         TEXT NOT NULL,
    configuration TEXT NOT NULL,
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE TABLE IF NOT EXISTS events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    element     TEXT NOT NULL,
    instance_id INTEGER NOT NULL,
    method      TEXT NOT NULL,
    headers     TEXT NOT NULL,
    query       TEXT NOT NULL,
    body        BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    status      TEXT NOT NULL,
    error       TEXT,
    generation  INTEGER NOT NULL DEFAULT 0,
    normalized  TEXT
);
CREATE INDEX IF NOT EXISTS events_status ON events (status, id);
CREATE TABLE IF NOT EXISTS deliveries (
    id              TEXT PRIMARY KEY,
    event_id        INTEGER NOT NULL,
    instance_id     INTEGER NOT NULL,
    url             TEXT NOT NULL,
    body            BLOB NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_attempt_at);
CREATE TABLE IF NOT EXISTS pollers (
    instance_id  INTEGER NOT NULL,
    object       TEXT NOT NULL,
    last_poll_at INTEGER NOT NULL,
    PRIMARY KEY (instance_id, object)
);
CREATE TABLE IF NOT EXISTS configuration_writes (
    instance_id INTEGER NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    written_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (instance_id, key)
);
";

impl SqliteStore {
    /// Open (or create) `<data>/elemental.db` and start the thread that owns it.
    pub fn open(data: &Path) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(data).map_err(|source| StoreError::Folder {
            path: data.display().to_string(),
            source,
        })?;
        let mut connection = Connection::open(data.join("elemental.db"))?;
        // WAL lets readers run beside the writer; NORMAL is durable across process crashes.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        // What is overwritten or deleted is zeroed, not left in free pages: a value sealed
        // in place leaves no clear copy behind.
        connection.pragma_update(None, "secure_delete", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.execute_batch(SCHEMA)?;
        connection.execute_batch(super::kv::SCHEMA)?;
        connection.execute_batch(super::jobs_sqlite::SCHEMA)?;
        super::instances::migrate(&connection)?;
        let (jobs, inbox) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("elemental-store".into())
            .spawn(move || {
                for job in inbox {
                    // A job that panics loses its own answer (its caller sees the store
                    // unavailable); the connection, rolled back, serves the next one.
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut connection)));
                }
            })
            .map_err(|e| StoreError::Unavailable(format!("cannot start the store thread: {e}")))?;
        Ok(SqliteStore {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Send `work` to the store thread now; the future is its answer. Sent at once, not when
    /// first polled, so that a write happens even if its caller stops waiting for it.
    fn run<T, F>(&self, work: F) -> StoreFuture<'static, T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |connection| {
            let _ = answer.send(work(connection));
        });
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(job).is_ok());
        Box::pin(async move {
            if !sent {
                return Err(StoreError::Unavailable(
                    "the store thread has stopped".into(),
                ));
            }
            answered.await.map_err(|_| {
                StoreError::Unavailable("the store thread dropped the request".into())
            })?
        })
    }
}

impl Drop for SqliteStore {
    /// Let the store thread finish the work already sent, then close the file.
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Store for SqliteStore {
    fn save_instances<'a>(&'a self, instances: &'a [InstanceRecord]) -> StoreFuture<'a, ()> {
        let instances = instances.to_vec();
        self.run(move |connection| save_instances(connection, &instances))
    }

    fn configuration_writes(&self, instance: i64) -> StoreFuture<'_, Map<String, Value>> {
        self.run(move |connection| configuration_writes(connection, instance))
    }

    fn write_configuration<'a>(
        &'a self,
        instance: i64,
        changes: &'a Map<String, Value>,
    ) -> StoreFuture<'a, ()> {
        let changes = changes.clone();
        self.run(move |connection| write_configuration(connection, instance, &changes))
    }

    fn insert_event<'a>(&'a self, event: &'a EventRecord) -> StoreFuture<'a, i64> {
        let event = event.clone();
        self.run(move |connection| insert_event(connection, &event))
    }

    fn received_events(&self, limit: usize) -> StoreFuture<'_, Vec<EventRecord>> {
        self.run(move |connection| {
            let mut statement = connection.prepare(&format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE status = 'received' ORDER BY id LIMIT ?1"
            ))?;
            let rows = statement.query_map(params![limit as i64], event_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
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
        self.run(move |connection| finish_event(connection, id, &outcome))
    }

    fn replay_event(&self, id: i64) -> StoreFuture<'_, bool> {
        self.run(move |connection| {
            let changed = connection.execute("UPDATE events SET status = 'received', error = NULL, generation = generation + 1 WHERE id = ?1", params![id])?;
            Ok(changed > 0)
        })
    }

    fn event(&self, id: i64) -> StoreFuture<'_, Option<EventRecord>> {
        self.run(move |connection| {
            let mut statement =
                connection.prepare(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1"))?;
            let mut rows = statement.query_map(params![id], event_row)?;
            Ok(rows.next().transpose()?)
        })
    }

    fn events<'a>(&'a self, filter: &'a Filter) -> StoreFuture<'a, Vec<EventRecord>> {
        let (clause, mut values) = filtered(filter);
        values.push(rusqlite::types::Value::Integer(filter.limit.max(1) as i64));
        self.run(move |connection| {
            let mut statement = connection.prepare(&format!(
                "SELECT {EVENT_COLUMNS} FROM events {clause} ORDER BY id DESC LIMIT ?"
            ))?;
            let rows = statement.query_map(rusqlite::params_from_iter(values), event_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn due_deliveries(&self, now: i64, limit: usize) -> StoreFuture<'_, Vec<DeliveryRecord>> {
        self.run(move |connection| {
            let mut statement = connection.prepare(&format!("SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2"))?;
            let rows = statement.query_map(params![now, limit as i64], delivery_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn next_delivery_at(&self) -> StoreFuture<'_, Option<i64>> {
        self.run(|connection| {
            Ok(connection.query_row(
                "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'",
                [],
                |row| row.get(0),
            )?)
        })
    }

    fn update_delivery<'a>(&'a self, delivery: &'a DeliveryRecord) -> StoreFuture<'a, ()> {
        let d = delivery.clone();
        self.run(move |connection| {
            connection.execute(
                "UPDATE deliveries SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_status = ?5, last_error = ?6 WHERE id = ?1",
                params![d.id, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error],
            )?;
            Ok(())
        })
    }

    fn deliveries<'a>(&'a self, filter: &'a Filter) -> StoreFuture<'a, Vec<DeliveryRecord>> {
        let (clause, mut values) = filtered(filter);
        values.push(rusqlite::types::Value::Integer(filter.limit.max(1) as i64));
        self.run(move |connection| {
            let mut statement = connection.prepare(&format!("SELECT {DELIVERY_COLUMNS} FROM deliveries {clause} ORDER BY created_at DESC, id LIMIT ?"))?;
            let rows = statement.query_map(rusqlite::params_from_iter(values), delivery_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn redeliver<'a>(&'a self, id: Option<&'a str>, now: i64) -> StoreFuture<'a, usize> {
        let id = id.map(str::to_string);
        self.run(move |connection| {
            let changed = match id {
                Some(id) => connection.execute("UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?2 WHERE id = ?1", params![id, now])?,
                None => connection.execute("UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?1 WHERE status = 'queued'", params![now])?,
            };
            Ok(changed)
        })
    }

    fn last_poll<'a>(&'a self, instance: i64, object: &'a str) -> StoreFuture<'a, Option<i64>> {
        let object = object.to_string();
        self.run(move |connection| {
            let mut statement = connection.prepare(
                "SELECT last_poll_at FROM pollers WHERE instance_id = ?1 AND object = ?2",
            )?;
            let mut rows = statement.query_map(params![instance, object], |row| row.get(0))?;
            Ok(rows.next().transpose()?)
        })
    }

    fn set_last_poll<'a>(&'a self, instance: i64, object: &'a str, at: i64) -> StoreFuture<'a, ()> {
        let object = object.to_string();
        self.run(move |connection| {
            connection.execute(
                "INSERT INTO pollers (instance_id, object, last_poll_at) VALUES (?1, ?2, ?3) ON CONFLICT(instance_id, object) DO UPDATE SET last_poll_at = excluded.last_poll_at",
                params![instance, object, at],
            )?;
            Ok(())
        })
    }

    /// One SQLite file serves one node: there is nobody to share a lease with.
    fn lease<'a>(&'a self, _name: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async { Ok(true) })
    }

    fn rewrite_secrets(&self, change: Rewrite) -> StoreFuture<'_, usize> {
        self.run(move |connection| super::secrets::rewrite(connection, &change))
    }

    fn api_instances(&self) -> StoreFuture<'_, Vec<InstanceRecord>> {
        self.run(super::instances::api_instances)
    }

    fn insert_instance<'a>(&'a self, record: &'a InstanceRecord) -> StoreFuture<'a, ()> {
        let record = record.clone();
        self.run(move |connection| super::instances::insert(connection, &record))
    }

    fn rename_instance<'a>(
        &'a self,
        id: i64,
        name: &'a str,
        tags: &'a [String],
    ) -> StoreFuture<'a, ()> {
        let (name, tags) = (name.to_string(), tags.to_vec());
        self.run(move |connection| super::instances::rename(connection, id, &name, &tags))
    }

    fn delete_instance(&self, id: i64) -> StoreFuture<'_, bool> {
        self.run(move |connection| super::instances::delete(connection, id))
    }

    fn kv_get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Value>> {
        let key = key.to_string();
        self.run(move |connection| super::kv::get(connection, &key))
    }

    fn kv_put<'a>(&'a self, key: &'a str, value: &'a Value) -> StoreFuture<'a, ()> {
        let (key, value) = (key.to_string(), value.clone());
        self.run(move |connection| super::kv::put(connection, &key, &value))
    }

    fn kv_delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, bool> {
        let key = key.to_string();
        self.run(move |connection| super::kv::delete(connection, &key))
    }

    fn kv_list<'a>(&'a self, prefix: &'a str) -> StoreFuture<'a, Vec<String>> {
        let prefix = prefix.to_string();
        self.run(move |connection| super::kv::list(connection, &prefix))
    }

    fn save_job_run<'a>(&'a self, run: &'a JobRunRecord) -> StoreFuture<'a, ()> {
        let run = run.clone();
        self.run(move |connection| super::jobs_sqlite::save_run(connection, &run))
    }

    fn job_run_progress<'a>(&'a self, id: &'a str, message: &'a str) -> StoreFuture<'a, bool> {
        let (id, message) = (id.to_string(), message.to_string());
        self.run(move |connection| super::jobs_sqlite::progress(connection, &id, &message))
    }

    fn job_run<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<JobRunRecord>> {
        let id = id.to_string();
        self.run(move |connection| super::jobs_sqlite::run(connection, &id))
    }

    fn job_runs<'a>(
        &'a self,
        job: Option<&'a str>,
        limit: usize,
    ) -> StoreFuture<'a, Vec<JobRunRecord>> {
        let job = job.map(str::to_string);
        self.run(move |connection| super::jobs_sqlite::runs(connection, job.as_deref(), limit))
    }

    fn renew_job_runs<'a>(&'a self, ids: &'a [String], until: i64) -> StoreFuture<'a, ()> {
        let ids = ids.to_vec();
        self.run(move |connection| super::jobs_sqlite::renew(connection, &ids, until))
    }

    fn interrupt_job_runs(
        &self,
        expired_before: i64,
        now: i64,
    ) -> StoreFuture<'_, Vec<(String, i64)>> {
        self.run(move |connection| super::jobs_sqlite::interrupt(connection, expired_before, now))
    }

    fn save_schedule<'a>(&'a self, schedule: &'a ScheduleRecord) -> StoreFuture<'a, ()> {
        let schedule = schedule.clone();
        self.run(move |connection| super::jobs_sqlite::save_schedule(connection, &schedule))
    }

    fn schedules(&self) -> StoreFuture<'_, Vec<ScheduleRecord>> {
        self.run(super::jobs_sqlite::schedules)
    }

    fn delete_schedule<'a>(&'a self, name: &'a str) -> StoreFuture<'a, bool> {
        let name = name.to_string();
        self.run(move |connection| super::jobs_sqlite::delete_schedule(connection, &name))
    }
}

fn save_instances(
    connection: &mut Connection,
    instances: &[InstanceRecord],
) -> Result<(), StoreError> {
    let tx = connection.transaction()?;
    for record in instances {
        tx.execute(
            "INSERT INTO instances (id, name, element, token, configuration) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, element = excluded.element,
               token = excluded.token, configuration = excluded.configuration,
               updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
             WHERE instances.origin = 'file'",
            params![record.id, record.name, record.element, record.token, Value::Object(record.configuration.clone()).to_string()],
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn configuration_writes(
    connection: &mut Connection,
    instance: i64,
) -> Result<Map<String, Value>, StoreError> {
    let mut statement =
        connection.prepare("SELECT key, value FROM configuration_writes WHERE instance_id = ?1")?;
    let rows = statement.query_map(params![instance], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut writes = Map::new();
    for row in rows {
        let (key, text) = row?;
        let value = serde_json::from_str(&text).map_err(|source| StoreError::Corrupt {
            instance,
            key: key.clone(),
            source,
        })?;
        writes.insert(key, value);
    }
    Ok(writes)
}

fn write_configuration(
    connection: &mut Connection,
    instance: i64,
    changes: &Map<String, Value>,
) -> Result<(), StoreError> {
    let tx = connection.transaction()?;
    for (key, value) in changes {
        tx.execute(
            "INSERT INTO configuration_writes (instance_id, key, value) VALUES (?1, ?2, ?3)
             ON CONFLICT(instance_id, key) DO UPDATE SET value = excluded.value,
               written_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
            params![instance, key, value.to_string()],
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn insert_event(connection: &mut Connection, event: &EventRecord) -> Result<i64, StoreError> {
    let headers = serde_json::to_string(&event.headers).unwrap_or_else(|_| "[]".into());
    connection.execute(
        "INSERT INTO events (element, instance_id, method, headers, query, body, received_at, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'received')",
        params![event.element, event.instance_id, event.method, headers, event.query, event.body, event.received_at],
    )?;
    Ok(connection.last_insert_rowid())
}

/// How an event's normalization ended, owned so that it can travel to the store thread.
struct Outcome {
    status: String,
    error: Option<String>,
    normalized: Option<String>,
    deliveries: Vec<DeliveryRecord>,
}

fn finish_event(connection: &mut Connection, id: i64, outcome: &Outcome) -> Result<(), StoreError> {
    let tx = connection.transaction()?;
    tx.execute(
        "UPDATE events SET status = ?2, error = ?3, normalized = ?4 WHERE id = ?1",
        params![id, outcome.status, outcome.error, outcome.normalized],
    )?;
    for d in &outcome.deliveries {
        tx.execute(
            &format!("INSERT OR IGNORE INTO deliveries ({DELIVERY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
            params![d.id, d.event_id, d.instance_id, d.url, d.body, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.created_at],
        )?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::interface::wait;
    use serde_json::json;

    #[test]
    fn writes_survive_reopening_the_file() {
        let dir = std::env::temp_dir().join(format!("elemental-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let store = SqliteStore::open(&dir).unwrap();
            let record = InstanceRecord {
                id: 7,
                name: "a".into(),
                element: "e".into(),
                token: "t".into(),
                configuration: Map::new(),
                ..InstanceRecord::default()
            };
            wait(store.save_instances(&[record])).unwrap();
            let changes = json!({"oauth.user.token": "new", "gone": null})
                .as_object()
                .cloned()
                .unwrap();
            wait(store.write_configuration(7, &changes)).unwrap();
        }
        let store = SqliteStore::open(&dir).unwrap();
        assert_eq!(
            Value::Object(wait(store.configuration_writes(7)).unwrap()),
            json!({"oauth.user.token": "new", "gone": null})
        );
        assert!(wait(store.configuration_writes(8)).unwrap().is_empty());
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_store_whose_thread_is_gone_answers_unavailable() {
        let dir = std::env::temp_dir().join(format!("elemental-store-gone-{}", std::process::id()));
        let mut store = SqliteStore::open(&dir).unwrap();
        store.jobs.take();
        assert!(matches!(
            wait(store.next_delivery_at()),
            Err(StoreError::Unavailable(_))
        ));
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
