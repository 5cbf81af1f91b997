//! The SQLite side of the web tasks' key-value store: one `kv` table of values the caller
//! has already sealed (the store never sees a value in clear).

use rusqlite::{params, Connection, OptionalExtension as _};
use serde_json::Value;

use super::interface::StoreError;

/// Made with the rest of the schema, and on a store from before tasks.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS kv (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
";

/// Keys `list` returns at most: a listing is for finding keys, not for dumping the store.
pub const LIST_LIMIT: usize = 1000;

fn corrupt(key: &str, source: serde_json::Error) -> StoreError {
    StoreError::Corrupt {
        instance: 0,
        key: format!("kv {key}"),
        source,
    }
}

pub(super) fn get(connection: &mut Connection, key: &str) -> Result<Option<Value>, StoreError> {
    let text: Option<String> = connection
        .query_row("SELECT value FROM kv WHERE key = ?1", params![key], |row| {
            row.get(0)
        })
        .optional()?;
    text.map(|t| serde_json::from_str(&t).map_err(|e| corrupt(key, e)))
        .transpose()
}

pub(super) fn put(connection: &mut Connection, key: &str, value: &Value) -> Result<(), StoreError> {
    connection.execute(
        "INSERT INTO kv (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value,
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
        params![key, value.to_string()],
    )?;
    Ok(())
}

pub(super) fn delete(connection: &mut Connection, key: &str) -> Result<bool, StoreError> {
    Ok(connection.execute("DELETE FROM kv WHERE key = ?1", params![key])? > 0)
}

/// Keys starting with `prefix`, in order. Compared with `substr`, not `LIKE`, so that `%`
/// and `_` in a prefix are plain characters.
pub(super) fn list(connection: &mut Connection, prefix: &str) -> Result<Vec<String>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT key FROM kv WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key LIMIT ?2",
    )?;
    let rows = statement.query_map(params![prefix, LIST_LIMIT as i64], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
