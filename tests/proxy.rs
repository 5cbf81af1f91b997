//! The request pipeline end to end: a real server on port 0 in front of a recording mock vendor.

mod support;

use serde_json::json;
use support::{http, one_instance, MockVendor, Project, Reply};

/// An element whose `base.url` is the mock vendor, with the given global hooks and resources.
fn project(
    vendor: &MockVendor,
    global_hooks: &str,
    resources: &str,
    extra_config: &str,
) -> Project {
    let p = Project::new();
    p.element(
        "crm",
        &format!(
            "key: crm\nname: CRM\nauthentication:\n  type: custom\nconfiguration:\n  - key: base.url\n    type: TEXTFIELD_1000\n    required: true\n  - key: contact.emailupsert\n    type: BOOLEAN\n  - key: secret\n    type: PASSWORD\nhooks:\n{global_hooks}\nresources:\n{resources}\n"
        ),
    );
    p.instances(&one_instance(
        "crm",
        "tok",
        &format!("      base.url: {}/v1\n{extra_config}", vendor.base),
    ));
    p
}

fn ok_vendor() -> MockVendor {
    MockVendor::start(|_| Reply::json(200, json!({"ok": true})))
}

const CONTACTS: &str = "  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n  - method: POST\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n  - method: DELETE\n    path: /hubs/crm/contacts/{id}\n    vendorPath: /contacts/{id}\n";

#[test]
fn a_request_without_hooks_is_proxied_with_defaults() {
    let vendor = MockVendor::start(|_| {
        Reply::json(200, json!({"id": 1}))
            .header("X-Vendor", "yes")
            .header("Connection", "keep-alive")
    });
    let p = project(&vendor, "  []", CONTACTS, "");
    let server = p.serve();
    let reply = server.call("GET", "/hubs/crm/contacts", "tok", None);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body_json(), json!({"id": 1}));
    assert_eq!(reply.header_value("x-vendor"), Some("yes"));
    assert!(reply
        .header_value("elements-request-id")
        .is_some_and(|id| id.len() == 24));
    let seen = vendor.last();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/v1/contacts")
    );
    assert_eq!(seen.header("accept"), Some("application/json"));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    // The caller's credentials are ours, never the vendor's.
    assert_eq!(seen.header("authorization"), None);
}

#[test]
fn unknown_or_missing_tokens_get_401_in_the_error_shape() {
    let vendor = ok_vendor();
    let p = project(&vendor, "  []", CONTACTS, "");
    let server = p.serve();
    let reply = server.call("GET", "/hubs/crm/contacts", "wrong", None);
    assert_eq!(reply.status, 401);
    let body = reply.body_json();
    assert_eq!(body["message"], json!("unknown element token"));
    assert_eq!(
        body["requestId"].as_str(),
        reply.header_value("elements-request-id")
    );
    let reply = support::http(
        "GET",
        &format!("{}/elements/api-v2/hubs/crm/contacts", server.base),
        &[],
        None,
    );
    assert_eq!(reply.status, 401);
    // The Cloud Elements form is accepted too.
    let reply = support::http(
        "GET",
        &format!("{}/elements/api-v2/hubs/crm/contacts", server.base),
        &[("Authorization", "User u, Organization o, Element tok")],
        None,
    );
    assert_eq!(reply.status, 200);
    assert_eq!(vendor.requests().len(), 1);
}

#[test]
fn unknown_paths_and_methods_are_404_and_405() {
    let vendor = ok_vendor();
    let p = project(&vendor, "  []", CONTACTS, "");
    let server = p.serve();
    assert_eq!(
        server.call("GET", "/hubs/crm/nothing", "tok", None).status,
        404
    );
    let reply = server.call("PUT", "/hubs/crm/contacts", "tok", Some("{}"));
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header_value("allow"), Some("GET, POST"));
    assert!(vendor.requests().is_empty());
}

