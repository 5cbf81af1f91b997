//! `elemental serve --store postgres://…` end to end, the binary spawned against a scratch
//! database: webhooks committed and delivered, configuration written by a hook and instances
//! created through the API surviving a restart, and the database going away mid-run (503
//! with Retry-After while it is down, work resuming after, no acknowledged webhook lost).
//! Skipped, with a note, where no PostgreSQL answers at 127.0.0.1:5432.

mod support;

use std::collections::BTreeSet;
use std::process::Child;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::postgres::Scratch;
use support::{http, MockVendor, Project, Reply};

const ADMIN: &str = "adm-7731";

/// `crm`: a resource whose hook counts its calls in the instance's configuration;
/// `rows`: webhooks whose event hook makes one event per body.
fn project(vendor: &MockVendor, subscriber: &MockVendor) -> Project {
    let p = Project::new();
    p.element(
        "crm",
        "key: crm\nconfiguration:\n  - key: base.url\nresources:\n  - method: GET\n    path: /hubs/crm/counted\n    vendorPath: /counted\n    hooks:\n      - type: postRequest\n        body: |\n          const n = Number(configuration['counter'] || '0') + 1;\n          done({configuration: {counter: String(n)}, response_body: {counter: n}});\n",
    );
    p.element(
        "rows",
        "key: rows\nconfiguration:\n  - key: event.notification.enabled\n    type: BOOLEAN\n  - key: event.notification.callback.url\nhooks:\n  - type: event\n    body: |\n      done({events: [{event_type: 'created', event_object_type: 'rows', event_object_id: String(events.n)}]});\nresources: []\n",
    );
    p.instances(&format!(
        "instances:\n  - id: 1\n    element: crm\n    token: tok\n    configuration:\n      base.url: {}\n  - id: 2\n    element: rows\n    token: rows-token\n    configuration:\n      event.notification.enabled: true\n      event.notification.callback.url: {}/hook\n",
        vendor.base, subscriber.base
    ));
    p
}

