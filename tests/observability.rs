//! Debug traces (with secrets masked), Prometheus metrics, and hot reload of elements.

mod support;

use std::time::Duration;

use elemental::reload::{reload, Outcome};
use serde_json::{json, Value};
use support::{http, one_instance, MockVendor, Project, Reply};

const ELEMENT: &str = "key: crm
configuration:
  - key: base.url
  - key: api.key
    type: PASSWORD
parameters:
  - name: ${configuration.api.key}
    type: value
    vendorName: X-Api-Key
    vendorType: header
hooks:
  - type: preRequest
    body: |
      console.log('signing with', configuration['api.key']);
      done({request_vendor_headers: {'X-Version': 'one'}});
resources:
  - method: GET
    path: /contacts
    vendorPath: /contacts
";

fn project(vendor: &MockVendor) -> Project {
    let p = Project::new();
    p.element("crm", ELEMENT);
    p.instances(&one_instance(
        "crm",
        "tok",
        &format!(
            "      base.url: {}\n      api.key: sup3r-s3cret",
            vendor.base
        ),
    ));
    p
}

fn settings() -> elemental::settings::Settings {
    elemental::settings::Settings {
        admin_token: Some("adm1n".into()),
        ..Default::default()
    }
}

fn debug_call(server: &support::Server, admin: &str) -> Reply {
    let url = format!("{}/elements/api-v2/contacts", server.base);
    http(
        "GET",
        &url,
        &[
            ("Authorization", "Element tok"),
            ("Elements-Debug", "true"),
            ("Elements-Admin-Token", admin),
        ],
        None,
    )
}

#[test]
fn a_debug_request_keeps_a_trace_with_secrets_masked() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let p = project(&vendor);
    let server = p.serve_with(settings());
    let reply = debug_call(&server, "adm1n");
    assert_eq!(reply.status, 200);
    let id = reply
        .header_value("elements-request-id")
        .expect("request id")
        .to_string();
    let trace = http(
        "GET",
        &format!("{}/admin/traces/{id}", server.base),
        &[("Authorization", "Bearer adm1n")],
        None,
    );
    assert_eq!(trace.status, 200, "{}", trace.body);
    let trace = trace.body_json();
    assert_eq!(trace["requestId"], json!(id));
    assert_eq!(trace["element"], json!("crm"));
    assert_eq!(trace["status"], json!(200));
    let phases = trace["phases"].as_array().cloned().unwrap_or_default();
    assert_eq!(phases.len(), 2, "{trace:#}");
    let pre = &phases[0];
    assert_eq!(pre["phase"], json!("global preRequest"));
    assert_eq!(pre["input"]["configuration"]["api.key"], json!("********"));
    assert_eq!(
        pre["input"]["request_vendor_headers"]["X-Api-Key"],
        json!("********")
    );
    assert_eq!(
        pre["done"],
        json!({"request_vendor_headers": {"X-Version": "one"}})
    );
    assert_eq!(pre["console"][0]["message"], json!("signing with ********"));
    assert!(pre["micros"].as_u64().is_some());
    let vendor_phase = &phases[1];
    assert_eq!(vendor_phase["phase"], json!("vendor"));
    assert_eq!(
        vendor_phase["request"]["headers"]["X-Api-Key"],
        json!("********")
    );
    assert_eq!(
        vendor_phase["request"]["headers"]["X-Version"],
        json!("one")
    );
    assert_eq!(vendor_phase["response"]["status"], json!(200));
    // The secret appears nowhere in the trace.
    assert!(!trace.to_string().contains("sup3r-s3cret"));
    // The vendor did get the real key.
    assert_eq!(vendor.last().header("x-api-key"), Some("sup3r-s3cret"));
}

