//! Every hook of Cloud Elements' public element exports, run in elemental and in real Node
//! (tests/ce-hooks/run.js, the oracle) with the same variables; their results must agree.
//!
//! The hooks are committed in tests/ce-hooks/hooks.json (MIT, see SOURCE.txt), so the test
//! runs offline. Skipped, with a note, when `node` is not on PATH. Hooks that do outbound I/O
//! or use random values are left out (`excluded`); the clock is frozen at `NOW` on both sides.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use elemental::hooks::{
    self, Dispatcher, HookError, HookInput, Kind, Limits, Options, Origin, Script, VARIABLES,
};
use serde_json::{json, Map, Value};

/// 2023-11-14T22:13:20Z: `new Date()` and `Date.now()` in every hook, on both sides.
const NOW: f64 = 1_700_000_000_000.0;

/// Why a hook cannot be compared deterministically, by what its text uses.
const EXCLUDED: &[(&str, &str)] = &[
    ("require('http", "outbound HTTP (http/https modules)"),
    ("httpRequest", "outbound HTTP (httpRequest)"),
    ("fetch(", "outbound HTTP (fetch)"),
    ("sendEmail", "outbound email"),
    ("notify.email", "outbound email"),
    ("Math.random", "random values"),
    ("randomString", "random values"),
    ("randomEmail", "random values"),
    ("randomUUID", "random values"),
    ("randomBytes", "random values"),
    ("performance.now", "the real clock"),
    ("process.hrtime", "the real clock"),
];

/// Hooks whose text matches `EXCLUDED` but whose run never reaches it, so they are compared.
const COMPARED_ANYWAY: &[(&str, &str)] = &[(
    "demoacquia global preRequest",
    "Math.random is in its pasted CryptoJS and the Acquia nonce, never reached: the hook fails \
     at `new AcquiaHttpHmac` (CryptoJS is not defined: its UMD prologue took the CommonJS \
     branch), in Node as in elemental",
)];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn excluded(id: &str, body: &str) -> Option<&'static str> {
    if COMPARED_ANYWAY.iter().any(|(which, _)| *which == id) {
        return None;
    }
    EXCLUDED
        .iter()
        .find(|(pattern, _)| body.contains(pattern))
        .map(|(_, why)| *why)
}

fn kind_of(name: &str) -> Option<Kind> {
    [Kind::PreRequest, Kind::PostRequest, Kind::Event]
        .into_iter()
        .find(|k| k.as_str() == name)
}

/// The variables every hook of `kind` gets: one plausible request (and response, and event),
/// and the element's own configuration keys (their default, else a placeholder value).
fn variables(kind: Kind, configuration: &Map<String, Value>) -> Map<String, Value> {
    let configuration: Map<String, Value> = configuration
        .iter()
        .map(|(key, value)| match value {
            Value::Null => (key.clone(), json!(format!("test-{key}"))),
            other => (key.clone(), other.clone()),
        })
        .collect();
    let body =
        json!({"id": "42", "name": "Ada Lovelace", "email": "ada@example.com", "tags": ["a", "b"]});
    let mut vars = json!({
        "request_body": body.to_string(),
        "request_body_map": body,
        "request_headers": {"accept": "application/json", "content-type": "application/json"},
        "request_path": "/hubs/crm/contacts/42",
        "request_path_variables": {"id": "42", "objectName": "contacts"},
        "request_parameters": {"pageSize": "50", "page": "1"},
        "request_method": "POST",
        "request_vendor_method": "POST",
        "request_vendor_path": "/v1/contacts/42",
        "request_vendor_url": "https://api.example.com/v1/contacts/42",
        "request_vendor_headers": {"Accept": "application/json", "Content-Type": "application/json", "Authorization": "Bearer token"},
        "request_vendor_parameters": {"pageSize": "50"},
        "request_vendor_body": body.to_string(),
        "request_vendor_body_map": body,
        "request_expression": [{"attribute": "name", "operator": "=", "value": "Ada"}],
        "request_previous_response": null,
        "request_previous_response_headers": null,
        "meta_data": {},
        "configuration": configuration,
        "object_name": "contacts",
        "vendor_object_name": "contacts",
    });
    if kind == Kind::PostRequest {
        let response = json!({"id": 42, "name": "Ada Lovelace", "email": "ada@example.com", "fields": {"System.Title": "t"}, "items": [{"id": 1}, {"id": 2}]});
        vars["response_body"] = response.clone();
        vars["response_body_map"] = response.clone();
        vars["response_body_raw"] = json!(response.to_string());
        vars["response_body_raw_map"] = response;
        vars["response_headers"] = json!({"content-type": "application/json"});
        vars["response_status_code"] = json!(200);
        vars["response_iserror"] = json!(false);
    }
    if kind == Kind::Event {
        vars["events"] = json!({"id": "77", "modifiedAt": "2023-11-14T22:13:20Z", "eventHeaders": {"x-event": "contact.updated"}, "body": body, "objectType": "contacts", "eventType": "UPDATED"});
    }
    vars.as_object().cloned().unwrap_or_default()
}

/// JSON numbers compared by value: an integral float from one side equals the integer.
fn normalize(value: &Value) -> Value {
    match value {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9e15 => json!(f as i64),
            _ => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), normalize(v))).collect())
        }
        other => other.clone(),
    }
}

