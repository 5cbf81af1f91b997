//! The SQLite side of instances created through the instances API: the `origin` and `tags`
//! columns (added to a store from before them), listing, inserting, renaming and deleting.

use rusqlite::{params, Connection};
use serde_json::{Map, Value};

use super::interface::{InstanceRecord, StoreError};

/// Add the columns the instances API needs to a store made before it.
pub(super) fn migrate(connection: &Connection) -> Result<(), StoreError> {
    let mut statement = connection.prepare("SELECT name FROM pragma_table_info('instances')")?;
    let columns: Vec<String> = statement
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for (column, definition) in [
        ("origin", "TEXT NOT NULL DEFAULT 'file'"),
        ("tags", "TEXT NOT NULL DEFAULT '[]'"),
    ] {
        if !columns.iter().any(|c| c == column) {
            connection.execute_batch(&format!(
                "ALTER TABLE instances ADD COLUMN {column} {definition}"
            ))?;
        }
    }
    Ok(())
}

pub(super) fn api_instances(
    connection: &mut Connection,
) -> Result<Vec<InstanceRecord>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT id, name, element, token, configuration, tags FROM instances WHERE origin = 'api' ORDER BY id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, String>(5)?,
        ))
    })?;
    let mut records = Vec::new();
    for row in rows {
        let (id, name, element, token, configuration, tags) = row?;
        let corrupt = |key: &str, source| StoreError::Corrupt {
            instance: id,
            key: key.into(),
            source,
        };
        let configuration: Map<String, Value> =
            serde_json::from_str(&configuration).map_err(|e| corrupt("configuration", e))?;
        let tags: Vec<String> = serde_json::from_str(&tags).map_err(|e| corrupt("tags", e))?;
        records.push(InstanceRecord {
            id,
            name,
            element,
            token,
            configuration,
            tags,
            from_api: true,
            ..InstanceRecord::default()
        });
    }
    Ok(records)
}

pub(super) fn insert(
    connection: &mut Connection,
    record: &InstanceRecord,
) -> Result<(), StoreError> {
    connection.execute(
        "INSERT INTO instances (id, name, element, token, configuration, origin, tags) VALUES (?1, ?2, ?3, ?4, ?5, 'api', ?6)",
        params![
            record.id,
            record.name,
            record.element,
            record.token,
            Value::Object(record.configuration.clone()).to_string(),
            serde_json::to_string(&record.tags).unwrap_or_else(|_| "[]".into()),
        ],
    )?;
    Ok(())
}

pub(super) fn rename(
    connection: &mut Connection,
    id: i64,
    name: &str,
    tags: &[String],
) -> Result<(), StoreError> {
    connection.execute(
        "UPDATE instances SET name = ?1, tags = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?3",
        params![name, serde_json::to_string(tags).unwrap_or_else(|_| "[]".into()), id],
    )?;
    Ok(())
}

pub(super) fn delete(connection: &mut Connection, id: i64) -> Result<bool, StoreError> {
    let tx = connection.transaction()?;
    let removed = tx.execute("DELETE FROM instances WHERE id = ?1", params![id])?;
    tx.execute(
        "DELETE FROM configuration_writes WHERE instance_id = ?1",
        params![id],
    )?;
    tx.execute("DELETE FROM pollers WHERE instance_id = ?1", params![id])?;
    tx.commit()?;
    // A deleted account leaves nothing behind: the write-ahead log still holds its pages as
    // they were, so it is folded into the file (whose deleted rows are zeroed) and truncated.
    connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(removed > 0)
}
