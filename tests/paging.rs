//! Cloud Elements' paging end to end: page-number, page-0, offset and cursor vendors (a body
//! cursor, a header cursor, a `next` URL, a cursor a post hook sets), and a vendor that cannot
//! page (VENDOR_NOT_SUPPORTED). A caller that follows `Elements-Next-Page-Token` gets each of
//! the 57 records exactly once, and tokens only work where they were given.

mod support;

use std::collections::HashMap;

use serde_json::{json, Value};
use support::{MockVendor, Project, Recorded, Reply, Server};

const RECORDS: u64 = 57;

/// A query parameter of a recorded vendor request.
fn query(request: &Recorded, name: &str) -> Option<String> {
    url::form_urlencoded::parse(request.query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn number(request: &Recorded, name: &str) -> Option<u64> {
    query(request, name).and_then(|v| v.parse().ok())
}

/// Records `from..to` (clamped) of the 57.
fn records(from: u64, to: u64) -> Value {
    let ids: Vec<Value> = (from..to.min(RECORDS))
        .map(|i| json!({"id": i, "name": format!("record {i}")}))
        .collect();
    Value::Array(ids)
}

/// An element with one paged resource, its vendor at `vendor`, and two instances.
fn project(vendor: &MockVendor, configuration: &str, resource: &str) -> Project {
    let p = Project::new();
    p.element(
        "pager",
        &format!(
            "key: pager\nhub: general\nconfiguration:\n  - key: base.url\n    type: TEXTFIELD_1000\n{configuration}\nresources:\n{resource}"
        ),
    );
    p.instances(&format!(
        "instances:\n  - id: 1\n    name: one\n    element: pager\n    token: one\n    configuration:\n      base.url: {base}\n  - id: 2\n    name: two\n    element: pager\n    token: two\n    configuration:\n      base.url: {base}\n",
        base = vendor.base
    ));
    p
}

fn configuration(kind: &str, max: &str) -> String {
    format!(
        "  - key: pagination.type\n    type: TEXTFIELD_32\n    defaultValue: \"{kind}\"\n  - key: pagination.max\n    type: TEXTFIELD_32\n    defaultValue: '{max}'\n"
    )
}

/// Follow the next-page tokens from `path` (which carries pageSize) to the end: the ids in
/// order, and the number of pages.
fn follow(server: &Server, path: &str) -> (Vec<u64>, usize) {
    let mut ids = Vec::new();
    let mut next: Option<String> = None;
    for pages in 1..=40 {
        let url = match &next {
            None => path.to_string(),
            Some(token) => format!("{path}&nextPage={token}"),
        };
        let answer = server.call("GET", &url, "one", None);
        assert_eq!(answer.status, 200, "{url}: {}", answer.body);
        let body = answer.body_json();
        let page: Vec<u64> = body
            .as_array()
            .map(|items| items.iter().filter_map(|r| r["id"].as_u64()).collect())
            .unwrap_or_default();
        assert_eq!(
            answer.header_value("elements-returned-count"),
            Some(page.len().to_string().as_str()),
            "page {pages}"
        );
        assert!(page.len() <= 7, "page {pages} has {} records", page.len());
        ids.extend(page);
        match answer.header_value("elements-next-page-token") {
            Some(token) => next = Some(token.to_string()),
            None => return (ids, pages),
        }
    }
    panic!("the pages never ended: {ids:?}");
}

/// The record ids of an answer's body.
fn ids_of(answer: &Reply) -> Vec<u64> {
    answer
        .body_json()
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_u64())
        .collect()
}

fn all() -> Vec<u64> {
    (0..RECORDS).collect()
}

const PAGE_RESOURCE: &str = "  - method: GET\n    path: /hubs/general/things\n    vendorPath: /things\n    rootKey: items\n    parameters:\n      - {name: page, type: query, vendorName: page, vendorType: query}\n      - {name: pageSize, type: query, vendorName: per_page, vendorType: query}\n  - method: GET\n    path: /hubs/general/others\n    vendorPath: /things\n    rootKey: items\n    parameters:\n      - {name: page, type: query, vendorName: page, vendorType: query}\n      - {name: pageSize, type: query, vendorName: per_page, vendorType: query}\n";

/// A vendor numbering pages from `start`.
fn page_vendor(start: u64) -> MockVendor {
    MockVendor::start(move |r| {
        let size = number(r, "per_page").unwrap_or(10);
        let page = number(r, "page").unwrap_or(start);
        let from = (page - start) * size;
        Reply::json(200, json!({"items": records(from, from + size)}))
    })
}

#[test]
fn a_page_numbered_vendor_is_followed_to_the_end_and_pages_by_number_agree() {
    let vendor = page_vendor(1);
    let p = project(&vendor, &configuration("page", "100"), PAGE_RESOURCE);
    let server = p.serve();

    let (ids, pages) = follow(&server, "/hubs/general/things?pageSize=7");
    assert_eq!(ids, all());
    assert_eq!(pages, 9, "8 full pages and 1 record");
    let asked: Vec<Option<u64>> = vendor
        .requests()
        .iter()
        .map(|r| number(r, "page"))
        .collect();
    assert_eq!(asked, (1..=9).map(Some).collect::<Vec<_>>());

    let third = server.call("GET", "/hubs/general/things?page=3&pageSize=7", "one", None);
    let ids = ids_of(&third);
    assert_eq!(ids, (14..21).collect::<Vec<_>>());
}

#[test]
fn page_zero_vendors_and_the_max_page_size() {
    let vendor = page_vendor(0);
    let p = project(&vendor, &configuration("page 0", "5"), PAGE_RESOURCE);
    let server = p.serve();
    let first = server.call("GET", "/hubs/general/things?pageSize=7", "one", None);
    let sent = vendor.last();
    assert_eq!(number(&sent, "page"), Some(0));
    assert_eq!(
        number(&sent, "per_page"),
        Some(5),
        "pagination.max caps pageSize"
    );
    assert_eq!(first.header_value("elements-returned-count"), Some("5"));
    let token = first
        .header_value("elements-next-page-token")
        .map(str::to_string);
    let second = server.call(
        "GET",
        &format!(
            "/hubs/general/things?pageSize=7&nextPage={}",
            token.unwrap_or_default()
        ),
        "one",
        None,
    );
    assert_eq!(second.status, 200);
    assert_eq!(number(&vendor.last(), "page"), Some(1));
}

#[test]
fn a_token_works_only_for_its_instance_and_resource() {
    let vendor = page_vendor(1);
    let p = project(&vendor, &configuration("page", "100"), PAGE_RESOURCE);
    let server = p.serve();
    let first = server.call("GET", "/hubs/general/things?pageSize=7", "one", None);
    let token = first
        .header_value("elements-next-page-token")
        .unwrap_or_default()
        .to_string();
    assert!(!token.is_empty());

    let cases = [
        ("one", format!("/hubs/general/others?nextPage={token}")),
        ("two", format!("/hubs/general/things?nextPage={token}")),
        (
            "one",
            format!(
                "/hubs/general/things?nextPage={}x",
                &token[..token.len() - 1]
            ),
        ),
        (
            "one",
            "/hubs/general/things?nextPage=not-a-token".to_string(),
        ),
    ];
    for (instance, url) in cases {
        let answer = server.call("GET", &url, instance, None);
        assert_eq!(answer.status, 400, "{instance} {url}");
        assert!(answer.body.contains("nextPage"), "{}", answer.body);
    }
    let bad = server.call("GET", "/hubs/general/things?pageSize=-1", "one", None);
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("pageSize"), "{}", bad.body);
}

