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
    /// Wakes the events worker when there is new work.
    pub events_wakeup: tokio::sync::Notify,
    /// Set when the server stops: background work ends.
    pub stopping: std::sync::atomic::AtomicBool,
    worker: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
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
            events_wakeup: tokio::sync::Notify::new(),
            stopping: std::sync::atomic::AtomicBool::new(false),
            worker: std::sync::Mutex::new(None),
        }
    }

    /// The set serving new requests.
    pub fn current(&self) -> Arc<Loaded> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Start the events worker (once).
    pub fn start_worker(self: &Arc<Self>) -> std::io::Result<()> {
        let mut slot = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() && self.settings.events_worker {
            *slot = Some(crate::events::process::spawn(self.clone())?);
        }
        Ok(())
    }

    /// Stop background work and wait for the events worker to finish what it is doing.
    pub fn stop(&self) {
        self.stopping
            .store(true, std::sync::atomic::Ordering::Release);
        self.events_wakeup.notify_one();
        let handle = self.worker.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
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
    state.start_worker()?;
    let client_timeout = state.settings.client_timeout;
    let state = web::Data::from(state);
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
            .app_data(web::PayloadConfig::new(body_limit.saturating_add(1)))
            .route(
                "/health",
                web::get().to(|| async { HttpResponse::Ok().json(json!({"status": "ok"})) }),
            )
            .route("/metrics", web::get().to(metrics))
            // One scope, so a proxied request is tested against one prefix rather than
            // against each admin pattern (a regex match each, 1.5% of a proxied request),
            // and the admin token is checked in one place for every admin route.
            .service(
                web::scope("/admin")
                    .wrap(actix_web::middleware::from_fn(require_admin))
                    .route("/traces/{request_id}", web::get().to(admin_trace))
                    .route("/events", web::get().to(admin_events))
                    .route("/events/{id}", web::get().to(admin_event))
                    .route("/events/{id}/replay", web::post().to(admin_replay))
                    .route("/deliveries", web::get().to(admin_deliveries))
                    .route("/deliveries/redeliver", web::post().to(admin_redeliver_all))
                    .route(
                        "/deliveries/{id}/redeliver",
                        web::post().to(admin_redeliver),
                    ),
            )
            .configure(move |config| {
                if demo {
                    demo::configure(config, demo_vendor);
                }
            })
            .service(
                web::scope(&prefix)
                    .route("/events/{element}", web::route().to(event_ingest))
                    .route(
                        "/events/{element}/{instance}",
                        web::route().to(event_ingest),
                    )
                    .default_service(web::to(proxy)),
            )
    })
    .workers(workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())))
    // Slow senders (slowloris) get a 408 instead of holding a connection.
    .client_request_timeout(client_timeout)
    .listen(listener)?
    .run();
    Ok(server)
}

/// Read a request body up to `limit` bytes without buffering more: `Err(413)` past it,
/// `Err(400)` when the body cannot be read.
async fn read_body(mut payload: web::Payload, limit: usize) -> Result<web::Bytes, u16> {
    use futures_util::StreamExt;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| 400u16)?;
        if body.len() + chunk.len() > limit {
            return Err(413);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn too_large(status: u16, limit: usize, request_id: &str) -> HttpResponse {
    let message = if status == 413 {
        format!("the request body is larger than {limit} bytes")
    } else {
        "the request body could not be read".to_string()
    };
    let mut response =
        HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST))
            .json(error::body(&message, request_id, None));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("elements-request-id"), value);
    }
    response
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

