//! The Parse API routes: `POST /parse/functions/<name>` calls a Parse Cloud function, `GET
//! /parse/config` answers Parse Config. The function runs in `scripts::cloud`; here the request is read (413 above the body limit),
//! counted, traced and answered in Parse's shapes (through `server::error::cloud`).

use std::time::Instant;

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;
use tracing::Instrument;

use super::error::{self, Failure, RequestId};
use super::request::{headers_of, read_body};
use super::tasks::{debugging, keep_trace};
use crate::scripts::cloud::{self, Called, CloudIncoming};
use crate::state::State;

/// `POST /parse/functions/{name}`.
pub async fn function(
    request: HttpRequest,
    payload: web::Payload,
    name: web::Path<String>,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let name = name.into_inner();
    let span = tracing::info_span!("cloud", request_id = %request_id, function = %name);
    let started = Instant::now();
    async {
        let state = state.into_inner();
        let loaded = state.current();
        let body = match read_body(payload, state.settings.max_request_body).await {
            Ok(body) => body,
            Err(failure) => {
                state
                    .metrics
                    .cloud_function("unknown", "invalid", started.elapsed());
                return error::respond(&failure, &request_id, false);
            }
        };
        let incoming = incoming(&request, body);
        let called = cloud::call(&state, &loaded, &name, incoming, request_id.as_str()).await;
        let Called {
            result,
            console,
            outbound,
            outcome,
            known,
        } = called;
        let failed = result.as_ref().err().map(|e| e.to_string());
        let response = match result {
            Ok(body) => HttpResponse::Ok()
                .content_type("application/json")
                .body(body),
            Err(e) => error::cloud(&e, &request_id, state.settings.expose_errors),
        };
        let label = if known { name.as_str() } else { "unknown" };
        state
            .metrics
            .cloud_function(label, outcome, started.elapsed());
        let status = response.status().as_u16();
        let micros = started.elapsed().as_micros() as u64;
        tracing::info!(status, micros, outcome, "answered");
        if debugging(&request, &state) {
            let trace = json!({
                "requestId": request_id.as_str(),
                "function": name,
                "status": status,
                "outcome": outcome,
                "micros": micros,
                "console": console,
                "outbound": outbound,
                "error": failed,
            });
            keep_trace(&state, request_id.as_str(), trace);
        }
        response
    }
    .instrument(span)
    .await
}

/// `GET /parse/config`: Parse Config as Parse's REST API answers it, `{"params": {...}}`, with
/// the master-key-only values and `masterKeyOnly` for a master call only.
pub async fn config(
    request: HttpRequest,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
        .collect();
    let parse = &state.settings.parse;
    match cloud::authorize(parse, &headers) {
        Err(refused) => error::cloud(&refused, &request_id, false),
        Ok(master) => {
            let mut body = json!({"params": parse.config.view(master)});
            if master {
                let only: serde_json::Map<String, serde_json::Value> = (parse.config)
                    .master_key_only
                    .iter()
                    .map(|key| (key.clone(), serde_json::Value::Bool(true)))
                    .collect();
                body["masterKeyOnly"] = serde_json::Value::Object(only);
            }
            HttpResponse::Ok().json(body)
        }
    }
}

/// Anything else below `/parse`: Parse's answer to a route it does not have.
pub async fn unknown(request_id: RequestId) -> HttpResponse {
    let failure = Failure::NotFound(
        "the Parse API here has POST /parse/functions/<name>, POST /parse/jobs/<name> and GET /parse/config".into(),
    );
    error::respond(&failure, &request_id, false)
}

fn incoming(request: &HttpRequest, body: web::Bytes) -> CloudIncoming {
    let headers = headers_of(request);
    let ip = request
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    CloudIncoming { headers, body, ip }
}
