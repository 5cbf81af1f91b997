//! The scheduler: a background thread (as the events worker) that fires due schedules (one
//! node at a time, by the store's `scheduler` lease), keeps the schedules file's schedules in
//! the store, renews this node's running runs' heartbeat and marks runs cut off by a crash
//! `interrupted`.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::jobs::{self, JobError, Start};
use super::services::ErrorAnswer;
use crate::clock::now_ms;
use crate::schedules::{self, Repeat};
use crate::state::State;
use crate::store::jobs::RUNNING;
use crate::store::{JobRunRecord, ScheduleRecord};

/// How often the scheduler looks at the schedules when nothing wakes it.
const TICK: Duration = Duration::from_millis(200);

/// Start the scheduler thread; it stops when `state` is told to stop.
pub fn spawn(
    state: Arc<State>,
    errors: ErrorAnswer,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("elemental-scheduler".into())
        .spawn(move || {
            actix_rt::System::new().block_on(async move {
                interrupt_cut_off(&state, true).await;
                let mut renewed = Instant::now();
                while !state.stopping.load(Ordering::Acquire) {
                    if renewed.elapsed() >= state.settings.jobs.heartbeat / 3 {
                        renew(&state).await;
                        interrupt_cut_off(&state, false).await;
                        renewed = Instant::now();
                    }
                    fire_due(&state, errors).await;
                    let wakeup = state.scheduler_wakeup.notified();
                    let _ = actix_rt::time::timeout(TICK, wakeup).await;
                }
            })
        })
}

/// Runs left `running` by a node that is gone become `interrupted`: at start on a store of
/// one node, every one (this node runs none yet); else those whose heartbeat ran out.
pub async fn interrupt_cut_off(state: &State, starting: bool) {
    let now = now_ms();
    let before = match starting && state.settings.jobs.single_node {
        true => i64::MAX,
        false => now,
    };
    match state.store.interrupt_job_runs(before, now).await {
        Ok(cut) => {
            for (job, started) in cut {
                tracing::warn!(job = %job, "a job run was cut off before it ended: interrupted");
                let took = std::time::Duration::from_millis((now - started).max(0) as u64);
                state.metrics.job_run(&job, "interrupted", took);
            }
        }
        Err(e) => tracing::error!("scheduler: cannot mark cut-off job runs: {e}"),
    }
}

/// Vouch for this node's running runs for another heartbeat.
async fn renew(state: &State) {
    let ids = state.jobs.ids();
    if ids.is_empty() {
        return;
    }
    let until = now_ms() + state.settings.jobs.heartbeat.as_millis() as i64;
    if let Err(e) = state.store.renew_job_runs(&ids, until).await {
        tracing::error!("scheduler: cannot renew the running jobs' heartbeat: {e}");
    }
}

/// Fire the schedules that are due, if this node holds the scheduler's lease.
async fn fire_due(state: &Arc<State>, errors: ErrorAnswer) {
    match state.store.lease("scheduler").await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::error!("scheduler: {e}");
            return;
        }
    }
    let stored = match sync_file(state).await {
        Ok(stored) => stored,
        Err(e) => {
            tracing::error!("scheduler: cannot read the schedules: {e}");
            return;
        }
    };
    let now = now_ms();
    for mut schedule in stored {
        let Ok(repeat) = schedules::repeat(&schedule.repeat) else {
            continue;
        };
        match schedule.next_run {
            // A schedule not seen before: its first time.
            None => schedule.next_run = schedules::next_after(&repeat, schedule.start, now),
            // Due, or missed while no node ran: fired once, then on to its next time after now.
            Some(due) if due <= now => {
                fire(state, &mut schedule, errors).await;
                schedule.next_run = schedules::next_after(&repeat, schedule.start, now);
            }
            Some(_) => continue,
        }
        if let Err(e) = state.store.save_schedule(&schedule).await {
            tracing::error!(schedule = %schedule.name, "scheduler: {e}");
        }
    }
}

