//! The scope every hook runs in, beyond its variables: Node's module scope (`module`,
//! `exports`, top-level `this`) for pasted UMD libraries, and `print` in V2 and legacy hooks.

use elemental::hooks::{HookError, Kind, Limits, Origin, Script};

mod support;
use serde_json::{json, Map, Value};
use support::hooks::{run, run_pooled, Ran};

fn script(source: &str, legacy: bool) -> Script {
    Script {
        legacy,
        ..Script::new("scope", Origin::file("hooks/scope.js"), source)
    }
}

fn configuration() -> Map<String, Value> {
    let mut vars = Map::new();
    vars.insert("configuration".into(), json!({"greeting": "hi"}));
    vars
}

fn fresh(source: &str, legacy: bool) -> Result<Ran, HookError> {
    run(
        &script(source, legacy),
        Kind::PreRequest,
        &configuration(),
        Limits::default(),
    )
}

fn pooled(key: (i64, usize), source: &str, legacy: bool) -> Result<Ran, HookError> {
    run_pooled(
        key,
        &script(source, legacy),
        Kind::PreRequest,
        &configuration(),
        Limits::default(),
    )
}

/// A tiny library in the UMD shape CryptoJS and moment ship: CommonJS when `exports` is an
/// object, AMD when `define` is, else a global on `root` (the top-level `this`).
const UMD_LIBRARY: &str = r#"(function (root, factory) {
  if (typeof exports === 'object') module.exports = factory();
  else if (typeof define === 'function' && define.amd) define([], factory);
  else root.Shout = factory();
}(this, function () {
  return { shout: function (s) { return String(s).toUpperCase() + '!'; } };
}));
"#;

fn umd_hook(tail: &str) -> String {
    format!("{UMD_LIBRARY}{tail}")
}

#[test]
fn a_pasted_umd_library_takes_its_commonjs_branch_in_v2_and_legacy_hooks() {
    let tail = "const Shout = module.exports;\ndone({ said: Shout.shout(configuration.greeting), define: typeof define, global: typeof globalThis.Shout });";
    for legacy in [false, true] {
        let ran = fresh(&umd_hook(tail), legacy).expect("runs");
        assert_eq!(
            ran.done,
            json!({"said": "HI!", "define": "undefined", "global": "undefined"}),
            "legacy: {legacy}"
        );
    }
}

#[test]
fn module_exports_and_this_are_nodes_module_scope() {
    let source = "const same = exports === module.exports && this === module.exports;\nconst t = typeof this;\nexports.a = 1;\nmodule.exports = { b: 2 };\nexports = module.exports;\ndone({ same, t, module: typeof module, exportsNow: exports.b, a: module.exports.a === undefined });";
    for legacy in [false, true] {
        let ran = fresh(source, legacy).expect("runs");
        assert_eq!(
            ran.done,
            json!({"same": true, "t": "object", "module": "object", "exportsNow": 2, "a": true}),
            "legacy: {legacy}"
        );
    }
}

#[test]
fn module_exports_is_not_a_result_and_a_returned_object_still_is() {
    let ran = fresh("module.exports = { continue: false };", false).expect("runs");
    assert!(!ran.called);
    assert_eq!(
        ran.result, None,
        "module.exports must not become the result"
    );

    let ran = fresh(
        "module.exports = { ignored: true };\nreturn { request_vendor_headers: { 'X-A': '1' } };",
        true,
    )
    .expect("runs");
    assert!(!ran.called);
    assert_eq!(
        ran.result.map(Value::Object),
        Some(json!({"request_vendor_headers": {"X-A": "1"}}))
    );
}

#[test]
fn each_invocation_gets_a_fresh_module_and_globals_are_still_swept() {
    let key = (40, 0);
    let first = "exports.seen = (exports.seen || 0) + 1; module.marker = 'set'; this.viaThis = 1;\nglobalThis.leftover = 1;\ndone({ seen: exports.seen });";
    for _ in 0..3 {
        let ran = pooled(key, first, false).expect("runs");
        assert_eq!(ran.done, json!({"seen": 1}));
    }
    let probe = "done({ keys: Object.keys(module.exports), marker: typeof module.marker, leftover: typeof leftover, moduleGlobal: typeof globalThis.module, exportsGlobal: typeof globalThis.exports });";
    let ran = pooled(key, probe, false).expect("runs");
    assert_eq!(
        ran.done,
        json!({"keys": [], "marker": "undefined", "leftover": "undefined", "moduleGlobal": "undefined", "exportsGlobal": "undefined"})
    );
}

