//! The hook phases: global then resource preRequest, resource then global postRequest, each
//! given the exchange's values and its typed result applied to the exchange.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::{Map, Value};

use super::exchange::{vendor_url, Exchange, Response};
use super::{objects, observe, Call, PipelineError};
use crate::admission::{Admit, Permit, Refused, Shed};
use crate::hooks::{
    self, Dispatcher, HookInput, HookResult, Kind, Options, PostResponseResult, PreRequestResult,
    RequestVars, ResponseVars, Script,
};
use crate::telemetry;

/// Global, then resource preRequest; false when one said `continue: false`.
pub(super) async fn pre_request(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
) -> Result<bool, PipelineError> {
    let (element, resource) = (exchange.element, exchange.resource);
    for script in [&element.hooks.pre_request, &resource.hooks.pre_request]
        .into_iter()
        .flatten()
    {
        let result = run_hook(call, exchange, script, Kind::PreRequest).await?;
        if let Some(result) = result.and_then(HookResult::pre_request) {
            if !apply_pre(call, exchange, result).await? {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Resource, then global postRequest.
pub(super) async fn post_request(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
) -> Result<(), PipelineError> {
    let (element, resource) = (exchange.element, exchange.resource);
    for script in [&resource.hooks.post_request, &element.hooks.post_request]
        .into_iter()
        .flatten()
    {
        let result = run_hook(call, exchange, script, Kind::PostRequest).await?;
        if let Some(result) = result.and_then(HookResult::post_response) {
            apply_post(call, exchange, result).await?;
        }
    }
    Ok(())
}

/// The answer when a preRequest hook stopped the request without giving one.
pub(super) fn empty_answer() -> Response {
    answer_from_pre(PreRequestResult::default())
}

/// What a hook of `kind` is given: the exchange's values, lent. `made` makes the variables
/// built only when the script reads them.
fn hook_input<'x>(
    exchange: &'x Exchange<'_>,
    kind: Kind,
    made: Made<'x>,
) -> Result<HookInput<'x>, PipelineError> {
    let request = RequestVars {
        body: exchange.request_body.as_deref(),
        body_map: &exchange.request_body_map,
        headers: &exchange.request_headers,
        path: &exchange.request_path,
        path_variables: &exchange.request_path_variables,
        parameters: &exchange.request_parameters,
        method: &exchange.request_method,
        expression: &exchange.request_expression,
        vendor_method: &exchange.vendor_method,
        vendor_path: &exchange.vendor_path,
        vendor_url: made.vendor_url,
        vendor_headers: &exchange.vendor_headers,
        vendor_parameters: &exchange.vendor_parameters,
        vendor_body: exchange.vendor_body.as_deref(),
        configuration: &exchange.configuration,
        object_name: &exchange.resource.object_name,
        previous: exchange.previous.as_ref().map(|p| (&p.body, &p.headers)),
        vendor_object_name: made.vendor_object_name,
        meta_data: made.meta_data,
    };
    if kind != Kind::PostRequest {
        return Ok(HookInput::PreRequest(request));
    }
    // Post hooks run once the vendor (or a preRequest hook) answered.
    let Some(response) = &exchange.response else {
        return Err(PipelineError::Misconfigured {
            element: exchange.element.key.clone(),
            message: "no response was produced".into(),
        });
    };
    let response = ResponseVars {
        status: response.status,
        headers: &response.headers,
        body: &response.body,
        raw: &response.raw,
        raw_map: response.raw_map(),
    };
    Ok(HookInput::PostResponse(request, response))
}

/// The makers of the variables built only when a script reads them.
#[derive(Clone, Copy)]
struct Made<'x> {
    vendor_url: &'x dyn Fn() -> String,
    meta_data: &'x dyn Fn() -> Value,
    vendor_object_name: &'x dyn Fn() -> String,
}

/// Run one hook on the exchange; `None` when it failed open (`onError: continue`).
async fn run_hook(
    call: &Call<'_>,
    exchange: &Exchange<'_>,
    script: &Script,
    kind: Kind,
) -> Result<Option<HookResult>, PipelineError> {
    let url = || vendor_url(exchange);
    let meta = || objects::meta_data(exchange);
    let vendor_object = || objects::vendor_object_name(exchange).to_string();
    let made = Made {
        vendor_url: &url,
        meta_data: &meta,
        vendor_object_name: &vendor_object,
    };
    let input = hook_input(exchange, kind, made)?;
    let limits = exchange.element.limits.over(call.settings.hook_limits);
    // Held until the hook ends; the hook's own budget starts once it has its slot.
    let _slot = admit(call, &exchange.element.key, limits.time).await?;
    let started = Instant::now();
    let options = Options {
        context: Some((
            call.instance.id,
            Arc::as_ptr(&call.instance.element) as usize,
        )),
        // A trace shows every variable, whatever the script names, and the raw result.
        raw: call.trace.is_some(),
        every_variable: call.trace.is_some(),
        now: None,
    };
    // Hooks are the operator's own server code: a master context for Parse Config.
    let io = Dispatcher::real(call.settings.mail.clone())
        .with_parse_config(call.settings.parse.config.clone(), true);
    let span = observe::hook_span(script, kind);
    let mut run = telemetry::within(&span, hooks::run(script, input, limits, &io, options)).await;
    let took = started.elapsed();
    observe::hook_span_ended(span, &run);
    let element = &exchange.element.key;
    observe::hook_ran(call, element, script, kind, &input, &mut run, took);
    let outcome = run.outcome.map_err(|error| {
        observe::hook_failed(call, element, script, &error);
        PipelineError::Hook {
            element: element.clone(),
            error,
        }
    });
    let outcome = match outcome {
        Err(error) if script.fail_open => {
            tracing::warn!(hook = %script.label, element = %exchange.element.key, "onError: continue — going on as if the hook passed everything through: {error}");
            return Ok(None);
        }
        other => other?,
    };
    tracing::debug!(hook = %script.label, micros = took.as_micros() as u64, called = outcome.called, "hook ran");
    Ok(Some(outcome.result))
}

/// A slot for one hook execution of the call's instance: at once, or after waiting in the
/// instance's FIFO queue for at most the hook's time budget (longer is shed, 503). Refusals
/// are counted here; `server::error` makes them 429 or 503.
async fn admit<'a>(
    call: &Call<'a>,
    element: &str,
    budget: Duration,
) -> Result<Option<Permit<'a>>, PipelineError> {
    let Some(registry) = call.admission else {
        return Ok(None);
    };
    let instance = call.instance;
    let bounds = instance.fairness().bounds(&call.settings.admission);
    let refused = |refused: Refused| {
        call.metrics.refused(element, refused.reason());
        PipelineError::Refused {
            instance: instance.name.clone(),
            refused,
        }
    };
    let waiting = match registry.acquire(instance.id, bounds).map_err(refused)? {
        Admit::Now(permit) => return Ok(Some(permit)),
        Admit::Queued(waiting) => waiting,
    };
    let queued = call.metrics.queued(element);
    let started = Instant::now();
    let permit = actix_rt::time::timeout(budget, waiting).await;
    drop(queued);
    call.metrics.queue_wait(element, started.elapsed());
    match permit {
        Ok(permit) => Ok(Some(permit)),
        Err(_) => Err(refused(Refused::Shed(Shed::TooLong(budget.as_millis())))),
    }
}

