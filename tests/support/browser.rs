//! A headless Chromium driven over WebDriver (Debian's chromium and chromedriver): just the
//! commands the studio's browser tests use, over the suite's plain HTTP client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// The W3C name of an element reference in WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session; both end when dropped.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    _turn: MutexGuard<'static, ()>,
}

static TURN: Mutex<()> = Mutex::new(());

impl Drop for Browser {
    fn drop(&mut self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = send("DELETE", &url, None);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

impl Browser {
    /// A headless browser, or `None` where chromium or chromedriver is not installed (the
    /// caller skips with a note) — unless ELEMENTAL_REQUIRE_BROWSER is set (CI), where a
    /// missing browser fails the test instead of skipping it.
    pub fn start() -> Option<Browser> {
        let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
        let driver = find_program(&["chromedriver"]);
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            assert!(
                std::env::var_os("ELEMENTAL_REQUIRE_BROWSER").is_none(),
                "ELEMENTAL_REQUIRE_BROWSER is set but chromium or chromedriver is missing"
            );
            eprintln!("note: chromium/chromedriver not installed; the studio's browser tests are skipped (.ci/run installs them)");
            return None;
        };
        // One browser at a time: two Chromiums on a small machine starve each other.
        let turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
        // chromedriver picks a free port itself and says which (no race for a port).
        let mut child = Command::new(driver)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let stdout = child.stdout.take().expect("chromedriver's output");
        let port = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|line| {
                let rest = line.split("started successfully on port ").nth(1)?;
                rest.trim_end_matches('.').trim().parse::<u16>().ok()
            })
            .expect("chromedriver says its port");
        let base = format!("http://127.0.0.1:{port}");
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,1000"]
            }
        }}});
        let mut browser = Browser {
            driver: child,
            base,
            session: String::new(),
            _turn: turn,
        };
        let answer = browser.command("POST", "/session", Some(capabilities));
        browser.session = answer["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        Some(browser)
    }

    /// One WebDriver command; its `value`.
    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_command(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    /// One WebDriver command, or what went wrong (a page that re-rendered leaves a found
    /// element stale: the callers that wait try again).
    fn try_command(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = match path {
            "/session" => format!("{}/session", self.base),
            _ => format!("{}/session/{}{path}", self.base, self.session),
        };
        let (status, text) = send(method, &url, body.as_ref()).map_err(|e| e.to_string())?;
        let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        match status < 400 {
            true => Ok(answer["value"].clone()),
            false => Err(text),
        }
    }

    /// Retry `action` on the element `css` selects until it works or 10 s pass.
    fn on_element(&self, css: &str, action: impl Fn(&str) -> Result<Value, String>) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let done = self
                .try_find(css)
                .ok_or_else(|| format!("no element {css:?}"))
                .and_then(|id| action(&id));
            match done {
                Ok(value) => return value,
                Err(e) if Instant::now() >= deadline => panic!("{css:?}: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    pub fn open(&self, url: &str) {
        self.command("POST", "/url", Some(json!({"url": url})));
    }

    /// The first element `css` selects, waiting up to 10 s for it to appear.
    pub fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(id) = self.try_find(css) {
                return id;
            }
            assert!(Instant::now() < deadline, "no element {css:?} appeared");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn try_find(&self, css: &str) -> Option<String> {
        let url = format!("{}/session/{}/element", self.base, self.session);
        let body = json!({"using": "css selector", "value": css});
        let (_, text) = send("POST", &url, Some(&body)).ok()?;
        let answer: Value = serde_json::from_str(&text).ok()?;
        answer["value"][ELEMENT].as_str().map(str::to_string)
    }

    pub fn click(&self, css: &str) {
        let path = |id: &str| format!("/element/{id}/click");
        self.on_element(css, |id| {
            self.try_command("POST", &path(id), Some(json!({})))
        });
    }

    pub fn type_into(&self, css: &str, text: &str) {
        self.on_element(css, |id| {
            self.try_command("POST", &format!("/element/{id}/clear"), Some(json!({})))?;
            let keys = json!({"text": text});
            self.try_command("POST", &format!("/element/{id}/value"), Some(keys))
        });
    }

    pub fn text(&self, css: &str) -> String {
        let value = self.on_element(css, |id| {
            self.try_command("GET", &format!("/element/{id}/text"), None)
        });
        value.as_str().unwrap_or_default().to_string()
    }

    /// Wait until the text of `css` contains `wanted`; the text seen last.
    pub fn wait_for_text(&self, css: &str, wanted: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let seen = self
                .try_find(css)
                .and_then(|id| {
                    let path = format!("/element/{id}/text");
                    self.try_command("GET", &path, None).ok()
                })
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            if seen.contains(wanted) {
                return seen;
            }
            assert!(
                Instant::now() < deadline,
                "{css:?} never showed {wanted:?}; last: {seen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Run `script` in the page (WebDriver's synchronous execute); its return value.
    pub fn run_script(&self, script: &str) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    pub fn url(&self) -> String {
        self.command("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The page's HTML, for assertions that nothing secret is in it.
    pub fn source(&self) -> String {
        self.command("GET", "/source", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Save a PNG of the viewport as `dir/name.png`.
    pub fn screenshot(&self, dir: &Path, name: &str) {
        let value = self.command("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(value.as_str().unwrap_or_default())
            .expect("a base64 screenshot");
        std::fs::create_dir_all(dir).expect("screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }
}

/// One HTTP exchange with chromedriver, read by its Content-Length: chromedriver says
/// `Connection: close` and keeps the connection open, so reading to the end would wait.
fn send(method: &str, url: &str, body: Option<&Value>) -> std::io::Result<(u16, String)> {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let head = format!(
        "{method} /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut payload = vec![0; length];
    reader.read_exact(&mut payload)?;
    Ok((status, String::from_utf8_lossy(&payload).into_owned()))
}
