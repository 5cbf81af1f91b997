//! Isolation between the instances of one element: whatever a hook of instance A hides in its
//! JavaScript context — globals, prototypes, modules, properties on built-in functions,
//! collections, work left behind after `done()`, engine statics — instance B's hook (the same
//! script) never finds, on the same worker. Black-box through HTTP, one worker, A and B in
//! turn. The probe is tests/support/isolation_probe.js: `x-place` names a hiding place,
//! `x-mode: store` hides the instance's secret there and reads it back in the same
//! invocation (the control: a probe that cannot store proves nothing), `x-mode: read` looks.
//!
//! The engine pools one context per element and executor thread and lends it to every instance
//! of the element in turn; with one hook executor and requests one at a time, A and B are
//! served by the same context, so these tests are the wall between them.

mod support;

use serde_json::Value;
use support::{http, MockVendor, Project, Reply, Server};

const PROBE: &str = include_str!("support/isolation_probe.js");
const A_SECRET: &str = "A-SECRET-7f3a9c2e";
const B_SECRET: &str = "B-SECRET-1d5e8b40";
/// How long a read waits before looking, for places where work is left behind.
const SETTLE_MS: &str = "400";

/// An elemental server with ONE worker and ONE hook executor (for the whole test binary), so
/// A's and B's invocations share the executor's QuickJS runtime and the element's context.
struct OneWorker {
    server: Server,
}

impl OneWorker {
    fn start(p: &Project) -> OneWorker {
        use elemental::hooks::executor::{start, Executors};
        let executors = start(Executors {
            threads: 1,
            queue: 64,
        });
        assert_eq!(executors.threads, 1, "one hook executor");
        OneWorker {
            server: Server::start_one_worker(&p.sources(), &p.path("data"), Default::default()),
        }
    }

    /// One probe request as instance `token`, its hook `strict` (V2) or `sloppy` (legacy).
    fn probe(&self, token: &str, hook: &str, place: &str, mode: &str, wait: &str) -> Reply {
        let auth = format!("Element {token}");
        let needle = match token {
            "a" => A_SECRET,
            _ => B_SECRET,
        };
        http(
            "GET",
            &format!("{}/elements/api-v2/{hook}", self.server.base),
            &[
                ("Authorization", auth.as_str()),
                ("x-place", place),
                ("x-mode", mode),
                ("x-wait", wait),
                ("x-needle", needle),
            ],
            None,
        )
    }
}

/// The element (a strict and a sloppy copy of the probe, element-local modules) and its two
/// instances A and B, on a vendor that answers `/slow` late.
fn serve() -> (MockVendor, Project, OneWorker) {
    let vendor = MockVendor::start(|request| {
        let reply = Reply::json(200, serde_json::json!({"ok": true}));
        match request.path.as_str() {
            "/slow" => Reply {
                delay: Some(std::time::Duration::from_millis(150)),
                ..reply
            },
            _ => reply,
        }
    });
    let p = Project::new();
    p.element(
        "iso",
        "\
key: iso
# The scan walks every object a context can reach: in a debug build on a loaded machine its
# own steps can pass the default 250 ms CPU budget. The test is about what it finds, not
# how fast, so the budget here is generous.
limits:
  cpuMs: 5000
configuration:
  - key: base.url
  - key: api.secret
    type: PASSWORD
resources:
  - method: GET
    path: /strict
    vendorPath: /strict
    hooks:
      - type: preRequest
        file: hooks/probe.js
  - method: GET
    path: /sloppy
    vendorPath: /sloppy
    hooks:
      - type: preRequest
        isLegacy: true
        file: hooks/probe.js
",
    );
    p.write("elements/iso/hooks/probe.js", PROBE);
    p.write(
        "elements/iso/lib/store.js",
        "let saved;\nmodule.exports = { set(v) { saved = v; }, get() { return saved; } };\n",
    );
    p.write(
        "elements/iso/lib/plain.js",
        "module.exports = { name: 'plain' };\n",
    );
    p.write("elements/iso/lib/marks.js", "module.exports = {};\n");
    p.write("elements/iso/lib/data.json", "{\"name\": \"data\"}\n");
    p.instances(&format!(
        "instances:\n  - id: 1\n    name: A\n    element: iso\n    token: a\n    configuration: {{base.url: '{0}', api.secret: {A_SECRET}}}\n  - id: 2\n    name: B\n    element: iso\n    token: b\n    configuration: {{base.url: '{0}', api.secret: {B_SECRET}}}\n",
        vendor.base
    ));
    let server = OneWorker::start(&p);
    (vendor, p, server)
}

