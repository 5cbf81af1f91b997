//! Task cases (`tasks/tests/*.yaml`): one request through a web task, in a project of its own
//! (no elements, a fresh store, `kv` seeded from the case), compared with what the case expects.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::{body_bytes, compare_expected, header_pairs, CaseError, Report, Verdict};
use crate::element::{located, Diagnostic};
use crate::scripts::{self, Incoming};
use crate::server::error::{self, Failure};
use crate::settings::Settings;
use crate::state::State;
use crate::store::SqliteStore;
use crate::tasks::Tasks;

/// Run every case of `<tasks folder>/tests/*.yaml` against `tasks`, into `report`.
pub fn run_tasks(folder: &Path, tasks: &Tasks, report: &mut Report) {
    run_folder(folder, report, &|case| {
        let task = case.get("task").and_then(Value::as_str).unwrap_or("");
        (format!("task {task}"), task_case(tasks, task, case))
    });
}

/// Every case of `<folder>/tests/*.yaml`, each through `run` (what the report names it by,
/// and its verdict), into `report`.
pub(super) fn run_folder(folder: &Path, report: &mut Report, run: &RunCase<'_>) {
    for file in super::yaml_files(&folder.join("tests")) {
        run_file(&file, report, run);
    }
}

/// One case run: the name the report gives its owner, and its verdict.
pub(super) type RunCase<'a> = dyn Fn(&Value) -> (String, Result<Option<String>, CaseError>) + 'a;

fn run_file(file: &Path, report: &mut Report, run: &RunCase<'_>) {
    let shown = file.display().to_string();
    let mut fail_at = |line: usize, column: usize, message: String| {
        let diagnostic = Diagnostic::error(&shown, line, column, message);
        report.diagnostics.push(diagnostic);
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => return fail_at(1, 1, format!("cannot read: {e}")),
    };
    let doc = match located::parse(&text) {
        Ok(doc) => doc,
        Err(e) => return fail_at(e.pos.line, e.pos.column, e.message),
    };
    let Some(cases) = doc.value.get("cases").and_then(Value::as_array) else {
        return fail_at(1, 1, "expected a top-level list \"cases\"".into());
    };
    let mut verdicts = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let name = case
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| format!("case {}", i + 1), str::to_string);
        match run(case) {
            (element, Ok(failure)) => verdicts.push(Verdict {
                element,
                file: shown.clone(),
                name,
                failure,
            }),
            (_, Err(CaseError::Invalid(message))) => {
                let pos = doc.nearest(&format!("/cases/{i}"));
                fail_at(pos.line, pos.column, format!("{name}: {message}"));
            }
        }
    }
    report.verdicts.extend(verdicts);
}

/// Run one case on a thread of its own (with its own async runtime, as a server worker has).
fn task_case(tasks: &Tasks, task: &str, case: &Value) -> Result<Option<String>, CaseError> {
    if task.is_empty() {
        return Err(CaseError::Invalid("`task` is required".into()));
    }
    if tasks.get(task).is_none() {
        return Err(CaseError::Invalid(format!("no task named {task:?}")));
    }
    let tasks = Tasks {
        by_name: tasks.by_name.clone(),
        cloud: tasks.cloud.clone(),
        ..Tasks::default()
    };
    let (task, case) = (task.to_string(), case.clone());
    on_own_thread("task", case, move |case, data| async move {
        answer(tasks, &task, &case, &data).await
    })
}

/// Run a case's `answer` on a thread of its own with its own async runtime (as a server
/// worker has) and a fresh data folder, and compare it with the case's `expect`.
pub(super) fn on_own_thread<F, Fut>(
    kind: &'static str,
    case: Value,
    answer: F,
) -> Result<Option<String>, CaseError>
where
    F: FnOnce(Value, PathBuf) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<Value, CaseError>>,
{
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let data = std::env::temp_dir().join(format!(
                "elemental-{kind}-case-{}-{}",
                std::process::id(),
                crate::hooks::ce::random_string()
            ));
            let expect = case.get("expect").cloned().unwrap_or(Value::Null);
            let actual = answer(case, data.clone()).await;
            let _ = std::fs::remove_dir_all(&data);
            Ok(compare_expected(&expect, &actual?))
        })
    })
    .join()
    .unwrap_or_else(|_| Err(CaseError::Invalid("the case crashed".into())))
}

/// `{status, headers, body}` of the case's request, through the task as the server runs it.
async fn answer(tasks: Tasks, task: &str, case: &Value, data: &Path) -> Result<Value, CaseError> {
    let invalid = |e: &dyn std::fmt::Display| CaseError::Invalid(e.to_string());
    let store = SqliteStore::open(data).map_err(|e| invalid(&e))?;
    let settings = Settings {
        expose_errors: true,
        ..Settings::default()
    };
    let state = Arc::new(State::new(
        Default::default(),
        Default::default(),
        Arc::new(store),
        settings,
    ));
    state.set_tasks(tasks);
    for (key, value) in case
        .get("kv")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let sealed = state.settings.sealer.seal(value);
        let stored = state.store.kv_put(key, &sealed).await;
        stored.map_err(|e| invalid(&e))?;
    }
    let incoming = incoming(task, case.get("request").unwrap_or(&Value::Null));
    let loaded = state.current();
    let served = scripts::serve(&state, &loaded, task, incoming, "case", error::answer).await;
    let (status, headers, body) = match served.result {
        Ok(reply) => {
            let body = serde_json::from_str(&reply.body).unwrap_or(Value::String(reply.body));
            let headers = reply.content_type.map(|t| ("content-type".to_string(), t));
            (reply.status, headers.into_iter().collect(), body)
        }
        Err(e) => error::answer_failure(&Failure::Task(e), "case", true),
    };
    let headers: Map<String, Value> = headers
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), Value::String(v)))
        .collect();
    Ok(json!({"status": status, "headers": headers, "body": body}))
}

/// The case's `request` (`method`, `path` with its query, `headers`, `body`) as the server
/// would receive it; a body given as YAML is sent as JSON.
fn incoming(task: &str, request: &Value) -> Incoming {
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("GET");
    let default = format!("/tasks/{task}");
    let target = request
        .get("path")
        .and_then(Value::as_str)
        .unwrap_or(&default);
    let mut headers = header_pairs(request.get("headers"));
    let body = request.get("body");
    let typed = headers.iter().any(|(k, _)| k == "content-type");
    if !typed && body.is_some_and(|b| b.is_object() || b.is_array()) {
        headers.push(("content-type".into(), "application/json".into()));
    }
    Incoming {
        method: method.to_ascii_uppercase(),
        url: format!("http://localhost{target}"),
        headers,
        body: body_bytes(body),
        hostname: "localhost".into(),
        subdomain: String::new(),
        path: target.split('?').next().unwrap_or(target).to_string(),
    }
}
