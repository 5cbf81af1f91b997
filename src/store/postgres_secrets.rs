//! The PostgreSQL side of `Store::rewrite_secrets`: every configuration value and instance
//! token (and kv value), passed through one function in one transaction (as `store::secrets`
//! for SQLite).

use deadpool_postgres::{Pool, Transaction};
use serde_json::{Map, Value};

use super::interface::{Rewrite, StoreError};

/// The error for a value `change` refused: everything is rolled back.
fn failed(instance: i64, key: &str, message: String) -> StoreError {
    StoreError::Unavailable(format!(
        "rewriting the secrets of instance {instance} ({key}): {message}"
    ))
}

/// Rewrite the instances' tokens and configuration, and the configuration hooks wrote back;
/// the number of values changed. Rows are locked as they are read, so that a write from
/// another node waits for the rewrite rather than being overwritten with an old value.
pub(super) async fn rewrite(pool: Pool, change: Rewrite) -> Result<usize, StoreError> {
    let mut client = pool.get().await.map_err(|e| {
        StoreError::Unavailable(format!(
            "no PostgreSQL connection: {}",
            super::postgres::causes(&e)
        ))
    })?;
    let tx = client.transaction().await?;
    let changed = instances(&tx, &change).await?
        + writes(&tx, &change).await?
        + super::postgres_kv::rewrite(&tx, &change).await?;
    tx.commit().await?;
    Ok(changed)
}

async fn instances(tx: &Transaction<'_>, change: &Rewrite) -> Result<usize, StoreError> {
    let mut changed = 0;
    let rows = tx
        .query(
            "SELECT id, token, configuration FROM instances ORDER BY id FOR UPDATE",
            &[],
        )
        .await?;
    for row in rows {
        let (id, token, configuration): (i64, String, String) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if let Some(Value::String(new)) =
            change(&Value::String(token)).map_err(|e| failed(id, "token", e))?
        {
            changed += 1;
            tx.execute(
                "UPDATE instances SET token = $1 WHERE id = $2",
                &[&new, &id],
            )
            .await?;
        }
        let mut map: Map<String, Value> =
            serde_json::from_str(&configuration).map_err(|source| StoreError::Corrupt {
                instance: id,
                key: "configuration".into(),
                source,
            })?;
        let mut touched = false;
        for (key, value) in map.iter_mut() {
            if let Some(new) = change(value).map_err(|e| failed(id, key, e))? {
                *value = new;
                touched = true;
                changed += 1;
            }
        }
        if touched {
            let text = Value::Object(map).to_string();
            tx.execute(
                "UPDATE instances SET configuration = $1 WHERE id = $2",
                &[&text, &id],
            )
            .await?;
        }
    }
    Ok(changed)
}

async fn writes(tx: &Transaction<'_>, change: &Rewrite) -> Result<usize, StoreError> {
    let mut changed = 0;
    let rows = tx
        .query(
            "SELECT instance_id, key, value FROM configuration_writes ORDER BY instance_id, key FOR UPDATE",
            &[],
        )
        .await?;
    for row in rows {
        let (id, key, text): (i64, String, String) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        let value: Value = serde_json::from_str(&text).map_err(|source| StoreError::Corrupt {
            instance: id,
            key: key.clone(),
            source,
        })?;
        if let Some(new) = change(&value).map_err(|e| failed(id, &key, e))? {
            tx.execute(
                "UPDATE configuration_writes SET value = $1 WHERE instance_id = $2 AND key = $3",
                &[&new.to_string(), &id, &key],
            )
            .await?;
            changed += 1;
        }
    }
    Ok(changed)
}