/// What one probe answered.
#[derive(Debug)]
struct Probe {
    stored: bool,
    error: Option<String>,
    found: Option<String>,
    marker: bool,
}

fn parse(reply: &Reply, what: &str) -> Result<Probe, String> {
    if reply.status != 200 {
        return Err(format!("{what}: status {}: {}", reply.status, reply.body));
    }
    let body = reply.body_json();
    let text = |key: &str| body[key].as_str().map(str::to_string);
    if body["place"].is_null() {
        return Err(format!("{what}: not the probe's answer: {}", reply.body));
    }
    Ok(Probe {
        stored: body["stored"].as_bool().unwrap_or(false),
        error: text("error"),
        found: text("found"),
        marker: body["marker"].as_bool().unwrap_or(false),
    })
}

/// Places whose hiding is work left behind after `done()`: nothing to read back in the same
/// invocation (each has a `*_before_done` control), and the reader waits before looking.
const DEFERRED: &[&str] = &[
    "set_timeout_after_done",
    "set_interval_after_done",
    "set_immediate_after_done",
    "queue_microtask_after_done",
    "promise_chain_after_done",
    "outbound_after_done",
    "finalization_registry",
];

/// Places the control must succeed in, in at least one of the two hooks: if hiding there were
/// refused the harness would be broken, not the sandbox strong.
const STORABLE: &[&str] = &[
    "implicit_global",
    "indirect_eval_var",
    "indirect_eval_function",
    "function_constructor",
    "global_assign",
    "define_property_hidden",
    "define_properties",
    "reflect_define_property",
    "define_getter",
    "accessor_hidden",
    "symbol_global",
    "symbol_global_hidden",
    "local_module_variable",
    "local_module_exports",
    "local_json_module",
    "map_in_hidden_global",
    "weakref_in_local_module",
    "timer_before_done",
    "outbound_before_done",
    "done_property",
];

/// Run every place in both hooks: A hides (and reads back), B looks, A looks again (what a
/// context kept between two invocations of one instance: printed), B hides, A looks for B's.
/// Every failure is collected and reported together, one line per place.
fn check(places: &[&str]) {
    let (_vendor, _p, server) = serve();
    let mut failures = Vec::new();
    let mut kept = Vec::new();
    for &place in places {
        let wait = if DEFERRED.contains(&place) {
            SETTLE_MS
        } else {
            "0"
        };
        let mut controlled = false;
        let mut b_stored = false;
        let mut refused = Vec::new();
        for hook in ["strict", "sloppy"] {
            let at = format!("{place} ({hook})");
            // A hides its secret; the control reads it back within the same invocation.
            let stored = match parse(&server.probe("a", hook, place, "store", "0"), &at) {
                Ok(p) => p,
                Err(e) => {
                    failures.push(format!("{at}: A's store failed: {e}"));
                    continue;
                }
            };
            match (&stored.error, &stored.found) {
                (Some(error), _) => refused.push(format!("{hook}: {error}")),
                (None, Some(found)) if stored.marker || found == A_SECRET => controlled = true,
                (None, Some(found)) => {
                    failures.push(format!("{at}: A read back {found:?}, not its secret"))
                }
                (None, None) if stored.stored => refused.push(format!("{hook}: silently")),
                (None, None) => {}
            }
            // B, the same script on the same worker, looks for it.
            let reply = server.probe("b", hook, place, "read", wait);
            if reply.body.contains(A_SECRET) {
                failures.push(format!(
                    "{at}: B's answer carries A's secret: {}",
                    reply.body
                ));
            }
            match parse(&reply, &at) {
                // A marker is B's own leftover once B has stored there itself (below).
                Ok(Probe {
                    found: Some(found),
                    marker,
                    ..
                }) if found.contains(A_SECRET)
                    || (!found.contains(B_SECRET) && (!marker || !b_stored)) =>
                {
                    failures.push(format!("{at}: B found {found:?} where A hid its secret"))
                }
                Ok(_) => {}
                Err(e) => failures.push(format!("{at}: B's read failed: {e}")),
            }
            // A again: does the context keep it between invocations of one instance?
            if let Ok(Probe {
                found: Some(found), ..
            }) = parse(&server.probe("a", hook, place, "read", wait), &at)
            {
                kept.push(format!("{at}: {found}"));
            }
            // The other way round: B hides, A looks (A may still see its own).
            let reply = server.probe("b", hook, place, "store", "0");
            b_stored = true;
            if let Err(e) = parse(&reply, &at) {
                failures.push(format!("{at}: B's store failed: {e}"));
            }
            let reply = server.probe("a", hook, place, "read", wait);
            if reply.body.contains(B_SECRET) {
                failures.push(format!(
                    "{at}: A's answer carries B's secret: {}",
                    reply.body
                ));
            }
            if let Err(e) = parse(&reply, &at) {
                failures.push(format!("{at}: A's read failed: {e}"));
            }
        }
        if STORABLE.contains(&place) && !controlled {
            failures.push(format!(
                "{place}: the control failed, A could not hide its secret here ({})",
                refused.join("; ")
            ));
        }
        if !controlled && !DEFERRED.contains(&place) {
            eprintln!("{place}: refused to A itself ({})", refused.join("; "));
        }
    }
    if !kept.is_empty() {
        eprintln!(
            "kept between two invocations of instance A (would reach B in a shared context unless reset):\n  {}",
            kept.join("\n  ")
        );
    }
    assert!(
        failures.is_empty(),
        "isolation failures:\n  {}",
        failures.join("\n  ")
    );
}

