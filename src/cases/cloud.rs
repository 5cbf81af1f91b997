//! Cloud code cases (`cloud/tests/*.yaml`): one call of a cloud function, in a project of its
//! own (no elements, a fresh store), compared with what the case expects.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use serde_json::{json, Value};

use super::task::{on_own_thread, run_folder};
use super::{CaseError, Report};
use crate::parse::ParseSettings;
use crate::scripts::cloud::{self, CloudIncoming};
use crate::server::error;
use crate::settings::Settings;
use crate::state::State;
use crate::store::SqliteStore;
use crate::tasks::Tasks;

/// The master key a case with `master: true` calls with.
const CASE_MASTER_KEY: &str = "case-master-key";

/// Run every case of `<cloud folder>/tests/*.yaml` against the cloud code in `tasks`.
pub fn run_cloud(folder: &Path, tasks: &Tasks, report: &mut Report) {
    run_folder(folder, report, &|case| {
        let function = case.get("function").and_then(Value::as_str).unwrap_or("");
        let verdict = match (function.is_empty(), &tasks.cloud) {
            (true, _) => Err(CaseError::Invalid("`function` is required".into())),
            (_, None) => Err(CaseError::Invalid("there is no cloud code".into())),
            _ => cloud_case(tasks, function, case),
        };
        (format!("cloud function {function}"), verdict)
    });
}

/// Run one case on a thread of its own.
fn cloud_case(tasks: &Tasks, function: &str, case: &Value) -> Result<Option<String>, CaseError> {
    let tasks = Tasks {
        by_name: tasks.by_name.clone(),
        cloud: tasks.cloud.clone(),
        ..Tasks::default()
    };
    let (function, case) = (function.to_string(), case.clone());
    on_own_thread("cloud", case, move |case, data| async move {
        answer(tasks, &function, &case, &data).await
    })
}

/// `{status, body}` of the call, as `POST /parse/functions/<name>` answers it.
async fn answer(
    tasks: Tasks,
    function: &str,
    case: &Value,
    data: &Path,
) -> Result<Value, CaseError> {
    let store = SqliteStore::open(data).map_err(|e| CaseError::Invalid(e.to_string()))?;
    let settings = Settings {
        expose_errors: true,
        parse: ParseSettings {
            master_key: Some(CASE_MASTER_KEY.into()),
            ..ParseSettings::default()
        },
        ..Settings::default()
    };
    let mut headers = vec![(
        "x-parse-application-id".to_string(),
        settings.parse.app_id.clone(),
    )];
    if case.get("master").and_then(Value::as_bool) == Some(true) {
        headers.push(("x-parse-master-key".into(), CASE_MASTER_KEY.into()));
    }
    let state = Arc::new(State::new(
        Default::default(),
        Default::default(),
        Arc::new(store),
        settings,
    ));
    state.set_tasks(tasks);
    let params = case.get("params").cloned().unwrap_or_else(|| json!({}));
    let incoming = CloudIncoming {
        headers,
        body: Bytes::from(params.to_string()),
        ip: "127.0.0.1".into(),
    };
    let loaded = state.current();
    let called = cloud::call(&state, &loaded, function, incoming, "case").await;
    let (status, body) = match called.result {
        Ok(body) => (
            200,
            serde_json::from_str(&body).unwrap_or(Value::String(body)),
        ),
        Err(e) => error::cloud_answer(&e, "case", true),
    };
    Ok(json!({"status": status, "body": body}))
}
