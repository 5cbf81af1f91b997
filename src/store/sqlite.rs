//! The default store: one SQLite file (WAL) under the data folder, no server needed.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection};
use serde_json::{Map, Value};

use super::{InstanceRecord, Store, StoreError};

pub struct SqliteStore {
    connection: Mutex<Connection>,
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
CREATE TABLE IF NOT EXISTS configuration_writes (
    instance_id INTEGER NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    written_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (instance_id, key)
);
";

impl SqliteStore {
    /// Open (or create) `<data>/elemental.db`.
    pub fn open(data: &Path) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(data).map_err(|source| StoreError::Folder {
            path: data.display().to_string(),
            source,
        })?;
        let connection = Connection::open(data.join("elemental.db"))?;
        // WAL lets readers run beside the writer; NORMAL is durable across process crashes.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.execute_batch(SCHEMA)?;
        Ok(SqliteStore {
            connection: Mutex::new(connection),
        })
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Connection>, StoreError> {
        self.connection.lock().map_err(|_| StoreError::Poisoned)
    }
}

impl Store for SqliteStore {
    fn save_instances(&self, instances: &[InstanceRecord]) -> Result<(), StoreError> {
        let mut connection = self.lock()?;
        let tx = connection.transaction()?;
        for record in instances {
            tx.execute(
                "INSERT INTO instances (id, name, element, token, configuration) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET name = excluded.name, element = excluded.element,
                   token = excluded.token, configuration = excluded.configuration,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
                params![record.id, record.name, record.element, record.token, Value::Object(record.configuration.clone()).to_string()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn configuration_writes(&self, instance: i64) -> Result<Map<String, Value>, StoreError> {
        let connection = self.lock()?;
        let mut statement = connection
            .prepare("SELECT key, value FROM configuration_writes WHERE instance_id = ?1")?;
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
        &self,
        instance: i64,
        changes: &Map<String, Value>,
    ) -> Result<(), StoreError> {
        let mut connection = self.lock()?;
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
}

#[cfg(test)]
mod tests {
    use super::*;
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
            };
            store.save_instances(&[record]).unwrap();
            let changes = json!({"oauth.user.token": "new", "gone": null})
                .as_object()
                .cloned()
                .unwrap();
            store.write_configuration(7, &changes).unwrap();
        }
        let store = SqliteStore::open(&dir).unwrap();
        assert_eq!(
            Value::Object(store.configuration_writes(7).unwrap()),
            json!({"oauth.user.token": "new", "gone": null})
        );
        assert!(store.configuration_writes(8).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
