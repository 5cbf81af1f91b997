//! Outbound HTTP from hooks (fetch, httpRequest, http/https) against local servers, behind
//! the egress policy. Only loopback is ever contacted: refusals are decided before any
//! connection (address literals, ports) or on the resolved address (`localhost`).

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use elemental::egress::Policy;
use elemental::hooks::{Kind, Limits, Origin, Script};
use serde_json::{json, Value};
use support::hooks::{run, Ran};
use support::{MockVendor, Reply};

fn script(source: &str, open_hosts: &[&str]) -> Script {
    Script {
        egress: Arc::new(Policy {
            open_hosts: open_hosts.iter().map(|h| h.to_string()).collect(),
            only_hosts: Vec::new(),
        }),
        ..Script::new(
            "resource preRequest GET /x",
            Origin::file("hooks/out.js"),
            source,
        )
    }
}

/// Run a hook with `base` (the mock vendor's URL) available as `configuration.base`.
fn hook(source: &str, base: &str, open_hosts: &[&str]) -> Ran {
    let vars = json!({"configuration": {"base": base}})
        .as_object()
        .cloned()
        .unwrap_or_default();
    run(
        &script(source, open_hosts),
        Kind::PreRequest,
        &vars,
        Limits::default(),
    )
    .unwrap_or_else(|e| panic!("hook failed: {e}"))
}

fn echo_vendor() -> MockVendor {
    MockVendor::start(|r| match r.path.as_str() {
        "/redirect" => Reply {
            status: 302,
            headers: vec![("location".into(), "/json".into())],
            body: String::new(),
            delay: None,
        },
        "/missing" => Reply::json(404, json!({"error": "nope"})),
        "/cookie" => {
            Reply::json(200, json!({})).header("Set-Cookie", "session=abc; Path=/; HttpOnly")
        }
        "/text" => Reply {
            status: 200,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: "plain words".into(),
            delay: None,
        },
        "/slow" => Reply {
            delay: Some(Duration::from_millis(1500)),
            ..Reply::json(200, json!({}))
        },
        "/slower" => Reply {
            delay: Some(Duration::from_millis(5500)),
            ..Reply::json(200, json!({"late": true}))
        },
        _ => Reply::json(
            200,
            json!({"method": r.method, "path": r.path, "query": r.query, "contentType": r.header("content-type"), "body": r.body, "auth": r.header("authorization"), "x": r.header("x-custom")}),
        ),
    })
}

const LOOPBACK: &[&str] = &["127.0.0.1"];

#[test]
fn fetch_gets_and_posts_json() {
    let vendor = echo_vendor();
    let source = "(async () => {\n  const base = configuration.base;\n  const got = await fetch(base + '/json?a=1', {headers: {'X-Custom': 'yes'}});\n  const posted = await fetch(base + '/items', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({n: 1})});\n  const missing = await fetch(base + '/missing');\n  const text = await (await fetch(base + '/text')).text();\n  done({got: await got.json(), ok: got.ok, status: got.status, type: got.headers.get('content-type'), posted: await posted.json(), missing: [missing.status, missing.ok, await missing.json()], text});\n})();";
    let out = hook(source, &vendor.base, LOOPBACK);
    assert_eq!(
        out.done["got"],
        json!({"method": "GET", "path": "/json", "query": "a=1", "contentType": null, "body": "", "auth": null, "x": "yes"})
    );
    assert_eq!(out.done["ok"], json!(true));
    assert_eq!(out.done["type"], json!("application/json"));
    assert_eq!(out.done["posted"]["body"], json!("{\"n\":1}"));
    assert_eq!(out.done["posted"]["contentType"], json!("application/json"));
    assert_eq!(out.done["missing"], json!([404, false, {"error": "nope"}]));
    assert_eq!(out.done["text"], json!("plain words"));
}

#[test]
fn fetch_follows_redirects_unless_told_not_to() {
    let vendor = echo_vendor();
    let source = "(async () => {\n  const followed = await fetch(configuration.base + '/redirect');\n  const manual = await fetch(configuration.base + '/redirect', {redirect: 'manual'});\n  done({followed: [followed.status, followed.redirected, (await followed.json()).path], manual: [manual.status, manual.headers.get('location')]});\n})();";
    let out = hook(source, &vendor.base, LOOPBACK);
    assert_eq!(
        out.done,
        json!({"followed": [200, true, "/json"], "manual": [302, "/json"]})
    );
}

