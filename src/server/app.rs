//! The routes; `run` takes a bound listener so tests can use port 0.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::middleware::from_fn;
use actix_web::{guard, web, App, HttpResponse, HttpServer};
use serde_json::json;

use super::error;
use super::{admin, demo, docs, instances, jobs, oauth, parse, proxy, studio, tasks, webhooks};
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
    let scheduler = state.clone();
    state.start_scheduler(|| crate::scripts::scheduler::spawn(scheduler, error::answer))?;
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
        let tasks_domain = state.settings.tasks_domain.clone();
        App::new()
            .app_data(state.clone())
            .app_data(vendor)
            .app_data(web::PayloadConfig::new(body_limit.saturating_add(1)))
            .app_data(web::PathConfig::default().error_handler(error::unparsable_path))
            // First: with a tasks domain, every path of `<task>.<domain>` is the task's.
            .configure(move |config| {
                if let Some(domain) = tasks_domain {
                    let on_task_host = guard::fn_guard(move |ctx| {
                        tasks::host_header(ctx.head().headers())
                            .and_then(|host| tasks::task_of_host(host, &domain))
                            .is_some()
                    });
                    config.service(
                        web::scope("")
                            .guard(on_task_host)
                            .wrap(from_fn(error::stamp))
                            .default_service(web::to(tasks::by_host)),
                    );
                }
            })
            .service(
                web::scope("/tasks")
                    .wrap(from_fn(error::stamp))
                    .route("/{name}", web::route().to(tasks::by_path)),
            )
            .service(
                web::scope("/parse")
                    .wrap(from_fn(error::stamp))
                    .route("/functions/{name}", web::post().to(parse::function))
                    .route("/config", web::get().to(parse::config))
                    .route("/jobs/{name}", web::post().to(jobs::parse_start))
                    .default_service(web::to(parse::unknown)),
            )
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
                    .configure(admin::configure)
                    .configure(jobs::configure),
            )
            .service(
                web::scope("/studio")
                    .wrap(from_fn(error::stamp))
                    .configure(studio::configure),
            )
            // Element documentation shows every resource and parameter: the admin's, too.
            .service(
                web::scope("/docs")
                    .wrap(from_fn(admin::require_admin))
                    .wrap(from_fn(error::stamp))
                    .configure(docs::configure),
            )
            .configure(move |config| {
                if demo {
                    demo::configure(config, demo_vendor);
                }
            })
            .service(
                web::scope(&prefix)
                    .wrap(from_fn(error::stamp))
                    .service(
                        web::scope("/instances")
                            .wrap(from_fn(admin::require_admin))
                            .configure(instances::configure),
                    )
                    // An OAuth 2 element's authorization URL: the admin's, as /admin is.
                    .service(
                        web::resource("/elements/{key}/oauth/url")
                            .wrap(from_fn(admin::require_admin))
                            .route(web::get().to(oauth::url)),
                    )
                    .service(
                        web::resource("/elements/{key}/oauth/token")
                            .wrap(from_fn(admin::require_admin))
                            .route(web::get().to(oauth::token)),
                    )
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
    let mut body = state.metrics.render();
    body.push_str(&executors());
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}

/// The hook executors' queue, process-wide (the executors are shared by every server).
fn executors() -> String {
    let (waiting, started, waited) = crate::hooks::executor::queue();
    [
        "# HELP elemental_hook_executor_waiting Hook invocations waiting for an executor thread.",
        "# TYPE elemental_hook_executor_waiting gauge",
        &format!("elemental_hook_executor_waiting {waiting}"),
        "# HELP elemental_hook_executor_started_total Hook invocations an executor thread took.",
        "# TYPE elemental_hook_executor_started_total counter",
        &format!("elemental_hook_executor_started_total {started}"),
        "# HELP elemental_hook_executor_wait_seconds_total Time those waited for a thread, in all.",
        "# TYPE elemental_hook_executor_wait_seconds_total counter",
        &format!("elemental_hook_executor_wait_seconds_total {waited}"),
        "",
    ]
    .join("\n")
}
