//! Inbound webhooks end to end with real vendor payloads (tests/fixtures/webhooks):
//! signature checks, persistence before the 2xx, normalization by the event hook, signed
//! delivery to a local subscriber, retries, parking, re-delivery, replay and restart.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use elemental::hooks::ce;
use serde_json::{json, Value};
use support::{http, MockVendor, Project, Reply};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/webhooks");

fn fixture(path: &str) -> (Vec<u8>, Vec<(String, String)>) {
    let body = std::fs::read(format!("{FIXTURES}/{path}.json"))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"));
    let meta: Value = serde_json::from_slice(
        &std::fs::read(format!("{FIXTURES}/{path}.meta.json")).expect("meta"),
    )
    .expect("meta JSON");
    let headers = meta["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    (body, headers)
}

fn now_s() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// POST raw bytes with the given headers (the body is never re-serialized).
fn post(url: &str, headers: &[(String, String)], body: &[u8]) -> support::Reply {
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("content-length"))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    support::http_bytes("POST", url, &headers, body)
}

const GITHUB_ELEMENT: &str = r#"key: github
configuration:
  - key: webhook.secret
    type: PASSWORD
  - key: event.notification.enabled
    type: BOOLEAN
  - key: event.notification.callback.url
  - key: event.notification.signature.key
    type: PASSWORD
events:
  signature:
    scheme: hmac
    header: X-Hub-Signature-256
    prefix: "sha256="
    algorithm: sha256
    encoding: hex
    secret: webhook.secret
hooks:
  - type: event
    body: |
      const kind = events.eventHeaders['x-github-event'];
      const types = { opened: 'CREATED', created: 'CREATED', edited: 'UPDATED', labeled: 'UPDATED', deleted: 'DELETED', closed: 'UPDATED' };
      const object = events.issue || events.pull_request || events.repository || {};
      const list = getArray();
      list.add({ event_type: types[events.action] || events.action, event_object_type: kind, event_object_id: object.id, event_date: object.updated_at, delivery: events.eventHeaders['x-github-delivery'] });
      done({ events: list });
resources: []
"#;

struct Subscriber {
    vendor: MockVendor,
}

/// A subscriber that answers `statuses` in turn (then 200 for good).
fn subscriber(statuses: Vec<u16>) -> Subscriber {
    let remaining = Arc::new(Mutex::new(statuses));
    let vendor = MockVendor::start(move |_| {
        let status = {
            let mut r = remaining.lock().expect("lock");
            if r.is_empty() {
                200
            } else {
                r.remove(0)
            }
        };
        Reply::json(status, json!({}))
    });
    Subscriber { vendor }
}

fn github_project(subscriber_url: &str) -> Project {
    let p = Project::new();
    p.element("github", GITHUB_ELEMENT);
    p.instances(&format!("instances:\n  - id: 7\n    element: github\n    token: gh\n    configuration:\n      webhook.secret: heldout-github-secret\n      event.notification.enabled: true\n      event.notification.callback.url: {subscriber_url}/hook\n      event.notification.signature.key: sub-key-123\n"));
    p
}