fn serve(p: &Project, db: &Scratch) -> (Child, String) {
    let (child, listen) = support::spawn_serve(p, &["--store", &db.url, "--admin-token", ADMIN]);
    (child, format!("http://{listen}"))
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn webhook(base: &str, n: usize) -> Reply {
    http(
        "POST",
        &format!("{base}/elements/api-v2/events/rows"),
        &[("Content-Type", "application/json")],
        Some(&json!({ "n": n }).to_string()),
    )
}

/// The `n` of every event the subscriber was sent.
fn delivered(subscriber: &MockVendor) -> BTreeSet<String> {
    subscriber
        .requests()
        .iter()
        .filter_map(|r| {
            r.json()["message"]["events"][0]["objectId"]
                .as_str()
                .map(str::to_string)
        })
        .collect()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn admin(base: &str, method: &str, path: &str, body: Option<&str>) -> Reply {
    let auth = format!("Bearer {ADMIN}");
    http(
        method,
        &format!("{base}{path}"),
        &[("Authorization", auth.as_str())],
        body,
    )
}

#[test]
fn webhooks_configuration_and_api_instances_live_in_postgres_across_a_restart() {
    let Some(db) = Scratch::create("serve_restart") else {
        return;
    };
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let subscriber = MockVendor::start(|_| Reply::json(200, json!({})));
    let p = project(&vendor, &subscriber);
    let (child, base) = serve(&p, &db);

    assert_eq!(webhook(&base, 1).status, 200);
    wait_until("the webhook delivered", || {
        delivered(&subscriber).contains("1")
    });
    let counted = |base: &str, token: &str| {
        http(
            "GET",
            &format!("{base}/elements/api-v2/hubs/crm/counted"),
            &[("Authorization", &format!("Element {token}"))],
            None,
        )
    };
    assert_eq!(counted(&base, "tok").body_json(), json!({"counter": 1}));
    let body = json!({"element": {"key": "crm"}, "name": "acme", "configuration": {"base.url": vendor.base}, "tags": ["eu"]});
    let created = admin(
        &base,
        "POST",
        "/elements/api-v2/instances",
        Some(&body.to_string()),
    );
    assert_eq!(created.status, 200, "{}", created.body);
    let created = created.body_json();
    let token = created["token"].as_str().unwrap_or_default().to_string();
    assert_eq!(counted(&base, &token).body_json(), json!({"counter": 1}));
    stop(child);

    // Nothing of it was in the data folder: a restart reads it back from PostgreSQL.
    assert!(!p.path("data").join("elemental.db").exists());
    let (child, base) = serve(&p, &db);
    assert_eq!(counted(&base, "tok").body_json(), json!({"counter": 2}));
    assert_eq!(counted(&base, &token).body_json(), json!({"counter": 2}));
    let listed = admin(&base, "GET", "/elements/api-v2/instances", None).body_json();
    let names: Vec<&Value> = listed
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| &i["name"])
        .collect();
    assert!(names.contains(&&json!("acme")), "{listed}");
    let events = admin(&base, "GET", "/admin/events?instance=2", None).body_json();
    assert_eq!(events.as_array().map(Vec::len), Some(1), "{events}");
    assert_eq!(events[0]["status"], json!("processed"));
    stop(child);
}

#[test]
fn the_database_going_away_answers_503_and_loses_no_acknowledged_webhook() {
    let Some(db) = Scratch::create("serve_outage") else {
        return;
    };
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let subscriber = MockVendor::start(|_| Reply::json(200, json!({})));
    let p = project(&vendor, &subscriber);
    let (child, base) = serve(&p, &db);
    let mut acknowledged = BTreeSet::new();
    let mut refused = 0;
    for n in 0..60 {
        match n {
            // Backends cut (a database restart): the pool replaces its connections.
            15 => db.terminate_connections(),
            // Down: no new connection is accepted until it comes back.
            30 => db.take_down(),
            45 => db.bring_up(),
            _ => {}
        }
        let reply = webhook(&base, n);
        match reply.status {
            200 => {
                acknowledged.insert(n.to_string());
            }
            503 => {
                refused += 1;
                assert_eq!(
                    reply.header_value("retry-after"),
                    Some("1"),
                    "{}",
                    reply.body
                );
            }
            other => panic!("webhook {n}: {other} {}", reply.body),
        }
        if (30..45).contains(&n) {
            assert_eq!(reply.status, 503, "webhook {n} while the database is down");
            let listing = admin(&base, "GET", "/admin/events", None);
            assert_eq!(listing.status, 503, "{}", listing.body);
            assert!(listing.header_value("retry-after").is_some());
        }
    }
    assert!(refused >= 15, "{refused} refused");
    assert!(
        acknowledged.len() >= 40,
        "{} acknowledged",
        acknowledged.len()
    );
    // Once back, every acknowledged webhook is delivered; nothing refused was.
    wait_until("every acknowledged webhook delivered", || {
        delivered(&subscriber).is_superset(&acknowledged)
    });
    assert_eq!(delivered(&subscriber), acknowledged);
    let reply = webhook(&base, 100);
    assert_eq!(reply.status, 200, "{}", reply.body);
    stop(child);
}

#[test]
fn an_unreachable_database_at_start_is_an_error_naming_it_with_exit_code_1() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({})));
    let p = project(&vendor, &vendor);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_elemental"))
        .args(["serve", "--elements"])
        .arg(p.path("elements"))
        .arg("--instances")
        .arg(p.path("instances.yaml"))
        .arg("--data")
        .arg(p.path("data"))
        .args(["--listen", "127.0.0.1:0", "--reload-ms", "0"])
        .env(
            "ELEMENTAL_STORE",
            "postgres://app:hunter2@127.0.0.1:1/elemental",
        )
        .env("RUST_LOG", "error")
        .output()
        .expect("run serve");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot use PostgreSQL at postgres://app:****@127.0.0.1:1/elemental"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn two_nodes_share_the_work_and_one_killed_loses_nothing_acknowledged() {
    let Some(db) = Scratch::create("two_nodes") else {
        return;
    };
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let subscriber = MockVendor::start(|_| Reply::json(200, json!({})));
    let p = project(&vendor, &subscriber);
    // Both nodes share the data folder's key files, as nodes must share their keys.
    let node = || {
        let (child, listen) = support::spawn_serve(
            &p,
            &[
                "--store",
                &db.url,
                "--admin-token",
                ADMIN,
                "--claim-lease-ms",
                "1500",
            ],
        );
        (child, format!("http://{listen}"))
    };
    let ((a, base_a), (b, base_b)) = (node(), node());
    let mut acknowledged = BTreeSet::new();
    let mut a = Some(a);
    for n in 0..40 {
        if n == 20 {
            // kill -9: whatever node a claimed and did not finish is left to node b.
            if let Some(mut child) = a.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        let base = if n % 2 == 0 && a.is_some() {
            &base_a
        } else {
            &base_b
        };
        let reply = webhook(base, n);
        assert_eq!(reply.status, 200, "webhook {n}: {}", reply.body);
        acknowledged.insert(n.to_string());
    }
    wait_until("every acknowledged webhook delivered", || {
        delivered(&subscriber).is_superset(&acknowledged)
    });
    // At least once: a delivery sent twice (its node died after sending) keeps its id.
    let mut ids: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for request in subscriber.requests() {
        let object = request.json()["message"]["events"][0]["objectId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let id = request
            .header("elements-webhook-id")
            .unwrap_or_default()
            .to_string();
        ids.entry(object).or_default().insert(id);
    }
    assert!(ids.values().all(|set| set.len() == 1), "{ids:?}");
    assert_eq!(delivered(&subscriber), acknowledged);
    stop(b);
}
