//! SQLite against PostgreSQL, and one PostgreSQL node against two: durable webhook ingest
//! (events/s, each committed before its 200), proxied requests that never touch the store,
//! and proxied requests whose hook writes configuration back (one store write each, told to
//! the other nodes); and what one point read of the store costs (the price a per-request
//! versioned read would pay). Run with `cargo bench --bench store` (`ELEMENTAL_BENCH_RUNS`
//! runs, default 3, medians printed; `ELEMENTAL_BENCH_BINARY` serves with another build);
//! PostgreSQL at 127.0.0.1:5432 (a scratch database is made and dropped), or
//! `ELEMENTAL_BENCH_PG=URL-of-an-admin-database`. Loopback only.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ELEMENT: &str = "key: bench\nconfiguration:\n  - key: base.url\n  - key: event.notification.enabled\n    type: BOOLEAN\nhooks:\n  - type: event\n    body: |\n      done({ events: [{ event_type: 'CREATED', event_object_type: 'orders', event_object_id: String(events.id) }] });\nresources:\n  - method: GET\n    path: /plain\n    vendorPath: /v1/items/42\n  - method: GET\n    path: /counted\n    vendorPath: /v1/items/42\n    hooks:\n      - type: postRequest\n        body: |\n          const n = Number(configuration['counter'] || '0') + 1;\n          done({ configuration: { counter: String(n) }, response_body: { n } });\n";
const CLIENTS: usize = 16;
const SECONDS: u64 = 5;

/// A vendor answering every request with the same small JSON, kept alive.
fn vendor() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind vendor");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer_forever(stream));
        }
    });
    port
}

fn answer_forever(mut stream: TcpStream) {
    let body = r#"{"id":42,"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"}"#;
    let reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
        // GET requests only: each ends at its blank line.
        while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            buffer.drain(..end + 4);
            if stream.write_all(reply.as_bytes()).is_err() {
                return;
            }
        }
    }
}

/// Send one request on a kept-alive connection; its status, or `None` when the connection
/// failed.
fn exchange(stream: &mut TcpStream, request: &[u8]) -> Option<u16> {
    stream.write_all(request).ok()?;
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).ok().filter(|n| *n > 0)?;
        response.extend_from_slice(&chunk[..n]);
        if let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if response.len() >= end + 4 + length {
                return head.get(9..12).and_then(|s| s.parse().ok());
            }
        }
    }
}