fn fast() -> elemental::settings::Settings {
    let mut settings = elemental::settings::Settings {
        admin_token: Some("adm".into()),
        ..Default::default()
    };
    settings.delivery.backoff = Duration::from_millis(40);
    settings.delivery.poll = Duration::from_millis(20);
    settings.delivery.max_tries = 3;
    settings
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn admin(server: &support::Server, method: &str, path: &str) -> Value {
    http(
        method,
        &format!("{}{path}", server.base),
        &[("Authorization", "Bearer adm")],
        if method == "POST" { Some("") } else { None },
    )
    .body_json()
}

#[test]
fn github_webhooks_are_verified_normalized_and_delivered_signed() {
    let sub = subscriber(vec![]);
    let p = github_project(&sub.vendor.base);
    let server = p.serve_with(fast());
    let url = format!("{}/elements/api-v2/events/github", server.base);
    for name in ["issues.opened", "issues.edited", "issues.deleted"] {
        let (body, headers) = fixture(&format!("github/{name}"));
        let reply = post(&url, &headers, &body);
        assert_eq!(reply.status, 200, "{name}: {}", reply.body);
    }
    wait_until("three deliveries", || sub.vendor.requests().len() >= 3);
    let received = sub.vendor.requests();
    let types: Vec<Value> = received
        .iter()
        .map(|r| r.json()["message"]["events"][0]["eventType"].clone())
        .collect();
    assert_eq!(
        types,
        vec![json!("CREATED"), json!("UPDATED"), json!("DELETED")]
    );
    let first = &received[0];
    let message = first.json();
    assert_eq!(message["message"]["elementKey"], json!("github"));
    assert_eq!(message["message"]["instanceId"], json!(7));
    let event = &message["message"]["events"][0];
    assert_eq!(event["objectType"], json!("issues"));
    assert_eq!(event["elementKey"], json!("github"));
    assert!(event["objectId"].as_str().is_some_and(|id| !id.is_empty()));
    assert!(
        event["delivery"].as_str().is_some(),
        "extra fields are kept: {event}"
    );
    assert_eq!(message["message"]["raw"]["action"], json!("opened"));
    // The subscriber can check the signature over the exact bytes it got.
    let expected = format!(
        "sha256={}",
        base64::engine::general_purpose::STANDARD
            .encode(ce::hmac_bytes("sha256", b"sub-key-123", first.body.as_bytes()).expect("hmac"))
    );
    assert_eq!(
        first.header("elements-webhook-signature"),
        Some(expected.as_str())
    );
    assert!(first.header("elements-webhook-id").is_some());
    let events = admin(&server, "GET", "/admin/events?instance=7");
    assert_eq!(events.as_array().map(Vec::len), Some(3));
    assert!(events
        .as_array()
        .into_iter()
        .flatten()
        .all(|e| e["status"] == json!("processed")));
}

#[test]
fn a_bad_signature_is_rejected_and_nothing_is_stored() {
    let sub = subscriber(vec![]);
    let p = github_project(&sub.vendor.base);
    let server = p.serve_with(fast());
    let url = format!("{}/elements/api-v2/events/github", server.base);
    let (body, mut headers) = fixture("github/issues.opened");
    for (k, v) in headers.iter_mut() {
        if k == "X-Hub-Signature-256" {
            *v = format!("sha256={}", "0".repeat(64));
        }
    }
    let reply = post(&url, &headers, &body);
    assert_eq!(reply.status, 401);
    assert!(
        reply.body.contains("signature does not match"),
        "{}",
        reply.body
    );
    let (body, headers) = fixture("github/issues.opened");
    let tampered: Vec<u8> = body
        .iter()
        .map(|&b| if b == b'o' { b'0' } else { b })
        .collect();
    assert_eq!(post(&url, &headers, &tampered).status, 401);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(admin(&server, "GET", "/admin/events"), json!([]));
    assert!(sub.vendor.requests().is_empty());
    // Every admin route wants the admin token.
    for (method, path, token) in [
        ("GET", "/admin/events", None),
        ("GET", "/admin/events", Some("Bearer wrong")),
        ("POST", "/admin/events/1/replay", None),
        ("GET", "/admin/deliveries", None),
        ("POST", "/admin/deliveries/redeliver", None),
    ] {
        let headers: Vec<(&str, &str)> = token.map(|t| ("Authorization", t)).into_iter().collect();
        let body = (method == "POST").then_some("");
        let reply = http(method, &format!("{}{path}", server.base), &headers, body);
        assert_eq!(reply.status, 401, "{method} {path}");
    }
}

fn vendor_element(key: &str, signature: &str) -> String {
    format!("key: {key}\nconfiguration:\n  - key: webhook.secret\n    type: PASSWORD\nevents:\n  signature:\n{signature}\nresources: []\n")
}

fn single(key: &str, secret: &str, signature: &str) -> (Project, support::Server) {
    let p = Project::new();
    p.element(key, &vendor_element(key, signature));
    p.instances(&format!("instances:\n  - id: 1\n    element: {key}\n    token: t\n    configuration:\n      webhook.secret: \"{secret}\"\n"));
    let server = p.serve_with(fast());
    (p, server)
}

#[test]
fn stripe_signatures_are_checked_with_their_timestamp() {
    let (_p, server) = single(
        "stripe",
        "whsec_heldoutStripeSecret0123456789",
        "    scheme: stripe\n    secret: webhook.secret\n    tolerance: 300",
    );
    let url = format!("{}/elements/api-v2/events/stripe", server.base);
    let (body, headers) = fixture("stripe/customer.created");
    // The fixture was signed at t=1700000000: outside the tolerance now.
    let stale = post(&url, &headers, &body);
    assert_eq!(stale.status, 401);
    assert!(stale.body.contains("tolerance"), "{}", stale.body);
    let t = now_s();
    let mut signed = format!("{t}.").into_bytes();
    signed.extend_from_slice(&body);
    let v1 = hex::encode(
        ce::hmac_bytes("sha256", b"whsec_heldoutStripeSecret0123456789", &signed).expect("hmac"),
    );
    let fresh: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| {
            if k == "Stripe-Signature" {
                (k.clone(), format!("t={t},v1={v1}"))
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect();
    assert_eq!(post(&url, &fresh, &body).status, 200);
}

#[test]
fn shopify_and_slack_signatures_are_checked() {
    let (_p, server) = single(
        "shopify",
        "heldout-shopify-secret",
        "    header: X-Shopify-Hmac-Sha256\n    encoding: base64\n    secret: webhook.secret",
    );
    let url = format!("{}/elements/api-v2/events/shopify", server.base);
    let (body, headers) = fixture("shopify/orders.create");
    assert_eq!(post(&url, &headers, &body).status, 200);
    assert_eq!(post(&url, &headers, b"{\"forged\":true}").status, 401);

    let (_p2, server) = single(
        "slack",
        "heldout-slack-signing-secret",
        "    scheme: slack\n    secret: webhook.secret",
    );
    let url = format!("{}/elements/api-v2/events/slack", server.base);
    let (body, headers) = fixture("slack/event_callback.app_mention");
    let t = now_s().to_string();
    let mut signed = format!("v0:{t}:").into_bytes();
    signed.extend_from_slice(&body);
    let sig = format!(
        "v0={}",
        hex::encode(
            ce::hmac_bytes("sha256", b"heldout-slack-signing-secret", &signed).expect("hmac")
        )
    );
    let fresh: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| match k.as_str() {
            "X-Slack-Signature" => (k.clone(), sig.clone()),
            "X-Slack-Request-Timestamp" => (k.clone(), t.clone()),
            _ => (k.clone(), v.clone()),
        })
        .collect();
    assert_eq!(post(&url, &fresh, &body).status, 200);
    assert_eq!(
        post(&url, &headers, &body).status,
        401,
        "the fixture's old timestamp is stale"
    );
}

#[test]
fn a_subscriber_that_is_down_then_up_gets_the_event_after_retries() {
    let sub = subscriber(vec![503, 503]);
    let p = github_project(&sub.vendor.base);
    let mut settings = fast();
    settings.delivery.max_tries = 5;
    let server = p.serve_with(settings);
    let (body, headers) = fixture("github/issues.opened");
    assert_eq!(
        post(
            &format!("{}/elements/api-v2/events/github", server.base),
            &headers,
            &body
        )
        .status,
        200
    );
    wait_until("the delivery", || {
        admin(&server, "GET", "/admin/deliveries?status=delivered")
            .as_array()
            .is_some_and(|l| l.len() == 1)
    });
    let delivery = admin(&server, "GET", "/admin/deliveries")[0].clone();
    assert_eq!(delivery["attempts"], json!(3));
    let ids: Vec<Option<String>> = sub
        .vendor
        .requests()
        .iter()
        .map(|r| r.header("elements-webhook-id").map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(
        ids.iter().all(|id| id == &ids[0]),
        "the same id on every try: {ids:?}"
    );
}

#[test]
fn a_subscriber_down_for_good_parks_the_delivery_until_redelivered() {
    let failing = Arc::new(Mutex::new(true));
    let flag = failing.clone();
    let vendor = MockVendor::start(move |_| {
        Reply::json(
            if *flag.lock().expect("lock") {
                500
            } else {
                200
            },
            json!({}),
        )
    });
    let p = github_project(&vendor.base);
    let server = p.serve_with(fast());
    let (body, headers) = fixture("github/issues.opened");
    assert_eq!(
        post(
            &format!("{}/elements/api-v2/events/github", server.base),
            &headers,
            &body
        )
        .status,
        200
    );
    wait_until("the delivery to be parked", || {
        admin(&server, "GET", "/admin/deliveries?status=queued")
            .as_array()
            .is_some_and(|l| l.len() == 1)
    });
    let parked = admin(&server, "GET", "/admin/deliveries?status=queued")[0].clone();
    assert_eq!(parked["attempts"], json!(3));
    assert_eq!(parked["lastStatus"], json!(500));
    *failing.lock().expect("lock") = false;
    assert_eq!(
        admin(&server, "POST", "/admin/deliveries/redeliver"),
        json!({"redelivering": 1})
    );
    wait_until("the re-delivery", || {
        admin(&server, "GET", "/admin/deliveries?status=delivered")
            .as_array()
            .is_some_and(|l| l.len() == 1)
    });
    assert_eq!(vendor.requests().len(), 4);
}

#[test]
fn events_received_before_a_restart_are_delivered_after_it() {
    let sub = subscriber(vec![]);
    let p = github_project(&sub.vendor.base);
    // A server whose worker never runs: events are only persisted, as a crash would leave them.
    let server = p.serve_with(elemental::settings::Settings {
        events_worker: false,
        ..fast()
    });
    let url = format!("{}/elements/api-v2/events/github", server.base);
    let names = [
        "issues.opened",
        "issues.edited",
        "issues.labeled",
        "issue_comment.created",
        "pull_request.opened",
    ];
    for name in names {
        let (body, headers) = fixture(&format!("github/{name}"));
        assert_eq!(post(&url, &headers, &body).status, 200, "{name}");
    }
    server.stop();
    assert!(sub.vendor.requests().is_empty());
    let server = p.serve_with(fast());
    wait_until("all five deliveries", || {
        sub.vendor.requests().len() >= names.len()
    });
    let mut event_ids: Vec<String> = sub
        .vendor
        .requests()
        .iter()
        .map(|r| {
            r.json()["message"]["eventId"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    event_ids.sort();
    event_ids.dedup();
    assert_eq!(event_ids.len(), names.len());
    drop(server);
}

#[test]
fn a_failing_event_hook_marks_the_event_failed_and_a_replay_uses_the_fixed_hook() {
    let sub = subscriber(vec![]);
    let p = github_project(&sub.vendor.base);
    p.element(
        "github",
        &GITHUB_ELEMENT.replace("const kind =", "null.boom;\n      const kind ="),
    );
    let server = p.serve_with(fast());
    let (body, headers) = fixture("github/issues.opened");
    assert_eq!(
        post(
            &format!("{}/elements/api-v2/events/github", server.base),
            &headers,
            &body
        )
        .status,
        200
    );
    wait_until("the failure", || {
        admin(&server, "GET", "/admin/events?status=failed")
            .as_array()
            .is_some_and(|l| l.len() == 1)
    });
    let failed = admin(&server, "GET", "/admin/events?status=failed")[0].clone();
    assert!(
        failed["error"]
            .as_str()
            .unwrap_or_default()
            .contains("TypeError"),
        "{failed}"
    );
    p.element("github", GITHUB_ELEMENT);
    assert!(matches!(
        elemental::reload::reload(&server.state, &p.sources()),
        elemental::reload::Outcome::Swapped { .. }
    ));
    let id = failed["id"].as_i64().expect("id");
    assert_eq!(
        admin(&server, "POST", &format!("/admin/events/{id}/replay")),
        json!({"replaying": id})
    );
    wait_until("the replayed delivery", || sub.vendor.requests().len() == 1);
    assert_eq!(
        sub.vendor.last().json()["message"]["events"][0]["eventType"],
        json!("CREATED")
    );
    assert_eq!(
        admin(&server, "GET", &format!("/admin/events/{id}"))["status"],
        json!("processed")
    );
}

#[test]
fn the_instance_comes_from_the_url_or_the_finder() {
    let sub = subscriber(vec![]);
    let p = Project::new();
    p.element("shop", "key: shop\nconfiguration:\n  - key: shop.domain\n  - key: event.notification.enabled\n    type: BOOLEAN\n  - key: event.notification.callback.url\nevents:\n  instanceFinder: shop.domain|shop.domain\nresources: []\n");
    p.instances(&format!("instances:\n  - id: 1\n    element: shop\n    token: a\n    configuration: {{shop.domain: one.example, event.notification.enabled: true, event.notification.callback.url: '{0}/one'}}\n  - id: 2\n    element: shop\n    token: b\n    configuration: {{shop.domain: two.example, event.notification.enabled: true, event.notification.callback.url: '{0}/two'}}\n", sub.vendor.base));
    let server = p.serve_with(fast());
    let base = format!("{}/elements/api-v2/events/shop", server.base);
    let json_headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    assert_eq!(
        post(
            &base,
            &json_headers,
            b"{\"shop\":{\"domain\":\"two.example\"},\"id\":5}"
        )
        .status,
        200
    );
    let by_url = format!(
        "{base}/{}",
        base64::engine::general_purpose::STANDARD.encode("1")
    );
    assert_eq!(post(&by_url, &json_headers, b"{\"id\":6}").status, 200);
    assert_eq!(
        post(
            &base,
            &json_headers,
            b"{\"shop\":{\"domain\":\"nobody.example\"}}"
        )
        .status,
        400
    );
    wait_until("two deliveries", || sub.vendor.requests().len() == 2);
    let mut paths: Vec<String> = sub
        .vendor
        .requests()
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.path,
                r.json()["message"]["events"][0]["objectId"]
            )
        })
        .collect();
    paths.sort();
    assert_eq!(paths, vec!["/one \"6\"", "/two \"5\""]);
}

#[test]
fn a_poller_calls_the_elements_resource_and_delivers_created_and_updated() {
    let sub = subscriber(vec![]);
    // Dates as the vendor has them at the moment it is asked: "just now" is after the poll's
    // lower bound, a day ago is before it.
    let vendor = MockVendor::start(move |_| {
        let now_ms = elemental::clock::now_ms();
        let (recent, old) = (
            elemental::clock::iso(now_ms),
            elemental::clock::iso(now_ms - 86_400_000),
        );
        Reply::json(
            200,
            json!({"data": [
                {"id": 1, "name": "new", "created_at": recent, "updated_at": recent},
                {"id": 2, "name": "changed", "created_at": old, "updated_at": recent},
                {"id": 3, "name": "untouched", "created_at": old, "updated_at": old}
            ]}),
        )
    });
    let p = Project::new();
    p.element("crm", "key: crm\nconfiguration:\n  - key: base.url\n  - key: event.notification.enabled\n    type: BOOLEAN\n  - key: event.notification.callback.url\nresources:\n  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n    rootKey: data\n    parameters:\n      - name: since\n        type: query\n        vendorName: updated_since\n        vendorType: query\n");
    let poller = r#"{"contacts": {"url": "/hubs/crm/contacts?since=${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}", "idField": "id", "datesConfiguration": {"createdDateField": "created_at", "updatedDateField": "updated_at"}}}"#;
    p.instances(&format!(
        "instances:\n  - id: 3\n    element: crm\n    token: t\n    configuration:\n      base.url: {}\n      event.vendor.type: polling\n      event.poller.refresh_interval: \"0.005\"\n      event.poller.configuration: |\n        {}\n      event.notification.enabled: true\n      event.notification.callback.url: {}/polled\n",
        vendor.base,
        poller,
        sub.vendor.base
    ));
    let server = p.serve_with(fast());
    wait_until("a polled delivery", || !sub.vendor.requests().is_empty());
    let message = sub.vendor.requests()[0].json();
    let events = message["message"]["events"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let got: Vec<(Value, Value)> = events
        .iter()
        .map(|e| (e["objectId"].clone(), e["eventType"].clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (json!("1"), json!("CREATED")),
            (json!("2"), json!("UPDATED"))
        ]
    );
    assert_eq!(events[0]["objectType"], json!("contacts"));
    // The vendor was asked for changes since the last poll, formatted as the template says.
    let since = vendor.requests()[0].query.clone();
    assert!(
        since.starts_with("updated_since=20") && since.ends_with("Z"),
        "{since}"
    );
    drop(server);
}

#[test]
fn large_batches_are_split_dropped_events_are_not_sent_and_standard_webhooks_are_signed() {
    let sub = subscriber(vec![]);
    let p = Project::new();
    p.element("bulk", "key: bulk\nconfiguration:\n  - key: event.notification.enabled\n    type: BOOLEAN\n  - key: event.notification.callback.url\n  - key: event.notification.webhook.secret\n    type: PASSWORD\nevents:\n  maxBodyBytes: 4096\nhooks:\n  - type: event\n    body: |\n      if (events.skip) done({continue: false});\n      done({events: (events.items || []).map((id) => ({event_type: 'created', event_object_type: 'rows', event_object_id: id}))});\nresources: []\n");
    p.instances(&format!("instances:\n  - id: 1\n    element: bulk\n    token: t\n    configuration:\n      event.notification.enabled: true\n      event.notification.callback.url: {}/bulk\n      event.notification.webhook.secret: whsec_c2VjcmV0LWtleQ==\n", sub.vendor.base));
    let server = p.serve_with(fast());
    let url = format!("{}/elements/api-v2/events/bulk", server.base);
    let json_headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    let items: Vec<u32> = (1..=45).collect();
    assert_eq!(
        post(
            &url,
            &json_headers,
            json!({"items": items}).to_string().as_bytes()
        )
        .status,
        200
    );
    assert_eq!(post(&url, &json_headers, b"{\"skip\":true}").status, 200);
    assert_eq!(post(&url, &json_headers, &vec![b' '; 5000]).status, 413);
    wait_until("three notifications", || sub.vendor.requests().len() >= 3);
    std::thread::sleep(Duration::from_millis(150));
    let received = sub.vendor.requests();
    let mut sizes: Vec<usize> = received
        .iter()
        .map(|r| r.json()["message"]["events"].as_array().map_or(0, Vec::len))
        .collect();
    sizes.sort();
    assert_eq!(
        sizes,
        vec![5, 20, 20],
        "45 events in notifications of at most 20; the dropped event sends nothing"
    );
    assert!(
        received
            .iter()
            .all(|r| r.json()["message"]["events"][0]["eventType"] == json!("CREATED")),
        "event types are coerced"
    );
    let r = &received[0];
    let (id, ts, sig) = (
        r.header("webhook-id").expect("webhook-id"),
        r.header("webhook-timestamp").expect("ts"),
        r.header("webhook-signature").expect("sig"),
    );
    let mut signed = format!("{id}.{ts}.").into_bytes();
    signed.extend_from_slice(r.body.as_bytes());
    let expected = format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD
            .encode(ce::hmac_bytes("sha256", b"secret-key", &signed).expect("hmac"))
    );
    assert_eq!(sig, expected);
    assert_eq!(r.header("elements-webhook-id"), Some(id));
    let statuses: Vec<Value> = admin(&server, "GET", "/admin/events")
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| e["status"].clone())
        .collect();
    assert_eq!(statuses, vec![json!("dropped"), json!("processed")]);
}
