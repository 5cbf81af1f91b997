//! Hooks outside the script engine (CONTRACT §6, Parse's cloud code webhooks): the hook's
//! variables POSTed as one JSON object to the webhook's URL with `X-Elements-Webhook-Key`, and
//! its answer read as the hook's result, so a hook can be written in any language.

use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::{Map, Value};

use super::cloud::{CloudAnswer, CloudCall, CloudRun};
use super::contract::{HookInput, HookResult, Kind};
use super::error::HookError;
use super::outcome::{OutboundCall, Outcome, Raw, Run};
use super::{Limits, Options, Script};
use crate::telemetry;
use crate::vendor::{send_hook_request, HookRequest};

/// The header the key travels in (and Parse's, sent too, for Parse webhook servers).
pub const KEY_HEADER: &str = "X-Elements-Webhook-Key";
const PARSE_KEY_HEADER: &str = "X-Parse-Webhook-Key";
/// A webhook's time limit unless it sets its own (always within the hook's).
pub const DEFAULT_TIME: Duration = Duration::from_secs(30);
/// The largest answer read.
const MAX_ANSWER: usize = 10 * 1024 * 1024;

/// Where a webhook hook is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub url: String,
    pub key: String,
    pub time: Duration,
}

/// Run `script`'s webhook with `input`: its answer is the hook's result.
pub(super) async fn run(
    script: &Script,
    webhook: &Webhook,
    input: HookInput<'_>,
    limits: Limits,
    options: Options,
) -> Run {
    let kind = input.kind();
    let started = Instant::now();
    let body = payload(&input);
    let trigger = body.contains_key("triggerName");
    let sent = post(script, webhook, Value::Object(body), limits).await;
    let outbound = vec![sent_call(webhook, &sent, started)];
    let outcome = sent.and_then(|(_, answer)| read(script, kind, answer, options.raw, trigger));
    Run {
        outcome: outcome.map(|mut outcome| {
            outcome.outbound = outbound;
            outcome
        }),
        console: Vec::new(),
    }
}

/// Call the cloud function `call` served by `webhook` (Parse's Cloud Code Webhooks): Parse's
/// payload `{master, installationId?, params, functionName}`; the answer `{"success": …}` is
/// the function's result and `{"error": "…"}` its error, as Parse reads them.
pub async fn run_function(
    script: &Script,
    webhook: &Webhook,
    call: &CloudCall,
    limits: Limits,
) -> CloudRun {
    let started = Instant::now();
    let mut body = Map::new();
    body.insert("master".into(), Value::Bool(call.master));
    if let Some(installation) = &call.installation_id {
        body.insert("installationId".into(), Value::String(installation.clone()));
    }
    body.insert("params".into(), call.params.clone());
    body.insert("functionName".into(), Value::String(call.name.clone()));
    let sent = post(script, webhook, Value::Object(body), limits).await;
    let outbound = vec![sent_call(webhook, &sent, started)];
    let answer = sent.and_then(|(_, answer)| match answer {
        Value::Object(mut map) => match (map.remove("success"), map.remove("error")) {
            (_, Some(error)) => Ok(CloudAnswer::Error {
                code: 141,
                message: crate::element::template::value_text(&error),
            }),
            (Some(result), None) => Ok(CloudAnswer::Result(
                serde_json::json!({ "result": result }).to_string(),
            )),
            (None, None) => Err(bad_answer(script, "neither \"success\" nor \"error\"")),
        },
        _ => Err(bad_answer(script, "JSON that is not an object")),
    });
    CloudRun {
        answer,
        console: Vec::new(),
        outbound,
    }
}

fn bad_answer(script: &Script, what: &str) -> HookError {
    HookError::BadResult {
        hook: script.label.clone(),
        message: format!("the webhook answered {what}"),
    }
}

/// The webhook call as the debug trace shows it (the URL's secrets masked).
fn sent_call(
    webhook: &Webhook,
    sent: &Result<(u16, Value), HookError>,
    started: Instant,
) -> OutboundCall {
    OutboundCall {
        kind: "webhook".into(),
        target: format!("POST {}", crate::trace::mask_url(&webhook.url)),
        status: sent.as_ref().ok().map(|(status, _)| *status),
        error: sent.as_ref().err().map(|e| e.to_string()),
        micros: started.elapsed().as_micros() as u64,
    }
}

