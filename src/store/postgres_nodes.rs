//! What the PostgreSQL store does for several nodes on one database: instance changes told
//! to every node (LISTEN/NOTIFY), one OAuth refresh at a time across nodes (advisory locks),
//! and debug traces any node can read.

use std::future::poll_fn;
use std::time::Duration;

use deadpool_postgres::{Object, Pool};
use serde_json::Value;
use tokio_postgres::{AsyncMessage, NoTls};

use super::interface::{Change, Follower, Held, StoreError};
use super::postgres_sql::client;

/// The channel instance changes are told on (by the writes of `postgres_sql`, in their own
/// statements); the payload is `<node> <instance id>`.
pub(super) const CHANNEL: &str = "elemental_instances";

/// The first key of the advisory locks that single-flight token refreshes (the second is
/// the instance id): "elrf" in ASCII, clear of the migration lock.
const REFRESH_LOCK: i32 = 0x656c_7266;
/// How long a node waits for another node's refresh before giving up (the vendor's token
/// endpoint is slow or the other node hangs): the caller is told the store is unavailable.
const REFRESH_WAIT: Duration = Duration::from_secs(30);
/// Between two tries of the refresh lock.
const REFRESH_POLL: Duration = Duration::from_millis(20);
/// Before connecting again after the listening connection was lost.
const RECONNECT: Duration = Duration::from_millis(500);

/// The payload of a change to `instance` made by `node`.
pub(super) fn notice(node: &str, instance: i64) -> String {
    format!("{node} {instance}")
}

/// Listen for instance changes for the life of the runtime: a connection of its own (a
/// pooled one would be handed to statements), connected again whenever it is lost. Every
/// time LISTEN takes effect the follower is told `Everything`: what changed while no one
/// listened (at start, during an outage) is read again in full.
pub(super) async fn listen(mut config: tokio_postgres::Config, follower: Follower) {
    // A connection that only listens sends nothing: without keepalives a silently dropped
    // one (a network cut, no reset) would be found out after hours, its notices lost meanwhile.
    config
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(10))
        .keepalives_interval(Duration::from_secs(5))
        .keepalives_retries(3);
    loop {
        match listen_once(&config, &follower).await {
            Ok(()) => {
                tracing::warn!("the PostgreSQL listening connection closed; connecting again")
            }
            Err(error) => {
                tracing::warn!(%error, "the PostgreSQL listening connection failed; connecting again")
            }
        }
        tokio::time::sleep(RECONNECT).await;
    }
}

async fn listen_once(
    config: &tokio_postgres::Config,
    follower: &Follower,
) -> Result<(), StoreError> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let told = follower.clone();
    // The connection delivers notifications only while polled; polling it also carries the
    // LISTEN statement below.
    let driver = tokio::spawn(async move {
        while let Some(message) = poll_fn(|cx| connection.poll_message(cx)).await {
            // Notices (server warnings) tell the follower nothing.
            if let AsyncMessage::Notification(n) = message? {
                if let Some(id) = instance_of(n.payload()) {
                    told(Change::Instance(id));
                }
            }
        }
        Ok::<(), tokio_postgres::Error>(())
    });
    client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
    follower(Change::Everything);
    let ended = driver.await;
    drop(client);
    match ended {
        Ok(result) => result.map_err(StoreError::from),
        Err(e) => Err(StoreError::Unavailable(format!("the listening task: {e}"))),
    }
}

/// The instance id of a notification's payload.
fn instance_of(payload: &str) -> Option<i64> {
    payload.rsplit(' ').next()?.parse().ok()
}

