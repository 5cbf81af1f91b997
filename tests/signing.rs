//! Signed vendor requests (oauth1, awsv4) end to end: mock vendors that recompute each
//! signature themselves, written here apart from `elemental::auth`, and refuse a wrong one.

mod support;

use std::path::Path;

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::{Digest, Sha256};
use support::oauth1::{self, enc, form};
use support::{copy_dir, http, one_instance, MockVendor, Project, Recorded, Reply};

const CONSUMER_SECRET: &str = "consumer-s3cret";
const TOKEN: &str = "user-t0ken-1234";
const TOKEN_SECRET: &str = "token-s3cret";
const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const AWS_SESSION: &str = "FQoGZXIvYXdzEXAMPLESESSION";

// ---- the vendors' own checks ----

/// What an OAuth 1.0a provider does (tests/support/oauth1.rs), and what these tests expect
/// of the parameters.
fn check_oauth1(seen: &Recorded) -> Result<(), String> {
    let parameters = oauth1::verify(seen, CONSUMER_SECRET, TOKEN_SECRET)?;
    let value = |name: &str| oauth1::value(&parameters, name);
    assert_eq!(value("oauth_consumer_key"), "ck-1");
    assert_eq!(value("oauth_token"), TOKEN);
    assert_eq!(value("oauth_signature_method"), "HMAC-SHA1");
    assert_eq!(value("oauth_version"), "1.0");
    let timestamp: i64 = value("oauth_timestamp").parse().map_err(|_| "timestamp")?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    assert!((now - timestamp).abs() < 300, "timestamp {timestamp}");
    assert!(value("oauth_nonce").len() >= 16);
    Ok(())
}

fn hmac256(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// What AWS does with a SigV4 request: rebuild the canonical request from what arrived
/// (the headers SignedHeaders names, the path encoded again, the sorted query, the body's
/// hash), derive the day's key and compare.
fn check_awsv4(seen: &Recorded) -> Result<(), String> {
    let header = seen.header("authorization").ok_or("no Authorization")?;
    let fields = header
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("not AWS4-HMAC-SHA256")?;
    let field = |name: &str| {
        fields
            .split(", ")
            .find_map(|f| f.strip_prefix(&format!("{name}=")))
            .unwrap_or_default()
            .to_string()
    };
    let (credential, signed, signature) = (
        field("Credential"),
        field("SignedHeaders"),
        field("Signature"),
    );
    let scope: Vec<&str> = credential.split('/').collect();
    if scope.len() != 5
        || scope[0] != "AKIDEXAMPLE"
        || scope[2] != "eu-west-1"
        || scope[3] != "execute-api"
    {
        return Err(format!("bad credential {credential}"));
    }
    let stamp = seen.header("x-amz-date").ok_or("no X-Amz-Date")?;
    if !stamp.starts_with(scope[1]) {
        return Err("date and scope differ".into());
    }
    let path: String = seen
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| format!("/{}", enc(s)))
        .collect();
    let mut query: Vec<String> = form(&seen.query)
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    query.sort();
    let mut canonical_headers = String::new();
    for name in signed.split(';') {
        let values: Vec<String> = seen
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if values.is_empty() {
            return Err(format!("signed header {name} did not arrive"));
        }
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed}\n{}",
        seen.method,
        if path.is_empty() { "/".into() } else { path },
        query.join("&"),
        hex::encode(Sha256::digest(&seen.raw))
    );
    let scope = scope[1..].join("/");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{}",
        hex::encode(Sha256::digest(request.as_bytes()))
    );
    let mut key = format!("AWS4{AWS_SECRET}").into_bytes();
    for part in scope.split('/') {
        key = hmac256(&key, part);
    }
    let expected = hex::encode(hmac256(&key, &to_sign));
    if expected == signature {
        Ok(())
    } else {
        Err(format!(
            "signature {signature} is not {expected} of\n{request}"
        ))
    }
}

/// A vendor that answers 200 only to a request whose signature it verified.
fn verifying(check: fn(&Recorded) -> Result<(), String>) -> MockVendor {
    MockVendor::start(move |seen| match check(seen) {
        Ok(()) => Reply::json(200, json!({"verified": true})),
        Err(reason) => Reply::json(401, json!({"error": reason})),
    })
}

// ---- elements ----

