//! OAuth 2 tokens in the request path: the code exchange and the password grant the
//! instances API calls, and the refresh before a vendor call and after a vendor 401.
//!
//! Refreshes of one instance happen one at a time (`Instance::refreshing` on a node, and
//! `Store::refresh_lock` across the nodes of a shared store): the calls that waited find the
//! token fresh and use it, so a burst of calls at expiry costs one refresh.
//! A refresh writes the new tokens through the store before anything uses them: a vendor
//! that rotates refresh tokens has invalidated the old one, and losing the new one would
//! disconnect the account.

use bytes::Bytes;
use serde_json::{Map, Value};

use super::exchange::Exchange;
use std::future::Future;
use std::pin::Pin;

use super::{lifecycle, Answer, Call, Inbound, PipelineError};
use crate::auth::oauth2::{self, Grant, OAuthError};
use crate::element::template::value_text;
use crate::element::{Authentication, Resource, OAUTH2_LIFECYCLE};
use crate::vendor::VendorRequest;

/// Exchange `provider_data["code"]` (with `code_verifier` when the authorization URL had a
/// PKCE challenge) for tokens: the configuration changes to store. An element's
/// `oauthOnTokenExchange` resource replaces the built-in request; its answer is read as the
/// token response.
pub async fn exchange_code(
    call: &Call<'_>,
    provider_data: &Map<String, Value>,
) -> Result<Map<String, Value>, PipelineError> {
    let given = |key: &str| {
        provider_data
            .get(key)
            .map(value_text)
            .filter(|v| !v.is_empty())
    };
    let Some(code) = given("code") else {
        return Err(PipelineError::BadRequest(
            "providerData.code is required: the code the vendor redirected with".into(),
        ));
    };
    let configuration = call.instance.configuration();
    if has_resource(call, "oauthOnTokenExchange") {
        // The exports' exchange resources read `code` and `callbackUrl` from the query.
        let mut query: Vec<(String, String)> = provider_data
            .iter()
            .map(|(k, v)| (k.clone(), value_text(v)))
            .collect();
        if let (None, Some(callback)) = (
            given("callbackUrl"),
            text(&configuration, oauth2::CALLBACK_URL),
        ) {
            query.push(("callbackUrl".into(), callback));
        }
        let body = Value::Object(provider_data.clone()).to_string();
        return lifecycle_token(call, "oauthOnTokenExchange", query, body, &configuration).await;
    }
    let grant = Grant::AuthorizationCode {
        code,
        verifier: given("code_verifier"),
    };
    let token = request_token(call, &configuration, &grant).await?;
    Ok(token.changes(crate::clock::now_ms()))
}

/// `oauth2Password`: tokens from the password grant with the instance's `username` and
/// `password`: the configuration changes to store.
pub async fn password_grant(call: &Call<'_>) -> Result<Map<String, Value>, PipelineError> {
    let configuration = call.instance.configuration();
    grant_password(call, &configuration).await
}

/// The password grant, or the element's `oauth2Password` resource instead (Dice's export
/// sends its own form and stores the tokens in its post hook).
async fn grant_password(
    call: &Call<'_>,
    configuration: &Map<String, Value>,
) -> Result<Map<String, Value>, PipelineError> {
    if has_resource(call, "oauth2Password") {
        let body = String::new();
        return lifecycle_token(call, "oauth2Password", Vec::new(), body, configuration).await;
    }
    let token = request_token(call, configuration, &Grant::Password).await?;
    Ok(token.changes(crate::clock::now_ms()))
}

/// Before a resource's exchange is built: refresh the instance's token when it is expired
/// (or its refresh interval passed), or obtain one by password grant when there is none.
pub(super) async fn ensure_fresh(
    call: &Call<'_>,
    resource: &Resource,
) -> Result<(), PipelineError> {
    let authentication = call.instance.element.authentication;
    if !applies(authentication, resource) {
        return Ok(());
    }
    let due = move |configuration: &Map<String, Value>| {
        let now = crate::clock::now_ms();
        match authentication {
            Authentication::OAuth2Password => {
                text(configuration, oauth2::TOKEN).is_none()
                    || oauth2::needs_refresh(configuration, now)
            }
            _ => {
                text(configuration, oauth2::REFRESH_TOKEN).is_some()
                    && oauth2::needs_refresh(configuration, now)
            }
        }
    };
    if !due(&call.instance.configuration()) {
        return Ok(());
    }
    refresh_once(call, due).await
}

/// After the vendor answered 401 to `exchange`: refresh once (unless another call already
/// replaced the token that was refused) and put the new token where the old one was in the
/// vendor request. True when the request should be sent again.
pub(super) async fn after_unauthorized(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
) -> Result<bool, PipelineError> {
    let authentication = exchange.element.authentication;
    if !applies(authentication, exchange.resource) {
        return Ok(false);
    }
    let refused = text(&exchange.configuration, oauth2::TOKEN).unwrap_or_default();
    let can_refresh = |configuration: &Map<String, Value>| match authentication {
        Authentication::OAuth2Password => true,
        _ => text(configuration, oauth2::REFRESH_TOKEN).is_some(),
    };
    if !can_refresh(&call.instance.configuration()) {
        return Ok(false);
    }
    let still_refused = |configuration: &Map<String, Value>| {
        can_refresh(configuration)
            && text(configuration, oauth2::TOKEN).unwrap_or_default() == refused
    };
    refresh_once(call, still_refused).await?;
    let configuration = call.instance.configuration();
    let fresh = text(&configuration, oauth2::TOKEN).unwrap_or_default();
    if fresh.is_empty() || fresh == refused {
        return Ok(false);
    }
    use_token(exchange, &refused, &fresh);
    exchange.configuration = configuration;
    Ok(true)
}

