//! OpenTelemetry: `serve --otlp-endpoint` sends a local collector the spans of a request (its
//! hooks and vendor call as children, the vendor continuing the trace), of a webhook hook and
//! of an event delivery; no secret is in them; without the flag nothing is sent.

mod support;

use std::process::Child;
use std::time::{Duration, Instant};

use serde_json::json;
use support::otlp::{Collector, Received};
use support::{http, one_instance, spawn_serve, spawn_serve_env, MockVendor, Project, Reply};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN: &str = "00f067aa0ba902b7";
/// Secrets that must appear in no span.
const SECRETS: &[&str] = &[
    "sup3r-s3cret",
    "tok-otel-9431",
    "adm1n-otel",
    "qq-query-secret",
    "hook-key-5521",
    "sub-token-7781",
];

const CRM: &str = "key: crm
configuration:
  - key: base.url
  - key: api.key
    type: PASSWORD
parameters:
  - name: ${configuration.api.key}
    type: value
    vendorName: key
    vendorType: query
hooks:
  - type: preRequest
    body: |
      done({request_vendor_headers: {'X-Version': 'one'}});
resources:
  - method: GET
    path: /contacts
    vendorPath: /contacts
    hooks:
      - type: postRequest
        body: |
          done({response_body: {seen: response_body}});
";

/// Stop `serve` as a service manager would (SIGTERM), so that it flushes its spans.
fn stop(mut child: Child) {
    // SAFETY: kill(2) on the id of a child this test started and has not reaped.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("serve did not stop on SIGTERM within 10 s");
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn no_secrets(collector: &Collector) {
    let raw = collector.raw();
    for secret in SECRETS {
        assert!(
            !raw.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} was exported"
        );
    }
}

fn named<'a>(spans: &'a [Received], name: &str) -> Vec<&'a Received> {
    spans.iter().filter(|s| s.name == name).collect()
}

fn crm_project(vendor: &MockVendor) -> Project {
    let p = Project::new();
    p.element("crm", CRM);
    p.instances(&one_instance(
        "crm",
        "tok-otel-9431",
        &format!(
            "      base.url: {}\n      api.key: sup3r-s3cret",
            vendor.base
        ),
    ));
    p
}

fn call_crm(address: &str, traceparent: Option<&str>) -> Reply {
    let url = format!("http://{address}/elements/api-v2/contacts?apikey=qq-query-secret");
    let mut headers = vec![("Authorization", "Element tok-otel-9431")];
    headers.extend(traceparent.map(|t| ("traceparent", t)));
    http("GET", &url, &headers, None)
}

#[test]
fn a_request_is_one_trace_under_the_callers_traceparent_and_the_vendor_continues_it() {
    let collector = Collector::start();
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"id": 1})));
    let p = crm_project(&vendor);
    let (child, address) = spawn_serve(
        &p,
        &[
            "--otlp-endpoint",
            &collector.endpoint,
            "--otlp-service-name",
            "elemental-test",
            "--admin-token",
            "adm1n-otel",
        ],
    );
    let incoming = format!("00-{TRACE_ID}-{CALLER_SPAN}-01");
    let reply = call_crm(&address, Some(&incoming));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let request_id = reply
        .header_value("elements-request-id")
        .expect("request id")
        .to_string();
    stop(child);
    let spans = collector.spans();
    assert!(spans.iter().all(|s| s.service == "elemental-test"));
    assert!(spans.iter().all(|s| s.trace_id == TRACE_ID), "{spans:#?}");
    let request = named(&spans, "GET /contacts");
    assert_eq!(request.len(), 1, "{spans:#?}");
    let request = request[0];
    assert_eq!((request.kind, request.parent.as_str()), (2, CALLER_SPAN));
    assert_eq!(request.attribute("http.route"), Some("GET /contacts"));
    assert_eq!(request.attribute("http.response.status_code"), Some("200"));
    assert_eq!(request.attribute("elemental.element"), Some("crm"));
    assert_eq!(request.attribute("elemental.instance_id"), Some("1"));
    assert_eq!(
        request.attribute("elemental.request_id"),
        Some(request_id.as_str())
    );
    assert_eq!(
        request.attribute("url.path"),
        Some("/elements/api-v2/contacts")
    );
    let pre = named(&spans, "hook preRequest");
    let post = named(&spans, "hook postRequest");
    let called = named(&spans, "vendor GET");
    assert_eq!(
        (pre.len(), post.len(), called.len()),
        (1, 1, 1),
        "{spans:#?}"
    );
    for child in [pre[0], post[0], called[0]] {
        assert_eq!(child.parent, request.span_id, "{child:#?}");
    }
    assert_eq!(pre[0].attribute("elemental.hook.outcome"), Some("ok"));
    assert_eq!(
        pre[0].attribute("elemental.hook"),
        Some("global preRequest")
    );
    let called = called[0];
    assert_eq!(called.kind, 3);
    assert_eq!(called.attribute("http.response.status_code"), Some("200"));
    let url = called.attribute("url.full").unwrap_or_default();
    assert!(url.ends_with("/contacts?key=********"), "{url}");
    // The vendor was called as the vendor span's child, in the caller's trace.
    let sent = vendor.last();
    assert_eq!(
        sent.header("traceparent"),
        Some(format!("00-{TRACE_ID}-{}-01", called.span_id).as_str())
    );
    assert_eq!(sent.query, "key=sup3r-s3cret");
    no_secrets(&collector);
}