const OAUTH1_CONFIG: &str = "configuration:\n  - key: base.url\n  - key: oauth.api.key\n  - key: oauth.api.secret\n    type: PASSWORD\n  - key: oauth.user.token\n  - key: oauth.user.token.secret\n  - key: oauth.request.authorization.type\n";

const TASKS: &str = "  - method: GET\n    path: /hubs/tasks/boards\n    vendorPath: /boards\n    parameters:\n      - name: fields\n        type: query\n        vendorName: fields\n        vendorType: query\n      - name: filter\n        type: query\n        vendorName: filter\n        vendorType: query\n  - method: POST\n    path: /hubs/tasks/cards\n    vendorPath: /cards\n    parameters:\n      - name: name\n        type: query\n        vendorName: name\n        vendorType: form\n      - name: desc\n        type: query\n        vendorName: desc\n        vendorType: form\n  - method: GET\n    path: /hubs/tasks/moved\n    vendorPath: /old\n    hooks:\n      - type: preRequest\n        body: |\n          done({\"request_vendor_path\": \"/new/place\", \"request_vendor_parameters\": {\"added\": \"by hook!\"}, \"request_vendor_method\": \"DELETE\"});\n";

fn oauth1_project(vendor: &MockVendor, placement: &str, extra: &str) -> Project {
    let p = Project::new();
    p.element(
        "tasks",
        &format!("key: tasks\nname: Tasks\nauthentication:\n  type: oauth1\n{OAUTH1_CONFIG}resources:\n{TASKS}"),
    );
    p.instances(&one_instance(
        "tasks",
        "tok",
        &format!(
            "      base.url: {}/1\n      oauth.api.key: ck-1\n      oauth.api.secret: {CONSUMER_SECRET}\n      oauth.user.token: {TOKEN}\n      oauth.user.token.secret: {TOKEN_SECRET}\n      oauth.request.authorization.type: {placement}\n{extra}",
            vendor.base
        ),
    ));
    p
}

fn oauth_header(seen: &Recorded) -> Option<(String, String)> {
    let header = seen.header("authorization")?;
    let nonce = header.split("oauth_nonce=\"").nth(1)?.split('"').next()?;
    Some((header.to_string(), nonce.to_string()))
}

