//! The routes, and what the route handlers share; `run` takes a bound listener so tests can
//! use port 0.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::json;

use super::error::{self, Failure};
use super::{admin, demo, proxy, webhooks};
use crate::state::State;
use crate::vendor::VendorClient;

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
    let worker = state.clone();
    state.start_worker(|| crate::events::process::spawn(worker))?;
    let client_timeout = state.settings.client_timeout;
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
            .app_data(web::PayloadConfig::new(body_limit.saturating_add(1)))
            .app_data(web::PathConfig::default().error_handler(error::unparsable_path))
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
                    .wrap(from_fn(admin::require_admin))
                    // Outermost: the admin check's own refusals carry the request id too.
                    .wrap(from_fn(error::stamp))
                    .configure(admin::configure),
            )
            .configure(move |config| {
                if demo {
                    demo::configure(config, demo_vendor);
                }
            })
            .service(
                web::scope(&prefix)
                    .wrap(from_fn(error::stamp))
                    .route("/events/{element}", web::route().to(webhooks::ingest))
                    .route(
                        "/events/{element}/{instance}",
                        web::route().to(webhooks::ingest),
                    )
                    .default_service(web::to(proxy::proxy)),
            )
    })
    .workers(workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())))
    // Slow senders (slowloris) get a 408 instead of holding a connection.
    .client_request_timeout(client_timeout)
    .listen(listener)?
    .run();
    Ok(server)
}

async fn metrics(state: web::Data<State>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}

/// Read a request body up to `limit` bytes without buffering more.
pub async fn read_body(mut payload: web::Payload, limit: usize) -> Result<web::Bytes, Failure> {
    use futures_util::StreamExt;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| Failure::Unreadable)?;
        if body.len() + chunk.len() > limit {
            return Err(Failure::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The request's headers as the pipeline and the events store take them: lower-case names.
pub fn headers_of(request: &HttpRequest) -> Vec<(String, String)> {
    request
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Decode `a=1&b=x+y` into pairs, percent-decoding names and values.
pub fn form_pairs(query: &str) -> Vec<(String, String)> {
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
