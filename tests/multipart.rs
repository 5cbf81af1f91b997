//! Parameter type `multipart`: caller multipart/form-data requests through real Cloud Elements
//! exports (tests/fixtures/ce-exports) to a mock vendor, files passed on byte for byte.

mod support;

use std::path::Path;

use bytes::Bytes;
use elemental::multipart::{self, Part};
use serde_json::{json, Value};
use support::{copy_dir, one_instance, MockVendor, Project, Reply, Server};

/// Binary file content with CRLFs, NULs, invalid UTF-8 and lines that look like boundaries.
const FILE: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\xff\xfe--\r\n--elemental-0000\r\n--caller-boundar\r\n\r\n--\x00end--";

const CALLER_BOUNDARY: &str = "caller-boundary";

/// A project with one copied export and its instance's configuration lines.
fn project(export: &str, configuration: &str) -> Project {
    let p = Project::new();
    copy_dir(
        &Path::new("tests/fixtures/ce-exports").join(export),
        &p.path(&format!("elements/{export}")),
    );
    p.instances(&one_instance(export, "tok", configuration));
    p
}

/// A caller form: text fields and one file, as a browser frames them (quoted boundary).
fn form(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let mut body = b"preamble, ignored\r\n".to_vec();
    for (name, value) in fields {
        body.extend(format!("--{CALLER_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes());
    }
    if let Some((name, content_type, data)) = file {
        body.extend(format!("--{CALLER_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"photo.png\"\r\nContent-Type: {content_type}\r\n\r\n").bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend(format!("--{CALLER_BOUNDARY}--\r\n").bytes());
    (
        format!("multipart/form-data; boundary=\"{CALLER_BOUNDARY}\""),
        body,
    )
}

/// POST a binary body to an element route; the status and the response as JSON.
fn post(server: &Server, path: &str, content_type: &str, body: &[u8]) -> (u16, Value) {
    let url = format!("{}/elements/api-v2{path}", server.base);
    let headers = [
        ("Authorization", "Element tok"),
        ("Content-Type", content_type),
    ];
    let reply = support::http_bytes("POST", &url, &headers, body);
    (
        reply.status,
        serde_json::from_str(&reply.body).unwrap_or(Value::Null),
    )
}

fn ok_vendor() -> MockVendor {
    MockVendor::start(|_| Reply::json(200, json!({"id": 7})))
}

#[test]
fn a_file_with_text_fields_reaches_the_vendor_as_multipart_parts_byte_for_byte() {
    // knowledgeowl POST /hubs/general/files: file multipart → multipart, project_id and name
    // query → form (here sent as the caller's form fields), Content-Type: multipart/form-data.
    let vendor = ok_vendor();
    let p = project(
        "knowledgeowl",
        &format!(
            "      base.url: {}/api/head\n      username: u\n      password: p",
            vendor.base
        ),
    );
    let server = p.serve();
    let (content_type, body) = form(
        &[("project_id", "p-1"), ("name", "Quarterly report")],
        Some(("file", "image/png", FILE)),
    );
    let (status, answer) = post(&server, "/hubs/general/files", &content_type, &body);
    assert_eq!((status, answer), (200, json!({"id": 7})));

    let seen = vendor.last();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/api/head/file.json")
    );
    let sent_type = seen.header("content-type").expect("a Content-Type");
    let boundary = multipart::boundary(sent_type).expect("the generated boundary is declared");
    assert!(multipart::is_form_data(sent_type));
    assert!(!FILE
        .windows(boundary.len())
        .any(|w| w == boundary.as_bytes()));
    let parts = multipart::parse(&Bytes::from(seen.raw.clone()), sent_type).expect("parses");
    assert_eq!(
        parts,
        vec![
            Part {
                name: "file".into(),
                filename: Some("photo.png".into()),
                content_type: Some("image/png".into()),
                data: Bytes::from_static(FILE),
            },
            Part::text("project_id", "p-1"),
            Part::text("name", "Quarterly report"),
        ]
    );
    assert_eq!(seen.header("authorization"), Some("Basic dTpw"));
}

#[test]
fn multipart_to_body_sends_the_file_alone_with_its_content_type() {
    // sendgridv3 POST /hubs/messaging/send/attachment: file multipart → body.
    let vendor = ok_vendor();
    let p = project(
        "sendgridv3",
        &format!("      base.url: {}/v3\n      api.key: k", vendor.base),
    );
    let server = p.serve();
    let (content_type, body) = form(&[], Some(("file", "image/png", FILE)));
    let (status, _) = post(
        &server,
        "/hubs/messaging/send/attachment",
        &content_type,
        &body,
    );
    assert_eq!(status, 200);
    let seen = vendor.last();
    assert_eq!(seen.path, "/v3/mail/send");
    assert_eq!(seen.raw, FILE);
    assert_eq!(seen.header("content-type"), Some("image/png"));
    assert_eq!(seen.header("authorization"), Some("Bearer k"));
}

#[test]
fn hooks_see_a_multipart_to_body_file_as_cloud_elements_showed_it() {
    // sapanywhere POST /hubs/ecommerce/customers/{id}/attachments: its own preRequest hook
    // reads request_vendor_body's body/name/size/type and sends JSON instead.
    let vendor = MockVendor::start(|_| Reply::json(200, json!(42)));
    let p = project(
        "sapanywhere",
        &format!(
            "      base.url: {}/v1/\n      oauth.user.token: t\n      oauth.api.key: k\n      oauth.api.secret: s",
            vendor.base
        ),
    );
    let server = p.serve();
    let (content_type, body) = form(&[], Some(("file", "image/png", FILE)));
    let (status, answer) = post(
        &server,
        "/hubs/ecommerce/customers/5/attachments",
        &content_type,
        &body,
    );
    assert_eq!((status, answer), (200, json!({"id": 42})));
    let seen = vendor.last();
    assert_eq!(seen.path, "/v1/Customers/5/Attachments");
    use base64::Engine as _;
    assert_eq!(
        seen.json(),
        json!({
            "content": base64::engine::general_purpose::STANDARD.encode(FILE),
            "name": "photo.png",
            "size": FILE.len(),
            "mimeType": "image/png",
        })
    );
}

#[test]
fn a_malformed_multipart_body_is_a_400_that_says_why() {
    let vendor = ok_vendor();
    let p = project(
        "knowledgeowl",
        &format!(
            "      base.url: {}\n      username: u\n      password: p",
            vendor.base
        ),
    );
    let server = p.serve();
    let (content_type, body) = form(&[("name", "x")], Some(("file", "image/png", FILE)));
    let truncated = &body[..body.len() - 30];
    let (status, answer) = post(&server, "/hubs/general/files", &content_type, truncated);
    assert_eq!(status, 400);
    assert_eq!(
        answer["message"],
        json!("malformed multipart/form-data body: multipart part 2 is not closed by the boundary (truncated body?)")
    );
    let (status, answer) = post(&server, "/hubs/general/files", "multipart/form-data", &body);
    assert_eq!(status, 400);
    assert_eq!(
        answer["message"],
        json!("malformed multipart/form-data body: the multipart/form-data Content-Type has no boundary parameter")
    );
    assert!(vendor.requests().is_empty());
}

#[test]
fn hooks_see_a_multipart_request_as_its_text_fields_in_request_parameters() {
    let vendor = ok_vendor();
    let p = Project::new();
    p.element(
        "files",
        "key: files\nname: Files\nauthentication:\n  type: custom\nconfiguration:\n  - key: base.url\n    type: TEXTFIELD_1000\nresources:\n  - method: POST\n    path: /hubs/general/files\n    vendorPath: /files\n    hooks:\n      - type: preRequest\n        body: |\n          done({request_vendor_body: {body: request_body, map: request_body_map, parameters: request_parameters}});\n",
    );
    p.instances(&one_instance(
        "files",
        "tok",
        &format!("      base.url: {}", vendor.base),
    ));
    let server = p.serve();
    let (content_type, body) = form(&[("note", "hi")], Some(("file", "image/png", FILE)));
    let (status, _) = post(&server, "/hubs/general/files?tag=a", &content_type, &body);
    assert_eq!(status, 200);
    assert_eq!(
        vendor.last().json(),
        json!({"body": null, "map": null, "parameters": {"tag": "a", "note": "hi"}})
    );
}

#[test]
#[ignore = "measurement, not a check"]
fn measure_a_large_upload() {
    let vendor = ok_vendor();
    let p = project(
        "knowledgeowl",
        &format!(
            "      base.url: {}\n      username: u\n      password: p",
            vendor.base
        ),
    );
    let server = p.serve();
    let file: Vec<u8> = (0..9 * 1024 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    let (content_type, body) = form(&[("name", "big")], Some(("file", "image/png", &file)));
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let (status, _) = post(&server, "/hubs/general/files", &content_type, &body);
        eprintln!("{} bytes: {status} in {:?}", body.len(), started.elapsed());
    }
    let parts = multipart::parse(
        &Bytes::from(vendor.last().raw.clone()),
        vendor.last().header("content-type").unwrap_or_default(),
    )
    .expect("parses");
    assert_eq!(parts[0].data.as_ref(), file.as_slice());
}
