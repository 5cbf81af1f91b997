//! The store going away under a running server: every route that needs it answers 503 with
//! `Retry-After`, in the one error shape, and requests that do not touch it go on serving.

mod support;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use serde_json::json;
use support::store::FailingStore;
use support::{http, one_instance, MockVendor, Project, Reply, Server};

/// A `crm` element whose `/counted` resource writes configuration back and whose
/// `/plain` resource does not, an `events` element, and a server on a store that can fail.
fn serve_on_failing_store(vendor: &MockVendor) -> (Project, Server, Arc<FailingStore>) {
    let p = Project::new();
    p.element(
        "crm",
        "key: crm\nconfiguration:\n  - key: base.url\nresources:\n  - method: GET\n    path: /hubs/crm/counted\n    vendorPath: /counted\n    hooks:\n      - type: postRequest\n        body: |\n          done({configuration: {counter: '1'}});\n  - method: GET\n    path: /hubs/crm/plain\n    vendorPath: /plain\n",
    );
    p.element(
        "hooked",
        "key: hooked\nconfiguration:\n  - key: event.notification.enabled\n    type: BOOLEAN\nresources: []\n",
    );
    p.instances(&format!(
        "{}  - id: 2\n    element: hooked\n    token: hk\n",
        one_instance("crm", "tok", &format!("      base.url: {}/v1", vendor.base))
    ));
    let store = Arc::new(FailingStore::open(&p.path("data")));
    let settings = elemental::settings::Settings {
        admin_token: Some("adm".into()),
        ..Default::default()
    };
    let server = Server::start_with_store(&p.sources(), store.clone(), settings);
    (p, server, store)
}

fn assert_unavailable(reply: &Reply) {
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert_eq!(reply.header_value("retry-after"), Some("1"));
    let id = reply
        .header_value("elements-request-id")
        .expect("a request id");
    let body = reply.body_json();
    assert_eq!(body["requestId"], json!(id), "{body}");
    assert_eq!(
        body["message"],
        json!("store: unavailable: test: the store is down")
    );
}

#[test]
fn a_hook_writing_configuration_back_answers_503_while_the_store_is_down() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let (_p, server, store) = serve_on_failing_store(&vendor);
    assert_eq!(
        server.call("GET", "/hubs/crm/counted", "tok", None).status,
        200
    );

    store.down.store(true, Ordering::SeqCst);
    assert_unavailable(&server.call("GET", "/hubs/crm/counted", "tok", None));
    // The store is touched only when a hook writes configuration back.
    assert_eq!(
        server.call("GET", "/hubs/crm/plain", "tok", None).status,
        200
    );
}

#[test]
fn a_webhook_answers_503_while_the_store_is_down() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({})));
    let (_p, server, store) = serve_on_failing_store(&vendor);
    let url = format!("{}/elements/api-v2/events/hooked", server.base);
    let headers = [("Content-Type", "application/json")];
    assert_eq!(
        http("POST", &url, &headers, Some("{\"id\": 1}")).status,
        200
    );

    store.down.store(true, Ordering::SeqCst);
    assert_unavailable(&http("POST", &url, &headers, Some("{\"id\": 2}")));
}

#[test]
fn an_admin_route_answers_503_while_the_store_is_down() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({})));
    let (_p, server, store) = serve_on_failing_store(&vendor);
    let url = format!("{}/admin/events", server.base);
    let admin = [("Authorization", "Bearer adm")];
    assert_eq!(http("GET", &url, &admin, None).status, 200);

    store.down.store(true, Ordering::SeqCst);
    assert_unavailable(&http("GET", &url, &admin, None));
    assert_unavailable(&http(
        "POST",
        &format!("{}/admin/deliveries/redeliver", server.base),
        &admin,
        None,
    ));
}
