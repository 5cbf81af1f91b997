//! The studio over HTTP: the login and its cookie, CSRF on every change, the admin routes its
//! pages read (elements, diagnostics, traces, scripts), "try it" and the hook playground, and
//! no secret in any of them.

mod support;

use serde_json::{json, Value};
use support::studio::{project, serve, vendor, ADMIN, SECRET};
use support::{http, Reply, Server};

/// Log in: the session cookie (`name=value`) and its CSRF token.
fn login(server: &Server) -> (String, String) {
    let form = format!("token={ADMIN}");
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let reply = http(
        "POST",
        &format!("{}/studio/login", server.base),
        &headers,
        Some(&form),
    );
    assert_eq!(reply.status, 303, "{}", reply.body);
    let set = reply
        .header_value("set-cookie")
        .unwrap_or_default()
        .to_string();
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Strict"), "{set}");
    assert!(!set.contains(ADMIN), "the admin token is in the cookie");
    let cookie = set.split(';').next().unwrap_or_default().to_string();
    let session = http(
        "GET",
        &format!("{}/studio/session", server.base),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(session.status, 200);
    let csrf = session.body_json()["csrf"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (cookie, csrf)
}

fn get(server: &Server, cookie: &str, path: &str) -> Reply {
    http(
        "GET",
        &format!("{}{path}", server.base),
        &[("Cookie", cookie)],
        None,
    )
}

fn post(server: &Server, cookie: &str, csrf: Option<&str>, path: &str, body: &Value) -> Reply {
    let mut headers = vec![("Cookie", cookie), ("Content-Type", "application/json")];
    if let Some(csrf) = csrf {
        headers.push(("X-CSRF-Token", csrf));
    }
    let body = body.to_string();
    http(
        "POST",
        &format!("{}{path}", server.base),
        &headers,
        Some(&body),
    )
}

#[test]
fn a_login_opens_the_studio_and_a_wrong_token_does_not() {
    let vendor = vendor();
    let p = project(&vendor);
    let server = serve(&p);
    let page = http("GET", &format!("{}/studio", server.base), &[], None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"token\""), "not the login form");
    assert!(page
        .header_value("content-security-policy")
        .is_some_and(|c| c.contains("script-src 'self'")));
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let url = format!("{}/studio/login", server.base);
    let wrong = http("POST", &url, &headers, Some("token=nope"));
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("not the admin token"));
    assert!(wrong.header_value("set-cookie").is_none());

    let (cookie, _) = login(&server);
    let app = get(&server, &cookie, "/studio/");
    assert!(
        app.body.contains("/studio/assets/app.js"),
        "not the app page"
    );
    let script = get(&server, "", "/studio/assets/app.js");
    assert_eq!(script.status, 200);
    assert!(script
        .header_value("content-type")
        .is_some_and(|t| t.starts_with("text/javascript")));
    // The cookie opens the admin API too; a forged one does not.
    assert_eq!(get(&server, &cookie, "/admin/elements").status, 200);
    let forged = format!("elemental_studio=9999999999.{}", "A".repeat(43));
    assert_eq!(get(&server, &forged, "/admin/elements").status, 401);
    // Logging out ends the cookie.
    let out = http(
        "POST",
        &format!("{}/studio/logout", server.base),
        &[("Cookie", &cookie)],
        Some(""),
    );
    assert!(out
        .header_value("set-cookie")
        .is_some_and(|c| c.contains("Max-Age=0")));
}

#[test]
fn changes_need_the_csrf_token_and_a_bearer_token_needs_none() {
    let vendor = vendor();
    let p = project(&vendor);
    let server = serve(&p);
    let (cookie, csrf) = login(&server);
    let attempt = json!({"method": "GET", "path": "/hubs/crm/contacts"});
    let refused = post(&server, &cookie, None, "/admin/instances/1/try", &attempt);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("CSRF"));
    let wrong = post(
        &server,
        &cookie,
        Some("not-it"),
        "/admin/instances/1/try",
        &attempt,
    );
    assert_eq!(wrong.status, 403);
    assert!(
        vendor.requests().is_empty(),
        "a refused change reached the vendor"
    );
    let sent = post(
        &server,
        &cookie,
        Some(&csrf),
        "/admin/instances/1/try",
        &attempt,
    );
    assert_eq!(sent.status, 200, "{}", sent.body);
    // API clients with the admin token are not sessions: no CSRF token is asked of them.
    let bearer = format!("Bearer {ADMIN}");
    let url = format!("{}/admin/instances/1/try", server.base);
    let body = attempt.to_string();
    let headers = [
        ("Authorization", bearer.as_str()),
        ("Content-Type", "application/json"),
    ];
    assert_eq!(http("POST", &url, &headers, Some(&body)).status, 200);
}

