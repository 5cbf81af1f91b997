//! One request through a web task: the caller's request checked (JSON bodies only) and handed
//! to the task's module on the hooks engine, with the task's time limit and services; its
//! answer, and its console lines in the log under the task's name and the request id.

use std::sync::Arc;

use bytes::Bytes;

use super::services::{ErrorAnswer, TaskServices};
use crate::admission::{Admit, Bounds, Permit, Refused, Shed};
use crate::hooks::{self, Dispatcher, HookError, Limits, TaskAnswer, TaskRequest};
use crate::state::{Loaded, State};

/// The caller's request, as the server received it.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub method: String,
    /// The full URL: scheme, host, path and query.
    pub url: String,
    /// Names as received.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub hostname: String,
    pub subdomain: String,
    pub path: String,
}

/// What the caller gets from a task that answered.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

/// What serving a task request gave: its answer or why not, and what the task wrote to its
/// console and sent out on the way (for the debug trace).
#[derive(Debug)]
pub struct Served {
    pub result: Result<Reply, TaskError>,
    pub console: Vec<hooks::ConsoleLine>,
    pub outbound: Vec<hooks::OutboundCall>,
}

impl From<TaskError> for Served {
    fn from(error: TaskError) -> Served {
        Served {
            result: Err(error),
            console: Vec::new(),
            outbound: Vec::new(),
        }
    }
}

/// Why a task request did not get the task's own answer; `server::error` maps each to HTTP.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    #[error("no task named {0:?}")]
    NotFound(String),
    #[error("task {task}: the request body must be application/json, not {content_type}")]
    UnsupportedType { task: String, content_type: String },
    #[error("task {task} has no handler for {method}")]
    MethodNotAllowed {
        task: String,
        method: String,
        allow: Vec<String>,
    },
    /// `access.unauthorized()` with no body: the error shape with its status.
    #[error("task {task}: unauthorized")]
    Unauthorized { task: String, status: u16 },
    /// No executor slot for tasks came free in time (or too many wait): 429 or 503.
    #[error("task {task}: web tasks {refused}")]
    Refused { task: String, refused: Refused },
    #[error(transparent)]
    Script(HookError),
}

/// The gate of the admission registry that every web task (and cloud function) goes through:
/// no instance has this id. All of them together run at most `--instance-concurrency` at once (one less than the hook
/// executors by default), so tasks can never hold every executor that hooks need.
pub const TASKS_GATE: i64 = i64::MIN;

/// Run `incoming` through the task `name` of `loaded`.
pub async fn serve(
    state: &Arc<State>,
    loaded: &Arc<Loaded>,
    name: &str,
    incoming: Incoming,
    request_id: &str,
    errors: ErrorAnswer,
) -> Served {
    let Some(task) = loaded.tasks.get(name) else {
        return TaskError::NotFound(name.to_string()).into();
    };
    let body = match body_text(name, &incoming) {
        Ok(body) => body,
        Err(refused) => return refused.into(),
    };
    let request = TaskRequest {
        method: incoming.method.to_ascii_uppercase(),
        url: incoming.url,
        headers: incoming.headers,
        body,
        hostname: incoming.hostname,
        subdomain: incoming.subdomain,
        path: incoming.path,
    };
    let method = request.method.clone();
    let services = TaskServices {
        state: state.clone(),
        loaded: loaded.clone(),
        request_id: request_id.to_string(),
        errors,
    };
    let io = Dispatcher::real(state.settings.mail.clone())
        .with_services(Arc::new(services))
        .with_parse_config(state.settings.parse.config.clone(), true);
    let limits = limits(state);
    let _permit = match admit(state, name, limits.time).await {
        Ok(permit) => permit,
        Err(refused) => return refused.into(),
    };
    let run = hooks::run_task(&task.script, request, limits, &io).await;
    log_console(name, request_id, &run.console);
    Served {
        result: answer(name, method, run.answer),
        console: run.console,
        outbound: run.outbound,
    }
}

