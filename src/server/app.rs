//! Routes and shared state; `run` takes a bound listener so tests can use port 0.

use std::cell::RefCell;
use std::net::TcpListener;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use rand::Rng;
use serde_json::{json, Value};
use tracing::Instrument;

use super::{demo, error};
use crate::element::Elements;
use crate::instance::{token_from_authorization, Instance, Instances};
use crate::metrics::Metrics;
use crate::pipeline::{self, Call, Inbound, PipelineError};
use crate::settings::Settings;
use crate::store::Store;
use crate::trace::{self, Traces};
use crate::vendor::VendorClient;

/// One loaded set of elements and instances. Swapped whole on reload; a request holds the
/// set it started with until it ends.
pub struct Loaded {
    pub elements: Arc<Elements>,
    pub instances: Arc<Instances>,
}

/// What every worker shares.
pub struct State {
    current: RwLock<Arc<Loaded>>,
    pub store: Arc<dyn Store>,
    pub settings: Settings,
    pub metrics: Metrics,
    pub traces: Traces,
}

impl State {
    pub fn new(
        elements: Elements,
        instances: Instances,
        store: Arc<dyn Store>,
        settings: Settings,
    ) -> State {
        let traces = Traces::new(settings.trace_capacity);
        State {
            current: RwLock::new(Arc::new(Loaded {
                elements: Arc::new(elements),
                instances: Arc::new(instances),
            })),
            store,
            settings,
            metrics: Metrics::default(),
            traces,
        }
    }

    /// The set serving new requests.
    pub fn current(&self) -> Arc<Loaded> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Serve `loaded` from now on; requests in flight finish on the set they started with.
    pub fn swap(&self, loaded: Loaded) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(loaded);
    }
}

/// Serve on `listener` until the server is stopped, one worker per core.
pub fn run(listener: TcpListener, state: Arc<State>) -> std::io::Result<actix_web::dev::Server> {
    run_with_workers(listener, state, None)
}

/// Serve on `listener` with `workers` threads (default: one per core).
pub fn run_with_workers(
    listener: TcpListener,
    state: Arc<State>,
    workers: Option<usize>,
) -> std::io::Result<actix_web::dev::Server> {
    let state = web::Data::from(state);
    let demo_vendor = web::Data::new(demo::DemoVendor::default());
    let server = HttpServer::new(move || {
        // awc clients are !Send: each worker builds its own, with its own connection pool.
        let vendor = web::Data::new(VendorClient::new(state.settings.vendor_limits));
        // This factory runs on the worker thread, where its hooks will run.
        crate::hooks::set_mailer(state.settings.mail.clone());
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
                web::get().to(|| async { HttpResponse::Ok().json(json!({"status": "ok"})) }),
            )
            .route("/metrics", web::get().to(metrics))
            .route("/admin/traces/{request_id}", web::get().to(admin_trace))
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

async fn metrics(state: web::Data<State>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}

/// True when the request carries the configured admin token (`Authorization: Bearer <t>`
/// or `Elements-Admin-Token: <t>`). Compared in constant time.
fn is_admin(request: &HttpRequest, settings: &Settings) -> bool {
    let Some(expected) = settings.admin_token.as_deref().filter(|t| !t.is_empty()) else {
        return false;
    };
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let given = header("elements-admin-token")
        .or_else(|| header("authorization").and_then(|a| a.strip_prefix("Bearer ")));
    given.is_some_and(|given| {
        given.len() == expected.len()
            && given
                .bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    })
}

async fn admin_trace(
    request: HttpRequest,
    state: web::Data<State>,
    id: web::Path<String>,
) -> HttpResponse {
    if !is_admin(&request, &state.settings) {
        return HttpResponse::Unauthorized().json(error::body(
            "admin token required (Authorization: Bearer <admin token>)",
            "",
            None,
        ));
    }
    match state.traces.get(&id) {
        Some(trace) => HttpResponse::Ok().json(trace),
        None => HttpResponse::NotFound().json(error::body(&format!("no trace for request {id} (only requests sent with Elements-Debug: true and the admin token are traced, and only the last {} are kept)", state.settings.trace_capacity), "", None)),
    }
}

async fn proxy(
    request: HttpRequest,
    body: web::Bytes,
    state: web::Data<State>,
    vendor: web::Data<VendorClient>,
) -> HttpResponse {
    let request_id = new_request_id();
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
    let mut response = async {
        let (instance, result) = serve(
            &request,
            body,
            &state,
            &loaded,
            &vendor,
            &request_id,
            trace.as_ref(),
        )
        .await;
        let response = match &result {
            Ok(answer) => {
                let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
                let mut builder = HttpResponse::build(status);
                for (name, value) in &answer.headers {
                    builder.append_header((name.as_str(), value.as_str()));
                }
                builder.body(answer.body.clone())
            }
            Err(e) => error::respond(e, &request_id),
        };
        let status = response.status().as_u16();
        let path = request
            .path()
            .strip_prefix(state.settings.prefix.as_str())
            .unwrap_or(request.path());
        let (element, resource) = match &instance {
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
        if let Some(phases) = trace.as_ref().map(|t| t.take()) {
            keep_trace(
                &state,
                &request_id,
                &request,
                instance.as_ref(),
                phases,
                status,
                started,
            );
        }
        response
    }
    .instrument(span)
    .await;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("elements-request-id"), value);
    }
    response
}

fn keep_trace(
    state: &State,
    request_id: &str,
    request: &HttpRequest,
    instance: Option<&Arc<Instance>>,
    phases: Vec<Value>,
    status: u16,
    started: Instant,
) {
    let mut trace = json!({
        "requestId": request_id,
        "method": request.method().as_str(),
        "path": request.path(),
        "status": status,
        "micros": started.elapsed().as_micros() as u64,
        "element": instance.map(|i| i.element.key.clone()),
        "instance": instance.map(|i| json!({"id": i.id, "name": i.name})),
        "phases": phases,
    });
    if let Some(instance) = instance {
        let configuration = instance.configuration();
        let keys: Vec<String> = instance
            .element
            .configuration
            .iter()
            .filter(|f| f.secret)
            .map(|f| f.key.clone())
            .collect();
        let mut values: Vec<String> = keys
            .iter()
            .filter_map(|k| configuration.get(k))
            .map(crate::element::template::value_text)
            .collect();
        values.push(instance.token.clone());
        trace::mask(&mut trace, &keys, &values);
    }
    state.traces.keep(request_id, trace);
}

#[allow(clippy::too_many_arguments)]
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
            Err(PipelineError::Unauthorized(
                "missing credentials: send Authorization: Element <token>".into(),
            )),
        );
    };
    let Some(instance) = loaded.instances.by_token(token) else {
        return (
            None,
            Err(PipelineError::Unauthorized("unknown element token".into())),
        );
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
        metrics: &state.metrics,
        trace,
    };
    let result = pipeline::handle(&call, inbound).await;
    (Some(instance.clone()), result)
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
