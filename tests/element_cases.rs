//! Element test cases: the bundled elements' own cases pass, and a failing case is reported
//! with a diff and counted in the last line.

mod support;

use std::process::Command;

use support::Project;

#[test]
fn every_bundled_element_passes_its_cases() {
    let (elements, diagnostics) = elemental::element::load_dir(std::path::Path::new("elements"));
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let report = elemental::cases::run_all(&elements);
    assert!(report.verdicts.len() >= 8, "{}", report.render());
    assert_eq!(report.failed(), 0, "{}", report.render());
    // Every bundled element ships cases.
    for key in elements.by_key.keys() {
        assert!(
            report.verdicts.iter().any(|v| &v.element == key),
            "element {key} has no test cases"
        );
    }
}

#[test]
fn elemental_test_prints_a_diff_for_a_failing_case_and_exits_1() {
    let p = Project::new();
    p.element("calc", "key: calc\nresources:\n  - method: GET\n    path: /sum\n    vendorPath: /sum\n    hooks:\n      - type: postRequest\n        body: |\n          done({response_body: {sum: response_body.a + response_body.b}});\n");
    p.write(
        "elements/calc/tests/sum.yaml",
        "cases:\n  - name: adds\n    hook: resource postRequest GET /sum\n    variables: { response_body: { a: 1, b: 2 } }\n    expect:\n      done: { response_body: { sum: 3 } }\n  - name: wrong on purpose\n    hook: resource postRequest GET /sum\n    variables: { response_body: { a: 1, b: 2 } }\n    expect:\n      done: { response_body: { sum: 4 } }\n  - name: a request through the pipeline\n    request: { method: GET, path: /sum }\n    vendor: { body: { a: 20, b: 22 } }\n    expect:\n      vendor: { method: GET, path: /sum }\n      response: { status: 200, body: { sum: 42 } }\n  - name: names a hook that does not exist\n    hook: global preRequest\n    expect: { done: null }\n",
    );
    // From the project's folder: its default ./tasks (none) rather than the repository's.
    let output = Command::new(env!("CARGO_BIN_EXE_elemental"))
        .current_dir(p.path(""))
        .args(["test", "--elements"])
        .arg(p.path("elements"))
        .env("RUST_LOG", "error")
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let file = p.path("elements/calc/tests/sum.yaml").display().to_string();
    assert!(
        stdout.contains(&format!("ok   calc {file}: adds")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("FAIL calc {file}: wrong on purpose")),
        "{stdout}"
    );
    assert!(
        stdout.contains("     -     \"sum\": 4\n     +     \"sum\": 3"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("ok   calc {file}: a request through the pipeline")),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("{file}:18:5: names a hook that does not exist: no hook \"global preRequest\" in element calc")), "{stdout}");
    assert_eq!(
        stdout.lines().last(),
        Some("2 passed, 2 failed"),
        "{stdout}"
    );
}

#[test]
fn hook_cases_answer_outbound_http_from_mocks() {
    let p = Project::new();
    p.element("auth", "key: auth\nhooks:\n  - type: preRequest\n    body: |\n      httpRequest({url: 'https://auth.vendor.example/oauth/token', method: 'POST', body: {grant_type: 'client_credentials'}})\n        .then((r) => done({request_vendor_headers: {Authorization: 'Bearer ' + r.data.access_token}}))\n        .catch((e) => done({continue: false, response_error_message: String(e.message || e.status)}));\n");
    p.write(
        "elements/auth/tests/token.yaml",
        "cases:\n  - name: signs with the token from the mocked endpoint\n    hook: global preRequest\n    http:\n      - method: POST\n        url: https://auth.vendor.example/oauth/*\n        body: { access_token: abc }\n    expect:\n      done: { request_vendor_headers: { Authorization: Bearer abc } }\n  - name: an unmocked request fails instead of reaching the network\n    hook: global preRequest\n    http:\n      - url: https://elsewhere.example/\n    expect:\n      done: { continue: false, response_error_message: no mocked response for POST https://auth.vendor.example/oauth/token in this test case }\n",
    );
    let (elements, diagnostics) = elemental::element::load_dir(&p.path("elements"));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let report = elemental::cases::run_all(&elements);
    assert_eq!(report.failed(), 0, "{}", report.render());
    assert_eq!(report.passed(), 2);
}
