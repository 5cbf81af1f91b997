//! `GET /admin/openapi.json`: the admin and instances API as OpenAPI 3.1, generated from the
//! handlers' own `#[utoipa::path]` attributes and `server::schema`, never written by hand.

use actix_web::{web, HttpResponse};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::schema::{
    Attempt, ConnectedInstance, Delivery, Diagnostic, ElementSummary, ErrorBody, Event, HookReport,
    Job, JobRun, NewInstance, Replay, Schedule, Tried,
};
use super::{admin, docs, instances, jobs, oauth, studio};
use crate::state::State;

/// The document's contents: every route of `/admin`, the instances API, the OAuth URL routes,
/// element docs and Parse's job route.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "elemental admin and instances API",
        description = "Behind the admin token (`Authorization: Bearer <token>` or `Elements-Admin-Token`) or a studio session (cookie, with `X-CSRF-Token` on changes). Errors are `{message, requestId, providerMessage?}`."
    ),
    paths(
        admin::trace, admin::events, admin::event, admin::replay, admin::deliveries,
        admin::redeliver_one, admin::redeliver_all,
        studio::api::elements, studio::api::element, studio::api::diagnostics,
        studio::api::traces, studio::api::scripts, studio::api::try_call,
        studio::playground::rerun,
        jobs::parse_start, jobs::start_run, jobs::list_jobs, jobs::list_runs, jobs::run,
        jobs::list_schedules, jobs::add_schedule, jobs::delete_schedule, jobs::run_schedule,
        instances::create, instances::list, instances::show, instances::update,
        instances::remove, instances::configuration, instances::configure_instance,
        oauth::url, oauth::token, docs::document, describe,
    ),
    components(schemas(
        ErrorBody, Event, Delivery, ConnectedInstance, NewInstance, ElementSummary, Diagnostic,
        Attempt, Tried, Replay, HookReport, JobRun, Job, Schedule,
    )),
    // Every operation but Parse's job route (which names its own) takes either of these.
    security(("admin_token" = []), ("studio_session" = [])),
    modifiers(&Credentials),
    tags(
        (name = "instances", description = "Connected accounts: create (provisioning, OAuth), change, delete, try"),
        (name = "elements", description = "Loaded elements, their hooks and the last load's diagnostics"),
        (name = "traces", description = "Debug traces and the hook playground"),
        (name = "events", description = "Received webhooks and their deliveries"),
        (name = "jobs", description = "Background jobs, runs and schedules"),
        (name = "scripts", description = "Web tasks and cloud code"),
        (name = "meta", description = "This document"),
    )
)]
struct AdminApi;

/// The ways to authenticate the document names, and the 401 every operation behind them
/// answers without one (said once here rather than on every handler).
struct Credentials;

impl Modify for Credentials {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build();
        components.add_security_scheme("admin_token", SecurityScheme::Http(bearer));
        let cookie = ApiKey::Cookie(ApiKeyValue::new(super::studio::session::COOKIE));
        components.add_security_scheme("studio_session", SecurityScheme::ApiKey(cookie));
        let master = ApiKey::Header(ApiKeyValue::new("X-Parse-Master-Key"));
        components.add_security_scheme("parse_master_key", SecurityScheme::ApiKey(master));
        let refused = ResponseBuilder::new()
            .description("no admin token or studio session")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            // An operation naming its own security (Parse's master key) refuses otherwise.
            for operation in operations.into_iter().flatten() {
                if operation.security.is_none() {
                    let responses = &mut operation.responses.responses;
                    responses.insert("401".into(), refused.clone().into());
                }
            }
        }
    }
}

/// The document, with the instances routes under this server's prefix.
#[utoipa::path(
    get,
    path = "/admin/openapi.json",
    tag = "meta",
    responses((status = 200, description = "this document", body = Object))
)]
pub async fn describe(state: web::Data<State>) -> HttpResponse {
    HttpResponse::Ok().json(build(&state.settings.prefix))
}

/// The document for a server whose element routes are under `prefix`.
pub fn build(prefix: &str) -> utoipa::openapi::OpenApi {
    let mut api = AdminApi::openapi();
    const DEFAULT: &str = "/elements/api-v2";
    if prefix != DEFAULT {
        let paths = std::mem::take(&mut api.paths.paths);
        api.paths.paths = paths
            .into_iter()
            .map(|(path, item)| match path.strip_prefix(DEFAULT) {
                Some(rest) => (format!("{prefix}{rest}"), item),
                None => (path, item),
            })
            .collect();
    }
    api
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_is_documented_with_its_methods_and_the_prefix_is_applied() {
        let api = build("/api");
        let paths = &api.paths.paths;
        for path in [
            "/admin/events",
            "/admin/runs/{id}",
            "/admin/playground",
            "/admin/openapi.json",
            "/api/instances",
            "/api/instances/{id}/configuration",
            "/api/elements/{key}/oauth/url",
            "/parse/jobs/{name}",
        ] {
            assert!(paths.contains_key(path), "{path} is not documented");
        }
        assert!(!paths.keys().any(|p| p.starts_with("/elements/api-v2")));
        let json = serde_json::to_value(&api).unwrap_or_default();
        assert_eq!(json["openapi"], serde_json::json!("3.1.0"));
        let instances = &json["paths"]["/api/instances"];
        assert!(instances["get"].is_object() && instances["post"].is_object());
        assert!(json["components"]["schemas"]["JobRun"].is_object());
        assert!(json["components"]["securitySchemes"]["studio_session"].is_object());
        // Behind the admin token: a 401 with the error shape; Parse's route: its own key.
        let refused = &instances["get"]["responses"]["401"];
        assert_eq!(
            refused["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody"
        );
        assert!(json["paths"]["/parse/jobs/{name}"]["post"]["responses"]["401"].is_null());
        assert_eq!(json["security"][0], serde_json::json!({"admin_token": []}));
    }
}