#[test]
fn traces_need_the_admin_token() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({})));
    let p = project(&vendor);
    let server = p.serve_with(settings());
    let reply = debug_call(&server, "wrong");
    let id = reply
        .header_value("elements-request-id")
        .expect("id")
        .to_string();
    let as_admin = http(
        "GET",
        &format!("{}/admin/traces/{id}", server.base),
        &[("Authorization", "Bearer adm1n")],
        None,
    );
    assert_eq!(
        as_admin.status, 404,
        "a request without the admin token is not traced"
    );
    let reply = debug_call(&server, "adm1n");
    let id = reply
        .header_value("elements-request-id")
        .expect("id")
        .to_string();
    let anonymous = http(
        "GET",
        &format!("{}/admin/traces/{id}", server.base),
        &[],
        None,
    );
    assert_eq!(anonymous.status, 401);
}

#[test]
fn metrics_count_known_traffic() {
    let vendor = MockVendor::start(|r| {
        if r.path.ends_with("contacts") {
            Reply::json(200, json!({}))
        } else {
            Reply::json(500, json!({}))
        }
    });
    let p = project(&vendor);
    let server = p.serve();
    for _ in 0..3 {
        assert_eq!(server.call("GET", "/contacts", "tok", None).status, 200);
    }
    assert_eq!(server.call("GET", "/nothing", "tok", None).status, 404);
    assert_eq!(server.call("GET", "/contacts", "bad", None).status, 401);
    let text = http("GET", &format!("{}/metrics", server.base), &[], None).body;
    assert!(
        text.contains(
            "elemental_requests_total{element=\"crm\",resource=\"GET /contacts\",status=\"200\"} 3"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "elemental_requests_total{element=\"crm\",resource=\"unmatched\",status=\"404\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "elemental_requests_total{element=\"none\",resource=\"unmatched\",status=\"401\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains("elemental_hook_duration_seconds_count{phase=\"preRequest\"} 3"),
        "{text}"
    );
    assert!(
        text.contains("elemental_vendor_duration_seconds_count{element=\"crm\"} 3"),
        "{text}"
    );
}

#[test]
fn hook_failures_are_counted_by_kind() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({})));
    let p = project(&vendor);
    p.element(
        "crm",
        &ELEMENT.replace(
            "console.log('signing with', configuration['api.key']);",
            "null.boom;",
        ),
    );
    let server = p.serve();
    assert_eq!(server.call("GET", "/contacts", "tok", None).status, 500);
    let text = http("GET", &format!("{}/metrics", server.base), &[], None).body;
    assert!(
        text.contains("elemental_hook_failures_total{element=\"crm\",kind=\"script\"} 1"),
        "{text}"
    );
}

fn version(server: &support::Server) -> Value {
    server.call("GET", "/contacts", "tok", None).body_json()["version"].clone()
}

#[test]
fn a_reload_swaps_a_valid_set_and_keeps_the_old_one_when_broken() {
    let vendor = MockVendor::start(|r| Reply::json(200, json!({"version": r.header("x-version")})));
    let p = project(&vendor);
    let server = p.serve();
    assert_eq!(version(&server), json!("one"));

    p.element("crm", &ELEMENT.replace("'one'", "'two'"));
    assert!(matches!(
        reload(&server.state, &p.sources()),
        Outcome::Swapped {
            elements: 1,
            instances: 1,
            ..
        }
    ));
    assert_eq!(version(&server), json!("two"));

    p.element("crm", &ELEMENT.replace("done({", "done({{"));
    match reload(&server.state, &p.sources()) {
        Outcome::Kept(diagnostics) => assert!(
            diagnostics
                .iter()
                .any(|d| d.message.contains("SyntaxError")),
            "{diagnostics:?}"
        ),
        other => panic!("a broken element must not be swapped in: {other:?}"),
    }
    assert_eq!(version(&server), json!("two"), "the old set keeps serving");
}

