//! The element routes: a caller's request, by its element token, through the pipeline.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use tracing::Instrument;

use super::admin::is_admin;
use super::error::{self, RequestId};
use super::request::{form_pairs, headers_of, read_body};
use crate::instance::{token_from_authorization, Instance};
use crate::pipeline::{self, Call, Inbound, PipelineError};
use crate::state::{Loaded, State};
use crate::telemetry;
use crate::trace;
use crate::vendor::VendorClient;

/// Every request under the prefix that is not an event: a call to an element resource.
pub async fn proxy(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<State>,
    vendor: web::Data<VendorClient>,
    request_id: RequestId,
) -> HttpResponse {
    let body = match read_body(payload, state.settings.max_request_body).await {
        Ok(body) => body,
        Err(failure) => return error::respond(&failure, &request_id, false),
    };
    let span = tracing::info_span!("request", request_id = %request_id, method = %request.method(), path = %request.path());
    let started = Instant::now();
    let loaded = state.current();
    let debug = request
        .headers()
        .get("elements-debug")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        && is_admin(&request, &state.settings);
    let trace = debug.then(|| RefCell::new(Vec::new()));
    let otel = request_span(&request, request_id.as_str());
    let answered = async {
        let id = request_id.as_str();
        let (instance, result) =
            serve(&request, body, &state, &loaded, &vendor, id, trace.as_ref()).await;
        let response = match result {
            Ok(answer) => {
                let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
                let mut builder = HttpResponse::build(status);
                for (name, value) in &answer.headers {
                    builder.append_header((name.as_str(), value.as_str()));
                }
                builder.body(answer.body)
            }
            Err(e) => error::respond(&e.into(), &request_id, state.settings.expose_errors),
        };
        let status = response.status().as_u16();
        record(&state, &request, instance.as_ref(), status, started);
        finish_span(&otel, &state, &request, instance.as_ref(), status);
        if let Some(phases) = trace.as_ref().map(|t| t.take()) {
            let seen = Seen {
                request_id: id,
                method: request.method().as_str(),
                path: request.path(),
                instance: instance.as_ref(),
                status,
                started,
            };
            keep_trace(&state, seen, phases);
        }
        response
    };
    telemetry::within(&otel, answered.instrument(span)).await
}

/// The request's OpenTelemetry span (nothing when telemetry is off), under the caller's
/// `traceparent` if it sent one. The path without its query: query strings may hold secrets.
fn request_span(request: &HttpRequest, request_id: &str) -> telemetry::Span {
    if !telemetry::enabled() {
        return telemetry::Span::default();
    }
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
    let incoming = telemetry::Incoming {
        traceparent: header("traceparent"),
        tracestate: header("tracestate"),
    };
    let attributes = vec![
        telemetry::attribute("http.request.method", request.method().to_string()),
        telemetry::attribute("url.path", request.path().to_string()),
        telemetry::attribute("elemental.request_id", request_id.to_string()),
    ];
    telemetry::Span::request(incoming, attributes)
}

/// What the request span learns at the end: the resource, element, instance and status.
fn finish_span(
    span: &telemetry::Span,
    state: &State,
    request: &HttpRequest,
    instance: Option<&Arc<Instance>>,
    status: u16,
) {
    if !span.is_on() {
        return;
    }
    let path = request
        .path()
        .strip_prefix(state.settings.prefix.as_str())
        .unwrap_or(request.path());
    let method = request.method().as_str();
    let route = match instance {
        Some(i) => pipeline::resource_label(&i.element, method, path),
        None => "unmatched".to_string(),
    };
    span.rename(match route.as_str() {
        "unmatched" => method.to_string(),
        _ => route.clone(),
    });
    span.set("http.route", route);
    span.set("http.response.status_code", i64::from(status));
    if let Some(instance) = instance {
        span.set("elemental.element", instance.element.key.clone());
        span.set("elemental.instance_id", instance.id);
    }
    if status >= 500 {
        span.fail(format!("answered {status}"));
    }
}

/// Count the answer in the metrics, by element and resource, and log it.
fn record(
    state: &State,
    request: &HttpRequest,
    instance: Option<&Arc<Instance>>,
    status: u16,
    started: Instant,
) {
    let path = request
        .path()
        .strip_prefix(state.settings.prefix.as_str())
        .unwrap_or(request.path());
    let (element, resource) = match instance {
        Some(i) => (
            i.element.key.as_str(),
            pipeline::resource_label(&i.element, request.method().as_str(), path),
        ),
        None => ("none", "unmatched".to_string()),
    };
    state.metrics.request(element, &resource, status);
    tracing::info!(
        status,
        micros = started.elapsed().as_micros() as u64,
        "answered"
    );
}

/// What a debug trace says about the request besides its phases.
struct Seen<'a> {
    request_id: &'a str,
    method: &'a str,
    path: &'a str,
    instance: Option<&'a Arc<Instance>>,
    status: u16,
    started: Instant,
}

/// Mask the trace's secrets and keep it; the kept trace is returned.
fn keep_trace(state: &State, seen: Seen<'_>, phases: Vec<Value>) -> Value {
    let Seen {
        request_id,
        method,
        path,
        instance,
        status,
        started,
    } = seen;
    let mut trace = json!({
        "requestId": request_id,
        "method": method,
        "path": path,
        "status": status,
        "micros": started.elapsed().as_micros() as u64,
        "element": instance.map(|i| i.element.key.clone()),
        "instance": instance.map(|i| json!({"id": i.id, "name": i.name})),
        "phases": phases,
    });
    let mut keys = state.settings.secret_headers.clone();
    let mut values: Vec<String> = state.settings.admin_token.iter().cloned().collect();
    if let Some(instance) = instance {
        let configuration = instance.configuration();
        let element_keys = instance.element.secret_keys();
        values.extend(
            element_keys
                .iter()
                .filter_map(|k| configuration.get(k))
                .map(crate::element::template::value_text),
        );
        values.push(instance.token.clone());
        keys.extend(element_keys);
    }
    trace::mask(&mut trace, &keys, &values);
    state.traces.keep(request_id, trace.clone());
    trace
}

