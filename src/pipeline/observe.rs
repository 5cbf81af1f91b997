//! The one observer of a request's phases: metrics, the debug trace and hooks' console
//! lines, so the phases themselves only do their work.

use std::time::Duration;

use serde_json::{json, Map, Value};

use super::exchange::push_multi;
use super::Call;
use crate::hooks::{self, ConsoleLine, HookError, HookInput, Kind, Script};
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
