//! Unit tests of the OAuth 2 URL, requests and token responses.

use super::*;
use serde_json::json;

fn configuration(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn base() -> Map<String, Value> {
    configuration(json!({
        "oauth.api.key": "client 1",
        "oauth.api.secret": "s3cret:x",
        "oauth.callback.url": "https://app.test/cb",
        "oauth.authorization.url": "https://vendor.test/authorize?x=1",
        "oauth.scope": "read write",
        "oauth.token.url": "https://vendor.test/token",
    }))
}

fn query(url: &str) -> Vec<(String, String)> {
    let (_, query) = url.split_once('?').unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[test]
fn the_authorization_url_carries_the_client_the_callback_and_the_challenge() {
    let url = authorization_url(&base(), Some("st"), Some("verifier")).expect("url");
    assert!(url.starts_with("https://vendor.test/authorize?x=1&response_type=code&"));
    let pairs = query(&url);
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("client_id"), Some("client 1"));
    assert_eq!(get("redirect_uri"), Some("https://app.test/cb"));
    assert_eq!(get("scope"), Some("read write"));
    assert_eq!(get("state"), Some("st"));
    assert_eq!(get("code_challenge"), Some(challenge("verifier").as_str()));
    assert_eq!(get("code_challenge_method"), Some("S256"));
}

#[test]
fn the_s256_challenge_is_rfc_7636s_example() {
    // RFC 7636 appendix B.
    assert_eq!(
        challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    assert_eq!(new_verifier().len(), 64);
}

#[test]
fn credentials_go_in_the_form_or_in_basic() {
    let grant = Grant::RefreshToken("r1".into());
    let request = token_request(&base(), &grant).expect("request");
    assert_eq!(request.url, "https://vendor.test/token");
    assert_eq!(
        request.body,
        "grant_type=refresh_token&refresh_token=r1&client_id=client+1&client_secret=s3cret%3Ax"
    );
    let mut basic = base();
    basic.insert(BASIC_HEADER.into(), json!(true));
    basic.insert(REFRESH_URL.into(), json!("https://vendor.test/refresh"));
    let request = token_request(&basic, &grant).expect("request");
    assert_eq!(request.url, "https://vendor.test/refresh");
    assert_eq!(request.body, "grant_type=refresh_token&refresh_token=r1");
    let expected = base64::engine::general_purpose::STANDARD.encode("client+1:s3cret%3Ax");
    assert!(request
        .headers
        .contains(&("Authorization".into(), format!("Basic {expected}"))));
}

#[test]
fn code_and_password_grants() {
    let grant = Grant::AuthorizationCode {
        code: "c".into(),
        verifier: Some("v".into()),
    };
    let request = token_request(&base(), &grant).expect("request");
    assert!(request.body.starts_with(
        "grant_type=authorization_code&code=c&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&code_verifier=v&"
    ));
    assert_eq!(
        token_request(&base(), &Grant::Password),
        Err(OAuthError::Missing(USERNAME))
    );
    let mut password = base();
    password.insert("username".into(), json!("ann"));
    password.insert("password".into(), json!("pw"));
    let request = token_request(&password, &Grant::Password).expect("request");
    assert!(request
        .body
        .starts_with("grant_type=password&username=ann&password=pw&scope=read+write"));
}

#[test]
fn token_responses_in_json_and_in_form() {
    let json = br#"{"access_token":"a","expires_in":3600,"token_type":"bearer","scope":"s"}"#;
    let token = parse_token_response(200, Some("application/json"), json).expect("token");
    assert_eq!(token.access_token, "a");
    assert_eq!(token.refresh_token, None);
    assert_eq!(token.expires_in, Some(3600));
    let changes = token.changes(1_000);
    assert_eq!(changes.get(EXPIRES_AT), Some(&json!("3601000")));
    assert_eq!(changes.get(REFRESH_TIME), Some(&json!("1000")));
    assert!(!changes.contains_key(REFRESH_TOKEN), "the old one is kept");
    let form = b"access_token=b&refresh_token=r&expires_in=60";
    let token = parse_token_response(200, Some("text/plain"), form).expect("token");
    assert_eq!(token.refresh_token.as_deref(), Some("r"));
    assert_eq!(token.expires_in, Some(60));
}

#[test]
fn refusals_and_garbage_are_errors_with_the_vendors_words() {
    let body = br#"{"error":"invalid_grant","error_description":"revoked"}"#;
    let error = parse_token_response(400, None, body).expect_err("refused");
    assert!(
        matches!(&error, OAuthError::Refused { status: 400, message, .. } if message == "invalid_grant: revoked")
    );
    let error = parse_token_response(200, None, body).expect_err("refused");
    assert!(matches!(error, OAuthError::Refused { status: 200, .. }));
    let error = parse_token_response(502, Some("text/html"), b"<h1>down</h1>").expect_err("x");
    assert!(error.to_string().contains("502: <h1>down</h1>"), "{error}");
    let error = parse_token_response(200, None, b"<html/>").expect_err("garbage");
    assert!(matches!(error, OAuthError::Garbage { status: 200, .. }));
}

#[test]
fn expiry_and_interval_decide_a_refresh() {
    let now = 10_000_000;
    let at = |expires: i64| configuration(json!({ EXPIRES_AT: expires.to_string() }));
    assert!(needs_refresh(&at(now + 30_000), now), "inside the margin");
    assert!(!needs_refresh(&at(now + 120_000), now));
    let interval = configuration(
        json!({REFRESH_INTERVAL: "3600", REFRESH_TIME: (now - 3_600_000).to_string()}),
    );
    assert!(needs_refresh(&interval, now));
    let interval =
        configuration(json!({REFRESH_INTERVAL: "3600", REFRESH_TIME: (now - 1000).to_string()}));
    assert!(!needs_refresh(&interval, now));
    assert!(!needs_refresh(&Map::new(), now));
}