#[test]
fn documented_global_pre_request_hook_for_all_delete_methods() {
    // Cloud Elements' documented hook example "Global Pre-Request Hook for All Delete Methods",
    // unchanged.
    let hook = "  - type: preRequest\n    body: |\n      if(request_vendor_method === 'DELETE') {\n      request_vendor_headers[\"Content-Type\"] = \"*/*\";\n      done( {\n      \"request_vendor_headers\": request_vendor_headers\n      } );\n      }\n";
    let vendor = MockVendor::start(|_| Reply {
        status: 204,
        headers: vec![],
        body: String::new(),
        delay: None,
    });
    let p = project(&vendor, hook, CONTACTS, "");
    let server = p.serve();
    assert_eq!(
        server
            .call("DELETE", "/hubs/crm/contacts/42", "tok", None)
            .status,
        204
    );
    let seen = vendor.last();
    assert_eq!(seen.path, "/v1/contacts/42");
    assert_eq!(seen.header("content-type"), Some("*/*"));
    // Not a DELETE: the script never calls done(), so everything passes through unchanged.
    server.call("GET", "/hubs/crm/contacts", "tok", None);
    assert_eq!(
        vendor.last().header("content-type"),
        Some("application/json")
    );
}

#[test]
fn documented_pre_request_hook_using_element_configuration() {
    // Cloud Elements' documented hook example "Pre-Request Hook Using Element Configuration",
    // unchanged.
    let script = "var body = JSON.parse(request_vendor_body);\nvar contactEmailUpsert = configuration[\"contact.emailupsert\"];\nif(contactEmailUpsert === false) {\ndone();\n}\n//Updating the body field contact object with upsert=true\nbody[\"contact\"] = {\n\"upsert\": true\n};\n//Converting the object to string and returning\ndone( {\n\"request_vendor_body\": JSON.stringify(body),\n\"continue\": true\n} );\n";
    let resources = "  - method: POST\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n    hooks:\n      - type: preRequest\n        file: hooks/upsert.js\n";
    for (flag, expected) in [
        ("true", json!({"name": "Ada", "contact": {"upsert": true}})),
        ("false", json!({"name": "Ada"})),
    ] {
        let vendor = ok_vendor();
        let p = project(
            &vendor,
            "  []",
            resources,
            &format!("      contact.emailupsert: {flag}"),
        );
        p.write("elements/crm/hooks/upsert.js", script);
        let server = p.serve();
        assert_eq!(
            server
                .call(
                    "POST",
                    "/hubs/crm/contacts",
                    "tok",
                    Some(r#"{"name":"Ada"}"#)
                )
                .status,
            200
        );
        // With false, done() is called first and wins: the later done({...}) is ignored.
        assert_eq!(vendor.last().json(), expected, "emailupsert {flag}");
    }
}

#[test]
fn documented_post_response_hook_reading_response_headers() {
    // Cloud Elements' documented hook example "Post-Response Hook Reading Response Headers",
    // unchanged.
    let script = "if(response_headers === null\n|| !(response_status_code === 201\n|| response_status_code === 200)) {\ndone();\n}\n//Get the location string from headers\nvar location = response_headers[\"location\"];\nif(location === null) {\ndone();\n}\n//Extract just the id part from the location string\nlocation = location.replace(\"https://someurl/v1/contacts/\",\"\")\nlocation = location.replace(\".json\",\"\");\n//Construct the response body\nvar response = {\n\"id\": location\n};\n//return the response body\ndone( {\n\"response_body\": response\n} );\n";
    let resources = "  - method: POST\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n    hooks:\n      - type: postRequest\n        file: hooks/location.js\n";
    let vendor = MockVendor::start(|r| {
        if r.body.contains("fail") {
            Reply::json(500, json!({"error": "down"}))
        } else {
            Reply::json(201, json!({})).header("Location", "https://someurl/v1/contacts/123.json")
        }
    });
    let p = project(&vendor, "  []", resources, "");
    p.write("elements/crm/hooks/location.js", script);
    let server = p.serve();
    let reply = server.call("POST", "/hubs/crm/contacts", "tok", Some("{}"));
    assert_eq!(
        (reply.status, reply.body_json()),
        (201, json!({"id": "123"}))
    );
    // On a vendor error the script calls done() and then throws (no location): the first
    // done() wins, the exception is only logged, and the caller gets the vendor's error.
    let reply = server.call("POST", "/hubs/crm/contacts", "tok", Some(r#"{"fail":1}"#));
    assert_eq!(reply.status, 500);
    assert_eq!(
        reply.body_json()["providerMessage"],
        json!({"error": "down"})
    );
}

#[test]
fn documented_removing_headers() {
    // Cloud Elements' documented hook example "Removing Headers", with the page's elided `...`
    // line left out.
    let hook = "  - type: preRequest\n    body: |\n      let headers = {\n      \"Content-Type\": null\n      };\n      done({\n      \"request_vendor_headers\": headers\n      });\n";
    let vendor = ok_vendor();
    let p = project(&vendor, hook, CONTACTS, "");
    let server = p.serve();
    server.call("GET", "/hubs/crm/contacts", "tok", None);
    let seen = vendor.last();
    assert_eq!(seen.header("content-type"), None);
    assert_eq!(seen.header("accept"), Some("application/json"));
}

#[test]
fn documented_removing_headers_as_printed_is_a_syntax_error_with_its_position() {
    // The page prints `...` and `)};` inside the script: loading must say where.
    let hook = "  - type: preRequest\n    body: |\n      let headers = {\n      \"Content-Type\": null\n      };\n      done({\n      \"request_vendor_headers\": headers\n      ...\n      )};\n";
    let vendor = ok_vendor();
    let p = project(&vendor, hook, CONTACTS, "");
    let (_, _, diagnostics) = elemental::sources::load(&p.sources());
    let file = p.path("elements/crm/element.yaml").display().to_string();
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| !d.warning && d.file == file)
        .map(|d| d.to_string())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    // Script line 6 (`...`) is line 21 of the element file; the script is indented 6 columns.
    assert_eq!(
        errors[0],
        format!("{file}:21:7: global preRequest: SyntaxError: Unexpected token '...'")
    );
}

#[test]
fn global_then_resource_hooks_run_in_order_around_the_vendor() {
    let global = "  - type: preRequest\n    body: |\n      done({request_vendor_headers: {'X-Order': 'global'}});\n  - type: postRequest\n    body: |\n      done({response_body: {order: response_body.order.concat('global post')}});\n";
    let resources = "  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n    hooks:\n      - type: preRequest\n        body: |\n          done({request_vendor_headers: {'X-Order': request_vendor_headers['X-Order'] + ',resource'}});\n      - type: postRequest\n        body: |\n          done({response_body: {order: [response_body.seen, 'resource post']}});\n";
    let vendor = MockVendor::start(|r| Reply::json(200, json!({"seen": r.header("x-order")})));
    let p = project(&vendor, global, resources, "");
    let server = p.serve();
    let reply = server.call("GET", "/hubs/crm/contacts", "tok", None);
    assert_eq!(
        reply.body_json(),
        json!({"order": ["global,resource", "resource post", "global post"]})
    );
}

#[test]
fn continue_false_skips_the_vendor_but_runs_post_hooks() {
    let resources = "  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n    hooks:\n      - type: preRequest\n        body: |\n          done({continue: false, response_status_code: 202, response_body: {cached: true}, response_headers: {'X-Cache': 'hit'}});\n      - type: postRequest\n        body: |\n          done({response_body: {cached: response_body.cached, post: true, status: response_status_code}});\n";
    let vendor = ok_vendor();
    let p = project(&vendor, "  []", resources, "");
    let server = p.serve();
    let reply = server.call("GET", "/hubs/crm/contacts", "tok", None);
    assert_eq!(reply.status, 202);
    assert_eq!(
        reply.body_json(),
        json!({"cached": true, "post": true, "status": 202})
    );
    assert_eq!(reply.header_value("x-cache"), Some("hit"));
    assert!(
        vendor.requests().is_empty(),
        "the vendor must not be called"
    );
}

#[test]
fn first_done_wins_and_an_exception_after_it_is_not_fatal() {
    let hook = "  - type: preRequest\n    body: |\n      done({request_vendor_headers: {'X-First': '1'}});\n      done({request_vendor_headers: {'X-Second': '2'}});\n      throw new Error('after done');\n";
    let vendor = ok_vendor();
    let p = project(&vendor, hook, CONTACTS, "");
    let server = p.serve();
    assert_eq!(
        server.call("GET", "/hubs/crm/contacts", "tok", None).status,
        200
    );
    let seen = vendor.last();
    assert_eq!(seen.header("x-first"), Some("1"));
    assert_eq!(seen.header("x-second"), None);
}

#[test]
fn merge_adds_and_null_removes_headers_and_parameters() {
    let resources = "  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n    parameters:\n      - name: pageSize\n        type: query\n        vendorName: limit\n        vendorType: query\n      - name: cursor\n        type: query\n        vendorName: cursor\n        vendorType: query\n    hooks:\n      - type: preRequest\n        body: |\n          done({request_vendor_headers: {'accept': null, 'X-Added': 'a'}, request_vendor_parameters: {cursor: null, extra: 'e'}});\n";
    let vendor = ok_vendor();
    let p = project(&vendor, "  []", resources, "");
    let server = p.serve();
    server.call(
        "GET",
        "/hubs/crm/contacts?pageSize=5&cursor=abc&ignored=1",
        "tok",
        None,
    );
    let seen = vendor.last();
    assert_eq!(seen.header("accept"), None);
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.header("x-added"), Some("a"));
    assert_eq!(seen.query, "limit=5&extra=e");
}

#[test]
fn configuration_written_by_a_hook_persists_across_requests_and_restarts() {
    let hook = "  - type: postRequest\n    body: |\n      const n = Number(configuration['counter'] || '0') + 1;\n      done({configuration: {counter: String(n), 'oauth.user.token': response_body.token}, response_body: {counter: n, seen: configuration['oauth.user.token'] || null}});\n";
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"token": "fresh"})));
    let p = project(&vendor, hook, CONTACTS, "");
    let server = p.serve();
    assert_eq!(
        server
            .call("GET", "/hubs/crm/contacts", "tok", None)
            .body_json(),
        json!({"counter": 1, "seen": null})
    );
    assert_eq!(
        server
            .call("GET", "/hubs/crm/contacts", "tok", None)
            .body_json(),
        json!({"counter": 2, "seen": "fresh"})
    );
    server.stop();
    let server = p.serve();
    assert_eq!(
        server
            .call("GET", "/hubs/crm/contacts", "tok", None)
            .body_json(),
        json!({"counter": 3, "seen": "fresh"})
    );
}