/// Merge `changes` into `target`; a `null` value removes the key. Header names compare
/// case-insensitively so `{"content-type": null}` removes the default `Content-Type`.
fn merge(target: &mut Map<String, Value>, changes: &Map<String, Value>, case_insensitive: bool) {
    for (key, value) in changes {
        if case_insensitive {
            let existing: Vec<String> = target
                .keys()
                .filter(|k| k.eq_ignore_ascii_case(key))
                .cloned()
                .collect();
            for k in existing {
                target.remove(&k);
            }
        } else {
            target.remove(key);
        }
        if !value.is_null() {
            target.insert(key.clone(), value.clone());
        }
    }
}

fn body_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Merge and persist configuration a hook or a response parameter gave, so the next phase and
/// the next request see it.
pub(super) async fn write_configuration(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
    changes: Option<&Map<String, Value>>,
) -> Result<(), PipelineError> {
    if let Some(changes) = changes {
        call.instance
            .write_configuration(call.store, changes)
            .await?;
        exchange.configuration = call.instance.configuration();
    }
    Ok(())
}

/// Apply a preRequest result; returns whether to go on to the vendor.
async fn apply_pre(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
    mut result: PreRequestResult,
) -> Result<bool, PipelineError> {
    write_configuration(call, exchange, result.configuration.as_ref()).await?;
    if let Some(headers) = &result.request_vendor_headers {
        merge(&mut exchange.vendor_headers, headers, true);
    }
    if let Some(parameters) = &result.request_vendor_parameters {
        merge(&mut exchange.vendor_parameters, parameters, false);
    }
    if let Some(body) = &result.request_vendor_body {
        exchange.vendor_body = body_text(body);
        // The hook's body is what goes: multipart parameters no longer make it.
        exchange.vendor_parts = Default::default();
    }
    if let Some(path) = result.request_vendor_path.take() {
        exchange.vendor_path = path;
    }
    if let Some(method) = result.request_vendor_method.take() {
        exchange.vendor_method = method;
    }
    let go_on = result.continue_;
    if !go_on {
        if let Some(message) = result.response_error_message.take() {
            exchange.error_message = Some(message);
        }
        exchange.response = Some(answer_from_pre(result));
    }
    Ok(go_on)
}