#[test]
fn an_offset_vendor_with_a_total_count() {
    let vendor = MockVendor::start(|r| {
        let limit = number(r, "limit").unwrap_or(10);
        let offset = number(r, "offset").unwrap_or(0);
        Reply::json(200, records(offset, offset + limit)).header("X-Total-Count", "57")
    });
    let resource = "  - method: GET\n    path: /hubs/general/things\n    vendorPath: /things\n    parameters:\n      - {name: page, type: query, vendorName: offset, vendorType: query}\n      - {name: pageSize, type: query, vendorName: limit, vendorType: query}\n";
    let p = project(&vendor, &configuration("offset", "100"), resource);
    let server = p.serve();

    let (ids, pages) = follow(&server, "/hubs/general/things?pageSize=7");
    assert_eq!(ids, all());
    assert_eq!(pages, 9);
    let offsets: Vec<Option<u64>> = vendor
        .requests()
        .iter()
        .map(|r| number(r, "offset"))
        .collect();
    assert_eq!(offsets, (0..9).map(|i| Some(i * 7)).collect::<Vec<_>>());
    let answer = server.call(
        "GET",
        "/hubs/general/things?page=2&pageSize=10",
        "one",
        None,
    );
    assert_eq!(answer.header_value("elements-total-count"), Some("57"));
    assert_eq!(number(&vendor.last(), "offset"), Some(10));
}

/// How a cursor vendor answers a page of records and the next cursor.
type CursorReply = fn(Value, Option<String>) -> Reply;

