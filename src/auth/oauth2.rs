//! OAuth 2 (RFC 6749, PKCE RFC 7636): authorization URLs, token requests, token responses.
//!
//! Pure: the configuration map in, a URL or a request to send or the configuration changes
//! to store out. The pipeline sends the requests and stores the changes.

use base64::Engine as _;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::text;

/// Cloud Elements' configuration keys for OAuth 2 elements.
pub const CLIENT_ID: &str = "oauth.api.key";
pub const CLIENT_SECRET: &str = "oauth.api.secret";
pub const CALLBACK_URL: &str = "oauth.callback.url";
pub const AUTHORIZATION_URL: &str = "oauth.authorization.url";
pub const SCOPE: &str = "oauth.scope";
pub const TOKEN_URL: &str = "oauth.token.url";
/// Where refresh requests go; the token URL when blank.
pub const REFRESH_URL: &str = "oauth.token.refresh_url";
/// `true`: the client credentials go in `Authorization: Basic`; else in the form body.
pub const BASIC_HEADER: &str = "oauth.basic.header";
/// elemental's own key: `true` adds a PKCE S256 challenge to the authorization URL.
pub const PKCE: &str = "oauth.pkce";
pub const TOKEN: &str = "oauth.user.token";
pub const REFRESH_TOKEN: &str = "oauth.user.refresh_token";
/// elemental's own key: when the access token expires, in milliseconds since the epoch.
pub const EXPIRES_AT: &str = "oauth.user.token.expires_at";
/// Seconds between refreshes, counted from `REFRESH_TIME` (Cloud Elements' keys).
pub const REFRESH_INTERVAL: &str = "oauth.user.refresh_interval";
/// When the token was last obtained, in milliseconds since the epoch.
pub const REFRESH_TIME: &str = "oauth.user.refresh_time";
/// `oauth2Password` elements: the resource owner's credentials.
pub const USERNAME: &str = "username";
pub const PASSWORD: &str = "password";

/// A token is refreshed this long before it expires: a request started just before the
/// expiry must not reach the vendor just after it.
pub const EXPIRY_MARGIN_MS: i64 = 60_000;

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum OAuthError {
    #[error("OAuth 2 needs configuration {0}: set it on the element or the instance")]
    Missing(&'static str),
    #[error("configuration {key} is \"{value}\", not an absolute http(s) URL")]
    BadUrl { key: &'static str, value: String },
    /// The token endpoint refused (non-2xx): its status and what it said.
    #[error("the token endpoint answered {status}: {message}")]
    Refused {
        status: u16,
        message: String,
        /// The endpoint's body, JSON when it was JSON, else its text.
        body: Value,
    },
    #[error("the token endpoint answered {status} without a usable token: {reason}")]
    Garbage { status: u16, reason: String },
}

/// The grants elemental asks a token endpoint for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// The code the vendor redirected with, and the PKCE verifier if the URL had a challenge.
    AuthorizationCode {
        code: String,
        verifier: Option<String>,
    },
    RefreshToken(String),
    /// `oauth2Password`: `username`/`password` of the configuration.
    Password,
}

/// A token request to send: `POST url` with a form body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// `application/x-www-form-urlencoded`.
    pub body: String,
}

/// What a token endpoint answered, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub access_token: String,
    /// Absent: the old refresh token stays valid (RFC 6749 §6).
    pub refresh_token: Option<String>,
    pub expires_in: Option<i64>,
    pub token_type: Option<String>,
    pub scope: Option<String>,
}

impl Token {
    /// The configuration changes that store this token, obtained at `now_ms`. An absent
    /// `expires_in` removes an earlier expiry (`null`), which would otherwise stay past.
    pub fn changes(&self, now_ms: i64) -> Map<String, Value> {
        let mut changes = Map::new();
        changes.insert(TOKEN.into(), Value::String(self.access_token.clone()));
        if let Some(refresh) = &self.refresh_token {
            changes.insert(REFRESH_TOKEN.into(), Value::String(refresh.clone()));
        }
        let expires_at = self
            .expires_in
            .map(|seconds| Value::String(now_ms.saturating_add(seconds * 1000).to_string()));
        changes.insert(EXPIRES_AT.into(), expires_at.unwrap_or(Value::Null));
        changes.insert(REFRESH_TIME.into(), Value::String(now_ms.to_string()));
        changes
    }
}