#[test]
fn implicit_globals_and_indirect_eval_do_not_cross_instances() {
    check(&[
        "implicit_global",
        "indirect_eval_var",
        "indirect_eval_function",
        "indirect_eval_let",
        "function_constructor",
    ]);
}

#[test]
fn properties_of_the_global_object_do_not_cross_instances() {
    check(&[
        "global_assign",
        "define_property_hidden",
        "define_properties",
        "reflect_define_property",
        "define_getter",
        "accessor_hidden",
        "symbol_global",
        "symbol_global_hidden",
    ]);
}

#[test]
fn prototypes_do_not_cross_instances() {
    check(&[
        "object_prototype",
        "array_prototype",
        "function_prototype",
        "global_set_prototype_of",
        "global_dunder_proto",
        "array_iterator_prototype",
        "iterator_prototype",
        "generator_prototype",
        "async_function_prototype",
        "promise_prototype",
        "error_prototype",
    ]);
}

#[test]
fn element_modules_do_not_cross_instances() {
    check(&[
        "local_module_variable",
        "local_module_exports",
        "local_json_module",
    ]);
}

#[test]
fn embedded_modules_do_not_cross_instances() {
    check(&[
        "lodash_export",
        "lodash_template_settings",
        "lodash_template_imports",
        "lodash_template_regexp",
        "lodash_memoize_cache",
        "lodash_method_property",
        "lodash_prototype",
        "lodash_fp_placeholder",
        "events_prototype",
        "util_inspect_styles",
        "buffer_class",
        "buffer_pool_size",
        "buffer_prototype",
        "buffer_alloc_unsafe",
        "url_prototype",
        "fetch_headers_prototype",
        "text_decoder_prototype",
        "http_status_codes",
        "querystring_export_function",
        "crypto_export_function",
        "structured_clone_function",
        "encoding_utf8_helpers",
    ]);
}

#[test]
fn properties_on_functions_do_not_cross_instances() {
    check(&[
        "json_parse_property",
        "math_max_property",
        "inherited_method_property",
        "array_method_property",
        "function_to_string_property",
        "proto_accessor_property",
        "throw_type_error_property",
        "ce_function_property",
        "console_log_property",
        "set_timeout_property",
        "require_property",
        "require_prototype_property",
        "btoa_property",
        "get_array_property",
        "notify_email_property",
        "parse_object_property",
        "parse_function_property",
        "parse_replaced_method",
        "parse_error_prototype",
        "engine_invoke_property",
        "print_property",
        "hook_callee_property",
        "hook_callee_prototype",
        "hook_caller_property",
        "done_property",
    ]);
}