#[test]
fn http_request_follows_parse_semantics() {
    let vendor = echo_vendor();
    let source = r#"(async () => {
  const base = configuration.base;
  const form = await httpRequest({url: base + '/form', method: 'POST', params: {q: 'a b'}, body: {name: 'Ada', n: 1}});
  const json = await CE.httpRequest({url: base + '/json', method: 'POST', headers: {'Content-Type': 'application/json'}, body: {name: 'Ada'}});
  let rejected = null;
  try { await httpRequest({url: base + '/missing'}); } catch (r) { rejected = {status: r.status, data: r.data, text: r.text}; }
  let redirect = null;
  try { await httpRequest({url: base + '/redirect'}); } catch (r) { redirect = r.status; }
  const followed = await httpRequest({url: base + '/redirect', followRedirects: true});
  const cookie = await httpRequest({url: base + '/cookie'});
  done({form: form.data, formStatus: form.status, isBuffer: Buffer.isBuffer(form.buffer), json: json.data, rejected, redirect, followed: followed.data.path, cookie: cookie.cookies.session});
})();"#;
    let out = hook(source, &vendor.base, LOOPBACK);
    assert_eq!(out.done["form"]["query"], json!("q=a+b"));
    assert_eq!(out.done["form"]["body"], json!("name=Ada&n=1"));
    assert_eq!(
        out.done["form"]["contentType"],
        json!("application/x-www-form-urlencoded")
    );
    assert_eq!(out.done["formStatus"], json!(200));
    assert_eq!(out.done["isBuffer"], json!(true));
    assert_eq!(out.done["json"]["body"], json!("{\"name\":\"Ada\"}"));
    assert_eq!(
        out.done["rejected"],
        json!({"status": 404, "data": {"error": "nope"}, "text": "{\"error\":\"nope\"}"})
    );
    assert_eq!(out.done["redirect"], json!(302));
    assert_eq!(out.done["followed"], json!("/json"));
    assert_eq!(
        out.done["cookie"],
        json!({"name": "session", "value": "abc", "path": "/", "httpOnly": true})
    );
}

#[test]
fn documented_http_example_runs_against_a_local_server() {
    // The `http` example of Cloud Elements' hooks documentation, unchanged but for the host: the
    // original calls petstore.swagger.io, which this machine cannot reach.
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"available": 3, "sold": 1})));
    let port = vendor
        .base
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string();
    let source = format!(
        "const http = require('http');\n//Call Swagger petstore\nlet options = {{\nhostname: '127.0.0.1',\nport: {port},\npath: '/v2/store/inventory',\nheaders: {{\n'Accept': 'application/json'\n}}\n}};\nconst apiCall = http.request(options);\napiCall.on('response', res => {{\nconsole.log('after response');\nlet rawData = '';\nres.on('data', (chunk) => rawData += chunk);\nres.on('end', () => {{\ntry {{\nlet parsedData = JSON.parse(rawData);\nconsole.log('Parsed response');\ndone({{ \"response_body\": parsedData }});\n}} catch (e) {{\ndone({{ \"response_error\": e.message}});\n}}\n}});\n}});\napiCall.on('error', err => {{\ndone({{ \"response_error\": err.message}});\n}});\napiCall.end();"
    );
    let out = hook(&source, &vendor.base, LOOPBACK);
    assert_eq!(
        out.done,
        json!({"response_body": {"available": 3, "sold": 1}})
    );
    assert_eq!(
        out.console
            .iter()
            .map(|l| l.message.as_str())
            .collect::<Vec<_>>(),
        vec!["after response", "Parsed response"]
    );
    assert_eq!(vendor.last().path, "/v2/store/inventory");
}

