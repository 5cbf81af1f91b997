//! `GET <prefix>/elements/{key}/oauth/url`: where a user authorizes an OAuth element; and
//! `GET <prefix>/elements/{key}/oauth/token`: an OAuth 1 element's request token.
//!
//! Answers `{"element", "oauthUrl"}` as Cloud Elements does (plus `codeVerifier` when the
//! element asks for PKCE: the instances API passes it back with the code). Query values
//! (`apiKey`, `apiSecret`, `callbackUrl`, `scope`) override the element's defaults. An OAuth 1
//! element's URL is for `requestToken` (from `/oauth/token`; without one, one is fetched and
//! answered as `token` and `secret` beside the URL).

use super::schema::ErrorBody;
use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

use super::error::{self, Failure, RequestId};
use super::request::form_pairs;
use crate::auth::oauth2;
use crate::element::{Authentication, Element};
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

#[utoipa::path(
    get,
    path = "/elements/api-v2/elements/{key}/oauth/url",
    tag = "instances",
    params(
        ("key" = String, Path),
        ("apiKey" = Option<String>, Query),
        ("apiSecret" = Option<String>, Query),
        ("callbackUrl" = Option<String>, Query),
        ("scope" = Option<String>, Query),
        ("state" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "`{element, oauthUrl, codeVerifier?}`", body = Object),
        (status = 404, body = ErrorBody),
    )
)]
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
    if element.authentication == Authentication::OAuth1 {
        let result = oauth1_url(&state, &vendor, element, &query, request_id.as_str()).await;
        return match result {
            Ok(body) => HttpResponse::Ok().json(body),
            Err(e) => error::respond(&Failure::Pipeline(e), &request_id, expose),
        };
    }
    match answer(&state, &vendor, element, query, request_id.as_str()).await {
        Ok(body) => HttpResponse::Ok().json(body),
        Err(e) => error::respond(&Failure::Pipeline(e), &request_id, expose),
    }
}

/// `GET <prefix>/elements/{key}/oauth/token`: an OAuth 1 element's request token,
/// `{"token", "secret"}`, for `/oauth/url?requestToken=` and then `providerData.secret`.
#[utoipa::path(
    get,
    path = "/elements/api-v2/elements/{key}/oauth/token",
    tag = "instances",
    params(
        ("key" = String, Path),
        ("apiKey" = Option<String>, Query),
        ("apiSecret" = Option<String>, Query),
        ("callbackUrl" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "an OAuth 1 request token", body = Object),
        (status = 404, body = ErrorBody),
    )
)]
pub async fn token(
    request: HttpRequest,
    key: web::Path<String>,
    state: web::Data<State>,
    vendor: web::Data<VendorClient>,
    request_id: RequestId,
) -> HttpResponse {
    let expose = state.settings.expose_errors;
    let loaded = state.current();
    let element = match loaded.elements.get(key.as_str()) {
        Some(e) if e.authentication == Authentication::OAuth1 => e,
        Some(_) => {
            let failure = Failure::BadRequest(format!("element {key} is not an oauth1 element"));
            return error::respond(&failure, &request_id, expose);
        }
        None => {
            let failure = Failure::NotFound(format!("no element \"{key}\""));
            return error::respond(&failure, &request_id, expose);
        }
    };
    let query = form_pairs(request.query_string());
    let instance = unconnected(&state, element, &query);
    let call = admin_call(&state, &vendor, &instance, request_id.as_str());
    match pipeline::oauth1::request_token(&call).await {
        Ok((token, secret)) => HttpResponse::Ok().json(json!({"token": token, "secret": secret})),
        Err(e) => error::respond(&Failure::Pipeline(e), &request_id, expose),
    }
}

/// An OAuth 1 element's authorization URL for the request token the caller names, or for
/// a new one (answered beside the URL).
async fn oauth1_url(
    state: &State,
    vendor: &VendorClient,
    element: &Arc<Element>,
    query: &[(String, String)],
    request_id: &str,
) -> Result<Value, PipelineError> {
    let instance = unconnected(state, element, query);
    let call = admin_call(state, vendor, &instance, request_id);
    let named = query
        .iter()
        .find(|(k, v)| k == "requestToken" && !v.is_empty())
        .map(|(_, v)| v.clone());
    let mut body = json!({"element": element.key});
    let token = match named {
        Some(token) => token,
        None => {
            let (token, secret) = pipeline::oauth1::request_token(&call).await?;
            body["token"] = json!(token);
            body["secret"] = json!(secret);
            token
        }
    };
    body["oauthUrl"] = json!(pipeline::oauth1::authorization_url(&call, &token)?);
    Ok(body)
}

/// An instance for no account: the query's overrides over the element's defaults.
fn unconnected(state: &State, element: &Arc<Element>, query: &[(String, String)]) -> Arc<Instance> {
    let configuration: Map<String, Value> = OVERRIDES
        .iter()
        .filter_map(|(name, key)| {
            let value = query.iter().find(|(k, v)| k == name && !v.is_empty())?;
            Some((key.to_string(), Value::String(value.1.clone())))
        })
        .collect();
    Arc::new(Instance::unconnected(
        element.clone(),
        configuration,
        state.settings.sealer.clone(),
    ))
}

/// An admin's call for no instance: what its hooks write back is dropped.
fn admin_call<'a>(
    state: &'a State,
    vendor: &'a VendorClient,
    instance: &'a Arc<Instance>,
    request_id: &'a str,
) -> Call<'a> {
    super::instances::admin_call(state, vendor, instance, request_id, &Discard)
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
    let instance = unconnected(state, element, &query);
    let configuration = instance.configuration();
    let verifier = oauth2::pkce(&configuration).then(oauth2::new_verifier);
    let state_value = query
        .iter()
        .find(|(k, v)| k == "state" && !v.is_empty())
        .map(|(_, v)| v.clone());
    let built =
        oauth2::authorization_url(&configuration, state_value.as_deref(), verifier.as_deref())
            .map_err(|e| PipelineError::BadRequest(format!("element {}: {e}", element.key)))?;
    let call = admin_call(state, vendor, &instance, request_id);
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