#[test]
fn requests_in_flight_finish_on_the_set_they_started_with() {
    let vendor = MockVendor::start(|r| Reply {
        delay: Some(Duration::from_millis(600)),
        ..Reply::json(200, json!({"version": r.header("x-version")}))
    });
    let p = project(&vendor);
    let server = p.serve();
    let url = format!("{}/elements/api-v2/contacts", server.base);
    let in_flight =
        std::thread::spawn(move || http("GET", &url, &[("Authorization", "Element tok")], None));
    std::thread::sleep(Duration::from_millis(200));
    p.element("crm", &ELEMENT.replace("'one'", "'two'"));
    assert!(matches!(
        reload(&server.state, &p.sources()),
        Outcome::Swapped { .. }
    ));
    let finished = in_flight.join().expect("request thread");
    assert_eq!(finished.status, 200);
    assert_eq!(finished.body_json()["version"], json!("one"));
    assert_eq!(version(&server), json!("two"));
}

#[test]
fn the_watcher_picks_up_an_edited_file() {
    let vendor = MockVendor::start(|r| Reply::json(200, json!({"version": r.header("x-version")})));
    let p = project(&vendor);
    let server = p.serve();
    elemental::reload::watch(server.state.clone(), p.sources(), Duration::from_millis(50))
        .expect("watch");
    p.element("crm", &ELEMENT.replace("'one'", "'three'"));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while version(&server) != json!("three") {
        assert!(
            std::time::Instant::now() < deadline,
            "the edit was not picked up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn traces_mask_the_admin_token_and_every_credential_header() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let p = Project::new();
    // A two-character PIN is too short to be masked wherever its text appears, so the header
    // the element fills from it must be masked by name.
    p.element(
        "crm",
        "key: crm
configuration:
  - key: base.url
  - key: pin
    type: PASSWORD
parameters:
  - name: ${configuration.pin}
    type: value
    vendorName: X-Pin
    vendorType: header
hooks:
  - type: preRequest
    body: done({});
resources:
  - method: GET
    path: /contacts
    vendorPath: /contacts
",
    );
    p.instances(&one_instance(
        "crm",
        "tok",
        &format!("      base.url: {}\n      pin: \"42\"", vendor.base),
    ));
    let server = p.serve_with(elemental::settings::Settings {
        admin_token: Some("adm1n-t0ken".into()),
        secret_headers: vec!["X-Tenant-Secret".into()],
        ..Default::default()
    });
    let credentials = [
        ("Elements-Admin-Token", "adm1n-t0ken"),
        ("Cookie", "session=c00kie-value"),
        ("Proxy-Authorization", "Basic cHJveHk6cHc="),
        ("X-Api-Key", "caller-api-key"),
        ("Api-Key", "caller-api-key-2"),
        ("X-Auth-Token", "caller-auth-token"),
        ("X-Access-Token", "caller-access-token"),
        ("X-Elements-Webhook-Key", "caller-webhook-key"),
        ("X-Tenant-Secret", "tenant-s3cret"),
    ];
    let mut headers = vec![("Authorization", "Element tok"), ("Elements-Debug", "true")];
    headers.extend(credentials);
    let url = format!("{}/elements/api-v2/contacts", server.base);
    let reply = http("GET", &url, &headers, None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let id = reply.header_value("elements-request-id").expect("id");
    let trace = http(
        "GET",
        &format!("{}/admin/traces/{id}", server.base),
        &[("Authorization", "Bearer adm1n-t0ken")],
        None,
    )
    .body_json();
    let phases = trace["phases"].as_array().cloned().unwrap_or_default();
    let sent = &phases.last().expect("the vendor phase")["request"]["headers"];
    assert_eq!(sent["X-Pin"], json!("********"), "{trace:#}");
    let text = trace.to_string();
    for (name, value) in credentials {
        assert!(!text.contains(value), "{name}'s value leaked: {trace:#}");
    }
    assert!(!text.contains("adm1n-t0ken"), "{trace:#}");
    assert_eq!(vendor.last().header("x-pin"), Some("42"));
}
