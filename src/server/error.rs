//! The one rescue: every error a request can meet becomes an HTTP response here, in one body
//! shape, `{"message", "requestId", "providerMessage"?}`; and every answer of the element
//! and admin routes gets its `Elements-Request-Id` here, once.

use std::future::{ready, Ready};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};
use rand::Rng;
use serde_json::{json, Value};

use crate::admission::Refused;
use crate::events::ingest::IngestError;
use crate::hooks::{Class, HookError};
use crate::pipeline::PipelineError;
use crate::scripts::cloud::CloudError;
use crate::scripts::jobs::JobError;
use crate::scripts::TaskError;
use crate::store::StoreError;
use crate::vendor::VendorError;

/// Seconds a caller is asked to wait before trying again while the store is unavailable:
/// the store is usually back within a moment (a busy file, a restarting database).
const RETRY_AFTER_SECONDS: &str = "1";

const REQUEST_ID: HeaderName = HeaderName::from_static("elements-request-id");

/// Every error a request to the element, events or admin routes can meet.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Task(#[from] TaskError),
    #[error(transparent)]
    Job(#[from] JobError),
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the request body could not be read")]
    Unreadable,
    #[error("admin token required (Authorization: Bearer <admin token>)")]
    AdminToken,
    /// A studio session changing something without its CSRF token (`X-CSRF-Token`).
    #[error("the studio's CSRF token is missing or wrong: reload the studio page")]
    Csrf,
    /// Without a configured admin token there is no admin API at all, rather than one nobody
    /// can pass: said so, so that a 401 is not mistaken for a wrong token.
    #[error("the admin API is off: start the server with --admin-token (or ELEMENTAL_ADMIN_TOKEN) to use /admin")]
    AdminOff,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    /// The request contradicts how the thing is defined (an instance of the instances file
    /// changed through the API).
    #[error("{0}")]
    Conflict(String),
    /// A step of connecting or deleting an account failed: its own error, named by step.
    #[error("{step}: {error}")]
    Step {
        step: String,
        error: Box<PipelineError>,
    },
}

/// The status a caller gets for a pipeline error: upstream faults 502/504, client faults
/// 4xx, hook faults 500 (504 when the hook ran out of time or CPU, 503 when no executor could
/// take it), an unavailable store 503; an instance over its rate or fair share 429, a server
/// shedding waits 503.
pub fn status(error: &PipelineError) -> u16 {
    match error {
        PipelineError::Unauthorized(_) | PipelineError::Token { .. } => 401,
        PipelineError::NotFound(_) => 404,
        PipelineError::MethodNotAllowed { .. } => 405,
        PipelineError::BadRequest(_) => 400,
        PipelineError::Hook { error, .. } if error.class() == Class::Timeout => 504,
        PipelineError::Hook { error, .. } if error.class() == Class::Busy => 503,
        PipelineError::Hook { .. } => 500,
        PipelineError::Vendor {
            error: VendorError::Timeout(_),
            ..
        } => 504,
        PipelineError::Vendor { .. } => 502,
        PipelineError::Misconfigured { .. } => 500,
        PipelineError::Store(_) => 503,
        PipelineError::Refused {
            refused: Refused::Shed(_),
            ..
        } => 503,
        PipelineError::Refused { .. } => 429,
        PipelineError::Answered { status, .. } => *status,
    }
}

/// The status of a web task's failure: its own refusals, then hook faults as for hooks (500,
/// 504 past its time limit, 503 when no executor could take it).
fn task_status(error: &TaskError) -> u16 {
    match error {
        TaskError::NotFound(_) => 404,
        TaskError::UnsupportedType { .. } => 415,
        TaskError::MethodNotAllowed { .. } => 405,
        TaskError::Unauthorized { status, .. } => *status,
        TaskError::Refused {
            refused: Refused::Shed(_),
            ..
        } => 503,
        TaskError::Refused { .. } => 429,
        TaskError::Script(error) if error.class() == Class::Timeout => 504,
        TaskError::Script(error) if error.class() == Class::Busy => 503,
        TaskError::Script(_) => 500,
    }
}

