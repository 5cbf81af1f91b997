//! The events worker: normalizes received events through the element's event hook and
//! delivers notifications, with retries, from the store — so a restart resumes where the
//! last process stopped. It runs on a thread of its own with its own hook engine.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{json, Map, Value};

use super::signature;
use crate::clock::now_ms;
use crate::element::template::value_text;
use crate::hooks::{self, Dispatcher, EventVars, Events, HookInput, NoEvents, Options};
use crate::instance::Instance;
use crate::settings::DeliverySettings;
use crate::state::State;
use crate::store::{DeliveryRecord, EventRecord};
use crate::telemetry;
use crate::vendor::{VendorClient, VendorError, VendorLimits, VendorRequest, VendorResponse};

/// At most this many events go into one notification (Cloud Elements' limit).
const EVENTS_PER_NOTIFICATION: usize = 20;
/// Deliveries sent at once by the worker.
const PARALLEL_DELIVERIES: usize = 16;

/// Start the worker thread; it stops when `state` is told to stop.
pub fn spawn(state: Arc<State>) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("elemental-events".into())
        .spawn(move || {
            actix_rt::System::new().block_on(async move {
                let limits = VendorLimits {
                    total: state.settings.delivery.timeout,
                    ..VendorLimits::default()
                };
                let client = VendorClient::new(limits);
                while !state.stopping.load(Ordering::Acquire) {
                    let worked = super::poll::poll_due(&state, &client).await
                        + normalize_received(&state).await
                        + deliver_due(&state, &client).await;
                    if worked == 0 {
                        let wait = match state.store.next_delivery_at().await {
                            Ok(Some(at)) => {
                                Duration::from_millis((at - now_ms()).clamp(1, 1000) as u64)
                            }
                            _ => state.settings.delivery.poll,
                        }
                        .min(state.settings.delivery.poll);
                        let _ = actix_rt::time::timeout(wait, state.events_wakeup.notified()).await;
                    }
                }
            })
        })
}

/// Normalize a batch of received events; returns how many were handled.
async fn normalize_received(state: &State) -> usize {
    let events = match state.store.received_events(64).await {
        Ok(events) => events,
        Err(e) => {
            tracing::error!("events: cannot read received events: {e}");
            return 0;
        }
    };
    let count = events.len();
    for event in events {
        let loaded = state.current();
        let outcome = match loaded.instances.by_id(event.instance_id) {
            Some(instance) => normalize(state, instance, &event).await,
            None => Outcome::Failed(format!("instance {} no longer exists", event.instance_id)),
        };
        let (status, error, normalized, deliveries) = match outcome {
            Outcome::Failed(error) => ("failed", Some(error), None, Vec::new()),
            Outcome::Dropped => ("dropped", None, None, Vec::new()),
            Outcome::Normalized(list, deliveries) => {
                ("processed", None, Some(Value::Array(list)), deliveries)
            }
        };
        if let Some(error) = &error {
            tracing::warn!(event = event.id, element = %event.element, "event failed: {error}");
        }
        let finished = state.store.finish_event(
            event.id,
            status,
            error.as_deref(),
            normalized.as_ref(),
            &deliveries,
        );
        if let Err(e) = finished.await {
            tracing::error!(event = event.id, "events: cannot record the outcome: {e}");
        }
    }
    count
}

enum Outcome {
    Normalized(Vec<Value>, Vec<DeliveryRecord>),
    Dropped,
    Failed(String),
}

/// The four event types; anything else is UNKNOWN.
fn event_type(value: Option<&Value>) -> &'static str {
    match value
        .and_then(Value::as_str)
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("CREATED") => "CREATED",
        Some("UPDATED") => "UPDATED",
        Some("DELETED") => "DELETED",
        _ => "UNKNOWN",
    }
}

