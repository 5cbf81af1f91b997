//! The phases of one proxied request, in order (global pre, resource pre, vendor, resource post, global post). Nothing here speaks HTTP
//! server types: the server hands in an `Inbound` and turns the result into a response.
//!
//! 1. **Route** — the instance from the caller's token, then (method, path) → resource.
//!    Unknown token: `Unauthorized`; unknown path: `NotFound` / `MethodNotAllowed`.
//! 2. **Build** — the vendor request: `base.url` + `vendorPath` with path variables,
//!    `vendorMethod`, parameters mapped, default `Accept`/`Content-Type`, authentication.
//!    A bad `where` is `BadRequest` with the position.
//! 3. **Global preRequest**, then **resource preRequest** — each sees what the previous
//!    left; `continue: false` skips the vendor and makes the hook's values the response.
//! 4. **Vendor** — unless skipped. Transport failures are `Vendor` errors (502/504).
//! 5. **Resource postRequest**, then **global postRequest** — they run after a
//!    `continue: false` too; `response_error_message` turns the answer into an error.
//! 6. **Answer** — the final status, headers and body; a vendor error nobody handled
//!    becomes the error shape with `providerMessage`.
//!
//! Configuration returned by any hook is merged and persisted at once, so the next phase
//! and the next request see it.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use serde_json::{json, Map, Value};

use crate::element::template::{interpolate_configuration, substitute_path, value_text};
use crate::element::{ceql, Authentication, Element, ParamKind, Parameter, Resource};
use crate::hooks::{
    self, ConsoleLine, Dispatcher, HookError, HookInput, HookResult, Kind, Options,
    PostResponseResult, PreRequestResult, RequestVars, ResponseVars, Script,
};
use crate::instance::Instance;
use crate::metrics::Metrics;
use crate::routing::Match;
use crate::settings::Settings;
use crate::store::{Store, StoreError};
use crate::vendor::{is_hop_by_hop, VendorClient, VendorError, VendorRequest, VendorResponse};

/// The caller's request, as the server received it (path without the prefix).
#[derive(Debug, Clone)]
pub struct Inbound {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// What goes back to the caller on success.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// Why a request did not get a normal answer; `server::error` maps each to HTTP.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    MethodNotAllowed { message: String, allow: Vec<String> },
    #[error("{0}")]
    BadRequest(String),
    #[error("element {element}: {error}")]
    Hook { element: String, error: HookError },
    #[error("element {element}: {error}")]
    Vendor { element: String, error: VendorError },
    #[error("element {element}: {message}")]
    Misconfigured { element: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An error a hook asked for (`response_error_message`), or a vendor error no hook handled.
    #[error("{message}")]
    Answered {
        status: u16,
        message: String,
        provider_message: Option<Value>,
        headers: Vec<(String, String)>,
    },
}

/// Everything one request needs from the server.
pub struct Call<'a> {
    pub request_id: &'a str,
    pub instance: &'a Arc<Instance>,
    pub store: &'a dyn Store,
    pub vendor: &'a VendorClient,
    pub settings: &'a Settings,
    pub metrics: &'a Metrics,
    /// When debugging: each phase appends what it saw and did (unmasked; the server masks).
    pub trace: Option<&'a RefCell<Vec<Value>>>,
}

/// How metrics and traces name a resource: `GET /hubs/crm/contacts`, or `unmatched`.
pub fn resource_label(element: &Element, method: &str, path: &str) -> String {
    match element.router.find(method, path) {
        Match::Found(index, _) => element
            .resources
            .get(index)
            .map(|r| format!("{} {}", r.method, r.path))
            .unwrap_or_else(|| "unmatched".into()),
        _ => "unmatched".into(),
    }
}