/// The authorization URL a user is sent to: `response_type=code`, client_id, redirect_uri,
/// scope, state and, with `oauth.pkce`, the S256 challenge of `verifier`.
pub fn authorization_url(
    configuration: &Map<String, Value>,
    state: Option<&str>,
    verifier: Option<&str>,
) -> Result<String, OAuthError> {
    let base = absolute(configuration, AUTHORIZATION_URL)?;
    let client_id = text(configuration, CLIENT_ID).ok_or(OAuthError::Missing(CLIENT_ID))?;
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("response_type", "code");
    query.append_pair("client_id", &client_id);
    if let Some(callback) = text(configuration, CALLBACK_URL) {
        query.append_pair("redirect_uri", &callback);
    }
    if let Some(scope) = text(configuration, SCOPE) {
        query.append_pair("scope", &scope);
    }
    if let Some(state) = state.filter(|s| !s.is_empty()) {
        query.append_pair("state", state);
    }
    if let Some(verifier) = verifier {
        query.append_pair("code_challenge", &challenge(verifier));
        query.append_pair("code_challenge_method", "S256");
    }
    let separator = if base.contains('?') { '&' } else { '?' };
    Ok(format!("{base}{separator}{}", query.finish()))
}

/// Whether the configuration asks for PKCE (`oauth.pkce: true`).
pub fn pkce(configuration: &Map<String, Value>) -> bool {
    text(configuration, PKCE).is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// A fresh PKCE code verifier: 64 characters of the unreserved set (RFC 7636 §4.1).
pub fn new_verifier() -> String {
    use rand::distr::{Alphanumeric, SampleString};
    Alphanumeric.sample_string(&mut rand::rng(), 64)
}

/// The S256 challenge of a verifier: base64url(SHA-256(verifier)) without padding.
pub fn challenge(verifier: &str) -> String {
    let digest = Sha256::digest(verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// The token request for `grant`: to the token URL (refresh: the refresh URL if set), the
/// client credentials in `Authorization: Basic` when `oauth.basic.header`, else in the form.
pub fn token_request(
    configuration: &Map<String, Value>,
    grant: &Grant,
) -> Result<TokenRequest, OAuthError> {
    let url = match grant {
        Grant::RefreshToken(_) if text(configuration, REFRESH_URL).is_some() => {
            absolute(configuration, REFRESH_URL)?
        }
        _ => absolute(configuration, TOKEN_URL)?,
    };
    let client_id = text(configuration, CLIENT_ID).ok_or(OAuthError::Missing(CLIENT_ID))?;
    let secret = text(configuration, CLIENT_SECRET);
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    match grant {
        Grant::AuthorizationCode { code, verifier } => {
            form.append_pair("grant_type", "authorization_code");
            form.append_pair("code", code);
            if let Some(callback) = text(configuration, CALLBACK_URL) {
                form.append_pair("redirect_uri", &callback);
            }
            if let Some(verifier) = verifier {
                form.append_pair("code_verifier", verifier);
            }
        }
        Grant::RefreshToken(refresh) => {
            form.append_pair("grant_type", "refresh_token");
            form.append_pair("refresh_token", refresh);
        }
        Grant::Password => {
            let user = text(configuration, USERNAME).ok_or(OAuthError::Missing(USERNAME))?;
            let password = text(configuration, PASSWORD).ok_or(OAuthError::Missing(PASSWORD))?;
            form.append_pair("grant_type", "password");
            form.append_pair("username", &user);
            form.append_pair("password", &password);
            if let Some(scope) = text(configuration, SCOPE) {
                form.append_pair("scope", &scope);
            }
        }
    }
    let mut headers = vec![
        (
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded".to_string(),
        ),
        ("Accept".to_string(), "application/json".to_string()),
    ];
    let basic = text(configuration, BASIC_HEADER).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if basic {
        // RFC 6749 §2.3.1: each part form-encoded before the Basic encoding.
        let pair = format!(
            "{}:{}",
            form_encode(&client_id),
            form_encode(secret.as_deref().unwrap_or_default())
        );
        let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
        headers.push(("Authorization".into(), format!("Basic {encoded}")));
    } else {
        form.append_pair("client_id", &client_id);
        if let Some(secret) = &secret {
            form.append_pair("client_secret", secret);
        }
    }
    Ok(TokenRequest {
        url,
        headers,
        body: form.finish(),
    })
}

/// Parse a token endpoint's answer: JSON, or a form (some vendors answer
/// `access_token=...&expires_in=...`). Non-2xx, or no `access_token`, is an error carrying
/// the endpoint's status and message.
pub fn parse_token_response(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Token, OAuthError> {
    let fields = fields(content_type, body);
    if !(200..300).contains(&status) {
        return Err(OAuthError::Refused {
            status,
            message: refusal_message(fields.as_ref(), body),
            body: serde_json::from_slice(body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned())),
        });
    }
    let garbage = |reason: &str| OAuthError::Garbage {
        status,
        reason: reason.to_string(),
    };
    let fields = fields.ok_or_else(|| garbage("the body is neither JSON nor a form"))?;
    // A 200 carrying an OAuth error (some vendors do): still a refusal.
    if let (None, Some(_)) = (field(&fields, "access_token"), field(&fields, "error")) {
        return Err(OAuthError::Refused {
            status,
            message: refusal_message(Some(&fields), body),
            body: Value::Object(fields),
        });
    }
    let access_token = field(&fields, "access_token").ok_or_else(|| garbage("no access_token"))?;
    let expires_in = match field(&fields, "expires_in") {
        None => None,
        Some(text) => Some(
            text.parse::<f64>()
                .map(|s| s as i64)
                .map_err(|_| garbage("expires_in is not a number"))?,
        ),
    };
    Ok(Token {
        access_token,
        refresh_token: field(&fields, "refresh_token"),
        expires_in,
        token_type: field(&fields, "token_type"),
        scope: field(&fields, "scope"),
    })
}

/// Whether the token must be refreshed at `now_ms`: it expires within the margin, or the
/// refresh interval has passed since it was obtained.
pub fn needs_refresh(configuration: &Map<String, Value>, now_ms: i64) -> bool {
    let number = |key| text(configuration, key).and_then(|t| t.parse::<f64>().ok());
    if let Some(expires_at) = number(EXPIRES_AT) {
        if now_ms.saturating_add(EXPIRY_MARGIN_MS) >= expires_at as i64 {
            return true;
        }
    }
    match (number(REFRESH_INTERVAL), number(REFRESH_TIME)) {
        (Some(interval), Some(time)) if interval > 0.0 => {
            now_ms >= (time + interval * 1000.0) as i64
        }
        _ => false,
    }
}

/// The body's fields: a JSON object, or form pairs.
fn fields(content_type: Option<&str>, body: &[u8]) -> Option<Map<String, Value>> {
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        return Some(map);
    }
    let form = content_type.is_some_and(|t| t.contains("x-www-form-urlencoded"))
        || std::str::from_utf8(body)
            .is_ok_and(|t| t.contains('=') && !t.trim_start().starts_with('<'));
    form.then(|| {
        url::form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect()
    })
}

/// A field as text, blank counting as absent.
fn field(fields: &Map<String, Value>, name: &str) -> Option<String> {
    text(fields, name)
}

/// What a refusing endpoint said: `error` and `error_description`, a `message`, or its text.
fn refusal_message(fields: Option<&Map<String, Value>>, body: &[u8]) -> String {
    let said = fields.and_then(|f| {
        let error = field(f, "error");
        let description = field(f, "error_description").or_else(|| field(f, "message"));
        match (error, description) {
            (Some(e), Some(d)) => Some(format!("{e}: {d}")),
            (e, d) => e.or(d),
        }
    });
    said.unwrap_or_else(|| {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        if text.is_empty() {
            "(no body)".to_string()
        } else {
            text.chars().take(500).collect()
        }
    })
}

/// A configuration URL that must be absolute.
fn absolute(configuration: &Map<String, Value>, key: &'static str) -> Result<String, OAuthError> {
    let url = text(configuration, key).ok_or(OAuthError::Missing(key))?;
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url)
    } else {
        Err(OAuthError::BadUrl { key, value: url })
    }
}

fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
#[path = "oauth2_tests.rs"]
mod tests;
