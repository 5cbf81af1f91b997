//! Routes and per-worker state; `run` takes a bound listener so tests can use port 0.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use rand::Rng;
use tracing::Instrument;

use super::{demo, error};
use crate::element::Elements;
use crate::instance::{token_from_authorization, Instances};
use crate::pipeline::{self, Call, Inbound, PipelineError};
use crate::settings::Settings;
use crate::store::Store;
use crate::vendor::VendorClient;

/// What every worker shares.
pub struct State {
    pub elements: Arc<Elements>,
    pub instances: Arc<Instances>,
    pub store: Arc<dyn Store>,
    pub settings: Settings,
}

/// Serve on `listener` until the server is stopped, one worker per core.
pub fn run(listener: TcpListener, state: State) -> std::io::Result<actix_web::dev::Server> {
    run_with_workers(listener, state, None)
}

/// Serve on `listener` with `workers` threads (default: one per core).
pub fn run_with_workers(
    listener: TcpListener,
    state: State,
    workers: Option<usize>,
) -> std::io::Result<actix_web::dev::Server> {
    let state = web::Data::new(state);
    let demo_vendor = web::Data::new(demo::DemoVendor::default());
    let server = HttpServer::new(move || {
        // awc clients are !Send: each worker builds its own, with its own connection pool.
        let vendor = web::Data::new(VendorClient::new(state.settings.vendor_limits));
        let prefix = state.settings.prefix.clone();
        let body_limit = state.settings.max_request_body;
        let demo = state.settings.demo_vendor;
        let demo_vendor = demo_vendor.clone();
        App::new()
            .app_data(state.clone())
            .app_data(vendor)
            .app_data(web::PayloadConfig::new(body_limit))
            .route(
                "/health",
                web::get()
                    .to(|| async { HttpResponse::Ok().json(serde_json::json!({"status": "ok"})) }),
            )
            .configure(move |config| {
                if demo {
                    demo::configure(config, demo_vendor);
                }
            })
            .service(web::scope(&prefix).default_service(web::to(proxy)))
    })
    .workers(workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())))
    .listen(listener)?
    .run();
    Ok(server)
}

fn new_request_id() -> String {
    let bytes: [u8; 12] = rand::rng().random();
    hex::encode(bytes)
}

async fn proxy(
    request: HttpRequest,
    body: web::Bytes,
    state: web::Data<State>,
    vendor: web::Data<VendorClient>,
) -> HttpResponse {
    let request_id = new_request_id();
    let span = tracing::info_span!("request", request_id = %request_id, method = %request.method(), path = %request.path());
    let started = std::time::Instant::now();
    let mut response = async {
        let result = serve(&request, body, &state, &vendor, &request_id).await;
        let response = match result {
            Ok(answer) => {
                let status = actix_web::http::StatusCode::from_u16(answer.status)
                    .unwrap_or(actix_web::http::StatusCode::BAD_GATEWAY);
                let mut builder = HttpResponse::build(status);
                for (name, value) in &answer.headers {
                    builder.append_header((name.as_str(), value.as_str()));
                }
                builder.body(answer.body)
            }
            Err(e) => error::respond(&e, &request_id),
        };
        tracing::info!(
            status = response.status().as_u16(),
            micros = started.elapsed().as_micros() as u64,
            "answered"
        );
        response
    }
    .instrument(span)
    .await;
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("elements-request-id"),
            value,
        );
    }
    response
}

async fn serve(
    request: &HttpRequest,
    body: web::Bytes,
    state: &State,
    vendor: &VendorClient,
    request_id: &str,
) -> Result<pipeline::Answer, PipelineError> {
    let authorization = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(token) = token_from_authorization(authorization) else {
        return Err(PipelineError::Unauthorized(
            "missing credentials: send Authorization: Element <token>".into(),
        ));
    };
    let Some(instance) = state.instances.by_token(token) else {
        return Err(PipelineError::Unauthorized("unknown element token".into()));
    };
    let path = request
        .path()
        .strip_prefix(state.settings.prefix.as_str())
        .unwrap_or(request.path());
    let query = form_pairs(request.query_string());
    let headers = request
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let inbound = Inbound {
        method: request.method().as_str().to_string(),
        path: path.to_string(),
        query,
        headers,
        body,
    };
    let call = Call {
        request_id,
        instance,
        store: state.store.as_ref(),
        vendor,
        settings: &state.settings,
    };
    pipeline::handle(&call, inbound).await
}

/// Decode `a=1&b=x+y` into pairs, percent-decoding names and values.
fn form_pairs(query: &str) -> Vec<(String, String)> {
    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = bytes
                        .get(i + 1..i + 3)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u8::from_str_radix(h, 16).ok());
                    if let Some(byte) = hex {
                        out.push(byte);
                        i += 2;
                    } else {
                        out.push(b'%');
                    }
                }
                other => out.push(other),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}