/// A cursor vendor: the cursor for `after` is `c<n>`, handed out by `reply`.
fn cursor_vendor(reply: CursorReply) -> MockVendor {
    MockVendor::start(move |r| {
        let size = number(r, "limit").unwrap_or(10);
        let from = query(r, "cursor")
            .or_else(|| r.header("x-cursor").map(str::to_string))
            .and_then(|c| c.strip_prefix('c').and_then(|n| n.parse().ok()))
            .unwrap_or(0);
        let to = from + size;
        let next = (to < RECORDS).then(|| format!("c{to}"));
        reply(records(from, to), next)
    })
}

fn cursor_resource(next_page_key: &str, cursor_side: &str) -> String {
    format!("  - method: GET\n    path: /hubs/general/things\n    vendorPath: /things\n    rootKey: data\n    nextPageKey: \"{next_page_key}\"\n    parameters:\n      - {{name: nextPage, type: query, vendorName: {cursor_side}}}\n      - {{name: pageSize, type: query, vendorName: limit, vendorType: query}}\n")
}

#[test]
fn cursor_vendors_in_the_body_in_a_header_and_in_a_next_url() {
    let cases: [(&str, &str, CursorReply); 3] = [
        ("data.nextId", "cursor, vendorType: query", |data, next| {
            Reply::json(200, json!({"data": data, "nextId": next}))
        }),
        (
            "header.vsts-page-token",
            "x-cursor, vendorType: header",
            |data, next| {
                let reply = Reply::json(200, json!({"data": data}));
                match next {
                    Some(next) => reply.header("vsts-page-token", &next),
                    None => reply,
                }
            },
        ),
        (
            "body.page.next?cursor",
            "cursor, vendorType: query",
            |data, next| {
                let url = next.map(|c| format!("https://vendor.example/things?cursor={c}&limit=7"));
                Reply::json(200, json!({"data": data, "page": {"next": url}}))
            },
        ),
    ];
    for (key, side, reply) in cases {
        let vendor = cursor_vendor(reply);
        let p = project(
            &vendor,
            &configuration("cursor", "100"),
            &cursor_resource(key, side),
        );
        let server = p.serve();
        let (ids, pages) = follow(&server, "/hubs/general/things?pageSize=7");
        assert_eq!(ids, all(), "{key}");
        assert_eq!(pages, 9, "{key}");
        let jump = server.call("GET", "/hubs/general/things?page=3", "one", None);
        assert_eq!(
            jump.status, 400,
            "{key}: a cursor vendor cannot jump to page 3"
        );
    }
}

#[test]
fn a_post_hook_sets_the_next_page_and_the_pre_hook_reads_it_back() {
    // The pattern Cloud Elements documents for non-standard cursors: the post hook puts the
    // vendor's paging state in elements-next-page-token, the pre hook decodes nextPage.
    let vendor = MockVendor::start(|r| {
        let start = number(r, "start").unwrap_or(1);
        let batch = number(r, "batch").unwrap_or(10);
        let from = start - 1;
        let more = from + batch < RECORDS;
        let next = more.then(|| json!({"batch": batch, "start": start + batch}));
        Reply::json(
            200,
            json!({"result": {"records": records(from, from + batch), "page": {"next": next}}}),
        )
    });
    let resource = r#"  - method: GET
    path: /hubs/general/things
    vendorPath: /things
    rootKey: result.records
    nextPageKey: elements-next-page-token
    parameters:
      - {name: pageSize, type: query, vendorName: batch, vendorType: query}
      - {name: nextPage, type: query, vendorName: nextPage, vendorType: no-op}
    hooks:
      - type: preRequest
        body: |
          if (request_parameters.nextPage) {
            const next = JSON.parse(CE.decode64(request_parameters.nextPage));
            done({request_vendor_parameters: {start: next.start, batch: next.batch}});
          }
          done({request_vendor_parameters: {start: 1}});
      - type: postRequest
        body: |
          const next = response_body_raw_map.result.page.next;
          const headers = {};
          if (next) headers['elements-next-page-token'] = CE.b64(JSON.stringify(next));
          done({response_headers: headers});
"#;
    let p = project(&vendor, &configuration("cursor", "100"), resource);
    let server = p.serve();
    let (ids, pages) = follow(&server, "/hubs/general/things?pageSize=7");
    assert_eq!(ids, all());
    assert_eq!(pages, 9);
}