/// The caller's answer from the task's, or the failure it is.
fn answer(
    name: &str,
    method: String,
    answer: Result<TaskAnswer, HookError>,
) -> Result<Reply, TaskError> {
    match answer.map_err(TaskError::Script)? {
        TaskAnswer::Respond(body) => Ok(reply(body)),
        TaskAnswer::Unauthorized(body) if body.text.is_none() => Err(TaskError::Unauthorized {
            task: name.to_string(),
            status: body.status,
        }),
        TaskAnswer::Unauthorized(body) => Ok(reply(body)),
        TaskAnswer::NoHandler { allow } => Err(TaskError::MethodNotAllowed {
            task: name.to_string(),
            method,
            allow,
        }),
    }
}

/// A slot among the tasks' executor slots, at once or after waiting at most `budget`.
async fn admit<'s>(
    state: &'s State,
    task: &str,
    budget: std::time::Duration,
) -> Result<Permit<'s>, TaskError> {
    gate(state, budget)
        .await
        .map_err(|refused| TaskError::Refused {
            task: task.to_string(),
            refused,
        })
}

/// A slot of the gate every script endpoint (tasks and cloud functions) goes through, at once
/// or after waiting at most `budget`; a refusal is counted.
pub(super) async fn gate(
    state: &State,
    budget: std::time::Duration,
) -> Result<Permit<'_>, Refused> {
    let defaults = state.settings.admission;
    let bounds = Bounds {
        running: defaults.concurrency.max(1),
        waiting: defaults.queue,
    };
    let refused = |refused: Refused| {
        state.metrics.refused("tasks", refused.reason());
        refused
    };
    let waiting = match state
        .admission
        .acquire(TASKS_GATE, bounds)
        .map_err(refused)?
    {
        Admit::Now(permit) => return Ok(permit),
        Admit::Queued(waiting) => waiting,
    };
    actix_rt::time::timeout(budget, waiting)
        .await
        .map_err(|_| refused(Refused::Shed(Shed::TooLong(budget.as_millis()))))
}

/// A task's limits: its whole time limit may be spent computing (it runs on a hook
/// executor, never on an HTTP worker); memory and stack as hooks have them. Cloud functions
/// have the same.
pub(super) fn limits(state: &State) -> Limits {
    let time = state.settings.task_timeout;
    Limits {
        time,
        cpu: time,
        ..state.settings.hook_limits
    }
}

fn reply(body: hooks::TaskBody) -> Reply {
    Reply {
        status: body.status,
        content_type: body.content_type,
        body: body.text.unwrap_or_default(),
    }
}

/// The body as text: none, or JSON (`application/json`, `application/<x>+json`).
fn body_text(task: &str, incoming: &Incoming) -> Result<Option<String>, TaskError> {
    if incoming.body.is_empty() {
        return Ok(None);
    }
    let content_type = incoming
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let base = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let json =
        base == "application/json" || (base.starts_with("application/") && base.ends_with("+json"));
    let refused = |content_type: &str| TaskError::UnsupportedType {
        task: task.to_string(),
        content_type: match content_type {
            "" => "a body without a Content-Type".to_string(),
            given => given.to_string(),
        },
    };
    if !json {
        return Err(refused(content_type));
    }
    String::from_utf8(incoming.body.to_vec())
        .map(Some)
        .map_err(|_| refused("bytes that are not UTF-8"))
}

fn log_console(task: &str, request_id: &str, lines: &[hooks::ConsoleLine]) {
    for line in lines {
        let message = &line.message;
        match line.level.as_str() {
            "error" => tracing::error!(task, request_id, "console: {message}"),
            "warn" => tracing::warn!(task, request_id, "console: {message}"),
            "debug" | "notice" => tracing::debug!(task, request_id, "console: {message}"),
            _ => tracing::info!(task, request_id, "console: {message}"),
        }
    }
}