/// Whether the pipeline manages this element's tokens for this resource: not for the OAuth 2
/// lifecycle resources themselves, which run inside a refresh (and would wait for it).
fn applies(authentication: Authentication, resource: &Resource) -> bool {
    authentication.is_oauth2() && !OAUTH2_LIFECYCLE.contains(&resource.kind.as_str())
}

/// Refresh while holding the instance's refresh lock, if `due` still says so once the lock
/// is held (a call that waited finds the work done). Calls that waited while the refresh
/// failed get its reason rather than asking the vendor again.
async fn refresh_once(
    call: &Call<'_>,
    due: impl Fn(&Map<String, Value>) -> bool,
) -> Result<(), PipelineError> {
    let instance = call.instance;
    let valid_before = instance.invalid_reason().is_none();
    let _held = instance.refreshing.lock().await;
    // Across nodes: one refresh at a time, and the token another node stored while this
    // one waited is read before deciding (SQLite, one node: granted at once, nothing to read).
    let _everywhere = call.store.refresh_lock(instance.id).await?;
    if call.store.shared() {
        instance.reread_writes(call.store).await?;
    }
    let configuration = instance.configuration();
    if valid_before {
        if let Some(reason) = instance.invalid_reason() {
            return Err(PipelineError::Unauthorized(reason));
        }
    }
    if !due(&configuration) {
        return Ok(());
    }
    refresh(call, &configuration).await
}

/// One refresh (or password grant): the tokens stored, the instance valid again, then the
/// element's `onRefresh`. A refusal marks the instance invalid.
async fn refresh(call: &Call<'_>, configuration: &Map<String, Value>) -> Result<(), PipelineError> {
    let element = &call.instance.element;
    let obtained = match element.authentication {
        Authentication::OAuth2Password => grant_password(call, configuration).await,
        _ => refresh_token(call, configuration).await,
    };
    let changes = match obtained {
        Ok(changes) => changes,
        Err(error) => {
            let refused = matches!(error, PipelineError::Token { .. });
            let outcome = if refused { "failure" } else { "error" };
            call.metrics.token_refresh(&element.key, outcome);
            tracing::warn!(element = %element.key, instance = call.instance.id, %error, "token refresh failed");
            if refused {
                call.instance.set_invalid(Some(error.to_string()));
            }
            return Err(error);
        }
    };
    // Stored before anyone uses the new token: a rotated refresh token must not be lost.
    call.instance
        .write_configuration(call.store, &changes)
        .await?;
    call.instance.set_invalid(None);
    call.metrics.token_refresh(&element.key, "success");
    tracing::info!(element = %element.key, instance = call.instance.id, "token refreshed");
    let inbound = inbound(Vec::new(), String::new());
    if let Some(Err(error)) = run_lifecycle(call, "onRefresh", inbound).await {
        // The token is good; the element's follow-up failing does not make it bad.
        tracing::warn!(element = %element.key, %error, "onRefresh failed after a token refresh");
    }
    Ok(())
}

/// The refresh-token grant, or the element's `oauthOnTokenRefresh` resource instead.
async fn refresh_token(
    call: &Call<'_>,
    configuration: &Map<String, Value>,
) -> Result<Map<String, Value>, PipelineError> {
    let refresh = text(configuration, oauth2::REFRESH_TOKEN).unwrap_or_default();
    if has_resource(call, "oauthOnTokenRefresh") {
        // The exports' refresh resources read the token from query `refreshToken`.
        let query = vec![("refreshToken".to_string(), refresh.clone())];
        let body = serde_json::json!({ "refresh_token": refresh }).to_string();
        return lifecycle_token(call, "oauthOnTokenRefresh", query, body, configuration).await;
    }
    let token = request_token(call, configuration, &Grant::RefreshToken(refresh)).await?;
    Ok(token.changes(crate::clock::now_ms()))
}

/// Send a token request to the vendor's token endpoint and read its answer.
async fn request_token(
    call: &Call<'_>,
    configuration: &Map<String, Value>,
    grant: &Grant,
) -> Result<oauth2::Token, PipelineError> {
    let element = &call.instance.element.key;
    let request = oauth2::token_request(configuration, grant).map_err(|e| failed(call, e))?;
    // Not traced or logged: the form carries the client secret and the refresh token.
    let request = VendorRequest {
        method: "POST".into(),
        url: request.url,
        headers: request.headers,
        body: Some(Bytes::from(request.body)),
    };
    let response = call
        .vendor
        .send(request)
        .await
        .map_err(|error| PipelineError::Vendor {
            element: element.clone(),
            error,
        })?;
    let content_type = response
        .headers
        .iter()
        .find(|(name, _)| name == "content-type")
        .map(|(_, value)| value.as_str());
    oauth2::parse_token_response(response.status, content_type, &response.body)
        .map_err(|e| failed(call, e))
}

