//! Polling: for instances whose vendor sends no webhooks (`event.vendor.type: polling`), call
//! the element's own resources on a schedule and feed what changed through the same event
//! path — stored first, normalized by the event hook, delivered the same way.

use std::sync::Arc;

use bytes::Bytes;
use serde_json::{json, Map, Value};

use crate::element::template::{interpolate_poll_time, value_text};
use crate::instance::Instance;
use crate::pipeline::{self, Call, Inbound};
use crate::state::State;
use crate::store::EventRecord;
use crate::telemetry;
use crate::vendor::VendorClient;

/// One polled object of `event.poller.configuration` (Cloud Elements' format):
/// `{"contacts": {"url": "/hubs/crm/contacts?where=…${gmtDate:…}…", "idField": "id",
///   "datesConfiguration": {"createdDateField": "created_at", "updatedDateField": "updated_at"}}}`.
#[derive(Debug, Clone)]
struct Polled {
    object: String,
    url: String,
    id_field: String,
    created_field: Option<String>,
    updated_field: Option<String>,
}

fn configuration_of(instance: &Instance) -> Option<(Vec<Polled>, i64)> {
    let configuration = instance.configuration();
    if configuration
        .get("event.vendor.type")
        .map(value_text)
        .as_deref()
        != Some("polling")
    {
        return None;
    }
    let raw = configuration.get("event.poller.configuration")?;
    let parsed: Value = match raw {
        Value::String(text) => serde_json::from_str(text).ok()?,
        other => other.clone(),
    };
    let objects = parsed
        .as_object()?
        .iter()
        .filter_map(|(object, spec)| {
            let dates = spec.get("datesConfiguration");
            let field = |name: &str| {
                dates
                    .and_then(|d| d.get(name))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            Some(Polled {
                object: object.clone(),
                url: spec.get("url")?.as_str()?.to_string(),
                id_field: spec
                    .get("idField")
                    .and_then(Value::as_str)
                    .unwrap_or("id")
                    .to_string(),
                created_field: field("createdDateField"),
                updated_field: field("updatedDateField"),
            })
        })
        .collect();
    // Minutes, as Cloud Elements has it; fractions allowed (tests poll every few hundred ms).
    let minutes: f64 = configuration
        .get("event.poller.refresh_interval")
        .map(value_text)
        .and_then(|m| m.parse().ok())
        .unwrap_or(15.0);
    Some((objects, (minutes.max(0.001) * 60_000.0) as i64))
}

/// Poll every instance whose time has come; returns how many objects were polled.
pub async fn poll_due(state: &State, client: &VendorClient) -> usize {
    let loaded = state.current();
    let mut polled = 0;
    for instance in loaded.instances.all() {
        let Some((objects, interval)) = configuration_of(instance) else {
            continue;
        };
        for object in objects {
            // Several nodes on one database: the node holding this poller's lease polls it.
            let name = format!("poller {} {}", instance.id, object.object);
            match state.store.lease(&name).await {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    tracing::error!("poller: {e}");
                    continue;
                }
            }
            let now = crate::clock::now_ms();
            let last = match state.store.last_poll(instance.id, &object.object).await {
                Ok(last) => last,
                Err(e) => {
                    tracing::error!("poller: {e}");
                    continue;
                }
            };
            if last.is_some_and(|at| now - at < interval) {
                continue;
            }
            // The first poll looks back one interval.
            let since = last.unwrap_or(now - interval);
            polled += 1;
            let span = poll_span(instance.id, &object.object);
            let polling = poll_one(state, client, instance, &object, since, now);
            let result = telemetry::within(&span, polling).await;
            if result.is_err() {
                span.fail("the poll failed".into());
            }
            span.end();
            match result {
                Ok(()) => {
                    let done = state.store.set_last_poll(instance.id, &object.object, now);
                    if let Err(e) = done.await {
                        tracing::error!("poller: {e}");
                    }
                }
                // The time is not advanced, so the next poll covers what this one missed.
                Err(e) => {
                    tracing::warn!(instance = instance.id, object = %object.object, "poll failed: {e}")
                }
            }
        }
    }
    polled
}

/// The span of one poll, the parent of its hooks' and vendor calls' spans (nothing when
/// telemetry is off).
fn poll_span(instance: i64, object: &str) -> telemetry::Span {
    if !telemetry::enabled() {
        return telemetry::Span::default();
    }
    let attributes = vec![
        telemetry::attribute("elemental.instance_id", instance),
        telemetry::attribute("elemental.object", object.to_string()),
    ];
    telemetry::Span::child("poll", telemetry::Kind::Internal, attributes)
}

