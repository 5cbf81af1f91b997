//! Hook scripts run through the engine directly: Cloud Elements' documented event hook and the
//! edge cases of `done()` and the hook variables.

use elemental::hooks::{Kind, Limits, Origin, Script};

mod support;
use serde_json::{json, Map, Value};
use support::hooks::run;

fn script(source: &str, legacy: bool) -> Script {
    Script {
        legacy,
        ..Script::new("event", Origin::file("hooks/event.js"), source)
    }
}

fn vars(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

/// "Reading Event Webhooks", the event hook example in Cloud Elements' hooks documentation,
/// unchanged.
const DOCUMENTED_EVENT_HOOK: &str = r#"var formattedEvents = getArray();
var eventObj = {};
eventObj.event_date = events["modifiedAt"];
eventObj.event_object_id = events["id"];
var webhook_types = events.eventHeaders["x-event"];
if(webhook_types === 'convo.created') {
eventObj.event_type = 'CREATED';
eventObj.event_object_type = 'incidents';
} else if(webhook_types === 'convo.updated') {
eventObj.event_type = 'UPDATED';
eventObj.event_object_type = 'incidents';
} else if(webhook_types === "convo.deleted"){
eventObj.event_type = 'DELETED';
eventObj.event_object_type = 'incidents';
} else if(webhook_types === 'customer.created'){
eventObj.event_type = 'CREATED';
eventObj.event_object_type = 'users';
} else if(webhook_types === 'customer.updated'){
eventObj.event_type = 'UPDATED';
eventObj.event_object_type = 'users';
}
formattedEvents.add(eventObj);
done( {
"events" : formattedEvents
} );
"#;

#[test]
fn documented_event_hook_normalizes_a_webhook() {
    for (kind, event_type, object_type) in [
        ("convo.created", "CREATED", "incidents"),
        ("customer.updated", "UPDATED", "users"),
        ("convo.deleted", "DELETED", "incidents"),
    ] {
        let input = vars(
            json!({"events": {"id": 77, "modifiedAt": "2026-11-24T00:00:00Z", "eventHeaders": {"x-event": kind}, "eventId": "e1"}, "configuration": {}}),
        );
        let outcome = run(
            &script(DOCUMENTED_EVENT_HOOK, false),
            Kind::Event,
            &input,
            Limits::default(),
        )
        .expect("runs");
        assert_eq!(
            outcome.done,
            json!({"events": [{"event_date": "2026-11-24T00:00:00Z", "event_object_id": 77, "event_type": event_type, "event_object_type": object_type}]})
        );
    }
}

#[test]
fn hooks_may_assign_to_their_variables_as_cloud_elements_hooks_do() {
    // The global preRequest hook of the public Trello export starts this way.
    let source = "request_vendor_parameters = request_vendor_parameters || {};\nrequest_vendor_parameters.key = configuration['oauth.api.key'];\nconfiguration = null;\ndone({request_vendor_parameters});";
    for legacy in [false, true] {
        let outcome = run(
            &script(source, legacy),
            Kind::PreRequest,
            &vars(json!({"request_vendor_parameters": {"a": "1"}, "configuration": {"oauth.api.key": "k"}})),
            Limits::default(),
        )
        .expect("runs");
        assert_eq!(
            outcome.done,
            json!({"request_vendor_parameters": {"a": "1", "key": "k"}}),
            "legacy {legacy}"
        );
    }
}

#[test]
fn legacy_hooks_return_their_result_and_have_print_and_base64encode() {
    let source = "print('legacy ' + request_method);\nreturn { request_vendor_headers: { 'X-B': base64Encode('a:b') } };";
    let outcome = run(
        &script(source, true),
        Kind::PreRequest,
        &vars(json!({"request_method": "GET"})),
        Limits::default(),
    )
    .expect("runs");
    assert!(!outcome.called);
    assert_eq!(
        Value::Object(outcome.result.unwrap_or_default()),
        json!({"request_vendor_headers": {"X-B": "YTpi"}})
    );
    assert_eq!(outcome.console[0].message, "legacy GET");
}

#[test]
fn built_ins_cannot_be_poisoned_for_the_next_invocation_of_the_same_instance() {
    // Strict hooks get a TypeError; sloppy (legacy) hooks are silently ignored; either way the
    // next invocation in the same pooled context sees the built-ins intact.
    for attack in [
        "Object.prototype.polluted = 'yes';",
        "Array.prototype.map = () => 'evil';",
        "JSON.parse = () => 'evil';",
        "Object.defineProperty(String.prototype, 'trim', {value: () => 'evil'});",
        "CE.md5 = () => 'evil';",
        "require('lodash').map = () => 'evil';",
    ] {
        let strict = pooled(
            (20, 0),
            &format!("{attack}\ndone();"),
            false,
            Limits::default(),
        );
        assert!(strict.is_err(), "{attack} must throw in a strict hook");
        let _ = pooled(
            (20, 0),
            &format!("try {{ {attack} }} catch (e) {{}}\nreturn {{}};"),
            true,
            Limits::default(),
        );
    }
    let probe = "done({polluted: ({}).polluted === undefined, map: [1].map((x) => x + 1)[0], json: JSON.parse('2'), trim: ' a '.trim(), md5: CE.md5('abc'), lodash: require('lodash').map([1], (x) => x * 3)[0]});";
    let outcome = pooled((20, 0), probe, false, Limits::default()).expect("runs");
    assert_eq!(
        outcome.done,
        json!({"polluted": true, "map": 2, "json": 2, "trim": "a", "md5": "900150983cd24fb0d6963f7d28e17f72", "lodash": 3})
    );
}

#[test]
fn ordinary_code_still_overrides_inherited_properties() {
    // Freezing alone would break these through the "override mistake".
    let source = "const e = new Error('x'); e.name = 'ValidationError';\nconst o = {}; o.toString = () => 'custom'; o.constructor = 'c';\nclass Money { toJSON() { return 'money'; } }\nconst fnWithOwn = function () {}; fnWithOwn.bind = 'own bind'; const obj = {}; obj.hasOwnProperty = () => 'own';\ndone({name: e.name, str: String(o), ctor: o.constructor, json: JSON.stringify(new Money()), push: [fnWithOwn.bind, obj.hasOwnProperty()], stack: typeof e.stack});";
    let outcome = pooled((21, 0), source, false, Limits::default()).expect("runs");
    assert_eq!(
        outcome.done,
        json!({"name": "ValidationError", "str": "custom", "ctor": "c", "json": "\"money\"", "push": ["own bind", "own"], "stack": "string"})
    );
}

fn pooled(
    key: (i64, usize),
    source: &str,
    legacy: bool,
    limits: Limits,
) -> Result<support::hooks::Ran, elemental::hooks::HookError> {
    let script = script(source, legacy);
    support::hooks::run_pooled(key, &script, Kind::PreRequest, &Map::new(), limits)
}

#[test]
fn pooled_contexts_sweep_globals_and_never_cross_instances() {
    pooled(
        (1, 0),
        "globalThis.leftover = 'a'; setTimeout(() => {}, 60000); done();",
        false,
        Limits::default(),
    )
    .expect("runs");
    // Replacing a built-in global throws in strict code and is ignored in sloppy code.
    let error = pooled((1, 0), "JSON = null;", false, Limits::default()).expect_err("read-only");
    assert_eq!(
        error.js().map(|e| e.message.as_str()),
        Some("'JSON' is read-only")
    );
    pooled((1, 0), "JSON = null; return {};", true, Limits::default()).expect("ignored");
    pooled(
        (1, 0),
        "implicitGlobal = 1; return {};",
        true,
        Limits::default(),
    )
    .expect("runs");
    pooled(
        (1, 0),
        "(0, eval)('var viaEval = 1'); done();",
        false,
        Limits::default(),
    )
    .expect("runs");
    let probe = "done({leftover: typeof leftover, implicit: typeof implicitGlobal, viaEval: typeof viaEval, json: typeof JSON.parse});";
    for key in [(1, 0), (2, 0)] {
        let outcome = pooled(key, probe, false, Limits::default()).expect("runs");
        assert_eq!(
            outcome.done,
            json!({"leftover": "undefined", "implicit": "undefined", "viaEval": "undefined", "json": "function"}),
            "{key:?}"
        );
    }
}

#[test]
fn a_pooled_context_that_hit_its_time_budget_is_replaced() {
    let limits = Limits {
        time: std::time::Duration::from_millis(50),
        ..Limits::default()
    };
    let error = pooled((3, 0), "while (true) {}", false, limits).expect_err("times out");
    assert!(matches!(error, elemental::hooks::HookError::Timeout { .. }));
    let outcome = pooled((3, 0), "done({ok: 1})", false, Limits::default()).expect("runs");
    assert_eq!(outcome.done, json!({"ok": 1}));
}

#[test]
fn timers_run_on_the_event_loop_and_done_can_come_from_them() {
    let source = "let ticks = 0; const t = setInterval(() => { ticks++; if (ticks === 3) { clearInterval(t); setTimeout(() => done({ticks, immediate}), 5); } }, 10); let immediate = false; setImmediate(() => { immediate = true; });";
    let started = std::time::Instant::now();
    let outcome = pooled((4, 0), source, false, Limits::default()).expect("runs");
    assert_eq!(outcome.done, json!({"ticks": 3, "immediate": true}));
    assert!(started.elapsed() >= std::time::Duration::from_millis(35));
}

#[test]
fn pending_timers_without_done_pass_through_once_drained() {
    let outcome = pooled(
        (5, 0),
        "setTimeout(() => console.log('later'), 5);",
        false,
        Limits::default(),
    )
    .expect("runs");
    assert!(outcome.result.is_none());
    assert_eq!(outcome.console[0].message, "later");
}

#[test]
fn a_timer_that_throws_before_done_fails_the_hook_and_one_after_is_ignored() {
    let error = pooled(
        (6, 0),
        "setTimeout(() => { null.x; }, 1);",
        false,
        Limits::default(),
    )
    .expect_err("fails");
    assert_eq!(error.js().map(|e| e.name.as_str()), Some("TypeError"));
    let outcome = pooled(
        (6, 0),
        "done({}); setTimeout(() => { null.x; }, 1);",
        false,
        Limits::default(),
    )
    .expect("runs");
    assert!(outcome.called);
}

#[test]
fn waiting_for_a_timer_beyond_the_budget_is_a_timeout() {
    let limits = Limits {
        time: std::time::Duration::from_millis(100),
        ..Limits::default()
    };
    let started = std::time::Instant::now();
    let error =
        pooled((7, 0), "setTimeout(() => done({}), 5000);", false, limits).expect_err("times out");
    assert!(matches!(error, elemental::hooks::HookError::Timeout { .. }));
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

#[test]
fn a_memory_bomb_fails_cleanly_and_the_next_hook_runs() {
    let bomb = "const chunks = []; while (true) { chunks.push(new Array(100000).fill(1)); }";
    let limits = Limits {
        memory: 16 * 1024 * 1024,
        ..Limits::default()
    };
    let error =
        run(&script(bomb, false), Kind::PreRequest, &Map::new(), limits).expect_err("must fail");
    assert!(
        matches!(
            error,
            elemental::hooks::HookError::Memory { limit_mib: 16, .. }
        ),
        "{error}"
    );
    let outcome = run(
        &script("done({ok: true})", false),
        Kind::PreRequest,
        &Map::new(),
        Limits::default(),
    )
    .expect("runs after");
    assert_eq!(outcome.done, json!({"ok": true}));
}

#[test]
fn deep_recursion_fails_with_a_js_error() {
    let error = run(
        &script("function f(n) { return f(n + 1) + 1; }\nf(0);", false),
        Kind::PreRequest,
        &Map::new(),
        Limits::default(),
    )
    .expect_err("must fail");
    let js = error.js().cloned().expect("a JS error");
    assert_eq!(js.name, "RangeError");
}