/// One call through `instance` on the admin's behalf (the studio's "try it"), whatever its
/// token: traced, counted and kept as a debug request is. The answer, and the trace.
pub(super) async fn call_traced(
    state: &State,
    vendor: &VendorClient,
    instance: &Arc<Instance>,
    inbound: Inbound,
    request_id: &str,
) -> (Result<pipeline::Answer, PipelineError>, Value) {
    let started = Instant::now();
    let trace = RefCell::new(Vec::new());
    let (method, path) = (inbound.method.clone(), inbound.path.clone());
    // Its own request span, as a caller's request has (a new trace: no caller's parent).
    let otel = match telemetry::enabled() {
        true => telemetry::Span::request(
            telemetry::Incoming {
                traceparent: None,
                tracestate: None,
            },
            vec![
                telemetry::attribute("http.request.method", method.clone()),
                telemetry::attribute("url.path", format!("{}{path}", state.settings.prefix)),
                telemetry::attribute("elemental.request_id", request_id.to_string()),
                telemetry::attribute("elemental.studio", true),
            ],
        ),
        false => telemetry::Span::default(),
    };
    let result = match check_rate(state, instance) {
        Err(error) => Err(error),
        Ok(()) => {
            let call = call_of(state, vendor, instance, request_id, Some(&trace));
            telemetry::within(&otel, pipeline::handle(&call, inbound)).await
        }
    };
    let status = match &result {
        Ok(answer) => answer.status,
        Err(error) => super::error::status(error),
    };
    let label = pipeline::resource_label(&instance.element, &method, &path);
    state.metrics.request(&instance.element.key, &label, status);
    if otel.is_on() {
        otel.rename(label.clone());
        otel.set("http.route", label.clone());
        otel.set("http.response.status_code", i64::from(status));
        otel.set("elemental.element", instance.element.key.clone());
        otel.set("elemental.instance_id", instance.id);
        if status >= 500 {
            otel.fail(format!("answered {status}"));
        }
    }
    let shown = format!("{}{path}", state.settings.prefix);
    let seen = Seen {
        request_id,
        method: &method,
        path: &shown,
        instance: Some(instance),
        status,
        started,
    };
    let kept = keep_trace(state, seen, trace.take());
    (result, kept)
}

async fn serve(
    request: &HttpRequest,
    body: web::Bytes,
    state: &State,
    loaded: &Loaded,
    vendor: &VendorClient,
    request_id: &str,
    trace: Option<&RefCell<Vec<Value>>>,
) -> (
    Option<Arc<Instance>>,
    Result<pipeline::Answer, PipelineError>,
) {
    let authorization = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(token) = token_from_authorization(authorization) else {
        return (
            None,
            Err(PipelineError::Unauthorized(missing_token(authorization))),
        );
    };
    let Some(instance) = loaded.instances.by_token(token) else {
        return (
            None,
            Err(PipelineError::Unauthorized("unknown element token".into())),
        );
    };
    if let Err(error) = check_rate(state, instance) {
        return (Some(instance.clone()), Err(error));
    }
    let path = request
        .path()
        .strip_prefix(state.settings.prefix.as_str())
        .unwrap_or(request.path());
    let inbound = Inbound {
        method: request.method().as_str().to_string(),
        path: path.to_string(),
        query: form_pairs(request.query_string()),
        headers: headers_of(request),
        body,
    };
    let call = call_of(state, vendor, instance, request_id, trace);
    let result = pipeline::handle(&call, inbound).await;
    (Some(instance.clone()), result)
}

/// One call through `instance` with the server's store, settings, metrics and admission.
fn call_of<'a>(
    state: &'a State,
    vendor: &'a VendorClient,
    instance: &'a Arc<Instance>,
    request_id: &'a str,
    trace: Option<&'a RefCell<Vec<Value>>>,
) -> Call<'a> {
    Call {
        request_id,
        instance,
        store: state.store.as_ref(),
        vendor,
        settings: &state.settings,
        metrics: &state.metrics,
        trace,
        admission: Some(&state.admission),
    }
}

/// Take one of the instance's request tokens, if it has a rate limit: over it, the request
/// goes no further (429 with `Retry-After`), counted.
fn check_rate(state: &State, instance: &Instance) -> Result<(), PipelineError> {
    let Some(rate) = instance.fairness().rate else {
        return Ok(());
    };
    state
        .admission
        .check_rate(instance.id, rate)
        .map_err(|refused| {
            state
                .metrics
                .refused(&instance.element.key, refused.reason());
            PipelineError::Refused {
                instance: instance.name.clone(),
                refused,
            }
        })
}

/// Why no element token was found, in words that point at the fix.
fn missing_token(authorization: &str) -> String {
    let scheme = authorization.split_whitespace().next().unwrap_or_default();
    if authorization.trim().is_empty() {
        "missing credentials: send Authorization: Element <token>".into()
    } else if scheme.eq_ignore_ascii_case("bearer") {
        "element routes take Authorization: Element <token>, not Bearer (a Bearer token is for /admin)".into()
    } else {
        format!("unsupported Authorization scheme {scheme:?}: element routes take Authorization: Element <token>")
    }
}