/// Poll one object of an instance: the records changed since `since`, stored as one event.
async fn poll_one(
    state: &State,
    client: &VendorClient,
    instance: &Arc<Instance>,
    object: &Polled,
    since: i64,
    now: i64,
) -> Result<(), String> {
    let records = fetch(state, client, instance, object, since).await?;
    let Some(payload) = changes(records, object, since) else {
        return Ok(());
    };
    let record = EventRecord {
        id: 0,
        element: instance.element.key.clone(),
        instance_id: instance.id,
        method: "POLL".into(),
        headers: vec![("x-elemental-poll".into(), object.object.clone())],
        query: String::new(),
        body: Value::Object(payload).to_string().into_bytes(),
        received_at: now,
        status: "received".into(),
        error: None,
        generation: 0,
        normalized: None,
    };
    state
        .store
        .insert_event(&record)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The object's records, as the element's own resource answers for changes since `since`.
async fn fetch(
    state: &State,
    client: &VendorClient,
    instance: &Arc<Instance>,
    object: &Polled,
    since: i64,
) -> Result<Vec<Value>, String> {
    let url = interpolate_poll_time(&object.url, since);
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let query = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let inbound = Inbound {
        method: "GET".into(),
        path: path.to_string(),
        query,
        headers: Vec::new(),
        body: Bytes::new(),
    };
    let call = Call {
        request_id: "poller",
        instance,
        store: state.store.as_ref(),
        vendor: client,
        settings: &state.settings,
        metrics: &state.metrics,
        trace: None,
        // Background work: polling waits its turn, it is not refused.
        admission: None,
    };
    let answer = pipeline::handle(&call, inbound)
        .await
        .map_err(|e| e.to_string())?;
    let body: Value = serde_json::from_slice(&answer.body)
        .map_err(|e| format!("the {} resource did not answer JSON: {e}", object.object))?;
    Ok(match body {
        Value::Array(records) => records,
        Value::Object(ref map) => map
            .get(&object.object)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_else(|| vec![body.clone()]),
        _ => Vec::new(),
    })
}

/// The payload of the event for the records changed since `since`, each typed CREATED or
/// UPDATED by its dates; `None` when nothing changed.
fn changes(records: Vec<Value>, object: &Polled, since: i64) -> Option<Map<String, Value>> {
    let date = |record: &Value, field: &Option<String>| {
        field
            .as_ref()
            .and_then(|f| record.get(f))
            .map(value_text)
            .and_then(|t| crate::clock::parse(&t))
    };
    let mut types = Map::new();
    let mut changed = Vec::new();
    for record in records {
        let kind = match (
            date(&record, &object.created_field),
            date(&record, &object.updated_field),
        ) {
            (Some(created), _) if created > since => "CREATED",
            (_, Some(updated)) if updated > since => "UPDATED",
            (None, None) => "UPDATED",
            _ => continue, // not changed since the last poll
        };
        let id = record
            .get(&object.id_field)
            .map(value_text)
            .unwrap_or_default();
        types.insert(id, json!(kind));
        changed.push(record);
    }
    if changed.is_empty() {
        return None;
    }
    let mut payload = Map::new();
    payload.insert("objectType".into(), json!(object.object));
    payload.insert(object.object.clone(), Value::Array(changed));
    payload.insert("eventTypes".into(), Value::Object(types));
    payload.insert("idField".into(), json!(object.id_field));
    Some(payload)
}

/// The events of a polled payload when the element has no event hook: one per record,
/// typed by the poller's classification.
pub fn default_events(payload: &Value) -> Option<Vec<Value>> {
    let object = payload.get("objectType")?.as_str()?;
    let id_field = payload
        .get("idField")
        .and_then(Value::as_str)
        .unwrap_or("id");
    let types = payload.get("eventTypes");
    Some(
        payload
            .get(object)?
            .as_array()?
            .iter()
            .map(|record| {
                let id = record.get(id_field).map(value_text).unwrap_or_default();
                let kind = types
                    .and_then(|t| t.get(&id))
                    .cloned()
                    .unwrap_or(json!("UPDATED"));
                json!({"event_type": kind, "event_object_type": object, "event_object_id": id})
            })
            .collect(),
    )
}
