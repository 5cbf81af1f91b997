//! The `elemental` binary's public interface: `check` output and exit codes, `serve` refusing bad input.

mod support;

use std::process::Command;

use support::Project;

fn elemental(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_elemental"))
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .expect("run elemental");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `elemental check` of `p`'s elements and instances with `flag` naming `folder`: the exit
/// code and what it wrote to stderr.
fn check_with(p: &Project, flag: &str, folder: &std::path::Path) -> (i32, String) {
    let (elements, instances) = (p.path("elements"), p.path("instances.yaml"));
    let (code, _, stderr) = elemental(&[
        "check",
        "--elements",
        &elements.display().to_string(),
        "--instances",
        &instances.display().to_string(),
        flag,
        &folder.display().to_string(),
    ]);
    (code, stderr)
}

#[test]
fn check_passes_on_the_bundled_elements() {
    let (code, stdout, stderr) = elemental(&[
        "check",
        "--elements",
        "elements",
        "--instances",
        "instances.yaml",
    ]);
    assert_eq!(code, 0, "{stderr}");
    // The default tasks and cloud folders hold the bundled example task and cloud code.
    assert_eq!(
        stdout.trim(),
        "ok: 1 element(s), 1 instance(s), 1 task(s), cloud code ./cloud/main.js"
    );
}

#[test]
fn check_reports_cloud_code_with_its_places() {
    let p = Project::new();
    p.instances("instances: []\n");
    p.write(
        "cloud/main.js",
        "Parse.Cloud.define('a', (request) => {\n  return {a: 1;\n});\n",
    );
    let (code, stderr) = check_with(&p, "--cloud", &p.path("cloud"));
    assert_eq!(code, 1, "{stderr}");
    let main = p.path("cloud/main.js").display().to_string();
    assert!(
        stderr.contains(&format!("{main}:2:15: SyntaxError")),
        "{stderr}"
    );
    // A cloud folder named but missing is an error.
    let (code, stderr) = check_with(&p, "--cloud", &p.path("nowhere"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn check_reports_tasks_with_their_places() {
    let p = Project::new();
    p.instances("instances: []\n");
    p.task("good", include_str!("../tasks/hello.js"));
    p.task("bad", "export async function get() {\n  return {a: 1;\n}\n");
    p.task(
        "imports",
        "// a task is one file\n  import _ from 'lodash';\nexport const get = () => 1;\n",
    );
    let (code, stderr) = check_with(&p, "--tasks", &p.path("tasks"));
    assert_eq!(code, 1, "{stderr}");
    let bad = p.path("tasks/bad.js").display().to_string();
    let imports = p.path("tasks/imports.js").display().to_string();
    assert!(
        stderr.contains(&format!(
            "{bad}:2:15: task bad: SyntaxError: Unexpected token"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{imports}:2:3: import refused")),
        "{stderr}"
    );
    assert!(stderr.contains("check failed: 2 error(s)"), "{stderr}");

    // A tasks folder named but missing is an error; the default one may be missing.
    let (code, stderr) = check_with(&p, "--tasks", &p.path("nowhere"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cannot read the tasks folder"), "{stderr}");
}

#[test]
fn check_prints_every_problem_with_its_place_and_exits_1() {
    let p = Project::new();
    p.element("bad", "key: bad\nresources:\n  - method: FETCH\n    path: /x\n  - method: GET\n    path: nope\n    vendorPth: /y\n");
    p.element(
        "broken",
        "key: broken\nresources:\n  - method: GET\n    path: /x\n   bad: indentation\n",
    );
    p.instances("instances:\n  - id: 1\n    element: ghost\n    token: t\n");
    let elements = p.path("elements").display().to_string();
    let instances = p.path("instances.yaml").display().to_string();
    let (code, _, stderr) =
        elemental(&["check", "--elements", &elements, "--instances", &instances]);
    assert_eq!(code, 1);
    let bad = p.path("elements/bad/element.yaml").display().to_string();
    let broken = p.path("elements/broken/element.yaml").display().to_string();
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.contains(&format!("{bad}:3:5: unknown method \"FETCH\"").as_str()),
        "{stderr}"
    );
    assert!(
        lines.contains(&format!("{bad}:6:5: path \"nope\" must start with /").as_str()),
        "{stderr}"
    );
    assert!(lines.contains(&format!("{bad}:7:5: warning: unknown key \"vendorPth\" in a resource (did you mean vendorPath?)").as_str()), "{stderr}");
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("{broken}:5:"))),
        "{stderr}"
    );
    assert!(
        lines.contains(&format!("{instances}:3:5: unknown element \"ghost\"").as_str()),
        "{stderr}"
    );
    assert!(stderr.contains("check failed: 4 error(s)"), "{stderr}");
}

#[test]
fn serve_refuses_to_start_with_errors() {
    let p = Project::new();
    p.element(
        "bad",
        "key: bad\nhooks:\n  - type: preRequest\n    body: 'done({'\n",
    );
    let elements = p.path("elements").display().to_string();
    let instances = p.path("instances.yaml").display().to_string();
    let data = p.path("data").display().to_string();
    let (code, _, stderr) = elemental(&[
        "serve",
        "--elements",
        &elements,
        "--instances",
        &instances,
        "--data",
        &data,
        "--listen",
        "127.0.0.1:0",
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("global preRequest: SyntaxError"),
        "{stderr}"
    );
    assert!(stderr.contains("not serving"), "{stderr}");
}

#[test]
fn schema_prints_the_shipped_schema_which_knows_every_key_the_loader_reads() {
    let (code, stdout, _) = elemental(&["schema"]);
    assert_eq!(code, 0);
    let shipped = std::fs::read_to_string("docs/element.schema.json").expect("shipped schema");
    assert_eq!(stdout, shipped);
    let schema: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    use elemental::element::load::{
        CONFIG_KEYS, ELEMENT_KEYS, HOOK_KEYS, PARAM_KEYS, RESOURCE_KEYS,
    };
    for (pointer, keys) in [
        ("/properties", ELEMENT_KEYS),
        ("/$defs/configuration/properties", CONFIG_KEYS),
        ("/$defs/parameter/properties", PARAM_KEYS),
        ("/$defs/hook/properties", HOOK_KEYS),
        ("/$defs/resource/properties", RESOURCE_KEYS),
    ] {
        for key in keys {
            assert!(
                schema.pointer(&format!("{pointer}/{key}")).is_some(),
                "schema {pointer} lacks {key}"
            );
        }
    }
}

#[test]
fn serve_wires_its_flags_into_the_server() {
    let p = Project::new();
    p.element(
        "e",
        "key: e\nresources:\n  - method: GET\n    path: /x\n    vendorPath: /x\n",
    );
    p.instances("instances: []\n");
    let (mut child, listen) = support::spawn_serve(&p, &["--admin-token", "s3cret"]);
    let base = format!("http://{listen}");
    let with_token = support::http(
        "GET",
        &format!("{base}/admin/traces/none"),
        &[("Authorization", "Bearer s3cret")],
        None,
    );
    let without = support::http(
        "GET",
        &format!("{base}/admin/traces/none"),
        &[("Authorization", "Bearer wrong")],
        None,
    );
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        with_token.status, 404,
        "the admin token was accepted: {}",
        with_token.body
    );
    assert_eq!(without.status, 401);
}

#[test]
fn sigterm_lets_requests_in_flight_finish_then_exits() {
    let vendor = support::MockVendor::start(|_| support::Reply {
        delay: Some(std::time::Duration::from_millis(800)),
        ..support::Reply::json(200, serde_json::json!({"slow": true}))
    });
    let p = Project::new();
    p.element(
        "e",
        "key: e\nresources:\n  - method: GET\n    path: /x\n    vendorPath: /x\n",
    );
    p.instances(&support::one_instance(
        "e",
        "tok",
        &format!("      base.url: {}", vendor.base),
    ));
    let (mut child, listen) = support::spawn_serve(&p, &[]);
    let url = format!("http://{listen}/elements/api-v2/x");
    let in_flight = std::thread::spawn(move || {
        support::http("GET", &url, &[("Authorization", "Element tok")], None)
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    let signalled = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(signalled.success());
    let reply = in_flight.join().expect("the request thread");
    assert_eq!(
        reply.status, 200,
        "the request in flight finished: {}",
        reply.body
    );
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "serve did not exit after SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    assert!(
        std::net::TcpStream::connect(&listen).is_err(),
        "nothing listens any more"
    );
}

#[test]
fn demo_vendor_follows_the_port_the_server_listens_on() {
    // The bundled instances file names the demo vendor on 127.0.0.1:8080; the server listens
    // elsewhere and the quickstart must still work.
    let p = Project::new();
    std::fs::remove_dir_all(p.path("elements")).ok();
    support::copy_dir(std::path::Path::new("elements"), &p.path("elements"));
    std::fs::copy("instances.yaml", p.path("instances.yaml")).expect("copy instances");
    let (mut child, listen) = support::spawn_serve(&p, &["--demo-vendor"]);
    let url = format!("http://{listen}/elements/api-v2/hubs/crm/contacts");
    let auth = [("Authorization", "Element demo-token")];
    let created = support::http("POST", &url, &auth, Some(r#"{"firstName":"Ada"}"#));
    // A JSON object with none of a contact's fields: the demo vendor refuses it like a CRM.
    let empty = support::http("POST", &url, &auth, Some(r#"{"nickname":"x"}"#));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body_json()["firstName"], "Ada");
    assert_eq!(empty.status, 400, "{}", empty.body);
    assert_eq!(
        empty.body_json()["providerMessage"]["error"],
        "a contact needs first_name, last_name or email_address"
    );
}

#[test]
fn logs_are_json_lines_with_log_format_json_and_never_coloured_off_a_terminal() {
    let p = Project::new();
    p.element(
        "e",
        "key: e\nresources:\n  - method: GET\n    path: /x\n    vendorPath: /x\n",
    );
    p.instances("instances: []\n");
    for (flag, env) in [(Some("json"), None), (None, Some("json")), (None, None)] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_elemental"));
        command
            .args(["serve", "--elements"])
            .arg(p.path("elements"))
            .arg("--instances")
            .arg(p.path("instances.yaml"))
            .arg("--data")
            .arg(p.path("data"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--reload-ms",
                "0",
                "--workers",
                "1",
            ])
            .env("RUST_LOG", "info")
            .env_remove("NO_COLOR")
            .stderr(std::process::Stdio::piped());
        if let Some(format) = flag {
            command.args(["--log-format", format]);
        }
        if let Some(format) = env {
            command.env("ELEMENTAL_LOG_FORMAT", format);
        }
        let mut child = command.spawn().expect("start serve");
        let stderr = child.stderr.take().expect("stderr");
        let first = std::io::BufRead::lines(std::io::BufReader::new(stderr))
            .next()
            .and_then(Result::ok)
            .unwrap_or_default();
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            !first.contains('\u{1b}'),
            "ANSI codes off a terminal: {first:?}"
        );
        let parsed = serde_json::from_str::<serde_json::Value>(&first);
        if flag.is_some() || env.is_some() {
            let line = parsed.unwrap_or_else(|e| panic!("not JSON ({e}): {first}"));
            assert_eq!(line["fields"]["message"], "serving", "{first}");
        } else {
            assert!(parsed.is_err(), "text by default: {first}");
            assert!(first.contains("serving"), "{first}");
        }
    }
}

#[test]
fn elemental_test_prints_only_its_results() {
    let output = Command::new(env!("CARGO_BIN_EXE_elemental"))
        .args(["test", "--elements", "elements"])
        .env_remove("RUST_LOG")
        .output()
        .expect("run elemental test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert_eq!(stderr, "", "nothing but results");
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with("ok ") || l.ends_with(" failed")),
        "{stdout}"
    );
}
