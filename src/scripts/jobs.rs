//! Background job runs: find the job (a jobs/<name>.js module or a `Parse.Cloud.job`), start
//! it on a hook executor under the jobs' limits and concurrency bound, keep its last message
//! live in the store while it runs, and record how it ended, with its console.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::LocalBoxFuture;
use serde_json::{json, Value};

use super::services::{ErrorAnswer, TaskServices};
use crate::hooks::{self, Class, Dispatcher, HookError, JobCall, JobEnd, JobRun, JobSource};
use crate::state::{Loaded, State};
use crate::store::jobs::RUNNING;
use crate::store::{JobRunRecord, StoreError};

/// Console lines a run keeps (the last ones), and their bytes at most.
const MAX_CONSOLE_LINES: usize = 1000;
const MAX_CONSOLE_BYTES: usize = 256 * 1024;
/// `status.message` reaches the store at most this often; the last one always does.
const MESSAGE_EVERY: Duration = Duration::from_millis(250);

/// Why a run was not started, or a run or schedule not found; `server::error` maps each to HTTP.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// 404.
    #[error("no job named {0:?}")]
    NotFound(String),
    /// 429: refused at once, and recorded as run `run` in state `refused`.
    #[error("job {job}: at most {limit} job runs at once; this start was refused (run {run})")]
    TooMany {
        job: String,
        limit: usize,
        run: String,
    },
    /// 400.
    #[error("{0}")]
    Invalid(String),
    /// 404.
    #[error("no job run {0:?}")]
    NoRun(String),
    /// 404.
    #[error("no schedule named {0:?}")]
    NoSchedule(String),
    /// 409: "run now" while the schedule's previous run still runs.
    #[error("schedule {0:?}: its previous run is still running")]
    ScheduleRunning(String),
    /// The executors could not take it (503), or cloud/main.js failed to load (500).
    #[error("job {job}: {error}")]
    Script { job: String, error: HookError },
    /// 503.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A job found by name: its script and where it is.
#[derive(Debug, Clone)]
pub struct Found {
    pub script: hooks::Script,
    pub source: JobSource,
    /// The file it is in (jobs/<name>.js or cloud/main.js).
    pub file: String,
}

/// Find the job `name`: a jobs/<name>.js module first, else a `Parse.Cloud.job` of the cloud
/// code (which is loaded on an executor to tell).
pub async fn find(state: &State, loaded: &Loaded, name: &str) -> Result<Found, JobError> {
    if let Some(job) = loaded.tasks.jobs.by_name.get(name) {
        return Ok(Found {
            script: job.script.clone(),
            source: JobSource::Module,
            file: job.file.clone(),
        });
    }
    let Some(cloud) = loaded.tasks.cloud.as_ref() else {
        return Err(JobError::NotFound(name.to_string()));
    };
    let names = cloud_jobs(state, loaded).await?;
    if !names.iter().any(|n| n == name) {
        return Err(JobError::NotFound(name.to_string()));
    }
    Ok(Found {
        script: hooks::Script {
            label: format!("job {name}"),
            ..cloud.script.clone()
        },
        source: JobSource::Cloud,
        file: cloud.file.clone(),
    })
}

/// The jobs cloud/main.js defines (none without cloud code).
pub async fn cloud_jobs(state: &State, loaded: &Loaded) -> Result<Vec<String>, JobError> {
    let Some(cloud) = loaded.tasks.cloud.as_ref() else {
        return Ok(Vec::new());
    };
    hooks::cloud_jobs(&cloud.script, state.settings.hook_limits)
        .await
        .map_err(|error| JobError::Script {
            job: "cloud code".into(),
            error,
        })
}

/// What starts a run.
#[derive(Debug, Clone, Default)]
pub struct Start {
    pub params: Value,
    /// The schedule firing it, if one is.
    pub schedule: Option<String>,
}

