//! `GET /admin/openapi.json` against the live server: every documented operation is routed
//! (its handler answers, not the router's bare 404), the document is valid OpenAPI 3.1 (by
//! openapi-spec-validator where Python has it), and it is the admin's only.

mod support;

use std::io::Write as _;
use std::process::{Command, Stdio};

use elemental::settings::Settings;
use serde_json::Value;
use support::studio::{project, vendor, ADMIN};
use support::{http, Server};

fn serve() -> (support::Project, Server, support::MockVendor) {
    let vendor = vendor();
    let p = project(&vendor);
    let server = p.serve_with(Settings {
        admin_token: Some(ADMIN.into()),
        ..Settings::default()
    });
    (p, server, vendor)
}

fn document(server: &Server) -> Value {
    let bearer = format!("Bearer {ADMIN}");
    let url = format!("{}/admin/openapi.json", server.base);
    let reply = http("GET", &url, &[("Authorization", &bearer)], None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body_json()
}

#[test]
fn every_documented_operation_is_served_by_a_handler() {
    let (_p, server, _vendor) = serve();
    let doc = document(&server);
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 28, "only {} paths", paths.len());
    let bearer = format!("Bearer {ADMIN}");
    let master = [("X-Parse-Application-Id", "elemental")];
    for (path, item) in paths {
        // Ids nothing has: the handlers answer 404 or 400 themselves, and change nothing.
        let concrete = path
            .replace("{id}", "987654")
            .replace("{request_id}", "no-such-request")
            .replace("{key}", "no-such-element")
            .replace("{element}", "no-such-element")
            .replace("{name}", "no-such-name");
        for method in item
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let method = method.to_ascii_uppercase();
            let url = format!("{}{concrete}", server.base);
            let mut headers = vec![
                ("Authorization", bearer.as_str()),
                ("Content-Type", "application/json"),
            ];
            headers.extend(master);
            let body = (method != "GET" && method != "DELETE").then_some("{}");
            let reply = http(&method, &url, &headers, body);
            // A handler's own answer carries the request id; the router's 404 does not.
            assert!(
                reply.header_value("elements-request-id").is_some() && reply.status != 405,
                "{method} {path}: {} {}",
                reply.status,
                reply.body
            );
        }
    }
}

#[test]
fn the_document_is_valid_openapi_and_the_admins_only() {
    let (_p, server, _vendor) = serve();
    let url = format!("{}/admin/openapi.json", server.base);
    assert_eq!(http("GET", &url, &[], None).status, 401);
    let doc = document(&server);
    assert_eq!(doc["openapi"], Value::String("3.1.0".into()));
    let check = "import json, sys\ntry:\n    from openapi_spec_validator import validate\nexcept ImportError:\n    sys.exit(3)\nvalidate(json.load(sys.stdin))\n";
    let child = Command::new("python3")
        .args(["-c", check])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("note: python3 is missing; the OpenAPI document is not validated");
        return;
    };
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(doc.to_string().as_bytes())
            .expect("send the document");
    }
    let out = child.wait_with_output().expect("the validator");
    if out.status.code() == Some(3) {
        eprintln!("note: openapi-spec-validator is not installed; the document is not validated");
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
