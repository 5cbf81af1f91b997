//! What the store keeps of background jobs: their runs (state, last message, console) and
//! their schedules, as records every backend reads and writes the same way.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A run that has not ended.
pub const RUNNING: &str = "running";
/// A run that was cut off (its node crashed or stopped) before it ended.
pub const INTERRUPTED: &str = "interrupted";

/// One run of a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRunRecord {
    /// Random, unguessable: the `X-Parse-Job-Status-Id` of the run.
    pub id: String,
    pub job: String,
    /// The parameters as given (`request.params`).
    pub params: Value,
    /// `running`, `succeeded`, `failed`, `timed_out`, `interrupted` or `refused`.
    pub state: String,
    /// Milliseconds since the Unix epoch.
    pub started_at: i64,
    pub finished_at: Option<i64>,
    /// The last `status.message`, or the message of `status.success` / `status.error`, or
    /// why the run failed.
    pub message: Option<String>,
    /// The run's console lines, `{level, message}`, bounded.
    pub console: Vec<Value>,
    /// The node (process) that ran it.
    pub node: String,
    /// The schedule that started it, if one did.
    pub schedule: Option<String>,
    /// Until when the run's node vouches that it is still running (ms since the epoch);
    /// a running run past it is interrupted.
    pub heartbeat: i64,
}

/// The part of a run kept as one JSON text beside the columns the store queries.
#[derive(Serialize, Deserialize)]
pub(super) struct RunRest {
    pub params: Value,
    #[serde(default)]
    pub console: Vec<Value>,
    #[serde(default)]
    pub node: String,
    #[serde(default)]
    pub schedule: Option<String>,
}

impl JobRunRecord {
    pub(super) fn rest(&self) -> String {
        let rest = RunRest {
            params: self.params.clone(),
            console: self.console.clone(),
            node: self.node.clone(),
            schedule: self.schedule.clone(),
        };
        serde_json::to_string(&rest).unwrap_or_else(|_| "{}".into())
    }
}

/// The columns of a run, read back.
pub(super) struct RunRow {
    pub id: String,
    pub job: String,
    pub state: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub heartbeat: i64,
    pub message: Option<String>,
    pub rest: String,
}

impl RunRow {
    pub(super) fn record(self) -> JobRunRecord {
        let rest: RunRest = serde_json::from_str(&self.rest).unwrap_or(RunRest {
            params: Value::Null,
            console: Vec::new(),
            node: String::new(),
            schedule: None,
        });
        JobRunRecord {
            id: self.id,
            job: self.job,
            params: rest.params,
            state: self.state,
            started_at: self.started_at,
            finished_at: self.finished_at,
            message: self.message,
            console: rest.console,
            node: rest.node,
            schedule: rest.schedule,
            heartbeat: self.heartbeat,
        }
    }
}

/// One schedule: its declaration and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleRecord {
    pub name: String,
    pub job: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub params: Value,
    /// No run before this time (ms since the epoch).
    #[serde(default)]
    pub start: Option<i64>,
    /// `{"every": "15m"}` or `{"cron": "0 */5 * * * *"}`.
    pub repeat: Value,
    /// When it fires next (ms since the epoch); `None`: not computed yet.
    #[serde(default)]
    pub next_run: Option<i64>,
    #[serde(default)]
    pub last_run: Option<i64>,
    #[serde(default)]
    pub last_run_id: Option<String>,
    /// Firings skipped because the previous run was still running.
    #[serde(default)]
    pub skipped: i64,
    /// `file` (the schedules file) or `api` (`POST /admin/schedules`).
    #[serde(default)]
    pub origin: String,
}