/// The response as hooks see and change it.
#[derive(Debug, Clone)]
struct Response {
    status: u16,
    /// Lower-case names; a repeated header is an array.
    headers: Map<String, Value>,
    /// The vendor's headers as they came, when nothing reads the response (`headers` is
    /// then empty): passed on without a map built and taken apart again.
    passed: Vec<(String, String)>,
    raw: Bytes,
    /// Parsed whole body, when it is JSON; `None` while it is the same as `body` (no rootKey
    /// took a part of it, no hook replaced it), so a large body is not held twice.
    raw_map: Option<Value>,
    /// The body after `rootKey`: parsed JSON, else the text.
    body: Value,
    /// A hook replaced the body: the answer must be re-serialized.
    replaced: bool,
}

impl Response {
    fn raw_map(&self) -> &Value {
        self.raw_map.as_ref().unwrap_or(&self.body)
    }
}

/// The values hooks read and change, from routing to the answer.
struct Exchange<'e> {
    element: &'e Element,
    resource: &'e Resource,
    request_body: Option<String>,
    request_body_map: Value,
    request_headers: Map<String, Value>,
    request_path: String,
    request_path_variables: Map<String, Value>,
    request_parameters: Map<String, Value>,
    request_method: String,
    request_expression: Value,
    vendor_method: String,
    vendor_path: String,
    vendor_headers: Map<String, Value>,
    vendor_parameters: Map<String, Value>,
    vendor_body: Option<String>,
    configuration: Map<String, Value>,
    response: Option<Response>,
    error_message: Option<String>,
    response_parameters: Vec<Parameter>,
}

/// Run the whole pipeline for one request.
pub async fn handle(call: &Call<'_>, inbound: Inbound) -> Result<Answer, PipelineError> {
    let element = call.instance.element.clone();
    let (resource, path_variables) = route(&element, &inbound)?;
    let mut exchange = build(call, &element, resource, path_variables, &inbound)?;

    let mut go_on = true;
    for script in [&element.hooks.pre_request, &resource.hooks.pre_request]
        .into_iter()
        .flatten()
    {
        let result = run_hook(call, &exchange, script, Kind::PreRequest).await?;
        if let Some(result) = result.and_then(HookResult::pre_request) {
            go_on = apply_pre(call, &mut exchange, result).await?;
        }
        if !go_on {
            break;
        }
    }

    if go_on {
        let request = vendor_request(&exchange)?;
        tracing::debug!(method = %request.method, url = %request.url, "calling the vendor");
        let summary = call.trace.map(|_| json!({"method": request.method, "url": request.url, "headers": pairs_to_map(&request.headers), "bodyBytes": request.body.as_ref().map_or(0, |b| b.len())}));
        let started = Instant::now();
        let sent = call.vendor.send(request).await;
        let took = started.elapsed();
        call.metrics.vendor(&element.key, took);
        if let (Some(trace), Some(summary)) = (call.trace, summary) {
            let response = match &sent {
                Ok(r) => {
                    json!({"status": r.status, "headers": pairs_to_map(&r.headers), "bodyBytes": r.body.len()})
                }
                Err(e) => json!({"error": e.to_string()}),
            };
            trace.borrow_mut().push(json!({"phase": "vendor", "request": summary, "response": response, "micros": took.as_micros() as u64}));
        }
        let response = sent.map_err(|error| PipelineError::Vendor {
            element: element.key.clone(),
            error,
        })?;
        // Parsing the body costs as much as proxying it: only when something will read it.
        let read_by_hooks = resource.hooks.post_request.is_some()
            || element.hooks.post_request.is_some()
            || resource.root_key.is_some();
        let read_by_parameters = exchange
            .response_parameters
            .iter()
            .any(|p| p.vendor_kind == ParamKind::BodyField);
        let error = !(200..=207).contains(&response.status);
        exchange.response = Some(if read_by_hooks || read_by_parameters || error {
            read_response(resource, response)
        } else {
            unread_response(response)
        });
    } else if exchange.response.is_none() {
        exchange.response = Some(answer_from_pre(PreRequestResult::default()));
    }

    for script in [&resource.hooks.post_request, &element.hooks.post_request]
        .into_iter()
        .flatten()
    {
        let result = run_hook(call, &exchange, script, Kind::PostRequest).await?;
        if let Some(result) = result.and_then(HookResult::post_response) {
            apply_post(call, &mut exchange, result).await?;
        }
    }
    answer(exchange)
}

