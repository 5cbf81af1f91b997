//! Hooks and cloud functions served by a webhook server in another language: Parse's own
//! webhook examples (seeds 000/001, "Cloud Code Webhooks") as a Python server
//! (tests/support/webhook_server.py) behind an element's hooks and cloud/webhooks.yaml.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use elemental::settings::Settings;
use serde_json::{json, Value};
use support::{http, one_instance, MockVendor, Project, Reply, Server};

const KEY: &str = "py-hook-key-31";
const APP: (&str, &str) = ("X-Parse-Application-Id", "elemental");

/// The Python receiver, killed when dropped.
struct Python {
    child: Child,
    base: String,
}

impl Drop for Python {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start the receiver, or `None` (the test is skipped with a note) where python3 is missing.
fn python() -> Option<Python> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/webhook_server.py"
    );
    let spawned = Command::new("python3")
        .args([script, KEY])
        .stdout(Stdio::piped())
        .spawn();
    let Ok(mut child) = spawned else {
        eprintln!("note: python3 is not installed; the webhook server tests are skipped");
        return None;
    };
    let mut line = String::new();
    let stdout = child.stdout.take()?;
    BufReader::new(stdout).read_line(&mut line).ok()?;
    let port: u16 = line.trim().parse().ok()?;
    Some(Python {
        child,
        base: format!("http://127.0.0.1:{port}"),
    })
}

fn element(receiver: &str, key: &str) -> String {
    format!(
        r#"key: reviews
configuration:
  - key: base.url
    type: TEXTFIELD_1000
resources:
  - method: POST
    path: /hubs/general/reviews
    vendorPath: /reviews
    hooks:
      - type: preRequest
        webhook: {{url: "{receiver}/reviews", key: "{key}"}}
  - method: PATCH
    path: /hubs/general/reviews/{{id}}
    vendorPath: /reviews/{{id}}
    hooks:
      - type: preRequest
        webhook: {{url: "{receiver}/done", key: "{key}"}}
      - type: postRequest
        webhook: {{url: "{receiver}/true", key: "{key}"}}
  - method: DELETE
    path: /hubs/general/reviews/{{id}}
    vendorPath: /reviews/{{id}}
    hooks:
      - type: preRequest
        webhook: {{url: "{receiver}/refuse", key: "{key}"}}
  - method: GET
    path: /hubs/general/reviews
    vendorPath: /reviews
    hooks:
      - type: preRequest
        webhook: {{url: "{receiver}/slow", key: "{key}", timeoutMs: 500}}
"#
    )
}

fn serve(p: &Project, receiver: &str, key: &str, vendor: &MockVendor) -> Server {
    p.element("reviews", &element(receiver, key));
    p.instances(&one_instance(
        "reviews",
        "tok",
        &format!("      base.url: {}", vendor.base),
    ));
    p.serve_with(Settings {
        expose_errors: true,
        ..Settings::default()
    })
}

/// The seed's beforeSave example, word for word: its comment, and the truncation it expects.
const LONG: &str = "A very long comment that will be truncated to be just 140 characters. I sure love using Parse, it's just so easy to get started :)! Hopefully that part doesn't get truncated :/";
const TRUNCATED: &str = "A very long comment that will be truncated to be just 140 characters. I sure love using Parse, it's just so easy to get started :)! Hopef...";