/// Start a run of `name` and return its record at once; the run goes on on an executor.
/// `errors` answers `elements.call`'s pipeline errors (`server::error::answer`).
pub async fn start(
    state: &Arc<State>,
    name: &str,
    start: Start,
    errors: ErrorAnswer,
) -> Result<JobRunRecord, JobError> {
    let loaded = state.current();
    let found = find(state, &loaded, name).await?;
    let now = crate::clock::now_ms();
    let mut record = JobRunRecord {
        id: run_id(),
        job: name.to_string(),
        params: start.params,
        state: RUNNING.into(),
        started_at: now,
        finished_at: None,
        message: None,
        console: Vec::new(),
        node: state.jobs.node.clone(),
        schedule: start.schedule,
        heartbeat: now + state.settings.jobs.heartbeat.as_millis() as i64,
    };
    let limit = state.settings.jobs.max_runs.max(1);
    if !state
        .jobs
        .reserve(&record.id, name, record.schedule.as_deref(), limit)
    {
        return Err(refuse(state, record, limit).await);
    }
    if let Err(e) = state.store.save_job_run(&record).await {
        state.jobs.release(&record.id);
        return Err(e.into());
    }
    tracing::info!(job = name, run = %record.id, schedule = ?record.schedule, "job run started");
    let call = JobCall {
        name: name.to_string(),
        params: record.params.clone(),
        source: found.source,
    };
    let services = Arc::new(JobServices {
        tasks: TaskServices {
            state: state.clone(),
            loaded: loaded.clone(),
            request_id: record.id.clone(),
            errors,
        },
        run: record.id.clone(),
        live: Arc::default(),
    });
    let io = Dispatcher::real(state.settings.mail.clone())
        .with_parse_config(state.settings.parse.config.clone(), true)
        .with_services(services);
    let limits = limits(state);
    let done = finisher(state.clone(), record.clone());
    if let Err(error) = hooks::start_job(&found.script, call, limits, &io, done) {
        state.jobs.release(&record.id);
        record.state = "failed".into();
        record.finished_at = Some(crate::clock::now_ms());
        record.message = Some(error.to_string());
        let _ = state.store.save_job_run(&record).await;
        state.metrics.job_run(name, "failed", Duration::ZERO);
        let job = name.to_string();
        return Err(JobError::Script { job, error });
    }
    Ok(record)
}

/// Record a start over the bound as a run in state `refused`, and the error to answer.
async fn refuse(state: &State, mut record: JobRunRecord, limit: usize) -> JobError {
    record.state = "refused".into();
    record.finished_at = Some(record.started_at);
    record.message = Some(format!(
        "refused: at most {limit} job runs at once (--max-job-runs)"
    ));
    if let Err(e) = state.store.save_job_run(&record).await {
        tracing::error!(job = %record.job, "cannot record a refused job run: {e}");
    }
    state
        .metrics
        .job_run(&record.job, "refused", Duration::ZERO);
    tracing::warn!(job = %record.job, run = %record.id, "job run refused: {limit} running");
    JobError::TooMany {
        job: record.job,
        limit,
        run: record.id,
    }
}

/// A job's limits: its time limit (`--job-timeout-ms`, or the module's `config.timeoutMs`),
/// a CPU budget as long as that (a job may compute for all its time, as a task may), the
/// hooks' memory and stack.
fn limits(state: &State) -> hooks::Limits {
    let time = state.settings.jobs.timeout;
    hooks::Limits {
        time,
        cpu: time,
        ..state.settings.hook_limits
    }
}

/// A random run id: 16 hex digits, the `X-Parse-Job-Status-Id` of the run.
fn run_id() -> String {
    let bytes: [u8; 8] = rand::random();
    hex::encode(bytes)
}

/// What records a run's end, on the executor that ran it.
fn finisher(state: Arc<State>, record: JobRunRecord) -> hooks::JobDone {
    Box::new(move |run: JobRun| -> LocalBoxFuture<'static, ()> {
        Box::pin(async move { finish(&state, record, run).await })
    })
}

