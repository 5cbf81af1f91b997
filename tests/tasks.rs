//! Web tasks (seeds 002/003): `tasks/<name>.js` ES modules served at `/tasks/<name>`, with
//! `authenticate`, method handlers, the request and response members, limits and errors.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{http, Project, Reply, Server};

fn serve(p: &Project) -> Server {
    p.serve_with(settings())
}

fn settings() -> elemental::settings::Settings {
    elemental::settings::Settings {
        expose_errors: true,
        ..Default::default()
    }
}

fn call(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Reply {
    http(method, &format!("{}{path}", server.base), headers, body)
}

fn get(server: &Server, path: &str) -> Reply {
    call(server, "GET", path, &[], None)
}

const JSON: (&str, &str) = ("Content-Type", "application/json");

/// Store `value` under `key` in the server's kv store, sealed as `kv.put` does.
fn kv_put(server: &Server, key: &str, value: Value) {
    let sealed = server.state.settings.sealer.seal(&value);
    elemental::store::wait(server.state.store.kv_put(key, &sealed)).expect("kv put");
}

#[test]
fn the_minimal_example_answers_get() {
    let p = Project::new();
    p.task("hello", include_str!("../tasks/hello.js"));
    let server = serve(&p);
    let reply = get(&server, "/tasks/hello");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body_json(), json!({"hello": "world"}));
    assert!(reply
        .header_value("content-type")
        .is_some_and(|t| t.starts_with("application/json")));
    assert!(reply.header_value("elements-request-id").is_some());
    // No post handler: 405 with the methods it has.
    let reply = call(&server, "POST", "/tasks/hello", &[JSON], Some("{}"));
    assert_eq!(reply.status, 405, "{}", reply.body);
    assert_eq!(reply.header_value("allow"), Some("GET"));
    let reply = get(&server, "/tasks/nope");
    assert_eq!(reply.status, 404, "{}", reply.body);
    let metrics = get(&server, "/metrics").body;
    assert!(
        metrics.contains("elemental_task_requests_total{task=\"hello\",status=\"200\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("elemental_task_requests_total{task=\"unknown\",status=\"404\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("elemental_task_duration_seconds_count{task=\"hello\"} 2"),
        "{metrics}"
    );
}

#[test]
fn the_authentication_example_looks_the_token_up_in_kv() {
    let p = Project::new();
    p.task("auth", include_str!("tasks/auth.js"));
    let server = serve(&p);
    kv_put(&server, "api_client:s3cret", json!({"name": "Ada"}));
    let send = |auth: Option<&str>| {
        let mut headers = vec![JSON];
        if let Some(auth) = auth {
            headers.push(("Authorization", auth));
        }
        call(&server, "POST", "/tasks/auth", &headers, Some("{}"))
    };
    let missing = send(None);
    assert_eq!(missing.status, 401, "{}", missing.body);
    assert!(missing.body_json()["requestId"].is_string());
    assert_eq!(send(Some("Bearer unknown")).status, 401);
    let known = send(Some("Bearer s3cret"));
    assert_eq!(known.status, 200, "{}", known.body);
    assert_eq!(known.body_json(), json!({"user": "Ada"}));
}

#[test]
fn a_handler_sees_every_request_member() {
    let p = Project::new();
    p.task("members", include_str!("tasks/members.js"));
    let server = serve(&p);
    let headers = [JSON, ("X-Test", "one"), ("X-Via", "test")];
    let body = r#"{"name": "Ada", "q": "from-body"}"#;
    let reply = call(
        &server,
        "POST",
        "/tasks/members?q=search&page=2",
        &headers,
        Some(body),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = reply.body_json();
    let port = server.base.rsplit(':').next().expect("port");
    assert_eq!(seen["method"], json!("POST"));
    assert_eq!(
        seen["href"],
        json!(format!(
            "http://127.0.0.1:{port}/tasks/members?q=search&page=2"
        ))
    );
    for member in ["isHeaders", "headerHas", "headerNames", "entries"] {
        assert_eq!(seen[member], json!(true), "{member}: {seen}");
    }
    assert_eq!(seen["headerGet"], json!("one"));
    assert_eq!(seen["header"], json!("one"));
    assert_eq!(seen["hostname"], json!("127.0.0.1"));
    assert_eq!(seen["subdomain"], json!(""));
    assert_eq!(seen["searchParams"], json!("search"));
    assert_eq!(seen["path"], json!("/tasks/members"));
    assert_eq!(seen["json"], json!({"name": "Ada", "q": "from-body"}));
    assert_eq!(seen["text"], json!(body));
    // Query parameters, with the JSON body's fields over them.
    assert_eq!(
        seen["params"],
        json!({"q": "from-body", "page": "2", "name": "Ada"})
    );
    assert_eq!(
        seen["authContext"],
        json!({"role": "tester", "via": "test"})
    );

    let reply = call(
        &server,
        "GET",
        "/tasks/members?q=x",
        &[("X-Test", "one")],
        None,
    );
    let seen = reply.body_json();
    assert_eq!(seen["json"], Value::Null, "null for GET");
    assert_eq!(seen["text"], Value::Null, "null for GET");
    assert_eq!(seen["params"], json!({"q": "x"}));

    let invalid = call(
        &server,
        "POST",
        "/tasks/members",
        &[JSON],
        Some("{not json"),
    );
    assert_eq!(invalid.status, 200, "{}", invalid.body);
    assert_eq!(invalid.body_json()["json"], json!({"threw": "SyntaxError"}));
    assert_eq!(invalid.body_json()["params"], json!({}));
}

#[test]
fn the_response_members_set_status_type_and_body() {
    let p = Project::new();
    p.task("members", include_str!("tasks/members.js"));
    let server = serve(&p);
    let put = call(
        &server,
        "PUT",
        "/tasks/members",
        &[JSON],
        Some(r#"{"name":"Ada"}"#),
    );
    assert_eq!(put.status, 201, "{}", put.body);
    assert_eq!(put.header_value("content-type"), Some("text/html"));
    assert_eq!(put.body, "<p>Ada</p>");

    let patch = |r#as: &str| {
        let body = json!({"as": r#as}).to_string();
        call(&server, "PATCH", "/tasks/members", &[JSON], Some(&body))
    };
    // A returned string is JSON unless a text content type was set.
    let json_string = patch("json");
    assert_eq!(json_string.body_json(), json!("just a string"));
    assert!(json_string
        .header_value("content-type")
        .is_some_and(|t| t.starts_with("application/json")));
    let text = patch("text");
    assert_eq!(text.body, "just a string");
    assert_eq!(text.header_value("content-type"), Some("text/plain"));
    let object = patch("object");
    assert_eq!(object.body_json(), json!({"kept": true}));
    // Binary content types and bad statuses are the task's fault: 500, saying why.
    let binary = patch("binary");
    assert_eq!(binary.status, 500, "{}", binary.body);
    assert!(
        binary.body.contains("application/octet-stream"),
        "{}",
        binary.body
    );
    let bad = patch("bad-status");
    assert_eq!(bad.status, 500, "{}", bad.body);
    assert!(bad.body.contains("RangeError"), "{}", bad.body);
    assert!(bad.body.contains("members.js:"), "{}", bad.body);

    let deleted = call(&server, "DELETE", "/tasks/members", &[], None);
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert_eq!(deleted.body, "");
}

const OUTCOMES: &str = r#"
export async function authenticate({params, access}) {
    switch (params.mode) {
        case 'ctx': return access.authorized({id: 7});
        case 'plain': return access.authorized();
        case 'default': return access.unauthorized();
        case 'text': return access.unauthorized({body: 'Forbidden', status: 403});
        case 'json': return access.unauthorized({body: {message: 'Forbidden'}, status: 403});
        case 'throw': throw new TypeError('no way');
        case 'look-alike': return {authorized: true};
        case 'nothing': return;
    }
}
export const get = async ({authContext}) => ({authContext: authContext === undefined ? 'none' : authContext});
"#;

#[test]
fn each_authenticate_outcome() {
    let p = Project::new();
    p.task("outcomes", OUTCOMES);
    p.task("open", "export async function get() { return 'open'; }\n");
    let server = serve(&p);
    let mode = |m: &str| get(&server, &format!("/tasks/outcomes?mode={m}"));
    assert_eq!(mode("ctx").body_json(), json!({"authContext": {"id": 7}}));
    assert_eq!(mode("plain").body_json(), json!({"authContext": "none"}));
    let default = mode("default");
    assert_eq!(default.status, 401, "{}", default.body);
    assert!(default.body_json()["message"].is_string());
    let text = mode("text");
    assert_eq!((text.status, text.body.as_str()), (403, "Forbidden"));
    assert!(text
        .header_value("content-type")
        .is_some_and(|t| t.starts_with("text/plain")));
    let json = mode("json");
    assert_eq!(json.status, 403);
    assert_eq!(json.body_json(), json!({"message": "Forbidden"}));
    let thrown = mode("throw");
    assert_eq!(thrown.status, 500, "{}", thrown.body);
    let message = thrown.body_json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("TypeError: no way"), "{message}");
    assert!(
        message.contains("outcomes.js:9:"),
        "the JS location: {message}"
    );
    for wrong in ["look-alike", "nothing"] {
        let reply = mode(wrong);
        assert_eq!(reply.status, 500, "{wrong}: {}", reply.body);
        assert!(
            reply.body.contains("authenticate must return"),
            "{}",
            reply.body
        );
    }
    let open = get(&server, "/tasks/open");
    assert_eq!(open.status, 500, "{}", open.body);
    assert!(open.body.contains("no authenticate"), "{}", open.body);
}

#[test]
fn hidden_errors_name_the_task_and_the_request_id_only() {
    let p = Project::new();
    p.task("outcomes", OUTCOMES);
    let server = p.serve();
    let reply = get(&server, "/tasks/outcomes?mode=throw");
    assert_eq!(reply.status, 500);
    let message = reply.body_json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains("task outcomes failed (TypeError)"),
        "{message}"
    );
    assert!(!message.contains("no way"), "{message}");
}

#[test]
fn bodies_must_be_json_and_within_the_limit() {
    let p = Project::new();
    p.task("members", include_str!("tasks/members.js"));
    let server = p.serve_with(elemental::settings::Settings {
        max_request_body: 64,
        ..settings()
    });
    let text = call(
        &server,
        "POST",
        "/tasks/members",
        &[("Content-Type", "text/plain")],
        Some("hi"),
    );
    assert_eq!(text.status, 415, "{}", text.body);
    let untyped = call(&server, "POST", "/tasks/members", &[], Some("{}"));
    assert_eq!(untyped.status, 415, "{}", untyped.body);
    let big = format!(r#"{{"pad": "{}"}}"#, "x".repeat(100));
    let large = call(&server, "POST", "/tasks/members", &[JSON], Some(&big));
    assert_eq!(large.status, 413, "{}", large.body);
    let fine = call(
        &server,
        "POST",
        "/tasks/members",
        &[("Content-Type", "application/json; charset=utf-8")],
        Some("{}"),
    );
    assert_eq!(fine.status, 200, "{}", fine.body);
}

#[test]
fn the_time_limit_answers_504_and_stops_the_task() {
    let p = Project::new();
    p.task(
        "hang",
        "export const config = {timeoutMs: 300};\nexport function authenticate() { return new Promise(() => {}); }\nexport function get() { return 1; }\n",
    );
    p.task(
        "spin",
        "export const config = {timeoutMs: 300};\nexport const authenticate = ({access}) => access.authorized();\nexport async function get() {\n  const runs = (await kv.get('runs')) || 0;\n  await kv.put('runs', runs + 1);\n  for (;;) {}\n}\n",
    );
    let server = serve(&p);
    for task in ["hang", "spin"] {
        let started = Instant::now();
        let reply = get(&server, &format!("/tasks/{task}"));
        assert_eq!(reply.status, 504, "{task}: {}", reply.body);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{task}: {:?}",
            started.elapsed()
        );
    }
    // Stopped, never run again behind the caller's back; the server goes on serving.
    std::thread::sleep(Duration::from_millis(500));
    let runs = elemental::store::wait(server.state.store.kv_get("runs")).expect("kv");
    let runs = runs.map(|v| server.state.settings.sealer.open(&v).expect("open"));
    assert_eq!(runs, Some(json!(1)));
    p.task("hello", include_str!("../tasks/hello.js"));
    elemental::reload::reload(&server.state, &p.sources());
    assert_eq!(get(&server, "/tasks/hello").status, 200);
}

#[test]
fn async_handlers_await_timers_and_promises() {
    let p = Project::new();
    p.task(
        "slow",
        r#"
export const authenticate = async ({access}) => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return access.authorized('late');
};
const later = (value, ms) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
export async function get({authContext}) {
    const [a, b] = await Promise.all([later(1, 30), later(2, 10)]);
    const c = await Promise.resolve(3).then((x) => x * 2);
    console.log('slow task', a + b + c);
    return {sum: a + b + c, authContext};
}
"#,
    );
    let server = p.serve_with(elemental::settings::Settings {
        admin_token: Some("adm1n".into()),
        ..settings()
    });
    let debug = [
        ("Elements-Debug", "true"),
        ("Elements-Admin-Token", "adm1n"),
    ];
    let reply = call(&server, "GET", "/tasks/slow", &debug, None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body_json(), json!({"sum": 9, "authContext": "late"}));
    // The debug trace has the task's console lines, as a hook's has.
    let id = reply
        .header_value("elements-request-id")
        .expect("request id");
    let trace = call(
        &server,
        "GET",
        &format!("/admin/traces/{id}"),
        &debug[1..],
        None,
    );
    assert_eq!(trace.status, 200, "{}", trace.body);
    let trace = trace.body_json();
    assert_eq!(trace["task"], json!("slow"));
    assert_eq!(trace["status"], json!(200));
    assert_eq!(
        trace["console"][0]["message"],
        json!("slow task 9"),
        "{trace}"
    );
}

#[test]
fn tasks_are_served_by_host_under_the_tasks_domain() {
    let p = Project::new();
    p.task("members", include_str!("tasks/members.js"));
    let server = p.serve_with(elemental::settings::Settings {
        tasks_domain: Some("tasks.test".into()),
        ..settings()
    });
    let reply = call(
        &server,
        "GET",
        "/anything?q=1",
        &[("Host", "members.tasks.test")],
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = reply.body_json();
    assert_eq!(seen["hostname"], json!("members.tasks.test"));
    assert_eq!(seen["subdomain"], json!("members"));
    assert_eq!(seen["path"], json!("/anything"));
    assert_eq!(
        seen["href"],
        json!("http://members.tasks.test/anything?q=1")
    );
    // Other hosts reach the other routes as before.
    assert_eq!(get(&server, "/health").status, 200);
}

#[test]
fn a_changed_task_is_reloaded() {
    let p = Project::new();
    p.task("hello", include_str!("../tasks/hello.js"));
    let server = serve(&p);
    assert_eq!(
        get(&server, "/tasks/hello").body_json(),
        json!({"hello": "world"})
    );
    p.task(
        "hello",
        &include_str!("../tasks/hello.js").replace("'world'", "'again'"),
    );
    let outcome = elemental::reload::reload(&server.state, &p.sources());
    assert!(
        matches!(
            outcome,
            elemental::reload::Outcome::Swapped { tasks: 1, .. }
        ),
        "{outcome:?}"
    );
    assert_eq!(
        get(&server, "/tasks/hello").body_json(),
        json!({"hello": "again"})
    );
    // A broken task keeps the previous set serving.
    p.task("hello", "export function get( {");
    let outcome = elemental::reload::reload(&server.state, &p.sources());
    assert!(
        matches!(outcome, elemental::reload::Outcome::Kept(_)),
        "{outcome:?}"
    );
    assert_eq!(
        get(&server, "/tasks/hello").body_json(),
        json!({"hello": "again"})
    );
}

#[test]
fn tasks_together_never_hold_every_executor() {
    let p = Project::new();
    p.task(
        "spin",
        "export const config = {timeoutMs: 1500};\nexport const authenticate = ({access}) => access.authorized();\nexport function get() { for (;;) {} }\n",
    );
    let server = p.serve_with(elemental::settings::Settings {
        admission: elemental::admission::Defaults {
            concurrency: 1,
            queue: 0,
            max_waiting: 16,
        },
        ..settings()
    });
    let url = format!("{}/tasks/spin", server.base);
    let first = std::thread::spawn(move || http("GET", &url, &[], None));
    std::thread::sleep(Duration::from_millis(400));
    let second = get(&server, "/tasks/spin");
    assert_eq!(second.status, 429, "{}", second.body);
    assert_eq!(second.header_value("retry-after"), Some("1"));
    assert_eq!(first.join().expect("first").status, 504);
}

#[test]
fn a_module_that_throws_while_loading_fails_each_request() {
    let p = Project::new();
    p.task(
        "broken",
        "export const authenticate = ({access}) => access.authorized();\nthrow new Error('at load');\nexport const get = () => 1;\n",
    );
    let server = serve(&p);
    for _ in 0..3 {
        let reply = get(&server, "/tasks/broken");
        assert_eq!(reply.status, 500, "{}", reply.body);
        let message = reply.body_json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(message.contains("Error: at load"), "{message}");
        assert!(message.contains("broken.js:2:"), "{message}");
    }
}

#[test]
fn hostile_tasks_are_contained_as_hooks_are() {
    let p = Project::new();
    p.task(
        "hostile",
        r#"export const authenticate = ({access}) => access.authorized();
export function get({params}) {
    if (params.do === 'bomb') { const all = []; for (;;) all.push(new Array(1e6).fill(1)); }
    if (params.do === 'poison') { Array.prototype.evil = 1; }
    const seen = typeof globalThis.leaked;
    globalThis.leaked = 'from an earlier request';
    return {seen};
}
"#,
    );
    let server = serve(&p);
    let bomb = get(&server, "/tasks/hostile?do=bomb");
    assert_eq!(bomb.status, 500, "{}", bomb.body);
    assert!(bomb.body.contains("memory"), "{}", bomb.body);
    let poison = get(&server, "/tasks/hostile?do=poison");
    assert_eq!(poison.status, 500, "{}", poison.body);
    assert!(poison.body.contains("TypeError"), "{}", poison.body);
    for _ in 0..3 {
        let reply = get(&server, "/tasks/hostile");
        assert_eq!(
            reply.body_json(),
            json!({"seen": "undefined"}),
            "globals are swept"
        );
    }
}
