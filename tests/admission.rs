//! Admission control: an instance's rate limit and fair share of hook executions (429), the
//! server's bound on waiting (503), their metrics, and `check` of the settings.

mod support;

use std::thread;
use std::time::{Duration, Instant};

use elemental::admission::Defaults;
use elemental::element::has_errors;
use elemental::settings::Settings;
use elemental::sources::load;
use serde_json::json;
use support::{http, MockVendor, Project, Reply, Server};

/// An element whose preRequest hook takes ~500 ms (a timer: it holds its slot, not a core).
fn slow_element(limits: &str) -> String {
    format!(
        "key: crm
configuration:
  - key: base.url
limits:
{limits}
hooks:
  - type: preRequest
    body: |
      setTimeout(() => done({{}}), 500);
resources:
  - method: GET
    path: /contacts
    vendorPath: /contacts
"
    )
}

/// An element without hooks, only `limits:`.
fn plain_element(limits: &str) -> String {
    format!(
        "key: crm
configuration:
  - key: base.url
limits:
{limits}
resources:
  - method: GET
    path: /contacts
    vendorPath: /contacts
"
    )
}

/// Instances `a` (id 1) and `b` (id 2) of crm; `extra_b` is added to b's entry.
fn two_instances(vendor: &MockVendor, extra_b: &str) -> String {
    let base = &vendor.base;
    format!(
        "instances:
  - id: 1
    name: a
    element: crm
    token: ta
    configuration:
      base.url: {base}
  - id: 2
    name: b
    element: crm
    token: tb
    configuration:
      base.url: {base}
{extra_b}"
    )
}

fn project(element: &str, instances: &str) -> Project {
    let p = Project::new();
    p.element("crm", element);
    p.instances(instances);
    p
}

fn ok_vendor() -> MockVendor {
    MockVendor::start(|_| Reply::json(200, json!([])))
}

fn metrics(server: &Server) -> String {
    http("GET", &format!("{}/metrics", server.base), &[], None).body
}

/// A request of instance `token` in a thread of its own.
fn in_background(server: &Server, token: &'static str) -> thread::JoinHandle<Reply> {
    let url = format!("{}/elements/api-v2/contacts", server.base);
    thread::spawn(move || {
        let auth = format!("Element {token}");
        http("GET", &url, &[("Authorization", auth.as_str())], None)
    })
}

/// Wait until instance `id` has `running` hook executions and `waiting` waiters (ordering,
/// not a guessed sleep).
fn wait_for_load(server: &Server, id: i64, running: usize, waiting: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.state.admission.load(id) != (running, waiting) {
        assert!(
            Instant::now() < deadline,
            "instance {id}: {:?}, expected ({running}, {waiting})",
            server.state.admission.load(id)
        );
        thread::sleep(Duration::from_millis(5));
    }
}

fn retry_after(reply: &Reply) -> u64 {
    reply
        .header_value("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After: {:?}", reply.headers))
}

#[test]
fn over_its_rate_an_instance_gets_429_with_retry_after_and_later_passes() {
    let vendor = ok_vendor();
    let limits = "  rate: {perSecond: 1, burst: 2}";
    let p = project(&plain_element(limits), &two_instances(&vendor, ""));
    let server = p.serve();
    assert_eq!(server.call("GET", "/contacts", "ta", None).status, 200);
    assert_eq!(server.call("GET", "/contacts", "ta", None).status, 200);
    let third = server.call("GET", "/contacts", "ta", None);
    assert_eq!(third.status, 429, "{}", third.body);
    let wait = retry_after(&third);
    assert!(wait >= 1, "{wait}");
    let body = third.body_json();
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("instance a is over its rate limit of 1 requests per second (burst 2)"),
        "{body}"
    );
    assert!(body["requestId"].is_string(), "{body}");
    assert_eq!(
        vendor.requests().len(),
        2,
        "a refused request reaches no vendor"
    );
    // Another instance has its own bucket.
    assert_eq!(server.call("GET", "/contacts", "tb", None).status, 200);
    thread::sleep(Duration::from_secs(wait));
    assert_eq!(server.call("GET", "/contacts", "ta", None).status, 200);
    let text = metrics(&server);
    assert!(
        text.contains("elemental_throttled_total{element=\"crm\",reason=\"rate\"} 1"),
        "{text}"
    );
    assert!(
        text.contains(
            "elemental_requests_total{element=\"crm\",resource=\"GET /contacts\",status=\"429\"} 1"
        ),
        "{text}"
    );
}

#[test]
fn an_instance_limit_beats_the_element_one() {
    let vendor = ok_vendor();
    let limits = "  rate: {perSecond: 0.5}";
    let b_limits = "    limits:\n      rate: {perSecond: 100, burst: 5}\n";
    let p = project(&plain_element(limits), &two_instances(&vendor, b_limits));
    let server = p.serve();
    assert_eq!(server.call("GET", "/contacts", "ta", None).status, 200);
    let refused = server.call("GET", "/contacts", "ta", None);
    assert_eq!(refused.status, 429, "burst defaults to ceil(0.5) = 1");
    assert_eq!(
        retry_after(&refused),
        2,
        "half a token a second: 2 s to the next"
    );
    for _ in 0..5 {
        assert_eq!(server.call("GET", "/contacts", "tb", None).status, 200);
    }
}

