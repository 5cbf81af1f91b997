//! Hostile hooks and faulty vendors: each answered cleanly, and the next request still works.

mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use serde_json::json;
use support::{one_instance, MockVendor, Project, Reply};

/// A vendor speaking raw TCP, to misbehave in ways a real HTTP server would not.
fn raw_vendor(behaviour: impl Fn(std::net::TcpStream) + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let behaviour = std::sync::Arc::new(behaviour);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let behaviour = behaviour.clone();
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut head = [0u8; 4096];
                let _ = stream.read(&mut head);
                behaviour(stream);
            });
        }
    });
    base
}

fn element(hooks: &str) -> String {
    format!("key: f\nresources:\n  - method: GET\n    path: /x\n    vendorPath: /x\n    hooks:\n{hooks}\n  - method: GET\n    path: /ok\n    vendorPath: /ok\n")
}

fn serve(
    base: &str,
    hooks: &str,
    settings: elemental::settings::Settings,
) -> (Project, support::Server) {
    let p = Project::new();
    p.element("f", &element(hooks));
    p.instances(&one_instance(
        "f",
        "tok",
        &format!("      base.url: {base}"),
    ));
    let server = p.serve_with(settings);
    (p, server)
}

fn message(reply: &Reply) -> String {
    reply.body_json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn vendor_faults_are_answered_cleanly() {
    let ok = MockVendor::start(|_| Reply::json(200, json!({"fine": true})));
    // Reset in the middle of the body.
    let reset = raw_vendor(|mut s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"partial\":");
    });
    // A body that trickles in, one byte at a time.
    let trickle = raw_vendor(|mut s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
        for _ in 0..100 {
            if s.write_all(b"x").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    // Not HTTP at all.
    let garbage = raw_vendor(|mut s| {
        let _ = s.write_all(b"\x00\x01\x02 this is not http\r\n\r\n");
    });
    let mut settings = elemental::settings::Settings::default();
    settings.vendor_limits.total = Duration::from_millis(800);
    settings.vendor_limits.max_body = 1024;
    let big = MockVendor::start(|_| Reply::json(200, json!({"blob": "y".repeat(5000)})));
    for (base, status, text) in [
        (&reset, 502, "vendor"),
        (&trickle, 504, "did not answer within"),
        (&garbage, 502, "vendor"),
        (&big.base, 502, "exceeds 1024 bytes"),
    ] {
        let (_p, server) = serve(base, "      []", settings.clone());
        let started = Instant::now();
        let reply = server.call("GET", "/x", "tok", None);
        assert_eq!(reply.status, status, "{base}: {}", reply.body);
        assert!(message(&reply).contains(text), "{base}: {}", reply.body);
        assert!(started.elapsed() < Duration::from_secs(5));
        drop(server);
    }
    let (_p, server) = serve(&ok.base, "      []", settings);
    assert_eq!(server.call("GET", "/ok", "tok", None).status, 200);
}

#[test]
fn invalid_json_reaches_the_post_hook_as_raw_text() {
    let vendor = MockVendor::start(|_| Reply {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: "{not json".into(),
        delay: None,
    });
    let hook = "      - type: postRequest\n        body: |\n          done({response_body: {raw: response_body_raw, body: response_body, map: response_body_map}});";
    let (_p, server) = serve(&vendor.base, hook, Default::default());
    let reply = server.call("GET", "/x", "tok", None);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body_json(),
        json!({"raw": "{not json", "body": null, "map": null})
    );
}

