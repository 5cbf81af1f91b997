//! Background jobs over HTTP: `POST /parse/jobs/<name>` (Parse's REST route, master key
//! only), and under `/admin` starting runs, the jobs, runs and schedules. The runs themselves
//! are `scripts::jobs`; failures are answered by `server::error`.

use super::schema::{ErrorBody, Job, JobRun, Schedule};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::error::{self, Failure, RequestId};
use super::request::{headers_of, read_body};
use crate::scripts::jobs::{self, JobError, Start};
use crate::scripts::{cloud, scheduler};
use crate::state::State;
use crate::store::{JobRunRecord, ScheduleRecord};

/// Runs a listing shows unless `?limit=` says otherwise (at most 1000).
const DEFAULT_LIMIT: usize = 50;

/// The job routes under `/admin`.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/jobs", web::get().to(list_jobs))
        .route("/jobs/{name}/runs", web::post().to(start_run))
        .route("/jobs/{name}/runs", web::get().to(list_runs))
        .route("/runs/{id}", web::get().to(run))
        .route("/schedules", web::get().to(list_schedules))
        .route("/schedules", web::post().to(add_schedule))
        .route("/schedules/{name}", web::delete().to(delete_schedule))
        .route("/schedules/{name}/run", web::post().to(run_schedule));
}

/// A run as the status routes show it: params as given, times in RFC 3339.
pub fn run_json(run: &JobRunRecord) -> Value {
    let iso = |ms: Option<i64>| ms.map(crate::clock::iso);
    json!({
        "id": run.id, "job": run.job, "params": run.params, "state": run.state,
        "startedAt": iso(Some(run.started_at)), "finishedAt": iso(run.finished_at),
        "durationMs": run.finished_at.map(|f| f - run.started_at),
        "message": run.message, "console": run.console, "node": run.node, "schedule": run.schedule,
    })
}

fn schedule_json(s: &ScheduleRecord) -> Value {
    let iso = |ms: Option<i64>| ms.map(crate::clock::iso);
    json!({
        "name": s.name, "job": s.job, "description": s.description, "params": s.params,
        "start": iso(s.start), "repeat": s.repeat, "nextRun": iso(s.next_run),
        "lastRun": iso(s.last_run), "lastRunId": s.last_run_id, "skipped": s.skipped,
        "origin": s.origin,
    })
}

/// `POST /parse/jobs/{name}`: Parse's answer `{}` with the run's id in
/// `X-Parse-Job-Status-Id`; the master key is required (403 otherwise, as Parse).
#[utoipa::path(
    post,
    path = "/parse/jobs/{name}",
    tag = "jobs",
    params(
        ("name" = String, Path),
    ),
    request_body(content = Object, description = "the job's params"),
    responses(
        (status = 200, description = "started: the run id is in X-Parse-Job-Status-Id", body = Object),
        (status = 403, description = "no master key", body = Object),
        (status = 429, description = "too many runs: recorded as refused", body = ErrorBody),
    ),
    security(
        ("parse_master_key" = []),
    )
)]
pub async fn parse_start(
    request: HttpRequest,
    payload: web::Payload,
    name: web::Path<String>,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let state = state.into_inner();
    let body = match read_body(payload, state.settings.max_request_body).await {
        Ok(body) => body,
        Err(failure) => return error::respond(&failure, &request_id, false),
    };
    let mut headers = headers_of(&request);
    let params = match cloud::read_params(&body, &mut headers) {
        // Every other key of the SDK's envelope (`_ClientVersion`, ...) stays out of the run.
        Ok(mut params) => {
            params.retain(|key, _| !key.starts_with('_'));
            params
        }
        Err(refused) => return error::cloud(&refused, &request_id, false),
    };
    match cloud::authorize(&state.settings.parse, &headers) {
        Ok(true) => {}
        Ok(false) => {
            return error::cloud(&cloud::CloudError::Unauthorized, &request_id, false);
        }
        Err(refused) => return error::cloud(&refused, &request_id, false),
    }
    let start = Start {
        params: Value::Object(params),
        schedule: None,
    };
    match jobs::start(&state, &name, start, error::answer).await {
        Ok(run) => HttpResponse::Ok()
            .append_header(("X-Parse-Job-Status-Id", run.id))
            .json(json!({})),
        Err(e) => error::respond(&Failure::Job(e), &request_id, false),
    }
}

#[utoipa::path(
    post,
    path = "/admin/jobs/{name}/runs",
    tag = "jobs",
    params(
        ("name" = String, Path),
    ),
    request_body(content = Object, description = "the job's params"),
    responses(
        (status = 202, body = JobRun),
        (status = 404, body = ErrorBody),
        (status = 429, description = "too many runs: recorded as refused", body = ErrorBody),
    )
)]
async fn start_run(
    payload: web::Payload,
    name: web::Path<String>,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let state = state.into_inner();
    let started = async {
        let body = read_body(payload, state.settings.max_request_body).await?;
        // The same reading as Parse's route: a JSON object, `{}` when empty.
        let params = cloud::read_params(&body, &mut Vec::new())
            .map_err(|e| Failure::BadRequest(e.to_string()))?;
        let start = Start {
            params: Value::Object(params),
            schedule: None,
        };
        let run = jobs::start(&state, &name, start, error::answer).await?;
        Ok::<_, Failure>(HttpResponse::Accepted().json(run_json(&run)))
    };
    error::reply(&request_id, started.await)
}

