//! The PostgreSQL side of background jobs (as `store::jobs_sqlite`): runs and schedules.

use deadpool_postgres::Pool;

use super::interface::StoreError;
use super::jobs::{JobRunRecord, RunRow, ScheduleRecord, INTERRUPTED, RUNNING};
use super::postgres_sql::client;

const COLUMNS: &str = "id, job, state, started_at, finished_at, heartbeat, message, rest";

fn row(row: &tokio_postgres::Row) -> Result<JobRunRecord, StoreError> {
    Ok(RunRow {
        id: row.try_get(0)?,
        job: row.try_get(1)?,
        state: row.try_get(2)?,
        started_at: row.try_get(3)?,
        finished_at: row.try_get(4)?,
        heartbeat: row.try_get(5)?,
        message: row.try_get(6)?,
        rest: row.try_get(7)?,
    }
    .record())
}

pub(super) async fn save_run(pool: Pool, run: JobRunRecord) -> Result<(), StoreError> {
    let client = client(&pool).await?;
    let sql = format!(
        "INSERT INTO job_runs ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET job = excluded.job, state = excluded.state,
           started_at = excluded.started_at, finished_at = excluded.finished_at,
           heartbeat = excluded.heartbeat, message = excluded.message, rest = excluded.rest"
    );
    client
        .execute(
            &sql,
            &[
                &run.id,
                &run.job,
                &run.state,
                &run.started_at,
                &run.finished_at,
                &run.heartbeat,
                &run.message,
                &run.rest(),
            ],
        )
        .await?;
    Ok(())
}

pub(super) async fn progress(pool: Pool, id: String, message: String) -> Result<bool, StoreError> {
    let client = client(&pool).await?;
    let changed = client
        .execute(
            "UPDATE job_runs SET message = $2 WHERE id = $1 AND state = $3",
            &[&id, &message, &RUNNING],
        )
        .await?;
    Ok(changed > 0)
}

pub(super) async fn run(pool: Pool, id: String) -> Result<Option<JobRunRecord>, StoreError> {
    let client = client(&pool).await?;
    let sql = format!("SELECT {COLUMNS} FROM job_runs WHERE id = $1");
    client
        .query_opt(&sql, &[&id])
        .await?
        .as_ref()
        .map(row)
        .transpose()
}

pub(super) async fn runs(
    pool: Pool,
    job: Option<String>,
    limit: usize,
) -> Result<Vec<JobRunRecord>, StoreError> {
    let client = client(&pool).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM job_runs WHERE ($1::TEXT IS NULL OR job = $1)
         ORDER BY started_at DESC, id DESC LIMIT $2"
    );
    let rows = client.query(&sql, &[&job, &(limit as i64)]).await?;
    rows.iter().map(row).collect()
}

pub(super) async fn renew(pool: Pool, ids: Vec<String>, until: i64) -> Result<(), StoreError> {
    let client = client(&pool).await?;
    client
        .execute(
            "UPDATE job_runs SET heartbeat = $2 WHERE id = ANY($1) AND state = $3",
            &[&ids, &until, &RUNNING],
        )
        .await?;
    Ok(())
}

pub(super) async fn interrupt(
    pool: Pool,
    expired_before: i64,
    now: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    let client = client(&pool).await?;
    let rows = client
        .query(
            "UPDATE job_runs SET state = $1, finished_at = $2,
                 message = COALESCE(message, 'the run was cut off before it ended')
             WHERE state = $3 AND heartbeat < $4
             RETURNING job, started_at",
            &[&INTERRUPTED, &now, &RUNNING, &expired_before],
        )
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect()
}

pub(super) async fn save_schedule(pool: Pool, schedule: ScheduleRecord) -> Result<(), StoreError> {
    let client = client(&pool).await?;
    let record = serde_json::to_string(&schedule).unwrap_or_else(|_| "{}".into());
    client
        .execute(
            "INSERT INTO schedules (name, record) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET record = excluded.record",
            &[&schedule.name, &record],
        )
        .await?;
    Ok(())
}

pub(super) async fn schedules(pool: Pool) -> Result<Vec<ScheduleRecord>, StoreError> {
    let client = client(&pool).await?;
    let rows = client
        .query("SELECT name, record FROM schedules ORDER BY name", &[])
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let (name, text): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        let record = serde_json::from_str(&text).map_err(|source| StoreError::Corrupt {
            instance: 0,
            key: format!("schedule {name}"),
            source,
        })?;
        found.push(record);
    }
    Ok(found)
}

pub(super) async fn delete_schedule(pool: Pool, name: String) -> Result<bool, StoreError> {
    let client = client(&pool).await?;
    Ok(client
        .execute("DELETE FROM schedules WHERE name = $1", &[&name])
        .await?
        > 0)
}