/// Take the refresh lock of `instance`, a session advisory lock on a pooled connection held
/// by the guard. Tried rather than waited for, so that a wait is bounded and a cancelled
/// caller leaves no waiting statement behind; the connection goes back to the pool between
/// tries, so that refreshes waiting on other nodes do not empty it.
pub(super) async fn refresh_lock(
    pool: Pool,
    runtime: tokio::runtime::Handle,
    instance: i64,
) -> Result<Held, StoreError> {
    // The lock's second key is 32 bits: ids beyond share a lock with another id, which
    // only makes their refreshes wait for each other.
    let key = instance as i32;
    let deadline = tokio::time::Instant::now() + REFRESH_WAIT;
    loop {
        let client = client(&pool).await?;
        let row = client
            .query_one(
                "SELECT pg_try_advisory_lock($1, $2)",
                &[&REFRESH_LOCK, &key],
            )
            .await?;
        if row.try_get::<_, bool>(0)? {
            return Ok(Held(Box::new(RefreshLock {
                client: Some(client),
                key,
                runtime,
            })));
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(StoreError::Unavailable(format!(
                "instance {instance}: another node's token refresh did not end within {} s",
                REFRESH_WAIT.as_secs()
            )));
        }
        tokio::time::sleep(REFRESH_POLL).await;
    }
}

/// A held refresh lock: released when dropped, on the store's runtime.
struct RefreshLock {
    client: Option<Object>,
    key: i32,
    runtime: tokio::runtime::Handle,
}

impl Drop for RefreshLock {
    /// Unlock, then give the connection back. A connection whose unlock failed is closed
    /// instead (`Object::take`): the server releases a session's locks when it ends, and
    /// no later statement may find the lock still held on it.
    fn drop(&mut self) {
        let Some(client) = self.client.take() else {
            return;
        };
        let key = self.key;
        self.runtime.spawn(async move {
            let unlocked = client
                .query_one("SELECT pg_advisory_unlock($1, $2)", &[&REFRESH_LOCK, &key])
                .await;
            if !matches!(unlocked.map(|row| row.try_get::<_, bool>(0)), Ok(Ok(true))) {
                drop(Object::take(client));
            }
        });
    }
}

/// Keep a trace and, in the same statement, forget those older than the last `capacity`:
/// one round trip, the deletion a range on the primary key.
pub(super) async fn keep_trace(
    pool: Pool,
    request_id: String,
    trace: String,
    capacity: i64,
) -> Result<(), StoreError> {
    let client = client(&pool).await?;
    let statement = client
        .prepare_cached(
            "WITH kept AS (INSERT INTO traces (request_id, trace) VALUES ($1, $2) RETURNING seq)
             DELETE FROM traces WHERE seq <= (SELECT seq FROM kept) - $3",
        )
        .await?;
    client
        .execute(&statement, &[&request_id, &trace, &capacity])
        .await?;
    Ok(())
}

/// An id for a new API instance from the database's sequence: two nodes creating instances
/// at once never pick the same one (ids from a node's memory could, within the moment the
/// other's creation takes to reach it).
pub(super) async fn allocate_instance_id(pool: Pool) -> Result<Option<i64>, StoreError> {
    let client = client(&pool).await?;
    let row = client
        .query_one("SELECT nextval('instance_ids')", &[])
        .await?;
    Ok(Some(row.try_get(0)?))
}

/// The newest traces kept, newest first.
pub(super) async fn recent_traces(pool: Pool, limit: i64) -> Result<Vec<Value>, StoreError> {
    let client = client(&pool).await?;
    let rows = client
        .query(
            "SELECT trace FROM traces ORDER BY seq DESC LIMIT $1",
            &[&limit],
        )
        .await?;
    let mut traces = Vec::with_capacity(rows.len());
    for row in rows {
        let text: String = row.try_get(0)?;
        // A row that does not parse was not written by this store: left out.
        if let Ok(trace) = serde_json::from_str(&text) {
            traces.push(trace);
        }
    }
    Ok(traces)
}

/// The newest trace kept for `request_id`.
pub(super) async fn trace(pool: Pool, request_id: String) -> Result<Option<Value>, StoreError> {
    let client = client(&pool).await?;
    let row = client
        .query_opt(
            "SELECT trace FROM traces WHERE request_id = $1 ORDER BY seq DESC LIMIT 1",
            &[&request_id],
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let text: String = row.try_get(0)?;
    // A row that does not parse was not written by this store: read as no trace.
    Ok(serde_json::from_str(&text).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_names_its_instance() {
        assert_eq!(instance_of(&notice("0af3", 1_000_001)), Some(1_000_001));
        assert_eq!(instance_of("garbage"), None);
    }
}