#[utoipa::path(
    get,
    path = "/admin/jobs",
    tag = "jobs",
    responses(
        (status = 200, body = [Job]),
    )
)]
async fn list_jobs(state: web::Data<State>, request_id: RequestId) -> HttpResponse {
    let listed = async {
        let loaded = state.current();
        let mut found: Vec<(String, String, &str)> = loaded
            .tasks
            .jobs
            .by_name
            .values()
            .map(|job| (job.name.clone(), job.file.clone(), "module"))
            .collect();
        if let Some(cloud) = &loaded.tasks.cloud {
            for name in jobs::cloud_jobs(&state, &loaded).await? {
                if !found.iter().any(|(n, ..)| *n == name) {
                    found.push((name, cloud.file.clone(), "cloud"));
                }
            }
        }
        let mut out = Vec::new();
        for (name, file, kind) in found {
            let last = state.store.job_runs(Some(&name), 1).await?;
            out.push(json!({"name": name, "file": file, "kind": kind, "lastRun": last.first().map(run_json)}));
        }
        Ok::<_, JobError>(HttpResponse::Ok().json(out))
    };
    error::reply(&request_id, listed.await)
}

fn limit_of(request: &HttpRequest) -> usize {
    super::request::form_pairs(request.query_string())
        .into_iter()
        .find(|(k, _)| k == "limit")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(DEFAULT_LIMIT)
        .clamp(1, 1000)
}

#[utoipa::path(
    get,
    path = "/admin/jobs/{name}/runs",
    tag = "jobs",
    params(
        ("name" = String, Path),
        ("limit" = Option<usize>, Query),
    ),
    responses(
        (status = 200, description = "newest first", body = [JobRun]),
    )
)]
async fn list_runs(
    request: HttpRequest,
    name: web::Path<String>,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let listed = state.store.job_runs(Some(&name), limit_of(&request)).await;
    let listed =
        listed.map(|runs| HttpResponse::Ok().json(runs.iter().map(run_json).collect::<Vec<_>>()));
    error::reply(&request_id, listed)
}

#[utoipa::path(
    get,
    path = "/admin/runs/{id}",
    tag = "jobs",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, body = JobRun),
        (status = 404, body = ErrorBody),
    )
)]
async fn run(
    id: web::Path<String>,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let found = match state.store.job_run(&id).await {
        Ok(Some(run)) => Ok(HttpResponse::Ok().json(run_json(&run))),
        Ok(None) => Err(JobError::NoRun(id.into_inner())),
        Err(e) => Err(e.into()),
    };
    error::reply(&request_id, found)
}

#[utoipa::path(
    get,
    path = "/admin/schedules",
    tag = "jobs",
    responses(
        (status = 200, body = [Schedule]),
    )
)]
async fn list_schedules(state: web::Data<State>, request_id: RequestId) -> HttpResponse {
    let listed = state.store.schedules().await;
    let listed = listed
        .map(|all| HttpResponse::Ok().json(all.iter().map(schedule_json).collect::<Vec<_>>()));
    error::reply(&request_id, listed)
}

#[utoipa::path(
    post,
    path = "/admin/schedules",
    tag = "jobs",
    request_body = Schedule,
    responses(
        (status = 201, body = Schedule),
        (status = 400, body = ErrorBody),
    )
)]
async fn add_schedule(
    payload: web::Payload,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let added = async {
        let body = read_body(payload, state.settings.max_request_body).await?;
        let declared: Value = serde_json::from_slice(&body)
            .map_err(|e| Failure::BadRequest(format!("invalid JSON: {e}")))?;
        let schedule = scheduler::add(&state, &declared).await?;
        Ok::<_, Failure>(HttpResponse::Created().json(schedule_json(&schedule)))
    };
    error::reply(&request_id, added.await)
}

#[utoipa::path(
    delete,
    path = "/admin/schedules/{name}",
    tag = "jobs",
    params(
        ("name" = String, Path),
    ),
    responses(
        (status = 204, description = "deleted"),
        (status = 404, body = ErrorBody),
    )
)]
async fn delete_schedule(
    name: web::Path<String>,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let deleted = match state.store.delete_schedule(&name).await {
        Ok(true) => Ok(HttpResponse::NoContent().finish()),
        Ok(false) => Err(JobError::NoSchedule(name.into_inner())),
        Err(e) => Err(e.into()),
    };
    error::reply(&request_id, deleted)
}

#[utoipa::path(
    post,
    path = "/admin/schedules/{name}/run",
    tag = "jobs",
    params(
        ("name" = String, Path),
    ),
    responses(
        (status = 202, body = JobRun),
        (status = 404, body = ErrorBody),
        (status = 409, description = "its previous run is still going", body = ErrorBody),
    )
)]
async fn run_schedule(
    name: web::Path<String>,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let state = state.into_inner();
    let started = scheduler::run_now(&state, &name, error::answer).await;
    let started = started.map(|run| HttpResponse::Accepted().json(run_json(&run)));
    error::reply(&request_id, started)
}