/// Record how the run ended: state, message, console; count it; free its slot.
async fn finish(state: &State, mut record: JobRunRecord, run: JobRun) {
    let (ended, message) = match run.end {
        Ok(JobEnd::Succeeded(message)) => ("succeeded", message),
        Ok(JobEnd::Failed(message)) => ("failed", message),
        Ok(JobEnd::Unknown) => ("failed", Some(format!("no job named {:?}", record.job))),
        Err(error) if error.class() == Class::Timeout => ("timed_out", Some(error.to_string())),
        Err(error) => ("failed", Some(error.to_string())),
    };
    let now = crate::clock::now_ms();
    // The last message the run gave while going, when it ended with none of its own.
    let live = match message {
        Some(message) => Some(message),
        None => state
            .store
            .job_run(&record.id)
            .await
            .ok()
            .flatten()
            .and_then(|r| r.message),
    };
    record.state = ended.into();
    record.finished_at = Some(now);
    record.message = live;
    record.console = bounded(&run.console);
    for line in &run.console {
        tracing::info!(job = %record.job, run = %record.id, level = %line.level, "console: {}", line.message);
    }
    if let Err(e) = state.store.save_job_run(&record).await {
        tracing::error!(job = %record.job, run = %record.id, "cannot record the end of a job run: {e}");
    }
    state.jobs.release(&record.id);
    let took = Duration::from_millis((now - record.started_at).max(0) as u64);
    state.metrics.job_run(&record.job, ended, took);
    tracing::info!(job = %record.job, run = %record.id, state = ended, millis = took.as_millis() as u64, "job run ended");
    state.scheduler_wakeup.notify_one();
}

/// The last console lines, at most `MAX_CONSOLE_LINES` and `MAX_CONSOLE_BYTES`.
fn bounded(lines: &[hooks::ConsoleLine]) -> Vec<Value> {
    let mut kept = Vec::new();
    let mut bytes = 0;
    for line in lines.iter().rev().take(MAX_CONSOLE_LINES) {
        bytes += line.message.len() + line.level.len();
        if bytes > MAX_CONSOLE_BYTES {
            break;
        }
        kept.push(json!({"level": line.level, "message": line.message}));
    }
    kept.reverse();
    kept
}

/// A run's services: the tasks' (`kv`, `elements.call`) and `status.message`, kept live.
struct JobServices {
    tasks: TaskServices,
    run: String,
    live: Arc<Mutex<Live>>,
}

/// The messages of a run not yet written, and when the last was.
#[derive(Default)]
struct Live {
    last_write: Option<Instant>,
    pending: Option<String>,
    /// A write is waiting for its turn (it takes the newest pending message).
    scheduled: bool,
}

impl hooks::Services for JobServices {
    fn call(&self, op: &str, args: Value) -> LocalBoxFuture<'static, Result<Value, String>> {
        if op != "job.message" {
            return self.tasks.call(op, args);
        }
        let message = args
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let wait = {
            let mut live = self.live.lock().unwrap_or_else(|p| p.into_inner());
            live.pending = Some(message);
            if live.scheduled {
                return Box::pin(async { Ok(Value::Null) });
            }
            live.scheduled = true;
            live.last_write.map_or(Duration::ZERO, |at| {
                MESSAGE_EVERY.saturating_sub(at.elapsed())
            })
        };
        let (state, run, live) = (
            self.tasks.state.clone(),
            self.run.clone(),
            self.live.clone(),
        );
        Box::pin(async move {
            actix_rt::time::sleep(wait).await;
            let message = {
                let mut live = live.lock().unwrap_or_else(|p| p.into_inner());
                live.scheduled = false;
                live.last_write = Some(Instant::now());
                live.pending.take()
            };
            if let Some(message) = message {
                if let Err(e) = state.store.job_run_progress(&run, &message).await {
                    tracing::warn!(run = %run, "cannot record a job's message: {e}");
                }
            }
            Ok(Value::Null)
        })
    }
}