fn route<'e>(
    element: &'e Element,
    inbound: &Inbound,
) -> Result<(&'e Resource, Map<String, Value>), PipelineError> {
    match element.router.find(&inbound.method, &inbound.path) {
        Match::Found(index, variables) => match element.resources.get(index) {
            Some(resource) => Ok((resource, variables)),
            None => Err(PipelineError::NotFound(format!(
                "no resource {} {}",
                inbound.method, inbound.path
            ))),
        },
        Match::WrongMethod(allow) => Err(PipelineError::MethodNotAllowed {
            message: format!(
                "element {} has no {} {} (allowed: {})",
                element.key,
                inbound.method,
                inbound.path,
                allow.join(", ")
            ),
            allow,
        }),
        Match::NotFound => Err(PipelineError::NotFound(format!(
            "element {} has no resource {} {}",
            element.key, inbound.method, inbound.path
        ))),
    }
}

fn build<'e>(
    call: &Call<'_>,
    element: &'e Element,
    resource: &'e Resource,
    path_variables: Map<String, Value>,
    inbound: &Inbound,
) -> Result<Exchange<'e>, PipelineError> {
    let configuration = call.instance.configuration();
    let mut request_parameters = Map::new();
    for (name, value) in &inbound.query {
        push_multi(&mut request_parameters, name, value);
    }
    let mut request_headers = Map::new();
    for (name, value) in &inbound.headers {
        match request_headers.get_mut(name) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(value);
            }
            _ => {
                request_headers.insert(name.clone(), Value::String(value.clone()));
            }
        }
    }
    let request_expression = match request_parameters.get("where") {
        Some(Value::String(expression)) => {
            ceql::parse(expression).map_err(|e| PipelineError::BadRequest(e.to_string()))?
        }
        _ => Value::Null,
    };
    let request_body =
        (!inbound.body.is_empty()).then(|| String::from_utf8_lossy(&inbound.body).into_owned());
    let request_body_map = request_body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);

    let mut exchange = Exchange {
        element,
        resource,
        vendor_body: request_body.clone(),
        request_body,
        request_body_map,
        request_headers,
        request_path: inbound.path.clone(),
        request_path_variables: path_variables.clone(),
        request_parameters,
        request_method: inbound.method.to_ascii_uppercase(),
        request_expression,
        vendor_method: resource.vendor_method.clone(),
        vendor_path: String::new(),
        vendor_headers: Map::new(),
        vendor_parameters: Map::new(),
        configuration,
        response: None,
        error_message: None,
        response_parameters: Vec::new(),
    };
    exchange
        .vendor_headers
        .insert("Accept".into(), json!("application/json"));
    exchange
        .vendor_headers
        .insert("Content-Type".into(), json!("application/json"));
    match element.authentication {
        Authentication::Basic => {
            let user = exchange
                .configuration
                .get("username")
                .map(value_text)
                .unwrap_or_default();
            let password = exchange
                .configuration
                .get("password")
                .map(value_text)
                .unwrap_or_default();
            let credentials = hooks::ce::b64(&format!("{user}:{password}"));
            exchange.vendor_headers.insert(
                "Authorization".into(),
                json!(format!("Basic {credentials}")),
            );
        }
        Authentication::OAuth2 => {
            if let Some(token) = exchange
                .configuration
                .get("oauth.user.token")
                .map(value_text)
                .filter(|t| !t.is_empty())
            {
                exchange
                    .vendor_headers
                    .insert("Authorization".into(), json!(format!("Bearer {token}")));
            }
        }
        Authentication::Custom => {}
    }
    let mut vendor_path_variables = path_variables;
    let mut form = Vec::new();
    for parameter in element.parameters.iter().chain(&resource.parameters) {
        if parameter.from_response {
            exchange.response_parameters.push(parameter.clone());
            continue;
        }
        let Some(value) = parameter_value(&exchange, parameter, inbound) else {
            if parameter.required {
                return Err(PipelineError::BadRequest(format!(
                    "missing required {} parameter \"{}\"",
                    kind_name(parameter.kind),
                    parameter.name
                )));
            }
            continue;
        };
        let name = parameter.vendor_name.clone();
        match parameter.vendor_kind {
            ParamKind::Header => {
                exchange
                    .vendor_headers
                    .insert(name, Value::String(value_text(&value)));
            }
            ParamKind::Query => {
                exchange.vendor_parameters.insert(name, value);
            }
            ParamKind::Path => {
                vendor_path_variables.insert(name, value);
            }
            ParamKind::Body => {
                exchange.vendor_body = Some(match value {
                    Value::String(s) => s,
                    other => other.to_string(),
                });
            }
            ParamKind::BodyField => {
                let mut body = exchange
                    .vendor_body
                    .as_deref()
                    .and_then(|b| serde_json::from_str::<Map<String, Value>>(b).ok())
                    .unwrap_or_default();
                body.insert(name, value);
                exchange.vendor_body = Some(Value::Object(body).to_string());
            }
            ParamKind::Form => form.push((name, value_text(&value))),
            _ => {}
        }
    }
    if !form.is_empty() {
        exchange.vendor_body = Some(encode_query(
            form.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ));
        exchange.vendor_headers.insert(
            "Content-Type".into(),
            json!("application/x-www-form-urlencoded"),
        );
    }
    exchange.vendor_path = substitute_path(&resource.vendor_path, &vendor_path_variables);
    Ok(exchange)
}