#[test]
fn a_hook_that_throws_answers_500_naming_element_hook_and_line() {
    let resources = "  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n    hooks:\n      - type: postRequest\n        file: hooks/broken.js\n";
    let vendor = ok_vendor();
    let p = project(&vendor, "  []", resources, "");
    p.write("elements/crm/hooks/broken.js", "// maps the body\nconst body = response_body;\nconst x = body.missing.field;\ndone({response_body: x});\n");
    // By default the caller learns which hook failed and the request id, not the script's
    // insides (its path, line and JS message stay in the log and the debug trace).
    let server = p.serve();
    let reply = server.call("GET", "/hubs/crm/contacts", "tok", None);
    assert_eq!(reply.status, 500);
    let body = reply.body_json();
    let id = reply.header_value("elements-request-id").expect("id");
    assert_eq!(
        body["message"],
        json!(format!("element crm: resource postRequest GET /hubs/crm/contacts failed (TypeError); the server log has the details under request id {id}"))
    );
    assert!(!reply.body.contains("broken.js"), "{}", reply.body);
    server.stop();

    let server = p.serve_with(elemental::settings::Settings {
        expose_errors: true,
        ..Default::default()
    });
    let reply = server.call("GET", "/hubs/crm/contacts", "tok", None);
    assert_eq!(reply.status, 500);
    let message = reply.body_json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let file = p.path("elements/crm/hooks/broken.js").display().to_string();
    assert!(
        message
            .starts_with("element crm: resource postRequest GET /hubs/crm/contacts: TypeError: "),
        "{message}"
    );
    assert!(message.ends_with(&format!("at {file}:3:11")), "{message}");
    // The worker goes on serving.
    let p2 = project(&vendor, "  []", CONTACTS, "");
    drop(p2);
    assert_eq!(
        server.call("GET", "/hubs/crm/contacts", "tok", None).status,
        500
    );
}

