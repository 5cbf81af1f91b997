//! `require` in hooks: the embedded modules, the element's own modules, and their limits.

mod support;

use elemental::hooks::{Kind, Limits};
use serde_json::{json, Map, Value};
use support::hooks::run;
use support::Project;

/// Load one element whose global preRequest hook is `hook`, plus extra files; run the hook.
fn run_hook(hook: &str, files: &[(&str, &str)]) -> Result<Value, String> {
    let p = Project::new();
    p.element(
        "mods",
        "key: mods\nhooks:\n  - type: preRequest\n    file: hooks/pre.js\n",
    );
    p.write("elements/mods/hooks/pre.js", hook);
    for (path, text) in files {
        p.write(&format!("elements/mods/{path}"), text);
    }
    let (elements, diagnostics) = elemental::element::load_dir(&p.path("elements"));
    if elemental::element::has_errors(&diagnostics) {
        return Err(diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"));
    }
    let element = elements.get("mods").cloned().ok_or("no element")?;
    let script = element.hooks.pre_request.clone().ok_or("no hook")?;
    run(&script, Kind::PreRequest, &Map::new(), Limits::default())
        .map(|o| o.done)
        .map_err(|e| e.to_string())
}

#[test]
fn lodash_is_available_and_cached_per_context() {
    let done = run_hook("const _ = require('lodash');\ndone({chunk: _.chunk([1, 2, 3], 2), path: _.get({a: [{b: 7}]}, 'a[0].b'), same: require('lodash') === _, fp: typeof require('lodash').map});", &[]).expect("runs");
    assert_eq!(
        done,
        json!({"chunk": [[1, 2], [3]], "path": 7, "same": true, "fp": "function"})
    );
}

#[test]
fn element_modules_resolve_relative_to_the_requiring_file() {
    let files = [
        ("lib/format.js", "const case_ = require('./text/case');\nmodule.exports = { title: (s) => case_.upper(s[0]) + s.slice(1) };"),
        ("lib/text/case.js", "exports.upper = (s) => s.toUpperCase();\nexports.loads = (exports.loads || 0) + 1;"),
        ("lib/config/index.js", "module.exports = { region: require('../../data/regions.json').default };"),
        ("data/regions.json", "{\"default\": \"eu-west-1\"}"),
    ];
    let hook = "const f = require('./lib/format.js');\nconst again = require('./lib/format');\ndone({title: f.title('ada'), cached: f === again, region: require('./lib/config').region, loads: require('./lib/text/case').loads});";
    assert_eq!(
        run_hook(hook, &files).expect("runs"),
        json!({"title": "Ada", "cached": true, "region": "eu-west-1", "loads": 1})
    );
}

#[test]
fn escaping_the_element_folder_is_refused() {
    for escape in ["../../etc/passwd", "./lib/../../outside", "/etc/passwd"] {
        let hook = format!("try {{ require('{escape}'); done({{loaded: true}}); }} catch (e) {{ done({{message: e.message}}); }}");
        let done = run_hook(&hook, &[("lib/ok.js", "module.exports = 1;")]).expect("runs");
        let message = done["message"].as_str().unwrap_or_default();
        assert!(message.contains("refused"), "{escape}: {done}");
    }
}

#[test]
fn an_unknown_module_is_module_not_found() {
    let done = run_hook(
        "try { require('left-pad'); } catch (e) { done({message: e.message, code: e.code}); }",
        &[],
    )
    .expect("runs");
    assert_eq!(
        done,
        json!({"message": "Cannot find module 'left-pad'", "code": "MODULE_NOT_FOUND"})
    );
}

#[test]
fn a_module_with_a_syntax_error_fails_the_load_with_its_place() {
    let error = run_hook(
        "done();",
        &[("lib/broken.js", "const ok = 1;\nconst bad = ;\n")],
    )
    .expect_err("must not load");
    assert!(
        error.contains("elements/mods/lib/broken.js:2:13: module lib/broken.js: SyntaxError"),
        "{error}"
    );
    let error =
        run_hook("done();", &[("data/bad.json", "{\n  \"a\": ,\n}")]).expect_err("must not load");
    assert!(
        error.contains("elements/mods/data/bad.json:2:8: module data/bad.json: invalid JSON"),
        "{error}"
    );
}

#[test]
fn url_and_search_params_follow_whatwg() {
    let hook = r#"
const u = new URL('/a/../b?x=1#h', 'https://User:pw@EXAMPLE.com:443/base/');
u.searchParams.append('q', 'a b&c');
const rel = new URL('https://example.com/p?keep=1');
rel.pathname = '/new path';
rel.search = '?z=é';
const p = new URLSearchParams('a=1&b=2&a=3');
p.sort();
let invalid = null;
try { new URL('not a url'); } catch (e) { invalid = [e.name, e.code]; }
const legacy = require('url').parse('http://u:p@host:8080/p/a?x=1&y=2#f', true);
done({href: u.href, origin: u.origin, port: u.port, rel: rel.href, all: p.getAll('a'), sorted: p.toString(), invalid, canParse: URL.canParse('x', 'http://h'), legacy: {host: legacy.host, query: legacy.query, auth: legacy.auth, pathname: legacy.pathname}});
"#;
    let done = run_hook(hook, &[]).expect("runs");
    // Values as Node 20 gives them.
    assert_eq!(
        done,
        json!({
            "href": "https://User:pw@example.com/b?x=1&q=a+b%26c#h",
            "origin": "https://example.com",
            "port": "",
            "rel": "https://example.com/new%20path?z=%C3%A9",
            "all": ["1", "3"],
            "sorted": "a=1&a=3&b=2",
            "invalid": ["TypeError", "ERR_INVALID_URL"],
            "canParse": true,
            "legacy": {"host": "host:8080", "query": {"x": "1", "y": "2"}, "auth": "u:p", "pathname": "/p/a"}
        })
    );
}

#[test]
fn lodash_fp_is_curried_data_last_and_immutable() {
    let hook = "const fp = require('lodash/fp');\nconst input = {a: {b: 1}};\nconst set = fp.set('a.b', 2)(input);\ndone({mapped: fp.map(fp.add(1))([1, 2]), sorted: fp.sortBy('n')([{n: 2}, {n: 1}]), set, untouched: input, flow: fp.flow(fp.filter((n) => n > 1), fp.sum)([1, 2, 3])});";
    assert_eq!(
        run_hook(hook, &[]).expect("runs"),
        json!({"mapped": [2, 3], "sorted": [{"n": 1}, {"n": 2}], "set": {"a": {"b": 2}}, "untouched": {"a": {"b": 1}}, "flow": 5})
    );
}

#[test]
fn node_globals_and_modules_are_there_without_require() {
    let hook = r#"
const util = require('util');
const EventEmitter = require('events');
const qs = require('querystring');
const e = new EventEmitter();
let heard = null;
e.once('ping', (v) => { heard = v; });
e.emit('ping', 42);
const clone = structuredClone({d: new Date(0), m: new Map([[1, 2]])});
done({
  buffer: Buffer.from('héllo').toString('base64'),
  encoded: Array.from(new TextEncoder().encode('é')),
  decoded: new TextDecoder().decode(new Uint8Array([0xe6, 0x97, 0xa5])),
  format: util.format('%s=%d %j', 'a', 42, {b: 1}),
  inspect: util.inspect({a: [1, 2, {b: 'c'}]}),
  deep: util.isDeepStrictEqual({a: [1, NaN]}, {a: [1, NaN]}),
  heard,
  qs: qs.stringify({a: [1, 2], b: 'x y'}),
  parsed: qs.parse('a=1&a=2&b=%20c'),
  clone: [clone.d instanceof Date, clone.m.get(1)],
  atob: atob(btoa('hi')),
  types: [typeof setImmediate, typeof queueMicrotask, typeof URL, typeof fetch, typeof structuredClone],
});
"#;
    assert_eq!(
        run_hook(hook, &[]).expect("runs"),
        json!({
            "buffer": "aMOpbGxv",
            "encoded": [195, 169],
            "decoded": "日",
            "format": "a=42 {\"b\":1}",
            "inspect": "{ a: [ 1, 2, { b: 'c' } ] }",
            "deep": true,
            "heard": 42,
            "qs": "a=1&a=2&b=x%20y",
            "parsed": {"a": ["1", "2"], "b": " c"},
            "clone": [true, 2],
            "atob": "hi",
            "types": ["function", "function", "function", "function", "function"]
        })
    );
}
