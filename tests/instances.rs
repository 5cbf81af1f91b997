//! The instances API: connecting an account through `POST /elements/api-v2/instances` (with
//! the element's provisioning resources, the real Facebook Ads export's among them), listing,
//! changing and deleting it; secrets masked in every answer and sealed in the store; nothing
//! half-created when a step fails.

mod support;

use elemental::settings::Settings;
use serde_json::json;
use support::{copy_dir, http, MockVendor, Project, Reply, Server};

const ADMIN: &str = "admin-s3cret";

const ELEMENT: &str = "key: notes\nhub: general\nconfiguration:\n  - key: base.url\n    type: TEXTFIELD_1000\n    required: true\n  - key: api.password\n    type: PASSWORD\n    required: true\n  - key: region\n    type: TEXTFIELD_32\nparameters:\n  - {name: api.password, type: configuration, vendorName: X-Key, vendorType: header}\nresources:\n  - method: GET\n    path: /hubs/general/notes\n    vendorPath: /notes\n";

fn settings() -> Settings {
    Settings {
        admin_token: Some(ADMIN.into()),
        ..Settings::default()
    }
}

/// An admin call to `<prefix><path>`.
fn admin(server: &Server, method: &str, path: &str, body: Option<&str>) -> Reply {
    let auth = format!("Bearer {ADMIN}");
    http(
        method,
        &format!("{}/elements/api-v2{path}", server.base),
        &[("Authorization", auth.as_str())],
        body,
    )
}

fn store_bytes(p: &Project) -> String {
    let mut all = Vec::new();
    for name in ["elemental.db", "elemental.db-wal"] {
        all.extend(std::fs::read(p.path("data").join(name)).unwrap_or_default());
    }
    String::from_utf8_lossy(&all).into_owned()
}

#[test]
fn an_account_is_connected_used_changed_and_deleted_through_the_api() {
    let vendor = MockVendor::start(|r| Reply::json(200, json!({"key": r.header("x-key")})));
    let p = Project::new();
    p.element("notes", ELEMENT);
    p.instances("instances: []\n");
    let server = p.serve_with(settings());

    let body = json!({
        "element": {"key": "notes"},
        "name": "acme",
        "configuration": {"base.url": vendor.base, "api.password": "pw-4471", "region": "eu"},
        "tags": ["team-a"]
    });
    let created = admin(&server, "POST", "/instances", Some(&body.to_string()));
    assert_eq!(created.status, 200, "{}", created.body);
    let created = created.body_json();
    let token = created["token"].as_str().unwrap_or_default().to_string();
    assert!(token.len() >= 40, "a generated token: {created}");
    assert_eq!(created["configuration"]["api.password"], json!("********"));
    assert_eq!(created["configuration"]["region"], json!("eu"));
    assert_eq!(created["source"], json!("api"));
    let id = created["id"].as_i64().unwrap_or_default();

    let answer = server.call("GET", "/hubs/general/notes", &token, None);
    assert_eq!(answer.body_json(), json!({"key": "pw-4471"}));

    let listed = admin(&server, "GET", "/instances", None).body_json();
    assert_eq!(listed[0]["name"], json!("acme"));
    assert_eq!(
        listed[0]["token"],
        json!("********"),
        "the token is shown once"
    );
    let patch =
        json!({"name": "acme-eu", "tags": ["b"], "configuration": {"api.password": "pw-9000"}});
    let changed = admin(
        &server,
        "PATCH",
        &format!("/instances/{id}"),
        Some(&patch.to_string()),
    );
    assert_eq!(
        changed.body_json()["name"],
        json!("acme-eu"),
        "{}",
        changed.body
    );
    let configuration = admin(
        &server,
        "GET",
        &format!("/instances/{id}/configuration"),
        None,
    );
    assert_eq!(configuration.body_json()["api.password"], json!("********"));
    assert_eq!(
        server
            .call("GET", "/hubs/general/notes", &token, None)
            .body_json(),
        json!({"key": "pw-9000"})
    );

    // A restart keeps the instance, its token and its configuration: from the store alone.
    drop(server);
    let bytes = store_bytes(&p);
    for secret in ["pw-4471", "pw-9000", token.as_str()] {
        assert!(!bytes.contains(secret), "{secret} is in the store in clear");
    }
    let server = p.serve_with(settings());
    let shown = admin(&server, "GET", &format!("/instances/{id}"), None).body_json();
    assert_eq!(
        (shown["name"].clone(), shown["tags"].clone()),
        (json!("acme-eu"), json!(["b"]))
    );
    assert_eq!(
        server
            .call("GET", "/hubs/general/notes", &token, None)
            .body_json(),
        json!({"key": "pw-9000"})
    );

    let deleted = admin(&server, "DELETE", &format!("/instances/{id}"), None);
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert_eq!(
        server
            .call("GET", "/hubs/general/notes", &token, None)
            .status,
        401
    );
    drop(server);
    let server = p.serve_with(settings());
    assert_eq!(
        admin(&server, "GET", &format!("/instances/{id}"), None).status,
        404
    );
}