#[test]
fn response_error_message_turns_the_answer_into_an_error() {
    let resources = "  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n    hooks:\n      - type: postRequest\n        body: |\n          done({response_error_message: 'no contacts for you', response_status_code: 403});\n";
    let vendor = ok_vendor();
    let p = project(&vendor, "  []", resources, "");
    let server = p.serve();
    let reply = server.call("GET", "/hubs/crm/contacts", "tok", None);
    assert_eq!(reply.status, 403);
    assert_eq!(reply.body_json()["message"], json!("no contacts for you"));
}

#[test]
fn ceql_where_reaches_hooks_and_bad_where_is_400_with_position() {
    let hook = "  - type: preRequest\n    body: |\n      done({request_vendor_parameters: {q: JSON.stringify(request_expression)}});\n";
    let resources = "  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n    parameters:\n      - name: where\n        type: query\n        vendorName: where\n        vendorType: no-op\n";
    let vendor = ok_vendor();
    let p = project(&vendor, hook, resources, "");
    let server = p.serve();
    server.call(
        "GET",
        "/hubs/crm/contacts?where=name%3D%27Ada%27%20AND%20age%3E30",
        "tok",
        None,
    );
    let query = vendor.last().query;
    assert!(
        query.starts_with("q=%5B%7B%22attribute%22%3A%22name%22"),
        "{query}"
    );
    let reply = server.call("GET", "/hubs/crm/contacts?where=name%20%3D", "tok", None);
    assert_eq!(reply.status, 400);
    let message = reply.body_json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("position 7"), "{message}");
}

