//! Loading elements from disk, as a user meets it: a Cloud Elements export loads as is, and a
//! broken element is answered with every problem at once, each at `file:line:column`.
//!
//! Fixtures live in tests/fixtures/elements (see tests/fixtures/README.md): `export/` is a
//! loadable element, and every other folder there is a scenario root holding one broken element,
//! so `load_dir(tests/fixtures/elements)` sees only the export.

use std::path::{Path, PathBuf};

use elemental::element::{
    has_errors, load_dir, Authentication, Diagnostic, Element, Elements, ParamKind,
};
use elemental::hooks::{ce, Kind, Limits, Script};
use elemental::routing::Match;

mod support;
use serde_json::{json, Map, Value};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/elements")
}

/// What `elemental check` would print: one `file:line:column: message` line per diagnostic.
fn shown(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(ToString::to_string).collect()
}

/// Load one scenario root below tests/fixtures/elements.
fn load_scenario(scenario: &str) -> (PathBuf, Elements, Vec<Diagnostic>) {
    let root = fixtures().join(scenario);
    let (elements, diagnostics) = load_dir(&root);
    (root, elements, diagnostics)
}

/// `<root>/<relative>` as the loader displays it.
fn file_in(root: &Path, relative: &str) -> String {
    root.join(relative).display().to_string()
}

/// A scratch elements folder under the system temp dir, removed when dropped.
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new(test: &str) -> Scratch {
        let root = std::env::temp_dir().join(format!(
            "elemental-element-loading-{}-{test}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", root.display()));
        Scratch { root }
    }

    /// Write `<root>/<folder>/<relative>`.
    fn write(&self, folder: &str, relative: &str, text: &str) -> String {
        let path = self.root.join(folder).join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        }
        std::fs::write(&path, text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        path.display().to_string()
    }

    fn load(&self) -> (Elements, Vec<Diagnostic>) {
        load_dir(&self.root)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn vars(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("variables must be an object, got {other}"),
    }
}

fn run(script: &Script, kind: Kind, variables: Value) -> support::hooks::Ran {
    support::hooks::run(script, kind, &vars(variables), Limits::default())
        .unwrap_or_else(|e| panic!("{} failed: {e}", script.label))
}

/// The export's one diagnostic: its onProvision resource is kept but not run yet.
fn export_warnings() -> Vec<String> {
    vec![format!(
        "{}:192:3: warning: resources of type onProvision are loaded but not run yet (provisioning and deletion are not implemented)",
        file_in(&fixtures(), "export/element.json")
    )]
}

