//! `GET <prefix>/elements/{key}/oauth/url`: where a user authorizes an OAuth 2 element.
//!
//! Answers `{"element", "oauthUrl"}` as Cloud Elements does (plus `codeVerifier` when the
//! element asks for PKCE: the instances API passes it back with the code). Query values
//! (`apiKey`, `apiSecret`, `callbackUrl`, `scope`) override the element's defaults.

use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use super::error::{self, Failure, RequestId};
use super::request::form_pairs;
use crate::auth::oauth2;
use crate::element::Element;
use crate::instance::Instance;
use crate::pipeline::{self, Call, Inbound, PipelineError};
use crate::state::State;
use crate::store::Discard;
use crate::vendor::VendorClient;

/// The query parameters Cloud Elements takes, and the configuration keys they set.
const OVERRIDES: &[(&str, &str)] = &[
    ("apiKey", oauth2::CLIENT_ID),
    ("apiSecret", oauth2::CLIENT_SECRET),
    ("callbackUrl", oauth2::CALLBACK_URL),
    ("scope", oauth2::SCOPE),
];

pub async fn url(
    request: HttpRequest,
    key: web::Path<String>,
    state: web::Data<State>,
    vendor: web::Data<VendorClient>,
    request_id: RequestId,
) -> HttpResponse {
    let expose = state.settings.expose_errors;
    let loaded = state.current();
    let Some(element) = loaded.elements.get(key.as_str()) else {
        let failure = Failure::NotFound(format!("no element \"{key}\""));
        return error::respond(&failure, &request_id, expose);
    };
    let query = form_pairs(request.query_string());
    match answer(&state, &vendor, element, query, request_id.as_str()).await {
        Ok(body) => HttpResponse::Ok().json(body),
        Err(e) => error::respond(&Failure::Pipeline(e), &request_id, expose),
    }
}

/// The body: the URL built from the configuration, or the one the element's
/// `oauthOnAuthorizeUrl` resource answers.
async fn answer(
    state: &State,
    vendor: &VendorClient,
    element: &Arc<Element>,
    query: Vec<(String, String)>,
    request_id: &str,
) -> Result<Value, PipelineError> {
    let given = |name: &str| {
        query
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    let configuration: Map<String, Value> = OVERRIDES
        .iter()
        .filter_map(|(name, key)| Some((key.to_string(), Value::String(given(name)?))))
        .collect();
    let sealer = state.settings.sealer.clone();
    let instance = Arc::new(Instance::unconnected(
        element.clone(),
        configuration,
        sealer,
    ));
    let configuration = instance.configuration();
    let verifier = oauth2::pkce(&configuration).then(oauth2::new_verifier);
    let state_value = given("state");
    let built =
        oauth2::authorization_url(&configuration, state_value.as_deref(), verifier.as_deref())
            .map_err(|e| PipelineError::BadRequest(format!("element {}: {e}", element.key)))?;
    let call = Call {
        request_id,
        instance: &instance,
        // What the hooks write back belongs to no instance.
        store: &Discard,
        vendor,
        settings: &state.settings,
        metrics: &state.metrics,
        // An admin's call for no instance: no instance's fair share to take from.
        admission: None,
        trace: None,
    };
    let oauth_url = hooked_url(&call, &built, query).await?.unwrap_or(built);
    let mut body = json!({"element": element.key, "oauthUrl": oauth_url});
    if let (Some(verifier), Some(map)) = (verifier, body.as_object_mut()) {
        map.insert("codeVerifier".into(), Value::String(verifier));
    }
    Ok(body)
}

/// The URL the element's `oauthOnAuthorizeUrl` resource answers (`{"oauthUrl": ...}`, or the
/// URL as text); `None` without such a resource. Its hooks see the built URL as
/// `oauthUrl` in the query and the body.
async fn hooked_url(
    call: &Call<'_>,
    built: &str,
    mut query: Vec<(String, String)>,
) -> Result<Option<String>, PipelineError> {
    query.push(("oauthUrl".into(), built.to_string()));
    let inbound = Inbound {
        method: "GET".into(),
        path: String::new(),
        query,
        headers: vec![("content-type".into(), "application/json".into())],
        body: json!({ "oauthUrl": built }).to_string().into(),
    };
    let Some(answer) = pipeline::lifecycle(call, "oauthOnAuthorizeUrl", inbound).await else {
        return Ok(None);
    };
    let answer = answer?;
    let text = String::from_utf8_lossy(&answer.body);
    let url = match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => ["oauthUrl", "url"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_string)),
        Ok(Value::String(url)) => Some(url),
        _ => Some(text.trim().to_string()),
    };
    match url.filter(|u| u.starts_with("http://") || u.starts_with("https://")) {
        Some(url) => Ok(Some(url)),
        None => Err(PipelineError::Misconfigured {
            element: call.instance.element.key.clone(),
            message: "its oauthOnAuthorizeUrl resource answered no URL (expected {\"oauthUrl\": \"https://...\"})".into(),
        }),
    }
}