/// What elemental gave, in the runner's shape.
fn in_elemental(hook: &Value, kind: Kind, vars: &Map<String, Value>) -> Value {
    let body = hook["body"].as_str().unwrap_or_default();
    let id = hook["id"].as_str().unwrap_or_default();
    let script = Script {
        legacy: hook["legacy"].as_bool().unwrap_or(false),
        ..Script::new(id, Origin::file("hooks.json"), body)
    };
    let options = Options {
        now: Some(NOW),
        raw: true,
        ..Options::default()
    };
    let input = HookInput::Given(kind, vars);
    let run = hooks::run_blocking(
        &script,
        input,
        Limits::default(),
        &Dispatcher::default(),
        options,
    );
    match run.outcome {
        Ok(outcome) => {
            let result = match outcome.raw {
                Some(raw) if outcome.called => raw.done,
                Some(raw) => raw.result.map(Value::Object).unwrap_or(Value::Null),
                None => Value::Null,
            };
            json!({"called": outcome.called, "result": result})
        }
        Err(HookError::BadResult { .. }) => json!({"error": "BadResult"}),
        Err(error) => match error.js() {
            Some(js) => json!({"error": js.name}),
            None => json!({"error": format!("{:?}", error.class())}),
        },
    }
}

/// What Node gave for each case, by id; `None` when node is not on PATH.
fn in_node(cases: &[Value], lodash: Option<PathBuf>) -> Option<Map<String, Value>> {
    let runner = manifest_dir().join("tests/ce-hooks/run.js");
    let mut child = match Command::new("node")
        .arg(&runner)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("cannot run node: {e}"),
    };
    let job = json!({"names": VARIABLES, "now": NOW, "lodash": lodash, "cases": cases});
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(job.to_string().as_bytes())
            .expect("write the cases to node");
    }
    let output = child.wait_with_output().expect("node finishes");
    assert!(
        output.status.success(),
        "the runner failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).expect("the runner's JSON");
    Some(
        results
            .into_iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap_or_default().to_string(),
                    r["outcome"].clone(),
                )
            })
            .collect(),
    )
}

/// The cases whose elemental outcome is not Node's, described.
fn differ(cases: &[Value], expected: &Map<String, Value>) -> Vec<String> {
    let mut differences = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap_or_default();
        let kind = kind_of(case["kind"].as_str().unwrap_or_default()).expect("a known kind");
        let vars = case["vars"].as_object().cloned().unwrap_or_default();
        let got = normalize(&in_elemental(case, kind, &vars));
        let want = normalize(expected.get(id).unwrap_or(&Value::Null));
        if got != want {
            differences.push(format!("{id}\n    elemental: {got}\n    node:      {want}"));
        }
    }
    differences
}

#[test]
fn every_published_hook_gives_what_node_gives() {
    let path = manifest_dir().join("tests/ce-hooks/hooks.json");
    let text = std::fs::read_to_string(&path).expect("tests/ce-hooks/hooks.json");
    let data: Value = serde_json::from_str(&text).expect("hooks.json is JSON");
    let hooks = data["hooks"].as_array().cloned().unwrap_or_default();
    assert!(hooks.len() >= 340, "{} hooks", hooks.len());

    // Real lodash for the hooks that require it (tests/lodash, installed by .ci/run).
    let lodash = manifest_dir().join("tests/lodash/node_modules/lodash");
    let lodash = lodash.join("package.json").exists().then_some(lodash);

    let mut left_out: Vec<(String, &str)> = Vec::new();
    let mut cases = Vec::new();
    for hook in &hooks {
        let id = hook["id"].as_str().unwrap_or_default().to_string();
        let body = hook["body"].as_str().unwrap_or_default();
        let why = excluded(&id, body).or_else(|| {
            (lodash.is_none() && body.contains("require('lodash')"))
                .then_some("needs real lodash (npm ci --prefix tests/lodash)")
        });
        if let Some(why) = why {
            left_out.push((id, why));
            continue;
        }
        let kind = kind_of(hook["kind"].as_str().unwrap_or_default()).expect("a known kind");
        let element = hook["element"].as_str().unwrap_or_default();
        let configuration = data["elements"][element]["configuration"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut case = hook.clone();
        case["vars"] = Value::Object(variables(kind, &configuration));
        cases.push(case);
    }

    let Some(expected) = in_node(&cases, lodash) else {
        println!(
            "note: node is not on PATH; skipping the differential test of the published hooks"
        );
        return;
    };
    // Each hook in a fresh context (the frozen clock needs one): spread over a few threads,
    // each with its own engine.
    let chunk = cases.len().div_ceil(4).max(1);
    let differences: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = cases
            .chunks(chunk)
            .map(|part| scope.spawn(|| differ(part, &expected)))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker thread"))
            .collect()
    });
    // What the hooks did, so a run that only compared errors would show.
    let failed = expected
        .values()
        .filter(|o| o.get("error").is_some())
        .count();
    let called = expected.values().filter(|o| o["called"] == true).count();
    println!(
        "in Node: {called} called done(), {} passed through or returned, {failed} threw",
        expected.len() - called - failed
    );
    for (id, why) in &left_out {
        println!("left out: {id}: {why}");
    }
    println!(
        "published hooks: {} of {} agree with Node ({} left out of {})",
        cases.len() - differences.len(),
        cases.len(),
        left_out.len(),
        hooks.len()
    );
    assert!(
        differences.is_empty(),
        "{} of {} hooks differ from Node:\n{}",
        differences.len(),
        cases.len(),
        differences.join("\n")
    );
}