#[test]
fn a_busy_instance_is_refused_while_another_is_served_at_once() {
    let vendor = ok_vendor();
    let element = slow_element("  concurrency: 1\n  queue: 1");
    let p = project(&element, &two_instances(&vendor, ""));
    let server = p.serve();
    let first = in_background(&server, "ta");
    wait_for_load(&server, 1, 1, 0);
    let second = in_background(&server, "ta");
    wait_for_load(&server, 1, 1, 1);
    let third = server.call("GET", "/contacts", "ta", None);
    assert_eq!(third.status, 429, "{}", third.body);
    assert_eq!(third.header_value("retry-after"), Some("1"));
    assert_eq!(
        third.body_json()["message"],
        "instance a has 1 hook executions running and 1 waiting"
    );
    // Instance b does not queue behind a: its hook starts at once (500 ms, not 1000+).
    let started = Instant::now();
    assert_eq!(server.call("GET", "/contacts", "tb", None).status, 200);
    assert!(
        started.elapsed() < Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(first.join().expect("first").status, 200);
    assert_eq!(second.join().expect("second").status, 200);
    let text = metrics(&server);
    assert!(
        text.contains("elemental_throttled_total{element=\"crm\",reason=\"concurrency\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("elemental_hook_queue_wait_seconds_count{element=\"crm\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("elemental_hook_queue_depth{element=\"crm\"} 0"),
        "{text}"
    );
}

#[test]
fn past_the_servers_bound_on_waiting_a_wait_is_shed() {
    let vendor = ok_vendor();
    let element = slow_element("  concurrency: 1\n  queue: 5");
    let p = project(&element, &two_instances(&vendor, ""));
    let server = p.serve_with(Settings {
        admission: Defaults {
            max_waiting: 1,
            ..Defaults::default()
        },
        ..Settings::default()
    });
    let a1 = in_background(&server, "ta");
    wait_for_load(&server, 1, 1, 0);
    let a2 = in_background(&server, "ta");
    wait_for_load(&server, 1, 1, 1);
    let b1 = in_background(&server, "tb");
    wait_for_load(&server, 2, 1, 0);
    let shed = server.call("GET", "/contacts", "tb", None);
    assert_eq!(shed.status, 503, "{}", shed.body);
    assert_eq!(shed.header_value("retry-after"), Some("1"));
    let message = shed.body_json()["message"].as_str().map(str::to_string);
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.starts_with("server busy: shed")),
        "{message:?}"
    );
    for handle in [a1, a2, b1] {
        assert_eq!(handle.join().expect("request").status, 200);
    }
    let text = metrics(&server);
    assert!(
        text.contains("elemental_shed_total{element=\"crm\"} 1"),
        "{text}"
    );
}

#[test]
fn a_wait_longer_than_the_hook_budget_is_shed() {
    let vendor = ok_vendor();
    // Each hook takes 500 ms of its 700 ms; the third waits for two of them.
    let element = slow_element("  timeoutMs: 700\n  concurrency: 1\n  queue: 2");
    let p = project(&element, &two_instances(&vendor, ""));
    let server = p.serve();
    let first = in_background(&server, "ta");
    wait_for_load(&server, 1, 1, 0);
    let second = in_background(&server, "ta");
    wait_for_load(&server, 1, 1, 1);
    let third = server.call("GET", "/contacts", "ta", None);
    assert_eq!(third.status, 503, "{}", third.body);
    assert!(third.body.contains("server busy: shed"), "{}", third.body);
    // The abandoned wait left the queue (and the gauge) at once.
    assert_eq!(server.state.admission.load(1).1, 0);
    assert_eq!(server.state.admission.waiting(), 0);
    let text = metrics(&server);
    assert!(
        text.contains("elemental_hook_queue_depth{element=\"crm\"} 0")
            && text.contains("elemental_shed_total{element=\"crm\"} 1"),
        "{text}"
    );
    assert_eq!(first.join().expect("first").status, 200);
    assert_eq!(
        second.join().expect("second").status,
        200,
        "the budget counts from when the hook starts, not while it waited"
    );
}

#[test]
fn check_reports_bad_limits_with_their_place() {
    let vendor = ok_vendor();
    let element = plain_element(
        "  cpuMs: 0\n  concurrency: 0\n  queue: many\n  rate: {perSecond: -1}\n  concurency: 2",
    );
    let b_limits = "    limits:\n      rate: {perSecond: 2, burst: 0}\n      timeoutMs: 5\n";
    let p = project(&element, &two_instances(&vendor, b_limits));
    let (_, _, diagnostics) = load(&p.sources());
    assert!(has_errors(&diagnostics));
    let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    let element_file = p.path("elements/crm/element.yaml").display().to_string();
    for expected in [
        format!("{element_file}:5:3: limits.cpuMs must be a whole number from 1 to 600000"),
        format!("{element_file}:6:3: limits.concurrency must be a whole number from 1 to 10000"),
        format!("{element_file}:7:3: limits.queue must be a whole number from 0 to 1000000"),
        format!("{element_file}:8:10: limits.rate.perSecond must be a number above 0"),
        format!("{element_file}:9:3: warning: unknown key \"concurency\" in limits (did you mean concurrency?)"),
    ] {
        assert!(
            shown.iter().any(|s| s.starts_with(&expected)),
            "{expected}\nin {shown:#?}"
        );
    }
    // The element failed, so its instances are skipped: check an instance on its own.
    let p = project(
        &plain_element("  queue: 3"),
        &two_instances(&vendor, b_limits),
    );
    let (_, _, diagnostics) = load(&p.sources());
    let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    let instances_file = p.path("instances.yaml").display().to_string();
    for expected in [
        format!(
            "{instances_file}:15:28: limits.rate.burst must be a whole number from 1 to 1000000"
        ),
        format!(
            "{instances_file}:16:7: warning: unknown key \"timeoutMs\" in an instance's limits"
        ),
    ] {
        assert!(
            shown.iter().any(|s| s.starts_with(&expected)),
            "{expected}\nin {shown:#?}"
        );
    }
}