fn kind_name(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Header => "header",
        ParamKind::Path => "path",
        ParamKind::Query => "query",
        ParamKind::Body | ParamKind::BodyField => "body",
        ParamKind::Form => "form",
        _ => "configuration",
    }
}

/// The caller-side value of a parameter, if the caller (or the configuration) has one.
fn parameter_value(
    exchange: &Exchange<'_>,
    parameter: &Parameter,
    inbound: &Inbound,
) -> Option<Value> {
    let name = parameter.name.as_str();
    match parameter.kind {
        ParamKind::Header => exchange
            .request_headers
            .get(&name.to_ascii_lowercase())
            .cloned(),
        ParamKind::Query | ParamKind::Form => exchange.request_parameters.get(name).cloned(),
        ParamKind::Path => exchange.request_path_variables.get(name).cloned(),
        ParamKind::Configuration => exchange
            .configuration
            .get(name)
            .filter(|v| !v.is_null())
            .cloned(),
        ParamKind::Value => Some(Value::String(interpolate_configuration(
            name,
            &exchange.configuration,
        ))),
        ParamKind::Body => (!inbound.body.is_empty())
            .then(|| Value::String(String::from_utf8_lossy(&inbound.body).into_owned())),
        ParamKind::BodyField => exchange.request_body_map.get(name).cloned(),
        ParamKind::PrevBody | ParamKind::PrevBodyField | ParamKind::NoOp => None,
    }
}

fn push_multi(map: &mut Map<String, Value>, name: &str, value: &str) {
    match map.get_mut(name) {
        Some(Value::Array(items)) => items.push(json!(value)),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, json!(value)]);
        }
        None => {
            map.insert(name.to_string(), json!(value));
        }
    }
}

/// What a hook of `kind` is given: the exchange's values, lent. `vendor_url` makes
/// `request_vendor_url`, only when the script reads it.
fn hook_input<'x>(
    exchange: &'x Exchange<'_>,
    kind: Kind,
    vendor_url: &'x dyn Fn() -> String,
) -> Result<HookInput<'x>, PipelineError> {
    let request = RequestVars {
        body: exchange.request_body.as_deref(),
        body_map: &exchange.request_body_map,
        headers: &exchange.request_headers,
        path: &exchange.request_path,
        path_variables: &exchange.request_path_variables,
        parameters: &exchange.request_parameters,
        method: &exchange.request_method,
        expression: &exchange.request_expression,
        vendor_method: &exchange.vendor_method,
        vendor_path: &exchange.vendor_path,
        vendor_url,
        vendor_headers: &exchange.vendor_headers,
        vendor_parameters: &exchange.vendor_parameters,
        vendor_body: exchange.vendor_body.as_deref(),
        configuration: &exchange.configuration,
        object_name: &exchange.resource.object_name,
    };
    if kind != Kind::PostRequest {
        return Ok(HookInput::PreRequest(request));
    }
    // Post hooks run once the vendor (or a preRequest hook) answered.
    let Some(response) = &exchange.response else {
        return Err(PipelineError::Misconfigured {
            element: exchange.element.key.clone(),
            message: "no response was produced".into(),
        });
    };
    let response = ResponseVars {
        status: response.status,
        headers: &response.headers,
        body: &response.body,
        raw: &response.raw,
        raw_map: response.raw_map(),
    };
    Ok(HookInput::PostResponse(request, response))
}