fn export() -> std::sync::Arc<Element> {
    let (elements, diagnostics) = load_dir(&fixtures());
    assert_eq!(shown(&diagnostics), export_warnings());
    match elements.get("orbitcrm") {
        Some(element) => element.clone(),
        None => panic!(
            "the export did not load; loaded: {:?}",
            elements.by_key.keys().collect::<Vec<_>>()
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// A Cloud Elements export loads as is
// ---------------------------------------------------------------------------------------------

#[test]
fn a_cloud_elements_export_loads_with_no_diagnostics() {
    let (elements, diagnostics) = load_dir(&fixtures());
    // The dozens of export-only keys (id, active, typeOauth, model, ...) are accepted
    // silently, and the scenario folders (no element file of their own) are skipped; only the
    // onProvision resource, which elemental does not run yet, is worth a word.
    assert_eq!(shown(&diagnostics), export_warnings());
    assert_eq!(elements.by_key.keys().collect::<Vec<_>>(), ["orbitcrm"]);

    let element = export();
    assert_eq!(
        element.key, "orbitcrm",
        "the key comes from the file, not the folder name `export`"
    );
    assert_eq!(element.name, "Orbit CRM");
    assert_eq!(element.file, file_in(&fixtures(), "export/element.json"));
    assert_eq!(element.authentication, Authentication::OAuth2);

    let routes: Vec<(String, String, String, String, String)> = element
        .resources
        .iter()
        .map(|r| {
            (
                r.kind.clone(),
                r.method.clone(),
                r.path.clone(),
                r.vendor_method.clone(),
                r.vendor_path.clone(),
            )
        })
        .collect();
    let expected = [
        ("api", "GET", "/hubs/crm/contacts", "GET", "/contacts"),
        ("api", "POST", "/hubs/crm/contacts", "POST", "/contacts"),
        (
            "api",
            "GET",
            "/hubs/crm/contacts/{id}",
            "GET",
            "/contacts/{id}",
        ),
        (
            "api",
            "PATCH",
            "/hubs/crm/contacts/{id}",
            "PUT",
            "/contacts/{:id}",
        ),
        (
            "api",
            "DELETE",
            "/hubs/crm/contacts/{id}",
            "DELETE",
            "/contacts/{id}",
        ),
        ("api", "GET", "/hubs/crm/accounts", "GET", "/companies"),
        (
            "onProvision",
            "POST",
            "/oauth/token",
            "POST",
            "/oauth/token",
        ),
    ]
    .map(|(a, b, c, d, e)| {
        (
            a.to_string(),
            b.to_string(),
            c.to_string(),
            d.to_string(),
            e.to_string(),
        )
    });
    assert_eq!(routes, expected);

    let contacts = &element.resources[0];
    assert_eq!(contacts.root_key.as_deref(), Some("data"));
    assert_eq!(contacts.object_name, "contacts");
    let params: Vec<(&str, &str, ParamKind, ParamKind, bool)> = contacts
        .parameters
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.vendor_name.as_str(),
                p.kind,
                p.vendor_kind,
                p.from_response,
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("where", "q", ParamKind::Query, ParamKind::Query, false),
            (
                "pageSize",
                "limit",
                ParamKind::Query,
                ParamKind::Query,
                false
            ),
            (
                "nextPage",
                "cursor",
                ParamKind::Query,
                ParamKind::Query,
                false
            ),
            (
                "Elements-Next-Page-Token",
                "next_cursor",
                ParamKind::Header,
                ParamKind::Body,
                true
            ),
        ]
    );
    let element_params: Vec<(&str, ParamKind, ParamKind)> = element
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.kind, p.vendor_kind))
        .collect();
    assert_eq!(
        element_params,
        [
            ("Accept", ParamKind::Value, ParamKind::Header),
            (
                "orbit.account.id",
                ParamKind::Configuration,
                ParamKind::Header
            )
        ]
    );
}

#[test]
fn export_configuration_flags_secrets_and_booleans() {
    let element = export();
    let fields: Vec<(&str, &str, bool)> = element
        .configuration
        .iter()
        .map(|f| (f.key.as_str(), f.kind.as_str(), f.secret))
        .collect();
    assert_eq!(
        fields,
        [
            ("base.url", "TEXTFIELD_1000", false),
            ("oauth.api.key", "TEXTFIELD_128", false),
            ("orbit.client.secret", "PASSWORD", true), // PASSWORD
            ("oauth.user.token", "TEXTFIELD_1000", true), // hideFromConsole: true
            ("orbit.account.id", "TEXTFIELD_64", false),
            ("contact.emailupsert", "BOOLEAN", false),
            ("orbit.environment", "SELECTION", false),
        ]
    );
    let base = element.config_field("base.url");
    assert_eq!(base.map(|f| f.required), Some(true));
    assert_eq!(
        base.and_then(|f| f.default.clone()),
        Some(json!("https://api.orbit.example.com/v3"))
    );
    assert_eq!(
        element
            .config_field("orbit.client.secret")
            .and_then(|f| f.default.clone()),
        None,
        "a null defaultValue is no default"
    );
    assert_eq!(
        element
            .config_field("contact.emailupsert")
            .map(|f| f.is_boolean()),
        Some(true)
    );
    assert_eq!(
        element
            .config_field("orbit.environment")
            .map(|f| f.name.as_str()),
        Some("Environment")
    );
}