#[test]
fn vendor_not_supported_is_paged_by_elemental() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"Data": records(0, RECORDS)})));
    let resource = "  - method: GET\n    path: /hubs/general/things\n    vendorPath: /things\n    rootKey: Data\n    paginationType: VENDOR_NOT_SUPPORTED\n    parameters:\n      - {name: nextPage, type: query, vendorName: nextPage, vendorType: no-op}\n      - {name: pageSize, type: query, vendorName: pageSize, vendorType: no-op}\n";
    let p = project(&vendor, &configuration("cursor", "100"), resource);
    let server = p.serve();
    let (ids, pages) = follow(&server, "/hubs/general/things?pageSize=7");
    assert_eq!(ids, all());
    assert_eq!(pages, 9);
    assert!(
        vendor.requests().iter().all(|r| r.query.is_empty()),
        "the vendor is asked for no page"
    );
    let fifth = server.call("GET", "/hubs/general/things?page=5&pageSize=7", "one", None);
    assert_eq!(fifth.header_value("elements-total-count"), Some("57"));
    let ids = ids_of(&fifth);
    assert_eq!(ids, (28..35).collect::<Vec<_>>());
}

#[test]
fn a_pre_hook_sees_the_page_and_can_rewrite_what_the_vendor_gets() {
    let vendor = page_vendor(1);
    let resource = r#"  - method: GET
    path: /hubs/general/things
    vendorPath: /things
    rootKey: items
    parameters:
      - {name: page, type: query, vendorName: page, vendorType: query}
      - {name: pageSize, type: query, vendorName: per_page, vendorType: query}
    hooks:
      - type: preRequest
        body: |
          done({request_vendor_parameters: {
            seen: request_parameters.page + '/' + request_parameters.pageSize + '/' + request_vendor_parameters.page,
            per_page: Number(request_parameters.pageSize) + 1
          }});
"#;
    let p = project(&vendor, &configuration("page", "100"), resource);
    let server = p.serve();
    let answer = server.call("GET", "/hubs/general/things?page=2&pageSize=7", "one", None);
    assert_eq!(answer.status, 200);
    let sent = vendor.last();
    assert_eq!(query(&sent, "seen").as_deref(), Some("2/7/2"));
    assert_eq!(number(&sent, "per_page"), Some(8));
    // Without a pageSize the element's default (pagination.max here) is asked for.
    server.call("GET", "/hubs/general/things", "one", None);
    assert_eq!(query(&vendor.last(), "seen").as_deref(), Some("1/100/1"));
}

#[test]
fn a_two_resource_chain_passes_the_previous_answer_on() {
    let vendor = MockVendor::start(|r| match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/surveys") => {
            Reply::json(201, json!({"id": "s-9", "title": "Q"})).header("X-Request", "a1")
        }
        ("POST", "/surveys/s-9/collectors") => {
            Reply::json(200, json!({"collector": 4, "sent": r.json()}))
        }
        _ => Reply::json(404, json!({"error": r.path})),
    });
    let resources = r#"  - method: POST
    path: /hubs/general/surveys
    vendorPath: /surveys
    nextResource: "POST:/hubs/general/weblink"
  - method: POST
    path: /hubs/general/weblink
    type: apiNoDocumentation
    vendorPath: /surveys/{surveyId}/collectors
    parameters:
      - {name: id, type: prevBodyField, vendorName: surveyId, vendorType: path}
      - {name: title, type: prevBodyField, vendorName: name, vendorType: bodyField}
    hooks:
      - type: postRequest
        body: |
          done({response_body: {
            collector: response_body.collector,
            sent: response_body.sent,
            survey: request_previous_response.id,
            header: request_previous_response_headers['x-request']
          }});
"#;
    let p = project(&vendor, "", resources);
    let server = p.serve();
    let answer = server.call(
        "POST",
        "/hubs/general/surveys",
        "one",
        Some(r#"{"title": "Q"}"#),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.body_json(),
        json!({"collector": 4, "sent": {"title": "Q", "name": "Q"}, "survey": "s-9", "header": "a1"})
    );
    let paths: Vec<String> = vendor.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/surveys", "/surveys/s-9/collectors"]);
}