async fn run_hook(
    call: &Call<'_>,
    exchange: &Exchange<'_>,
    script: &Script,
    kind: Kind,
) -> Result<Option<HookResult>, PipelineError> {
    let url = || vendor_url(exchange);
    let input = hook_input(exchange, kind, &url)?;
    let started = Instant::now();
    let options = Options {
        context: Some((
            call.instance.id,
            Arc::as_ptr(&call.instance.element) as usize,
        )),
        // A trace shows every variable, whatever the script names, and the raw result.
        raw: call.trace.is_some(),
        every_variable: call.trace.is_some(),
        now: None,
    };
    let limits = exchange.element.limits.unwrap_or(call.settings.hook_limits);
    let io = Dispatcher::real(call.settings.mail.clone());
    let mut run = hooks::run(script, input, limits, &io, options).await;
    let took = started.elapsed();
    call.metrics.hook(kind.as_str(), took);
    log_console(&script.label, &run.console);
    if let Ok(outcome) = &run.outcome {
        for call_made in &outcome.outbound {
            let status = match (call_made.status, &call_made.error) {
                (Some(status), _) => status.to_string(),
                (None, Some(_)) => "error".to_string(),
                (None, None) => "sent".to_string(),
            };
            let took = std::time::Duration::from_micros(call_made.micros);
            call.metrics
                .outbound(&exchange.element.key, &call_made.kind, &status, took);
        }
    }
    if let Some(trace) = call.trace {
        trace_hook(trace, script, &input, &mut run, took);
    }
    let outcome = run.outcome.map_err(|error| {
        call.metrics.hook_failure(&exchange.element.key, error.class().as_str());
        tracing::warn!(hook = %script.label, element = %exchange.element.key, error = %error, "hook failed");
        PipelineError::Hook { element: exchange.element.key.clone(), error }
    });
    let outcome = match outcome {
        Err(error) if script.fail_open => {
            tracing::warn!(hook = %script.label, element = %exchange.element.key, "onError: continue — going on as if the hook passed everything through: {error}");
            return Ok(None);
        }
        other => other?,
    };
    tracing::debug!(hook = %script.label, micros = took.as_micros() as u64, called = outcome.called, "hook ran");
    Ok(Some(outcome.result))
}

/// What a hook saw and did, for the request's trace.
fn trace_hook(
    trace: &RefCell<Vec<Value>>,
    script: &Script,
    input: &HookInput<'_>,
    run: &mut hooks::Run,
    took: std::time::Duration,
) {
    let (done, error) = match &mut run.outcome {
        Ok(o) => (
            o.raw.take().map(|r| r.done).unwrap_or(Value::Null),
            Value::Null,
        ),
        Err(e) => (Value::Null, json!(e.to_string())),
    };
    trace.borrow_mut().push(json!({
        "phase": script.label,
        "input": input.to_json(),
        "called": run.outcome.as_ref().is_ok_and(|o| o.called),
        "done": done,
        "console": run.console,
        "outbound": run.outcome.as_ref().map(|o| o.outbound.clone()).unwrap_or_default(),
        "error": error,
        "micros": took.as_micros() as u64,
    }));
}

fn pairs_to_map(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in pairs {
        push_multi(&mut map, name, value);
    }
    map
}

