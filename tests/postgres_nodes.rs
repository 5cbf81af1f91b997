//! Several `elemental serve` nodes on one PostgreSQL database: what one node writes (a hook's
//! configuration, the instances API) is what the others serve next, a burst of calls at
//! token expiry spread over two nodes costs one refresh, and a debug trace recorded on one
//! node is read on another, its secrets masked in the stored row too. Skipped, with a note,
//! where no PostgreSQL answers at 127.0.0.1:5432.

#[path = "support/oauth.rs"]
mod oauth;
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use oauth::{AuthServer, CLIENT_ID, CLIENT_SECRET};
use serde_json::{json, Value};
use support::postgres::{Node, Scratch};
use support::{http, MockVendor, Project, Reply};

const ADMIN: &str = "adm-9183";

/// A served node of these tests.
trait Served {
    fn call(&self, path: &str, token: &str) -> Reply;
    fn admin(&self, method: &str, path: &str, body: Option<&str>) -> Reply;
}

fn node(p: &Project, db: &Scratch) -> Node {
    Node::start(p, db, ADMIN, &[])
}

impl Served for Node {
    fn call(&self, path: &str, token: &str) -> Reply {
        let auth = format!("Element {token}");
        http(
            "GET",
            &format!("{}/elements/api-v2{path}", self.base),
            &[("Authorization", auth.as_str())],
            None,
        )
    }

    fn admin(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        let auth = format!("Bearer {ADMIN}");
        http(
            method,
            &format!("{}{path}", self.base),
            &[("Authorization", auth.as_str())],
            body,
        )
    }
}

/// How long a write on one node may take to reach the others' requests.
const LAG: Duration = Duration::from_secs(2);

