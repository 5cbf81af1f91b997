//! The SQLite side of `Store::rewrite_secrets`: every configuration value, instance token and
//! task key-value entry, passed through one function in one transaction.

use rusqlite::{params, Connection};
use serde_json::{Map, Value};

use super::interface::{Rewrite, StoreError};

/// Rewrite the instances' tokens and configuration, and the configuration hooks wrote back;
/// the number of values changed. Nothing is written unless every value could be passed.
pub(super) fn rewrite(connection: &mut Connection, change: &Rewrite) -> Result<usize, StoreError> {
    let tx = connection.transaction()?;
    let failed = |instance: i64, key: &str, message: String| {
        StoreError::Unavailable(format!(
            "rewriting the secrets of instance {instance} ({key}): {message}"
        ))
    };
    let mut changed = 0;
    let instances: Vec<(i64, String, String)> = {
        let mut statement = tx.prepare("SELECT id, token, configuration FROM instances")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, token, configuration) in instances {
        let token = match change(&Value::String(token)).map_err(|e| failed(id, "token", e))? {
            Some(Value::String(new)) => {
                changed += 1;
                Some(new)
            }
            _ => None,
        };
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
        if let Some(token) = token {
            tx.execute(
                "UPDATE instances SET token = ?1 WHERE id = ?2",
                params![token, id],
            )?;
        }
        if touched {
            let text = Value::Object(map).to_string();
            tx.execute(
                "UPDATE instances SET configuration = ?1 WHERE id = ?2",
                params![text, id],
            )?;
        }
    }
    let writes: Vec<(i64, String, String)> = {
        let mut statement =
            tx.prepare("SELECT instance_id, key, value FROM configuration_writes")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, key, text) in writes {
        let value: Value = serde_json::from_str(&text).map_err(|source| StoreError::Corrupt {
            instance: id,
            key: key.clone(),
            source,
        })?;
        if let Some(new) = change(&value).map_err(|e| failed(id, &key, e))? {
            tx.execute(
                "UPDATE configuration_writes SET value = ?1 WHERE instance_id = ?2 AND key = ?3",
                params![new.to_string(), id, key],
            )?;
            changed += 1;
        }
    }
    // The web tasks' key-value store holds tokens too: sealed and rotated like the rest.
    let entries: Vec<(String, String)> = {
        let mut statement = tx.prepare("SELECT key, value FROM kv")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (key, text) in entries {
        let value: Value = serde_json::from_str(&text).map_err(|source| StoreError::Corrupt {
            instance: 0,
            key: format!("kv {key}"),
            source,
        })?;
        if let Some(new) = change(&value).map_err(|e| failed(0, &format!("kv {key}"), e))? {
            tx.execute(
                "UPDATE kv SET value = ?1 WHERE key = ?2",
                params![new.to_string(), key],
            )?;
            changed += 1;
        }
    }
    tx.commit()?;
    if changed > 0 {
        // The write-ahead log still holds the pages as they were: fold it into the file
        // (whose overwritten pages are zeroed) and truncate it.
        connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    Ok(changed)
}
