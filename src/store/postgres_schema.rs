//! The PostgreSQL store's schema: versioned migrations, applied at start by one node at a time.

use deadpool_postgres::Object;

use super::interface::StoreError;

/// Held while migrating, so that nodes starting together apply each migration once: the
/// others wait on the lock, then find the versions applied. Any constant will do; this is
/// "elem" in ASCII, unlikely to collide with another application's lock in the same database.
const MIGRATION_LOCK: i64 = 0x656c_656d;

/// Every schema change, oldest first; a version once released is never edited, only
/// followed. Columns mirror the SQLite store's (`store::sqlite`): JSON kept as text, so that
/// key order and sealed strings come back exactly as written.
const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        "
CREATE TABLE instances (
    id            BIGINT PRIMARY KEY,
    name          TEXT NOT NULL,
    element       TEXT NOT NULL,
    token         TEXT NOT NULL,
    configuration TEXT NOT NULL,
    origin        TEXT NOT NULL DEFAULT 'file',
    tags          TEXT NOT NULL DEFAULT '[]',
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE events (
    id          BIGSERIAL PRIMARY KEY,
    element     TEXT NOT NULL,
    instance_id BIGINT NOT NULL,
    method      TEXT NOT NULL,
    headers     TEXT NOT NULL,
    query       TEXT NOT NULL,
    body        BYTEA NOT NULL,
    received_at BIGINT NOT NULL,
    status      TEXT NOT NULL,
    error       TEXT,
    generation  BIGINT NOT NULL DEFAULT 0,
    normalized  TEXT
);
CREATE INDEX events_status ON events (status, id);
CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    event_id        BIGINT NOT NULL,
    instance_id     BIGINT NOT NULL,
    url             TEXT NOT NULL,
    body            BYTEA NOT NULL,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_status     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE TABLE pollers (
    instance_id  BIGINT NOT NULL,
    object       TEXT NOT NULL,
    last_poll_at BIGINT NOT NULL,
    PRIMARY KEY (instance_id, object)
);
CREATE TABLE configuration_writes (
    instance_id BIGINT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    written_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, key)
);
",
    ),
    (
        2,
        "
CREATE TABLE kv (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
",
    ),
    (
        3,
        "
ALTER TABLE events ADD COLUMN claimed_until BIGINT;
ALTER TABLE events ADD COLUMN claimed_by TEXT;
CREATE TABLE leases (
    name   TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  BIGINT NOT NULL
);
",
    ),
    (
        4,
        "
CREATE TABLE job_runs (
    id          TEXT PRIMARY KEY,
    job         TEXT NOT NULL,
    state       TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT,
    heartbeat   BIGINT NOT NULL,
    message     TEXT,
    rest        TEXT NOT NULL
);
CREATE INDEX job_runs_job ON job_runs (job, started_at);
CREATE INDEX job_runs_state ON job_runs (state, heartbeat);
CREATE TABLE schedules (
    name   TEXT PRIMARY KEY,
    record TEXT NOT NULL
);
",
    ),
    (
        5,
        "
CREATE TABLE traces (
    seq        BIGSERIAL PRIMARY KEY,
    request_id TEXT NOT NULL,
    trace      TEXT NOT NULL,
    kept_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX traces_request ON traces (request_id);
",
    ),
    (
        6,
        "
CREATE SEQUENCE instance_ids START 1000000;
SELECT setval('instance_ids', GREATEST((SELECT COALESCE(max(id), 0) FROM instances) + 1, 1000000), false);
",
    ),
];

/// Apply the migrations this database has not seen, under the advisory lock; the number
/// applied.
pub(super) async fn migrate(client: &mut Object) -> Result<usize, StoreError> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let applied = apply(client).await;
    // Released even after a failure; a connection that died released it already.
    let _ = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await;
    applied
}

async fn apply(client: &mut Object) -> Result<usize, StoreError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )",
        )
        .await?;
    let done: Vec<i32> = client
        .query("SELECT version FROM schema_migrations", &[])
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
    let mut count = 0;
    for (version, sql) in MIGRATIONS {
        if done.contains(version) {
            continue;
        }
        // Each version in its own transaction: a failure leaves the schema as it was.
        let tx = client.transaction().await?;
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[version],
        )
        .await?;
        tx.commit().await?;
        count += 1;
    }
    Ok(count)
}

/// The store's address for messages: the URL with its password masked, or the hosts of a
/// `key=value` connection string (which may hold a password anywhere).
pub fn describe(url: &str, config: &tokio_postgres::Config) -> String {
    if let Ok(mut parsed) = url::Url::parse(url) {
        if parsed.password().is_some() {
            let _ = parsed.set_password(Some("****"));
        }
        return parsed.to_string();
    }
    let ports = config.get_ports();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
            match host {
                tokio_postgres::config::Host::Tcp(name) => format!("{name}:{port}"),
                #[cfg(unix)]
                tokio_postgres::config::Host::Unix(path) => format!("{}", path.display()),
            }
        })
        .collect();
    hosts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn a_password_in_the_url_is_masked() {
        let url = "postgres://app:hunter2@db.example:6543/elemental";
        let config = tokio_postgres::Config::from_str(url).unwrap();
        let text = describe(url, &config);
        assert_eq!(text, "postgres://app:****@db.example:6543/elemental");
    }

    #[test]
    fn a_connection_string_is_named_by_its_hosts() {
        let url = "host=db.example port=6543 password=hunter2";
        let config = tokio_postgres::Config::from_str(url).unwrap();
        assert_eq!(describe(url, &config), "db.example:6543");
    }
}