/// POST `body`; the status and the parsed answer of a 2xx.
async fn post(
    script: &Script,
    webhook: &Webhook,
    body: Value,
    limits: Limits,
) -> Result<(u16, Value), HookError> {
    let failed = |message: String| HookError::BadResult {
        hook: script.label.clone(),
        message: format!(
            "webhook {}: {message}",
            crate::trace::mask_url(&webhook.url)
        ),
    };
    if !allowed(script, &webhook.url) {
        return Err(failed(
            "only https is allowed, except for hosts opened with --allow-host".into(),
        ));
    }
    let time = webhook.time.min(limits.time);
    let span = webhook_span(webhook);
    let mut headers = vec![
        ("Content-Type".into(), "application/json".into()),
        (KEY_HEADER.into(), webhook.key.clone()),
        (PARSE_KEY_HEADER.into(), webhook.key.clone()),
    ];
    headers.extend(span.propagation());
    let request = HookRequest {
        method: "POST".into(),
        url: webhook.url.clone(),
        headers,
        body: Some(Bytes::from(body.to_string())),
        timeout: time,
        follow_redirects: false,
        max_body: MAX_ANSWER,
    };
    let response = send_hook_request(&script.egress, request).await;
    if let Some(status) = response.as_ref().ok().map(|r| r.status) {
        span.set("http.response.status_code", i64::from(status));
    }
    if !response
        .as_ref()
        .is_ok_and(|r| (200..=299).contains(&r.status))
    {
        span.fail("the webhook failed".into());
    }
    span.end();
    let response = response.map_err(|e| match e.contains("timed out") {
        true => HookError::Timeout {
            hook: script.label.clone(),
            budget_ms: time.as_millis(),
        },
        false => failed(e),
    })?;
    if !(200..=299).contains(&response.status) {
        let text: String = String::from_utf8_lossy(&response.body)
            .chars()
            .take(512)
            .collect();
        return Err(failed(format!("answered {}: {text}", response.status)));
    }
    let answer = serde_json::from_slice(&response.body)
        .map_err(|e| failed(format!("answered no JSON: {e}")))?;
    Ok((response.status, answer))
}

/// The client span of a webhook call, under the hook's span (nothing when telemetry is off).
/// The URL is masked; the key is never on it.
fn webhook_span(webhook: &Webhook) -> telemetry::Span {
    if !telemetry::enabled() {
        return telemetry::Span::default();
    }
    let attributes = vec![
        telemetry::attribute("http.request.method", "POST"),
        telemetry::attribute("url.full", crate::trace::mask_url(&webhook.url)),
    ];
    telemetry::Span::child("webhook POST", telemetry::Kind::Client, attributes)
}

/// Plain http only to the hosts the server opened (local development, tests).
fn allowed(script: &Script, url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    match parsed.scheme() {
        "https" => true,
        "http" => parsed
            .host_str()
            .is_some_and(|host| script.egress.open_hosts.iter().any(|h| h == host)),
        _ => false,
    }
}

/// Every variable of the hook's kind; for a request hook of a saving or deleting resource,
/// Parse's `triggerName` and `object` (the caller's body) too.
fn payload(input: &HookInput<'_>) -> Map<String, Value> {
    let mut body = input.to_json();
    let method = body
        .get("request_method")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_uppercase();
    let trigger = match (input.kind(), method.as_str()) {
        (Kind::PreRequest, "POST" | "PUT" | "PATCH") => Some("beforeSave"),
        (Kind::PostRequest, "POST" | "PUT" | "PATCH") => Some("afterSave"),
        (Kind::PreRequest, "DELETE") => Some("beforeDelete"),
        (Kind::PostRequest, "DELETE") => Some("afterDelete"),
        _ => None,
    };
    if let Some(trigger) = trigger {
        let object = body.get("request_body_map").cloned().unwrap_or(Value::Null);
        body.insert("triggerName".into(), Value::String(trigger.into()));
        body.insert("object".into(), object);
    }
    body
}