#[test]
fn export_hooks_are_compiled_with_their_labels() {
    let element = export();
    let label = |s: &Option<Script>| s.as_ref().map(|s| s.label.clone());
    assert_eq!(
        label(&element.hooks.pre_request).as_deref(),
        Some("global preRequest")
    );
    assert_eq!(label(&element.hooks.event).as_deref(), Some("global event"));
    assert_eq!(label(&element.hooks.post_request), None);

    let r = &element.resources;
    assert_eq!(
        label(&r[0].hooks.post_request).as_deref(),
        Some("resource postRequest GET /hubs/crm/contacts")
    );
    assert_eq!(
        label(&r[1].hooks.pre_request).as_deref(),
        Some("resource preRequest POST /hubs/crm/contacts")
    );
    assert_eq!(
        label(&r[2].hooks.post_request).as_deref(),
        Some("resource postRequest GET /hubs/crm/contacts/{id}")
    );
    assert!(r[3..]
        .iter()
        .all(|r| r.hooks.pre_request.is_none() && r.hooks.post_request.is_none()));

    let legacy = r[1].hooks.pre_request.as_ref().map(|s| s.legacy);
    assert_eq!(legacy, Some(true), "isLegacy: true is kept");
    // Export bodies are quoted JSON strings: their lines do not map onto the file's lines.
    let global = element
        .hooks
        .pre_request
        .as_ref()
        .map(|s| (s.origin.file.clone(), s.origin.exact));
    assert_eq!(
        global,
        Some((file_in(&fixtures(), "export/element.json"), false))
    );
    assert!(
        element
            .hooks
            .pre_request
            .as_ref()
            .is_some_and(|s| s.source.lines().count() == 10),
        "\\n escapes became real lines"
    );
}

#[test]
fn export_hooks_run_as_written() {
    let element = export();

    // The global pre-request hook signs the call with CE.hmacSha256base64.
    let Some(sign) = element.hooks.pre_request.as_ref() else {
        panic!("no global preRequest hook")
    };
    let out = run(
        sign,
        Kind::PreRequest,
        json!({"request_vendor_method": "GET", "request_vendor_path": "/contacts", "configuration": {"orbit.client.secret": "s3cr3t"}}),
    );
    let headers = &out.done["request_vendor_headers"];
    let timestamp = headers["X-Orbit-Timestamp"].as_str().unwrap_or_default();
    assert_eq!(timestamp.len(), 10, "{headers}");
    let expected = ce::hmac(
        "sha256",
        "base64",
        "s3cr3t",
        &format!("GET\n/contacts\n{timestamp}"),
    );
    assert_eq!(
        headers["X-Orbit-Signature"].as_str(),
        expected.as_deref().ok()
    );

    // The legacy create hook returns its result instead of calling done().
    let Some(create) = element.resources[1].hooks.pre_request.as_ref() else {
        panic!("no create hook")
    };
    let out = run(
        create,
        Kind::PreRequest,
        json!({"request_body_map": {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}, "configuration": {"contact.emailupsert": true}}),
    );
    assert!(!out.called);
    assert_eq!(
        out.result.map(Value::Object),
        Some(
            json!({"request_vendor_body": {"first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@example.com", "upsert_on": "email_address"}})
        )
    );

    // The list post-response hook maps vendor records to the caller's shape.
    let Some(list) = element.resources[0].hooks.post_request.as_ref() else {
        panic!("no list hook")
    };
    let out = run(
        list,
        Kind::PostRequest,
        json!({"response_iserror": false, "response_body": [{"contact_id": 7, "first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@example.com", "created_at": "2020-01-01T00:00:00Z"}]}),
    );
    assert_eq!(
        out.done,
        json!({"response_body": [{"id": "7", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "createdAt": "2020-01-01T00:00:00Z"}]})
    );

    // The event hook normalizes the vendor's webhook payload.
    let Some(event) = element.hooks.event.as_ref() else {
        panic!("no event hook")
    };
    let out = run(
        event,
        Kind::Event,
        json!({"events": {"changes": [{"action": "created", "object": "contact", "id": 9, "occurred_at": "2020-01-02T03:04:05Z"}, {"action": "merged", "object": "account", "id": 3, "occurred_at": "2020-01-02T03:04:06Z"}]}}),
    );
    assert_eq!(
        out.done,
        json!({"events": [
            {"event_type": "CREATED", "event_object_type": "contacts", "event_object_id": "9", "event_date": "2020-01-02T03:04:05Z"},
            {"event_type": "UPDATED", "event_object_type": "accounts", "event_object_id": "3", "event_date": "2020-01-02T03:04:06Z"},
        ]})
    );
}