/// How long until `node` serves `value` under `key` in instance 1's configuration (at most
/// `LAG`), asked through the instances API, which reads the served instance.
fn seen(node: &Node, key: &str, value: &Value) -> Duration {
    let started = Instant::now();
    loop {
        let shown = node.admin("GET", "/elements/api-v2/instances/1/configuration", None);
        if shown.status == 200 && shown.body_json()[key] == *value {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < LAG,
            "{} never served {key} = {value}: {}",
            node.base,
            shown.body
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Wait (at most `LAG`) until `node` answers `status` to the admin's GET of `path`.
fn answers(node: &Node, path: &str, status: u16) {
    let started = Instant::now();
    loop {
        let reply = node.admin("GET", path, None);
        if reply.status == status {
            return;
        }
        assert!(started.elapsed() < LAG, "{path}: {}", reply.body);
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// `crm`: a resource whose hook counts its calls in the instance's configuration.
fn counting(vendor: &MockVendor) -> Project {
    let p = Project::new();
    p.element(
        "crm",
        "key: crm\nconfiguration:\n  - key: base.url\n  - key: api.secret\n    type: PASSWORD\nresources:\n  - method: GET\n    path: /hubs/crm/counted\n    vendorPath: /counted\n    hooks:\n      - type: postRequest\n        body: |\n          const n = Number(configuration['counter'] || '0') + 1;\n          done({configuration: {counter: String(n)}, response_body: {counter: n, greeting: configuration['greeting'] || null}});\n",
    );
    p.instances(&format!(
        "instances:\n  - id: 1\n    element: crm\n    token: tok\n    configuration:\n      base.url: {}\n      api.secret: sup3r-s3cret-value\n",
        vendor.base
    ));
    p
}

#[test]
fn a_write_on_one_node_is_what_the_other_serves_next() {
    let Some(db) = Scratch::create("nodes_configuration") else {
        return;
    };
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let p = counting(&vendor);
    let (a, b) = (node(&p, &db), node(&p, &db));

    // A hook's write on one node is what the other serves once the notification arrives
    // (NOTIFY at commit): milliseconds, bounded here at LAG.
    let mut lags = Vec::new();
    for n in 1..=12 {
        let (node, other) = if n % 2 == 1 { (&a, &b) } else { (&b, &a) };
        let reply = node.call("/hubs/crm/counted", "tok");
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body_json()["counter"], json!(n), "call {n}");
        lags.push(seen(other, "counter", &json!(n.to_string())));
    }

    // The instances API's configuration write on A.
    let patched = a.admin(
        "PATCH",
        "/elements/api-v2/instances/1/configuration",
        Some(r#"{"greeting": "hello"}"#),
    );
    assert_eq!(patched.status, 200, "{}", patched.body);
    lags.push(seen(&b, "greeting", &json!("hello")));
    let reply = b.call("/hubs/crm/counted", "tok").body_json();
    assert_eq!(reply["greeting"], json!("hello"), "{reply}");
    lags.sort();
    eprintln!(
        "configuration seen on the other node after: median {:?}, max {:?}",
        lags[lags.len() / 2],
        lags[lags.len() - 1]
    );

    // An instance created on A is served by B; deleted on A, B serves it no more.
    let body = json!({"element": {"key": "crm"}, "name": "beta", "configuration": {"base.url": vendor.base}});
    let created = a.admin(
        "POST",
        "/elements/api-v2/instances",
        Some(&body.to_string()),
    );
    assert_eq!(created.status, 200, "{}", created.body);
    let created = created.body_json();
    let token = created["token"].as_str().unwrap_or_default().to_string();
    let id = created["id"].as_i64().unwrap_or_default();
    let instance = format!("/elements/api-v2/instances/{id}");
    answers(&b, &instance, 200);
    let reply = b.call("/hubs/crm/counted", &token);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body_json()["counter"], json!(1));
    // Renamed on A: B shows the new name.
    let renamed = a.admin(
        "PATCH",
        &instance,
        Some(r#"{"name": "gamma", "tags": ["eu"]}"#),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let started = Instant::now();
    while b.admin("GET", &instance, None).body_json()["name"] != json!("gamma") {
        assert!(started.elapsed() < LAG, "B never served the new name");
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(
        b.admin("GET", &instance, None).body_json()["tags"],
        json!(["eu"])
    );
    let deleted = a.admin("DELETE", &format!("/elements/api-v2/instances/{id}"), None);
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    answers(&b, &instance, 404);
    let reply = b.call("/hubs/crm/counted", &token);
    assert_eq!(reply.status, 401, "{}", reply.body);
}

#[test]
fn a_missed_notification_is_made_up_for_after_the_listening_connection_returns() {
    let Some(db) = Scratch::create("nodes_missed") else {
        return;
    };
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let p = counting(&vendor);
    let (a, b) = (node(&p, &db), node(&p, &db));
    assert_eq!(a.call("/hubs/crm/counted", "tok").status, 200);
    // Written behind every node's back (no NOTIFY), while their connections are cut: the
    // listening connections come back and read everything again.
    db.execute(
        "INSERT INTO configuration_writes (instance_id, key, value) VALUES (1, 'greeting', '\"behind\"')",
    )
    .expect("write");
    db.terminate_connections();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let reply = b.call("/hubs/crm/counted", "tok");
        if reply.status == 200 && reply.body_json()["greeting"] == json!("behind") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "B never read the write: {}",
            reply.body
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An oauth2 element whose instance's token has expired.
fn expired(auth: &AuthServer) -> Project {
    auth.seed("at-0", "rt-0");
    let base = &auth.base;
    let p = Project::new();
    p.element(
        "shop",
        &format!(
            "key: shop\nauthentication:\n  type: oauth2\nconfiguration:
  - key: base.url\n    defaultValue: {base}/api
  - key: oauth.api.key
  - key: oauth.api.secret\n    type: PASSWORD
  - key: oauth.token.url\n    defaultValue: {base}/token
  - key: oauth.user.token
  - key: oauth.user.refresh_token
resources:\n  - method: GET\n    path: /hubs/shop/orders\n    vendorPath: /orders
"
        ),
    );
    p.instances(&support::one_instance(
        "shop",
        "tok",
        &format!("      oauth.api.key: {CLIENT_ID}\n      oauth.api.secret: {CLIENT_SECRET}\n      oauth.user.token: at-0\n      oauth.user.refresh_token: rt-0\n      oauth.user.token.expires_at: '1000'"),
    ));
    p
}

#[test]
fn twenty_calls_at_expiry_over_two_nodes_cause_one_refresh() {
    let Some(db) = Scratch::create("nodes_refresh") else {
        return;
    };
    let auth = AuthServer::start(3600);
    // Slow enough that every call arrives while the refresh is under way.
    auth.slow(Duration::from_millis(300));
    let p = expired(&auth);
    let nodes = Arc::new([node(&p, &db), node(&p, &db)]);
    let calls: Vec<_> = (0..20)
        .map(|i| {
            let nodes = nodes.clone();
            std::thread::spawn(move || nodes[i % 2].call("/hubs/shop/orders", "tok"))
        })
        .collect();
    for call in calls {
        let reply = call.join().expect("call");
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    assert_eq!(auth.token_requests(), 1);
}

#[test]
fn a_trace_recorded_on_one_node_is_read_on_another_and_stored_masked() {
    let Some(db) = Scratch::create("nodes_traces") else {
        return;
    };
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"echo": "sup3r-s3cret-value"})));
    let p = counting(&vendor);
    let (a, b) = (node(&p, &db), node(&p, &db));
    let reply = http(
        "GET",
        &format!("{}/elements/api-v2/hubs/crm/counted", a.base),
        &[
            ("Authorization", "Element tok"),
            ("Elements-Debug", "true"),
            ("Elements-Admin-Token", ADMIN),
        ],
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let id = reply
        .header_value("elements-request-id")
        .expect("request id")
        .to_string();
    // The write is not waited for by the request: give it a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    let trace = loop {
        let trace = b.admin("GET", &format!("/admin/traces/{id}"), None);
        if trace.status == 200 || Instant::now() > deadline {
            break trace;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(trace.status, 200, "{}", trace.body);
    let trace: Value = trace.body_json();
    assert_eq!(trace["requestId"], json!(id));
    assert_eq!(trace["element"], json!("crm"));
    // B's list of recent traces (the studio's) has it too.
    let listed = b.admin("GET", "/admin/traces", None).body_json();
    assert_eq!(listed[0]["requestId"], json!(id), "{listed}");
    assert!(
        listed[0].get("phases").is_none(),
        "a list shows summaries: {listed}"
    );
    let rows = db.query_texts("SELECT trace FROM traces").expect("traces");
    assert_eq!(rows.len(), 1, "{rows:?}");
    for secret in ["sup3r-s3cret-value", "Element tok", ADMIN] {
        assert!(!rows[0].contains(secret), "{secret} in {}", rows[0]);
    }
    assert!(rows[0].contains("********"), "{}", rows[0]);
    assert_eq!(
        b.admin("GET", "/admin/traces/no-such-request", None).status,
        404
    );
}

#[test]
fn the_refresh_lock_is_one_stores_at_a_time_and_traces_keep_the_last_capacity() {
    use elemental::store::{wait, PostgresStore, Store};
    let Some(db) = Scratch::create("nodes_store") else {
        return;
    };
    let one = PostgresStore::open(&db.url).expect("store one");
    let two = Arc::new(PostgresStore::open(&db.url).expect("store two"));
    let held = wait(one.refresh_lock(7)).expect("lock 7");
    // Another instance's lock is free meanwhile.
    drop(wait(two.refresh_lock(8)).expect("lock 8"));
    let waiter = {
        let two = two.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let lock = wait(two.refresh_lock(7)).map(|_| ());
            (lock, started.elapsed())
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    drop(held);
    let (lock, waited) = waiter.join().expect("waiter");
    lock.expect("lock 7 once released");
    assert!(waited >= Duration::from_millis(250), "{waited:?}");

    for i in 0..5 {
        let trace = json!({"requestId": format!("r{i}")});
        wait(one.keep_trace(&format!("r{i}"), &trace, 3)).expect("keep");
    }
    assert_eq!(wait(two.trace("r0")).expect("trace"), None);
    assert_eq!(
        wait(two.trace("r4")).expect("trace"),
        Some(json!({"requestId": "r4"}))
    );
    let kept = db.query_texts("SELECT request_id FROM traces ORDER BY seq");
    assert_eq!(kept.expect("rows"), ["r2", "r3", "r4"]);
}

#[test]
fn instances_created_at_once_on_two_nodes_get_distinct_ids_and_both_stay() {
    let Some(db) = Scratch::create("nodes_instance_ids") else {
        return;
    };
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let p = counting(&vendor);
    let (a, b) = (node(&p, &db), node(&p, &db));
    let create = |node: &Node, name: &str| {
        let body = json!({"element": {"key": "crm"}, "name": name, "configuration": {"base.url": vendor.base}});
        let created = node.admin(
            "POST",
            "/elements/api-v2/instances",
            Some(&body.to_string()),
        );
        assert_eq!(created.status, 200, "{}", created.body);
        created.body_json()["id"].as_i64().unwrap_or_default()
    };
    // Pairs created on both nodes at the same moment: before ids came from the database, each
    // node picked the next id it knew of, the two collided, and the failed insert's clean-up
    // deleted the other node's instance.
    let mut ids = Vec::new();
    for round in 0..5 {
        let (x, y) = std::thread::scope(|s| {
            let x = s.spawn(|| create(&a, &format!("a-{round}")));
            let y = s.spawn(|| create(&b, &format!("b-{round}")));
            (x.join().unwrap_or_default(), y.join().unwrap_or_default())
        });
        assert_ne!(x, y, "round {round}: both nodes handed out {x}");
        ids.extend([x, y]);
    }
    for id in ids {
        answers(&a, &format!("/elements/api-v2/instances/{id}"), 200);
        answers(&b, &format!("/elements/api-v2/instances/{id}"), 200);
    }
}