/// Run the element's event hook on a received event and build its deliveries.
async fn normalize(state: &State, instance: &Arc<Instance>, event: &EventRecord) -> Outcome {
    let element = &instance.element;
    let webhook = super::ingest::Webhook {
        method: event.method.clone(),
        query: event.query.clone(),
        headers: event.headers.clone(),
        body: event.body.clone(),
    };
    let raw = super::ingest::payload(&webhook);
    let unknown = || {
        vec![
            json!({"event_type": "UNKNOWN", "event_object_id": raw.get("id").cloned().unwrap_or(Value::Null)}),
        ]
    };
    let items: Vec<Value> = match &element.hooks.event {
        None if event.method == "POLL" => super::poll::default_events(&raw).unwrap_or_default(),
        None => unknown(),
        Some(script) => {
            let payload = hook_payload(&raw, event);
            match run_event_hook(state, instance, script, &payload).await {
                Ok(Some(items)) => items,
                Ok(None) => unknown(),
                Err(outcome) => return outcome,
            }
        }
    };
    let received = crate::clock::iso(event.received_at);
    let normalized: Vec<Value> = items
        .into_iter()
        .map(|item| normalized_event(item, &element.key, &received))
        .collect();
    let deliveries = deliveries(instance, event, &normalized, &raw);
    if !deliveries.is_empty() {
        state.events_wakeup.notify_one();
    }
    Outcome::Normalized(normalized, deliveries)
}

/// What the event hook sees as `events`: the payload (an object, or `{body}` around
/// anything else) with `eventHeaders` and `eventId`.
fn hook_payload(raw: &Value, event: &EventRecord) -> Value {
    let mut payload = raw.clone();
    if !payload.is_object() {
        payload = json!({ "body": payload });
    }
    if let Some(map) = payload.as_object_mut() {
        let headers: Map<String, Value> = event
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        map.insert("eventHeaders".into(), Value::Object(headers));
        map.insert("eventId".into(), json!(event.id.to_string()));
    }
    payload
}

/// The event hook's events; `Ok(None)` when it gave none and was not called (one UNKNOWN
/// event then), `Err` with the outcome when it failed or dropped the event.
async fn run_event_hook(
    state: &State,
    instance: &Arc<Instance>,
    script: &hooks::Script,
    payload: &Value,
) -> Result<Option<Vec<Value>>, Outcome> {
    let element = &instance.element;
    let configuration = instance.configuration();
    let input = HookInput::Event(EventVars {
        events: payload,
        configuration: &configuration,
    });
    let options = Options {
        context: Some((instance.id, Arc::as_ptr(element) as usize)),
        ..Options::default()
    };
    // Event hooks are not gated: the events worker is one thread running one hook at a
    // time, background work that must wait, never be refused.
    let limits = element.limits.over(state.settings.hook_limits);
    let io = Dispatcher::real(state.settings.mail.clone())
        .with_parse_config(state.settings.parse.config.clone(), true);
    let run = hooks::run(script, input, limits, &io, options).await;
    let failed = |error: &dyn std::fmt::Display| {
        Outcome::Failed(format!("element {}: {error}", element.key))
    };
    // An event input always gives an event result.
    let result = match run.outcome.map(|o| o.result.event()) {
        Err(error) => return Err(failed(&error)),
        Ok(None) => return Err(failed(&NoEvents)),
        Ok(Some(result)) => result,
    };
    if let Some(changes) = &result.configuration {
        if let Err(e) = instance
            .write_configuration(state.store.as_ref(), changes)
            .await
        {
            return Err(Outcome::Failed(e.to_string()));
        }
    }
    if !result.continue_ {
        return Err(Outcome::Dropped);
    }
    match result.events {
        Ok(Events::List(items)) => Ok(Some(items)),
        Ok(Events::Unset) => Ok(None),
        Err(error) => Err(failed(&error)),
    }
}

/// One event as subscribers get it: `objectType`, `objectId`, `eventType`, `elementKey`,
/// `date`, and every extra field the hook gave.
fn normalized_event(item: Value, element: &str, received: &str) -> Value {
    let mut out = Map::new();
    out.insert(
        "objectType".into(),
        item.get("event_object_type")
            .cloned()
            .unwrap_or(Value::Null),
    );
    let id = match item.get("event_object_id") {
        None | Some(Value::Null) => Value::Null,
        Some(v) => json!(value_text(v)),
    };
    out.insert("objectId".into(), id);
    out.insert(
        "eventType".into(),
        json!(event_type(item.get("event_type"))),
    );
    out.insert("elementKey".into(), json!(element));
    out.insert(
        "date".into(),
        item.get("event_date")
            .filter(|d| !d.is_null())
            .cloned()
            .unwrap_or_else(|| json!(received)),
    );
    if let Value::Object(extra) = item {
        const OWN: [&str; 4] = [
            "event_object_type",
            "event_object_id",
            "event_type",
            "event_date",
        ];
        for (k, v) in extra {
            if !OWN.contains(&k.as_str()) {
                out.insert(k, v);
            }
        }
    }
    Value::Object(out)
}