#[test]
fn a_request_without_traceparent_is_a_new_trace() {
    let collector = Collector::start();
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"id": 1})));
    let p = crm_project(&vendor);
    let (child, address) = spawn_serve(&p, &["--otlp-endpoint", &collector.endpoint]);
    assert_eq!(call_crm(&address, None).status, 200);
    stop(child);
    let spans = collector.spans();
    let request = named(&spans, "GET /contacts");
    assert_eq!(request.len(), 1, "{spans:#?}");
    assert_eq!(request[0].parent, "");
    assert_eq!(request[0].service, "elemental");
    assert_eq!(spans.len(), 4, "{spans:#?}");
    assert!(spans.iter().all(|s| s.trace_id == request[0].trace_id));
}

const SHOP: &str = r#"key: shop
configuration:
  - key: base.url
  - key: event.notification.enabled
    type: BOOLEAN
  - key: event.notification.callback.url
events:
  instanceFinder: shop.domain|shop.domain
resources:
  - method: GET
    path: /orders
    vendorPath: /orders
    hooks:
      - type: preRequest
        webhook: {url: "RECEIVER/pre", key: "hook-key-5521"}
"#;

#[test]
fn webhook_hooks_and_deliveries_have_spans_and_pass_the_trace_on() {
    let collector = Collector::start();
    let vendor = MockVendor::start(|_| Reply::json(200, json!([])));
    let receiver = MockVendor::start(|_| Reply::json(200, json!({"continue": true})));
    let subscriber = MockVendor::start(|_| Reply::json(200, json!({})));
    let p = Project::new();
    p.element("shop", &SHOP.replace("RECEIVER", &receiver.base));
    p.instances(&one_instance(
        "shop",
        "tok-otel-9431",
        &format!(
            "      base.url: {}\n      event.notification.enabled: true\n      event.notification.callback.url: {}/hook?token=sub-token-7781",
            vendor.base, subscriber.base
        ),
    ));
    let (child, address) = spawn_serve(
        &p,
        &[
            "--otlp-endpoint",
            &collector.endpoint,
            "--allow-host",
            "127.0.0.1",
        ],
    );
    let orders = format!("http://{address}/elements/api-v2/orders");
    let reply = http(
        "GET",
        &orders,
        &[("Authorization", "Element tok-otel-9431")],
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    // The instance by its id in the URL (base64 of "1").
    let events = format!("http://{address}/elements/api-v2/events/shop/MQ==");
    let event = http(
        "POST",
        &events,
        &[("Content-Type", "application/json")],
        Some(r#"{"id": 6}"#),
    );
    assert_eq!(event.status, 200, "{}", event.body);
    wait_until("the delivery", || !subscriber.requests().is_empty());
    stop(child);
    let spans = collector.spans();
    let hook = named(&spans, "hook preRequest");
    let webhook = named(&spans, "webhook POST");
    assert_eq!((hook.len(), webhook.len()), (1, 1), "{spans:#?}");
    let webhook = webhook[0];
    assert_eq!(
        (webhook.kind, webhook.parent.as_str()),
        (3, hook[0].span_id.as_str())
    );
    assert_eq!(webhook.attribute("http.response.status_code"), Some("200"));
    assert_eq!(hook[0].attribute("elemental.hook.webhook"), Some("true"));
    let posted = receiver.last();
    assert_eq!(
        posted.header("traceparent"),
        Some(format!("00-{}-{}-01", webhook.trace_id, webhook.span_id).as_str())
    );
    let delivery = named(&spans, "delivery");
    assert_eq!(delivery.len(), 1, "{spans:#?}");
    let delivery = delivery[0];
    assert_eq!((delivery.kind, delivery.parent.as_str()), (3, ""));
    assert_eq!(delivery.attribute("elemental.delivery.attempt"), Some("1"));
    assert_eq!(delivery.attribute("server.address"), Some("127.0.0.1"));
    assert_eq!(delivery.attribute("url.full"), None);
    assert_eq!(delivery.attribute("http.response.status_code"), Some("200"));
    let delivered = subscriber.last();
    assert_eq!(
        delivered.header("traceparent"),
        Some(format!("00-{}-{}-01", delivery.trace_id, delivery.span_id).as_str())
    );
    no_secrets(&collector);
}

#[test]
fn without_the_flag_nothing_is_exported_and_no_traceparent_is_sent() {
    let collector = Collector::start();
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"id": 1})));
    let p = crm_project(&vendor);
    // The SDK's own variable is not enough: only --otlp-endpoint turns exporting on.
    let (child, address) = spawn_serve_env(
        &p,
        &[],
        &[("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint.as_str())],
    );
    assert_eq!(call_crm(&address, None).status, 200);
    stop(child);
    assert_eq!(collector.exports(), 0);
    assert_eq!(vendor.last().header("traceparent"), None);
}

#[test]
fn a_poll_is_the_parent_of_its_vendor_calls() {
    let collector = Collector::start();
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"data": []})));
    let p = Project::new();
    p.element("crm", "key: crm\nconfiguration:\n  - key: base.url\nresources:\n  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n    rootKey: data\n");
    let poller = r#"{"contacts": {"url": "/hubs/crm/contacts", "idField": "id"}}"#;
    p.instances(&format!(
        "instances:\n  - id: 3\n    element: crm\n    token: t\n    configuration:\n      base.url: {}\n      event.vendor.type: polling\n      event.poller.refresh_interval: \"0.005\"\n      event.poller.configuration: |\n        {poller}\n",
        vendor.base
    ));
    let (child, address) = spawn_serve(&p, &["--otlp-endpoint", &collector.endpoint]);
    wait_until("a poll", || !vendor.requests().is_empty());
    // The port takes connections before the server runs; once it answers, it has its SIGTERM
    // handler (a SIGTERM before that ends the process at once, unflushed).
    http("GET", &format!("http://{address}/metrics"), &[], None);
    stop(child);
    let spans = collector.spans();
    let polls = named(&spans, "poll");
    assert!(!polls.is_empty(), "{spans:#?}");
    assert_eq!(polls[0].parent, "");
    assert_eq!(polls[0].attribute("elemental.object"), Some("contacts"));
    let called = named(&spans, "vendor GET");
    assert!(!called.is_empty(), "{spans:#?}");
    assert_eq!(called[0].parent, polls[0].span_id);
    assert_eq!(called[0].trace_id, polls[0].trace_id);
    let traceparent = vendor.requests()[0].header("traceparent").map(String::from);
    assert_eq!(
        traceparent,
        Some(format!(
            "00-{}-{}-01",
            called[0].trace_id, called[0].span_id
        ))
    );
}

