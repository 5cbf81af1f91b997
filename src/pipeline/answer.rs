//! The caller's answer from what the phases left: the response's headers, response
//! parameters, and an error shape for error messages and unhandled vendor errors.

use bytes::Bytes;
use serde_json::Value;

use super::exchange::{Exchange, Response};
use super::{Answer, PipelineError};
use crate::element::template::value_text;
use crate::element::{root_key, ParamKind, Parameter};
use crate::vendor::is_hop_by_hop;

/// The answer, or the error the caller gets instead.
pub(super) fn answer(exchange: Exchange<'_>) -> Result<Answer, PipelineError> {
    let Some(mut response) = exchange.response else {
        return Err(PipelineError::Misconfigured {
            element: exchange.element.key.clone(),
            message: "no response was produced".into(),
        });
    };
    let headers = headers(&mut response, &exchange.response_parameters);
    if let Some(message) = exchange.error_message {
        return Err(PipelineError::Answered {
            status: response.status,
            message,
            provider_message: None,
            headers,
        });
    }
    if !(200..=207).contains(&response.status) && !response.replaced {
        return Err(vendor_error(&response, headers));
    }
    Ok(body(response, headers))
}

/// The response's headers (hop-by-hop ones dropped), then the response parameters'.
fn headers(response: &mut Response, parameters: &[Parameter]) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in &response.headers {
        if is_hop_by_hop(name) || (response.replaced && name == "content-type") {
            continue;
        }
        match value {
            Value::Array(items) => {
                headers.extend(items.iter().map(|v| (name.clone(), value_text(v))))
            }
            Value::Null => {}
            other => headers.push((name.clone(), value_text(other))),
        }
    }
    let passed = std::mem::take(&mut response.passed);
    for parameter in parameters {
        if let Some(value) = parameter_value(response, &passed, parameter) {
            headers.push((parameter.name.clone(), value));
        }
    }
    // The vendor's own headers go first, as when they come from the map.
    headers.splice(
        0..0,
        passed.into_iter().filter(|(name, _)| !is_hop_by_hop(name)),
    );
    headers
}

/// A response parameter's value: a vendor header, or a field of the whole parsed body.
fn parameter_value(
    response: &Response,
    passed: &[(String, String)],
    parameter: &Parameter,
) -> Option<String> {
    match parameter.vendor_kind {
        ParamKind::Header => {
            let name = parameter.vendor_name.to_ascii_lowercase();
            match response.headers.get(&name) {
                Some(value) => Some(value_text(value)),
                None => passed
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone()),
            }
        }
        ParamKind::BodyField => response
            .raw_map()
            .get(&parameter.vendor_name)
            .map(value_text),
        // Only onto a header: a `configuration` one was saved, never shown to the caller.
        ParamKind::Body if parameter.kind == ParamKind::Header => {
            match root_key::select(response.raw_map(), &parameter.vendor_name) {
                Value::Null => None,
                value => Some(value_text(&value)),
            }
        }
        _ => None,
    }
}

/// A vendor error no hook handled: its status, its body as `providerMessage`.
fn vendor_error(response: &Response, headers: Vec<(String, String)>) -> PipelineError {
    let provider = match response.raw_map() {
        Value::Null => Value::String(
            String::from_utf8_lossy(&response.raw)
                .chars()
                .take(4096)
                .collect(),
        ),
        parsed => parsed.clone(),
    };
    PipelineError::Answered {
        status: response.status,
        message: format!("the vendor answered {}", response.status),
        provider_message: Some(provider),
        headers,
    }
}

/// The body as the vendor sent it, or as a hook replaced it (serialized, with its type).
fn body(response: Response, mut headers: Vec<(String, String)>) -> Answer {
    let body = if response.replaced {
        match &response.body {
            Value::String(text) => {
                headers.push(("content-type".into(), "text/plain; charset=utf-8".into()));
                Bytes::from(text.clone())
            }
            Value::Null if response.raw.is_empty() => Bytes::new(),
            other => {
                headers.push(("content-type".into(), "application/json".into()));
                // The hook's raw text, or its body as printed once when it was applied.
                match response.raw_is_body && !response.raw.is_empty() {
                    true => response.raw.clone(),
                    false => Bytes::from(other.to_string()),
                }
            }
        }
    } else {
        response.raw
    };
    Answer {
        status: response.status,
        headers,
        body,
    }
}