fn log_console(label: &str, lines: &[ConsoleLine]) {
    for line in lines {
        match line.level.as_str() {
            "error" => tracing::error!(hook = %label, "console: {}", line.message),
            "warn" => tracing::warn!(hook = %label, "console: {}", line.message),
            "debug" | "notice" => tracing::debug!(hook = %label, "console: {}", line.message),
            _ => tracing::info!(hook = %label, "console: {}", line.message),
        }
    }
}

/// Merge `changes` into `target`; a `null` value removes the key. Header names compare
/// case-insensitively so `{"content-type": null}` removes the default `Content-Type`.
fn merge(target: &mut Map<String, Value>, changes: &Map<String, Value>, case_insensitive: bool) {
    for (key, value) in changes {
        if case_insensitive {
            let existing: Vec<String> = target
                .keys()
                .filter(|k| k.eq_ignore_ascii_case(key))
                .cloned()
                .collect();
            for k in existing {
                target.remove(&k);
            }
        } else {
            target.remove(key);
        }
        if !value.is_null() {
            target.insert(key.clone(), value.clone());
        }
    }
}

fn body_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

async fn write_configuration(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
    changes: Option<&Map<String, Value>>,
) -> Result<(), PipelineError> {
    if let Some(changes) = changes {
        call.instance
            .write_configuration(call.store, changes)
            .await?;
        exchange.configuration = call.instance.configuration();
    }
    Ok(())
}

/// Apply a preRequest result; returns whether to go on to the vendor.
async fn apply_pre(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
    mut result: PreRequestResult,
) -> Result<bool, PipelineError> {
    write_configuration(call, exchange, result.configuration.as_ref()).await?;
    if let Some(headers) = &result.request_vendor_headers {
        merge(&mut exchange.vendor_headers, headers, true);
    }
    if let Some(parameters) = &result.request_vendor_parameters {
        merge(&mut exchange.vendor_parameters, parameters, false);
    }
    if let Some(body) = &result.request_vendor_body {
        exchange.vendor_body = body_text(body);
    }
    if let Some(path) = result.request_vendor_path.take() {
        exchange.vendor_path = path;
    }
    if let Some(method) = result.request_vendor_method.take() {
        exchange.vendor_method = method;
    }
    let go_on = result.continue_;
    if !go_on {
        if let Some(message) = result.response_error_message.take() {
            exchange.error_message = Some(message);
        }
        exchange.response = Some(answer_from_pre(result));
    }
    Ok(go_on)
}

/// The response a preRequest hook gives with `continue: false`.
fn answer_from_pre(result: PreRequestResult) -> Response {
    let mut headers = Map::new();
    if let Some(given) = &result.response_headers {
        merge(&mut headers, given, false);
    }
    let (raw, body) = match (result.response_body, result.response_body_raw) {
        (Some(body), _) => (body_text(&body).unwrap_or_default(), body),
        (None, Some(raw)) => {
            let body = serde_json::from_str(&raw).unwrap_or_else(|_| Value::String(raw.clone()));
            (raw, body)
        }
        _ => (String::new(), Value::Null),
    };
    let raw_map = serde_json::from_str(&raw).unwrap_or(Value::Null);
    Response {
        status: result.response_status_code.unwrap_or(200),
        headers,
        passed: Vec::new(),
        raw: Bytes::from(raw),
        raw_map: Some(raw_map),
        body,
        replaced: true,
    }
}

