//! Parse Cloud Code (seeds 000/001): `cloud/main.js` functions at `POST /parse/functions/<name>`
//! with Parse's keys and answers, CommonJS `require`, and the Parse API (`httpRequest`,
//! `Config`, `Cookie`) in cloud functions and in hooks.

mod support;

use std::sync::Arc;

use elemental::parse::{ParseConfig, ParseSettings};
use elemental::settings::Settings;
use serde_json::{json, Value};
use support::{http, MockVendor, Project, Recorded, Reply, Server};

const APP: (&str, &str) = ("X-Parse-Application-Id", "elemental");
const JSON: (&str, &str) = ("Content-Type", "application/json");

fn settings(parse: ParseSettings) -> Settings {
    Settings {
        expose_errors: true,
        parse,
        ..Default::default()
    }
}

fn config() -> Arc<ParseConfig> {
    let value = json!({
        "params": {"welcome": "Hello", "privateParam": "s3cret"},
        "masterKeyOnly": {"privateParam": true}
    });
    Arc::new(ParseConfig::from_value(&value).expect("config"))
}

/// A server of `main` (cloud/main.js) with a master key `m4ster` and a Parse Config.
fn serve(p: &Project, main: &str) -> Server {
    p.write("cloud/main.js", main);
    p.serve_with(settings(ParseSettings {
        master_key: Some("m4ster".into()),
        config: config(),
        ..Default::default()
    }))
}

fn run(server: &Server, name: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let url = format!("{}/parse/functions/{name}", server.base);
    http("POST", &url, headers, Some(body))
}

fn call(server: &Server, name: &str, body: &str) -> (u16, Value) {
    let reply = run(server, name, &[APP, JSON], body);
    (reply.status, reply.body_json())
}

#[test]
fn functions_answer_their_result_and_the_bundled_one_greets() {
    let p = Project::new();
    // Parse's averageStars, adapted: the reviews come in the params, as elemental has no
    // Parse.Query (nor Parse objects) to find them with.
    let server = serve(
        &p,
        &format!(
            "{}\n{}",
            include_str!("../cloud/main.js"),
            r#"
Parse.Cloud.define("averageStars", async (request) => {
  const results = request.params.reviews;
  let sum = 0;
  for (let i = 0; i < results.length; ++i) {
    sum += results[i].stars;
  }
  return sum / results.length;
});
Parse.Cloud.define("nothing", () => {});
Parse.Cloud.define("who", (request) => ({ name: request.functionName, ip: request.ip, agent: request.headers['x-test'], installation: request.installationId, params: request.params }));
"#
        ),
    );
    assert_eq!(
        call(&server, "hello", r#"{"name":"Ada"}"#),
        (200, json!({"result": "Hello, Ada!"}))
    );
    let reviews = r#"{"movie":"The Matrix","reviews":[{"stars":5},{"stars":4}]}"#;
    assert_eq!(
        call(&server, "averageStars", reviews),
        (200, json!({"result": 4.5}))
    );
    // An empty body is no params; undefined is no result, as Parse answers it.
    assert_eq!(
        call(&server, "hello", ""),
        (200, json!({"result": "Hello, world!"}))
    );
    assert_eq!(call(&server, "nothing", "{}"), (200, json!({})));
    let reply = run(
        &server,
        "who",
        &[
            APP,
            JSON,
            ("X-Test", "t1"),
            ("X-Parse-Installation-Id", "inst-1"),
        ],
        r#"{"n":1}"#,
    );
    assert_eq!(
        reply.body_json(),
        json!({"result": {"name": "who", "ip": "127.0.0.1", "agent": "t1", "installation": "inst-1", "params": {"n": 1}}})
    );
    // The same through the envelope Parse's JS SDK sends (text/plain, keys in the body).
    let reply = run(
        &server,
        "who",
        &[("X-Test", "t1"), ("Content-Type", "text/plain")],
        r#"{"_ApplicationId":"elemental","_InstallationId":"inst-1","_ClientVersion":"js5","n":1}"#,
    );
    assert_eq!(
        reply.body_json(),
        json!({"result": {"name": "who", "ip": "127.0.0.1", "agent": "t1", "installation": "inst-1", "params": {"n": 1}}})
    );
    assert!(reply.header_value("elements-request-id").is_some());
    // Not a JSON object: Parse's invalid JSON.
    let (status, body) = call(&server, "hello", "[1]");
    assert_eq!((status, &body["code"]), (400, &json!(107)), "{body}");
    let metrics = http("GET", &format!("{}/metrics", server.base), &[], None).body;
    for line in [
        "elemental_cloud_function_calls_total{function=\"hello\",outcome=\"success\"} 2",
        "elemental_cloud_function_calls_total{function=\"unknown\",outcome=\"invalid\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} in {metrics}");
    }
}

