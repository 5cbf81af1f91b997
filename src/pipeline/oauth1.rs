//! OAuth 1.0a's three-legged token flow (RFC 5849 §2): a request token for the
//! authorization URL, then, with the verifier the vendor redirected the user with, the
//! access token the instance signs its calls with.

use bytes::Bytes;
use serde_json::{json, Map, Value};

use super::oauth::text;
use super::{Call, PipelineError};
use crate::auth::{self, oauth1, Message};
use crate::element::template::value_text;
use crate::vendor::VendorRequest;

/// Where the request token comes from (Cloud Elements' key).
const REQUEST_URL: &str = "oauth.request.url";
const TOKEN_URL: &str = "oauth.token.url";
const AUTHORIZATION_URL: &str = "oauth.authorization.url";
const CALLBACK_URL: &str = "oauth.callback.url";
const SCOPE: &str = "oauth.scope";

/// A request token and its secret (`{"token", "secret"}`, as Cloud Elements answers it).
pub async fn request_token(call: &Call<'_>) -> Result<(String, String), PipelineError> {
    let configuration = call.instance.configuration();
    let mut extra = Vec::new();
    if let Some(callback) = text(&configuration, CALLBACK_URL) {
        extra.push(("oauth_callback".to_string(), callback));
    }
    let answer = token_call(call, &configuration, REQUEST_URL, None, extra).await?;
    pair(call, &answer)
}

/// The URL a user authorizes `request_token` at: `oauth.authorization.url` with
/// `oauth_token`, its `{scope}` filled (Trello's export writes `?scope={scope}&...`).
pub fn authorization_url(call: &Call<'_>, request_token: &str) -> Result<String, PipelineError> {
    let configuration = call.instance.configuration();
    let base =
        text(&configuration, AUTHORIZATION_URL).ok_or_else(|| missing(call, AUTHORIZATION_URL))?;
    let scope = text(&configuration, SCOPE).unwrap_or_default();
    let base = base.replace("{scope}", &auth::encode(&scope));
    let separator = if base.contains('?') { '&' } else { '?' };
    Ok(format!(
        "{base}{separator}oauth_token={}",
        auth::encode(request_token)
    ))
}

/// The access token for `providerData` `{oauth_token, oauth_verifier, secret}`: the
/// configuration changes to store (`oauth.user.token`, `oauth.user.token.secret`).
pub async fn access_token(
    call: &Call<'_>,
    provider_data: &Map<String, Value>,
) -> Result<Map<String, Value>, PipelineError> {
    let given = |key: &str| {
        provider_data
            .get(key)
            .map(value_text)
            .filter(|v| !v.is_empty())
    };
    let (Some(token), Some(verifier)) = (given("oauth_token"), given("oauth_verifier")) else {
        return Err(PipelineError::BadRequest(
            "providerData needs oauth_token and oauth_verifier (from the vendor's redirect) and secret (the request token's)".into(),
        ));
    };
    let secret = given("secret").unwrap_or_default();
    let configuration = call.instance.configuration();
    let extra = vec![("oauth_verifier".to_string(), verifier)];
    let answer = token_call(
        call,
        &configuration,
        TOKEN_URL,
        Some((token, secret)),
        extra,
    )
    .await?;
    let (token, secret) = pair(call, &answer)?;
    let mut changes = Map::new();
    changes.insert(oauth1::TOKEN.into(), json!(token));
    changes.insert(oauth1::TOKEN_SECRET.into(), json!(secret));
    Ok(changes)
}

/// POST to the endpoint in configuration `url_key`, signed with the consumer keys (and
/// `token`), `extra` protocol parameters in the query (where RFC 5849 §3.5.3 allows them);
/// the form-encoded answer.
async fn token_call(
    call: &Call<'_>,
    configuration: &Map<String, Value>,
    url_key: &'static str,
    token: Option<(String, String)>,
    extra: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, PipelineError> {
    let element = call.instance.element.key.clone();
    let mut url = text(configuration, url_key).ok_or_else(|| missing(call, url_key))?;
    let mut keys = oauth1::Keys::from_configuration(configuration).map_err(|e| {
        PipelineError::Misconfigured {
            element: element.clone(),
            message: e.to_string(),
        }
    })?;
    keys.token = token.as_ref().map(|(t, _)| t.clone());
    keys.token_secret = token.map(|(_, s)| s).unwrap_or_default();
    // The token endpoints take the protocol parameters in the header (Trello's the query).
    keys.placement = oauth1::Placement::Header;
    for (i, (name, value)) in extra.iter().enumerate() {
        let separator = if i == 0 && !url.contains('?') {
            '?'
        } else {
            '&'
        };
        url.push(separator);
        url.push_str(&format!("{}={}", auth::encode(name), auth::encode(value)));
    }
    let mut headers = Vec::new();
    let mut message = Message {
        method: "POST",
        url: &mut url,
        headers: &mut headers,
        body: b"",
    };
    oauth1::sign(&keys, &mut message, &auth::Fresh::now()).map_err(|e| {
        PipelineError::Misconfigured {
            element: element.clone(),
            message: e.to_string(),
        }
    })?;
    // Not traced or logged: the header carries the signature of the consumer secret.
    let request = VendorRequest {
        method: "POST".into(),
        url,
        headers,
        body: Some(Bytes::new()),
    };
    let response = call
        .vendor
        .send(request)
        .await
        .map_err(|error| PipelineError::Vendor {
            element: element.clone(),
            error,
        })?;
    let text = String::from_utf8_lossy(&response.body).into_owned();
    if !(200..=299).contains(&response.status) {
        return Err(PipelineError::Answered {
            status: if response.status == 401 { 401 } else { 502 },
            message: format!(
                "element {element}: the OAuth 1 endpoint {url_key} answered {}",
                response.status
            ),
            provider_message: Some(Value::String(text.chars().take(2048).collect())),
            headers: Vec::new(),
        });
    }
    Ok(url::form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

/// `oauth_token` and `oauth_token_secret` of an endpoint's answer.
fn pair(call: &Call<'_>, answer: &[(String, String)]) -> Result<(String, String), PipelineError> {
    let find = |name: &str| {
        answer
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    match (find("oauth_token"), find("oauth_token_secret")) {
        (Some(token), Some(secret)) => Ok((token, secret)),
        _ => Err(PipelineError::Answered {
            status: 502,
            message: format!(
                "element {}: the OAuth 1 endpoint answered no oauth_token and oauth_token_secret",
                call.instance.element.key
            ),
            provider_message: None,
            headers: Vec::new(),
        }),
    }
}

fn missing(call: &Call<'_>, key: &str) -> PipelineError {
    PipelineError::Misconfigured {
        element: call.instance.element.key.clone(),
        message: format!(
            "OAuth 1 needs configuration {key}: set it on the element or the instance"
        ),
    }
}