/// The response a preRequest hook gives with `continue: false`.
fn answer_from_pre(result: PreRequestResult) -> Response {
    let mut headers = Map::new();
    if let Some(given) = &result.response_headers {
        merge(&mut headers, given, false);
    }
    let printed = result.response_body.is_some();
    let (raw, body) = match (result.response_body, result.response_body_raw) {
        (Some(body), _) => (body_text(&body).unwrap_or_default(), body),
        (None, Some(raw)) => {
            let body = serde_json::from_str(&raw).unwrap_or_else(|_| Value::String(raw.clone()));
            (raw, body)
        }
        _ => (String::new(), Value::Null),
    };
    let raw_map = serde_json::from_str(&raw).unwrap_or(Value::Null);
    Response {
        status: result.response_status_code.unwrap_or(200),
        headers,
        passed: Vec::new(),
        raw: Bytes::from(raw),
        raw_map: Some(raw_map),
        body,
        replaced: true,
        raw_is_body: printed,
    }
}

async fn apply_post(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
    result: PostResponseResult,
) -> Result<(), PipelineError> {
    write_configuration(call, exchange, result.configuration.as_ref()).await?;
    let merge_with = result.metadata_merge.then(|| objects::meta_data(exchange));
    let Some(response) = exchange.response.as_mut() else {
        return Ok(());
    };
    if let Some(status) = result.response_status_code {
        response.status = status;
    }
    if let Some(headers) = &result.response_headers {
        merge(&mut response.headers, headers, false);
    }
    if let Some(raw) = &result.response_body_raw {
        let text = body_text(raw).unwrap_or_default();
        response.raw_map = Some(serde_json::from_str(&text).unwrap_or(Value::Null));
        response.body = serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.clone()));
        response.raw = Bytes::from(text);
        response.replaced = true;
        response.raw_is_body = false;
    }
    if let Some(body) = result.response_body {
        response.raw = Bytes::from(body_text(&body).unwrap_or_default());
        if response.raw_map.is_none() {
            // The body is about to change: what was the whole parsed body stays in raw_map.
            response.raw_map = Some(std::mem::take(&mut response.body));
        }
        response.body = body;
        response.replaced = true;
        response.raw_is_body = true;
    }
    if let Some(model) = &merge_with {
        objects::merge_answer(response, model);
    }
    if let Some(message) = result.response_error_message {
        response.status = result.response_status_code.unwrap_or(400);
        exchange.error_message = Some(message);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn header_merge_is_case_insensitive_and_null_removes() {
        let mut headers = json!({"Content-Type": "application/json", "Accept": "application/json"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let changes = json!({"content-type": null, "X-Sig": "1"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        merge(&mut headers, &changes, true);
        assert_eq!(
            Value::Object(headers),
            json!({"Accept": "application/json", "X-Sig": "1"})
        );
    }
}
