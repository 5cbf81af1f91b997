//! The web task routes: `/tasks/<name>`, and any path of `<name>.<tasks domain>` by Host when
//! `--tasks-domain` is set. The task itself runs in `scripts`; here the request is read (413
//! above the body limit), counted and answered.

use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use tracing::Instrument;

use serde_json::json;

use super::admin::is_admin;
use super::error::{self, Failure, RequestId};
use super::request::{headers_of, read_body};
use crate::scripts::{self, Incoming, Served};
use crate::state::State;

/// `/tasks/{name}`.
pub async fn by_path(
    request: HttpRequest,
    payload: web::Payload,
    name: web::Path<String>,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    serve(request, payload, name.into_inner(), state, request_id).await
}

/// Any path of `<name>.<tasks domain>` (the route's guard checked the Host).
pub async fn by_host(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let domain = state.settings.tasks_domain.clone().unwrap_or_default();
    let name = host_header(request.headers())
        .and_then(|host| task_of_host(host, &domain))
        .unwrap_or_default();
    serve(request, payload, name, state, request_id).await
}

/// The Host header's name, without the port: what the route's guard and `by_host` read (the
/// `X-Forwarded-Host` a client may send does not choose the task).
pub fn host_header(headers: &actix_web::http::header::HeaderMap) -> Option<&str> {
    let host = headers.get("host").and_then(|h| h.to_str().ok())?;
    Some(match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    })
}

/// The task a Host names under `domain`: `hello` for `hello.tasks.example.com`.
pub fn task_of_host(hostname: &str, domain: &str) -> Option<String> {
    let name = hostname
        .to_ascii_lowercase()
        .strip_suffix(&format!(".{domain}"))?
        .to_string();
    crate::tasks::valid_name(&name).then_some(name)
}

/// The request's host name, without the port.
pub fn hostname(request: &HttpRequest) -> String {
    let info = request.connection_info();
    let host = info.host();
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    name.to_ascii_lowercase()
}

/// `hello` of `hello.tasks.example.com` under the tasks domain; otherwise the first label of
/// a name of three labels or more; else empty (an address, `localhost`).
fn subdomain(hostname: &str, domain: Option<&str>) -> String {
    if let Some(found) = domain.and_then(|d| hostname.strip_suffix(&format!(".{d}"))) {
        return found.to_string();
    }
    let is_address = hostname.parse::<std::net::IpAddr>().is_ok() || hostname.starts_with('[');
    match hostname.split('.').count() {
        n if n >= 3 && !is_address => hostname.split('.').next().unwrap_or("").to_string(),
        _ => String::new(),
    }
}

async fn serve(
    request: HttpRequest,
    payload: web::Payload,
    name: String,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let span = tracing::info_span!("task", request_id = %request_id, task = %name, method = %request.method(), path = %request.path());
    let started = Instant::now();
    async {
        let state = state.into_inner();
        let loaded = state.current();
        let (result, served) = match read_body(payload, state.settings.max_request_body).await {
            Ok(body) => {
                let incoming = incoming(&request, body, state.settings.tasks_domain.as_deref());
                let id = request_id.as_str();
                let Served {
                    result,
                    console,
                    outbound,
                } = scripts::serve(&state, &loaded, &name, incoming, id, error::answer).await;
                (result.map_err(Failure::from), Some((console, outbound)))
            }
            Err(failure) => (Err(failure), None),
        };
        let failed = result.as_ref().err().map(|f| f.to_string());
        let response = match result {
            Ok(reply) => {
                let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
                let mut builder = HttpResponse::build(status);
                if let Some(content_type) = &reply.content_type {
                    builder.insert_header(("Content-Type", content_type.as_str()));
                }
                builder.body(reply.body)
            }
            Err(failure) => error::respond(&failure, &request_id, state.settings.expose_errors),
        };
        let status = response.status().as_u16();
        let label = match loaded.tasks.get(&name) {
            Some(_) => name.as_str(),
            None => "unknown", // any name may be asked for: not a label each
        };
        state.metrics.task(label, status, started.elapsed());
        tracing::info!(
            status,
            micros = started.elapsed().as_micros() as u64,
            "answered"
        );
        if debugging(&request, &state) {
            let trace = json!({
                "requestId": request_id.as_str(),
                "task": name,
                "method": request.method().as_str(),
                "path": request.path(),
                "status": status,
                "micros": started.elapsed().as_micros() as u64,
                "console": served.as_ref().map(|(console, _)| console),
                "outbound": served.as_ref().map(|(_, outbound)| outbound),
                "error": failed,
            });
            keep_trace(&state, request_id.as_str(), trace);
        }
        response
    }
    .instrument(span)
    .await
}

/// `Elements-Debug: true` with the admin token, as for element requests.
pub(super) fn debugging(request: &HttpRequest, state: &State) -> bool {
    let asked = request
        .headers()
        .get("elements-debug")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    asked && is_admin(request, &state.settings)
}

/// Keep the trace, the admin token masked wherever the task may have echoed it.
pub(super) fn keep_trace(state: &State, request_id: &str, mut trace: serde_json::Value) {
    let keys = state.settings.secret_headers.clone();
    let values: Vec<String> = state.settings.admin_token.iter().cloned().collect();
    crate::trace::mask(&mut trace, &keys, &values);
    state.traces.keep(request_id, trace);
}

/// The task's view of the caller's request.
fn incoming(request: &HttpRequest, body: web::Bytes, domain: Option<&str>) -> Incoming {
    let hostname = hostname(request);
    let info = request.connection_info();
    let url = format!("{}://{}{}", info.scheme(), info.host(), request.uri());
    let headers = headers_of(request);
    Incoming {
        method: request.method().as_str().to_string(),
        url,
        headers,
        body,
        subdomain: subdomain(&hostname, domain),
        hostname,
        path: request.path().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_name_tasks_under_the_domain() {
        let domain = "tasks.example.com";
        assert_eq!(
            task_of_host("hello.tasks.example.com", domain).as_deref(),
            Some("hello")
        );
        assert_eq!(task_of_host("a.b.tasks.example.com", domain), None);
        assert_eq!(task_of_host("tasks.example.com", domain), None);
        assert_eq!(subdomain("hello.tasks.example.com", Some(domain)), "hello");
        assert_eq!(subdomain("api.example.com", None), "api");
        assert_eq!(subdomain("127.0.0.1", None), "");
        assert_eq!(subdomain("localhost", None), "");
    }
}
