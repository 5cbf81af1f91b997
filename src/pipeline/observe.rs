//! The one observer of a request's phases: metrics, the debug trace and hooks' console
//! lines, so the phases themselves only do their work.

use std::time::Duration;

use serde_json::{json, Map, Value};

use super::exchange::push_multi;
use super::Call;
use crate::hooks::{self, ConsoleLine, HookError, HookInput, Kind, Script};
use crate::telemetry::{self, attribute};
use crate::vendor::{VendorError, VendorRequest, VendorResponse};

/// A hook ran (whether it succeeded or not): its timing, outbound calls, console lines and,
/// when debugging, what it saw and did.
pub(super) fn hook_ran(
    call: &Call<'_>,
    element: &str,
    script: &Script,
    kind: Kind,
    input: &HookInput<'_>,
    run: &mut hooks::Run,
    took: Duration,
) {
    call.metrics.hook(kind.as_str(), took);
    log_console(&script.label, &run.console);
    if let Ok(outcome) = &run.outcome {
        for made in &outcome.outbound {
            let status = match (made.status, &made.error) {
                (Some(status), _) => status.to_string(),
                (None, Some(_)) => "error".to_string(),
                (None, None) => "sent".to_string(),
            };
            let took = Duration::from_micros(made.micros);
            call.metrics.outbound(element, &made.kind, &status, took);
        }
    }
    if let Some(trace) = call.trace {
        trace
            .borrow_mut()
            .push(hook_trace(script, input, run, took));
    }
}

/// The OpenTelemetry span of one hook run, a child of the request's (nothing when off).
pub(super) fn hook_span(script: &Script, kind: Kind) -> telemetry::Span {
    if !telemetry::enabled() {
        return telemetry::Span::default();
    }
    let attributes = vec![
        attribute("elemental.hook", script.label.clone()),
        attribute("elemental.hook.kind", kind.as_str()),
        attribute("elemental.hook.webhook", script.webhook.is_some()),
    ];
    telemetry::Span::child(
        format!("hook {}", kind.as_str()),
        telemetry::Kind::Internal,
        attributes,
    )
}

/// How the hook ended, on its span: `ok`, or its failure's class (script, timeout, ...).
pub(super) fn hook_span_ended(span: telemetry::Span, run: &hooks::Run) {
    if !span.is_on() {
        return;
    }
    match &run.outcome {
        Ok(outcome) => {
            span.set("elemental.hook.outcome", "ok");
            span.set("elemental.hook.called_done", outcome.called);
        }
        Err(error) => {
            span.set("elemental.hook.outcome", error.class().as_str());
            span.fail(error.class().as_str().to_string());
        }
    }
    span.end();
}

/// The client span of one vendor call, current while it is sent so that the vendor gets
/// its `traceparent` (nothing when off). The URL is masked.
pub(super) fn vendor_span(call: &Call<'_>, request: &VendorRequest) -> telemetry::Span {
    if !telemetry::enabled() {
        return telemetry::Span::default();
    }
    let attributes = vec![
        attribute("http.request.method", request.method.clone()),
        attribute("url.full", masked_url(call, &request.url)),
    ];
    telemetry::Span::child(
        format!("vendor {}", request.method),
        telemetry::Kind::Client,
        attributes,
    )
}

/// The vendor's status (or why it was not reached) on its span.
pub(super) fn vendor_span_ended(span: telemetry::Span, sent: &Result<VendorResponse, VendorError>) {
    if !span.is_on() {
        return;
    }
    match sent {
        Ok(response) => {
            span.set("http.response.status_code", i64::from(response.status));
            if response.status >= 500 {
                span.fail(format!("the vendor answered {}", response.status));
            }
        }
        // Not the error's text: it names the URL, query and all.
        Err(error) => span.fail(vendor_failure(error).into()),
    }
    span.end();
}

