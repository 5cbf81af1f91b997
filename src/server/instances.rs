//! The instances API (Cloud Elements' shapes, behind the admin token): connect an account,
//! list, read, change and delete instances and their configuration. Creating and deleting
//! run the element's provisioning resources; secrets never come back in clear.
// `Failure` is large (it holds any pipeline error); an admin request builds one at most once,
// so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

use super::schema::{ConnectedInstance, ErrorBody, NewInstance};
use std::sync::Arc;

use actix_web::{web, HttpResponse};
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::error::{self, Failure, RequestId};
use crate::element::Authentication;
use crate::instance::{self, Instance};
use crate::pipeline::{self, Call, Inbound, PipelineError};
use crate::state::{Loaded, State};
use crate::store::InstanceRecord;
use crate::trace::MASK;
use crate::vendor::VendorClient;

/// The routes under `<prefix>/instances`.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("", web::post().to(create))
        .route("", web::get().to(list))
        .route("/{id}", web::get().to(show))
        .route("/{id}", web::patch().to(update))
        .route("/{id}", web::delete().to(remove))
        .route("/{id}/configuration", web::get().to(configuration))
        .route("/{id}/configuration", web::patch().to(configure_instance));
}

/// The steps of connecting an account, in order; each runs the element's resource of that
/// type when it has one, and a failure stops the creation with nothing left behind.
const PROVISIONING: &[&str] = &[
    "provisionAuthValidation",
    "onProvision",
    "onProvisionWebhook",
];
/// The steps of deleting one.
const DELETION: &[&str] = &["onDelete", "onDeleteWebhook"];

/// `POST /instances`: `{element: {key}, name, configuration, providerData?, tags?}` → the
/// instance with its token (shown this once).
#[utoipa::path(
    post,
    path = "/elements/api-v2/instances",
    tag = "instances",
    request_body = NewInstance,
    responses(
        (status = 200, description = "connected: the token is shown this once", body = ConnectedInstance),
        (status = 400, description = "a provisioning step failed: `<step>: …`", body = ErrorBody),
    )
)]
async fn create(
    state: web::Data<State>,
    vendor: web::Data<VendorClient>,
    body: web::Bytes,
    request_id: RequestId,
) -> HttpResponse {
    let result = connect(&state, &vendor, &body, request_id.as_str()).await;
    error::reply(&request_id, result)
}

async fn connect(
    state: &State,
    vendor: &VendorClient,
    body: &[u8],
    request_id: &str,
) -> Result<HttpResponse, Failure> {
    let request: Value = serde_json::from_slice(body)
        .map_err(|e| Failure::BadRequest(format!("the body is not JSON: {e}")))?;
    let loaded = state.current();
    let key = request
        .pointer("/element/key")
        .and_then(Value::as_str)
        .ok_or_else(|| Failure::BadRequest("element.key is required".into()))?;
    let element = loaded
        .elements
        .get(key)
        .ok_or_else(|| Failure::NotFound(format!("unknown element \"{key}\"")))?;
    // The shared store's sequence where several nodes create instances; else this node's.
    let id = match state.store.allocate_instance_id().await? {
        Some(id) => id,
        None => loaded.instances.next_api_id(),
    };
    let record = InstanceRecord {
        id,
        name: text_field(&request, "name").unwrap_or_else(|| format!("{key}-{id}")),
        element: key.to_string(),
        token: new_token(),
        configuration: object_field(&request, "configuration")?,
        tags: tags(&request)?,
        from_api: true,
        ..InstanceRecord::default()
    };
    let sealer = &state.settings.sealer;
    let instance = Arc::new(instance::make(record.clone(), element, &Map::new(), sealer));
    missing_required(&instance)?;
    // Whatever a step wrote goes if a later step fails: nothing half-created stays.
    let provisioned = provision(state, vendor, &instance, &request, request_id).await;
    let stored = match provisioned {
        Ok(()) => {
            state
                .store
                .insert_instance(&instance::sealed(sealer, &record))
                .await
        }
        Err(failure) => {
            let _ = state.store.delete_instance(id).await;
            return Err(failure);
        }
    };
    if let Err(error) = stored {
        let _ = state.store.delete_instance(id).await;
        return Err(error.into());
    }
    swap(state, |loaded| loaded.instances.with(instance.clone()));
    tracing::info!(instance = id, element = %key, "instance created");
    Ok(HttpResponse::Ok().json(shown(&instance, Some(&record.token))))
}