/// Start a run of `schedule`, unless its previous run is still running (then the firing is
/// skipped and counted).
async fn fire(state: &Arc<State>, schedule: &mut ScheduleRecord, errors: ErrorAnswer) {
    if running(state, schedule).await {
        schedule.skipped += 1;
        tracing::warn!(schedule = %schedule.name, skipped = schedule.skipped, "schedule skipped: its previous run is still running");
        return;
    }
    let start = Start {
        params: schedule.params.clone(),
        schedule: Some(schedule.name.clone()),
    };
    schedule.last_run = Some(now_ms());
    match jobs::start(state, &schedule.job, start, errors).await {
        Ok(run) => schedule.last_run_id = Some(run.id),
        Err(JobError::TooMany { run, .. }) => schedule.last_run_id = Some(run),
        Err(e) => tracing::error!(schedule = %schedule.name, "schedule did not start its job: {e}"),
    }
}

/// Whether the schedule's last run is still running (here, or on another node).
async fn running(state: &State, schedule: &ScheduleRecord) -> bool {
    if state.jobs.runs_schedule(&schedule.name) {
        return true;
    }
    let Some(id) = &schedule.last_run_id else {
        return false;
    };
    let last: Option<JobRunRecord> = state.store.job_run(id).await.ok().flatten();
    last.is_some_and(|run| run.state == RUNNING)
}

/// "Run now": a run of the schedule `name` at once, unless its previous one is still running.
pub async fn run_now(
    state: &Arc<State>,
    name: &str,
    errors: ErrorAnswer,
) -> Result<JobRunRecord, JobError> {
    let found = state.store.schedules().await?;
    let Some(mut schedule) = found.into_iter().find(|s| s.name == name) else {
        return Err(JobError::NoSchedule(name.to_string()));
    };
    if running(state, &schedule).await {
        return Err(JobError::ScheduleRunning(name.to_string()));
    }
    let start = Start {
        params: schedule.params.clone(),
        schedule: Some(name.to_string()),
    };
    let run = jobs::start(state, &schedule.job, start, errors).await?;
    schedule.last_run = Some(run.started_at);
    schedule.last_run_id = Some(run.id.clone());
    state.store.save_schedule(&schedule).await?;
    Ok(run)
}

/// Add (or replace) a schedule through the admin API: checked, its job found, its next run
/// computed.
pub async fn add(state: &State, declared: &serde_json::Value) -> Result<ScheduleRecord, JobError> {
    let mut schedule = schedules::from_json(declared, "api").map_err(|e| JobError::Invalid(e.0))?;
    let loaded = state.current();
    jobs::find(state, &loaded, &schedule.job).await?;
    let repeat = schedules::repeat(&schedule.repeat).map_err(|e| JobError::Invalid(e.0))?;
    schedule.next_run = schedules::next_after(&repeat, schedule.start, now_ms());
    state.store.save_schedule(&schedule).await?;
    state.scheduler_wakeup.notify_one();
    Ok(schedule)
}

/// The stored schedules, after bringing those of the schedules file in step with it: new or
/// changed ones saved (a changed start or repeat computes its next run again), removed ones
/// deleted.
async fn sync_file(state: &State) -> Result<Vec<ScheduleRecord>, crate::store::StoreError> {
    let declared = state.current().tasks.schedules.clone();
    let mut stored = state.store.schedules().await?;
    let mut changed = false;
    for file in declared.iter() {
        let existing = stored.iter().find(|s| s.name == file.name);
        let same = existing.is_some_and(|e| {
            e.origin == "file"
                && (&e.job, &e.description, &e.params, e.start, &e.repeat)
                    == (
                        &file.job,
                        &file.description,
                        &file.params,
                        file.start,
                        &file.repeat,
                    )
        });
        if same {
            continue;
        }
        let mut record = file.clone();
        if let Some(e) = existing.filter(|e| e.start == file.start && e.repeat == file.repeat) {
            (record.next_run, record.last_run) = (e.next_run, e.last_run);
            (record.last_run_id, record.skipped) = (e.last_run_id.clone(), e.skipped);
        }
        state.store.save_schedule(&record).await?;
        changed = true;
    }
    for gone in stored
        .iter()
        .filter(|s| s.origin == "file" && !declared.iter().any(|d| d.name == s.name))
    {
        state.store.delete_schedule(&gone.name).await?;
        changed = true;
    }
    if changed {
        stored = state.store.schedules().await?;
    }
    Ok(stored)
}

/// How a schedule repeats, said for the status routes.
pub fn describe(repeat: &Repeat) -> String {
    match repeat {
        Repeat::Every(ms) => format!("every {ms} ms"),
        Repeat::Cron(cron) => format!("cron {}", cron.pattern),
    }
}