/// A URL for a span: credential parameters masked, and any secret configuration value of
/// the instance (an API key an element puts in the query or the path) too.
fn masked_url(call: &Call<'_>, url: &str) -> String {
    let instance = call.instance;
    let configuration = instance.configuration();
    let secrets: Vec<String> = instance
        .element
        .secret_keys()
        .iter()
        .filter_map(|k| configuration.get(k))
        .map(crate::element::template::value_text)
        .collect();
    let mut masked = Value::String(crate::trace::mask_url(url));
    crate::trace::mask(&mut masked, &[], &secrets);
    match masked {
        Value::String(text) => text,
        _ => String::new(),
    }
}

/// A vendor failure in words that carry no URL (its query may hold a key).
fn vendor_failure(error: &VendorError) -> &'static str {
    match error {
        VendorError::BadUrl(_) => "bad URL",
        VendorError::BadMethod(_) => "bad method",
        VendorError::BadHeader(_) => "bad header",
        VendorError::Connect { .. } => "could not connect",
        VendorError::Timeout(_) => "timed out",
        VendorError::TooLarge(_) => "response too large",
        VendorError::Invalid(_) => "invalid response",
    }
}

/// A hook failed: counted by its class and logged (the caller's answer is decided elsewhere).
pub(super) fn hook_failed(call: &Call<'_>, element: &str, script: &Script, error: &HookError) {
    call.metrics.hook_failure(element, error.class().as_str());
    tracing::warn!(hook = %script.label, element = %element, error = %error, "hook failed");
}

/// The summary of a vendor request for the trace, taken before it is sent (sending consumes
/// it); `None` when not debugging.
pub(super) fn vendor_request(call: &Call<'_>, request: &VendorRequest) -> Option<Value> {
    let url = crate::trace::mask_url(&request.url);
    tracing::debug!(method = %request.method, %url, "calling the vendor");
    call.trace.map(|_| {
        json!({"method": request.method, "url": request.url, "headers": pairs_to_map(&request.headers),
               "bodyBytes": request.body.as_ref().map_or(0, |b| b.len())})
    })
}

/// The vendor answered (or failed): its timing, and the exchange in the trace.
pub(super) fn vendor_answered(
    call: &Call<'_>,
    element: &str,
    summary: Option<Value>,
    sent: &Result<VendorResponse, VendorError>,
    took: Duration,
) {
    call.metrics.vendor(element, took);
    if let (Some(trace), Some(summary)) = (call.trace, summary) {
        let response = match sent {
            Ok(r) => {
                json!({"status": r.status, "headers": pairs_to_map(&r.headers), "bodyBytes": r.body.len()})
            }
            Err(e) => json!({"error": e.to_string()}),
        };
        trace.borrow_mut().push(json!({"phase": "vendor", "request": summary, "response": response, "micros": took.as_micros() as u64}));
    }
}

/// What a hook saw and did, for the request's trace.
fn hook_trace(
    script: &Script,
    input: &HookInput<'_>,
    run: &mut hooks::Run,
    took: Duration,
) -> Value {
    let (done, error) = match &mut run.outcome {
        Ok(o) => (
            o.raw.take().map(|r| r.done).unwrap_or(Value::Null),
            Value::Null,
        ),
        Err(e) => (Value::Null, json!(e.to_string())),
    };
    json!({
        "phase": script.label,
        "input": input.to_json(),
        "called": run.outcome.as_ref().is_ok_and(|o| o.called),
        "done": done,
        "console": run.console,
        "outbound": run.outcome.as_ref().map(|o| o.outbound.clone()).unwrap_or_default(),
        "error": error,
        "micros": took.as_micros() as u64,
    })
}

fn pairs_to_map(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in pairs {
        push_multi(&mut map, name, value);
    }
    map
}

fn log_console(label: &str, lines: &[ConsoleLine]) {
    for line in lines {
        match line.level.as_str() {
            "error" => tracing::error!(hook = %label, "console: {}", line.message),
            "warn" => tracing::warn!(hook = %label, "console: {}", line.message),
            "debug" | "notice" => tracing::debug!(hook = %label, "console: {}", line.message),
            _ => tracing::info!(hook = %label, "console: {}", line.message),
        }
    }
}
