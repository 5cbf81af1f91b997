//! The one rescue function: every pipeline error becomes an HTTP response here.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde_json::{json, Value};

use crate::hooks::HookError;
use crate::pipeline::PipelineError;
use crate::vendor::VendorError;

/// The status a caller gets for an error: upstream faults 502/504, client faults 4xx,
/// hook faults 500 (504 when the hook ran out of time).
pub fn status(error: &PipelineError) -> u16 {
    match error {
        PipelineError::Unauthorized(_) => 401,
        PipelineError::NotFound(_) => 404,
        PipelineError::MethodNotAllowed { .. } => 405,
        PipelineError::BadRequest(_) => 400,
        PipelineError::Hook {
            error: HookError::Timeout { .. },
            ..
        } => 504,
        PipelineError::Hook { .. } => 500,
        PipelineError::Vendor {
            error: VendorError::Timeout(_),
            ..
        } => 504,
        PipelineError::Vendor { .. } => 502,
        PipelineError::Misconfigured { .. } | PipelineError::Store(_) => 500,
        PipelineError::Answered { status, .. } => *status,
    }
}

/// The one error shape: `{"message", "requestId", "providerMessage"?}`.
pub fn body(message: &str, request_id: &str, provider_message: Option<&Value>) -> Value {
    let mut body = json!({ "message": message, "requestId": request_id });
    if let (Some(provider), Some(map)) = (provider_message, body.as_object_mut()) {
        map.insert("providerMessage".into(), provider.clone());
    }
    body
}

/// What a caller is told about an error. A hook's JS message and `file:line:column` stay in
/// the logs and traces unless `expose` (development): they show the element's insides.
fn message(error: &PipelineError, request_id: &str, expose: bool) -> String {
    match error {
        PipelineError::Hook {
            element,
            error: HookError::Script { hook, error },
        } if !expose => format!(
            "element {element}: {hook} failed ({}); the server log has the details under request id {request_id}",
            error.name
        ),
        PipelineError::Hook {
            element,
            error: HookError::BadResult { hook, .. },
        } if !expose => format!(
            "element {element}: {hook} gave a result the engine cannot use; the server log has the details under request id {request_id}"
        ),
        _ => error.to_string(),
    }
}

/// The whole answer for an error: status, extra headers and the JSON body. `expose` shows a
/// hook's JS error and its location to the caller.
pub fn answer(
    error: &PipelineError,
    request_id: &str,
    expose: bool,
) -> (u16, Vec<(String, String)>, Value) {
    let (headers, provider) = match error {
        PipelineError::MethodNotAllowed { allow, .. } => {
            (vec![("Allow".to_string(), allow.join(", "))], None)
        }
        PipelineError::Answered {
            provider_message,
            headers,
            ..
        } => (
            headers
                .iter()
                .filter(|(n, _)| !n.eq_ignore_ascii_case("content-type"))
                .cloned()
                .collect(),
            provider_message.as_ref(),
        ),
        _ => (Vec::new(), None),
    };
    (
        status(error),
        headers,
        body(&message(error, request_id, expose), request_id, provider),
    )
}

pub fn respond(error: &PipelineError, request_id: &str, expose: bool) -> HttpResponse {
    let (code, headers, json) = answer(error, request_id, expose);
    let code = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::build(code);
    for (name, value) in &headers {
        response.append_header((name.as_str(), value.as_str()));
    }
    if code.is_server_error() {
        tracing::error!(status = code.as_u16(), "{error}");
    } else {
        tracing::info!(status = code.as_u16(), "{error}");
    }
    response.json(json)
}