#[test]
fn bodies_no_hook_touches_pass_byte_for_byte_and_gzip_is_decoded() {
    let csv = "id;name\n1;Ada\n2;Grace\n".to_string();
    let served = csv.clone();
    let vendor = MockVendor::start(move |r| {
        if r.path == "/x" {
            Reply {
                status: 200,
                headers: vec![("content-type".into(), "text/csv; charset=utf-8".into())],
                body: served.clone(),
                delay: None,
            }
        } else {
            Reply::json(200, json!({"fine": true}))
        }
    });
    let (_p, server) = serve(&vendor.base, "      []", Default::default());
    let reply = server.call("GET", "/x", "tok", None);
    assert_eq!(reply.body, csv);
    assert_eq!(
        reply.header_value("content-type"),
        Some("text/csv; charset=utf-8")
    );
    // A gzip-encoded vendor answer is decoded before hooks and callers see it.
    let gz = raw_vendor(|mut s| {
        // gzip of {"zipped":true}: Python's gzip.compress(..., mtime=0).
        let body: &[u8] = &[
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0xaa, 0xca,
            0x2c, 0x28, 0x48, 0x4d, 0x51, 0xb2, 0x2a, 0x29, 0x2a, 0x4d, 0xad, 0x05, 0x00, 0x84,
            0x28, 0xbc, 0x08, 0x0f, 0x00, 0x00, 0x00,
        ];
        let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n", body.len());
        let _ = s.write_all(head.as_bytes());
        let _ = s.write_all(body);
    });
    let hook = "      - type: postRequest\n        body: |\n          done({response_body: {seen: response_body}});";
    let (_p2, server) = serve(&gz, hook, Default::default());
    let reply = server.call("GET", "/x", "tok", None);
    assert_eq!(
        reply.body_json(),
        json!({"seen": {"zipped": true}}),
        "{}",
        reply.body
    );
    assert_eq!(reply.header_value("content-encoding"), None);
}

#[test]
fn inbound_limits_answer_413_431_and_408() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({})));
    let settings = elemental::settings::Settings {
        max_request_body: 1024,
        client_timeout: Duration::from_millis(500),
        ..Default::default()
    };
    let p = Project::new();
    p.element(
        "f",
        "key: f\nresources:\n  - method: POST\n    path: /x\n    vendorPath: /x\n",
    );
    p.instances(&one_instance(
        "f",
        "tok",
        &format!("      base.url: {}", vendor.base),
    ));
    let server = p.serve_with(settings);
    let big = "z".repeat(5000);
    let reply = server.call("POST", "/x", "tok", Some(&big));
    assert_eq!(reply.status, 413);
    assert_eq!(
        message(&reply),
        "the request body is larger than 1024 bytes"
    );
    // Headers past the server's limit: 431, even while the client is still sending them.
    let address = server.base.trim_start_matches("http://").to_string();
    let stream = std::net::TcpStream::connect(&address).expect("connect");
    let mut writer = stream.try_clone().expect("clone");
    std::thread::spawn(move || {
        let head = format!("GET /elements/api-v2/x HTTP/1.1\r\nHost: x\r\nAuthorization: Element tok\r\nX-Huge: {}\r\n\r\n", "h".repeat(200_000));
        let _ = writer.write_all(head.as_bytes());
    });
    let mut reader = stream;
    reader.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut got = Vec::new();
    let mut chunk = [0u8; 1024];
    while let Ok(n) = reader.read(&mut chunk) {
        if n == 0 {
            break;
        }
        got.extend_from_slice(&chunk[..n]);
    }
    let answer = String::from_utf8_lossy(&got);
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer:?}");
    // A client that starts a request and stalls (slowloris) is cut off.
    let address = server.base.trim_start_matches("http://").to_string();
    let mut slow = std::net::TcpStream::connect(&address).expect("connect");
    slow.set_read_timeout(Some(Duration::from_secs(5))).ok();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .expect("partial head");
    let started = Instant::now();
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(vendor.requests().is_empty());
    assert_eq!(server.call("POST", "/x", "tok", Some("{}")).status, 200);
}