#[test]
fn errors_answer_code_141() {
    let p = Project::new();
    let server = serve(
        &p,
        r#"
Parse.Cloud.define("throws", () => { throw new Error("Movie not found"); });
Parse.Cloud.define("rejects", async () => { await null; throw "no such movie"; });
Parse.Cloud.define("parseError", () => Promise.reject(new Parse.Error(Parse.Error.OBJECT_NOT_FOUND, "gone")));
Parse.Cloud.define("oldSuccess", function (request, response) {
  setTimeout(() => response.success({ stars: request.params.stars }), 5);
});
Parse.Cloud.define("oldError", function (request, response) {
  response.error("Uh oh, something went wrong.");
});
"#,
    );
    assert_eq!(
        call(&server, "throws", "{}"),
        (400, json!({"code": 141, "error": "Movie not found"}))
    );
    assert_eq!(
        call(&server, "rejects", "{}"),
        (400, json!({"code": 141, "error": "no such movie"}))
    );
    assert_eq!(
        call(&server, "parseError", "{}"),
        (400, json!({"code": 101, "error": "gone"}))
    );
    assert_eq!(
        call(&server, "oldSuccess", r#"{"stars":3}"#),
        (200, json!({"result": {"stars": 3}}))
    );
    assert_eq!(
        call(&server, "oldError", "{}"),
        (
            400,
            json!({"code": 141, "error": "Uh oh, something went wrong."})
        )
    );
    assert_eq!(
        call(&server, "nope", "{}"),
        (
            400,
            json!({"code": 141, "error": "Invalid function: \"nope\""})
        )
    );
    let metrics = http("GET", &format!("{}/metrics", server.base), &[], None).body;
    assert!(
        metrics.contains(
            "elemental_cloud_function_calls_total{function=\"throws\",outcome=\"error\"} 1"
        ),
        "{metrics}"
    );
}

#[test]
fn the_master_key_makes_master_calls_and_wrong_keys_are_403() {
    let p = Project::new();
    p.write(
        "cloud/main.js",
        r#"
Parse.Cloud.define("isMaster", (request) => request.master);
Parse.Cloud.define("billing", () => "User billed!", { requireMaster: true });
"#,
    );
    let server = p.serve_with(settings(ParseSettings {
        master_key: Some("m4ster".into()),
        rest_key: Some("r3st".into()),
        ..Default::default()
    }));
    let rest = ("X-Parse-REST-API-Key", "r3st");
    let master = ("X-Parse-Master-Key", "m4ster");
    let unauthorized = (403, json!({"error": "unauthorized"}));
    let answer = |headers: &[(&str, &str)], name: &str| {
        let reply = run(&server, name, headers, "{}");
        (reply.status, reply.body_json())
    };
    assert_eq!(
        answer(&[APP, JSON, rest], "isMaster"),
        (200, json!({"result": false}))
    );
    assert_eq!(
        answer(&[APP, JSON, master], "isMaster"),
        (200, json!({"result": true}))
    );
    // The wrong app id, none, a wrong or missing REST key, a wrong master key.
    let wrong_app = ("X-Parse-Application-Id", "other");
    assert_eq!(answer(&[wrong_app, JSON, rest], "isMaster"), unauthorized);
    assert_eq!(answer(&[JSON, rest], "isMaster"), unauthorized);
    assert_eq!(
        answer(&[APP, JSON, ("X-Parse-REST-API-Key", "no")], "isMaster"),
        unauthorized
    );
    assert_eq!(answer(&[APP, JSON], "isMaster"), unauthorized);
    assert_eq!(
        answer(&[APP, JSON, ("X-Parse-Master-Key", "no")], "isMaster"),
        unauthorized
    );
    // A master-only function.
    assert_eq!(
        answer(&[APP, JSON, master], "billing"),
        (200, json!({"result": "User billed!"}))
    );
    // Parse Server's validation error (code 142) without the master key.
    assert_eq!(
        answer(&[APP, JSON, rest], "billing"),
        (
            400,
            json!({"code": 142, "error": "Validation failed. Master key is required to complete this request."})
        )
    );

    // Parse's JS SDK sends its keys in a text/plain body; they are not params.
    let sdk = r#"{"_ApplicationId":"elemental","_MasterKey":"m4ster","_ClientVersion":"js5.3.0","_InstallationId":"i-1","a":1}"#;
    let reply = run(&server, "isMaster", &[("Content-Type", "text/plain")], sdk);
    assert_eq!(reply.body_json(), json!({"result": true}), "{}", reply.body);
    let wrong = r#"{"_ApplicationId":"other","a":1}"#;
    let reply = run(
        &server,
        "isMaster",
        &[("Content-Type", "text/plain")],
        wrong,
    );
    assert_eq!((reply.status, reply.body_json()), unauthorized);

    // Without a master key set, a master key is never accepted.
    let q = Project::new();
    q.write(
        "cloud/main.js",
        r#"Parse.Cloud.define("isMaster", (request) => request.master);"#,
    );
    let server = q.serve_with(settings(ParseSettings::default()));
    let reply = run(&server, "isMaster", &[APP, JSON, master], "{}");
    assert_eq!((reply.status, reply.body_json()), unauthorized);
    let reply = run(&server, "isMaster", &[APP, JSON], "{}");
    assert_eq!(reply.body_json(), json!({"result": false}));
}

#[test]
fn modules_resolve_inside_the_cloud_folder() {
    let p = Project::new();
    // The seed's module, verbatim.
    p.write(
        "cloud/name.js",
        "var coolNames = ['Ralph', 'Skippy', 'Chip', 'Ned', 'Scooter'];\nmodule.exports.isACoolName = function(name) {\n  return coolNames.indexOf(name) !== -1;\n}\n",
    );
    p.write("cloud/lib/greet.js", "module.exports = (n) => 'hi ' + n;");
    p.write("secret.js", "module.exports = 'outside';");
    let server = serve(
        &p,
        r#"
var name = require('cloud/name.js');
name.isACoolName('Fred'); // returns false
name.isACoolName('Skippy'); // returns true;
name.coolNames; // undefined.
const greet = require('./lib/greet.js');
Parse.Cloud.define("cool", (request) => ({
  fred: name.isACoolName('Fred'), skippy: name.isACoolName('Skippy'), coolNames: name.coolNames === undefined,
  same: require('./name.js') === name, greeting: greet(request.params.who),
}));
Parse.Cloud.define("escape", () => require('cloud/../secret.js'));
Parse.Cloud.define("late", () => { Parse.Cloud.define("other", () => 1); });
"#,
    );
    assert_eq!(
        call(&server, "cool", r#"{"who":"Ned"}"#),
        (
            200,
            json!({"result": {"fred": false, "skippy": true, "coolNames": true, "same": true, "greeting": "hi Ned"}})
        )
    );
    let (status, body) = call(&server, "escape", "{}");
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("refused")),
        "{body}"
    );
    // Functions are fixed once main.js has loaded.
    let (status, body) = call(&server, "late", "{}");
    assert_eq!(status, 400, "{body}");
    assert_eq!(call(&server, "other", "{}").0, 400);
}

