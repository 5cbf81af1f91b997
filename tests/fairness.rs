//! One tenant's heavy hook never stalls the others: hooks that need more than a short slice
//! run on the hook executors while the HTTP worker goes on answering, and a hook's CPU budget
//! stops a spin without charging the time it waits.

mod support;

use std::thread;
use std::time::{Duration, Instant};

use elemental::settings::Settings;
use serde_json::json;
use support::{http, MockVendor, Project, Reply, Server};

/// Instance `a` spins in its preRequest hook on /spin; /ok has a hook that does nothing much;
/// /sleep waits on a timer.
fn element() -> &'static str {
    "key: crm
configuration:
  - key: base.url
resources:
  - method: GET
    path: /spin
    vendorPath: /spin
    hooks:
      - type: preRequest
        body: |
          while (true) {}
  - method: GET
    path: /ok
    vendorPath: /ok
    hooks:
      - type: preRequest
        body: |
          done({request_vendor_headers: {'X-Tenant': configuration['base.url'] ? 'yes' : 'no'}});
  - method: GET
    path: /lodash
    vendorPath: /lodash
    hooks:
      - type: preRequest
        body: |
          const _ = require('lodash');
          done({request_vendor_headers: {'X-Case': _.camelCase('cpu budget')}});
  - method: GET
    path: /sleep
    vendorPath: /sleep
    hooks:
      - type: preRequest
        body: |
          setTimeout(() => done({}), 300);
"
}

fn project(vendor: &MockVendor) -> Project {
    let p = Project::new();
    p.element("crm", element());
    let base = &vendor.base;
    p.instances(&format!(
        "instances:
  - {{id: 1, name: a, element: crm, token: ta, configuration: {{base.url: {base}}}}}
  - {{id: 2, name: b, element: crm, token: tb, configuration: {{base.url: {base}}}}}
"
    ));
    p
}

fn settings(cpu: Duration) -> Settings {
    let mut settings = Settings::default();
    settings.hook_limits.cpu = cpu;
    settings.hook_limits.time = Duration::from_secs(10);
    settings.admission.concurrency = 1;
    settings.admission.queue = 8;
    settings
}

fn get(server: &Server, path: &str, token: &str) -> Reply {
    server.call("GET", path, token, None)
}

#[test]
fn a_spinning_tenant_does_not_hold_up_the_worker_or_another_tenant() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let p = project(&vendor);
    // One HTTP worker: were the spin on it, nothing else could be read or answered.
    let server = Server::start_one_worker(
        &p.sources(),
        &p.path("data"),
        settings(Duration::from_millis(400)),
    );
    let spins: Vec<_> = (0..4)
        .map(|_| {
            let url = format!("{}/elements/api-v2/spin", server.base);
            thread::spawn(move || http("GET", &url, &[("Authorization", "Element ta")], None))
        })
        .collect();
    // A has one hook running (on an executor) and the rest queued behind it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.state.admission.load(1) != (1, 3) {
        assert!(
            Instant::now() < deadline,
            "{:?}",
            server.state.admission.load(1)
        );
        thread::sleep(Duration::from_millis(2));
    }
    let other = get(&server, "/ok", "tb");
    let health = http("GET", &format!("{}/health", server.base), &[], None);
    let metrics = http("GET", &format!("{}/metrics", server.base), &[], None);
    // Answered while A's spins still hold their slot: ordering, not timing.
    let still_spinning = spins.iter().filter(|s| !s.is_finished()).count();
    assert_eq!(other.status, 200, "{}", other.body);
    assert_eq!(health.status, 200);
    assert_eq!(metrics.status, 200);
    let started = metrics
        .body
        .lines()
        .find_map(|l| l.strip_prefix("elemental_hook_executor_started_total "))
        .and_then(|v| v.parse::<u64>().ok());
    assert!(
        started >= Some(1),
        "A's spin runs on an executor: {started:?} in {}",
        metrics.body
    );
    assert!(
        still_spinning >= 3,
        "B waited for A: {still_spinning} of A's requests were left"
    );
    assert_eq!(vendor.last().header("x-tenant"), Some("yes"));
    for spin in spins {
        let reply = spin.join().expect("spin thread");
        assert_eq!(reply.status, 504, "{}", reply.body);
        assert!(
            reply.body.contains("exceeded its CPU budget of 400 ms"),
            "{}",
            reply.body
        );
    }
    // The worker and the executors go on: A's next ordinary request is served.
    assert_eq!(get(&server, "/ok", "ta").status, 200);
}

#[test]
fn the_cpu_budget_stops_a_spin_but_does_not_count_waiting() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let p = project(&vendor);
    let server = p.serve_with(settings(Duration::from_millis(100)));
    let started = Instant::now();
    let spin = get(&server, "/spin", "ta");
    assert_eq!(spin.status, 504, "{}", spin.body);
    let message = spin.body_json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains("resource preRequest GET /spin: exceeded its CPU budget of 100 ms"),
        "{message}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // 300 ms on a timer is three times the CPU budget, and no CPU.
    let sleep = get(&server, "/sleep", "ta");
    assert_eq!(sleep.status, 200, "{}", sleep.body);
}

#[test]
fn loading_an_embedded_module_is_not_charged_to_the_hook() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let p = project(&vendor);
    // Parsing and freezing lodash takes longer than this budget in a fresh context.
    let server = p.serve_with(settings(Duration::from_millis(3)));
    let reply = get(&server, "/lodash", "ta");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(vendor.last().header("x-case"), Some("cpuBudget"));
    assert_eq!(
        get(&server, "/spin", "ta").status,
        504,
        "the budget still holds"
    );
}