#[test]
fn a_failed_hook_marks_its_span_and_the_request_span() {
    let collector = Collector::start();
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"id": 1})));
    let p = Project::new();
    p.element(
        "crm",
        &CRM.replace(
            "done({request_vendor_headers: {'X-Version': 'one'}});",
            "throw new Error('boom');",
        ),
    );
    p.instances(&one_instance(
        "crm",
        "tok-otel-9431",
        &format!(
            "      base.url: {}\n      api.key: sup3r-s3cret",
            vendor.base
        ),
    ));
    let (child, address) = spawn_serve(&p, &["--otlp-endpoint", &collector.endpoint]);
    assert_eq!(call_crm(&address, None).status, 500);
    stop(child);
    let spans = collector.spans();
    let pre = named(&spans, "hook preRequest");
    assert_eq!(pre.len(), 1, "{spans:#?}");
    assert_eq!(pre[0].attribute("elemental.hook.outcome"), Some("script"));
    assert_eq!(pre[0].status, 2);
    let request = named(&spans, "GET /contacts");
    assert_eq!(request.len(), 1, "{spans:#?}");
    assert_eq!(request[0].status, 2);
    assert_eq!(
        request[0].attribute("http.response.status_code"),
        Some("500")
    );
    // The vendor was never called.
    assert!(named(&spans, "vendor GET").is_empty());
    no_secrets(&collector);
}