/// In front of every `/admin` route: without the admin token, 401.
async fn require_admin<B: actix_web::body::MessageBody + 'static>(
    request: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<B>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::EitherBody<B>>, actix_web::Error> {
    let configured = request.app_data::<web::Data<State>>().map(|state| {
        let on = state
            .settings
            .admin_token
            .as_deref()
            .is_some_and(|t| !t.is_empty());
        (on, on && is_admin(request.request(), &state.settings))
    });
    match configured {
        Some((_, true)) => {}
        Some((false, _)) | None => {
            let refusal = admin_off(&new_request_id());
            return Ok(request.into_response(refusal).map_into_right_body());
        }
        Some((true, false)) => {
            return Ok(request.into_response(unauthorized()).map_into_right_body());
        }
    }
    next.call(request).await.map(|r| r.map_into_left_body())
}

async fn admin_trace(state: web::Data<State>, id: web::Path<String>) -> HttpResponse {
    match state.traces.get(&id) {
        Some(trace) => HttpResponse::Ok().json(trace),
        None => HttpResponse::NotFound().json(error::body(&format!("no trace for request {id} (only requests sent with Elements-Debug: true and the admin token are traced, and only the last {} are kept)", state.settings.trace_capacity), "", None)),
    }
}

async fn proxy(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<State>,
    vendor: web::Data<VendorClient>,
) -> HttpResponse {
    let request_id = new_request_id();
    let body = match read_body(payload, state.settings.max_request_body).await {
        Ok(body) => body,
        Err(status) => return too_large(status, state.settings.max_request_body, &request_id),
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
            Err(e) => error::respond(e, &request_id, state.settings.expose_errors),
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
            Err(PipelineError::Unauthorized(missing_token(authorization))),
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

/// `POST|GET <prefix>/events/{element}[/{base64 instance id}]`: a vendor's webhook.
async fn event_ingest(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<State>,
) -> HttpResponse {
    let request_id = new_request_id();
    let body = match read_body(payload, state.settings.max_request_body).await {
        Ok(body) => body,
        Err(status) => return too_large(status, state.settings.max_request_body, &request_id),
    };
    let element = request
        .match_info()
        .get("element")
        .unwrap_or_default()
        .to_string();
    let named = request.match_info().get("instance").map(str::to_string);
    let loaded = state.current();
    let webhook = crate::events::ingest::Webhook {
        method: request.method().as_str().to_string(),
        query: request.query_string().to_string(),
        headers: request
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    };
    let result = (|| {
        let el = loaded
            .elements
            .get(&element)
            .ok_or_else(|| crate::events::ingest::IngestError::UnknownElement(element.clone()))?;
        let instances = crate::events::ingest::resolve(
            &loaded.instances,
            &element,
            named.as_deref(),
            el.events.instance_finder.as_deref(),
            &webhook,
        )?;
        crate::events::ingest::accept(
            state.store.as_ref(),
            &instances,
            &webhook,
            crate::events::now_ms(),
        )
    })();
    let mut response = match result {
        Ok(ids) => {
            state.events_wakeup.notify_one();
            state.metrics.request(&element, "events", 200);
            HttpResponse::Ok().json(json!({"eventIds": ids}))
        }
        Err(e) => {
            let status = e.status();
            tracing::warn!(element = %element, status, "webhook rejected: {e}");
            state.metrics.request(&element, "events", status);
            HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST))
                .json(error::body(&e.to_string(), &request_id, None))
        }
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("elements-request-id"), value);
    }
    response
}

fn unauthorized() -> HttpResponse {
    let request_id = new_request_id();
    let mut response = HttpResponse::Unauthorized().json(error::body(
        "admin token required (Authorization: Bearer <admin token>)",
        &request_id,
        None,
    ));
    set_request_id(&mut response, &request_id);
    response
}

/// Without a configured admin token there is no admin API at all, rather than one nobody
/// can pass: say so, so that a 401 is not mistaken for a wrong token.
fn admin_off(request_id: &str) -> HttpResponse {
    let mut response = HttpResponse::NotFound().json(error::body(
        "the admin API is off: start the server with --admin-token (or ELEMENTAL_ADMIN_TOKEN) to use /admin",
        request_id,
        None,
    ));
    set_request_id(&mut response, request_id);
    response
}