#[test]
fn parameters_map_configuration_header_path_query_body_and_value() {
    let element = "key: params\nauthentication:\n  type: basic\nconfiguration:\n  - key: base.url\n  - key: username\n  - key: password\n    type: PASSWORD\n  - key: api.key\nparameters:\n  - name: api.key\n    type: configuration\n    vendorName: X-Api-Key\n    vendorType: header\n  - name: Key ${configuration.api.key}-CE.b64(${configuration.username})\n    type: value\n    vendorName: sig\n    vendorType: query\nresources:\n  - method: PUT\n    path: /hubs/x/things/{id}\n    vendorMethod: POST\n    vendorPath: /items/{itemId}/update\n    parameters:\n      - name: id\n        type: path\n        vendorName: itemId\n        vendorType: path\n      - name: X-Trace\n        type: header\n        vendorName: trace\n        vendorType: query\n      - name: mode\n        type: query\n        vendorName: X-Mode\n        vendorType: header\n      - name: label\n        type: bodyField\n        vendorName: title\n        vendorType: bodyField\n      - name: requiredOne\n        type: query\n        required: true\n";
    let vendor = ok_vendor();
    let p = Project::new();
    p.element("params", element);
    p.instances(&one_instance(
        "params",
        "tok",
        &format!(
            "      base.url: {}\n      username: ada\n      password: pw\n      api.key: K1",
            vendor.base
        ),
    ));
    let server = p.serve();
    let auth = "Element tok";
    let url = format!(
        "{}/elements/api-v2/hubs/x/things/a%20b?mode=fast&requiredOne=1",
        server.base
    );
    let reply = support::http(
        "PUT",
        &url,
        &[
            ("Authorization", auth),
            ("X-Trace", "t-1"),
            ("Connection", "close"),
            ("TE", "trailers"),
        ],
        Some(r#"{"label":"L","other":1}"#),
    );
    assert_eq!(reply.status, 200);
    let seen = vendor.last();
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/items/a%20b/update");
    assert_eq!(seen.header("x-api-key"), Some("K1"));
    assert_eq!(seen.header("x-mode"), Some("fast"));
    assert_eq!(seen.header("authorization"), Some("Basic YWRhOnB3"));
    assert_eq!(seen.header("te"), None);
    assert_eq!(seen.json(), json!({"label": "L", "other": 1, "title": "L"}));
    assert!(seen.query.contains("sig=Key+K1-YWRh"), "{}", seen.query);
    assert!(seen.query.contains("trace=t-1"), "{}", seen.query);
    // A required parameter the caller did not send is a 400 before any hook or vendor call.
    let url = format!("{}/elements/api-v2/hubs/x/things/1", server.base);
    let reply = support::http("PUT", &url, &[("Authorization", auth)], Some("{}"));
    assert_eq!(reply.status, 400);
    assert!(reply.body_json()["message"]
        .as_str()
        .unwrap_or_default()
        .contains("requiredOne"));
}

#[test]
fn oauth2_sends_the_bearer_token_from_configuration() {
    let element = "key: oa\nauthentication:\n  type: oauth2\nresources:\n  - method: GET\n    path: /me\n    vendorPath: /me\n";
    let vendor = ok_vendor();
    let p = Project::new();
    p.element("oa", element);
    p.instances(&one_instance(
        "oa",
        "tok",
        &format!(
            "      base.url: {}\n      oauth.user.token: T0K",
            vendor.base
        ),
    ));
    let server = p.serve();
    server.call("GET", "/me", "tok", None);
    assert_eq!(vendor.last().header("authorization"), Some("Bearer T0K"));
}

#[test]
fn vendor_faults_are_502_and_504() {
    // Nothing listens on a port we bound and released: connection refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .map(|l| l.local_addr().map(|a| a.port()))
        .ok()
        .and_then(Result::ok)
        .unwrap_or(9);
    let element = "key: f\nresources:\n  - method: GET\n    path: /x\n    vendorPath: /x\n";
    let p = Project::new();
    p.element("f", element);
    p.instances(&one_instance(
        "f",
        "tok",
        &format!("      base.url: http://127.0.0.1:{closed}"),
    ));
    let server = p.serve();
    let reply = server.call("GET", "/x", "tok", None);
    assert_eq!(reply.status, 502);
    assert!(reply.body_json()["message"]
        .as_str()
        .unwrap_or_default()
        .contains("could not reach the vendor"));
    drop(server);

    let slow = MockVendor::start(|_| Reply {
        delay: Some(std::time::Duration::from_secs(3)),
        ..Reply::json(200, json!({}))
    });
    let p = Project::new();
    p.element("f", element);
    p.instances(&one_instance(
        "f",
        "tok",
        &format!("      base.url: {}", slow.base),
    ));
    let mut settings = elemental::settings::Settings::default();
    settings.vendor_limits.total = std::time::Duration::from_millis(300);
    let server = p.serve_with(settings);
    let reply = server.call("GET", "/x", "tok", None);
    assert_eq!(reply.status, 504);
}

#[test]
fn a_busy_loop_hook_is_stopped_at_its_budget_with_504() {
    let hook = "  - type: preRequest\n    body: |\n      while (true) {}\n";
    let vendor = ok_vendor();
    let p = project(&vendor, hook, CONTACTS, "");
    let mut settings = elemental::settings::Settings::default();
    settings.hook_limits.time = std::time::Duration::from_millis(200);
    let server = p.serve_with(settings);
    let reply = server.call("GET", "/hubs/crm/contacts", "tok", None);
    assert_eq!(reply.status, 504);
    assert!(reply.body_json()["message"]
        .as_str()
        .unwrap_or_default()
        .contains("global preRequest: exceeded its time budget of 200 ms"));
    assert!(vendor.requests().is_empty());
}

#[test]
fn a_hook_waiting_on_a_timer_does_not_hold_up_other_requests_on_its_worker() {
    let resources = "  - method: GET\n    path: /slow\n    vendorPath: /slow\n    hooks:\n      - type: preRequest\n        body: |\n          setTimeout(() => done({request_vendor_headers: {'X-Waited': 'yes'}}), 800);\n  - method: GET\n    path: /fast\n    vendorPath: /fast\n";
    let vendor = ok_vendor();
    let p = project(&vendor, "  []", resources, "");
    let server = p.serve();
    let base = server.base.clone();
    // More slow requests than workers: if waiting blocked a worker, /fast would queue behind them.
    let slow: Vec<_> = (0..4)
        .map(|_| {
            let url = format!("{base}/elements/api-v2/slow");
            std::thread::spawn(move || {
                support::http("GET", &url, &[("Authorization", "Element tok")], None)
            })
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let started = std::time::Instant::now();
    assert_eq!(server.call("GET", "/fast", "tok", None).status, 200);
    let fast = started.elapsed();
    for handle in slow {
        assert_eq!(handle.join().expect("slow request").status, 200);
    }
    assert!(
        fast < std::time::Duration::from_millis(400),
        "the fast request waited {fast:?}"
    );
    assert_eq!(
        vendor
            .requests()
            .iter()
            .filter(|r| r.header("x-waited") == Some("yes"))
            .count(),
        4
    );
}

#[test]
fn response_parameters_map_vendor_headers_whether_or_not_a_hook_reads_the_response() {
    let vendor = MockVendor::start(|_| {
        Reply::json(200, json!({"id": 7, "cursor": "next-page"}))
            .header("X-Total-Count", "42")
            .header("X-Repeated", "a")
            .header("X-Repeated", "b")
    });
    // A header parameter alone leaves the response unread; a bodyField one or a post hook
    // reads it.
    let header = "    parameters:\n      - name: Elements-Total-Count\n        type: header\n        vendorName: X-Total-Count\n        vendorType: header\n        source: response\n";
    let field = "      - name: Elements-Next-Page-Token\n        type: header\n        vendorName: cursor\n        vendorType: bodyField\n        source: response\n";
    let resources = format!(
        "  - method: GET\n    path: /hubs/crm/plain\n    vendorPath: /contacts\n{header}  - method: GET\n    path: /hubs/crm/hooked\n    vendorPath: /contacts\n{header}{field}    hooks:\n      - type: postRequest\n        body: |\n          done({{ response_body: {{ seen: response_body.id }} }});\n"
    );
    let p = project(&vendor, "  []", &resources, "");
    let server = p.serve();
    for (path, body, token) in [
        (
            "/hubs/crm/plain",
            json!({"id": 7, "cursor": "next-page"}),
            None,
        ),
        ("/hubs/crm/hooked", json!({"seen": 7}), Some("next-page")),
    ] {
        let reply = server.call("GET", path, "tok", None);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.body_json(), body, "{path}");
        assert_eq!(reply.header_value("x-total-count"), Some("42"), "{path}");
        assert_eq!(
            reply.header_value("elements-total-count"),
            Some("42"),
            "{path}"
        );
        assert_eq!(
            reply.header_value("elements-next-page-token"),
            token,
            "{path}"
        );
        let repeated: Vec<&str> = reply
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("x-repeated"))
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(repeated, ["a", "b"], "{path}");
    }
}

#[test]
fn a_bearer_token_on_an_element_route_says_which_scheme_to_use() {
    let vendor = ok_vendor();
    let p = project(&vendor, "  []", CONTACTS, "");
    let server = p.serve();
    let url = format!("{}/elements/api-v2/hubs/crm/contacts", server.base);
    let bearer = http("GET", &url, &[("Authorization", "Bearer tok")], None);
    assert_eq!(bearer.status, 401);
    assert_eq!(
        bearer.body_json()["message"],
        json!("element routes take Authorization: Element <token>, not Bearer (a Bearer token is for /admin)")
    );
    let basic = http("GET", &url, &[("Authorization", "Basic dTpw")], None);
    assert_eq!(
        basic.body_json()["message"],
        json!("unsupported Authorization scheme \"Basic\": element routes take Authorization: Element <token>")
    );
    assert!(vendor.requests().is_empty());
}

#[test]
fn the_admin_api_says_it_is_off_without_an_admin_token() {
    let vendor = ok_vendor();
    let p = project(&vendor, "  []", CONTACTS, "");
    let server = p.serve();
    let reply = http(
        "GET",
        &format!("{}/admin/events", server.base),
        &[("Authorization", "Bearer anything")],
        None,
    );
    assert_eq!(reply.status, 404);
    let id = reply
        .header_value("elements-request-id")
        .expect("a request id");
    assert_eq!(
        reply.body_json(),
        json!({"message": "the admin API is off: start the server with --admin-token (or ELEMENTAL_ADMIN_TOKEN) to use /admin", "requestId": id})
    );
}
