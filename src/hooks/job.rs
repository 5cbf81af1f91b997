//! Background jobs on the hooks engine: one run of a job, `Parse.Cloud.job` of cloud/main.js
//! or the `run` of a jobs/<name>.js module, started on a hook executor and left running there
//! (js-stdlib/job.js drives it and its `status`).

use std::time::Duration;

use futures_util::future::LocalBoxFuture;
use rquickjs::Context;
use serde_json::Value;

use super::dispatch::Dispatcher;
use super::error::{engine_error, HookError};
use super::outcome::ConsoleLine;
use super::pool::Engine;
use super::steps::State;
use super::task::MAX_TIMEOUT;
use super::task_steps::Namespace;
use super::task_steps::{drive, Entry};
use super::{executor, invoke, Limits, Script};

/// Where a job's code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobSource {
    /// `Parse.Cloud.job(name, …)` in cloud/main.js (the script is the cloud code).
    Cloud,
    /// A jobs/<name>.js ES module exporting `run` (the script is the module).
    Module,
}

/// One run of a job, as plain data.
#[derive(Debug, Clone, serde::Serialize)]
pub struct JobCall {
    pub name: String,
    /// `request.params` (cloud) or `params` (module).
    pub params: Value,
    #[serde(skip)]
    pub source: JobSource,
}

/// How a job ended by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobEnd {
    /// `status.success(message?)`, or what it returned resolved.
    Succeeded(Option<String>),
    /// `status.error(message?)`, a throw or a rejection (its message).
    Failed(Option<String>),
    /// cloud/main.js defines no job of that name.
    Unknown,
}

/// What a run gave: how it ended (or the limit or load failure that ended it), and its
/// console lines either way.
#[derive(Debug)]
pub struct JobRun {
    pub end: Result<JobEnd, HookError>,
    pub console: Vec<ConsoleLine>,
}

/// What to do with a finished run, on the executor that ran it.
pub type JobDone = Box<dyn FnOnce(JobRun) -> LocalBoxFuture<'static, ()> + Send>;

/// Start `call` on a hook executor and return at once; `done` is given the run when it ends.
/// Refused only when the executors' queue is full.
pub fn start_job(
    script: &Script,
    call: JobCall,
    limits: Limits,
    io: &Dispatcher,
    done: JobDone,
) -> Result<(), HookError> {
    let (script, io) = (script.clone(), io.clone());
    executor::detach(move || -> LocalBoxFuture<'static, ()> {
        Box::pin(async move {
            let run = invoke::run_job_here(&script, &call, limits, &io).await;
            done(run).await;
        })
    })
}

/// Call the job's driver: `__elemental_cloud_job(spec)` or `__elemental_job_module(ns, spec)`.
pub(super) fn start(
    engine: &Engine,
    context: &Context,
    namespace: Option<&Namespace>,
    script: &Script,
    call: &JobCall,
    limits: Limits,
) -> Result<State, HookError> {
    let spec = serde_json::to_value(call).map_err(|e| HookError::Engine(e.to_string()))?;
    let entry = Entry {
        driver: match namespace {
            Some(_) => "__elemental_job_module",
            None => "__elemental_cloud_job",
        },
        exports: namespace,
        label: false,
    };
    drive(engine, context, script, limits, entry, &spec)
}

/// The time limit a cloud job gave itself (`Parse.Cloud.job(name, handler, {timeoutMs})`), at
/// most `MAX_TIMEOUT`.
pub(super) fn own_timeout(context: &Context, state: &State) -> Result<Option<Duration>, HookError> {
    context.with(|ctx| {
        let state = state.clone().restore(&ctx).map_err(engine_error)?;
        let ms: rquickjs::Value = state.get("timeoutMs").map_err(engine_error)?;
        Ok(ms
            .as_number()
            .filter(|ms| ms.is_finite() && *ms >= 1.0)
            .map(|ms| Duration::from_secs_f64(ms / 1000.0).min(MAX_TIMEOUT)))
    })
}

/// Read what js-stdlib/job.js settled with.
pub(super) fn finish(
    context: &Context,
    state: &State,
    script: &Script,
) -> Result<JobEnd, HookError> {
    let result = super::task_steps::settled(context, state, script, "job")?;
    let message = result
        .get("message")
        .and_then(Value::as_str)
        .map(str::to_string);
    match result.get("kind").and_then(Value::as_str) {
        Some("succeeded") => Ok(JobEnd::Succeeded(message)),
        Some("failed") => Ok(JobEnd::Failed(message)),
        Some("unknown") => Ok(JobEnd::Unknown),
        _ => Err(HookError::BadResult {
            hook: script.label.clone(),
            message: format!("the job driver gave {result}"),
        }),
    }
}

/// The jobs cloud/main.js defines, by name (its code loaded on an executor).
pub async fn cloud_jobs(script: &Script, limits: Limits) -> Result<Vec<String>, HookError> {
    let script = script.clone();
    executor::submit(
        move || -> LocalBoxFuture<'static, Result<Vec<String>, HookError>> {
            Box::pin(async move { invoke::cloud_jobs_here(&script, limits) })
        },
    )
    .await?
}
