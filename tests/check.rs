//! What `elemental check` finds beyond syntax: configuration keys and types nothing knows, and
//! one diagnostic per cause when an element or a shared hook file is broken.

mod support;

use elemental::element::{has_errors, Diagnostic};
use elemental::sources::load;
use support::Project;

/// What `elemental check` prints for these diagnostics, one line each.
fn shown(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(ToString::to_string).collect()
}

/// The diagnostics of one file, as printed.
fn shown_in(diagnostics: &[Diagnostic], file: &str) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.file == file)
        .map(ToString::to_string)
        .collect()
}

fn shown_path(p: &Project, relative: &str) -> String {
    p.path(relative).display().to_string()
}

const TYPOS: &str = "\
key: typos
configuration:
  - key: base.url
  - key: api.key
    type: PASSWORD
parameters:
  - name: Key ${configuration.api.kee}
    type: value
    vendorName: X-Api-Key
    vendorType: header
  - name: Bearer ${oauth.user.token}
    type: value
    vendorName: Authorization
    vendorType: header
resources:
  - method: GET
    path: /hubs/crm/contacts
    vendorPath: /contacts
    parameters:
      - name: \"${configuration.region}-CE.b64(${apikey})\"
        type: value
        vendorName: tag
        vendorType: query
";

#[test]
fn a_template_naming_an_undeclared_configuration_key_is_a_warning_at_the_placeholder() {
    let p = Project::new();
    p.element("typos", TYPOS);
    p.instances("instances: []\n");
    let (elements, _, diagnostics) = load(&p.sources());
    let file = shown_path(&p, "elements/typos/element.yaml");
    // Line 7 `  - name: Key ${configuration.api.kee}`: the `$` is column 15. Line 20
    // `      - name: "${configuration.region}-CE.b64(${apikey})"`: the placeholders start at
    // columns 16 and 47. `oauth.user.token` is the platform's, declared or not.
    assert_eq!(
        shown(&diagnostics),
        [
            format!("{file}:7:15: warning: unknown configuration key \"api.kee\" in ${{configuration.api.kee}}: the element does not declare it (did you mean api.key?)"),
            format!("{file}:20:16: warning: unknown configuration key \"region\" in ${{configuration.region}}: the element does not declare it"),
            format!("{file}:20:47: warning: unknown configuration key \"apikey\" in ${{apikey}}: the element does not declare it (did you mean api.key?)"),
        ]
    );
    assert!(elements.get("typos").is_some(), "warnings only");
}

#[test]
fn an_instance_key_the_element_does_not_declare_is_a_warning_at_the_key() {
    let p = Project::new();
    p.element(
        "typos",
        "key: typos\nconfiguration:\n  - key: base.url\n  - key: api.key\n",
    );
    p.instances(
        "\
instances:
  - id: 1
    element: typos
    token: t1
    configuration:
      base.url: http://127.0.0.1:1
      api.kee: k
      oauth.user.token: tok
      event.poller.refresh_interval: 5
      totally.unrelated: x
",
    );
    let (_, records, diagnostics) = load(&p.sources());
    let instances = shown_path(&p, "instances.yaml");
    assert_eq!(
        shown(&diagnostics),
        [
            format!("{instances}:7:7: warning: unknown configuration key \"api.kee\" for element typos (did you mean api.key?)"),
            format!("{instances}:10:7: warning: unknown configuration key \"totally.unrelated\" for element typos"),
        ]
    );
    assert_eq!(records.len(), 1, "the instance still loads");
}

#[test]
fn an_unknown_configuration_type_is_a_warning_with_a_hint() {
    let p = Project::new();
    p.element(
        "types",
        "key: types\nconfiguration:\n  - key: a\n    type: STRING\n  - key: b\n    type: PASWORD\n  - key: c\n    type: textarea\n  - key: d\n    type: CODE_EDITOR\n",
    );
    p.instances("instances: []\n");
    let (elements, _, diagnostics) = load(&p.sources());
    let file = shown_path(&p, "elements/types/element.yaml");
    assert_eq!(
        shown(&diagnostics),
        [
            format!("{file}:4:5: warning: unknown configuration type \"STRING\" (use TEXTFIELD_32, TEXTFIELD_64, TEXTFIELD_128, TEXTFIELD_1000, TEXTAREA, PASSWORD, BOOLEAN, SELECTION, CODE_EDITOR, COMBO, BOOLEAN_YESNO)"),
            format!("{file}:6:5: warning: unknown configuration type \"PASWORD\" (did you mean PASSWORD?)"),
        ]
    );
    assert!(elements.get("types").is_some());
}