#[test]
fn a_hook_may_shadow_module_and_exports_with_its_own_declarations() {
    let source = "const module = 'mine';\nlet exports = 2;\ndone({ module, exports });";
    let ran = fresh(source, false).expect("runs");
    assert_eq!(ran.done, json!({"module": "mine", "exports": 2}));
}

#[test]
fn print_is_console_log_in_v2_hooks_too_and_base64encode_stays_legacy() {
    let ran = fresh(
        "print('v2', { a: 1 });\ndone({ b64: typeof base64Encode, same: print === console.log });",
        false,
    )
    .expect("runs");
    assert_eq!(ran.done, json!({"b64": "undefined", "same": true}));
    assert_eq!(ran.console.len(), 1);
    assert_eq!(ran.console[0].message, "v2 {\"a\":1}");
    assert_eq!(ran.console[0].level, "info");

    let ran = fresh(
        "print('legacy');\nreturn { b64: base64Encode('a:b') };",
        true,
    )
    .expect("runs");
    assert_eq!(ran.result.map(Value::Object), Some(json!({"b64": "YTpi"})));
    assert_eq!(ran.console[0].message, "legacy");
}

/// The published demoacquia hook (tests/ce-hooks/hooks.json) pastes CryptoJS in UMD form.
fn acquia_hook() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ce-hooks/hooks.json");
    let text = std::fs::read_to_string(path).expect("tests/ce-hooks/hooks.json");
    let data: Value = serde_json::from_str(&text).expect("JSON");
    let hooks = data["hooks"].as_array().cloned().unwrap_or_default();
    let hook = hooks
        .iter()
        .find(|h| h["id"] == "demoacquia global preRequest")
        .expect("the demoacquia hook");
    hook["body"].as_str().unwrap_or_default().to_string()
}

fn run_acquia(source: &str) -> Result<Ran, HookError> {
    use elemental::hooks::{run_blocking, Dispatcher, HookInput, Options};
    let vars = json!({
        "request_vendor_method": "POST",
        "request_vendor_url": "https://api.example.com/v1/x",
        "request_body": "{}",
        "request_vendor_body_map": {"a": 1},
        "configuration": {"public.key": "p", "secret.key": "c2VjcmV0"},
    });
    let vars = vars.as_object().cloned().unwrap_or_default();
    let options = Options {
        now: Some(1_700_000_000_000.0),
        raw: true,
        ..Options::default()
    };
    let input = HookInput::Given(Kind::PreRequest, &vars);
    let script = script(source, false);
    let run = run_blocking(
        &script,
        input,
        Limits::default(),
        &Dispatcher::default(),
        options,
    );
    let outcome = run.outcome?;
    Ok(Ran {
        called: outcome.called,
        done: outcome.raw.map(|r| r.done).unwrap_or(Value::Null),
        result: None,
        console: run.console,
        outbound: outcome.outbound,
    })
}

/// Its UMD prologue takes the CommonJS branch, so, as in Node, the hook fails where it reads
/// a global `CryptoJS`; once bound to `module.exports`, the pasted CryptoJS signs the request
/// (values computed by Node: tests/ce-hooks/run.js on the same text).
#[test]
fn the_published_acquia_hook_loads_cryptojs_through_module_exports() {
    let body = acquia_hook();
    let error = run_acquia(&body).expect_err("fails as in Node");
    let js = error.js().expect("a JS error");
    assert_eq!(
        (js.name.as_str(), js.message.as_str()),
        ("ReferenceError", "CryptoJS is not defined")
    );

    let own_code = "var method = request_vendor_method";
    let at = body
        .find(own_code)
        .expect("the hook's own code after the library");
    let bound = format!(
        "{}var CryptoJS = module.exports;\n{}",
        &body[..at],
        &body[at..]
    );
    let ran = run_acquia(&bound).expect("signs");
    let headers = &ran.done["request_vendor_headers"];
    assert_eq!(headers["X-Authorization-Timestamp"], "1700000000");
    assert_eq!(
        headers["X-Authorization-Content-SHA256"],
        "TqXFCKZWbnYkBUP4/rBv1Fd3e+OVScQBZDav2mXSMw4="
    );
    let authorization = headers["Authorization"].as_str().unwrap_or_default();
    assert!(
        authorization.starts_with("acquia-http-hmac id=\"p\",nonce=\"")
            && authorization
                .contains(",realm=\"Acquia\",version=\"2.0\",headers=\"\",signature=\""),
        "{authorization}"
    );
}
