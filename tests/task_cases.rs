//! Web task cases (`tasks/tests/*.yaml`) as `elemental test` runs them: the bundled ones pass,
//! a case seeds `kv`, and a failing case shows what differed.

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
