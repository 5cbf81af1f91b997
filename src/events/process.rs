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
use crate::vendor::{VendorClient, VendorLimits, VendorRequest};

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

async fn normalize(state: &State, instance: &Arc<Instance>, event: &EventRecord) -> Outcome {
    let element = &instance.element;
    let webhook = super::ingest::Webhook {
        method: event.method.clone(),
        query: event.query.clone(),
        headers: event.headers.clone(),
        body: event.body.clone(),
    };
    let raw = super::ingest::payload(&webhook);
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
    let polled = event.method == "POLL";
    let items: Vec<Value> = match &element.hooks.event {
        None if polled => super::poll::default_events(&raw).unwrap_or_default(),
        None => vec![
            json!({"event_type": "UNKNOWN", "event_object_id": raw.get("id").cloned().unwrap_or(Value::Null)}),
        ],
        Some(script) => {
            let configuration = instance.configuration();
            let input = HookInput::Event(EventVars {
                events: &payload,
                configuration: &configuration,
            });
            let options = Options {
                context: Some((instance.id, Arc::as_ptr(element) as usize)),
                ..Options::default()
            };
            let limits = element.limits.unwrap_or(state.settings.hook_limits);
            let io = Dispatcher::real(state.settings.mail.clone());
            let run = hooks::run(script, input, limits, &io, options).await;
            // An event input always gives an event result.
            let result = match run.outcome.map(|o| o.result.event()) {
                Err(error) => return Outcome::Failed(format!("element {}: {error}", element.key)),
                Ok(None) => return Outcome::Failed(format!("element {}: {NoEvents}", element.key)),
                Ok(Some(result)) => result,
            };
            if let Some(changes) = &result.configuration {
                if let Err(e) = instance
                    .write_configuration(state.store.as_ref(), changes)
                    .await
                {
                    return Outcome::Failed(e.to_string());
                }
            }
            if !result.continue_ {
                return Outcome::Dropped;
            }
            match result.events {
                Ok(Events::List(items)) => items,
                Ok(Events::Unset) => vec![
                    json!({"event_type": "UNKNOWN", "event_object_id": raw.get("id").cloned().unwrap_or(Value::Null)}),
                ],
                Err(error) => return Outcome::Failed(format!("element {}: {error}", element.key)),
            }
        }
    };
    let received = crate::clock::iso(event.received_at);
    let normalized: Vec<Value> = items
        .into_iter()
        .map(|item| {
            let mut out = Map::new();
            out.insert(
                "objectType".into(),
                item.get("event_object_type")
                    .cloned()
                    .unwrap_or(Value::Null),
            );
            out.insert(
                "objectId".into(),
                item.get("event_object_id")
                    .map(|v| {
                        if v.is_null() {
                            Value::Null
                        } else {
                            json!(value_text(v))
                        }
                    })
                    .unwrap_or(Value::Null),
            );
            out.insert(
                "eventType".into(),
                json!(event_type(item.get("event_type"))),
            );
            out.insert("elementKey".into(), json!(element.key));
            out.insert(
                "date".into(),
                item.get("event_date")
                    .filter(|d| !d.is_null())
                    .cloned()
                    .unwrap_or_else(|| json!(received)),
            );
            if let Some(extra) = item.as_object() {
                for (k, v) in extra {
                    if ![
                        "event_object_type",
                        "event_object_id",
                        "event_type",
                        "event_date",
                    ]
                    .contains(&k.as_str())
                    {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            Value::Object(out)
        })
        .collect();
    let configuration = instance.configuration();
    let enabled = configuration
        .get("event.notification.enabled")
        .is_some_and(|v| v == &json!(true) || v == &json!("true"));
    let url = configuration
        .get("event.notification.callback.url")
        .map(value_text)
        .filter(|u| !u.is_empty());
    let mut deliveries = Vec::new();
    if let (true, Some(url)) = (enabled, url) {
        let now = now_ms();
        for (n, chunk) in normalized.chunks(EVENTS_PER_NOTIFICATION).enumerate() {
            let message = json!({"message": {"eventId": event.id.to_string(), "instanceId": instance.id, "elementKey": element.key, "events": chunk, "raw": raw}});
            deliveries.push(DeliveryRecord {
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
            });
        }
        state.events_wakeup.notify_one();
    }
    Outcome::Normalized(normalized, deliveries)
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
    let (wait_at_least, outcome) = match client.send(request).await {
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