#[test]
fn cloud_code_is_checked_at_load() {
    let p = Project::new();
    p.write("cloud/main.js", "Parse.Cloud.define('a', () => 1);\n");
    p.write("cloud/broken.js", "module.exports = {\n  a: 1,,\n};\n");
    let (_, diagnostics) = elemental::sources::load_tasks(&p.sources());
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert!(d.file.ends_with("cloud/broken.js"), "{d}");
    assert_eq!((d.line, d.column), (2, 8), "{d}");
    // A missing default folder is no cloud code; a named one must exist.
    let q = Project::new();
    let (tasks, diagnostics) = elemental::sources::load_tasks(&q.sources());
    assert!(tasks.cloud.is_none() && diagnostics.is_empty());
    let named = elemental::sources::Sources {
        cloud_required: true,
        ..q.sources()
    };
    let (_, diagnostics) = elemental::sources::load_tasks(&named);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    // A folder without main.js.
    q.write("cloud/x.js", "module.exports = 1;");
    let (_, diagnostics) = elemental::sources::load_tasks(&q.sources());
    assert!(
        diagnostics[0].message.contains("main.js"),
        "{diagnostics:#?}"
    );
}

fn vendor() -> MockVendor {
    MockVendor::start(|r: &Recorded| match r.path.as_str() {
        "/start" => Reply {
            status: 302,
            headers: vec![("location".into(), "/final".into())],
            body: String::new(),
            delay: None,
        },
        "/missing" => Reply::json(404, json!({"error": "nope"})),
        "/cookie" => {
            Reply::json(200, json!({})).header("Set-Cookie", "session=abc; Path=/; HttpOnly")
        }
        _ => Reply::json(
            200,
            json!({"method": r.method, "path": r.path, "query": r.query, "type": r.header("content-type"), "body": r.body}),
        ),
    })
}