/// The answer as the hook's result: a `done()` result object, `{"success": <result or
/// true>}`, or `{"error": "<message>"}` (an error answer naming the hook; an event hook
/// fails). After a `triggerName` of beforeSave, a success object that names no done() key is
/// Parse's object to save instead: the vendor gets it as the body.
fn read(
    script: &Script,
    kind: Kind,
    answer: Value,
    raw: bool,
    trigger: bool,
) -> Result<Outcome, HookError> {
    let Value::Object(mut map) = answer else {
        return Err(HookError::BadResult {
            hook: script.label.clone(),
            message: "the webhook answered JSON that is not an object".into(),
        });
    };
    let result = if let Some(error) = map.remove("error") {
        let message = format!(
            "{}: {}",
            script.label,
            crate::element::template::value_text(&error)
        );
        if kind == Kind::Event {
            return Err(HookError::BadResult {
                hook: script.label.clone(),
                message: format!("the webhook answered an error: {message}"),
            });
        }
        let mut result = Map::new();
        result.insert("response_error_message".into(), Value::String(message));
        result.insert("response_status_code".into(), Value::from(400));
        // Before the vendor: the call stops here, as Parse's refused beforeSave does.
        if kind == Kind::PreRequest {
            result.insert("continue".into(), Value::Bool(false));
        }
        Some(result)
    } else {
        match map.remove("success") {
            Some(Value::Object(object))
                if trigger && kind == Kind::PreRequest && !names_done_keys(&object) =>
            {
                let mut result = Map::new();
                result.insert("request_vendor_body".into(), Value::Object(object));
                Some(result)
            }
            Some(Value::Object(result)) => Some(result),
            Some(_) => None,
            None => Some(map),
        }
    };
    let done = result.clone().map(Value::Object).unwrap_or(Value::Null);
    Ok(Outcome {
        called: true,
        raw: raw.then(|| Raw {
            done,
            result: result.clone(),
        }),
        result: HookResult::parse(kind, true, result),
        outbound: Vec::new(),
    })
}

/// Whether an answer object reads as a done() result rather than a record: its keys are the
/// contract's (`continue`, `configuration`, `request_…`, `response_…`).
fn names_done_keys(object: &Map<String, Value>) -> bool {
    object.keys().any(|key| {
        key == "continue"
            || key == "configuration"
            || key.starts_with("request_")
            || key.starts_with("response_")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn script(open: &[&str]) -> Script {
        Script {
            egress: std::sync::Arc::new(crate::egress::Policy {
                open_hosts: open.iter().map(|h| h.to_string()).collect(),
                only_hosts: Vec::new(),
            }),
            ..Script::new(
                "global preRequest",
                super::super::Origin::file("e.yaml"),
                "",
            )
        }
    }

    #[test]
    fn plain_http_goes_only_to_opened_hosts() {
        let opened = script(&["127.0.0.1"]);
        assert!(allowed(&opened, "https://hooks.example.com/x"));
        assert!(allowed(&opened, "http://127.0.0.1:9000/x"));
        assert!(!allowed(&opened, "http://hooks.example.com/x"));
        assert!(!allowed(&opened, "ftp://127.0.0.1/x"));
        assert!(!allowed(&opened, "not a url"));
    }

    #[test]
    fn the_three_answer_forms_are_read() {
        let s = script(&[]);
        let read_pre = |answer| read(&s, Kind::PreRequest, answer, true, false).map(|o| o.raw);
        let done = read_pre(json!({"request_vendor_headers": {"A": "1"}}));
        assert_eq!(
            done.ok().flatten().and_then(|r| r.result),
            json!({"request_vendor_headers": {"A": "1"}})
                .as_object()
                .cloned()
        );
        let success = read_pre(json!({"success": {"continue": false}}));
        assert_eq!(
            success.ok().flatten().and_then(|r| r.result),
            json!({"continue": false}).as_object().cloned()
        );
        assert_eq!(
            read_pre(json!({"success": true}))
                .ok()
                .flatten()
                .and_then(|r| r.result),
            None
        );
        let error = read_pre(json!({"error": "no"}))
            .ok()
            .flatten()
            .and_then(|r| r.result);
        assert_eq!(
            error.and_then(|r| r.get("response_error_message").cloned()),
            Some(json!("global preRequest: no"))
        );
        assert!(read(&s, Kind::Event, json!({"error": "no"}), false, false).is_err());
        assert!(read(&s, Kind::PreRequest, json!([1]), false, false).is_err());
    }

    #[test]
    fn a_before_save_success_object_is_the_body_to_save() {
        let s = script(&[]);
        let review = json!({"className": "Review", "comment": "short"});
        let saved = read(&s, Kind::PreRequest, json!({"success": review}), true, true);
        assert_eq!(
            saved.ok().and_then(|o| o.raw).and_then(|r| r.result),
            json!({"request_vendor_body": review}).as_object().cloned()
        );
        // A done() result stays one, trigger or not.
        let done = json!({"success": {"continue": false}});
        let read_done = read(&s, Kind::PreRequest, done, true, true);
        assert_eq!(
            read_done.ok().and_then(|o| o.raw).and_then(|r| r.result),
            json!({"continue": false}).as_object().cloned()
        );
    }
}