/// Requests made by `request(i)` from `CLIENTS` connections spread over the nodes at
/// `ports` for `SECONDS`; the 2xx per second.
fn load(ports: &[u16], request: impl Fn(usize) -> String + Send + Sync + 'static) -> f64 {
    let request = Arc::new(request);
    let (next, ok, stop) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let port = ports[i % ports.len()];
            let (request, next, ok, stop) =
                (request.clone(), next.clone(), ok.clone(), stop.clone());
            std::thread::spawn(move || {
                let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
                    return;
                };
                while !stop.load(Ordering::Relaxed) {
                    let text = request(next.fetch_add(1, Ordering::Relaxed));
                    match exchange(&mut stream, text.as_bytes()) {
                        Some(status) if (200..300).contains(&status) => {
                            ok.fetch_add(1, Ordering::Relaxed);
                        }
                        Some(_) => {}
                        None => return,
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(SECONDS));
    stop.store(true, Ordering::Relaxed);
    let done = ok.load(Ordering::Relaxed);
    let elapsed = started.elapsed();
    for client in clients {
        let _ = client.join();
    }
    done as f64 / elapsed.as_secs_f64()
}

fn get(path: &str) -> impl Fn(usize) -> String + Send + Sync + 'static {
    let text = format!("GET /elements/api-v2{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Element t\r\n\r\n");
    move |_| text.clone()
}

fn webhook(id: usize) -> String {
    let body = format!("{{\"id\":{id},\"total\":\"19.99\"}}");
    format!("POST /elements/api-v2/events/bench HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len())
}

fn serve(dir: &std::path::Path, store: Option<&str>) -> (Child, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    // Another build to compare with (a copy of an older release binary), else this one.
    let binary = std::env::var("ELEMENTAL_BENCH_BINARY")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_elemental").to_string());
    let mut command = Command::new(binary);
    command
        .arg("serve")
        .arg("--elements")
        .arg(dir.join("elements"))
        .arg("--instances")
        .arg(dir.join("instances.yaml"))
        .arg("--data")
        .arg(dir.join("data"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--workers", "1", "--reload-ms", "0"])
        .env_remove("ELEMENTAL_STORE")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null());
    if let Some(url) = store {
        command.args(["--store", url]);
    }
    let child = command.spawn().expect("start elemental");
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "elemental did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, port)
}

/// Run `sql` on the PostgreSQL server's admin database.
fn admin_sql(admin: &str, sql: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(admin, tokio_postgres::NoTls)
            .await
            .map_err(|e| e.to_string())?;
        let driver = tokio::spawn(connection);
        let done = client.batch_execute(sql).await.map_err(|e| e.to_string());
        drop(client);
        let _ = driver.await;
        done
    })
}

/// One row of figures for one store served by `nodes` nodes.
fn measure(dir: &std::path::Path, store: Option<&str>, nodes: usize) -> [f64; 3] {
    let mut servers = Vec::new();
    let mut ports = Vec::new();
    for _ in 0..nodes {
        let (server, port) = serve(dir, store);
        servers.push(server);
        ports.push(port);
    }
    load(&ports, get("/counted")); // warm: pooled contexts, connections, prepared statements
    let plain = load(&ports, get("/plain"));
    let counted = load(&ports, get("/counted"));
    let ingest = load(&ports, webhook);
    for mut server in servers {
        let _ = server.kill();
        let _ = server.wait();
    }
    [ingest, plain, counted]
}

/// What one point read of the PostgreSQL store costs (one instance's configuration writes,
/// by primary key, as a per-request version check would read): the median latency of
/// sequential reads (µs), and reads/s from `CLIENTS` threads at once.
fn point_read(url: &str) -> (f64, f64) {
    use elemental::store::{wait, PostgresStore, Store};
    let store = Arc::new(PostgresStore::open(url).expect("store"));
    let mut times: Vec<Duration> = (0..2_000)
        .map(|_| {
            let started = Instant::now();
            let _ = wait(store.configuration_writes(1));
            started.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2].as_secs_f64() * 1e6;
    let (count, stop) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (store, count, stop) = (store.clone(), count.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if wait(store.configuration_writes(1)).is_ok() {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(SECONDS));
    stop.store(true, Ordering::Relaxed);
    let rate = count.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    for thread in threads {
        let _ = thread.join();
    }
    (median, rate)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

fn main() {
    let admin = std::env::var("ELEMENTAL_BENCH_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let runs: usize = std::env::var("ELEMENTAL_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1);
    let dir = std::env::temp_dir().join(format!("elemental-bench-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("elements/bench")).expect("dir");
    std::fs::write(dir.join("elements/bench/element.yaml"), ELEMENT).expect("element");
    let vendor_port = vendor();
    std::fs::write(dir.join("instances.yaml"), format!("instances:\n  - id: 1\n    element: bench\n    token: t\n    configuration:\n      base.url: http://127.0.0.1:{vendor_port}\n      event.notification.enabled: false\n")).expect("instances");

    let database = format!("elemental_bench_{}", std::process::id());
    let url = match admin_sql(&admin, &format!("CREATE DATABASE {database}")) {
        Ok(()) => admin
            .rsplit_once('/')
            .map(|(server, _)| format!("{server}/{database}")),
        Err(e) => {
            eprintln!("note: PostgreSQL left out: {e}");
            None
        }
    };
    // Rows interleaved run by run, so that the machine's other work weighs on each alike.
    let mut rows: Vec<(String, Vec<[f64; 3]>)> = Vec::new();
    let mut reads = Vec::new();
    for run in 0..runs {
        let mut figures = vec![(
            "SQLite (--data), 1 node".to_string(),
            measure(&dir, None, 1),
        )];
        if let Some(url) = &url {
            figures.push((
                "PostgreSQL (--store), 1 node".into(),
                measure(&dir, Some(url), 1),
            ));
            figures.push((
                "PostgreSQL (--store), 2 nodes".into(),
                measure(&dir, Some(url), 2),
            ));
            reads.push(point_read(url));
        }
        for (i, (name, row)) in figures.into_iter().enumerate() {
            eprintln!("run {}: {name}: {row:.0?}", run + 1);
            match rows.get_mut(i) {
                Some((_, all)) => all.push(row),
                None => rows.push((name, vec![row])),
            }
        }
    }
    if url.is_some() {
        let _ = admin_sql(&admin, &format!("DROP DATABASE {database} WITH (FORCE)"));
    }
    println!("1 worker per node, {CLIENTS} keep-alive clients spread over the nodes, {SECONDS} s each, all on 127.0.0.1; medians of {runs} runs");
    println!("| store | durable ingest (events/s) | proxy, no store (req/s) | proxy, hook writes configuration (req/s) |");
    println!("|---|---:|---:|---:|");
    for (name, all) in rows {
        let column = |i: usize| median(all.iter().map(|row| row[i]).collect());
        println!(
            "| {name} | {:.0} | {:.0} | {:.0} |",
            column(0),
            column(1),
            column(2)
        );
    }
    if !reads.is_empty() {
        let latency = median(reads.iter().map(|r| r.0).collect());
        let rate = median(reads.iter().map(|r| r.1).collect());
        println!("one PostgreSQL point read through the store: {latency:.0} µs alone (median of 2,000), {rate:.0} reads/s from {CLIENTS} threads");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