/// The provisioning steps with the new instance: an OAuth code exchange when the caller
/// brings `providerData.code`, then each provisioning resource the element has.
async fn provision(
    state: &State,
    vendor: &VendorClient,
    instance: &Arc<Instance>,
    request: &Value,
    request_id: &str,
) -> Result<(), Failure> {
    let call = call(state, vendor, instance, request_id);
    let provider_data = object_field(request, "providerData")?;
    let oauth1 = instance.element.authentication == Authentication::OAuth1;
    let tokens = if oauth1 && provider_data.contains_key("oauth_verifier") {
        let changes = pipeline::oauth1::access_token(&call, &provider_data).await;
        Some(changes.map_err(|error| step("the OAuth 1 token exchange", error))?)
    } else if provider_data.contains_key("code") {
        let changes = pipeline::exchange_code(&call, &provider_data).await;
        Some(changes.map_err(|error| step("the OAuth code exchange", error))?)
    } else if instance.element.authentication == Authentication::OAuth2Password {
        // The account's credentials are checked by getting its first token.
        let changes = pipeline::password_grant(&call).await;
        Some(changes.map_err(|error| step("the password grant", error))?)
    } else {
        None
    };
    if let Some(tokens) = tokens {
        instance
            .write_configuration(state.store.as_ref(), &tokens)
            .await?;
    }
    for kind in PROVISIONING {
        if let Some(result) = pipeline::lifecycle(&call, kind, empty_inbound()).await {
            result.map_err(|error| step(kind, error))?;
        }
    }
    Ok(())
}

fn call<'a>(
    state: &'a State,
    vendor: &'a VendorClient,
    instance: &'a Arc<Instance>,
    request_id: &'a str,
) -> Call<'a> {
    admin_call(state, vendor, instance, request_id, state.store.as_ref())
}

/// A call the admin makes for an instance, its writes going to `store`: ungated (an
/// account being connected has no fair share to take from yet) and untraced.
pub(super) fn admin_call<'a>(
    state: &'a State,
    vendor: &'a VendorClient,
    instance: &'a Arc<Instance>,
    request_id: &'a str,
    store: &'a dyn crate::store::Store,
) -> Call<'a> {
    Call {
        request_id,
        instance,
        store,
        vendor,
        settings: &state.settings,
        metrics: &state.metrics,
        admission: None,
        trace: None,
    }
}

fn empty_inbound() -> Inbound {
    Inbound {
        method: String::new(),
        path: String::new(),
        query: Vec::new(),
        headers: Vec::new(),
        body: Default::default(),
    }
}

fn step(kind: &str, error: PipelineError) -> Failure {
    Failure::Step {
        step: kind.to_string(),
        error: Box::new(error),
    }
}

/// Required configuration neither the request nor a default gives.
fn missing_required(instance: &Instance) -> Result<(), Failure> {
    let configuration = instance.configuration();
    let missing: Vec<&str> = instance
        .element
        .configuration
        .iter()
        .filter(|f| f.required && configuration.get(&f.key).is_none_or(Value::is_null))
        .map(|f| f.key.as_str())
        .collect();
    match missing.is_empty() {
        true => Ok(()),
        false => Err(Failure::BadRequest(format!(
            "missing required configuration of element {}: {}",
            instance.element.key,
            missing.join(", ")
        ))),
    }
}

/// `GET /instances`: every instance, by id.
#[utoipa::path(
    get,
    path = "/elements/api-v2/instances",
    tag = "instances",
    responses(
        (status = 200, body = [ConnectedInstance]),
    )
)]
async fn list(state: web::Data<State>) -> HttpResponse {
    let loaded = state.current();
    let mut all: Vec<&Arc<Instance>> = loaded.instances.all().collect();
    all.sort_by_key(|i| i.id);
    let shown: Vec<Value> = all.into_iter().map(|i| shown(i, None)).collect();
    HttpResponse::Ok().json(shown)
}