async fn apply_post(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
    result: PostResponseResult,
) -> Result<(), PipelineError> {
    write_configuration(call, exchange, result.configuration.as_ref()).await?;
    let Some(response) = exchange.response.as_mut() else {
        return Ok(());
    };
    if let Some(status) = result.response_status_code {
        response.status = status;
    }
    if let Some(headers) = &result.response_headers {
        merge(&mut response.headers, headers, false);
    }
    if let Some(raw) = &result.response_body_raw {
        let text = body_text(raw).unwrap_or_default();
        response.raw_map = Some(serde_json::from_str(&text).unwrap_or(Value::Null));
        response.body = serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.clone()));
        response.raw = Bytes::from(text);
        response.replaced = true;
    }
    if let Some(body) = result.response_body {
        response.raw = Bytes::from(body_text(&body).unwrap_or_default());
        if response.raw_map.is_none() {
            // The body is about to change: what was the whole parsed body stays in raw_map.
            response.raw_map = Some(std::mem::take(&mut response.body));
        }
        response.body = body;
        response.replaced = true;
    }
    if let Some(message) = result.response_error_message {
        response.status = result.response_status_code.unwrap_or(400);
        exchange.error_message = Some(message);
    }
    Ok(())
}

fn vendor_url(exchange: &Exchange<'_>) -> String {
    let path = &exchange.vendor_path;
    if path.starts_with("http://") || path.starts_with("https://") {
        return path.clone();
    }
    let base = exchange
        .configuration
        .get("base.url")
        .map(value_text)
        .unwrap_or_default();
    let base = base.trim_end_matches('/');
    if path.is_empty() {
        base.to_string()
    } else if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

fn vendor_request(exchange: &Exchange<'_>) -> Result<VendorRequest, PipelineError> {
    let mut url = vendor_url(exchange);
    if !url.starts_with("http://") && !url.starts_with("https://") {
        return Err(PipelineError::Misconfigured {
            element: exchange.element.key.clone(),
            message: format!("the vendor URL \"{url}\" is not absolute: set configuration base.url to the vendor's http(s) address"),
        });
    }
    let mut pairs = Vec::new();
    for (name, value) in &exchange.vendor_parameters {
        match value {
            Value::Array(items) => {
                pairs.extend(items.iter().map(|v| (name.as_str(), value_text(v))))
            }
            Value::Null => {}
            other => pairs.push((name.as_str(), value_text(other))),
        }
    }
    if !pairs.is_empty() {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&encode_query(pairs.iter().map(|(k, v)| (*k, v.as_str()))));
    }
    let headers = exchange
        .vendor_headers
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), value_text(v)))
        .collect();
    let body = match exchange.vendor_method.as_str() {
        "GET" | "HEAD" | "DELETE" | "OPTIONS"
            if exchange.vendor_body.as_deref().is_none_or(str::is_empty) =>
        {
            None
        }
        _ => exchange.vendor_body.clone().map(Bytes::from),
    };
    Ok(VendorRequest {
        method: exchange.vendor_method.clone(),
        url,
        headers,
        body,
    })
}

/// `application/x-www-form-urlencoded` serialization.
fn encode_query<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    fn encode(text: &str, out: &mut String) {
        for byte in text.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'*' => {
                    out.push(char::from(byte))
                }
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{byte:02X}")),
            }
        }
    }
    let mut out = String::new();
    for (i, (key, value)) in pairs.enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode(key, &mut out);
        out.push('=');
        encode(value, &mut out);
    }
    out
}

/// The vendor's answer passed on as it came, its body not parsed (no hook reads it).
fn unread_response(vendor: VendorResponse) -> Response {
    Response {
        status: vendor.status,
        headers: Map::new(),
        passed: vendor.headers,
        raw: vendor.body,
        raw_map: Some(Value::Null),
        body: Value::Null,
        replaced: false,
    }
}

