//! Web task and cloud code cases (`tasks/tests/*.yaml`, `cloud/tests/*.yaml`) as `elemental
//! test` runs them: the bundled ones pass, a case seeds `kv`, and a failing case shows what
//! differed.

mod support;

use support::Project;

fn run(folder: &std::path::Path) -> elemental::cases::Report {
    let (tasks, diagnostics) = elemental::tasks::load_dir(folder, true, &[]);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let mut report = elemental::cases::Report::default();
    elemental::cases::run_tasks(folder, &tasks, &mut report);
    report
}

#[test]
fn the_bundled_task_cases_pass() {
    let report = run(std::path::Path::new("tasks"));
    assert!(report.verdicts.len() >= 2, "{}", report.render());
    assert_eq!(report.failed(), 0, "{}", report.render());
}

#[test]
fn cases_seed_kv_and_report_what_differed() {
    let p = Project::new();
    p.task("auth", include_str!("tasks/auth.js"));
    p.write(
        "tasks/tests/auth.yaml",
        r#"cases:
  - name: a known token
    task: auth
    kv:
      "api_client:t0ken": {name: Ada}
    request:
      method: POST
      headers: {Authorization: Bearer t0ken}
      body: {}
    expect:
      status: 200
      body: {user: Ada}
  - name: expects the wrong user
    task: auth
    kv:
      "api_client:t0ken": {name: Bob}
    request:
      method: POST
      headers: {Authorization: Bearer t0ken}
      body: {}
    expect:
      body: {user: Ada}
  - name: no token
    task: auth
    request: {method: POST, body: {}}
    expect: {status: 401}
  - name: text is refused
    task: auth
    request: {method: POST, headers: {Content-Type: text/plain}, body: hi}
    expect: {status: 415}
  - name: names no task
    task: ghost
"#,
    );
    let report = run(&p.path("tasks"));
    let text = report.render();
    assert_eq!(report.passed(), 3, "{text}");
    assert!(text.contains("FAIL task auth"), "{text}");
    assert!(text.contains("+   \"user\": \"Bob\""), "{text}");
    assert!(
        text.contains(":31:5: names no task: no task named \"ghost\""),
        "{text}"
    );
}

/// The cloud code of `folder` and its cases' report.
fn run_cloud(folder: &std::path::Path) -> elemental::cases::Report {
    let (cloud, diagnostics) = elemental::cloud::load_dir(folder, true, &[]);
    assert!(
        !elemental::element::has_errors(&diagnostics),
        "{diagnostics:?}"
    );
    let tasks = elemental::tasks::Tasks {
        cloud: cloud.map(std::sync::Arc::new),
        ..Default::default()
    };
    let mut report = elemental::cases::Report::default();
    elemental::cases::run_cloud(folder, &tasks, &mut report);
    report
}

#[test]
fn the_bundled_cloud_cases_pass_and_a_wrong_expectation_fails() {
    let report = run_cloud(std::path::Path::new("cloud"));
    assert!(report.verdicts.len() >= 3, "{}", report.render());
    assert_eq!(report.failed(), 0, "{}", report.render());

    let p = Project::new();
    p.write(
        "cloud/main.js",
        "Parse.Cloud.define('who', (r) => ({master: r.master, n: r.params.n}));\n",
    );
    p.write(
        "cloud/tests/who.yaml",
        "cases:\n  - name: a master call\n    function: who\n    master: true\n    params: {n: 2}\n    expect:\n      body: {result: {master: true, n: 2}}\n  - name: expects a master it is not\n    function: who\n    expect:\n      body: {result: {master: true}}\n",
    );
    let report = run_cloud(&p.path("cloud"));
    assert_eq!(report.failed(), 1, "{}", report.render());
    assert!(
        report.render().contains("\"master\": false"),
        "{}",
        report.render()
    );
}