#[test]
fn http_request_keeps_parse_semantics() {
    let vendor = vendor();
    let p = Project::new();
    let main = r#"
const base = () => Parse.Config.get().then((c) => c.get('base'));
Parse.Cloud.define("search", async (request) => {
  const url = (await base()) + '/search';
  const asObject = await Parse.Cloud.httpRequest({ url, params: { q: 'Sean Plott' } });
  const asString = await Parse.Cloud.httpRequest({ url, params: 'q=Sean Plott' });
  return [asObject.data.query, asString.data.query, asObject.status, typeof asObject.text, asObject.buffer.length > 0];
});
Parse.Cloud.define("post", async () => {
  const url = (await base()) + '/create_post';
  const body = { title: 'Vote for Pedro', body: 'If you vote for Pedro, your wildest dreams will come true' };
  const form = await Parse.Cloud.httpRequest({ method: 'POST', url, body });
  const json = await Parse.Cloud.httpRequest({ method: 'POST', url, headers: { 'Content-Type': 'application/json;charset=utf-8' }, body });
  return [form.data, json.data];
});
Parse.Cloud.define("redirects", async () => {
  const url = (await base()) + '/start';
  const followed = await Parse.Cloud.httpRequest({ url, followRedirects: true });
  const status = await Parse.Cloud.httpRequest({ url }).then(() => 'resolved', (r) => r.status);
  return [followed.data.path, status];
});
Parse.Cloud.define("failing", async () => {
  const url = (await base()) + '/missing';
  let called = null;
  const rejected = await Parse.Cloud.httpRequest({
    url,
    success: () => { called = 'success'; },
    error: (httpResponse) => { called = 'error ' + httpResponse.status; },
  }).then(function (httpResponse) {
    return 'resolved';
  }, function (httpResponse) {
    return 'Request failed with response code ' + httpResponse.status + ' ' + httpResponse.data.error;
  });
  await null;
  return [rejected, called];
});
Parse.Cloud.define("cookies", async () => {
  const r = await Parse.Cloud.httpRequest({ url: (await base()) + '/cookie' });
  const c = r.cookies.session;
  return [c instanceof Parse.Cloud.Cookie, c.name, c.value, c.path, c.httpOnly];
});
"#;
    p.write("cloud/main.js", main);
    let value = json!({"params": {"base": vendor.base}});
    let server = p.serve_with(settings(ParseSettings {
        config: Arc::new(ParseConfig::from_value(&value).expect("config")),
        ..Default::default()
    }));
    assert_eq!(
        call(&server, "search", "{}"),
        (
            200,
            json!({"result": ["q=Sean+Plott", "q=Sean%20Plott", 200, "string", true]})
        )
    );
    let (status, body) = call(&server, "post", "{}");
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["result"][0]["type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        body["result"][0]["body"],
        "title=Vote+for+Pedro&body=If+you+vote+for+Pedro%2C+your+wildest+dreams+will+come+true"
    );
    assert_eq!(body["result"][1]["type"], "application/json;charset=utf-8");
    assert_eq!(
        serde_json::from_str::<Value>(body["result"][1]["body"].as_str().unwrap_or("")).ok(),
        Some(
            json!({"title": "Vote for Pedro", "body": "If you vote for Pedro, your wildest dreams will come true"})
        )
    );
    assert_eq!(
        call(&server, "redirects", "{}"),
        (200, json!({"result": ["/final", 302]}))
    );
    assert_eq!(
        call(&server, "failing", "{}"),
        (
            200,
            json!({"result": ["Request failed with response code 404 nope", "error 404"]})
        )
    );
    assert_eq!(
        call(&server, "cookies", "{}"),
        (200, json!({"result": [true, "session", "abc", "/", true]}))
    );
}

