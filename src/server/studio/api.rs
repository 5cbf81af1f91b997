//! Admin routes the studio's pages read (under `/admin`, so they are the admin API's too):
//! elements with their resources and hooks, the last load's diagnostics, recent traces, the
//! script endpoints, and "try it": a real call through an instance, traced.

use super::super::schema::{Diagnostic, ElementSummary, ErrorBody, Tried};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::super::error::{self, Failure, RequestId};
use super::super::request::form_pairs;
use super::super::schema::Attempt;
use crate::element::model::{Authentication, Parameter, Resource};
use crate::element::{Element, Hooks};
use crate::hooks::Script;
use crate::pipeline::Inbound;
use crate::state::State;
use crate::vendor::VendorClient;

/// The routes, mounted in the `/admin` scope (behind its check).
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/elements", web::get().to(elements))
        .route("/elements/{key}", web::get().to(element))
        .route("/diagnostics", web::get().to(diagnostics))
        .route("/traces", web::get().to(traces))
        .route("/scripts", web::get().to(scripts))
        .route("/instances/{id}/try", web::post().to(try_call))
        .route("/playground", web::post().to(super::playground::rerun));
}

/// Every element, in brief, with how many instances it has.
#[utoipa::path(
    get,
    path = "/admin/elements",
    tag = "elements",
    responses(
        (status = 200, body = [ElementSummary]),
    )
)]
async fn elements(state: web::Data<State>) -> HttpResponse {
    let loaded = state.current();
    let mut list: Vec<Value> = loaded
        .elements
        .by_key
        .values()
        .map(|e| {
            let instances = loaded
                .instances
                .all()
                .filter(|i| i.element.key == e.key)
                .count();
            json!({
                "key": e.key, "name": e.name, "hub": e.hub, "file": e.file,
                "authentication": authentication(e.authentication),
                "resources": e.resources.len(), "instances": instances,
            })
        })
        .collect();
    list.sort_by(|a, b| a["key"].as_str().cmp(&b["key"].as_str()));
    HttpResponse::Ok().json(list)
}

/// One element: its configuration (secret defaults masked), parameters, hooks with their
/// source, resources and instances.
#[utoipa::path(
    get,
    path = "/admin/elements/{key}",
    tag = "elements",
    params(
        ("key" = String, Path),
    ),
    responses(
        (status = 200, description = "configuration (secret defaults masked), parameters, hooks with their source, resources, instances", body = Object),
        (status = 404, body = ErrorBody),
    )
)]
async fn element(
    state: web::Data<State>,
    key: web::Path<String>,
    request_id: RequestId,
) -> HttpResponse {
    let loaded = state.current();
    let Some(e) = loaded.elements.get(&key) else {
        let failure = Failure::NotFound(format!("no element {key}"));
        return error::respond(&failure, &request_id, false);
    };
    let configuration: Vec<Value> = e
        .configuration
        .iter()
        .map(|c| {
            let default = match (&c.default, c.secret) {
                (Some(_), true) => json!("********"),
                (default, _) => json!(default),
            };
            json!({"key": c.key, "name": c.name, "type": c.kind, "required": c.required,
                   "secret": c.secret, "default": default})
        })
        .collect();
    let instances: Vec<Value> = loaded
        .instances
        .all()
        .filter(|i| i.element.key == e.key)
        .map(|i| json!({"id": i.id, "name": i.name, "invalid": i.invalid_reason()}))
        .collect();
    HttpResponse::Ok().json(json!({
        "key": e.key, "name": e.name, "hub": e.hub, "file": e.file,
        "authentication": authentication(e.authentication),
        "configuration": configuration,
        "parameters": e.parameters.iter().map(parameter).collect::<Vec<_>>(),
        "hooks": hooks(&e.hooks),
        "resources": e.resources.iter().map(|r| resource(e, r)).collect::<Vec<_>>(),
        "instances": instances,
    }))
}

fn authentication(kind: Authentication) -> &'static str {
    match kind {
        Authentication::Basic => "basic",
        Authentication::OAuth2 => "oauth2",
        Authentication::OAuth2Password => "oauth2Password",
        Authentication::OAuth1 => "oauth1",
        Authentication::AwsV4 => "awsv4",
        Authentication::Custom => "custom",
    }
}

fn resource(element: &Element, r: &Resource) -> Value {
    let next = r
        .next_resource
        .and_then(|i| element.resources.get(i))
        .map(|n| format!("{} {}", n.method, n.path));
    json!({
        "method": r.method, "path": r.path, "vendorMethod": r.vendor_method,
        "vendorPath": r.vendor_path, "type": r.kind, "objectName": r.object_name,
        "rootKey": r.root_key, "nextResource": next,
        "parameters": r.parameters.iter().map(parameter).collect::<Vec<_>>(),
        "hooks": hooks(&r.hooks),
    })
}

fn parameter(p: &Parameter) -> Value {
    json!({
        "name": p.name, "vendorName": p.vendor_name, "type": format!("{:?}", p.kind),
        "vendorType": format!("{:?}", p.vendor_kind), "required": p.required,
        "response": p.from_response,
    })
}

