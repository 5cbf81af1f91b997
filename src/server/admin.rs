//! The admin API: the admin token check in front of every `/admin` route, debug traces,
//! and the events and deliveries in the store.

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
        .route("/deliveries/{id}/redeliver", web::post().to(redeliver_one));
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

/// In front of every `/admin` route: without the admin token, 401; without an admin token
/// configured, 404.
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
        (on, on && is_admin(request.request(), &state.settings))
    });
    let refusal = match configured {
        Some((_, true)) => return next.call(request).await.map(|r| r.map_into_left_body()),
        Some((false, _)) | None => Failure::AdminOff,
        Some((true, false)) => Failure::AdminToken,
    };
    let response = error::respond(&refusal, &RequestId::of(request.request()), false);
    Ok(request.into_response(response).map_into_right_body())
}

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

async fn event(state: web::Data<State>, id: web::Path<i64>, request_id: RequestId) -> HttpResponse {
    let found = match state.store.event(*id).await {
        Ok(Some(event)) => Ok(HttpResponse::Ok().json(event_json(&event, true))),
        Ok(None) => Err(Failure::NotFound(format!("no event {id}"))),
        Err(e) => Err(e.into()),
    };
    error::reply(&request_id, found)
}

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

async fn redeliver_one(
    state: web::Data<State>,
    id: web::Path<String>,
    request_id: RequestId,
) -> HttpResponse {
    error::reply(&request_id, redeliver(&state, Some(&id)).await)
}

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