#[test]
fn collections_and_weak_references_do_not_cross_instances() {
    check(&[
        "map_in_hidden_global",
        "weakmap_in_template_settings",
        "weakset_on_builtin_method",
        "weakref_in_local_module",
    ]);
}

#[test]
fn a_finalizer_of_one_instance_never_runs_in_anothers_request() {
    check(&["finalization_registry"]);
}

#[test]
fn work_left_after_done_does_not_cross_instances() {
    check(&[
        "timer_before_done",
        "set_timeout_after_done",
        "set_interval_after_done",
        "set_immediate_after_done",
        "queue_microtask_after_done",
        "promise_chain_after_done",
        "outbound_before_done",
        "outbound_after_done",
    ]);
}

#[test]
fn engine_statics_do_not_cross_instances() {
    check(&[
        "error_capture_stack_trace",
        "regexp_legacy_statics",
        "date_static",
        "date_now_property",
        "math_static",
        "math_random_property",
    ]);
}

#[test]
fn prototypes_the_prelude_does_not_freeze_do_not_cross_instances() {
    check(&[
        "map_iterator_prototype",
        "set_iterator_prototype",
        "string_iterator_prototype",
        "regexp_string_iterator_prototype",
        "iterator_helper_prototype",
    ]);
}

#[test]
fn module_state_written_through_an_api_does_not_cross_instances() {
    check(&[
        "lodash_unique_id",
        "events_default_max_listeners",
        "util_inspect_default_options",
    ]);
}

#[test]
fn properties_on_the_legacy_base64_encode_do_not_cross_instances() {
    check(&["base64_encode_property"]);
}

#[test]
fn error_stack_trace_settings_do_not_cross_instances() {
    check(&[
        "error_prepare_stack_trace",
        "error_prepare_stack_trace_stack",
        "error_stack_trace_limit",
    ]);
}

/// A hides its secret everywhere at once (in both hooks); B walks everything reachable from
/// its global object — own keys of every kind, prototypes, accessors, Map and Set entries,
/// weak references, bytes of typed arrays, function sources, every module — and finds none
/// of it. The control: A's own walk finds its secret.
#[test]
fn nothing_reachable_from_the_global_object_carries_another_instances_secret() {
    let (_vendor, _p, server) = serve();
    for hook in ["strict", "sloppy"] {
        let reply = server.probe("a", hook, "scan", "store", SETTLE_MS);
        assert_eq!(reply.status, 200, "A's scan ({hook}): {}", reply.body);
        let own = reply.body_json();
        assert!(
            own["found"].as_array().is_some_and(|f| !f.is_empty()),
            "the control: A's walk ({hook}) finds its own secret: {own}"
        );
        assert_eq!(
            own["complete"],
            Value::Bool(true),
            "A's walk ({hook}) ended early: {own}"
        );
    }
    for hook in ["strict", "sloppy"] {
        // B looks for A's secret: the needle is A's, given to the probe as a header.
        let auth = "Element b";
        let reply = http(
            "GET",
            &format!("{}/elements/api-v2/{hook}", server.server.base),
            &[
                ("Authorization", auth),
                ("x-place", "scan"),
                ("x-mode", "read"),
                ("x-wait", SETTLE_MS),
                ("x-needle", A_SECRET),
            ],
            None,
        );
        assert_eq!(reply.status, 200, "B's scan ({hook}): {}", reply.body);
        let seen = reply.body_json();
        assert_eq!(
            seen["found"],
            serde_json::json!([]),
            "B's walk ({hook}) found A's secret: {seen}"
        );
        assert_eq!(
            seen["complete"],
            Value::Bool(true),
            "B's walk ({hook}) ended early: {seen}"
        );
        let visited = seen["visited"].as_u64().unwrap_or(0);
        assert!(
            visited > 1000,
            "B's walk ({hook}) saw only {visited} objects: {seen}"
        );
    }
}