#[test]
fn config_hides_master_key_only_values_outside_master_calls() {
    let p = Project::new();
    let server = serve(
        &p,
        r#"
Parse.Cloud.define("config", async () => {
  const config = await Parse.Config.get({useMasterKey: true});
  const privateParam = config.get("privateParam");
  const plain = await Parse.Config.get();
  return [config.get("welcome"), privateParam === undefined ? null : privateParam, plain.get("privateParam") === undefined];
});
"#,
    );
    assert_eq!(
        call(&server, "config", "{}"),
        (200, json!({"result": ["Hello", null, true]}))
    );
    let reply = run(
        &server,
        "config",
        &[APP, JSON, ("X-Parse-Master-Key", "m4ster")],
        "{}",
    );
    assert_eq!(
        reply.body_json(),
        json!({"result": ["Hello", "s3cret", true]})
    );
    // Parse's REST route answers the same values.
    let url = format!("{}/parse/config", server.base);
    let reply = http("GET", &url, &[APP], None);
    assert_eq!(reply.body_json(), json!({"params": {"welcome": "Hello"}}));
    let reply = http("GET", &url, &[APP, ("X-Parse-Master-Key", "m4ster")], None);
    assert_eq!(
        reply.body_json(),
        json!({"params": {"welcome": "Hello", "privateParam": "s3cret"}, "masterKeyOnly": {"privateParam": true}})
    );
    assert_eq!(http("GET", &url, &[], None).status, 403);
}

#[test]
fn hooks_have_the_parse_api_frozen() {
    let vendor = vendor();
    let p = Project::new();
    let hook = "Parse.Config.get({useMasterKey: true}).then((config) => Parse.Cloud.httpRequest({url: configuration['base.url'] + '/x', params: {q: config.get('privateParam')}}))\n            .then((r) => done({continue: false, response_status_code: 200, response_body: {query: r.data.query, frozen: Object.isFrozen(Parse) && Object.isFrozen(Parse.Cloud) && Object.isFrozen(Parse.Config), define: (() => { try { Parse.Cloud.define('x', () => 1); return 'defined'; } catch (e) { return e.message; } })()}}));";
    p.element(
        "crm",
        &format!("key: crm\nresources:\n  - method: GET\n    path: /parse\n    vendorPath: /x\n    hooks:\n      - type: preRequest\n        body: |\n          {hook}\n"),
    );
    p.instances(&support::one_instance(
        "crm",
        "tok",
        &format!("      base.url: {}", vendor.base),
    ));
    let server = p.serve_with(settings(ParseSettings {
        config: config(),
        ..Default::default()
    }));
    let reply = server.call("GET", "/parse", "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body_json(),
        json!({"query": "q=s3cret", "frozen": true, "define": "Parse.Cloud.define: functions are defined in cloud code (cloud/main.js) only"})
    );
}