#[test]
fn a_python_server_serves_element_hooks_in_each_answer_shape() {
    let Some(py) = python() else { return };
    let vendor = MockVendor::start(|r| Reply::json(201, r.json()));
    let p = Project::new();
    let server = serve(&p, &py.base, KEY, &vendor);

    // beforeSave: the webhook's {"success": <object>} is what the vendor saves.
    let review = json!({"className": "Review", "comment": LONG}).to_string();
    let saved = server.call("POST", "/hubs/general/reviews", "tok", Some(&review));
    assert_eq!(saved.status, 201, "{}", saved.body);
    assert_eq!(vendor.last().json()["comment"], json!(TRUNCATED));
    assert_eq!(TRUNCATED.chars().count(), 140);
    // A short one: {"success": true} leaves the body as sent.
    let short = json!({"className": "Review", "comment": "Great"}).to_string();
    server.call("POST", "/hubs/general/reviews", "tok", Some(&short));
    assert_eq!(vendor.last().json()["comment"], json!("Great"));

    // A done() result object (pre), and {"success": true} (post: the answer unchanged).
    let patched = server.call("PATCH", "/hubs/general/reviews/4", "tok", Some("{}"));
    assert_eq!(patched.status, 201, "{}", patched.body);
    assert_eq!(vendor.last().header("x-python"), Some("PATCH"));

    // {"error": …}: 400 naming the hook, and the vendor is not called.
    let before = vendor.requests().len();
    let refused = server.call("DELETE", "/hubs/general/reviews/4", "tok", None);
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.body.contains("refused by python"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("preRequest"), "{}", refused.body);
    assert_eq!(vendor.requests().len(), before);

    // A webhook slower than its timeoutMs: 504.
    let slow = server.call("GET", "/hubs/general/reviews", "tok", None);
    assert_eq!(slow.status, 504, "{}", slow.body);
}

#[test]
fn a_key_the_server_does_not_know_is_an_error_answer() {
    let Some(py) = python() else { return };
    let vendor = MockVendor::start(|r| Reply::json(201, r.json()));
    let p = Project::new();
    let server = serve(&p, &py.base, "not-the-key", &vendor);
    let review = json!({"className": "Review", "comment": "Great"}).to_string();
    let refused = server.call("POST", "/hubs/general/reviews", "tok", Some(&review));
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.body.contains("Request Unauthorized"),
        "{}",
        refused.body
    );
    assert!(!refused.body.contains("not-the-key"));
    assert!(vendor.requests().is_empty());
}

fn function(server: &Server, name: &str, headers: &[(&str, &str)], body: &str) -> (u16, Value) {
    let url = format!("{}/parse/functions/{name}", server.base);
    let reply = http("POST", &url, headers, Some(body));
    (reply.status, reply.body_json())
}

#[test]
fn cloud_functions_served_by_webhooks_win_over_main_js() {
    let Some(py) = python() else { return };
    let p = Project::new();
    p.write(
        "cloud/main.js",
        r#"Parse.Cloud.define("helloWorld", () => "from main.js");
Parse.Cloud.define("local", () => "still main.js");"#,
    );
    p.write(
        "cloud/webhooks.yaml",
        &format!(
            "key: {KEY}\nfunctions:\n  helloWorld: {{url: {0}/}}\n  echo: {{url: {0}/}}\n  other: {{url: {0}/}}\n  wrongKey: {{url: {0}/, key: nope}}\n",
            py.base
        ),
    );
    let server = p.serve_with(Settings {
        parse: elemental::parse::ParseSettings {
            master_key: Some("m4ster".into()),
            ..Default::default()
        },
        ..Settings::default()
    });
    // The seed's hello world: {"success": "Hello World!"} is Parse's {"result": …}.
    assert_eq!(
        function(&server, "helloWorld", &[APP], "{}"),
        (200, json!({"result": "Hello World!"}))
    );
    // Parse's payload: params, master, functionName.
    let master = [APP, ("X-Parse-Master-Key", "m4ster")];
    assert_eq!(
        function(&server, "echo", &master, r#"{"plan": "paid"}"#),
        (
            200,
            json!({"result": {"params": {"plan": "paid"}, "master": true}})
        )
    );
    // {"error": …} is Parse's error answer, code 141.
    assert_eq!(
        function(&server, "other", &[APP], "{}"),
        (
            400,
            json!({"code": 141, "error": "Unknown function or trigger"})
        )
    );
    assert_eq!(
        function(&server, "wrongKey", &[APP], "{}"),
        (400, json!({"code": 141, "error": "Request Unauthorized"}))
    );
    assert_eq!(
        function(&server, "local", &[APP], "{}"),
        (200, json!({"result": "still main.js"}))
    );
}