#[test]
fn export_routes_by_method_and_path_shape() {
    let element = export();
    let mut id = Map::new();
    id.insert("id".into(), json!("42"));
    assert_eq!(
        element.router.find("GET", "/hubs/crm/contacts/42"),
        Match::Found(2, id.clone())
    );
    assert_eq!(
        element.router.find("PATCH", "/hubs/crm/contacts/42"),
        Match::Found(3, id)
    );
    assert_eq!(
        element.router.find("GET", "/hubs/crm/contacts"),
        Match::Found(0, Map::new())
    );
    assert_eq!(
        element.router.find("PUT", "/hubs/crm/contacts/42"),
        Match::WrongMethod(vec!["GET".into(), "PATCH".into(), "DELETE".into()])
    );
    // onProvision resources are not served to callers.
    assert_eq!(element.router.find("POST", "/oauth/token"), Match::NotFound);
}

// ---------------------------------------------------------------------------------------------
// Broken YAML
// ---------------------------------------------------------------------------------------------

#[test]
fn broken_yaml_is_reported_at_the_misindented_key() {
    let (root, elements, diagnostics) = load_scenario("bad-yaml");
    assert!(elements.by_key.is_empty());
    // Line 10 is `   vendorPath: /contacts`, one space short of its siblings' indentation.
    assert_eq!(
        shown(&diagnostics),
        [format!(
            "{}:10:4: while parsing a block collection, did not find expected '-' indicator",
            file_in(&root, "badyaml/element.yaml")
        )]
    );
    assert!(has_errors(&diagnostics));
}

#[test]
fn an_unterminated_quote_is_reported_at_its_opening_quote() {
    let scratch = Scratch::new("unterminated-quote");
    let file = scratch.write(
        "quoted",
        "element.yaml",
        "key: quoted\nname: Quoted\nresources:\n  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: '/contacts\n",
    );
    let (elements, diagnostics) = scratch.load();
    assert!(elements.by_key.is_empty());
    // Line 6 is `    vendorPath: '/contacts`: the opening quote is column 17.
    assert_eq!(
        shown(&diagnostics),
        [format!(
            "{file}:6:17: while scanning a quoted scalar, found unexpected end of stream"
        )]
    );
}

// ---------------------------------------------------------------------------------------------
// Broken hooks
// ---------------------------------------------------------------------------------------------

#[test]
fn hook_syntax_errors_point_into_the_hook_file_and_the_element_file() {
    let (root, elements, diagnostics) = load_scenario("bad-js");
    assert!(
        elements.by_key.is_empty(),
        "an element with a broken hook is rejected"
    );
    assert_eq!(
        shown(&diagnostics),
        [
            // hooks/bad.js line 3: `const limit = Math.min(size, 200;`, the `;` is column 33.
            format!(
                "{}:3:33: resource preRequest GET /hubs/crm/contacts: SyntaxError: Unexpected token ';'",
                file_in(&root, "badjs/hooks/bad.js")
            ),
            // The `body: |` block starts on line 15 at column 11; its 2nd line is file line 16,
            // `          if (contacts.length === 0 {`, where the `{` is column 11 + 26 = 37.
            format!(
                "{}:16:37: resource postRequest GET /hubs/crm/contacts: SyntaxError: Unexpected token '{{'",
                file_in(&root, "badjs/element.yaml")
            ),
        ]
    );
}

