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