#[test]
fn bad_requests_are_refused_with_the_reason_and_create_nothing() {
    let p = Project::new();
    p.element("notes", ELEMENT);
    p.instances(&support::one_instance(
        "notes",
        "file-token",
        "      base.url: http://127.0.0.1:9\n      api.password: x",
    ));
    let server = p.serve_with(settings());
    let cases = [
        (json!({"element": {"key": "nope"}}), 404, "unknown element"),
        (
            json!({"element": {"key": "notes"}, "configuration": {"region": "eu"}}),
            400,
            "base.url, api.password",
        ),
        (json!({"name": "no element"}), 400, "element.key"),
        (
            json!({"element": {"key": "notes"}, "configuration": "x"}),
            400,
            "configuration must be",
        ),
    ];
    for (body, status, said) in cases {
        let answer = admin(&server, "POST", "/instances", Some(&body.to_string()));
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        assert!(answer.body.contains(said), "{}", answer.body);
    }
    let unauthorized = http(
        "GET",
        &format!("{}/elements/api-v2/instances", server.base),
        &[],
        None,
    );
    assert_eq!(unauthorized.status, 401);
    // The file's instance is listed, changed in its configuration, but not renamed or deleted.
    let listed = admin(&server, "GET", "/instances", None).body_json();
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(1),
        "nothing was created: {listed}"
    );
    assert_eq!(listed[0]["source"], json!("file"));
    assert_eq!(admin(&server, "DELETE", "/instances/1", None).status, 409);
    assert_eq!(
        admin(&server, "PATCH", "/instances/1", Some(r#"{"name": "x"}"#)).status,
        409
    );
    let patched = admin(
        &server,
        "PATCH",
        "/instances/1/configuration",
        Some(r#"{"region": "us"}"#),
    );
    assert_eq!(patched.body_json()["region"], json!("us"));
}

#[test]
fn provisioning_and_deletion_run_the_real_exports_resources() {
    let vendor = MockVendor::start(|r| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/me/accounts") => Reply::json(200, json!({"data": [{"id": "page-1"}]})),
        ("POST", "/app-77/subscriptions") => Reply::json(200, json!({"success": true})),
        ("DELETE", _) => Reply::json(200, json!({"success": true})),
        _ => Reply::json(404, json!({"error": r.path})),
    });
    let p = Project::new();
    copy_dir(
        std::path::Path::new("tests/fixtures/ce-exports/facebookads"),
        &p.path("elements/facebookads"),
    );
    p.instances("instances: []\n");
    let server = p.serve_with(Settings {
        public_url: Some("https://hooks.example.com/".into()),
        ..settings()
    });
    let body = json!({
        "element": {"key": "facebookads"},
        "configuration": {
            "base.url": vendor.base, "oauth.api.key": "app-77", "oauth.api.secret": "app-secret-1",
            "account.id": "act_1", "oauth.user.token": "user-token-1"
        }
    });
    let created = admin(&server, "POST", "/instances", Some(&body.to_string()));
    assert_eq!(created.status, 200, "{}", created.body);
    let id = created.body_json()["id"].as_i64().unwrap_or_default();
    let seen: Vec<(String, String)> = vendor
        .requests()
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            ("GET".to_string(), "/me/accounts".to_string()),
            ("POST".into(), "/app-77/subscriptions".into())
        ]
    );
    let subscription = vendor.last();
    assert!(
        subscription.body.contains("fields=leadgen"),
        "{}",
        subscription.body
    );
    assert!(
        subscription
            .body
            .contains("access_token=app-77%7Capp-secret-1"),
        "{}",
        subscription.body
    );
    // {webhookCallbackUrl}: where this instance's webhooks arrive (base64 of its id).
    let url = format!(
        "https://hooks.example.com/elements/api-v2/events/facebookads/{}",
        base64_id(id)
    );
    let callback: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    assert!(
        subscription
            .body
            .contains(&format!("callback_url={callback}")),
        "{}",
        subscription.body
    );

    let deleted = admin(&server, "DELETE", &format!("/instances/{id}"), None);
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    let last: Vec<(String, String)> = vendor.requests()[2..]
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    assert_eq!(
        last,
        [
            ("DELETE".to_string(), "/".to_string()),
            ("DELETE".into(), "/app-77/subscriptions".into())
        ]
    );
}

#[test]
fn a_failing_provisioning_step_answers_the_vendors_error_and_leaves_nothing() {
    let vendor = MockVendor::start(|r| match r.path.as_str() {
        "/whoami" => Reply::json(401, json!({"error": "bad credentials"})),
        _ => Reply::json(200, json!({})),
    });
    let element = format!(
        "{ELEMENT}  - method: GET\n    path: /hubs/general/validate\n    type: provisionAuthValidation\n    vendorPath: /whoami\n    hooks:\n      - type: preRequest\n        body: |\n          done({{configuration: {{'validated.token': 'should-vanish'}}}});\n"
    );
    let p = Project::new();
    p.element("notes", &element);
    p.instances("instances: []\n");
    let server = p.serve_with(settings());
    let body = json!({"element": {"key": "notes"}, "configuration": {"base.url": vendor.base, "api.password": "wrong"}});
    let answer = admin(&server, "POST", "/instances", Some(&body.to_string()));
    assert_eq!(answer.status, 401, "{}", answer.body);
    let error = answer.body_json();
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("provisionAuthValidation: "),
        "{error}"
    );
    assert_eq!(
        error["providerMessage"],
        json!({"error": "bad credentials"})
    );
    assert_eq!(
        admin(&server, "GET", "/instances", None).body_json(),
        json!([])
    );
    drop(server);
    assert!(
        !store_bytes(&p).contains("validated.token"),
        "the step's write was removed"
    );
}

fn base64_id(id: i64) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(id.to_string())
}