#[utoipa::path(
    get,
    path = "/elements/api-v2/instances/{id}",
    tag = "instances",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, body = ConnectedInstance),
        (status = 404, body = ErrorBody),
    )
)]
async fn show(
    state: web::Data<State>,
    id: web::Path<String>,
    request_id: RequestId,
) -> HttpResponse {
    let loaded = state.current();
    let result = find(&loaded, &id).map(|i| HttpResponse::Ok().json(shown(i, None)));
    error::reply(&request_id, result)
}

/// `PATCH /instances/{id}`: `name`, `tags` (API instances), `configuration` (any).
#[utoipa::path(
    patch,
    path = "/elements/api-v2/instances/{id}",
    tag = "instances",
    params(
        ("id" = String, Path),
    ),
    request_body(content = Object, description = "name, tags (API instances), configuration"),
    responses(
        (status = 200, body = ConnectedInstance),
        (status = 404, body = ErrorBody),
        (status = 409, description = "an instance of the instances file", body = ErrorBody),
    )
)]
async fn update(
    state: web::Data<State>,
    id: web::Path<String>,
    body: web::Bytes,
    request_id: RequestId,
) -> HttpResponse {
    let result = change(&state, &id, &body).await;
    error::reply(&request_id, result)
}

async fn change(state: &State, id: &str, body: &[u8]) -> Result<HttpResponse, Failure> {
    let request: Value = serde_json::from_slice(body)
        .map_err(|e| Failure::BadRequest(format!("the body is not JSON: {e}")))?;
    let loaded = state.current();
    let instance = find(&loaded, id)?.clone();
    let changes = object_field(&request, "configuration")?;
    instance
        .write_configuration(state.store.as_ref(), &changes)
        .await?;
    let name = text_field(&request, "name");
    let tags = request.get("tags").map(|_| tags(&request)).transpose()?;
    if name.is_none() && tags.is_none() {
        return Ok(HttpResponse::Ok().json(shown(&instance, None)));
    }
    if !instance.from_api {
        return Err(Failure::Conflict(format!(
            "instance {} is declared in the instances file: change its name and tags there",
            instance.id
        )));
    }
    let name = name.unwrap_or_else(|| instance.name.clone());
    let tags = tags.unwrap_or_else(|| instance.tags.clone());
    state
        .store
        .rename_instance(instance.id, &name, &tags)
        .await?;
    let renamed = Arc::new(instance.renamed(name, tags));
    swap(state, |loaded| loaded.instances.with(renamed.clone()));
    Ok(HttpResponse::Ok().json(shown(&renamed, None)))
}

/// `DELETE /instances/{id}`: the deletion resources run first; one that fails keeps the
/// instance (the vendor may still hold its webhook).
#[utoipa::path(
    delete,
    path = "/elements/api-v2/instances/{id}",
    tag = "instances",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, body = Object),
        (status = 404, body = ErrorBody),
    )
)]
async fn remove(
    state: web::Data<State>,
    vendor: web::Data<VendorClient>,
    id: web::Path<String>,
    request_id: RequestId,
) -> HttpResponse {
    let result = disconnect(&state, &vendor, &id, request_id.as_str()).await;
    error::reply(&request_id, result)
}

async fn disconnect(
    state: &State,
    vendor: &VendorClient,
    id: &str,
    request_id: &str,
) -> Result<HttpResponse, Failure> {
    let loaded = state.current();
    let instance = find(&loaded, id)?.clone();
    if !instance.from_api {
        return Err(Failure::Conflict(format!(
            "instance {} is declared in the instances file: remove it there",
            instance.id
        )));
    }
    let call = call(state, vendor, &instance, request_id);
    for kind in DELETION {
        if let Some(result) = pipeline::lifecycle(&call, kind, empty_inbound()).await {
            result.map_err(|error| step(kind, error))?;
        }
    }
    state.store.delete_instance(instance.id).await?;
    swap(state, |loaded| loaded.instances.without(instance.id));
    tracing::info!(instance = instance.id, "instance deleted");
    Ok(HttpResponse::Ok().json(json!({"id": instance.id, "deleted": true})))
}