fn hooks(hooks: &Hooks) -> Value {
    let mut map = Map::new();
    let kinds = [
        ("preRequest", &hooks.pre_request),
        ("postRequest", &hooks.post_request),
        ("event", &hooks.event),
    ];
    for (kind, script) in kinds {
        if let Some(script) = script {
            map.insert(kind.into(), hook(script));
        }
    }
    Value::Object(map)
}

/// A hook as the studio shows it: where it is, its source, or the webhook serving it (the
/// URL masked, the key never).
fn hook(script: &Script) -> Value {
    let webhook = script.webhook.as_ref().map(
        |w| json!({"url": crate::trace::mask_url(&w.url), "timeoutMs": w.time.as_millis() as u64}),
    );
    json!({
        "label": script.label, "file": script.origin.file, "line": script.origin.line,
        "column": script.origin.column, "source": &*script.source,
        "legacy": script.legacy, "onErrorContinue": script.fail_open, "webhook": webhook,
    })
}

#[utoipa::path(
    get,
    path = "/admin/diagnostics",
    tag = "elements",
    responses(
        (status = 200, description = "what the last load (start or reload) reported", body = [Diagnostic]),
    )
)]
async fn diagnostics(state: web::Data<State>) -> HttpResponse {
    HttpResponse::Ok().json(&*state.diagnostics())
}

#[derive(Deserialize)]
struct Recent {
    limit: Option<usize>,
}

/// The newest debug traces, in brief.
#[utoipa::path(
    get,
    path = "/admin/traces",
    tag = "traces",
    params(
        ("limit" = Option<usize>, Query, description = "at most (50; up to 1000)"),
    ),
    responses(
        (status = 200, description = "the newest traces in brief, every node's on a shared store", body = [Object]),
    )
)]
async fn traces(
    state: web::Data<State>,
    query: web::Query<Recent>,
    request_id: RequestId,
) -> HttpResponse {
    let limit = query.limit.unwrap_or(50).min(1000);
    let listed = state.traces.recent(limit).await;
    error::reply(
        &request_id,
        listed.map(|list| HttpResponse::Ok().json(list)),
    )
}

/// The script endpoints: web tasks, and the cloud code's file and webhook functions (the
/// functions main.js defines are known only by running it).
#[utoipa::path(
    get,
    path = "/admin/scripts",
    tag = "scripts",
    responses(
        (status = 200, description = "web tasks and cloud code, with their sources", body = Object),
    )
)]
async fn scripts(state: web::Data<State>) -> HttpResponse {
    let loaded = state.current();
    let tasks: Vec<Value> = loaded
        .tasks
        .by_name
        .values()
        .map(|t| json!({"name": t.name, "file": t.file, "source": &*t.script.source}))
        .collect();
    let cloud = loaded.tasks.cloud.as_ref().map(|c| {
        let webhooks: Vec<Value> = c
            .webhooks
            .iter()
            .map(|(name, w)| json!({"name": name, "url": crate::trace::mask_url(&w.url)}))
            .collect();
        json!({"file": c.file, "source": &*c.script.source, "webhooks": webhooks})
    });
    HttpResponse::Ok().json(json!({"tasks": tasks, "cloud": cloud}))
}

/// Send `attempt` through the instance, traced; answer its status, headers and body with
/// the trace.
#[utoipa::path(
    post,
    path = "/admin/instances/{id}/try",
    tag = "instances",
    params(
        ("id" = i64, Path),
    ),
    request_body = Attempt,
    responses(
        (status = 200, description = "the answer (any status) and its trace", body = Tried),
        (status = 404, body = ErrorBody),
    )
)]
async fn try_call(
    state: web::Data<State>,
    vendor: web::Data<VendorClient>,
    id: web::Path<i64>,
    attempt: web::Json<Attempt>,
    request_id: RequestId,
) -> HttpResponse {
    let loaded = state.current();
    let Some(instance) = loaded.instances.by_id(*id) else {
        let failure = Failure::NotFound(format!("no instance {id}"));
        return error::respond(&failure, &request_id, false);
    };
    let attempt = attempt.into_inner();
    let mut headers: Vec<(String, String)> = attempt
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.to_ascii_lowercase(),
                crate::element::template::value_text(v),
            )
        })
        .collect();
    if !attempt.body.trim().is_empty() && !headers.iter().any(|(k, _)| k == "content-type") {
        headers.push(("content-type".into(), "application/json".into()));
    }
    let path = format!("/{}", attempt.path.trim().trim_start_matches('/'));
    let inbound = Inbound {
        method: attempt.method.trim().to_ascii_uppercase(),
        path,
        query: form_pairs(attempt.query.trim_start_matches('?')),
        headers,
        body: attempt.body.into(),
    };
    let id = request_id.as_str();
    let (result, trace) =
        super::super::proxy::call_traced(&state, &vendor, instance, inbound, id).await;
    let (status, headers, body) = match result {
        Ok(answer) => {
            let text = String::from_utf8_lossy(&answer.body).into_owned();
            (answer.status, answer.headers, text)
        }
        Err(e) => {
            let failure = Failure::from(e);
            let expose = state.settings.expose_errors;
            let (status, headers, json) = error::answer_failure(&failure, id, expose);
            (status, headers, json.to_string())
        }
    };
    HttpResponse::Ok().json(json!({
        "requestId": id, "status": status, "headers": headers, "body": body, "trace": trace,
    }))
}
