//! The PostgreSQL side of the web tasks' key-value store (as `store::kv` for SQLite): values
//! the caller has already sealed, and their part of `rewrite_secrets`; and the nodes' leases.

use deadpool_postgres::{Pool, Transaction};
use serde_json::Value;

use super::interface::{Rewrite, StoreError};
use super::kv::LIST_LIMIT;
use super::postgres_sql::client;

fn corrupt(key: &str, source: serde_json::Error) -> StoreError {
    StoreError::Corrupt {
        instance: 0,
        key: format!("kv {key}"),
        source,
    }
}

pub(super) async fn get(pool: Pool, key: String) -> Result<Option<Value>, StoreError> {
    let client = client(&pool).await?;
    let row = client
        .query_opt("SELECT value FROM kv WHERE key = $1", &[&key])
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let text: String = row.try_get(0)?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| corrupt(&key, e))
}

pub(super) async fn put(pool: Pool, key: String, value: Value) -> Result<(), StoreError> {
    let client = client(&pool).await?;
    client
        .execute(
            "INSERT INTO kv (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()",
            &[&key, &value.to_string()],
        )
        .await?;
    Ok(())
}

pub(super) async fn delete(pool: Pool, key: String) -> Result<bool, StoreError> {
    let client = client(&pool).await?;
    Ok(client
        .execute("DELETE FROM kv WHERE key = $1", &[&key])
        .await?
        > 0)
}

/// Keys starting with `prefix`, in order; compared with `left`, not `LIKE`, so that `%` and
/// `_` in a prefix are plain characters.
pub(super) async fn list(pool: Pool, prefix: String) -> Result<Vec<String>, StoreError> {
    let client = client(&pool).await?;
    let rows = client
        .query(
            "SELECT key FROM kv WHERE left(key, char_length($1)) = $1 ORDER BY key LIMIT $2",
            &[&prefix, &(LIST_LIMIT as i64)],
        )
        .await?;
    rows.iter()
        .map(|row| row.try_get(0).map_err(StoreError::from))
        .collect()
}

/// Take or renew the lease `name` for `node` for `lease` ms: granted when nobody holds it,
/// when `node` does, or when the holder's lease ran out (its node died).
pub(super) async fn lease(
    pool: Pool,
    name: String,
    node: String,
    lease: i64,
) -> Result<bool, StoreError> {
    let client = client(&pool).await?;
    let now = crate::clock::now_ms();
    let granted = client
        .query_opt(
            "INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
             WHERE leases.holder = excluded.holder OR leases.until <= $4
             RETURNING holder",
            &[&name, &node, &(now + lease), &now],
        )
        .await?;
    Ok(granted.is_some())
}

/// The kv values' part of `rewrite_secrets`, in its transaction.
pub(super) async fn rewrite(tx: &Transaction<'_>, change: &Rewrite) -> Result<usize, StoreError> {
    let mut changed = 0;
    let rows = tx
        .query("SELECT key, value FROM kv ORDER BY key FOR UPDATE", &[])
        .await?;
    for row in rows {
        let (key, text): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        let value: Value = serde_json::from_str(&text).map_err(|e| corrupt(&key, e))?;
        let new = change(&value).map_err(|message| {
            StoreError::Unavailable(format!("rewriting the secrets of kv {key}: {message}"))
        })?;
        if let Some(new) = new {
            tx.execute(
                "UPDATE kv SET value = $1 WHERE key = $2",
                &[&new.to_string(), &key],
            )
            .await?;
            changed += 1;
        }
    }
    Ok(changed)
}