fn read_response(resource: &Resource, vendor: VendorResponse) -> Response {
    let mut headers = Map::new();
    for (name, value) in &vendor.headers {
        push_multi(&mut headers, name, value);
    }
    let parsed = serde_json::from_slice::<Value>(&vendor.body);
    let declared_json = vendor
        .headers
        .iter()
        .any(|(n, v)| n == "content-type" && v.to_ascii_lowercase().contains("json"));
    let broken_json = declared_json && parsed.is_err() && !vendor.body.is_empty();
    let raw_map: Value = parsed.unwrap_or(Value::Null);
    let replaced = resource.root_key.is_some() && !raw_map.is_null();
    let (body, raw_map) = match (raw_map, &resource.root_key) {
        // A body that says it is JSON but is not: hooks get the text in response_body_raw
        // and a null response_body, rather than a string they would mistake for data.
        (Value::Null, _) if broken_json => (Value::Null, Some(Value::Null)),
        (Value::Null, _) => (
            Value::String(String::from_utf8_lossy(&vendor.body).into_owned()),
            Some(Value::Null),
        ),
        (map, None) => (map, None),
        (map, Some(key)) => {
            // "request|response" form: the part after `|` addresses the response.
            let path = key.rsplit('|').next().unwrap_or(key);
            let part = path
                .split('.')
                .filter(|p| !p.is_empty())
                .try_fold(&map, |v, p| v.get(p))
                .cloned()
                .unwrap_or(Value::Null);
            (part, Some(map))
        }
    };
    Response {
        status: vendor.status,
        headers,
        passed: Vec::new(),
        raw: vendor.body,
        raw_map,
        body,
        replaced,
    }
}

fn answer(exchange: Exchange<'_>) -> Result<Answer, PipelineError> {
    let Some(mut response) = exchange.response else {
        return Err(PipelineError::Misconfigured {
            element: exchange.element.key.clone(),
            message: "no response was produced".into(),
        });
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in &response.headers {
        if is_hop_by_hop(name) || (response.replaced && name == "content-type") {
            continue;
        }
        match value {
            Value::Array(items) => {
                headers.extend(items.iter().map(|v| (name.clone(), value_text(v))))
            }
            Value::Null => {}
            other => headers.push((name.clone(), value_text(other))),
        }
    }
    let passed = std::mem::take(&mut response.passed);
    for parameter in &exchange.response_parameters {
        let value = match parameter.vendor_kind {
            ParamKind::Header => {
                let name = parameter.vendor_name.to_ascii_lowercase();
                match response.headers.get(&name) {
                    Some(value) => Some(value_text(value)),
                    None => passed
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, v)| v.clone()),
                }
            }
            ParamKind::BodyField => response
                .raw_map()
                .get(&parameter.vendor_name)
                .map(value_text),
            _ => None,
        };
        if let Some(value) = value {
            headers.push((parameter.name.clone(), value));
        }
    }
    // The vendor's own headers go first, as when they come from the map.
    headers.splice(
        0..0,
        passed.into_iter().filter(|(name, _)| !is_hop_by_hop(name)),
    );
    if let Some(message) = exchange.error_message {
        return Err(PipelineError::Answered {
            status: response.status,
            message,
            provider_message: None,
            headers,
        });
    }
    if !(200..=207).contains(&response.status) && !response.replaced {
        let provider = match response.raw_map() {
            Value::Null => Value::String(
                String::from_utf8_lossy(&response.raw)
                    .chars()
                    .take(4096)
                    .collect(),
            ),
            parsed => parsed.clone(),
        };
        return Err(PipelineError::Answered {
            status: response.status,
            message: format!("the vendor answered {}", response.status),
            provider_message: Some(provider),
            headers,
        });
    }
    let body = if response.replaced {
        match &response.body {
            Value::String(text) => {
                headers.push(("content-type".into(), "text/plain; charset=utf-8".into()));
                Bytes::from(text.clone())
            }
            Value::Null if response.raw.is_empty() => Bytes::new(),
            other => {
                headers.push(("content-type".into(), "application/json".into()));
                Bytes::from(other.to_string())
            }
        }
    } else {
        response.raw
    };
    Ok(Answer {
        status: response.status,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_merge_is_case_insensitive_and_null_removes() {
        let mut headers = json!({"Content-Type": "application/json", "Accept": "application/json"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let changes = json!({"content-type": null, "X-Sig": "1"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        merge(&mut headers, &changes, true);
        assert_eq!(
            Value::Object(headers),
            json!({"Accept": "application/json", "X-Sig": "1"})
        );
    }

    #[test]
    fn queries_are_form_encoded() {
        assert_eq!(
            encode_query([("a b", "c&d"), ("é", "1")].into_iter()),
            "a+b=c%26d&%C3%A9=1"
        );
    }
}
