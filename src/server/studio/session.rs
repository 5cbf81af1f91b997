//! The studio's session cookie and CSRF token: `<expiry>.<signature>`, signed with a key drawn
//! from the admin token, so that nothing is kept per session and any node checks them.

use actix_web::HttpRequest;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::secret::{matches, SigningKey};
use crate::settings::Settings;

/// The cookie's name.
pub const COOKIE: &str = "elemental_studio";
/// The header a studio page sends its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a login lasts.
const LIFETIME_SECS: u64 = 12 * 3600;

/// A valid session: when it ends, and the CSRF token that goes with it.
#[derive(Debug, Clone)]
pub struct Session {
    pub expires: u64,
    pub csrf: String,
}

/// The key sessions are signed with: the admin token's, never the token itself.
fn key(settings: &Settings) -> Option<SigningKey> {
    let token = settings.admin_token.as_deref().filter(|t| !t.is_empty())?;
    Some(SigningKey::from_text(&format!(
        "elemental studio session\n{token}"
    )))
}

fn signature(key: &SigningKey, purpose: &str, expires: u64) -> String {
    URL_SAFE_NO_PAD.encode(key.sign(format!("{purpose}.{expires}").as_bytes()))
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The `Set-Cookie` value for a login with `token`, or `None` when it is not the admin token.
pub fn open(token: &str, settings: &Settings, secure: bool) -> Option<String> {
    let expected = settings.admin_token.as_deref().filter(|t| !t.is_empty())?;
    if !matches(token.trim().as_bytes(), expected.as_bytes()) {
        return None;
    }
    let key = key(settings)?;
    let expires = now() + LIFETIME_SECS;
    let value = format!("{expires}.{}", signature(&key, "session", expires));
    Some(cookie(&value, LIFETIME_SECS, secure))
}

/// The `Set-Cookie` value that ends a session.
pub fn closed(secure: bool) -> String {
    cookie("", 0, secure)
}

fn cookie(value: &str, max_age: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}")
}

/// The request's session, when its cookie is signed with the current admin token's key and
/// has not expired.
pub fn of(request: &HttpRequest, settings: &Settings) -> Option<Session> {
    let value = cookie_value(request)?;
    let (expires, signed) = value.split_once('.')?;
    let expires: u64 = expires.parse().ok()?;
    let key = key(settings)?;
    let expected = signature(&key, "session", expires);
    if expires <= now() || !matches(signed.as_bytes(), expected.as_bytes()) {
        return None;
    }
    Some(Session {
        expires,
        csrf: signature(&key, "csrf", expires),
    })
}

/// The session cookie's value, read by hand (actix's cookie support would add a crate and a
/// date library for one name=value pair).
fn cookie_value(request: &HttpRequest) -> Option<String> {
    let prefix = format!("{COOKIE}=");
    request
        .headers()
        .get_all(actix_web::http::header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|header| header.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(&prefix).map(str::to_string))
}

/// Whether a change sent with the session carries its CSRF token: a page of another site
/// cannot read it, nor set the header without the browser asking first (CORS, which this
/// server never allows).
pub fn csrf_ok(request: &HttpRequest, session: &Session) -> bool {
    request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|given| matches(given.as_bytes(), session.csrf.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn settings(token: &str) -> Settings {
        Settings {
            admin_token: Some(token.into()),
            ..Settings::default()
        }
    }

    fn with_cookie(set_cookie: &str) -> HttpRequest {
        let pair = set_cookie.split(';').next().unwrap_or_default();
        TestRequest::default()
            .insert_header(("Cookie", pair))
            .to_http_request()
    }

    #[test]
    fn a_login_gives_a_cookie_only_the_same_token_accepts() {
        let s = settings("adm1n");
        assert!(open("wrong", &s, false).is_none());
        let cookie = open("adm1n", &s, false).unwrap_or_default();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        assert!(!cookie.contains("adm1n"), "the token is in the cookie");
        assert!(!cookie.contains("Secure"));
        assert!(open("adm1n", &s, true).is_some_and(|c| c.ends_with("; Secure")));
        let session = of(&with_cookie(&cookie), &s);
        assert!(session.is_some());
        // Another admin token (rotated, or another deployment) ends the session.
        assert!(of(&with_cookie(&cookie), &settings("other")).is_none());
        assert!(of(&with_cookie(&cookie), &Settings::default()).is_none());
    }

    #[test]
    fn a_forged_or_expired_cookie_is_no_session() {
        let s = settings("adm1n");
        let key = key(&s).unwrap_or_else(SigningKey::random);
        let past = now() - 1;
        let expired = format!("{COOKIE}={past}.{}", signature(&key, "session", past));
        assert!(of(&with_cookie(&expired), &s).is_none());
        let later = now() + 10 * LIFETIME_SECS;
        let forged = format!("{COOKIE}={later}.AAAA");
        assert!(of(&with_cookie(&forged), &s).is_none());
        // A CSRF token is not a session signature.
        let csrf_signed = format!("{COOKIE}={later}.{}", signature(&key, "csrf", later));
        assert!(of(&with_cookie(&csrf_signed), &s).is_none());
    }

    #[test]
    fn changes_need_the_sessions_csrf_token() {
        let s = settings("adm1n");
        let cookie = open("adm1n", &s, false).unwrap_or_default();
        let Some(session) = of(&with_cookie(&cookie), &s) else {
            panic!("no session");
        };
        let bare = with_cookie(&cookie);
        assert!(!csrf_ok(&bare, &session));
        let pair = cookie.split(';').next().unwrap_or_default();
        let sent = TestRequest::default()
            .insert_header(("Cookie", pair))
            .insert_header((CSRF_HEADER, session.csrf.as_str()))
            .to_http_request();
        assert!(csrf_ok(&sent, &session));
    }
}
