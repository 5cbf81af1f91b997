//! A scratch PostgreSQL database per test (created, then dropped), on the server at
//! 127.0.0.1:5432 when one is there; tests print a note and skip where none is.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The server tests use, and the database they connect to for administration only.
pub const ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// Whether PostgreSQL answers at 127.0.0.1:5432.
pub fn reachable() -> bool {
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], 5432));
    std::net::TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok()
}

/// Run `work` with a client of database `database` of the test server, on a runtime of its
/// own (the tests' threads run none).
fn with_client<T, F, Fut>(database: &str, work: F) -> Result<T, String>
where
    F: FnOnce(tokio_postgres::Client) -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let url = format!("postgres://postgres@127.0.0.1:5432/{database}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .map_err(|e| e.to_string())?;
        let driver = tokio::spawn(connection);
        let done = work(client).await;
        let _ = driver.await;
        done
    })
}

/// Run `sql` (statements separated by `;`) in database `database` of the test server.
pub fn execute(database: &str, sql: &str) -> Result<(), String> {
    let sql = sql.to_string();
    with_client(database, |client| async move {
        client.batch_execute(&sql).await.map_err(|e| e.to_string())
    })
}

/// The first column of every row `sql` answers in database `database`, as text.
pub fn query_texts(database: &str, sql: &str) -> Result<Vec<String>, String> {
    let sql = sql.to_string();
    with_client(database, |client| async move {
        let rows = client.query(&sql, &[]).await.map_err(|e| e.to_string())?;
        rows.iter()
            .map(|row| row.try_get::<_, String>(0).map_err(|e| e.to_string()))
            .collect()
    })
}

/// A database of its own for one test, so that tests running in parallel never meet;
/// dropped (with any connection still open to it) when the value is.
pub struct Scratch {
    pub name: String,
    pub url: String,
}

impl Scratch {
    /// A new empty database, or `None` (with a note) where no PostgreSQL is reachable.
    pub fn create(test: &str) -> Option<Scratch> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        if !reachable() {
            // Written past the test harness's capture, so that the skip shows in every run.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "note: {test}: skipped, no PostgreSQL at 127.0.0.1:5432"
            );
            return None;
        }
        let name = format!(
            "elemental_test_{}_{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::SeqCst)
        );
        execute(
            "test",
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .and_then(|()| execute("test", &format!("CREATE DATABASE {name}")))
        .unwrap_or_else(|e| panic!("creating the scratch database {name}: {e}"));
        let url = format!("postgres://postgres@127.0.0.1:5432/{name}?application_name={name}");
        Some(Scratch { name, url })
    }

    /// Run `sql` in this database.
    pub fn execute(&self, sql: &str) -> Result<(), String> {
        execute(&self.name, sql)
    }

    /// The first column of every row `sql` answers in this database, as text.
    pub fn query_texts(&self, sql: &str) -> Result<Vec<String>, String> {
        query_texts(&self.name, sql)
    }

    /// Cut every connection the store under test holds to this database (what a database
    /// restart does to them).
    pub fn terminate_connections(&self) {
        execute(
            "test",
            &format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}' AND pid <> pg_backend_pid()",
                self.name
            ),
        )
        .expect("pg_terminate_backend");
    }

    /// Refuse new connections to this database (and cut the open ones): the database is
    /// down as far as the store can tell, while the other tests' databases go on serving.
    pub fn take_down(&self) {
        execute(
            "test",
            &format!("ALTER DATABASE {} ALLOW_CONNECTIONS false", self.name),
        )
        .expect("refuse connections");
        self.terminate_connections();
    }

    /// Accept connections again.
    pub fn bring_up(&self) {
        execute(
            "test",
            &format!("ALTER DATABASE {} ALLOW_CONNECTIONS true", self.name),
        )
        .expect("accept connections");
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = execute(
            "test",
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// An `elemental serve` process on a scratch database, killed (-9) when dropped, so that a
/// failing test leaves no process behind.
pub struct Node {
    pub child: Option<std::process::Child>,
    pub base: String,
}

impl Node {
    /// Serve project `p` on `db` with the admin token `admin` and the `extra` arguments.
    pub fn start(p: &super::Project, db: &Scratch, admin: &str, extra: &[&str]) -> Node {
        let mut args = vec!["--store", db.url.as_str(), "--admin-token", admin];
        args.extend_from_slice(extra);
        let (child, listen) = super::spawn_serve(p, &args);
        Node {
            child: Some(child),
            base: format!("http://{listen}"),
        }
    }

    /// `kill -9`: whatever the node claimed and did not finish is left to the others.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn alive(&self) -> bool {
        self.child.is_some()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}