#[test]
fn instances_of_an_element_that_did_not_load_are_skipped_not_unknown() {
    let p = Project::new();
    // A YAML syntax error: only the folder's name is known.
    p.element(
        "broken",
        "key: broken\nresources:\n  - method: GET\n    path: /x\n   bad: indentation\n",
    );
    // A validation error: the key in the file is known, and differs from the folder's name.
    p.element(
        "renamed",
        "key: crm2\nresources:\n  - method: FETCH\n    path: /x\n",
    );
    p.instances(
        "\
instances:
  - id: 1
    element: broken
    token: a
  - id: 2
    element: broken
    token: b
  - id: 3
    element: crm2
    token: c
  - id: 4
    element: ghost
    token: d
",
    );
    let (_, records, diagnostics) = load(&p.sources());
    let instances = shown_path(&p, "instances.yaml");
    let broken = shown_path(&p, "elements/broken/element.yaml");
    let renamed = shown_path(&p, "elements/renamed/element.yaml");
    assert_eq!(
        shown_in(&diagnostics, &instances),
        [
            format!("{instances}:3:5: warning: instance skipped: element \"broken\" did not load (see {broken})"),
            format!("{instances}:6:5: warning: instance skipped: element \"broken\" did not load (see {broken})"),
            format!("{instances}:9:5: warning: instance skipped: element \"crm2\" did not load (see {renamed})"),
            format!("{instances}:12:5: unknown element \"ghost\""),
        ]
    );
    // One error per cause: the syntax error, the unknown method, the unknown element.
    assert_eq!(
        diagnostics.iter().filter(|d| !d.warning).count(),
        3,
        "{:#?}",
        shown(&diagnostics)
    );
    assert!(records.is_empty());
}

#[test]
fn a_syntax_error_in_a_shared_hook_file_is_reported_once_naming_every_hook() {
    let p = Project::new();
    p.element(
        "shared",
        "\
key: shared
hooks:
  - type: preRequest
    file: hooks/map.js
resources:
  - method: GET
    path: /hubs/crm/contacts
    hooks:
      - type: postRequest
        file: hooks/map.js
  - method: POST
    path: /hubs/crm/contacts
    hooks:
      - type: postRequest
        file: hooks/map.js
      - type: preRequest
        file: hooks/other.js
",
    );
    p.write("elements/shared/hooks/map.js", "const b = ;\n");
    p.write("elements/shared/hooks/other.js", "done();\n");
    p.instances("instances: []\n");
    let (elements, _, diagnostics) = load(&p.sources());
    let map = shown_path(&p, "elements/shared/hooks/map.js");
    // `const b = ;`: the `;` is column 11.
    assert_eq!(
        shown(&diagnostics),
        [format!("{map}:1:11: global preRequest, resource postRequest GET /hubs/crm/contacts, resource postRequest POST /hubs/crm/contacts: SyntaxError: unexpected token in expression: ';'")]
    );
    assert!(has_errors(&diagnostics));
    assert!(elements.get("shared").is_none());
}

#[test]
fn export_shapes_elemental_does_not_run_yet_load_with_one_warning_each() {
    let p = Project::new();
    p.element(
        "shapes",
        "\
key: shapes
authentication:
  type: oauth2Password
hooks:
  - type: event
    body: \"\"
resources:
  - method: GET
    path: /hubs/crm/contacts
    type: apiNoDocumentation
    nextResource: GET:/hubs/crm/more
    hooks:
      - type: preRequest
  - method: POST
    path: /provision
    type: onProvision
  - method: GET
    path: /validate
    type: provisionAuthValidation
    parameters:
      - name: where
        type: query
        converter: toWiql
",
    );
    p.instances("instances: []\n");
    let (elements, _, diagnostics) = load(&p.sources());
    let file = shown_path(&p, "elements/shapes/element.yaml");
    assert_eq!(
        shown(&diagnostics),
        [
            format!("{file}:6:5: warning: global event: the script is empty; the hook is skipped"),
            format!("{file}:13:9: warning: resource preRequest GET /hubs/crm/contacts: no script (body or file); the hook is skipped"),
            format!("{file}:23:9: warning: converter toWiql is vendor-specific and not implemented: parameter \"where\" reaches hooks only (request_expression), not the vendor"),
            format!("{file}:7:1: warning: resources of type onProvision, provisionAuthValidation are loaded but not run yet (provisioning and deletion are not implemented)"),
            format!("{file}:11:5: warning: nextResource \"GET:/hubs/crm/more\" names no resource of this element: the chain stops before it"),
        ]
    );
    let element = elements.get("shapes").expect("warnings only");
    let routed: Vec<&str> = element
        .resources
        .iter()
        .filter(|r| r.is_routed())
        .map(|r| r.path.as_str())
        .collect();
    assert_eq!(routed, ["/hubs/crm/contacts"]);
    assert!(element.hooks.event.is_none());
}

#[test]
fn an_empty_instances_file_lists_no_instances_rather_than_failing() {
    let p = Project::new();
    p.element(
        "e",
        "key: e\nresources:\n  - method: GET\n    path: /x\n    vendorPath: /x\n",
    );
    for text in ["", "\n  \n", "# nothing yet\n"] {
        p.instances(text);
        let (_, records, diagnostics) = load(&p.sources());
        assert!(records.is_empty());
        assert!(!has_errors(&diagnostics), "{:?}", shown(&diagnostics));
        assert_eq!(
            shown(&diagnostics),
            vec![format!(
                "{}:1:1: warning: the instances file lists no instances: no instance can be called",
                shown_path(&p, "instances.yaml")
            )]
        );
    }
}