#[test]
fn try_it_calls_the_vendor_and_answers_with_a_masked_trace() {
    let vendor = vendor();
    let p = project(&vendor);
    let server = serve(&p);
    let (cookie, csrf) = login(&server);
    let attempt =
        json!({"method": "POST", "path": "hubs/crm/contacts", "body": "{\"name\": \"Ada\"}"});
    let answer = post(
        &server,
        &cookie,
        Some(&csrf),
        "/admin/instances/1/try",
        &attempt,
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let answer = answer.body_json();
    assert_eq!(answer["status"], json!(201));
    let body: Value =
        serde_json::from_str(answer["body"].as_str().unwrap_or_default()).unwrap_or_default();
    assert_eq!(body, json!({"saved": {"name": "Ada"}}));
    // The vendor got the secret; the trace shows every phase but never the secret.
    assert_eq!(vendor.last().header("x-key"), Some(SECRET));
    let trace = &answer["trace"];
    let phases: Vec<&str> = trace["phases"]
        .as_array()
        .map(|p| p.iter().filter_map(|x| x["phase"].as_str()).collect())
        .unwrap_or_default();
    assert!(phases.contains(&"global preRequest"), "{phases:?}");
    assert!(phases.contains(&"vendor"), "{phases:?}");
    assert!(
        !answer.to_string().contains(SECRET),
        "the secret is in the answer"
    );
    // The trace is kept: listed, and readable by its id.
    let id = answer["requestId"].as_str().unwrap_or_default();
    let listed = get(&server, &cookie, "/admin/traces").body_json();
    assert_eq!(listed[0]["requestId"], json!(id));
    assert_eq!(listed[0]["status"], json!(201));
    let kept = get(&server, &cookie, &format!("/admin/traces/{id}"));
    assert_eq!(kept.status, 200);
    assert!(!kept.body.contains(SECRET));
    // An unknown instance is a 404.
    let none = post(
        &server,
        &cookie,
        Some(&csrf),
        "/admin/instances/77/try",
        &attempt,
    );
    assert_eq!(none.status, 404);
}

#[test]
fn the_playground_reruns_a_hook_with_edits_and_the_secret_stays_on_the_server() {
    let vendor = vendor();
    let p = project(&vendor);
    let server = serve(&p);
    let (cookie, csrf) = login(&server);
    let attempt = json!({"method": "GET", "path": "/hubs/crm/contacts"});
    let answer = post(
        &server,
        &cookie,
        Some(&csrf),
        "/admin/instances/1/try",
        &attempt,
    )
    .body_json();
    let input = answer["trace"]["phases"][0]["input"].clone();
    assert_eq!(input["configuration"]["api.key"], json!("********"));
    // As loaded, with the trace's variables: the masked key is put back on the server, and
    // masked again in the answer.
    let replay =
        json!({"element": "crm", "instance": 1, "hook": "global preRequest", "variables": input});
    let same = post(&server, &cookie, Some(&csrf), "/admin/playground", &replay);
    assert_eq!(same.status, 200, "{}", same.body);
    assert_eq!(
        same.body_json()["done"],
        json!({"request_vendor_headers": {"X-Key": "********"}})
    );
    assert!(!same.body.contains(SECRET));
    // An edited script sees the real key (it can compare it), without showing it.
    let edited = json!({"element": "crm", "instance": 1, "hook": "global preRequest", "variables": input,
        "source": format!("console.log('same:', configuration['api.key'] === '{SECRET}'); done({{request_vendor_path: '/v2' + request_path}});")});
    let run = post(&server, &cookie, Some(&csrf), "/admin/playground", &edited).body_json();
    assert_eq!(
        run["done"],
        json!({"request_vendor_path": "/v2/hubs/crm/contacts"})
    );
    assert_eq!(run["console"][0]["message"], json!("same: true"));
    // A broken edit reports the JS error; an unknown hook is a 404.
    let broken = json!({"element": "crm", "hook": "global preRequest", "source": "done({"});
    let failed = post(&server, &cookie, Some(&csrf), "/admin/playground", &broken).body_json();
    assert_eq!(failed["error"]["name"], json!("SyntaxError"), "{failed}");
    let unknown = json!({"element": "crm", "hook": "global event"});
    assert_eq!(
        post(&server, &cookie, Some(&csrf), "/admin/playground", &unknown).status,
        404
    );
}

#[test]
fn elements_diagnostics_and_scripts_are_listed_without_secrets() {
    let vendor = vendor();
    let p = project(&vendor);
    p.task(
        "hello",
        "export default async function (req, res) { res.json({ok: true}); }\n",
    );
    // A warning the last load reported.
    p.element("warned", "key: warned\nresources:\n  - method: GET\n    path: /hubs/x/things\n    vendorPath: /things\n    hooks:\n      - type: preRequest\n        body: \"\"\n");
    let server = serve(&p);
    let (cookie, _) = login(&server);
    let elements = get(&server, &cookie, "/admin/elements").body_json();
    assert_eq!(elements[0]["key"], json!("crm"));
    assert_eq!(elements[0]["instances"], json!(1));
    let crm = get(&server, &cookie, "/admin/elements/crm").body_json();
    assert_eq!(crm["configuration"][1]["secret"], json!(true));
    assert!(crm["hooks"]["preRequest"]["source"]
        .as_str()
        .is_some_and(|s| s.contains("X-Key")));
    assert_eq!(
        crm["resources"][1]["hooks"]["postRequest"]["label"],
        json!("resource postRequest POST /hubs/crm/contacts")
    );
    assert_eq!(crm["instances"][0]["name"], json!("acme"));
    assert!(!crm.to_string().contains(SECRET));
    assert_eq!(get(&server, &cookie, "/admin/elements/nope").status, 404);
    let diagnostics = get(&server, &cookie, "/admin/diagnostics").body_json();
    assert!(
        diagnostics
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["warning"] == json!(true)
                && d["file"].as_str().is_some_and(|f| f.contains("warned")))),
        "{diagnostics}"
    );
    let scripts = get(&server, &cookie, "/admin/scripts").body_json();
    assert_eq!(scripts["tasks"][0]["name"], json!("hello"));
}