#[test]
fn an_error_on_the_first_line_of_a_block_body_is_not_shifted_by_the_wrapper() {
    let scratch = Scratch::new("first-line");
    let file = scratch.write("firstline", "element.yaml", "key: firstline\nhooks:\n  - type: preRequest\n    body: |\n      const b = ;\n      done();\n");
    let (_, diagnostics) = scratch.load();
    // Line 5 is `      const b = ;`: the `;` is column 17.
    assert_eq!(
        shown(&diagnostics),
        [format!(
            "{file}:5:17: global preRequest: SyntaxError: unexpected token in expression: ';'"
        )]
    );
}

#[test]
fn a_hook_in_a_json_export_is_located_by_script_line_and_column() {
    let (root, elements, diagnostics) = load_scenario("bad-export-js");
    assert!(elements.by_key.is_empty());
    // A quoted body cannot be mapped line by line: the diagnostic points at the string (line 14,
    // column 19) and says where in the script the error is.
    assert_eq!(
        shown(&diagnostics),
        [format!(
            "{}:14:19: resource postRequest GET /hubs/crm/contacts: SyntaxError: Unexpected token ')' (script line 2, column 34)",
            file_in(&root, "badexport/element.json")
        )]
    );
}

// ---------------------------------------------------------------------------------------------
// Every problem at once
// ---------------------------------------------------------------------------------------------

#[test]
fn every_problem_is_reported_in_one_load() {
    let (root, elements, diagnostics) = load_scenario("many-problems");
    assert!(elements.by_key.is_empty());
    let file = file_in(&root, "manyproblems/element.yaml");
    assert_eq!(
        shown(&diagnostics),
        [
            format!("{file}:4:1: warning: unknown key \"descripton\" in the element (did you mean description?)"),
            format!("{file}:7:5: missing required key \"key\""),
            format!("{file}:12:5: warning: unknown key \"vendorPth\" in a resource (did you mean vendorPath?)"),
            format!("{file}:15:9: unknown parameter type \"querystring\" (use configuration, header, path, query, body, form, multipart, value, bodyField, prevBody or prevBodyField)"),
            format!("{file}:17:5: missing required key \"path\""),
            format!("{file}:19:5: unknown method \"FETCH\""),
            format!("{file}:26:9: resource preRequest DELETE /hubs/crm/contacts/{{id}}: give either body or file, not both"),
        ]
    );
    assert_eq!(diagnostics.iter().filter(|d| d.warning).count(), 2);
    assert_eq!(diagnostics.iter().filter(|d| !d.warning).count(), 5);
}

#[test]
fn warnings_alone_do_not_reject_an_element() {
    let scratch = Scratch::new("warnings-only");
    let file = scratch.write("typo", "element.yaml", "key: typo\nresources:\n  - method: GET\n    path: /hubs/crm/contacts\n    vendorPth: /contacts\n");
    let (elements, diagnostics) = scratch.load();
    assert_eq!(shown(&diagnostics), [format!("{file}:5:5: warning: unknown key \"vendorPth\" in a resource (did you mean vendorPath?)")]);
    assert!(!has_errors(&diagnostics));
    assert!(elements.get("typo").is_some());
}

#[test]
fn a_broken_element_does_not_stop_its_neighbours_from_loading() {
    let scratch = Scratch::new("neighbours");
    scratch.write("good", "element.yaml", "key: good\nresources:\n  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n");
    let bad = scratch.write(
        "bad",
        "element.yaml",
        "key: bad\nresources:\n  - method: GET\n",
    );
    let (elements, diagnostics) = scratch.load();
    assert_eq!(
        shown(&diagnostics),
        [format!("{bad}:3:5: missing required key \"path\"")]
    );
    assert_eq!(elements.by_key.keys().collect::<Vec<_>>(), ["good"]);
}

// ---------------------------------------------------------------------------------------------
// Hook files stay inside the element; routes are unique
// ---------------------------------------------------------------------------------------------

#[test]
fn a_hook_file_outside_the_element_folder_is_refused() {
    let (root, elements, diagnostics) = load_scenario("escape");
    assert!(elements.by_key.is_empty());
    let file = file_in(&root, "escape/element.yaml");
    assert_eq!(
        shown(&diagnostics),
        [
            format!("{file}:6:5: global postRequest: hook file \"/etc/passwd\" must stay inside the element's folder"),
            format!("{file}:13:9: resource preRequest GET /hubs/crm/contacts: hook file \"../../etc/passwd\" must stay inside the element's folder"),
        ]
    );
}