/// Run the element's `kind` lifecycle resource and read its answer as a token response.
/// A resource whose hooks store the tokens themselves (VSTS's do) answers no token: what
/// they changed is the result.
async fn lifecycle_token(
    call: &Call<'_>,
    kind: &str,
    query: Vec<(String, String)>,
    body: String,
    before: &Map<String, Value>,
) -> Result<Map<String, Value>, PipelineError> {
    let answer = match run_lifecycle(call, kind, inbound(query, body)).await {
        None => return Ok(Map::new()),
        Some(Ok(answer)) => answer,
        Some(Err(PipelineError::Answered {
            status,
            message,
            provider_message,
            ..
        })) => {
            let body = provider_message.unwrap_or(Value::String(message.clone()));
            return Err(failed(
                call,
                OAuthError::Refused {
                    status,
                    message,
                    body,
                },
            ));
        }
        Some(Err(error)) => return Err(error),
    };
    let content_type = answer
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.as_str());
    match oauth2::parse_token_response(answer.status, content_type, &answer.body) {
        Ok(token) => Ok(token.changes(crate::clock::now_ms())),
        Err(error) => {
            let written = written_tokens(before, &call.instance.configuration());
            match written.contains_key(oauth2::TOKEN) {
                true => Ok(written),
                false => Err(failed(call, error)),
            }
        }
    }
}

/// The token keys whose values changed between `before` and `after`.
fn written_tokens(before: &Map<String, Value>, after: &Map<String, Value>) -> Map<String, Value> {
    let keys = [
        oauth2::TOKEN,
        oauth2::REFRESH_TOKEN,
        oauth2::EXPIRES_AT,
        oauth2::REFRESH_TIME,
        oauth2::REFRESH_INTERVAL,
    ];
    keys.iter()
        .filter(|key| before.get(**key) != after.get(**key))
        .map(|key| {
            (
                key.to_string(),
                after.get(*key).cloned().unwrap_or(Value::Null),
            )
        })
        .collect()
}

/// An OAuth error as the caller sees it: configuration the element lacks is a misconfigured
/// element (500); what the token endpoint said is the instance's fault (401).
fn failed(call: &Call<'_>, error: OAuthError) -> PipelineError {
    let element = call.instance.element.key.clone();
    match error {
        OAuthError::Missing(_) | OAuthError::BadUrl { .. } => PipelineError::Misconfigured {
            element,
            message: error.to_string(),
        },
        _ => PipelineError::Token {
            element,
            error: Box::new(error),
        },
    }
}

/// Put `fresh` wherever the refused token was in the vendor request: the Bearer header, a
/// query parameter (Pinterest's `access_token`), a header a hook built from it.
fn use_token(exchange: &mut Exchange<'_>, refused: &str, fresh: &str) {
    if refused.is_empty() {
        exchange
            .vendor_headers
            .entry("Authorization")
            .or_insert_with(|| Value::String(format!("Bearer {fresh}")));
        return;
    }
    let replace = |value: &mut Value| replace_in(value, refused, fresh);
    exchange.vendor_headers.values_mut().for_each(replace);
    exchange.vendor_parameters.values_mut().for_each(replace);
    if let Some(body) = &mut exchange.vendor_body {
        *body = body.replace(refused, fresh);
    }
    exchange.vendor_path = exchange.vendor_path.replace(refused, fresh);
}

fn replace_in(value: &mut Value, old: &str, new: &str) {
    match value {
        Value::String(text) if text.contains(old) => *text = text.replace(old, new),
        Value::Array(items) => items.iter_mut().for_each(|v| replace_in(v, old, new)),
        _ => {}
    }
}

type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// `pipeline::lifecycle`, boxed: it runs a resource whose run may refresh, which runs a
/// lifecycle resource: the future's type would contain itself.
fn run_lifecycle<'a>(
    call: &'a Call<'_>,
    kind: &'a str,
    inbound: Inbound,
) -> Boxed<'a, Option<Result<Answer, PipelineError>>> {
    Box::pin(lifecycle(call, kind, inbound))
}

fn has_resource(call: &Call<'_>, kind: &str) -> bool {
    call.instance
        .element
        .resources
        .iter()
        .any(|r| r.kind == kind)
}

/// What a lifecycle resource receives: its method and path are its own.
fn inbound(query: Vec<(String, String)>, body: String) -> Inbound {
    Inbound {
        method: "POST".into(),
        path: String::new(),
        query,
        headers: vec![("content-type".into(), "application/json".into())],
        body: Bytes::from(body),
    }
}

/// A configuration value as text; blank counts as absent.
pub(super) fn text(configuration: &Map<String, Value>, key: &str) -> Option<String> {
    configuration
        .get(key)
        .filter(|v| !v.is_null())
        .map(value_text)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}