fn set_request_id(response: &mut HttpResponse, request_id: &str) {
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("elements-request-id"), value);
    }
}

fn filter_of(request: &HttpRequest) -> crate::store::Filter {
    let pairs = form_pairs(request.query_string());
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    crate::store::Filter {
        instance: get("instance").and_then(|v| v.parse().ok()),
        status: get("status"),
        limit: get("limit")
            .and_then(|v| v.parse().ok())
            .unwrap_or(100)
            .min(1000),
    }
}

fn event_json(event: &crate::store::EventRecord, with_payload: bool) -> Value {
    let mut value = json!({
        "id": event.id, "element": event.element, "instanceId": event.instance_id, "status": event.status,
        "error": event.error, "receivedAt": event.received_at, "generation": event.generation, "events": event.normalized,
    });
    if with_payload {
        value["headers"] = json!(event.headers);
        value["payload"] = serde_json::from_slice(&event.body)
            .unwrap_or_else(|_| json!(String::from_utf8_lossy(&event.body)));
    }
    value
}

fn delivery_json(d: &crate::store::DeliveryRecord) -> Value {
    json!({
        "id": d.id, "eventId": d.event_id, "instanceId": d.instance_id, "url": d.url, "status": d.status,
        "attempts": d.attempts, "nextAttemptAt": d.next_attempt_at, "lastStatus": d.last_status, "lastError": d.last_error,
    })
}

fn store_failure(e: crate::store::StoreError) -> HttpResponse {
    HttpResponse::ServiceUnavailable().json(error::body(&e.to_string(), "", None))
}

async fn admin_events(request: HttpRequest, state: web::Data<State>) -> HttpResponse {
    match state.store.events(&filter_of(&request)) {
        Ok(events) => HttpResponse::Ok().json(
            events
                .iter()
                .map(|e| event_json(e, false))
                .collect::<Vec<_>>(),
        ),
        Err(e) => store_failure(e),
    }
}

async fn admin_event(state: web::Data<State>, id: web::Path<i64>) -> HttpResponse {
    match state.store.event(*id) {
        Ok(Some(event)) => HttpResponse::Ok().json(event_json(&event, true)),
        Ok(None) => HttpResponse::NotFound().json(error::body(&format!("no event {id}"), "", None)),
        Err(e) => store_failure(e),
    }
}

async fn admin_replay(state: web::Data<State>, id: web::Path<i64>) -> HttpResponse {
    match state.store.replay_event(*id) {
        Ok(true) => {
            state.events_wakeup.notify_one();
            HttpResponse::Accepted().json(json!({"replaying": *id}))
        }
        Ok(false) => {
            HttpResponse::NotFound().json(error::body(&format!("no event {id}"), "", None))
        }
        Err(e) => store_failure(e),
    }
}

async fn admin_deliveries(request: HttpRequest, state: web::Data<State>) -> HttpResponse {
    match state.store.deliveries(&filter_of(&request)) {
        Ok(list) => HttpResponse::Ok().json(list.iter().map(delivery_json).collect::<Vec<_>>()),
        Err(e) => store_failure(e),
    }
}

async fn admin_redeliver(state: web::Data<State>, id: web::Path<String>) -> HttpResponse {
    redeliver(&state, Some(&id))
}

async fn admin_redeliver_all(state: web::Data<State>) -> HttpResponse {
    redeliver(&state, None)
}

/// Re-deliver one delivery, or (`None`) every parked one.
fn redeliver(state: &State, id: Option<&str>) -> HttpResponse {
    match state.store.redeliver(id, crate::events::now_ms()) {
        Ok(0) if id.is_some() => HttpResponse::NotFound().json(error::body(
            &format!("no delivery {}", id.unwrap_or_default()),
            "",
            None,
        )),
        Ok(n) => {
            state.events_wakeup.notify_one();
            HttpResponse::Accepted().json(json!({"redelivering": n}))
        }
        Err(e) => store_failure(e),
    }
}
