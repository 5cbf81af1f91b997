//! One invocation end to end: variables in, `done()` rules, errors, limits.

use super::*;
use crate::hooks::compile::check;
use crate::hooks::{Kind, Origin, Raw};
use serde_json::{json, Map, Value};
use std::time::Duration;

/// A finished run as the tests look at it.
#[derive(Debug)]
struct Ran {
    called: bool,
    done: Value,
    result: Option<Map<String, Value>>,
    console: Vec<ConsoleLine>,
}

fn run(
    script: &Script,
    kind: Kind,
    variables: &Map<String, Value>,
    limits: Limits,
) -> Result<Ran, HookError> {
    let options = Options {
        raw: true,
        ..Options::default()
    };
    let input = HookInput::Given(kind, variables);
    let ran = run_blocking(script, input, limits, &Dispatcher::default(), options);
    let outcome = ran.outcome?;
    let raw = outcome.raw.unwrap_or(Raw {
        done: Value::Null,
        result: None,
    });
    Ok(Ran {
        called: outcome.called,
        done: raw.done,
        result: raw.result,
        console: ran.console,
    })
}

fn script(source: &str, legacy: bool) -> Script {
    Script {
        legacy,
        ..Script::new(
            "resource preRequest GET /things",
            Origin::file("hooks/pre.js"),
            source,
        )
    }
}