#[test]
fn oauth1_header_signatures_cover_the_query_and_a_form_body() {
    let vendor = verifying(check_oauth1);
    let p = oauth1_project(&vendor, "header", "");
    let server = p.serve();
    let path = "/hubs/tasks/boards?fields=name,desc&filter=open%20and%20mine%20*";
    let reply = server.call("GET", path, "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let first = vendor.last();
    assert!(
        first.query.contains("fields=name%2Cdesc"),
        "{}",
        first.query
    );
    let reply = server.call(
        "POST",
        "/hubs/tasks/cards?name=Plan%20Q1&desc=a%2Bb%20%26%20c",
        "tok",
        Some("{}"),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let second = vendor.last();
    assert_eq!(
        second.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(second.body.contains("desc=a%2Bb+%26+c"), "{}", second.body);
    // A fresh nonce each time.
    let (header, nonce) = oauth_header(&first).expect("an OAuth header");
    assert!(
        header.starts_with("OAuth oauth_consumer_key=\"ck-1\""),
        "{header}"
    );
    assert_ne!(Some(nonce), oauth_header(&second).map(|(_, n)| n));
}

#[test]
fn oauth1_query_placement_puts_the_signature_in_the_url() {
    let vendor = verifying(check_oauth1);
    let p = oauth1_project(&vendor, "query", "");
    let server = p.serve();
    let reply = server.call("GET", "/hubs/tasks/boards?fields=id", "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = vendor.last();
    assert_eq!(seen.header("authorization"), None);
    assert!(
        seen.query.starts_with("fields=id&oauth_consumer_key=ck-1&"),
        "{}",
        seen.query
    );
    assert!(seen.query.contains("&oauth_signature="), "{}", seen.query);
}

#[test]
fn a_pre_hook_changing_method_path_and_parameters_still_yields_a_valid_signature() {
    let vendor = verifying(check_oauth1);
    for placement in ["header", "query"] {
        let p = oauth1_project(&vendor, placement, "");
        let server = p.serve();
        let reply = server.call("GET", "/hubs/tasks/moved", "tok", None);
        assert_eq!(reply.status, 200, "{placement}: {}", reply.body);
        let seen = vendor.last();
        assert_eq!(
            (seen.method.as_str(), seen.path.as_str()),
            ("DELETE", "/1/new/place")
        );
        assert!(seen.query.starts_with("added=by+hook%21"), "{}", seen.query);
    }
}

#[test]
fn a_missing_credential_is_a_clear_misconfiguration() {
    let vendor = verifying(check_oauth1);
    let p = Project::new();
    p.element(
        "tasks",
        &format!("key: tasks\nname: Tasks\nauthentication:\n  type: oauth1\n{OAUTH1_CONFIG}resources:\n{TASKS}"),
    );
    p.instances(&one_instance(
        "tasks",
        "tok",
        &format!("      base.url: {}\n      oauth.api.key: ck-1", vendor.base),
    ));
    let server = p.serve();
    let reply = server.call("GET", "/hubs/tasks/boards", "tok", None);
    assert_eq!(reply.status, 500, "{}", reply.body);
    let message = reply.body_json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains("oauth1 signing needs configuration oauth.api.secret"),
        "{message}"
    );
    assert!(vendor.requests().is_empty());
}

/// The real Trello export: query placement by its own configuration default, its global
/// preRequest hook run before the signature.
#[test]
fn the_trello_export_signs_in_the_query() {
    let vendor = verifying(check_oauth1);
    let p = Project::new();
    let export = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ce-exports/trello");
    copy_dir(&export, &p.path("elements/trello"));
    p.instances(&one_instance(
        "trello",
        "tok",
        &format!(
            "      base.url: {}/1\n      oauth.api.key: ck-1\n      oauth.api.secret: {CONSUMER_SECRET}\n      oauth.user.token: {TOKEN}\n      oauth.user.token.secret: {TOKEN_SECRET}",
            vendor.base
        ),
    ));
    let server = p.serve();
    let reply = server.call(
        "GET",
        "/hubs/general/lists/5abc?fields=name,closed",
        "tok",
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = vendor.last();
    assert_eq!(seen.path, "/1/lists/5abc");
    assert_eq!(seen.header("authorization"), None);
    assert!(seen.query.contains("oauth_signature="), "{}", seen.query);
    // The export's global preRequest hook hands the vendor parameters back; for POST and PUT
    // it reassigns request_vendor_parameters to the caller's JSON body, as Cloud Elements ran it.
    let reply = server.call(
        "POST",
        "/hubs/general/boards",
        "tok",
        Some(r#"{"name": "Q1 plan", "defaultLists": "false"}"#),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = vendor.last();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/1/boards")
    );
    assert!(seen.query.contains("name=Q1+plan"), "{}", seen.query);
    assert!(seen.query.contains("oauth_signature="), "{}", seen.query);
    let reply = server.call(
        "GET",
        "/hubs/general/search?query=Q1%20plan&partial=true&members_limit=3",
        "tok",
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = vendor.last();
    assert!(
        seen.query
            .contains("&query=Q1+plan&oauth_consumer_key=ck-1&"),
        "{}",
        seen.query
    );
}

#[test]
fn a_debug_trace_of_a_signed_call_shows_no_signature_or_secret() {
    let vendor = verifying(check_oauth1);
    for placement in ["header", "query"] {
        let p = oauth1_project(&vendor, placement, "");
        let settings = elemental::settings::Settings {
            admin_token: Some("adm1n".into()),
            ..Default::default()
        };
        let server = p.serve_with(settings);
        let reply = http(
            "GET",
            &format!(
                "{}/elements/api-v2/hubs/tasks/boards?fields=id",
                server.base
            ),
            &[
                ("Authorization", "Element tok"),
                ("Elements-Debug", "true"),
                ("Elements-Admin-Token", "adm1n"),
            ],
            None,
        );
        assert_eq!(reply.status, 200, "{}", reply.body);
        let id = reply
            .header_value("elements-request-id")
            .expect("request id");
        let trace = http(
            "GET",
            &format!("{}/admin/traces/{id}", server.base),
            &[("Authorization", "Bearer adm1n")],
            None,
        );
        assert_eq!(trace.status, 200, "{}", trace.body);
        let seen = vendor.last();
        let signature = match placement {
            "header" => seen
                .header("authorization")
                .and_then(|h| h.split("oauth_signature=\"").nth(1))
                .map(|s| s.trim_end_matches('"').to_string()),
            _ => form(&seen.query)
                .into_iter()
                .find(|(k, _)| k == "oauth_signature")
                .map(|(_, v)| enc(&v)),
        };
        let signature = signature.expect("signed");
        let text = trace.body;
        assert!(text.contains("\"phase\":\"vendor\""), "{text}");
        for secret in [signature.as_str(), CONSUMER_SECRET, TOKEN, TOKEN_SECRET] {
            assert!(!text.contains(secret), "{placement}: {secret} in {text}");
        }
    }
}

const AWS_ELEMENT: &str = "key: lambda\nname: Lambda API\nauthentication:\n  type: awsv4\nconfiguration:\n  - key: base.url\n  - key: aws.access.key\n  - key: aws.secret.key\n    type: PASSWORD\n  - key: aws.region\n  - key: aws.service\n  - key: aws.session.token\nresources:\n  - method: GET\n    path: /hubs/ai/items\n    vendorPath: /items\n    parameters:\n      - name: q\n        type: query\n        vendorName: q\n        vendorType: query\n      - name: Limit\n        type: query\n        vendorName: Limit\n        vendorType: query\n  - method: POST\n    path: /hubs/ai/items\n    vendorPath: /items\n  - method: PUT\n    path: /hubs/ai/items/{id}\n    vendorPath: /items/{id}\n    hooks:\n      - type: preRequest\n        body: |\n          done({\"request_vendor_path\": \"/v2/items/\" + request_vendor_path.split('/').pop() + \"=\", \"request_vendor_headers\": {\"X-Trace\": \"a   b\"}});\n";

#[test]
fn awsv4_signatures_verify_with_a_query_a_body_a_session_token_and_a_hooked_path() {
    let vendor = verifying(check_awsv4);
    let p = Project::new();
    p.element("lambda", AWS_ELEMENT);
    p.instances(&one_instance(
        "lambda",
        "tok",
        &format!(
            "      base.url: {}/prod\n      aws.access.key: AKIDEXAMPLE\n      aws.secret.key: {AWS_SECRET}\n      aws.region: eu-west-1\n      aws.service: execute-api\n      aws.session.token: {AWS_SESSION}",
            vendor.base
        ),
    ));
    let server = p.serve();
    let reply = server.call(
        "GET",
        "/hubs/ai/items?q=red%20shoes%2A&Limit=5",
        "tok",
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = vendor.last();
    assert_eq!(seen.query, "Limit=5&q=red%20shoes%2A");
    assert_eq!(seen.header("x-amz-security-token"), Some(AWS_SESSION));
    let authorization = seen.header("authorization").unwrap_or_default();
    assert!(
        authorization.contains("x-amz-date;x-amz-security-token"),
        "{authorization}"
    );
    // Not S3: no payload hash header.
    assert_eq!(seen.header("x-amz-content-sha256"), None);
    let reply = server.call("POST", "/hubs/ai/items", "tok", Some(r#"{"name":"ö"}"#));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let reply = server.call("PUT", "/hubs/ai/items/42", "tok", Some(r#"{"n":1}"#));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(vendor.last().path, "/prod/v2/items/42=");
    assert_eq!(vendor.last().header("x-trace"), Some("a   b"));
}

/// The vendors' checks are real: the same calls signed with another secret are refused.
#[test]
fn the_vendors_refuse_a_signature_made_with_the_wrong_secret() {
    let vendor = verifying(check_oauth1);
    let p = oauth1_project(&vendor, "header", "");
    let instances = std::fs::read_to_string(p.path("instances.yaml")).expect("instances");
    p.instances(&instances.replace(TOKEN_SECRET, "another-secret"));
    let server = p.serve();
    let reply = server.call("GET", "/hubs/tasks/boards", "tok", None);
    assert_eq!(reply.status, 401, "{}", reply.body);

    let vendor = verifying(check_awsv4);
    let p = Project::new();
    p.element("lambda", AWS_ELEMENT);
    p.instances(&one_instance(
        "lambda",
        "tok",
        &format!(
            "      base.url: {}\n      aws.access.key: AKIDEXAMPLE\n      aws.secret.key: not-the-key\n      aws.region: eu-west-1\n      aws.service: execute-api",
            vendor.base
        ),
    ));
    let server = p.serve();
    let reply = server.call("GET", "/hubs/ai/items", "tok", None);
    assert_eq!(reply.status, 401, "{}", reply.body);
}