/// The notifications of an event, at most `EVENTS_PER_NOTIFICATION` events each, when the
/// instance has notifications enabled and a callback URL.
fn deliveries(
    instance: &Instance,
    event: &EventRecord,
    normalized: &[Value],
    raw: &Value,
) -> Vec<DeliveryRecord> {
    let configuration = instance.configuration();
    let enabled = configuration
        .get("event.notification.enabled")
        .is_some_and(|v| v == &json!(true) || v == &json!("true"));
    let url = configuration
        .get("event.notification.callback.url")
        .map(value_text)
        .filter(|u| !u.is_empty());
    let (true, Some(url)) = (enabled, url) else {
        return Vec::new();
    };
    let now = now_ms();
    normalized
        .chunks(EVENTS_PER_NOTIFICATION)
        .enumerate()
        .map(|(n, chunk)| {
            let message = json!({"message": {"eventId": event.id.to_string(), "instanceId": instance.id, "elementKey": instance.element.key, "events": chunk, "raw": raw}});
            DeliveryRecord {
                id: format!("{}.{}.{}", event.id, event.generation, n),
                event_id: event.id,
                instance_id: instance.id,
                url: url.clone(),
                body: message.to_string().into_bytes(),
                status: "pending".into(),
                attempts: 0,
                next_attempt_at: now,
                last_status: None,
                last_error: None,
                created_at: now,
            }
        })
        .collect()
}

/// Send the deliveries that are due; returns how many were attempted.
async fn deliver_due(state: &State, client: &VendorClient) -> usize {
    let due = match state
        .store
        .due_deliveries(now_ms(), PARALLEL_DELIVERIES)
        .await
    {
        Ok(due) => due,
        Err(e) => {
            tracing::error!("events: cannot read due deliveries: {e}");
            return 0;
        }
    };
    let count = due.len();
    let sends = due
        .into_iter()
        .map(|delivery| deliver(state, client, delivery));
    for updated in futures_util::future::join_all(sends).await {
        if let Err(e) = state.store.update_delivery(&updated).await {
            tracing::error!(delivery = %updated.id, "events: cannot record the delivery: {e}");
        }
    }
    count
}

