//! The admin API: the admin token check in front of every `/admin` route, debug traces,
//! and the events and deliveries in the store.

use super::schema::{Delivery, ErrorBody, Event};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::error::{self, Failure, RequestId};
use super::request::form_pairs;
use crate::settings::Settings;
use crate::state::State;
use crate::store::{DeliveryRecord, EventRecord, Filter};

/// The routes under `/admin`.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/traces/{request_id}", web::get().to(trace))
        .route("/events", web::get().to(events))
        .route("/events/{id}", web::get().to(event))
        .route("/events/{id}/replay", web::post().to(replay))
        .route("/deliveries", web::get().to(deliveries))
        .route("/deliveries/redeliver", web::post().to(redeliver_all))
        .route("/deliveries/{id}/redeliver", web::post().to(redeliver_one))
        .route("/openapi.json", web::get().to(super::openapi::describe))
        .configure(super::studio::api::configure);
}

/// True when the request carries the configured admin token (`Authorization: Bearer <t>`
/// or `Elements-Admin-Token: <t>`). Compared in constant time.
pub fn is_admin(request: &HttpRequest, settings: &Settings) -> bool {
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
    given.is_some_and(|given| crate::secret::matches(given.as_bytes(), expected.as_bytes()))
}

/// How a request proves it is the admin's.
enum Admin {
    /// The admin token, in a header.
    Token,
    /// A studio session (its cookie), reading, or changing with its CSRF token.
    Studio,
    /// A studio session changing something without the CSRF token: refused.
    StudioWithoutCsrf,
    Refused,
}

fn admitted(request: &HttpRequest, settings: &Settings) -> Admin {
    if is_admin(request, settings) {
        return Admin::Token;
    }
    let Some(session) = super::studio::session::of(request, settings) else {
        return Admin::Refused;
    };
    let reading = matches!(request.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    match reading || super::studio::session::csrf_ok(request, &session) {
        true => Admin::Studio,
        false => Admin::StudioWithoutCsrf,
    }
}

/// In front of every `/admin` route (and the instances API, /docs): without the admin token
/// or a studio session, 401; without an admin token configured, 404.
pub async fn require_admin<B: MessageBody + 'static>(
    request: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let configured = request.app_data::<web::Data<State>>().map(|state| {
        let on = state
            .settings
            .admin_token
            .as_deref()
            .is_some_and(|t| !t.is_empty());
        let by = match on {
            false => Admin::Refused,
            true => admitted(request.request(), &state.settings),
        };
        (on, by)
    });
    let refusal = match configured {
        Some((true, Admin::Token | Admin::Studio)) => {
            return next.call(request).await.map(|r| r.map_into_left_body())
        }
        Some((false, _)) | None => Failure::AdminOff,
        Some((true, Admin::StudioWithoutCsrf)) => Failure::Csrf,
        Some((true, Admin::Refused)) => Failure::AdminToken,
    };
    let response = error::respond(&refusal, &RequestId::of(request.request()), false);
    Ok(request.into_response(response).map_into_right_body())
}

#[utoipa::path(
    get,
    path = "/admin/traces/{request_id}",
    tag = "traces",
    params(
        ("request_id" = String, Path, description = "the Elements-Request-Id of a traced request"),
    ),
    responses(
        (status = 200, description = "the debug trace: every phase, secrets masked", body = Object),
        (status = 404, description = "not traced or no longer kept", body = ErrorBody),
    )
)]
async fn trace(
    state: web::Data<State>,
    id: web::Path<String>,
    request_id: RequestId,
) -> HttpResponse {
    let found = match state.traces.find(&id).await {
        Ok(found) => found.ok_or_else(|| Failure::NotFound(format!("no trace for request {id} (only requests sent with Elements-Debug: true and the admin token are traced, and only the last {} are kept)", state.settings.trace_capacity))),
        Err(error) => Err(error.into()),
    };
    error::reply(
        &request_id,
        found.map(|trace| HttpResponse::Ok().json(trace)),
    )
}

fn filter_of(request: &HttpRequest) -> Filter {
    let pairs = form_pairs(request.query_string());
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    Filter {
        instance: get("instance").and_then(|v| v.parse().ok()),
        status: get("status"),
        limit: get("limit")
            .and_then(|v| v.parse().ok())
            .unwrap_or(100)
            .min(1000),
    }
}

