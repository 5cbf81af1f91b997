//! One call of a Parse Cloud function (`POST /parse/functions/<name>`): the Parse keys
//! checked, the JSON body as `request.params`, the function run on the hooks engine with the
//! tasks' gate and limits; its answer, and its console lines in the log under its name.

use std::sync::Arc;

use bytes::Bytes;
use serde_json::{Map, Value};

use super::web::{gate, limits};
use crate::admission::Refused;
use crate::hooks::{self, CloudAnswer, CloudCall, Dispatcher, HookError};
use crate::parse::ParseSettings;
use crate::state::{Loaded, State};

/// The caller's request, as the server received it.
#[derive(Debug, Clone)]
pub struct CloudIncoming {
    /// Names as received.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// The caller's address.
    pub ip: String,
}

/// Why a call did not get the function's own result; `server::error` maps each to HTTP in
/// Parse's shapes.
#[derive(Debug, thiserror::Error)]
pub enum CloudError {
    /// A wrong app id, REST key or master key (or a master key when none is set): 403.
    #[error("unauthorized")]
    Unauthorized,
    /// The body is not a JSON object: 400, Parse's code 107.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// The function threw or rejected, answered `response.error`, or does not exist: 400,
    /// `{"code", "error"}` as Parse answers.
    #[error("cloud function {function}: {message}")]
    Function {
        function: String,
        code: i64,
        message: String,
    },
    /// No executor slot came free in time (or too many wait): 429 or 503.
    #[error("cloud function {function}: script endpoints {refused}")]
    Refused { function: String, refused: Refused },
    /// cloud/main.js failed to load, or the function met a limit.
    #[error(transparent)]
    Script(HookError),
}

/// What a call gave: the body of `{"result": ...}` or why not, what the function wrote to
/// its console and sent out (for the debug trace), and the outcome the metrics count.
#[derive(Debug)]
pub struct Called {
    pub result: Result<String, CloudError>,
    pub console: Vec<hooks::ConsoleLine>,
    pub outbound: Vec<hooks::OutboundCall>,
    /// `success`, `error` (the function's own), `invalid` (no such function, a refused key or
    /// body), `failure` (limits, loading).
    pub outcome: &'static str,
    /// A function of that name ran (else the metrics say `unknown`).
    pub known: bool,
}

impl From<CloudError> for Called {
    fn from(error: CloudError) -> Called {
        let outcome = match error {
            CloudError::Refused { .. } | CloudError::Script(_) => "failure",
            _ => "invalid",
        };
        Called {
            result: Err(error),
            console: Vec::new(),
            outbound: Vec::new(),
            outcome,
            known: false,
        }
    }
}

/// Call the function `name` of the cloud code of `loaded` for `incoming`.
pub async fn call(
    state: &Arc<State>,
    loaded: &Arc<Loaded>,
    name: &str,
    incoming: CloudIncoming,
    request_id: &str,
) -> Called {
    let settings = &state.settings.parse;
    let mut incoming = incoming;
    let params = match read_params(&incoming.body, &mut incoming.headers) {
        Ok(params) => params,
        Err(refused) => return refused.into(),
    };
    let master = match authorize(settings, &incoming.headers) {
        Ok(master) => master,
        Err(refused) => return refused.into(),
    };
    let params = Value::Object(params);
    let Some(cloud) = loaded.tasks.cloud.as_ref() else {
        return unknown(name).into();
    };
    let call = CloudCall {
        name: name.to_string(),
        params,
        master,
        headers: headers(&incoming.headers),
        ip: incoming.ip,
        installation_id: header(&incoming.headers, "x-parse-installation-id").map(str::to_string),
    };
    let limits = limits(state);
    // A webhook wins over a function main.js defines (Parse's rule); it runs no script, so
    // it takes no executor slot.
    if let Some(webhook) = cloud.webhooks.get(name) {
        let script = hooks::Script {
            label: format!("cloud function {name} (webhook)"),
            ..cloud.script.clone()
        };
        let run = hooks::webhook::run_function(&script, webhook, &call, limits).await;
        return called(name, request_id, run);
    }
    let io = Dispatcher::real(state.settings.mail.clone())
        .with_parse_config(settings.config.clone(), master);
    let _permit = match gate(state, limits.time).await {
        Ok(permit) => permit,
        Err(refused) => {
            let function = name.to_string();
            return CloudError::Refused { function, refused }.into();
        }
    };
    let script = hooks::Script {
        label: format!("cloud function {name}"),
        ..cloud.script.clone()
    };
    let run = hooks::run_cloud(&script, call, limits, &io).await;
    log_console(name, request_id, &run.console);
    called(name, request_id, run)
}