#[test]
fn hostile_hooks_are_stopped_and_the_next_request_works() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"fine": true})));
    let mut settings = elemental::settings::Settings::default();
    settings.hook_limits.time = Duration::from_millis(300);
    // The wall-clock budget is what stops these (the CPU budget has its own tests).
    settings.hook_limits.cpu = Duration::from_secs(10);
    settings.hook_limits.memory = 32 * 1024 * 1024;
    // The JS details are what this test checks; callers see them only when asked.
    settings.expose_errors = true;
    for (name, script, status, text) in [
        ("busy loop", "while (true) {}", 504, "exceeded its time budget of 300 ms"),
        ("loop in a promise callback", "Promise.resolve().then(() => { while (true) {} });", 504, "exceeded its time budget"),
        ("loop in a timer", "setTimeout(() => { for (;;) {} }, 1);", 504, "exceeded its time budget"),
        ("1 GB string", "let s = 'x'.repeat(1024 * 1024); const parts = []; for (let i = 0; i < 1024; i++) parts.push(s + i); done({n: parts.join('').length});", 500, "exceeded its memory limit of 32 MiB"),
        ("array bomb", "const a = []; while (true) a.push(new Array(1e5).fill(1));", 500, "exceeded its memory limit"),
        ("deep recursion", "const f = (n) => f(n + 1) + 1; f(0);", 500, "RangeError"),
        ("escape through require", "require('../../etc/passwd');", 500, "refused"),
        ("metadata through fetch", "fetch('http://169.254.169.254/latest/meta-data/').then(() => done({}), (e) => { throw e; });", 500, "UnhandledRejection"),
    ] {
        let hook = format!("      - type: preRequest\n        body: |\n          {script}");
        let (_p, server) = serve(&vendor.base, &hook, settings.clone());
        let started = Instant::now();
        let reply = server.call("GET", "/x", "tok", None);
        assert_eq!(reply.status, status, "{name}: {}", reply.body);
        assert!(message(&reply).contains(text), "{name}: {}", reply.body);
        assert!(message(&reply).contains("resource preRequest GET /x"), "{name} names the hook: {}", reply.body);
        assert!(started.elapsed() < Duration::from_secs(5), "{name} took {:?}", started.elapsed());
        assert_eq!(server.call("GET", "/ok", "tok", None).status, 200, "{name}: the next request works");
    }
    assert!(
        vendor.requests().iter().all(|r| r.path == "/ok"),
        "no hostile request reached the vendor"
    );
}

#[test]
fn ssrf_attempts_through_every_outbound_api_are_refused() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({})));
    for (api, call) in [
        ("fetch", "fetch('http://169.254.169.254/').then(() => report('reached'), (e) => report(e.message));"),
        ("httpRequest", "httpRequest({url: 'http://10.0.0.1/'}).then(() => report('reached'), (e) => report(e.message));"),
        ("CE.httpRequest", "CE.httpRequest({url: 'http://localhost:1025/'}).then(() => report('reached'), (e) => report(e.message));"),
        ("http", "require('http').get('http://[::1]:8080/', () => report('reached')).on('error', (e) => report(e.message));"),
        ("https", "require('https').get({hostname: '127.0.0.1', port: 8443, path: '/'}, () => report('reached')).on('error', (e) => report(e.message));"),
    ] {
        let hook = format!("      - type: preRequest\n        body: |\n          const report = (what) => done({{request_vendor_headers: {{'X-Outcome': what}}}});\n          {call}");
        let p = Project::new();
        p.element("f", &element(&hook));
        p.instances(&one_instance("f", "tok", &format!("      base.url: {}", vendor.base)));
        // Not opening loopback: the server's hooks get the default policy.
        let mut sources = p.sources();
        sources.open_hosts.clear();
        let server = support::Server::start(&sources, &p.path("data"), Default::default());
        assert_eq!(server.call("GET", "/x", "tok", None).status, 200, "{api}");
        let outcome = vendor.last().header("x-outcome").unwrap_or_default().to_string();
        assert!(outcome.contains("egress refused"), "{api}: {outcome}");
    }
}

#[test]
fn another_instances_configuration_is_out_of_reach() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({})));
    let p = Project::new();
    let probe = "const seen = [];\n          for (const name of Object.getOwnPropertyNames(globalThis)) { try { const v = globalThis[name]; if (JSON.stringify(v || '').includes('other-secret')) seen.push(name); } catch (e) {} }\n          globalThis.stash = configuration['api.key'];\n          done({response_body: {mine: configuration['api.key'], seen, stashed: typeof stash}});";
    p.element("f", &format!("key: f\nconfiguration:\n  - key: base.url\n  - key: api.key\n    type: PASSWORD\nresources:\n  - method: GET\n    path: /x\n    vendorPath: /x\n    hooks:\n      - type: postRequest\n        body: |\n          {probe}\n"));
    p.instances(&format!("instances:\n  - id: 1\n    element: f\n    token: a\n    configuration: {{base.url: '{0}', api.key: my-secret}}\n  - id: 2\n    element: f\n    token: b\n    configuration: {{base.url: '{0}', api.key: other-secret}}\n", vendor.base));
    let server = p.serve();
    let _ = server.call("GET", "/x", "b", None);
    for _ in 0..3 {
        let reply = server.call("GET", "/x", "a", None);
        assert_eq!(
            reply.body_json(),
            json!({"mine": "my-secret", "seen": [], "stashed": "string"})
        );
    }
}
