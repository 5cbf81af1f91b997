//! The SQLite side of background jobs: the `job_runs` and `schedules` tables.

use rusqlite::{params, Connection, OptionalExtension as _};

use super::interface::StoreError;
use super::jobs::{JobRunRecord, RunRow, ScheduleRecord, INTERRUPTED, RUNNING};

/// Made with the rest of the schema, and on a store from before jobs.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS job_runs (
    id          TEXT PRIMARY KEY,
    job         TEXT NOT NULL,
    state       TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    heartbeat   INTEGER NOT NULL,
    message     TEXT,
    rest        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS job_runs_job ON job_runs (job, started_at);
CREATE INDEX IF NOT EXISTS job_runs_state ON job_runs (state, heartbeat);
CREATE TABLE IF NOT EXISTS schedules (
    name   TEXT PRIMARY KEY,
    record TEXT NOT NULL
);
";

const COLUMNS: &str = "id, job, state, started_at, finished_at, heartbeat, message, rest";

fn row(row: &rusqlite::Row<'_>) -> rusqlite::Result<JobRunRecord> {
    Ok(RunRow {
        id: row.get(0)?,
        job: row.get(1)?,
        state: row.get(2)?,
        started_at: row.get(3)?,
        finished_at: row.get(4)?,
        heartbeat: row.get(5)?,
        message: row.get(6)?,
        rest: row.get(7)?,
    }
    .record())
}

pub(super) fn save_run(connection: &mut Connection, run: &JobRunRecord) -> Result<(), StoreError> {
    connection.execute(
        &format!(
            "INSERT OR REPLACE INTO job_runs ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        ),
        params![
            run.id,
            run.job,
            run.state,
            run.started_at,
            run.finished_at,
            run.heartbeat,
            run.message,
            run.rest()
        ],
    )?;
    Ok(())
}

pub(super) fn progress(
    connection: &mut Connection,
    id: &str,
    message: &str,
) -> Result<bool, StoreError> {
    let changed = connection.execute(
        "UPDATE job_runs SET message = ?2 WHERE id = ?1 AND state = ?3",
        params![id, message, RUNNING],
    )?;
    Ok(changed > 0)
}

pub(super) fn run(
    connection: &mut Connection,
    id: &str,
) -> Result<Option<JobRunRecord>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM job_runs WHERE id = ?1");
    Ok(connection.query_row(&sql, params![id], row).optional()?)
}

pub(super) fn runs(
    connection: &mut Connection,
    job: Option<&str>,
    limit: usize,
) -> Result<Vec<JobRunRecord>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM job_runs WHERE (?1 IS NULL OR job = ?1)
         ORDER BY started_at DESC, rowid DESC LIMIT ?2"
    );
    let mut statement = connection.prepare(&sql)?;
    let rows = statement.query_map(params![job, limit as i64], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn renew(
    connection: &mut Connection,
    ids: &[String],
    until: i64,
) -> Result<(), StoreError> {
    let tx = connection.transaction()?;
    for id in ids {
        tx.execute(
            "UPDATE job_runs SET heartbeat = ?2 WHERE id = ?1 AND state = ?3",
            params![id, until, RUNNING],
        )?;
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn interrupt(
    connection: &mut Connection,
    expired_before: i64,
    now: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut statement = connection.prepare(
        "UPDATE job_runs SET state = ?1, finished_at = ?2,
             message = COALESCE(message, 'the run was cut off before it ended')
         WHERE state = ?3 AND heartbeat < ?4
         RETURNING job, started_at",
    )?;
    let rows = statement.query_map(params![INTERRUPTED, now, RUNNING, expired_before], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn save_schedule(
    connection: &mut Connection,
    schedule: &ScheduleRecord,
) -> Result<(), StoreError> {
    let record = serde_json::to_string(schedule).unwrap_or_else(|_| "{}".into());
    connection.execute(
        "INSERT OR REPLACE INTO schedules (name, record) VALUES (?1, ?2)",
        params![schedule.name, record],
    )?;
    Ok(())
}

pub(super) fn schedules(connection: &mut Connection) -> Result<Vec<ScheduleRecord>, StoreError> {
    let mut statement = connection.prepare("SELECT name, record FROM schedules ORDER BY name")?;
    let rows = statement.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut found = Vec::new();
    for pair in rows {
        let (name, text) = pair?;
        let record = serde_json::from_str(&text).map_err(|source| StoreError::Corrupt {
            instance: 0,
            key: format!("schedule {name}"),
            source,
        })?;
        found.push(record);
    }
    Ok(found)
}

pub(super) fn delete_schedule(connection: &mut Connection, name: &str) -> Result<bool, StoreError> {
    Ok(connection.execute("DELETE FROM schedules WHERE name = ?1", params![name])? > 0)
}