fn event_json(event: &EventRecord, with_payload: bool) -> Value {
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

fn delivery_json(d: &DeliveryRecord) -> Value {
    json!({
        "id": d.id, "eventId": d.event_id, "instanceId": d.instance_id, "url": d.url, "status": d.status,
        "attempts": d.attempts, "nextAttemptAt": d.next_attempt_at, "lastStatus": d.last_status, "lastError": d.last_error,
    })
}

#[utoipa::path(
    get,
    path = "/admin/events",
    tag = "events",
    params(
        ("instance" = Option<i64>, Query, description = "one instance's"),
        ("status" = Option<String>, Query, description = "received, processed, dropped, failed"),
        ("limit" = Option<usize>, Query, description = "at most this many (100; up to 1000)"),
    ),
    responses(
        (status = 200, description = "received webhooks, newest first", body = [Event]),
    )
)]
async fn events(
    request: HttpRequest,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let listed = state.store.events(&filter_of(&request)).await;
    let listed = listed.map(|events| {
        HttpResponse::Ok().json(
            events
                .iter()
                .map(|e| event_json(e, false))
                .collect::<Vec<_>>(),
        )
    });
    error::reply(&request_id, listed)
}

#[utoipa::path(
    get,
    path = "/admin/events/{id}",
    tag = "events",
    params(
        ("id" = i64, Path),
    ),
    responses(
        (status = 200, description = "the event with its payload", body = Event),
        (status = 404, body = ErrorBody),
    )
)]
async fn event(state: web::Data<State>, id: web::Path<i64>, request_id: RequestId) -> HttpResponse {
    let found = match state.store.event(*id).await {
        Ok(Some(event)) => Ok(HttpResponse::Ok().json(event_json(&event, true))),
        Ok(None) => Err(Failure::NotFound(format!("no event {id}"))),
        Err(e) => Err(e.into()),
    };
    error::reply(&request_id, found)
}

#[utoipa::path(
    post,
    path = "/admin/events/{id}/replay",
    tag = "events",
    params(
        ("id" = i64, Path),
    ),
    responses(
        (status = 202, description = "normalized again; new deliveries get new ids", body = Object),
        (status = 404, body = ErrorBody),
    )
)]
async fn replay(
    state: web::Data<State>,
    id: web::Path<i64>,
    request_id: RequestId,
) -> HttpResponse {
    let replayed = match state.store.replay_event(*id).await {
        Ok(true) => {
            state.events_wakeup.notify_one();
            Ok(HttpResponse::Accepted().json(json!({"replaying": *id})))
        }
        Ok(false) => Err(Failure::NotFound(format!("no event {id}"))),
        Err(e) => Err(e.into()),
    };
    error::reply(&request_id, replayed)
}

#[utoipa::path(
    get,
    path = "/admin/deliveries",
    tag = "events",
    params(
        ("instance" = Option<i64>, Query),
        ("status" = Option<String>, Query, description = "pending, delivered, queued"),
        ("limit" = Option<usize>, Query),
    ),
    responses(
        (status = 200, body = [Delivery]),
    )
)]
async fn deliveries(
    request: HttpRequest,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let listed = state.store.deliveries(&filter_of(&request)).await;
    let listed = listed
        .map(|list| HttpResponse::Ok().json(list.iter().map(delivery_json).collect::<Vec<_>>()));
    error::reply(&request_id, listed)
}

#[utoipa::path(
    post,
    path = "/admin/deliveries/{id}/redeliver",
    tag = "events",
    params(
        ("id" = String, Path, description = "the Elements-Webhook-Id"),
    ),
    responses(
        (status = 202, description = "pending again", body = Object),
        (status = 404, body = ErrorBody),
    )
)]
async fn redeliver_one(
    state: web::Data<State>,
    id: web::Path<String>,
    request_id: RequestId,
) -> HttpResponse {
    error::reply(&request_id, redeliver(&state, Some(&id)).await)
}

#[utoipa::path(
    post,
    path = "/admin/deliveries/redeliver",
    tag = "events",
    responses(
        (status = 202, description = "every parked delivery pending again", body = Object),
    )
)]
async fn redeliver_all(state: web::Data<State>, request_id: RequestId) -> HttpResponse {
    error::reply(&request_id, redeliver(&state, None).await)
}

/// Re-deliver one delivery, or (`None`) every parked one.
async fn redeliver(state: &State, id: Option<&str>) -> Result<HttpResponse, Failure> {
    match state.store.redeliver(id, crate::clock::now_ms()).await? {
        0 if id.is_some() => Err(Failure::NotFound(format!(
            "no delivery {}",
            id.unwrap_or_default()
        ))),
        n => {
            state.events_wakeup.notify_one();
            Ok(HttpResponse::Accepted().json(json!({"redelivering": n})))
        }
    }
}
