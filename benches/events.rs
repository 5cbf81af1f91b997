//! Event throughput and durability, against the real binary: `cargo bench --bench events`.
//!
//! 1. Durable ingest: N webhooks posted by C concurrent clients; each is committed to SQLite
//!    before its 2xx. Reports events/s.
//! 2. End to end: from the first post until a local subscriber has received all N.
//! 3. Crash: a stream of webhooks, `kill -9` of the server half-way, a restart on the same
//!    data folder; every event that got a 2xx must reach the subscriber.
//!
//! Everything runs on 127.0.0.1; every process started here is stopped by its PID.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ELEMENT: &str = "key: bench\nconfiguration:\n  - key: event.notification.enabled\n    type: BOOLEAN\n  - key: event.notification.callback.url\nhooks:\n  - type: event\n    body: |\n      done({events: [{event_type: 'CREATED', event_object_type: 'orders', event_object_id: events.id}]});\nresources: []\n";

/// A subscriber on its own threads: counts deliveries and remembers event ids.
fn subscriber() -> (u16, Arc<Mutex<HashSet<String>>>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(HashSet::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let (s, c) = (seen.clone(), count.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (s, c) = (s.clone(), c.clone());
            std::thread::spawn(move || serve_subscriber(stream, &s, &c));
        }
    });
    (port, seen, count)
}

fn serve_subscriber(mut stream: TcpStream, seen: &Mutex<HashSet<String>>, count: &AtomicUsize) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 65536];
    loop {
        // Read one request (headers + Content-Length body), answer, keep the connection.
        let header_end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buffer.len() < header_end + length {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let body: serde_json::Value =
            serde_json::from_slice(&buffer[header_end..header_end + length]).unwrap_or_default();
        if let Some(id) = body["message"]["raw"]["id"].as_u64() {
            seen.lock().expect("lock").insert(id.to_string());
        }
        count.fetch_add(1, Ordering::Relaxed);
        buffer.drain(..header_end + length);
        if stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            .is_err()
        {
            return;
        }
    }
}

struct Project {
    dir: std::path::PathBuf,
}

impl Project {
    fn new(subscriber_port: u16) -> Project {
        let dir =
            std::env::temp_dir().join(format!("elemental-bench-events-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("elements/bench")).expect("dir");
        std::fs::write(dir.join("elements/bench/element.yaml"), ELEMENT).expect("element");
        std::fs::write(dir.join("instances.yaml"), format!("instances:\n  - id: 1\n    element: bench\n    token: t\n    configuration:\n      event.notification.enabled: true\n      event.notification.callback.url: http://127.0.0.1:{subscriber_port}/in\n")).expect("instances");
        Project { dir }
    }

    fn serve(&self, port: u16) -> Child {
        let child = Command::new(env!("CARGO_BIN_EXE_elemental"))
            .arg("serve")
            .arg("--elements")
            .arg(self.dir.join("elements"))
            .arg("--instances")
            .arg(self.dir.join("instances.yaml"))
            .arg("--data")
            .arg(self.dir.join("data"))
            .args(["--listen", &format!("127.0.0.1:{port}"), "--reload-ms", "0"])
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .expect("start elemental");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "elemental did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        child
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

/// Post one webhook on a kept-alive connection; true on a 2xx.
fn post(stream: &mut TcpStream, port: u16, id: usize) -> bool {
    let body =
        format!("{{\"id\":{id},\"total\":\"19.99\",\"lines\":[{{\"sku\":\"A-1\",\"qty\":2}}]}}");
    let request = format!("POST /elements/api-v2/events/bench HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return false,
            Ok(n) => response.extend_from_slice(&chunk[..n]),
        }
        if let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if response.len() >= end + 4 + length {
                return head.starts_with("http/1.1 2");
            }
        }
    }
}

/// Post ids `from..to` over `clients` connections; returns the ids that got a 2xx.
fn stream_events(
    port: u16,
    from: usize,
    to: usize,
    clients: usize,
    stop: Arc<AtomicBool>,
) -> Vec<usize> {
    let next = Arc::new(AtomicUsize::new(from));
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (next, stop) = (next.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut accepted = Vec::new();
                let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
                    return accepted;
                };
                loop {
                    let id = next.fetch_add(1, Ordering::Relaxed);
                    if id >= to || stop.load(Ordering::Relaxed) {
                        return accepted;
                    }
                    if post(&mut stream, port, id) {
                        accepted.push(id);
                    } else {
                        return accepted; // the server went away
                    }
                }
            })
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|h| h.join().unwrap_or_default())
        .collect()
}

fn main() {
    let n = 5_000;
    let clients = 16;
    let (sub_port, seen, delivered) = subscriber();
    let project = Project::new(sub_port);
    let port = free_port();
    let mut server = project.serve(port);

    let started = Instant::now();
    let accepted = stream_events(port, 0, n, clients, Arc::new(AtomicBool::new(false)));
    let ingest = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(300);
    while delivered.load(Ordering::Relaxed) < accepted.len() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let end_to_end = started.elapsed();
    println!("durable ingest: {} events accepted in {:.2?} = {:.0} events/s ({clients} clients, each committed to SQLite before its 200)", accepted.len(), ingest, accepted.len() as f64 / ingest.as_secs_f64());
    println!("end to end: {} delivered in {:.2?} = {:.0} events/s (ingest, event hook, signed delivery to a local subscriber)", delivered.load(Ordering::Relaxed), end_to_end, delivered.load(Ordering::Relaxed) as f64 / end_to_end.as_secs_f64());
    let _ = server.kill();
    let _ = server.wait();

    // Crash test: a second stream, SIGKILL half-way, restart, count.
    seen.lock().expect("lock").clear();
    let crash_n = 4_000;
    let mut server = project.serve(port);
    let stop = Arc::new(AtomicBool::new(false));
    let streamer = {
        let stop = stop.clone();
        std::thread::spawn(move || stream_events(port, 100_000, 100_000 + crash_n, 8, stop))
    };
    std::thread::sleep(Duration::from_millis(300));
    let _ = server.kill(); // SIGKILL: no shutdown code runs
    let _ = server.wait();
    stop.store(true, Ordering::Relaxed);
    let acknowledged: HashSet<String> = streamer
        .join()
        .unwrap_or_default()
        .into_iter()
        .map(|id| id.to_string())
        .collect();
    let before_restart = seen.lock().expect("lock").len();
    let mut server = project.serve(port);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let missing = acknowledged
            .iter()
            .filter(|id| !seen.lock().expect("lock").contains(*id))
            .count();
        if missing == 0 || Instant::now() > deadline {
            println!("crash: {} events acknowledged before kill -9 ({before_restart} delivered before it); after restart {} of them delivered, {missing} missing", acknowledged.len(), acknowledged.len() - missing);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&project.dir);
}