#[test]
fn a_chain_stops_at_an_error_and_a_loop_does_not_load() {
    let vendor = MockVendor::start(|_| Reply::json(422, json!({"error": "no"})));
    let resources = "  - method: POST\n    path: /hubs/general/a\n    vendorPath: /a\n    nextResource: \"POST:/hubs/general/b\"\n  - method: POST\n    path: /hubs/general/b\n    vendorPath: /b\n";
    let p = project(&vendor, "", resources);
    let server = p.serve();
    let answer = server.call("POST", "/hubs/general/a", "one", Some("{}"));
    assert_eq!(answer.status, 422);
    assert_eq!(vendor.requests().len(), 1, "b never runs");
    drop(server);

    let looped = "  - method: POST\n    path: /hubs/general/a\n    vendorPath: /a\n    nextResource: \"POST:/hubs/general/b\"\n  - method: POST\n    path: /hubs/general/b\n    vendorPath: /b\n    nextResource: \"POST:/hubs/general/a\"\n";
    let p = project(&vendor, "", looped);
    let (_, diagnostics) = elemental::element::load_dir(&p.path("elements"));
    let errors: HashMap<String, bool> = diagnostics
        .iter()
        .map(|d| (d.to_string(), d.warning))
        .collect();
    assert!(
        errors.iter().any(|(text, warning)| !warning && text.contains("nextResource chain loops: POST:/hubs/general/a → POST:/hubs/general/b → POST:/hubs/general/a")),
        "{errors:?}"
    );
}

#[test]
fn the_real_pinterest_export_follows_the_next_url_cursor() {
    // tests/fixtures/ce-exports/pinterest: cursor paging, nextPageKey body.page.next?cursor,
    // caller nextPage → vendor cursor, pageSize → limit, rootKey data, as published.
    let vendor = MockVendor::start(|r| {
        let limit = number(r, "limit").unwrap_or(25);
        let from = query(r, "cursor")
            .and_then(|c| c.strip_prefix("Pz").and_then(|n| n.parse().ok()))
            .unwrap_or(0);
        let to = from + limit;
        let next = (to < RECORDS).then(|| {
            format!(
                "https://api.pinterest.com/v1/me/pins/?access_token=t&limit={limit}&cursor=Pz{to}"
            )
        });
        let cursor = (to < RECORDS).then(|| format!("Pz{to}"));
        Reply::json(
            200,
            json!({"data": records(from, to), "page": {"cursor": cursor, "next": next}}),
        )
    });
    let p = Project::new();
    support::copy_dir(
        std::path::Path::new("tests/fixtures/ce-exports/pinterest"),
        &p.path("elements/pinterest"),
    );
    p.instances(&support::one_instance(
        "pinterest",
        "pins",
        &format!(
            "      base.url: {}\n      oauth.user.token: t\n      oauth.api.key: k\n      oauth.api.secret: s",
            vendor.base
        ),
    ));
    let server = p.serve();
    let mut ids = Vec::new();
    let mut next = String::new();
    for _ in 0..20 {
        let answer = server.call(
            "GET",
            &format!("/hubs/general/pins?pageSize=7{next}"),
            "pins",
            None,
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        ids.extend(
            answer
                .body_json()
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["id"].as_u64()),
        );
        match answer.header_value("elements-next-page-token") {
            Some(token) => next = format!("&nextPage={token}"),
            None => break,
        }
    }
    assert_eq!(ids, all());
    let sent = vendor.requests();
    assert_eq!(sent.len(), 9);
    assert_eq!(query(&sent[1], "cursor").as_deref(), Some("Pz7"));
    assert_eq!(query(&sent[1], "access_token").as_deref(), Some("t"));
}

#[test]
fn the_real_dayforce_export_pages_a_vendor_that_cannot() {
    // tests/fixtures/ce-exports/dayforcehcm: GET /hubs/humancapital/employees is
    // VENDOR_NOT_SUPPORTED (rootKey Data, nextPage and pageSize no-op), as published.
    let vendor = MockVendor::start(|r| match r.path.as_str() {
        "/Employees" => {
            let people: Vec<Value> = (0..RECORDS)
                .map(|i| json!({"id": i, "XRefCode": format!("E{i}")}))
                .collect();
            Reply::json(200, json!({"Data": people}))
        }
        _ => Reply::json(404, json!({})),
    });
    let p = Project::new();
    support::copy_dir(
        std::path::Path::new("tests/fixtures/ce-exports/dayforcehcm"),
        &p.path("elements/dayforcehcm"),
    );
    p.instances(&support::one_instance(
        "dayforcehcm",
        "one",
        &format!(
            "      base.url: {}\n      username: u\n      password: p",
            vendor.base
        ),
    ));
    let server = p.serve();
    let (ids, pages) = follow(&server, "/hubs/humancapital/employees?pageSize=7");
    assert_eq!(ids, all());
    assert_eq!(pages, 9);
    let sent = vendor.last();
    assert_eq!(sent.query, "", "the vendor is asked for everything");
    assert!(sent
        .header("authorization")
        .is_some_and(|a| a.starts_with("Basic ")));
}
