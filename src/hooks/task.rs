//! Web tasks on the hooks engine: the plain request a task is given, what its answer means,
//! and running one request through a task's module on a hook executor.

use std::time::Duration;

use futures_util::future::LocalBoxFuture;
use serde_json::Value;

use super::dispatch::Dispatcher;
use super::error::HookError;
use super::outcome::{ConsoleLine, OutboundCall};
use super::{executor, invoke, Limits, Script};

pub use super::task_steps::check_task;

/// The longest time limit a task may give itself (`export const config = {timeoutMs}`).
pub(super) const MAX_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// One HTTP request as a task sees it (`request` in JS), as plain data.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TaskRequest {
    pub method: String,
    /// The full URL (`request.url.href`).
    pub url: String,
    /// Header names and values as received, in order.
    pub headers: Vec<(String, String)>,
    /// The body as text; `None` when there is none.
    pub body: Option<String>,
    pub hostname: String,
    pub subdomain: String,
    /// The path, without the query.
    pub path: String,
}

/// A status, content type and body text a task answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskBody {
    pub status: u16,
    /// `None`: no body was given and no content type set.
    pub content_type: Option<String>,
    /// `None`: no body.
    pub text: Option<String>,
}

/// How a task answered one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskAnswer {
    /// The handler ran: its answer.
    Respond(TaskBody),
    /// `authenticate` returned `access.unauthorized({status, body})`.
    Unauthorized(TaskBody),
    /// The task has no handler for the method; these are the methods it has.
    NoHandler { allow: Vec<String> },
}

/// What running a task gave: its answer, and its console lines and outbound calls either way.
#[derive(Debug)]
pub struct TaskRun {
    pub answer: Result<TaskAnswer, HookError>,
    pub console: Vec<ConsoleLine>,
    pub outbound: Vec<OutboundCall>,
}

impl TaskRun {
    pub(super) fn failed(error: HookError) -> TaskRun {
        TaskRun {
            answer: Err(error),
            console: Vec::new(),
            outbound: Vec::new(),
        }
    }
}

/// Run `request` through the task `script` (an ES module) under `limits`, its outbound work
/// and services done by `io`. Always on a hook executor: a task may wait and compute for up to
/// a minute, which an HTTP worker must never do.
pub async fn run_task(
    script: &Script,
    request: TaskRequest,
    limits: Limits,
    io: &Dispatcher,
) -> TaskRun {
    let (script, io) = (script.clone(), io.clone());
    let work = move || -> LocalBoxFuture<'static, TaskRun> {
        Box::pin(async move { invoke::run_task_here(&script, &request, limits, &io).await })
    };
    executor::submit(work).await.unwrap_or_else(TaskRun::failed)
}

/// The response content types a task may answer with (the seeds' limitation: no binary).
const CONTENT_TYPES: &[&str] = &["application/json", "text/html", "text/plain"];

/// Read what js-stdlib/task.js settled with into the answer.
pub(super) fn parse(script: &Script, result: Value) -> Result<TaskAnswer, HookError> {
    let bad = |message: String| HookError::BadResult {
        hook: script.label.clone(),
        message,
    };
    let kind = result.get("kind").and_then(Value::as_str).unwrap_or("");
    match kind {
        "method" => Ok(TaskAnswer::NoHandler {
            allow: result
                .get("allow")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|m| m.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        }),
        "response" | "unauthorized" => {
            let body = body(&result).map_err(bad)?;
            Ok(match kind {
                "response" => TaskAnswer::Respond(body),
                _ => TaskAnswer::Unauthorized(body),
            })
        }
        "error" => Err(bad(result
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("the task failed")
            .to_string())),
        _ => Err(bad(format!("the task driver gave {result}"))),
    }
}

fn body(result: &Value) -> Result<TaskBody, String> {
    let status = result
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..=599).contains(s))
        .ok_or_else(|| format!("the status {} is not an HTTP status", result["status"]))?;
    let content_type = result
        .get("contentType")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(given) = &content_type {
        let base = given
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !CONTENT_TYPES.contains(&base.as_str()) {
            return Err(format!(
                "the content type {given:?} is not supported: a task answers application/json, text/html or text/plain"
            ));
        }
    }
    Ok(TaskBody {
        status,
        content_type,
        text: result
            .get("text")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}
