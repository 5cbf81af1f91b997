//! The PostgreSQL store's statements, one async function per `Store` method, with the same
//! semantics as the SQLite store's (`store::sqlite`, `instances`, `secrets`).

use deadpool_postgres::{Object, Pool};
use serde_json::{Map, Value};
use tokio_postgres::Row;

use super::interface::{DeliveryRecord, EventRecord, Filter, InstanceRecord, StoreError};
use super::postgres_nodes::CHANNEL;

const EVENT_COLUMNS: &str = "id, element, instance_id, method, headers, query, body, received_at, status, error, generation, normalized";
const DELIVERY_COLUMNS: &str = "id, event_id, instance_id, url, body, status, attempts, next_attempt_at, last_status, last_error, created_at";

/// A connection from the pool; none within the pool's timeouts means the database is away.
pub(super) async fn client(pool: &Pool) -> Result<Object, StoreError> {
    pool.get().await.map_err(|e| {
        StoreError::Unavailable(format!(
            "no PostgreSQL connection: {}",
            super::postgres::causes(&e)
        ))
    })
}

fn event_row(row: &Row) -> Result<EventRecord, StoreError> {
    let headers: String = row.try_get(4)?;
    let normalized: Option<String> = row.try_get(11)?;
    Ok(EventRecord {
        id: row.try_get(0)?,
        element: row.try_get(1)?,
        instance_id: row.try_get(2)?,
        method: row.try_get(3)?,
        // As lenient as the SQLite store: a header list that does not parse reads as none.
        headers: serde_json::from_str(&headers).unwrap_or_default(),
        query: row.try_get(5)?,
        body: row.try_get(6)?,
        received_at: row.try_get(7)?,
        status: row.try_get(8)?,
        error: row.try_get(9)?,
        generation: row.try_get(10)?,
        normalized: normalized.and_then(|n| serde_json::from_str(&n).ok()),
    })
}

fn delivery_row(row: &Row) -> Result<DeliveryRecord, StoreError> {
    Ok(DeliveryRecord {
        id: row.try_get(0)?,
        event_id: row.try_get(1)?,
        instance_id: row.try_get(2)?,
        url: row.try_get(3)?,
        body: row.try_get(4)?,
        status: row.try_get(5)?,
        attempts: row.try_get(6)?,
        next_attempt_at: row.try_get(7)?,
        last_status: row.try_get(8)?,
        last_error: row.try_get(9)?,
        created_at: row.try_get(10)?,
    })
}

fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) async fn save_instances(
    pool: Pool,
    instances: Vec<InstanceRecord>,
) -> Result<(), StoreError> {
    let mut client = client(&pool).await?;
    let tx = client.transaction().await?;
    // Instances the API created are the store's own: the file never overwrites them.
    let statement = tx
        .prepare_cached(
            "INSERT INTO instances (id, name, element, token, configuration) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, element = excluded.element,
               token = excluded.token, configuration = excluded.configuration, updated_at = now()
             WHERE instances.origin = 'file'",
        )
        .await?;
    for record in &instances {
        let configuration = Value::Object(record.configuration.clone()).to_string();
        tx.execute(
            &statement,
            &[
                &record.id,
                &record.name,
                &record.element,
                &record.token,
                &configuration,
            ],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn configuration_writes(
    pool: Pool,
    instance: i64,
) -> Result<Map<String, Value>, StoreError> {
    let client = client(&pool).await?;
    let statement = client
        .prepare_cached("SELECT key, value FROM configuration_writes WHERE instance_id = $1")
        .await?;
    let mut writes = Map::new();
    for row in client.query(&statement, &[&instance]).await? {
        let key: String = row.try_get(0)?;
        let text: String = row.try_get(1)?;
        let value = serde_json::from_str(&text).map_err(|source| StoreError::Corrupt {
            instance,
            key: key.clone(),
            source,
        })?;
        writes.insert(key, value);
    }
    Ok(writes)
}

/// One statement for every key (arrays unnested), so that the row locks are held for one
/// round trip and a commit, not for a transaction's four: hooks writing the same key (a
/// counter, a refreshed token) queue on that lock.
/// Every node is told (`NOTIFY`, sent at commit) in the same statement.
pub(super) async fn write_configuration(
    pool: Pool,
    instance: i64,
    changes: Map<String, Value>,
    notice: String,
) -> Result<(), StoreError> {
    let client = client(&pool).await?;
    let keys: Vec<&str> = changes.keys().map(String::as_str).collect();
    let values: Vec<String> = changes.values().map(Value::to_string).collect();
    let statement = client
        .prepare_cached(
            "WITH written AS (
               INSERT INTO configuration_writes (instance_id, key, value)
               SELECT $1, key, value FROM unnest($2::TEXT[], $3::TEXT[]) AS changes (key, value)
               ON CONFLICT (instance_id, key) DO UPDATE SET value = excluded.value, written_at = now())
             SELECT pg_notify($5, $4)",
        )
        .await?;
    client
        .execute(&statement, &[&instance, &keys, &values, &notice, &CHANNEL])
        .await?;
    Ok(())
}

pub(super) async fn insert_event(pool: Pool, event: EventRecord) -> Result<i64, StoreError> {
    let client = client(&pool).await?;
    let headers = serde_json::to_string(&event.headers).unwrap_or_else(|_| "[]".into());
    let statement = client
        .prepare_cached(
            "INSERT INTO events (element, instance_id, method, headers, query, body, received_at, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'received') RETURNING id",
        )
        .await?;
    let row = client
        .query_one(
            &statement,
            &[
                &event.element,
                &event.instance_id,
                &event.method,
                &headers,
                &event.query,
                &event.body,
                &event.received_at,
            ],
        )
        .await?;
    Ok(row.try_get(0)?)
}

/// Claim received events for `lease` ms: several nodes share one database, and each event is
/// normalized by the node that claimed it; one whose node died is claimed again when the
/// lease runs out (at least once; its deliveries keep their ids). A node takes its own
/// unfinished claims back at once (its outcome could not be recorded: the database was away).
pub(super) async fn received_events(
    pool: Pool,
    count: usize,
    lease: i64,
    node: String,
) -> Result<Vec<EventRecord>, StoreError> {
    let client = client(&pool).await?;
    let statement = client
        .prepare_cached(&format!(
            "UPDATE events SET claimed_until = $2, claimed_by = $4 WHERE id IN (
                 SELECT id FROM events WHERE status = 'received'
                   AND (claimed_until IS NULL OR claimed_until <= $3 OR claimed_by = $4)
                 ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
             RETURNING {EVENT_COLUMNS}"
        ))
        .await?;
    let now = crate::clock::now_ms();
    let rows = client
        .query(&statement, &[&limit(count), &(now + lease), &now, &node])
        .await?;
    let mut events: Vec<EventRecord> = rows.iter().map(event_row).collect::<Result<_, _>>()?;
    events.sort_by_key(|e| e.id);
    Ok(events)
}

/// How an event's normalization ended, owned so that it can travel to the store's runtime.
pub(super) struct Outcome {
    pub status: String,
    pub error: Option<String>,
    pub normalized: Option<String>,
    pub deliveries: Vec<DeliveryRecord>,
}

pub(super) async fn finish_event(pool: Pool, id: i64, outcome: Outcome) -> Result<(), StoreError> {
    let mut client = client(&pool).await?;
    let tx = client.transaction().await?;
    tx.execute(
        "UPDATE events SET status = $2, error = $3, normalized = $4 WHERE id = $1",
        &[&id, &outcome.status, &outcome.error, &outcome.normalized],
    )
    .await?;
    // A delivery already made (a normalization that ran twice) keeps its state.
    let insert = tx
        .prepare_cached(&format!(
            "INSERT INTO deliveries ({DELIVERY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (id) DO NOTHING"
        ))
        .await?;
    for d in &outcome.deliveries {
        tx.execute(
            &insert,
            &[
                &d.id,
                &d.event_id,
                &d.instance_id,
                &d.url,
                &d.body,
                &d.status,
                &d.attempts,
                &d.next_attempt_at,
                &d.last_status,
                &d.last_error,
                &d.created_at,
            ],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn replay_event(pool: Pool, id: i64) -> Result<bool, StoreError> {
    let client = client(&pool).await?;
    let changed = client
        .execute(
            "UPDATE events SET status = 'received', error = NULL, generation = generation + 1, claimed_until = NULL WHERE id = $1",
            &[&id],
        )
        .await?;
    Ok(changed > 0)
}

pub(super) async fn event(pool: Pool, id: i64) -> Result<Option<EventRecord>, StoreError> {
    let client = client(&pool).await?;
    let statement = client
        .prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1"))
        .await?;
    let row = client.query_opt(&statement, &[&id]).await?;
    row.as_ref().map(event_row).transpose()
}

/// Filters as parameters that may be null, so that one prepared statement serves them all.
pub(super) async fn events(pool: Pool, filter: Filter) -> Result<Vec<EventRecord>, StoreError> {
    let client = client(&pool).await?;
    let statement = client
        .prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM events
             WHERE ($1::BIGINT IS NULL OR instance_id = $1) AND ($2::TEXT IS NULL OR status = $2)
             ORDER BY id DESC LIMIT $3"
        ))
        .await?;
    let rows = client
        .query(
            &statement,
            &[
                &filter.instance,
                &filter.status,
                &limit(filter.limit.max(1)),
            ],
        )
        .await?;
    rows.iter().map(event_row).collect()
}

/// Claim due deliveries: their next attempt moves `lease` ms ahead, so no other node takes
/// them meanwhile; the attempt's outcome (`update_delivery`) sets the real one. A delivery
/// whose node died is due again when the lease runs out, under the same id. Answered as they
/// were before the claim, soonest first.
pub(super) async fn due_deliveries(
    pool: Pool,
    now: i64,
    count: usize,
    lease: i64,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    let client = client(&pool).await?;
    let columns: String = DELIVERY_COLUMNS
        .split(", ")
        .map(|c| format!("d.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let statement = client
        .prepare_cached(&format!(
            "WITH due AS (
                 SELECT id, next_attempt_at AS was FROM deliveries
                 WHERE status = 'pending' AND next_attempt_at <= $1
                 ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
             UPDATE deliveries d SET next_attempt_at = $3 FROM due WHERE d.id = due.id
             RETURNING {columns}, due.was"
        ))
        .await?;
    let rows = client
        .query(&statement, &[&now, &limit(count), &(now + lease)])
        .await?;
    let mut due = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut delivery = delivery_row(row)?;
        delivery.next_attempt_at = row.try_get("was")?;
        due.push(delivery);
    }
    due.sort_by(|a, b| (a.next_attempt_at, &a.id).cmp(&(b.next_attempt_at, &b.id)));
    Ok(due)
}

pub(super) async fn next_delivery_at(pool: Pool) -> Result<Option<i64>, StoreError> {
    let client = client(&pool).await?;
    let row = client
        .query_one(
            "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'",
            &[],
        )
        .await?;
    Ok(row.try_get(0)?)
}

pub(super) async fn update_delivery(pool: Pool, d: DeliveryRecord) -> Result<(), StoreError> {
    let client = client(&pool).await?;
    let statement = client
        .prepare_cached(
            "UPDATE deliveries SET status = $2, attempts = $3, next_attempt_at = $4, last_status = $5, last_error = $6 WHERE id = $1",
        )
        .await?;
    client
        .execute(
            &statement,
            &[
                &d.id,
                &d.status,
                &d.attempts,
                &d.next_attempt_at,
                &d.last_status,
                &d.last_error,
            ],
        )
        .await?;
    Ok(())
}

pub(super) async fn deliveries(
    pool: Pool,
    filter: Filter,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    let client = client(&pool).await?;
    let statement = client
        .prepare_cached(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM deliveries
             WHERE ($1::BIGINT IS NULL OR instance_id = $1) AND ($2::TEXT IS NULL OR status = $2)
             ORDER BY created_at DESC, id LIMIT $3"
        ))
        .await?;
    let rows = client
        .query(
            &statement,
            &[
                &filter.instance,
                &filter.status,
                &limit(filter.limit.max(1)),
            ],
        )
        .await?;
    rows.iter().map(delivery_row).collect()
}

pub(super) async fn redeliver(
    pool: Pool,
    id: Option<String>,
    now: i64,
) -> Result<usize, StoreError> {
    let client = client(&pool).await?;
    let changed = match id {
        Some(id) => client.execute(
            "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2 WHERE id = $1",
            &[&id, &now],
        ).await?,
        None => client.execute(
            "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = $1 WHERE status = 'queued'",
            &[&now],
        ).await?,
    };
    Ok(usize::try_from(changed).unwrap_or(usize::MAX))
}

pub(super) async fn last_poll(
    pool: Pool,
    instance: i64,
    object: String,
) -> Result<Option<i64>, StoreError> {
    let client = client(&pool).await?;
    let row = client
        .query_opt(
            "SELECT last_poll_at FROM pollers WHERE instance_id = $1 AND object = $2",
            &[&instance, &object],
        )
        .await?;
    Ok(row.map(|row| row.try_get(0)).transpose()?)
}

pub(super) async fn set_last_poll(
    pool: Pool,
    instance: i64,
    object: String,
    at: i64,
) -> Result<(), StoreError> {
    let client = client(&pool).await?;
    client
        .execute(
            "INSERT INTO pollers (instance_id, object, last_poll_at) VALUES ($1, $2, $3)
             ON CONFLICT (instance_id, object) DO UPDATE SET last_poll_at = excluded.last_poll_at",
            &[&instance, &object, &at],
        )
        .await?;
    Ok(())
}

pub(super) async fn api_instances(pool: Pool) -> Result<Vec<InstanceRecord>, StoreError> {
    let client = client(&pool).await?;
    let rows = client
        .query(
            "SELECT id, name, element, token, configuration, tags FROM instances WHERE origin = 'api' ORDER BY id",
            &[],
        )
        .await?;
    let mut records = Vec::new();
    for row in rows {
        let id: i64 = row.try_get(0)?;
        let corrupt = |key: &str, source| StoreError::Corrupt {
            instance: id,
            key: key.into(),
            source,
        };
        let configuration: String = row.try_get(4)?;
        let tags: String = row.try_get(5)?;
        records.push(InstanceRecord {
            id,
            name: row.try_get(1)?,
            element: row.try_get(2)?,
            token: row.try_get(3)?,
            configuration: serde_json::from_str(&configuration)
                .map_err(|e| corrupt("configuration", e))?,
            tags: serde_json::from_str(&tags).map_err(|e| corrupt("tags", e))?,
            from_api: true,
            ..InstanceRecord::default()
        });
    }
    Ok(records)
}

pub(super) async fn insert_instance(
    pool: Pool,
    record: InstanceRecord,
    notice: String,
) -> Result<(), StoreError> {
    let client = client(&pool).await?;
    let configuration = Value::Object(record.configuration.clone()).to_string();
    let tags = serde_json::to_string(&record.tags).unwrap_or_else(|_| "[]".into());
    client
        .execute(
            "WITH inserted AS (INSERT INTO instances (id, name, element, token, configuration, origin, tags) VALUES ($1, $2, $3, $4, $5, 'api', $6))
             SELECT pg_notify($8, $7)",
            &[&record.id, &record.name, &record.element, &record.token, &configuration, &tags, &notice, &CHANNEL],
        )
        .await?;
    Ok(())
}

pub(super) async fn rename_instance(
    pool: Pool,
    id: i64,
    name: String,
    tags: Vec<String>,
    notice: String,
) -> Result<(), StoreError> {
    let client = client(&pool).await?;
    let tags = serde_json::to_string(&tags).unwrap_or_else(|_| "[]".into());
    client
        .execute(
            "WITH renamed AS (UPDATE instances SET name = $1, tags = $2, updated_at = now() WHERE id = $3)
             SELECT pg_notify($5, $4)",
            &[&name, &tags, &id, &notice, &CHANNEL],
        )
        .await?;
    Ok(())
}

pub(super) async fn delete_instance(
    pool: Pool,
    id: i64,
    notice: String,
) -> Result<bool, StoreError> {
    let mut client = client(&pool).await?;
    let tx = client.transaction().await?;
    let removed = tx
        .execute("DELETE FROM instances WHERE id = $1", &[&id])
        .await?;
    tx.execute(
        "DELETE FROM configuration_writes WHERE instance_id = $1",
        &[&id],
    )
    .await?;
    tx.execute("DELETE FROM pollers WHERE instance_id = $1", &[&id])
        .await?;
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &notice])
        .await?;
    tx.commit().await?;
    Ok(removed > 0)
}