/// Seconds in a `Retry-After` header (the HTTP-date form is not honoured).
fn retry_after(headers: &[(String, String)]) -> Option<Duration> {
    headers
        .iter()
        .find(|(n, _)| n == "retry-after")
        .and_then(|(_, v)| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

async fn deliver(
    state: &State,
    client: &VendorClient,
    mut delivery: DeliveryRecord,
) -> DeliveryRecord {
    let loaded = state.current();
    let configuration = loaded
        .instances
        .by_id(delivery.instance_id)
        .map(|i| i.configuration())
        .unwrap_or_default();
    let request = VendorRequest {
        method: "POST".into(),
        url: delivery.url.clone(),
        headers: delivery_headers(&configuration, &delivery),
        body: Some(Bytes::from(delivery.body.clone())),
    };
    delivery.attempts += 1;
    let span = delivery_span(&delivery);
    let sent = telemetry::within(&span, client.send(request)).await;
    delivery_span_ended(span, &sent);
    let (wait_at_least, outcome) = match sent {
        Ok(response) if (200..300).contains(&response.status) => {
            delivery.status = "delivered".into();
            delivery.last_status = Some(i64::from(response.status));
            delivery.last_error = None;
            return delivery;
        }
        Ok(response) => (
            retry_after(&response.headers),
            (
                Some(i64::from(response.status)),
                format!("the subscriber answered {}", response.status),
            ),
        ),
        Err(e) => (None, (None, e.to_string())),
    };
    delivery.last_status = outcome.0;
    delivery.last_error = Some(outcome.1);
    schedule_retry(&mut delivery, state.settings.delivery, wait_at_least);
    delivery
}

/// The span of one delivery attempt, the root of its own trace (the event was received by
/// another request, perhaps in another process); its subscriber gets its `traceparent`.
/// Nothing when telemetry is off. Only the subscriber's host and port: a callback URL often
/// carries its secret in the path or the query (Slack's, Zapier's hooks).
fn delivery_span(delivery: &DeliveryRecord) -> telemetry::Span {
    if !telemetry::enabled() {
        return telemetry::Span::default();
    }
    let url = url::Url::parse(&delivery.url).ok();
    let host = url.as_ref().and_then(|u| u.host_str()).unwrap_or_default();
    let port = url.as_ref().and_then(url::Url::port_or_known_default);
    let attributes = vec![
        telemetry::attribute("http.request.method", "POST"),
        telemetry::attribute("server.address", host.to_string()),
        telemetry::attribute("server.port", i64::from(port.unwrap_or_default())),
        telemetry::attribute("elemental.delivery_id", delivery.id.clone()),
        telemetry::attribute("elemental.delivery.attempt", delivery.attempts),
        telemetry::attribute("elemental.instance_id", delivery.instance_id),
    ];
    telemetry::Span::child("delivery", telemetry::Kind::Client, attributes)
}

fn delivery_span_ended(span: telemetry::Span, sent: &Result<VendorResponse, VendorError>) {
    match sent {
        Ok(response) => {
            span.set("http.response.status_code", i64::from(response.status));
            if !(200..300).contains(&response.status) {
                span.fail(format!("the subscriber answered {}", response.status));
            }
        }
        Err(_) => span.fail("the subscriber could not be reached".into()),
    }
    span.end();
}

/// A delivery's headers: its id, and the signatures the instance's configuration asks for.
fn delivery_headers(
    configuration: &Map<String, Value>,
    delivery: &DeliveryRecord,
) -> Vec<(String, String)> {
    let mut headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        ("Elements-Webhook-Id".to_string(), delivery.id.clone()),
    ];
    if let Some(key) = configuration
        .get("event.notification.signature.key")
        .map(value_text)
        .filter(|k| !k.is_empty())
    {
        headers.push((
            "Elements-Webhook-Signature".into(),
            signature::sign_delivery(&key, &delivery.body),
        ));
    }
    if let Some(secret) = configuration
        .get("event.notification.webhook.secret")
        .map(value_text)
        .filter(|k| !k.is_empty())
    {
        let timestamp = now_ms() / 1000;
        headers.push(("webhook-id".into(), delivery.id.clone()));
        headers.push(("webhook-timestamp".into(), timestamp.to_string()));
        headers.push((
            "webhook-signature".into(),
            signature::sign_standard(&secret, &delivery.id, timestamp, &delivery.body),
        ));
    }
    headers
}

/// After a failed attempt: park the delivery as `queued` after its last try, else set when
/// the next one is due.
fn schedule_retry(
    delivery: &mut DeliveryRecord,
    settings: DeliverySettings,
    wait_at_least: Option<Duration>,
) {
    if delivery.attempts >= i64::from(settings.max_tries) {
        delivery.status = "queued".into();
        tracing::warn!(delivery = %delivery.id, attempts = delivery.attempts, "delivery parked as queued after its last try");
        return;
    }
    let exponent = u32::try_from(delivery.attempts - 1).unwrap_or(0).min(20);
    let backoff = settings
        .backoff
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(settings.max_backoff);
    // Full jitter on the upper half, so many failing deliveries do not retry in step.
    let jitter = backoff.mul_f64(0.5 + rand::random::<f64>() * 0.5);
    let wait = wait_at_least
        .map_or(jitter, |r| r.max(jitter))
        .min(settings.max_backoff.max(wait_at_least.unwrap_or_default()));
    delivery.next_attempt_at = now_ms() + wait.as_millis() as i64;
}
