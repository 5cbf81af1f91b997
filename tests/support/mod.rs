//! Test support: a recording mock vendor, an elemental server on port 0, a tiny HTTP client.
#![allow(dead_code)]

pub mod browser;
pub mod hooks;
pub mod oauth1;
pub mod otlp;
pub mod postgres;
pub mod smtp;
pub mod store;
pub mod studio;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use elemental::settings::Settings;
use elemental::sources::{load, Sources};
use elemental::store::SqliteStore;

/// A request the mock vendor received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: String,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body byte for byte (`body` is its lossy text).
    pub raw: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Wait this long before answering (a slow or hung vendor).
    pub delay: Option<Duration>,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
            delay: None,
        }
    }
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn body_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

type Responder = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

/// A vendor on 127.0.0.1:<random port> that records every request and answers with `responder`.
pub struct MockVendor {
    pub base: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    handle: actix_web::dev::ServerHandle,
}

impl MockVendor {
    pub fn start(responder: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> MockVendor {
        let responder: Responder = Arc::new(responder);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind mock vendor");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (tx, rx) = mpsc::channel();
        let recorded = requests.clone();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    let responder = responder.clone();
                    let recorded = recorded.clone();
                    // Large uploads reach it whole (actix's default limit is 256 KiB).
                    App::new()
                        .app_data(web::PayloadConfig::new(64 * 1024 * 1024))
                        .default_service(web::to(move |request: HttpRequest, body: web::Bytes| {
                            let responder = responder.clone();
                            let recorded = recorded.clone();
                            async move {
                                let seen = Recorded {
                                    method: request.method().to_string(),
                                    path: request.path().to_string(),
                                    query: request.query_string().to_string(),
                                    headers: request
                                        .headers()
                                        .iter()
                                        .map(|(k, v)| {
                                            (
                                                k.as_str().to_string(),
                                                String::from_utf8_lossy(v.as_bytes()).into_owned(),
                                            )
                                        })
                                        .collect(),
                                    body: String::from_utf8_lossy(&body).into_owned(),
                                    raw: body.to_vec(),
                                };
                                let reply = responder(&seen);
                                recorded.lock().expect("lock").push(seen);
                                if let Some(delay) = reply.delay {
                                    actix_web::rt::time::sleep(delay).await;
                                }
                                let mut response = HttpResponse::build(
                                    actix_web::http::StatusCode::from_u16(reply.status)
                                        .expect("status"),
                                );
                                for (name, value) in &reply.headers {
                                    response.append_header((name.as_str(), value.as_str()));
                                }
                                response.body(reply.body)
                            }
                        }))
                })
                .workers(1)
                .listen(listener)
                .expect("listen")
                .run();
                let _ = tx.send(server.handle());
                let _ = server.await;
            });
        });
        let handle = rx.recv().expect("mock vendor started");
        MockVendor {
            base,
            requests,
            handle,
        }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }

    pub fn last(&self) -> Recorded {
        self.requests()
            .last()
            .cloned()
            .expect("the vendor received no request")
    }
}

impl Drop for MockVendor {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        std::thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(false)));
    }
}

/// A folder with elements, an instances file and a data folder.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("elements")).expect("elements dir");
        Project { dir }
    }
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }
    /// Write a file below the project (folders created).
    pub fn write(&self, relative: &str, text: &str) -> &Project {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(path, text).expect("write");
        self
    }
    pub fn element(&self, key: &str, yaml: &str) -> &Project {
        self.write(&format!("elements/{key}/element.yaml"), yaml)
    }
    pub fn instances(&self, yaml: &str) -> &Project {
        self.write("instances.yaml", yaml)
    }
    /// A web task, `tasks/<name>.js`.
    pub fn task(&self, name: &str, source: &str) -> &Project {
        self.write(&format!("tasks/{name}.js"), source)
    }
    pub fn sources(&self) -> Sources {
        Sources {
            elements: self.path("elements"),
            instances: self.path("instances.yaml"),
            tasks: self.path("tasks"),
            tasks_required: false,
            cloud: self.path("cloud"),
            cloud_required: false,
            jobs: self.path("jobs"),
            jobs_required: false,
            schedules: self.path("schedules.yaml"),
            schedules_required: false,
            // Test vendors and subscribers listen on loopback, which hooks may not reach
            // unless opened.
            open_hosts: vec!["127.0.0.1".into(), "localhost".into()],
            demo_vendor_at: None,
        }
    }
    pub fn serve(&self) -> Server {
        self.serve_with(Settings::default())
    }
    pub fn serve_with(&self, settings: Settings) -> Server {
        Server::start(&self.sources(), &self.path("data"), settings)
    }
}

/// An elemental server on 127.0.0.1:<random port>.
pub struct Server {
    pub base: String,
    pub state: Arc<elemental::state::State>,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// `settings` sealing with the key kept in `<data>/secret.key`, as `elemental serve` does: a
/// server restarted on the same data folder reads what the last one sealed.
fn keyed(settings: Settings, data: &Path) -> Settings {
    let key = elemental::secret::key_file(&data.join("secret.key")).expect("key file");
    Settings {
        sealer: Arc::new(elemental::seal::Sealer::new(key, None)),
        ..settings
    }
}

impl Server {
    pub fn start(sources: &Sources, data: &Path, settings: Settings) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        Server::start_on(listener, sources, data, settings)
    }

    /// Start on a listener the test bound itself (to know the port before loading).
    pub fn start_on(
        listener: TcpListener,
        sources: &Sources,
        data: &Path,
        settings: Settings,
    ) -> Server {
        let store = Arc::new(SqliteStore::open(data).expect("store"));
        Server::start_with(listener, sources, store, keyed(settings, data), 2)
    }