/// What a caller is told about a task's failure: as for hooks, a script's JS message and
/// location only when `expose`.
fn task_message(error: &TaskError, request_id: &str, expose: bool) -> String {
    match error {
        TaskError::Script(error) => hook_message(error, request_id, expose),
        _ => error.to_string(),
    }
}

/// A script endpoint's failure as its caller is told it: the JS message and location only
/// when `expose`.
fn hook_message(error: &HookError, request_id: &str, expose: bool) -> String {
    match error {
        HookError::Script { hook, error } if !expose => format!(
            "{hook} failed ({}); the server log has the details under request id {request_id}",
            error.name
        ),
        HookError::BadResult { hook, .. } if !expose => format!(
            "{hook} gave an answer the engine cannot use; the server log has the details under request id {request_id}"
        ),
        _ => error.to_string(),
    }
}

/// The answer to a failed Parse Cloud function call, in Parse's shapes: 403
/// `{"error":"unauthorized"}` for a wrong key, 400 `{"code", "error"}` for the function's own
/// error (141) or a body that is not a JSON object (107); limits and refusals keep their
/// statuses (500, 504, 429, 503) with Parse's body, code 141 (the script failed) or 155 (a
/// request limit).
pub fn cloud(error: &CloudError, request_id: &RequestId, expose: bool) -> HttpResponse {
    let (status, body) = cloud_answer(error, request_id.as_str(), expose);
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::build(code);
    if let CloudError::Refused { refused, .. } = error {
        response.append_header(("Retry-After", refused.retry_after().max(1).to_string()));
    } else if code == StatusCode::SERVICE_UNAVAILABLE {
        response.append_header(("Retry-After", RETRY_AFTER_SECONDS));
    }
    if code.is_server_error() {
        tracing::error!(status, "{error}");
    } else {
        tracing::info!(status, "{error}");
    }
    response.json(body)
}

/// The status and Parse's body for a failed cloud function call (`cloud`, and the cases).
pub fn cloud_answer(error: &CloudError, request_id: &str, expose: bool) -> (u16, Value) {
    match error {
        CloudError::Unauthorized => (403, json!({"error": "unauthorized"})),
        CloudError::InvalidJson(why) => (
            400,
            json!({"code": 107, "error": format!("Invalid JSON: {why}")}),
        ),
        CloudError::Function { code, message, .. } => {
            (400, json!({"code": code, "error": message}))
        }
        CloudError::Refused { refused, .. } => {
            let status = if matches!(refused, Refused::Shed(_)) {
                503
            } else {
                429
            };
            (status, json!({"code": 155, "error": error.to_string()}))
        }
        CloudError::Script(e) => {
            let status = match e.class() {
                Class::Timeout => 504,
                Class::Busy => 503,
                _ => 500,
            };
            let message = hook_message(e, request_id, expose);
            (status, json!({"code": 141, "error": message}))
        }
    }
}

/// The status of any failure.
fn status_of(failure: &Failure) -> u16 {
    match failure {
        Failure::Pipeline(error) => status(error),
        Failure::Task(error) => task_status(error),
        Failure::Ingest(IngestError::UnknownElement(_) | IngestError::UnknownInstance(..)) => 404,
        Failure::Ingest(IngestError::NoInstance(..)) => 400,
        Failure::Ingest(IngestError::BadSignature(_)) => 401,
        Failure::Ingest(IngestError::TooLarge { .. }) | Failure::TooLarge(_) => 413,
        Failure::Ingest(IngestError::Store(_)) | Failure::Store(_) => 503,
        Failure::Unreadable => 400,
        Failure::AdminToken => 401,
        Failure::Csrf => 403,
        Failure::AdminOff | Failure::NotFound(_) => 404,
        Failure::BadRequest(_) => 400,
        Failure::Conflict(_) => 409,
        Failure::Step { error, .. } => status(error),
        Failure::Job(error) => job_status(error),
    }
}

