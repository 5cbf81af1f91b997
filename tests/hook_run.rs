//! `elemental hook run`: one hook script, variables from JSON, the result as one JSON object.

use std::process::Command;

use serde_json::{json, Value};

fn hook_run(script: &str, args: &[&str], vars: Option<Value>) -> (i32, Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    let script_path = dir.path().join("hook.js");
    std::fs::write(&script_path, script).expect("script");
    let mut command = Command::new(env!("CARGO_BIN_EXE_elemental"));
    command.arg("hook").arg("run").arg(&script_path).args(args);
    if let Some(vars) = vars {
        let vars_path = dir.path().join("vars.json");
        std::fs::write(&vars_path, vars.to_string()).expect("vars");
        command.arg("--vars").arg(&vars_path);
    }
    let output = command.output().expect("run elemental");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (output.status.code().unwrap_or(-1), report)
}

#[test]
fn the_first_done_wins_and_the_script_goes_on() {
    let (code, report) = hook_run(
        "done({a: 1});\nconsole.log('still running');\ndone({a: 2});",
        &["--kind", "pre-request"],
        None,
    );
    assert_eq!(code, 0);
    assert_eq!(
        report,
        json!({"called": true, "done": {"a": 1}, "result": {"a": 1}, "console": ["still running"], "error": null})
    );
}

#[test]
fn an_exception_after_done_is_not_a_failure() {
    let (code, report) = hook_run(
        "done({ok: true});\nthrow new Error('late');",
        &["--kind", "post-response"],
        None,
    );
    assert_eq!(code, 0);
    assert_eq!(report["done"], json!({"ok": true}));
    assert_eq!(report["error"], Value::Null);
}

#[test]
fn a_synchronous_return_is_the_result() {
    let (code, report) = hook_run(
        "return {continue: false, response_body: {cached: true}};",
        &["--kind", "pre-request", "--legacy"],
        None,
    );
    assert_eq!(code, 0);
    assert_eq!(report["called"], json!(false));
    assert_eq!(report["done"], Value::Null);
    assert_eq!(
        report["result"],
        json!({"continue": false, "response_body": {"cached": true}})
    );
}

#[test]
fn nothing_returned_passes_through() {
    let (code, report) = hook_run(
        "var unused = request_vendor_headers.Accept;",
        &["--kind", "pre-request"],
        None,
    );
    assert_eq!(code, 0);
    assert_eq!(
        report,
        json!({"called": false, "done": null, "result": null, "console": [], "error": null})
    );
}

#[test]
fn variables_come_from_the_file_over_the_server_defaults() {
    let script = "done({m: request_method, h: request_vendor_headers, c: configuration['contact.emailupsert'], s: response_status_code});";
    let (code, report) = hook_run(
        script,
        &["--kind", "post-response"],
        Some(json!({"request_method": "DELETE", "configuration": {"contact.emailupsert": false}})),
    );
    assert_eq!(code, 0);
    assert_eq!(
        report["done"],
        json!({"m": "DELETE", "h": {"Accept": "application/json", "Content-Type": "application/json"}, "c": false, "s": 200})
    );
}

#[test]
fn the_clock_can_be_frozen() {
    let (_, report) = hook_run(
        "done({now: Date.now(), iso: new Date().toISOString(), other: new Date(0).getTime()});",
        &["--kind", "event", "--now", "1700000000000"],
        None,
    );
    assert_eq!(
        report["done"],
        json!({"now": 1700000000000_i64, "iso": "2023-11-14T22:13:20.000Z", "other": 0})
    );
}

#[test]
fn a_failing_hook_exits_1_with_the_error_and_its_console() {
    let (code, report) = hook_run(
        "console.log('before');\nconst x = null;\nx.field;",
        &["--kind", "pre-request"],
        None,
    );
    assert_eq!(code, 1);
    assert_eq!(report["console"], json!(["before"]));
    assert_eq!(report["error"]["name"], json!("TypeError"));
    assert!(
        report["error"]["location"]
            .as_str()
            .unwrap_or_default()
            .ends_with("hook.js:3:1"),
        "{report}"
    );
}

#[test]
fn a_syntax_error_is_located() {
    let (code, report) = hook_run(
        "const a = 1;\nconst b = ;",
        &["--kind", "pre-request"],
        None,
    );
    assert_eq!(code, 1);
    assert_eq!(report["error"]["name"], json!("SyntaxError"));
    assert!(
        report["error"]["location"]
            .as_str()
            .unwrap_or_default()
            .ends_with("hook.js:2:11"),
        "{report}"
    );
}

#[test]
fn a_busy_loop_stops_at_the_timeout() {
    let (code, report) = hook_run(
        "while (true) {}",
        &["--kind", "pre-request", "--timeout-ms", "100"],
        None,
    );
    assert_eq!(code, 1);
    assert_eq!(report["error"]["name"], json!("TimeoutError"));
}

#[test]
fn unreadable_variables_are_an_input_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vars = dir.path().join("vars.json");
    std::fs::write(&vars, "{\n  \"a\": ,\n}").expect("vars");
    let script = dir.path().join("hook.js");
    std::fs::write(&script, "done();").expect("script");
    let output = Command::new(env!("CARGO_BIN_EXE_elemental"))
        .args(["hook", "run"])
        .arg(&script)
        .args(["--kind", "event", "--vars"])
        .arg(&vars)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["error"]["name"], json!("InputError"));
    assert!(
        report["error"]["location"]
            .as_str()
            .unwrap_or_default()
            .ends_with("vars.json:2:8"),
        "{report}"
    );
}

#[test]
fn kind_takes_the_names_element_files_use_too() {
    // Each kind sees its own variables: response_status_code exists only after the vendor.
    let script = "done({post: typeof response_status_code === 'number', event: typeof events !== 'undefined'});";
    for (kind, post, event) in [
        ("preRequest", false, false),
        ("pre-request", false, false),
        ("postRequest", true, false),
        ("post-request", true, false),
        ("post-response", true, false),
        ("event", false, true),
    ] {
        let (code, report) = hook_run(script, &["--kind", kind], None);
        assert_eq!(code, 0, "{kind}: {report}");
        assert_eq!(
            report["done"],
            json!({"post": post, "event": event}),
            "{kind}"
        );
    }
}
