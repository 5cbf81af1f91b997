//! Hooks in any language (CONTRACT §6): `webhook: {url, key}` instead of a script. The hook's
//! variables reach a local receiver as JSON with the key; its answer is the hook's result.

mod support;

use std::time::Duration;

use elemental::settings::Settings;
use serde_json::json;
use support::{http, one_instance, MockVendor, Project, Reply, Server};

const KEY: &str = "hook-key-5521";

fn element(receiver: &str, extra: &str) -> String {
    format!(
        r#"key: hooked
configuration:
  - key: base.url
    type: TEXTFIELD_1000
resources:
  - method: POST
    path: /hubs/general/contacts
    vendorPath: /contacts
    hooks:
      - type: preRequest
        body: "done({{request_vendor_headers: {{'X-Script': 'ran'}}}});"
        webhook: {{url: "{receiver}/pre", key: "{KEY}"}}
      - type: postRequest
        webhook: {{url: "{receiver}/post", key: "{KEY}"{extra}}}
  - method: DELETE
    path: /hubs/general/contacts/{{id}}
    vendorPath: /contacts/{{id}}
    hooks:
      - type: preRequest
        webhook: {{url: "{receiver}/refuse", key: "{KEY}"}}
"#
    )
}

fn serve(receiver: &MockVendor, vendor: &MockVendor, extra: &str) -> (Project, Server) {
    let p = Project::new();
    p.element("hooked", &element(&receiver.base, extra));
    p.instances(&one_instance(
        "hooked",
        "tok",
        &format!("      base.url: {}", vendor.base),
    ));
    let server = p.serve_with(Settings {
        admin_token: Some("adm1n".into()),
        ..Settings::default()
    });
    (p, server)
}

/// A receiver in any language would do this: check the key, answer per hook.
fn receiver(delay: Option<Duration>) -> MockVendor {
    MockVendor::start(move |r| {
        if r.header("x-elements-webhook-key") != Some(KEY) {
            return Reply::json(401, json!({"error": "bad key"}));
        }
        let mut reply = match r.path.as_str() {
            "/pre" => Reply::json(
                200,
                json!({"request_vendor_headers": {"X-From-Webhook": r.json()["triggerName"]}}),
            ),
            "/post" => Reply::json(
                200,
                json!({"success": {"response_body": {"seen": r.json()["response_body"], "object": r.json()["object"]}}}),
            ),
            "/refuse" => Reply::json(200, json!({"error": "contacts are never deleted"})),
            _ => Reply::json(404, json!({})),
        };
        reply.delay = delay;
        reply
    })
}

#[test]
fn pre_and_post_hooks_served_by_a_webhook_shape_the_call() {
    let hooks = receiver(None);
    let vendor =
        MockVendor::start(|r| Reply::json(201, json!({"id": 9, "name": r.json()["name"]})));
    let (_p, server) = serve(&hooks, &vendor, "");
    let answer = server.call(
        "POST",
        "/hubs/general/contacts",
        "tok",
        Some(r#"{"name": "Ada"}"#),
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    // The webhook won over the script beside it, and Parse's trigger name came along.
    let sent = vendor.last();
    assert_eq!(sent.header("x-from-webhook"), Some("beforeSave"));
    assert_eq!(sent.header("x-script"), None);
    assert_eq!(
        answer.body_json(),
        json!({"seen": {"id": 9, "name": "Ada"}, "object": {"name": "Ada"}})
    );
    let calls = hooks.requests();
    let pre = calls[0].json();
    assert_eq!(pre["request_method"], json!("POST"));
    assert_eq!(pre["request_body_map"], json!({"name": "Ada"}));
    assert_eq!(pre["configuration"]["base.url"], json!(vendor.base));
    assert_eq!(calls[1].json()["triggerName"], json!("afterSave"));
    assert_eq!(calls[1].json()["response_status_code"], json!(201));

    // {"error": ...}: an error answer naming the hook; the vendor is not called.
    let before = vendor.requests().len();
    let refused = server.call("DELETE", "/hubs/general/contacts/9", "tok", None);
    assert_eq!(refused.status, 400, "{}", refused.body);
    let message = refused.body_json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains("resource preRequest DELETE /hubs/general/contacts/{id}"),
        "{message}"
    );
    assert!(message.contains("contacts are never deleted"), "{message}");
    assert_eq!(vendor.requests().len(), before);
    assert_eq!(hooks.last().json()["triggerName"], json!("beforeDelete"));
}

#[test]
fn a_slow_or_missing_webhook_fails_the_hook_and_the_key_never_shows() {
    let slow = receiver(Some(Duration::from_millis(1500)));
    let vendor = MockVendor::start(|_| Reply::json(201, json!({})));
    let (_p, server) = serve(&slow, &vendor, ", timeoutMs: 300");
    let url = format!("{}/elements/api-v2/hubs/general/contacts", server.base);
    let answer = http(
        "POST",
        &url,
        &[
            ("Authorization", "Element tok"),
            ("Elements-Debug", "true"),
            ("Elements-Admin-Token", "adm1n"),
        ],
        Some("{}"),
    );
    // The pre hook (30 s) answers after 1.5 s; the post hook's 300 ms run out.
    assert_eq!(answer.status, 504, "{}", answer.body);
    let id = answer
        .header_value("elements-request-id")
        .unwrap_or_default();
    let trace = http(
        "GET",
        &format!("{}/admin/traces/{id}", server.base),
        &[("Authorization", "Bearer adm1n")],
        None,
    );
    assert_eq!(trace.status, 200);
    assert!(!trace.body.contains(KEY), "the webhook key is in the trace");
    assert!(trace.body.contains("webhook"), "{}", trace.body);

    let gone = MockVendor::start(|_| Reply::json(200, json!({})));
    let gone_base = gone.base.clone();
    drop(gone);
    std::thread::sleep(Duration::from_millis(100));
    let p = Project::new();
    p.element("hooked", &element(&gone_base, ""));
    p.instances(&one_instance(
        "hooked",
        "tok",
        &format!("      base.url: {}", vendor.base),
    ));
    let server = p.serve();
    let answer = server.call("POST", "/hubs/general/contacts", "tok", Some("{}"));
    assert_eq!(answer.status, 500, "{}", answer.body);
    assert!(answer.body.contains("preRequest"), "{}", answer.body);
    assert!(!answer.body.contains(KEY));
}