#[test]
fn limits_globals_traces_and_reload_are_the_tasks() {
    let p = Project::new();
    p.write(
        "cloud/main.js",
        r#"
Parse.Cloud.define("forever", () => new Promise(() => {}));
Parse.Cloud.define("spin", () => { for (;;) {} });
Parse.Cloud.define("leak", (request) => { const before = typeof globalThis.leaked; globalThis.leaked = 1; return before; });
Parse.Cloud.define("logs", (request) => { request.log.info('logged by', request.functionName); console.error('and console'); return 1; });
"#,
    );
    let server = p.serve_with(Settings {
        admin_token: Some("adm1n".into()),
        task_timeout: std::time::Duration::from_millis(300),
        ..settings(ParseSettings::default())
    });
    for name in ["forever", "spin"] {
        let (status, body) = call(&server, name, "{}");
        assert_eq!(status, 504, "{name}: {body}");
        assert_eq!(body["code"], json!(141), "{body}");
    }
    // What one call adds to the globals is swept before the next.
    assert_eq!(
        call(&server, "leak", "{}"),
        (200, json!({"result": "undefined"}))
    );
    assert_eq!(
        call(&server, "leak", "{}"),
        (200, json!({"result": "undefined"}))
    );
    // The debug trace has the function's log lines.
    let debug = [
        APP,
        JSON,
        ("Elements-Debug", "true"),
        ("Elements-Admin-Token", "adm1n"),
    ];
    let reply = run(&server, "logs", &debug, "{}");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let id = reply
        .header_value("elements-request-id")
        .expect("request id");
    let url = format!("{}/admin/traces/{id}", server.base);
    let trace = http("GET", &url, &debug[3..], None).body_json();
    assert_eq!(trace["function"], json!("logs"), "{trace}");
    assert_eq!(
        trace["console"][0]["message"],
        json!("logged by logs"),
        "{trace}"
    );
    assert_eq!(trace["console"][1]["level"], json!("error"), "{trace}");
    // A changed main.js is served after a reload; a broken one keeps the old code serving.
    p.write("cloud/main.js", "Parse.Cloud.define('logs', () => 2);\n");
    let swapped = elemental::reload::reload(&server.state, &p.sources());
    assert!(
        matches!(swapped, elemental::reload::Outcome::Swapped { .. }),
        "{swapped:?}"
    );
    assert_eq!(call(&server, "logs", "{}"), (200, json!({"result": 2})));
    p.write("cloud/main.js", "Parse.Cloud.define('logs', () => {;\n");
    let kept = elemental::reload::reload(&server.state, &p.sources());
    assert!(
        matches!(kept, elemental::reload::Outcome::Kept(_)),
        "{kept:?}"
    );
    assert_eq!(call(&server, "logs", "{}"), (200, json!({"result": 2})));
}

#[test]
fn send_email_goes_through_the_smtp_settings() {
    let sink = support::smtp::SmtpSink::start();
    let p = Project::new();
    // The seed's example, verbatim, then awaited.
    p.write(
        "cloud/main.js",
        r#"
Parse.Cloud.define("mail", async () => {
  const sent = Parse.Cloud.sendEmail({
    from: 'Example <test@example.com>',
    to: 'contact@example.com',
    subject: 'Test email',
    text: 'This email is a test.'
  });
  return (await sent).message;
});
"#,
    );
    let server = p.serve_with(Settings {
        mail: Some(Arc::new(elemental::mail::MailSettings {
            host: "127.0.0.1".into(),
            port: sink.port,
            tls: elemental::mail::TlsMode::None,
            username: None,
            password: None,
            from: "hooks@elemental.test".into(),
            timeout: std::time::Duration::from_secs(5),
        })),
        ..settings(ParseSettings::default())
    });
    assert_eq!(
        call(&server, "mail", "{}"),
        (200, json!({"result": "queued as 42"}))
    );
    let received = sink.received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0].from, "<test@example.com>");
    assert_eq!(received[0].to, vec!["<contact@example.com>"]);
    assert!(
        received[0].data.contains("Subject: Test email"),
        "{}",
        received[0].data
    );
    assert!(
        received[0].data.contains("This email is a test."),
        "{}",
        received[0].data
    );
}