/// The caller's answer from the function's, and how the metrics count it.
fn called(name: &str, request_id: &str, run: hooks::CloudRun) -> Called {
    let (result, outcome, known) = match run.answer {
        Ok(CloudAnswer::Result(body)) => (Ok(body), "success", true),
        Ok(CloudAnswer::Unknown(_)) => (Err(unknown(name)), "invalid", false),
        Ok(CloudAnswer::Error { code, message }) => {
            tracing::warn!(
                function = name,
                request_id,
                code,
                "cloud function failed: {message}"
            );
            let function = name.to_string();
            let error = CloudError::Function {
                function,
                code,
                message,
            };
            (Err(error), "error", true)
        }
        Err(error) => (Err(CloudError::Script(error)), "failure", true),
    };
    Called {
        result,
        console: run.console,
        outbound: run.outbound,
        outcome,
        known,
    }
}

/// Parse's answer to a name no function has.
fn unknown(name: &str) -> CloudError {
    CloudError::Function {
        function: name.to_string(),
        code: 141,
        message: format!("Invalid function: {name:?}"),
    }
}

/// Check the Parse keys: whether the call is a master one, or refused.
pub fn authorize(
    settings: &ParseSettings,
    headers: &[(String, String)],
) -> Result<bool, CloudError> {
    let same = |given: Option<&str>, expected: &str| {
        given.is_some_and(|g| crate::secret::matches(g.as_bytes(), expected.as_bytes()))
    };
    if !same(header(headers, "x-parse-application-id"), &settings.app_id) {
        return Err(CloudError::Unauthorized);
    }
    if let Some(given) = header(headers, "x-parse-master-key") {
        // A master key when none is set is refused: master-only calls are then impossible.
        return match &settings.master_key {
            Some(key) if same(Some(given), key) => Ok(true),
            _ => Err(CloudError::Unauthorized),
        };
    }
    match &settings.rest_key {
        Some(key) if !same(header(headers, "x-parse-rest-api-key"), key) => {
            Err(CloudError::Unauthorized)
        }
        _ => Ok(false),
    }
}

/// A Parse call's body as its params, with the SDK's envelope taken out: the keys it puts in
/// the body stand for headers the call did not send (cloud functions and jobs alike).
pub fn read_params(
    body: &[u8],
    headers: &mut Vec<(String, String)>,
) -> Result<Map<String, Value>, CloudError> {
    let mut params = params(body)?;
    envelope(&mut params, headers);
    Ok(params)
}

/// The body as `request.params`: a JSON object (an empty body is `{}`), whatever the
/// Content-Type (Parse's JS SDK sends it as text/plain).
fn params(body: &[u8]) -> Result<Map<String, Value>, CloudError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(params)) => Ok(params),
        Ok(_) => Err(CloudError::InvalidJson(
            "the parameters are a JSON object".into(),
        )),
        Err(e) => Err(CloudError::InvalidJson(e.to_string())),
    }
}

/// The keys of the envelope Parse's JS SDK puts in the body instead of headers (so that a
/// browser sends no CORS preflight), and the header each stands for.
const ENVELOPE: &[(&str, Option<&str>)] = &[
    ("_ApplicationId", Some("x-parse-application-id")),
    ("_MasterKey", Some("x-parse-master-key")),
    ("_InstallationId", Some("x-parse-installation-id")),
    ("_JavaScriptKey", None),
    ("_ClientKey", None),
    ("_ClientVersion", None),
    ("_SessionToken", None),
    ("_RevocableSession", None),
    ("_ContentType", None),
    ("_context", None),
    ("_method", None),
];

/// Take the SDK's envelope out of the params; its keys stand for headers the call did not
/// send (a header sent wins).
fn envelope(params: &mut Map<String, Value>, headers: &mut Vec<(String, String)>) {
    for (key, header_name) in ENVELOPE {
        let Some(value) = params.remove(*key) else {
            continue;
        };
        let (Some(name), Value::String(value)) = (header_name, value) else {
            continue;
        };
        if header(headers, name).is_none() {
            headers.push((name.to_string(), value));
        }
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// `request.headers`: lower-case names, repeated values joined with `, `.
fn headers(headers: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        let joined = match map.get(&name).and_then(Value::as_str) {
            Some(before) => format!("{before}, {value}"),
            None => value.clone(),
        };
        map.insert(name, Value::String(joined));
    }
    map
}

fn log_console(function: &str, request_id: &str, lines: &[hooks::ConsoleLine]) {
    for line in lines {
        let message = &line.message;
        match line.level.as_str() {
            "error" => tracing::error!(function, request_id, "console: {message}"),
            "warn" => tracing::warn!(function, request_id, "console: {message}"),
            "debug" | "notice" => tracing::debug!(function, request_id, "console: {message}"),
            _ => tracing::info!(function, request_id, "console: {message}"),
        }
    }
}