/// A background job's start or status failure: unknown names 404, over the concurrency
/// bound 429, a schedule still running 409, no executor free or the store away 503, cloud
/// code that does not load 500.
fn job_status(error: &JobError) -> u16 {
    match error {
        JobError::NotFound(_) | JobError::NoRun(_) | JobError::NoSchedule(_) => 404,
        JobError::TooMany { .. } => 429,
        JobError::Invalid(_) => 400,
        JobError::ScheduleRunning(_) => 409,
        JobError::Store(_) => 503,
        JobError::Script { error, .. } if error.class() == Class::Busy => 503,
        JobError::Script { .. } => 500,
    }
}

/// True when the store failed: the caller may try again shortly (`Retry-After`).
fn store_failed(failure: &Failure) -> bool {
    matches!(
        failure,
        Failure::Store(_)
            | Failure::Job(JobError::Store(_))
            | Failure::Pipeline(PipelineError::Store(_))
            | Failure::Ingest(IngestError::Store(_))
    )
}

/// The one error shape: `{"message", "requestId", "providerMessage"?}`.
pub fn body(message: &str, request_id: &str, provider_message: Option<&Value>) -> Value {
    let mut body = json!({ "message": message, "requestId": request_id });
    if let (Some(provider), Some(map)) = (provider_message, body.as_object_mut()) {
        map.insert("providerMessage".into(), provider.clone());
    }
    body
}

/// What a caller is told about an error. A hook's JS message and `file:line:column` stay in
/// the logs and traces unless `expose` (development): they show the element's insides.
fn message(error: &PipelineError, request_id: &str, expose: bool) -> String {
    match error {
        PipelineError::Hook {
            element,
            error: HookError::Script { hook, error },
        } if !expose => format!(
            "element {element}: {hook} failed ({}); the server log has the details under request id {request_id}",
            error.name
        ),
        PipelineError::Hook {
            element,
            error: HookError::BadResult { hook, .. },
        } if !expose => format!(
            "element {element}: {hook} gave a result the engine cannot use; the server log has the details under request id {request_id}"
        ),
        _ => error.to_string(),
    }
}

fn retry_after() -> (String, String) {
    ("Retry-After".to_string(), RETRY_AFTER_SECONDS.to_string())
}

/// The whole answer for a pipeline error: status, extra headers and the JSON body. `expose`
/// shows a hook's JS error and its location to the caller.
pub fn answer(
    error: &PipelineError,
    request_id: &str,
    expose: bool,
) -> (u16, Vec<(String, String)>, Value) {
    let (headers, provider) = match error {
        PipelineError::MethodNotAllowed { allow, .. } => {
            (vec![("Allow".to_string(), allow.join(", "))], None)
        }
        PipelineError::Answered {
            provider_message,
            headers,
            ..
        } => (
            headers
                .iter()
                .filter(|(n, _)| !n.eq_ignore_ascii_case("content-type"))
                .cloned()
                .collect(),
            provider_message.as_ref(),
        ),
        PipelineError::Store(_) => (vec![retry_after()], None),
        // What the vendor's token endpoint said, as a vendor error's answer carries it.
        PipelineError::Token { error, .. } => match error.as_ref() {
            crate::auth::oauth2::OAuthError::Refused { body, .. } => (Vec::new(), Some(body)),
            _ => (Vec::new(), None),
        },
        PipelineError::Hook { error, .. } if error.class() == Class::Busy => {
            (vec![retry_after()], None)
        }
        PipelineError::Refused { refused, .. } => {
            let seconds = refused.retry_after().max(1).to_string();
            (vec![("Retry-After".to_string(), seconds)], None)
        }
        _ => (Vec::new(), None),
    };
    (
        status(error),
        headers,
        body(&message(error, request_id, expose), request_id, provider),
    )
}