    /// Start on a store of the test's choosing (one that fails on demand).
    pub fn start_with_store(
        sources: &Sources,
        store: Arc<dyn elemental::store::Store>,
        settings: Settings,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        Server::start_with(listener, sources, store, settings, 2)
    }

    /// A server with ONE HTTP worker: every connection shares it, so a test sees whether a
    /// hook holds up the server's I/O.
    pub fn start_one_worker(sources: &Sources, data: &Path, settings: Settings) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let store = Arc::new(SqliteStore::open(data).expect("store"));
        Server::start_with(listener, sources, store, keyed(settings, data), 1)
    }

    fn start_with(
        listener: TcpListener,
        sources: &Sources,
        store: Arc<dyn elemental::store::Store>,
        settings: Settings,
        workers: usize,
    ) -> Server {
        let (elements, records, mut diagnostics) = load(sources);
        let (tasks, task_diagnostics) = elemental::sources::load_tasks(sources);
        diagnostics.extend(task_diagnostics);
        assert!(
            !elemental::element::has_errors(&diagnostics),
            "load errors: {diagnostics:#?}"
        );
        let instances = elemental::store::wait(elemental::instance::build(
            records,
            &elements,
            store.as_ref(),
            &settings.sealer,
        ))
        .expect("instances");
        let state = Arc::new(elemental::state::State::new(
            elements, instances, store, settings,
        ));
        state.set_tasks(tasks);
        state.set_diagnostics(diagnostics);
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (tx, rx) = mpsc::channel();
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = elemental::server::run_with_workers(listener, state, Some(workers))
                    .expect("run");
                let _ = tx.send(server.handle());
                let _ = server.await;
            });
        });
        let handle = rx.recv().expect("server started");
        Server {
            base,
            state: shared,
            handle,
            thread: Some(thread),
        }
    }

    /// Stop and wait until the port is closed and the store released.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.state.stop();
        let handle = self.handle.clone();
        std::thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(true)))
            .join()
            .ok();
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }

    /// A request with `Authorization: Element <token>` to `<prefix><path>`.
    pub fn call(&self, method: &str, path: &str, token: &str, body: Option<&str>) -> Reply {
        let auth = format!("Element {token}");
        http(
            method,
            &format!("{}/elements/api-v2{path}", self.base),
            &[("Authorization", auth.as_str())],
            body,
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A minimal blocking HTTP/1.1 client: one request per connection.
pub fn http(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Reply {
    http_bytes(method, url, headers, body.unwrap_or_default().as_bytes())
}

/// A call of the admin API with `token`, the body as JSON.
pub fn admin_json(
    server: &Server,
    token: &str,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> Reply {
    let auth = format!("Bearer {token}");
    let headers = [
        ("Authorization", auth.as_str()),
        ("Content-Type", "application/json"),
    ];
    let body = body.map(|b| b.to_string());
    let url = format!("{}{path}", server.base);
    http(method, &url, &headers, body.as_deref())
}

/// `http` with a body of any bytes, sent exactly as given (signed webhooks, multipart forms).
pub fn http_bytes(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let mut stream = TcpStream::connect(host).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let mut request = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    // A test may name its own Host (tasks served by host name).
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        request.push_str(&format!("Host: {host}\r\n"));
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || matches!(method, "POST" | "PUT" | "PATCH") {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    // A server may answer (413) and close before the whole body is sent: the write then
    // fails while the answer is already there to read.
    let sent = stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.write_all(body));
    if let Err(e) = &sent {
        let early = matches!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
        );
        assert!(early, "send: {e}");
    }
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw) {
        assert!(!raw.is_empty(), "read: {e} (send: {sent:?})");
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, payload) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(payload)
    } else {
        payload.to_string()
    };
    Reply {
        status,
        headers,
        body,
        delay: None,
    }
}

fn dechunk(mut payload: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = payload.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        payload = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// The instances file for one instance of `element` with `configuration` lines (YAML, 6 spaces).
pub fn one_instance(element: &str, token: &str, configuration: &str) -> String {
    format!("instances:\n  - id: 1\n    name: test\n    element: {element}\n    token: {token}\n    configuration:\n{configuration}\n")
}

/// Copy a folder (an example element) into a test project.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Start `elemental serve` on a free port for project `p` (one worker, no reload) and wait
/// until it listens; returns the process and its address.
pub fn spawn_serve(p: &Project, extra: &[&str]) -> (std::process::Child, String) {
    spawn_serve_env(p, extra, &[])
}

/// `spawn_serve` with `env` set for the process.
pub fn spawn_serve_env(
    p: &Project,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (std::process::Child, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_elemental"));
    command
        .args(["serve", "--elements"])
        .arg(p.path("elements"))
        .arg("--instances")
        .arg(p.path("instances.yaml"))
        .arg("--data")
        .arg(p.path("data"))
        .args(extra)
        .envs(env.iter().copied());
    start_serve(command)
}

/// The README's first command, `serve --demo-vendor`, in the repository (its bundled elements,
/// tasks, cloud code and jobs), with its data in `data` and `extra` flags.
pub fn spawn_bundled(data: &Path, extra: &[&str]) -> (std::process::Child, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_elemental"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["serve", "--demo-vendor", "--data"])
        .arg(data)
        .args(extra);
    start_serve(command)
}

/// Start `command` (a `serve`) on a free port with one worker and no reload; once it
/// listens, the process and its address.
fn start_serve(mut command: std::process::Command) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let listen = format!("127.0.0.1:{port}");
    let child = command
        .args(["--listen", &listen, "--reload-ms", "0", "--workers", "1"])
        .env("RUST_LOG", "error")
        .spawn()
        .expect("start serve");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(&listen).is_err() {
        assert!(std::time::Instant::now() < deadline, "serve did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    (child, listen)
}