fn vars() -> Map<String, Value> {
    match json!({"request_vendor_method": "DELETE", "request_vendor_headers": {"Accept": "application/json"}, "configuration": {"flag": false}})
    {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn exec(source: &str) -> Result<Ran, HookError> {
    run(
        &script(source, false),
        Kind::PreRequest,
        &vars(),
        Limits::default(),
    )
}

fn result_of(source: &str, variables: Value) -> Result<Value, HookError> {
    let Value::Object(variables) = variables else {
        return Err(HookError::Engine("variables must be an object".into()));
    };
    let outcome = run(
        &script(source, false),
        Kind::PostRequest,
        &variables,
        Limits::default(),
    )?;
    Ok(outcome.done)
}

#[test]
fn variables_arrive_as_json_parse_would_make_them() {
    let body = json!({"__proto__": {"polluted": true}, "n": 3, "f": 1.5, "big": 9007199254740993u64, "list": [null, true, "é"]});
    let done = result_of(
        "done({ own: Object.keys(response_body), plain: Object.getPrototypeOf(response_body) === Object.prototype, \
         polluted: response_body.polluted === undefined ? 'no' : 'yes', types: response_body.list.map((v) => typeof v), \
         n: response_body.n, f: response_body.f, big: response_body.big > 9007199254740000 })",
        json!({"response_body": body}),
    )
    .expect("runs");
    assert_eq!(
        done,
        json!({"own": ["__proto__", "n", "f", "big", "list"], "plain": true, "polluted": "no",
               "types": ["object", "boolean", "string"], "n": 3, "f": 1.5, "big": true})
    );
}

#[test]
fn results_are_read_as_json_stringify_writes_them() {
    let done = result_of(
        "const cyclic = {}; \
         done({ date: new Date(0), custom: { toJSON: () => 'mine' }, boxed: [new Number(2), new String('s')], \
         skipped: { u: undefined, f() {}, s: Symbol('x') }, holes: [undefined, () => 1, NaN, Infinity], \
         numbers: [3.0, -0, 0.1 + 0.2, 1e21, 2 ** 53 + 2, 2 ** 63, 1e20], map: new Map([[1, 2]]), nested: { a: [{ b: 'c' }] } })",
        json!({}),
    )
    .expect("runs");
    assert_eq!(
        done,
        json!({"date": "1970-01-01T00:00:00.000Z", "custom": "mine", "boxed": [2, "s"], "skipped": {},
               "holes": [null, null, null, null], "numbers": [3, 0, 0.30000000000000004, 1e21, 9007199254740994u64, 9223372036854775808u64, 1e20],
               "map": {}, "nested": {"a": [{"b": "c"}]}})
    );
    assert_eq!(
        serde_json::to_string(&done["numbers"]).ok().as_deref(),
        Some("[3,0,0.30000000000000004,1e+21,9007199254740994,9223372036854775808,1e+20]")
    );
    for source in [
        "const a = {}; a.self = a; done({ a });",
        "done({ n: 10n });",
    ] {
        let error = result_of(source, json!({})).expect_err("not JSON");
        assert!(
            matches!(&error, HookError::BadResult { message, .. } if message.contains("cannot be serialized")),
            "{source}: {error}"
        );
    }
}

#[test]
fn first_done_wins_and_does_not_stop_the_script() {
    let out = exec("done({a: 1}); console.log('after'); done({a: 2});").unwrap();
    assert!(out.called);
    assert_eq!(out.done, json!({"a": 1}));
    assert_eq!(out.console[0].message, "after");
}

#[test]
fn an_exception_after_done_is_logged_not_fatal() {
    let out = exec("done({ok: true}); null.boom;").unwrap();
    assert_eq!(
        out.result,
        Some(json!({"ok": true}).as_object().unwrap().clone())
    );
    assert!(out
        .console
        .iter()
        .any(|l| l.level == "notice" && l.message.contains("boom")));
}

#[test]
fn a_returned_object_is_the_result_and_nothing_passes_through() {
    let out = exec("return {continue: false};").unwrap();
    assert!(!out.called);
    assert_eq!(out.result.unwrap()["continue"], json!(false));
    assert!(exec("var x = 1;").unwrap().result.is_none());
    assert!(exec("done();").unwrap().result.is_none());
}

#[test]
fn variables_are_mutable_and_assignable() {
    let out =
        exec("request_vendor_headers['X'] = '1'; done({h: request_vendor_headers});").unwrap();
    assert_eq!(
        out.done,
        json!({"h": {"Accept": "application/json", "X": "1"}})
    );
    let out = exec("request_vendor_method = 'PUT'; done({m: request_vendor_method});").unwrap();
    assert_eq!(out.done, json!({"m": "PUT"}));
}

#[test]
fn v2_is_strict_and_legacy_is_sloppy() {
    assert!(exec("undeclared = 1; done();").is_err());
    let legacy = run(
        &script(
            "undeclared = 1; print('hi'); return {b: base64Encode('hi')};",
            true,
        ),
        Kind::PreRequest,
        &vars(),
        Limits::default(),
    )
    .unwrap();
    assert_eq!(legacy.result.unwrap()["b"], json!("aGk="));
    assert_eq!(legacy.console[0].message, "hi");
}

#[test]
fn errors_name_the_hook_file_line_and_column() {
    let err = exec("var a = 1;\n\n  a.b.c;").unwrap_err();
    assert_eq!(err.js().unwrap().location, "hooks/pre.js:3:3");
    assert!(err.to_string().contains("resource preRequest GET /things"));
    let err = check(&script("var x = ;", false)).unwrap_err();
    assert_eq!(err.js().unwrap().name, "SyntaxError");
    assert_eq!(err.js().unwrap().location, "hooks/pre.js:1:9");
}

#[test]
fn busy_loops_stop_at_the_budget_and_the_engine_goes_on() {
    let limits = Limits {
        time: Duration::from_millis(100),
        ..Limits::default()
    };
    let err = run(
        &script("while (true) {}", false),
        Kind::PreRequest,
        &vars(),
        limits,
    )
    .unwrap_err();
    assert!(matches!(err, HookError::Timeout { .. }), "{err:?}");
    assert!(exec("done({after: true})").is_ok());
}

#[test]
fn promise_jobs_run_before_the_result_is_read() {
    let out = exec("Promise.resolve(2).then(v => done({v}));").unwrap();
    assert_eq!(out.done, json!({"v": 2}));
    let err = exec("Promise.reject(new Error('nope'));").unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}

#[test]
fn ce_library_is_available() {
    let out = exec("done({h: CE.hmacSha256Hex('Jefe', 'what do ya want for nothing?'), b: CE.b64('hé'), d: CE.decode64(CE.b64('hé')), m: CE.md5('abc'), r: CE.randomString().length, e: CE.randomEmail().endsWith('@example.com'), c: CE.hmac('sha1')('base64')('k', 'd') === CE.hmacSha1base64('k', 'd')})").unwrap();
    assert_eq!(
        out.done,
        json!({"h": "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "b": "aMOp", "d": "hé", "m": "900150983cd24fb0d6963f7d28e17f72", "r": 10, "e": true, "c": true})
    );
}

#[test]
fn a_non_object_done_argument_is_a_bad_result() {
    assert!(matches!(
        exec("done('x')"),
        Err(HookError::BadResult { .. })
    ));
}

#[test]
fn a_failed_run_still_hands_back_its_console() {
    let run = run_blocking(
        &script("console.log('before'); null.boom;", false),
        HookInput::Given(Kind::PreRequest, &vars()),
        Limits::default(),
        &Dispatcher::default(),
        Options::default(),
    );
    assert!(run.outcome.is_err());
    assert_eq!(run.console.len(), 1);
    assert_eq!(run.console[0].message, "before");
}

#[test]
fn the_result_is_read_by_the_kind_of_the_input_and_raw_only_when_asked() {
    let source =
        "done({continue: false, request_vendor_method: 'put', response_status_code: '201'});";
    let run = run_blocking(
        &script(source, false),
        HookInput::Given(Kind::PreRequest, &vars()),
        Limits::default(),
        &Dispatcher::default(),
        Options::default(),
    );
    let outcome = run.outcome.expect("runs");
    assert!(outcome.raw.is_none());
    let result = outcome.result.pre_request().expect("a preRequest result");
    assert!(!result.continue_);
    assert_eq!(result.request_vendor_method.as_deref(), Some("PUT"));
    assert_eq!(result.response_status_code, Some(201));
}

#[test]
fn mocked_http_answers_matching_requests_and_refuses_the_others() {
    let mock = crate::hooks::MockedResponse {
        method: Some("GET".into()),
        url: "https://api.example.com/*".into(),
        response: crate::vendor::HookResponse {
            status: 201,
            headers: Vec::new(),
            body: bytes::Bytes::from_static(b"{}"),
            url: "https://api.example.com/".into(),
            redirected: false,
        },
    };
    let source = "CE.httpRequest({url: 'https://api.example.com/x'}).then((r) => \
        CE.httpRequest({url: 'https://elsewhere.example.com/'}).then(() => done({}), (e) => done({status: r.status, error: String(e)})));";
    let run = run_blocking(
        &script(source, false),
        HookInput::Given(Kind::PreRequest, &vars()),
        Limits::default(),
        &Dispatcher::mocked(vec![mock]),
        Options {
            raw: true,
            ..Options::default()
        },
    );
    let outcome = run.outcome.expect("runs");
    let done = outcome.raw.map(|r| r.done).unwrap_or_default();
    assert!(
        done["error"].as_str().is_some_and(
            |e| e.contains("no mocked response for GET https://elsewhere.example.com/")
        ),
        "{done}"
    );
    assert_eq!(outcome.outbound.len(), 2);
    assert_eq!(outcome.outbound[0].status, Some(201));
}

#[test]
fn email_without_smtp_settings_fails_saying_so() {
    let source = "notify.email('a@example.com', 's', 'b').then(() => done({sent: true}), (e) => done({error: String(e)}));";
    let run = run_blocking(
        &script(source, false),
        HookInput::Given(Kind::PreRequest, &vars()),
        Limits::default(),
        &Dispatcher::real(None),
        Options {
            raw: true,
            ..Options::default()
        },
    );
    let done = run
        .outcome
        .ok()
        .and_then(|o| o.raw)
        .map(|r| r.done)
        .unwrap_or_default();
    assert!(
        done["error"]
            .as_str()
            .is_some_and(|e| e.contains("email is not configured")),
        "{done}"
    );
}

#[test]
fn a_frozen_clock_holds_in_a_fresh_context() {
    let run = run_blocking(
        &script("done({now: Date.now()});", false),
        HookInput::Given(Kind::PreRequest, &vars()),
        Limits::default(),
        &Dispatcher::default(),
        Options {
            now: Some(1_700_000_000_000.0),
            context: Some((99, 0)),
            raw: true,
            ..Options::default()
        },
    );
    let done = run.outcome.ok().and_then(|o| o.raw).map(|r| r.done);
    assert_eq!(done, Some(json!({"now": 1_700_000_000_000u64})));
}