/// The whole answer for any failure, as `answer` gives it for a pipeline error.
pub fn answer_failure(
    failure: &Failure,
    request_id: &str,
    expose: bool,
) -> (u16, Vec<(String, String)>, Value) {
    if let Failure::Pipeline(error) = failure {
        return answer(error, request_id, expose);
    }
    if let Failure::Step { step, error } = failure {
        let (status, headers, mut json) = answer(error, request_id, expose);
        if let Some(message) = json.get_mut("message") {
            *message = Value::String(format!("{step}: {}", message.as_str().unwrap_or_default()));
        }
        return (status, headers, json);
    }
    let headers = match failure {
        _ if store_failed(failure) => vec![retry_after()],
        Failure::Task(TaskError::MethodNotAllowed { allow, .. }) => {
            vec![("Allow".to_string(), allow.join(", "))]
        }
        Failure::Task(TaskError::Script(error)) if error.class() == Class::Busy => {
            vec![retry_after()]
        }
        Failure::Task(TaskError::Refused { refused, .. }) => {
            let seconds = refused.retry_after().max(1).to_string();
            vec![("Retry-After".to_string(), seconds)]
        }
        _ => Vec::new(),
    };
    let message = match failure {
        Failure::Task(error) => task_message(error, request_id, expose),
        _ => failure.to_string(),
    };
    (
        status_of(failure),
        headers,
        body(&message, request_id, None),
    )
}

/// The response for `failure`, logged: server faults as errors, a vendor's rejected webhook
/// as a warning (someone should look at the vendor's settings), the rest as information.
pub fn respond(failure: &Failure, request_id: &RequestId, expose: bool) -> HttpResponse {
    let (code, headers, json) = answer_failure(failure, request_id.as_str(), expose);
    let code = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::build(code);
    for (name, value) in &headers {
        response.append_header((name.as_str(), value.as_str()));
    }
    let status = code.as_u16();
    if code.is_server_error() {
        tracing::error!(status, "{failure}");
    } else if matches!(failure, Failure::Ingest(_)) {
        tracing::warn!(status, "webhook rejected: {failure}");
    } else {
        tracing::info!(status, "{failure}");
    }
    response.json(json)
}

/// `result` as a response: its success as is, its failure through `respond` (with nothing
/// of a hook's insides: only the proxy route decides to expose those).
pub fn reply<E: Into<Failure>>(
    request_id: &RequestId,
    result: Result<HttpResponse, E>,
) -> HttpResponse {
    result.unwrap_or_else(|error| respond(&error.into(), request_id, false))
}

/// The id of one request: in its error body, its log lines, its trace and its
/// `Elements-Request-Id` header.
#[derive(Debug, Clone)]
pub struct RequestId(String);

impl RequestId {
    fn new() -> RequestId {
        let bytes: [u8; 12] = rand::rng().random();
        RequestId(hex::encode(bytes))
    }

    /// The id `stamp` gave `request` (a new one for a request that did not pass `stamp`).
    pub fn of(request: &HttpRequest) -> RequestId {
        request
            .extensions()
            .get::<RequestId>()
            .cloned()
            .unwrap_or_else(RequestId::new)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A handler's request id, as `RequestId::of` gives it.
impl FromRequest for RequestId {
    type Error = std::convert::Infallible;
    type Future = Ready<Result<RequestId, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(RequestId::of(request)))
    }
}

/// In front of the element, events and admin routes: give the request its id and set it,
/// once, as the answer's `Elements-Request-Id`, whatever answered.
pub async fn stamp<B: MessageBody + 'static>(
    request: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let id = RequestId::new();
    let value = HeaderValue::from_str(id.as_str()).ok();
    request.extensions_mut().insert(id);
    let mut response = next.call(request).await?;
    if let Some(value) = value {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

/// A path segment that does not parse (`/admin/events/abc`): a 404 in the one error shape.
pub fn unparsable_path(
    error: actix_web::error::PathError,
    request: &HttpRequest,
) -> actix_web::Error {
    let response = respond(
        &Failure::NotFound(error.to_string()),
        &RequestId::of(request),
        false,
    );
    actix_web::error::InternalError::from_response(error, response).into()
}