#[test]
fn documented_https_get_example_reports_errors_through_done() {
    // The `https.get` example of Cloud Elements' hooks documentation, unchanged but for the URL:
    // against a plain-HTTP local server the TLS handshake fails, and the script's own error path
    // must not crash.
    let vendor = echo_vendor();
    let url = vendor.base.replace("http://", "https://");
    let source = format!("const https = require('https');\nconst req = https.get('{url}/elements/api-v2/elements/sfdc', (res) => {{\nconsole.log('after response');\nlet rawData = '';\nres.on('data', (chunk) => rawData += chunk);\nres.on('end', () => {{\ntry {{\nlet parsedData = JSON.parse(rawData);\ndone({{ \"response_body\": parsedData }});\n}} catch (e) {{\nconsole.log(e.message);\ndone({{ \"response_error\": e.message}});\n}}\n}});\n}});\nreq.on('error', (e) => done({{response_error: e.message}}));");
    let out = hook(&source, &vendor.base, LOOPBACK);
    assert!(
        out.done["response_error"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        out.done
    );
}

#[test]
fn nine_concurrent_requests_run_eight_at_a_time() {
    let arrivals: Arc<Mutex<Vec<Instant>>> = Arc::new(Mutex::new(Vec::new()));
    let seen = arrivals.clone();
    let vendor = MockVendor::start(move |_| {
        seen.lock().expect("lock").push(Instant::now());
        Reply {
            delay: Some(Duration::from_millis(400)),
            ..Reply::json(200, json!({}))
        }
    });
    let source = "Promise.all(Array.from({length: 9}, (_, i) => fetch(configuration.base + '/n/' + i).then(r => r.status))).then(statuses => done({statuses}));";
    let started = Instant::now();
    let out = hook(source, &vendor.base, LOOPBACK);
    assert_eq!(
        out.done,
        json!({"statuses": [200, 200, 200, 200, 200, 200, 200, 200, 200]})
    );
    let mut times: Vec<Duration> = arrivals
        .lock()
        .expect("lock")
        .iter()
        .map(|t| t.duration_since(started))
        .collect();
    times.sort();
    assert_eq!(times.len(), 9);
    assert!(
        times[7] < Duration::from_millis(350),
        "the first eight start at once: {times:?}"
    );
    assert!(
        times[8] >= Duration::from_millis(380),
        "the ninth waits for a slot: {times:?}"
    );
}

#[test]
fn a_per_call_timeout_rejects_with_etimedout() {
    let vendor = echo_vendor();
    let source = "fetch(configuration.base + '/slow', {timeout: 200}).then(() => done({ok: true}), (e) => done({message: e.message, code: e.cause.code}));";
    let out = hook(source, &vendor.base, LOOPBACK);
    assert_eq!(out.done["code"], json!("ETIMEDOUT"), "{}", out.done);
}

#[test]
fn a_vendor_slower_than_five_seconds_is_waited_for_within_the_default_timeout() {
    // The outbound default is 30 s; the HTTP client's own 5 s default once cut this off as
    // "connecting … timed out".
    let vendor = echo_vendor();
    let source = "fetch(configuration.base + '/slower').then((r) => r.json()).then((b) => done({late: b.late}), (e) => done({message: e.message}));";
    let out = hook(source, &vendor.base, LOOPBACK);
    assert_eq!(out.done["late"], json!(true), "{}", out.done);
}

fn refusal(url: &str, open_hosts: &[&str]) -> Value {
    let source = format!("httpRequest({{url: '{url}'}}).then(() => done({{reached: true}}), (e) => done({{message: e.message, code: e.code}}));");
    hook(&source, "", open_hosts).done
}

#[test]
fn the_egress_policy_refuses_each_bypass() {
    let vendor = echo_vendor();
    let port = vendor
        .base
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string();
    // Loopback by address, by name, and in IPv6: refused with no host opened.
    assert_eq!(
        refusal(&format!("http://127.0.0.1:{port}/json"), &[]),
        json!({"message": "egress refused: 127.0.0.1 is a loopback address", "code": "EGRESS_REFUSED"})
    );
    assert_eq!(
        refusal(&format!("http://localhost:{port}/json"), &[]),
        json!({"message": "egress refused: 127.0.0.1 is a loopback address", "code": "EGRESS_REFUSED"})
    );
    assert_eq!(
        refusal(&format!("http://[::1]:{port}/json"), &[])["code"],
        json!("EGRESS_REFUSED")
    );
    // Private and metadata addresses are refused before any connection is attempted.
    assert_eq!(
        refusal("http://10.0.0.1/x", &[])["message"],
        json!("egress refused: 10.0.0.1 is a private address")
    );
    assert_eq!(
        refusal("http://169.254.169.254/latest/meta-data/", &[])["message"],
        json!(
            "egress refused: 169.254.169.254 is a link-local address (cloud metadata lives here)"
        )
    );
    assert_eq!(
        refusal("http://[::ffff:169.254.169.254]/", &[])["code"],
        json!("EGRESS_REFUSED")
    );
    // Ports outside 80, 443, 1025-65535, even on an opened host.
    assert_eq!(
        refusal("http://example.invalid:22/", &[])["message"],
        json!("egress refused: port 22 is not allowed (80, 443 and 1025-65535 are)")
    );
    // A redirect from an opened host to a loopback name is checked again and refused.
    let target = format!("http://localhost:{port}/json");
    let redirecting = MockVendor::start(move |_| Reply {
        status: 302,
        headers: vec![("location".into(), target.clone())],
        body: String::new(),
        delay: None,
    });
    let source = format!("httpRequest({{url: '{}/go', followRedirects: true}}).then(() => done({{reached: true}}), (e) => done({{message: e.message}}));", redirecting.base);
    assert_eq!(
        hook(&source, "", LOOPBACK).done,
        json!({"message": "egress refused: 127.0.0.1 is a loopback address"})
    );
    assert!(
        vendor.requests().is_empty(),
        "no refused request may reach the server"
    );
    // The same target opened explicitly is reached.
    assert_eq!(
        refusal(&format!("http://127.0.0.1:{port}/json"), LOOPBACK),
        json!({"reached": true})
    );
}

#[test]
fn hook_http_does_not_hold_up_other_requests_in_the_server() {
    let slow = MockVendor::start(|_| Reply {
        delay: Some(Duration::from_millis(800)),
        ..Reply::json(200, json!({"token": "t"}))
    });
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let p = support::Project::new();
    p.element("crm", &format!("key: crm\nresources:\n  - method: GET\n    path: /slow\n    vendorPath: /x\n    hooks:\n      - type: preRequest\n        body: |\n          fetch('{}/token').then(r => r.json()).then(t => done({{request_vendor_headers: {{'X-Token': t.token}}}}));\n  - method: GET\n    path: /fast\n    vendorPath: /y\n", slow.base));
    p.instances(&support::one_instance(
        "crm",
        "tok",
        &format!("      base.url: {}", vendor.base),
    ));
    let server = p.serve();
    let base = server.base.clone();
    let slow_calls: Vec<_> = (0..4)
        .map(|_| {
            let url = format!("{base}/elements/api-v2/slow");
            std::thread::spawn(move || {
                support::http("GET", &url, &[("Authorization", "Element tok")], None)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    assert_eq!(server.call("GET", "/fast", "tok", None).status, 200);
    let fast = started.elapsed();
    for call in slow_calls {
        assert_eq!(call.join().expect("slow call").status, 200);
    }
    assert!(
        fast < Duration::from_millis(400),
        "the fast request waited {fast:?}"
    );
    assert_eq!(
        vendor
            .requests()
            .iter()
            .filter(|r| r.header("x-token") == Some("t"))
            .count(),
        4
    );
}

#[test]
fn outbound_calls_show_in_traces_masked_and_in_metrics() {
    let token_service = MockVendor::start(|_| Reply::json(200, json!({"token": "t"})));
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let p = support::Project::new();
    p.element("crm", &format!("key: crm\nconfiguration:\n  - key: base.url\n  - key: api.key\n    type: PASSWORD\nhooks:\n  - type: preRequest\n    body: |\n      fetch('{}/token?key=' + configuration['api.key']).then(r => r.json()).then(t => done({{request_vendor_headers: {{'X-Token': t.token}}}}));\nresources:\n  - method: GET\n    path: /x\n    vendorPath: /x\n", token_service.base));
    p.instances(&support::one_instance(
        "crm",
        "tok",
        &format!("      base.url: {}\n      api.key: k3y-s3cret", vendor.base),
    ));
    let server = p.serve_with(elemental::settings::Settings {
        admin_token: Some("adm".into()),
        ..Default::default()
    });
    let url = format!("{}/elements/api-v2/x", server.base);
    let reply = support::http(
        "GET",
        &url,
        &[
            ("Authorization", "Element tok"),
            ("Elements-Debug", "true"),
            ("Elements-Admin-Token", "adm"),
        ],
        None,
    );
    assert_eq!(reply.status, 200);
    let id = reply
        .header_value("elements-request-id")
        .expect("id")
        .to_string();
    let trace = support::http(
        "GET",
        &format!("{}/admin/traces/{id}", server.base),
        &[("Authorization", "Bearer adm")],
        None,
    )
    .body_json();
    let call = &trace["phases"][0]["outbound"][0];
    assert_eq!(call["kind"], json!("http"));
    assert_eq!(
        call["target"],
        json!(format!("GET {}/token?key=********", token_service.base))
    );
    assert_eq!(call["status"], json!(200));
    assert!(!trace.to_string().contains("k3y-s3cret"));
    let metrics = support::http("GET", &format!("{}/metrics", server.base), &[], None).body;
    assert!(
        metrics.contains(
            "elemental_hook_outbound_total{element=\"crm\",kind=\"http\",status=\"200\"} 1"
        ),
        "{metrics}"
    );
}

#[test]
fn a_token_refresh_hook_works_end_to_end() {
    // The classic OAuth refresh: when the stored token has expired, the pre hook posts the
    // refresh token to the token endpoint, stores the new token in the configuration and
    // signs the vendor call with it; the next request reuses the stored token.
    let issued = Arc::new(Mutex::new(0));
    let counter = issued.clone();
    let tokens = MockVendor::start(move |r| {
        let mut n = counter.lock().expect("lock");
        *n += 1;
        if r.body.contains("grant_type=refresh_token") && r.body.contains("refresh_token=r1") {
            Reply::json(
                200,
                json!({"access_token": format!("access-{n}"), "expires_in": 3600}),
            )
        } else {
            Reply::json(400, json!({"error": "invalid_grant"}))
        }
    });
    let vendor = MockVendor::start(|r| {
        if r.header("authorization") == Some("Bearer access-1") {
            Reply::json(200, json!({"me": "ada"}))
        } else {
            Reply::json(401, json!({"error": "expired"}))
        }
    });
    let hook = format!(
        "const expiresAt = Number(configuration['oauth.expires_at'] || 0);\nif (configuration['oauth.user.token'] && Date.now() < expiresAt) {{\n  done({{request_vendor_headers: {{Authorization: 'Bearer ' + configuration['oauth.user.token']}}}});\n}} else {{\n  httpRequest({{url: '{}/oauth/token', method: 'POST', body: {{grant_type: 'refresh_token', refresh_token: configuration['oauth.refresh.token']}}}})\n    .then((r) => done({{\n      configuration: {{'oauth.user.token': r.data.access_token, 'oauth.expires_at': String(Date.now() + r.data.expires_in * 1000)}},\n      request_vendor_headers: {{Authorization: 'Bearer ' + r.data.access_token}}\n    }}))\n    .catch((r) => done({{continue: false, response_status_code: 502, response_error_message: 'token refresh failed: ' + (r.data ? r.data.error : r.message)}}));\n}}",
        tokens.base
    );
    let p = support::Project::new();
    let body = hook
        .lines()
        .map(|l| format!("      {l}"))
        .collect::<Vec<_>>()
        .join("\n");
    p.element("oa", &format!("key: oa\nauthentication:\n  type: custom\nconfiguration:\n  - key: base.url\n  - key: oauth.refresh.token\n    type: PASSWORD\nhooks:\n  - type: preRequest\n    body: |\n{body}\nresources:\n  - method: GET\n    path: /me\n    vendorPath: /me\n"));
    p.instances(&support::one_instance(
        "oa",
        "tok",
        &format!(
            "      base.url: {}\n      oauth.refresh.token: r1",
            vendor.base
        ),
    ));
    let server = p.serve();
    for _ in 0..3 {
        let reply = server.call("GET", "/me", "tok", None);
        assert_eq!(
            (reply.status, reply.body_json()),
            (200, json!({"me": "ada"}))
        );
    }
    assert_eq!(
        *issued.lock().expect("lock"),
        1,
        "the token is refreshed once and then reused"
    );
    // And after a restart the stored token is still used.
    server.stop();
    let server = p.serve();
    assert_eq!(server.call("GET", "/me", "tok", None).status, 200);
    assert_eq!(*issued.lock().expect("lock"), 1);
}

#[test]
fn the_seeds_http_request_examples_run_verbatim_in_a_hook() {
    let vendor = echo_vendor();
    // Parse's examples word for word, only their URLs pointed at the local server (and the
    // status logged by the error handlers extended with the path, to tell them apart).
    let source = r#"const base = configuration.base;
Parse.Cloud.httpRequest({
  url: base + '/search',
  params: {
    q : 'Sean Plott'
  }
}).then(function(httpResponse) {
  console.log(httpResponse.text);
}, function(httpResponse) {
  console.error('Request failed with response code ' + httpResponse.status);
});
Parse.Cloud.httpRequest({
  url: base + '/search',
  params: 'q=Sean Plott'
}).then(function(httpResponse) {
  console.log(httpResponse.text);
}, function(httpResponse) {
  console.error('Request failed with response code ' + httpResponse.status);
});
Parse.Cloud.httpRequest({
  method: 'POST',
  url: base + '/create_post',
  headers: {
    'Content-Type': 'application/json;charset=utf-8'
  },
  body: {
    title: 'Vote for Pedro',
    body: 'If you vote for Pedro, your wildest dreams will come true'
  }
}).then(function(httpResponse) {
  console.log(httpResponse.text);
}, function(httpResponse) {
  console.error('Request failed with response code ' + httpResponse.status);
});
Parse.Cloud.httpRequest({
  url: base + '/redirect',
  followRedirects: true
}).then(function(httpResponse) {
  console.log(httpResponse.text);
}, function(httpResponse) {
  console.error('Request failed with response code ' + httpResponse.status);
});
Parse.Cloud.httpRequest({
  url: base + '/missing'
}).then(function(httpResponse) {
  console.log(httpResponse.text);
},function(httpResponse) {
  // error
  console.error('Request failed with response code ' + httpResponse.status);
});
Parse.Cloud.httpRequest({
  url: base + '/missing',
  success: function(httpResponse) { console.log('success ' + httpResponse.status); },
  error: function(httpResponse) { console.error('error callback ' + httpResponse.status); }
});
"#;
    let out = hook(source, &vendor.base, LOOPBACK);
    let lines: Vec<(String, Value)> = out
        .console
        .iter()
        .map(|l| {
            let parsed = serde_json::from_str(&l.message).unwrap_or(json!(l.message));
            (l.level.clone(), parsed)
        })
        .collect();
    let logged = |path: &str| {
        lines
            .iter()
            .filter(|(level, v)| level == "info" && v["path"] == json!(path))
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let searches = logged("/search");
    let queries: Vec<&Value> = searches.iter().map(|v| &v["query"]).collect();
    assert_eq!(
        queries,
        vec![&json!("q=Sean+Plott"), &json!("q=Sean%20Plott")],
        "{lines:?}"
    );
    let post = &logged("/create_post")[0];
    assert_eq!(post["method"], json!("POST"));
    assert_eq!(post["contentType"], json!("application/json;charset=utf-8"));
    assert_eq!(
        serde_json::from_str::<Value>(post["body"].as_str().unwrap_or("")).ok(),
        Some(
            json!({"title": "Vote for Pedro", "body": "If you vote for Pedro, your wildest dreams will come true"})
        )
    );
    assert_eq!(
        logged("/json").len(),
        1,
        "the redirect was followed: {lines:?}"
    );
    let errors: Vec<&Value> = lines
        .iter()
        .filter(|(level, _)| level == "error")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(
        errors,
        vec![
            &json!("Request failed with response code 404"),
            &json!("error callback 404")
        ],
        "{lines:?}"
    );
}