#[utoipa::path(
    get,
    path = "/elements/api-v2/instances/{id}/configuration",
    tag = "instances",
    params(
        ("id" = String, Path),
    ),
    responses(
        (status = 200, description = "secrets masked", body = Object),
        (status = 404, body = ErrorBody),
    )
)]
async fn configuration(
    state: web::Data<State>,
    id: web::Path<String>,
    request_id: RequestId,
) -> HttpResponse {
    let loaded = state.current();
    let result = find(&loaded, &id).map(|i| HttpResponse::Ok().json(masked(i)));
    error::reply(&request_id, result)
}

/// `PATCH /instances/{id}/configuration`: the body is the changes (`null` removes a key).
#[utoipa::path(
    patch,
    path = "/elements/api-v2/instances/{id}/configuration",
    tag = "instances",
    params(
        ("id" = String, Path),
    ),
    request_body(content = Object, description = "the changes; null removes a key"),
    responses(
        (status = 200, body = Object),
        (status = 404, body = ErrorBody),
    )
)]
async fn configure_instance(
    state: web::Data<State>,
    id: web::Path<String>,
    body: web::Bytes,
    request_id: RequestId,
) -> HttpResponse {
    let result = async {
        let changes = match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(changes)) => changes,
            _ => return Err(Failure::BadRequest("the body must be a JSON object".into())),
        };
        let loaded = state.current();
        let instance = find(&loaded, &id)?.clone();
        instance
            .write_configuration(state.store.as_ref(), &changes)
            .await?;
        Ok(HttpResponse::Ok().json(masked(&instance)))
    }
    .await;
    error::reply(&request_id, result)
}

/// Serve the instances `change` makes of the current ones from now on.
fn swap(state: &State, change: impl FnOnce(&Loaded) -> crate::instance::Instances) {
    state.update(|loaded| Loaded {
        elements: loaded.elements.clone(),
        instances: Arc::new(change(loaded)),
        tasks: loaded.tasks.clone(),
    });
}

fn find<'l>(loaded: &'l Loaded, id: &str) -> Result<&'l Arc<Instance>, Failure> {
    id.parse::<i64>()
        .ok()
        .and_then(|id| loaded.instances.by_id(id))
        .ok_or_else(|| Failure::NotFound(format!("no instance {id}")))
}

/// An instance as the API shows it; its token only when just created.
fn shown(instance: &Instance, token: Option<&str>) -> Value {
    let invalid = instance.invalid_reason();
    json!({
        "id": instance.id,
        "name": instance.name,
        "token": token.unwrap_or(MASK),
        "element": {"key": instance.element.key, "name": instance.element.name},
        "configuration": masked(instance),
        "tags": instance.tags,
        "valid": invalid.is_none(),
        "invalidReason": invalid,
        "source": if instance.from_api { "api" } else { "file" },
    })
}

/// The configuration with every secret masked: PASSWORD / hideFromConsole fields, and any
/// key naming a token, secret or password (those a hook or a token exchange writes).
fn masked(instance: &Instance) -> Map<String, Value> {
    instance
        .configuration()
        .into_iter()
        .map(|(key, value)| {
            let lower = key.to_ascii_lowercase();
            let secret = instance.element.is_secret(&key)
                || ["token", "secret", "password"]
                    .iter()
                    .any(|word| lower.contains(word));
            match secret && !value.is_null() {
                true => (key, json!(MASK)),
                false => (key, value),
            }
        })
        .collect()
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn text_field(request: &Value, key: &str) -> Option<String> {
    request
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

fn object_field(request: &Value, key: &str) -> Result<Map<String, Value>, Failure> {
    match request.get(key) {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map.clone()),
        Some(_) => Err(Failure::BadRequest(format!("{key} must be a JSON object"))),
    }
}

fn tags(request: &Value) -> Result<Vec<String>, Failure> {
    match request.get("tags") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| t.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| Failure::BadRequest("tags must be a list of strings".into())),
        Some(_) => Err(Failure::BadRequest("tags must be a list of strings".into())),
    }
}