#[test]
fn a_duplicate_resource_is_reported() {
    let (root, elements, diagnostics) = load_scenario("duplicate");
    assert!(elements.by_key.is_empty());
    // `{contactId}` and `{id}` are the same shape, and `get` is GET. The literal `/search` and
    // the onProvision resource (never routed) are not clashes.
    let file = file_in(&root, "duplicate/element.yaml");
    assert_eq!(
        shown(&diagnostics),
        [
            format!("{file}:8:5: resource GET /hubs/crm/contacts/{{contactId}} has the same method and path shape as resource GET /hubs/crm/contacts/{{id}}"),
            format!("{file}:4:1: warning: resources of type onProvision are loaded but not run yet (provisioning and deletion are not implemented)"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Known bugs (see the report); remove `#[ignore]` once fixed.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_blank_first_line_in_a_block_body_does_not_shift_lines() {
    let scratch = Scratch::new("blank-first-line");
    let file = scratch.write("blank", "element.yaml", "key: blank\nhooks:\n  - type: preRequest\n    body: |\n\n      const a = 1;\n      const b = ;\n");
    let (_, diagnostics) = scratch.load();
    // The error is on line 7, `      const b = ;`, at column 17 (the loader says line 8).
    assert_eq!(
        shown(&diagnostics),
        [format!(
            "{file}:7:17: global preRequest: SyntaxError: unexpected token in expression: ';'"
        )]
    );
}

#[test]
fn hook_error_columns_count_characters_not_bytes() {
    let scratch = Scratch::new("unicode-columns");
    scratch.write(
        "unicode",
        "element.yaml",
        "key: unicode\nhooks:\n  - type: preRequest\n    file: hooks/pre.js\n",
    );
    let hook = scratch.write(
        "unicode",
        "hooks/pre.js",
        "// names\nconst s = 'é日😀'; const b = ;\n",
    );
    let (_, diagnostics) = scratch.load();
    // `const s = 'é日😀'; const b = ;`: the last `;` is the 28th character (and the 34th byte).
    assert_eq!(
        shown(&diagnostics),
        [format!(
            "{hook}:2:28: global preRequest: SyntaxError: unexpected token in expression: ';'"
        )]
    );
}

/// A hostile input run through the fuzz target (fuzz/artifacts/element_loader): thousands of nested `- ` used to overflow
/// the stack and abort the process; now it is a diagnostic like any other.
#[test]
fn absurdly_deep_nesting_is_a_diagnostic_not_a_crash() {
    let scratch = Scratch::new("deep-nesting");
    scratch.write("deep", "element.yaml", &"- ".repeat(5000));
    // The second reproducer: the same behind a lone carriage return.
    scratch.write(
        "deepcr",
        "element.yaml",
        &format!("\r{}", "- ".repeat(5000)),
    );
    scratch.write("deeptab", "element.yaml", &"-\t".repeat(5000));
    scratch.write(
        "flow",
        "element.yaml",
        &format!(
            "key: flow\nobjects: {}{}\n",
            "[".repeat(3000),
            "]".repeat(3000)
        ),
    );
    let (elements, diagnostics) = scratch.load();
    assert!(elements.by_key.is_empty());
    let shown = shown(&diagnostics);
    assert_eq!(shown.len(), 4, "{shown:?}");
    assert!(
        shown
            .iter()
            .all(|d| d.contains("nesting deeper than 512 levels")),
        "{shown:?}"
    );
    // Ordinary nesting is untouched.
    scratch.write("fine", "element.yaml", "key: fine\nresources:\n  - method: GET\n    path: /a\n    vendorPath: /a\n    parameters: [{name: x, type: query}]\n");
    let (elements, _) = scratch.load();
    assert!(elements.get("fine").is_some());
}
