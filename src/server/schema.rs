//! The shapes of the admin and instances API's bodies, as OpenAPI schemas: what the handlers
//! read and answer, named once so that `/admin/openapi.json` describes them from the code.

use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

/// Every error: `{"message", "requestId", "providerMessage"?}`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    message: String,
    #[schema(rename = "requestId")]
    request_id: String,
    /// The vendor's own error body, when the vendor answered one.
    #[schema(rename = "providerMessage", value_type = Option<Object>)]
    provider_message: Option<Value>,
}

/// A received webhook (`GET /admin/events`; with `payload` by id).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Event {
    id: i64,
    element: String,
    #[schema(rename = "instanceId")]
    instance_id: i64,
    /// `received`, `processed`, `dropped`, `failed`.
    status: String,
    error: Option<String>,
    /// Milliseconds since the Unix epoch.
    #[schema(rename = "receivedAt")]
    received_at: i64,
    /// Bumped by every replay.
    generation: i64,
    /// The normalized events, once processed.
    #[schema(value_type = Option<Object>)]
    events: Option<Value>,
}

/// One notification to a subscriber (`GET /admin/deliveries`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Delivery {
    /// Stable across retries (`Elements-Webhook-Id`).
    id: String,
    #[schema(rename = "eventId")]
    event_id: i64,
    #[schema(rename = "instanceId")]
    instance_id: i64,
    url: String,
    /// `pending`, `delivered`, `queued`.
    status: String,
    attempts: i64,
    #[schema(rename = "nextAttemptAt")]
    next_attempt_at: i64,
    #[schema(rename = "lastStatus")]
    last_status: Option<i64>,
    #[schema(rename = "lastError")]
    last_error: Option<String>,
}

/// A connected account, its secrets masked (the token only once, at creation).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ConnectedInstance {
    id: i64,
    name: String,
    token: String,
    #[schema(value_type = Object)]
    element: Value,
    #[schema(value_type = Object)]
    configuration: Value,
    tags: Vec<String>,
    valid: bool,
    #[schema(rename = "invalidReason")]
    invalid_reason: Option<String>,
    /// `file` (instances.yaml) or `api`.
    source: String,
}

/// `POST /instances`: the element, a name, configuration, and what the vendor's consent gave.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NewInstance {
    #[schema(value_type = Object, example = json!({"key": "pinterest"}))]
    element: Value,
    name: String,
    #[schema(value_type = Object)]
    configuration: Value,
    /// `{code}` from an OAuth 2 redirect (`code_verifier` with PKCE); OAuth 1's
    /// `{oauth_token, oauth_verifier, secret}`.
    #[schema(rename = "providerData", value_type = Option<Object>)]
    provider_data: Option<Value>,
    tags: Option<Vec<String>>,
}

/// An element in brief (`GET /admin/elements`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ElementSummary {
    key: String,
    name: String,
    hub: String,
    file: String,
    /// `basic`, `oauth2`, `oauth2Password`, `oauth1`, `awsv4`, `custom`.
    authentication: String,
    resources: usize,
    instances: usize,
}

/// A problem the last load reported, where to look.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Diagnostic {
    file: String,
    line: usize,
    column: usize,
    warning: bool,
    message: String,
}

/// "Try it": a request as a caller would send it, under the prefix.
#[derive(Deserialize, ToSchema)]
pub struct Attempt {
    pub method: String,
    /// `/hubs/crm/contacts`.
    pub path: String,
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub headers: serde_json::Map<String, Value>,
    #[serde(default)]
    pub body: String,
}

/// What "try it" got: the answer and its debug trace.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Tried {
    #[schema(rename = "requestId")]
    request_id: String,
    status: u16,
    /// `[name, value]` pairs.
    headers: Vec<Vec<String>>,
    body: String,
    #[schema(value_type = Object)]
    trace: Value,
}

/// The hook playground: a hook by its label, the script (its own when absent), variables.
#[derive(Deserialize, ToSchema)]
pub struct Replay {
    pub element: String,
    /// As traces name it: `resource preRequest GET /hubs/crm/contacts`.
    pub hook: String,
    pub source: Option<String>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub variables: serde_json::Map<String, Value>,
    /// The trace's instance: its configuration fills the values the trace masked.
    pub instance: Option<i64>,
}

/// What a hook run gave, as `elemental hook run` prints it.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct HookReport {
    called: bool,
    #[schema(value_type = Object)]
    done: Value,
    #[schema(value_type = Vec<Object>)]
    console: Vec<Value>,
    #[schema(value_type = Option<Object>)]
    error: Option<Value>,
    #[schema(value_type = Option<Object>)]
    result: Option<Value>,
}

/// A background job run (`/admin/runs/{id}`, `/admin/jobs/{name}/runs`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct JobRun {
    id: String,
    job: String,
    #[schema(value_type = Object)]
    params: Value,
    /// `running`, `succeeded`, `failed`, `timed_out`, `interrupted`, `refused`.
    state: String,
    #[schema(rename = "startedAt")]
    started_at: String,
    #[schema(rename = "finishedAt")]
    finished_at: Option<String>,
    #[schema(rename = "durationMs")]
    duration_ms: Option<i64>,
    /// The last `status.message`, or the success or error message.
    message: Option<String>,
    #[schema(value_type = Vec<Object>)]
    console: Vec<Value>,
    node: Option<String>,
    schedule: Option<String>,
}

/// A job as `GET /admin/jobs` lists it.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Job {
    name: String,
    file: String,
    /// `module` (jobs/<name>.js) or `cloud` (Parse.Cloud.job).
    kind: String,
    #[schema(rename = "lastRun")]
    last_run: Option<JobRun>,
}

/// A schedule of a job (`schedules.yaml` or `POST /admin/schedules`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Schedule {
    name: String,
    job: String,
    description: Option<String>,
    #[schema(value_type = Object)]
    params: Value,
    /// RFC 3339.
    start: Option<String>,
    /// `{"every": "15m"}` or `{"cron": "0 */5 * * * *"}`.
    #[schema(value_type = Object, example = json!({"every": "15m"}))]
    repeat: Value,
    #[schema(rename = "nextRun")]
    next_run: Option<String>,
    #[schema(rename = "lastRun")]
    last_run: Option<String>,
    #[schema(rename = "lastRunId")]
    last_run_id: Option<String>,
    /// Firings skipped because the previous run was still going.
    skipped: i64,
    /// `file` or `api`.
    origin: String,
}
