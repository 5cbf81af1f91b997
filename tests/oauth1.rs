//! OAuth 1.0a's three-legged flow against a local provider that checks every signature
//! itself (tests/support/oauth1.rs): a request token, the user's authorization, the access
//! token through `POST /instances` with `providerData`, then signed calls with it.

mod support;

use std::sync::{Arc, Mutex};

use elemental::settings::Settings;
use serde_json::json;
use support::oauth1::{parameters, value, verify};
use support::{http, MockVendor, Project, Reply};

const ADMIN: &str = "adm1n";
const CONSUMER_KEY: &str = "ck-7";
const CONSUMER_SECRET: &str = "cs-s3cret";
const CALLBACK: &str = "https://app.test/oauth1/callback";

/// The provider's tokens as it hands them out.
#[derive(Default)]
struct Book {
    /// Request tokens: (token, secret, verifier once authorized).
    requests: Vec<(String, String, Option<String>)>,
    /// Access tokens: (token, secret).
    access: Vec<(String, String)>,
}

fn form(pairs: &[(&str, &str)]) -> Reply {
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    Reply {
        status: 200,
        headers: vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        body,
        delay: None,
    }
}

fn refused(why: String) -> Reply {
    Reply::json(401, json!({"error": why}))
}

/// The provider: `/request_token`, `/authorize`, `/access_token`, and `/1/me` for calls.
fn provider(book: Arc<Mutex<Book>>) -> MockVendor {
    MockVendor::start(move |seen| {
        let mut book = book.lock().unwrap_or_else(|p| p.into_inner());
        match seen.path.as_str() {
            "/request_token" => match verify(seen, CONSUMER_SECRET, "") {
                Ok(p) if value(&p, "oauth_callback") == CALLBACK => {
                    let n = book.requests.len();
                    book.requests
                        .push((format!("rt-{n}"), format!("rts-{n}"), None));
                    form(&[
                        ("oauth_token", &format!("rt-{n}")),
                        ("oauth_token_secret", &format!("rts-{n}")),
                        ("oauth_callback_confirmed", "true"),
                    ])
                }
                Ok(p) => refused(format!("callback {}", value(&p, "oauth_callback"))),
                Err(e) => refused(e),
            },
            "/authorize" => {
                let token = support::oauth1::form(&seen.query)
                    .into_iter()
                    .find(|(k, _)| k == "oauth_token")
                    .map(|(_, v)| v)
                    .unwrap_or_default();
                match book.requests.iter_mut().find(|r| r.0 == token) {
                    Some(request) => {
                        request.2 = Some(format!("v-{token}"));
                        Reply::json(302, json!({})).header(
                            "Location",
                            &format!("{CALLBACK}?oauth_token={token}&oauth_verifier=v-{token}"),
                        )
                    }
                    None => refused("unknown request token".into()),
                }
            }
            "/access_token" => {
                let token = parameters(seen)
                    .map(|p| value(&p, "oauth_token"))
                    .unwrap_or_default();
                let Some(request) = book.requests.iter().find(|r| r.0 == token).cloned() else {
                    return refused(format!("unknown request token {token}"));
                };
                match verify(seen, CONSUMER_SECRET, &request.1) {
                    Ok(p) if Some(value(&p, "oauth_verifier")) == request.2 => {
                        let n = book.access.len();
                        book.access.push((format!("at-{n}"), format!("ats-{n}")));
                        form(&[
                            ("oauth_token", &format!("at-{n}")),
                            ("oauth_token_secret", &format!("ats-{n}")),
                        ])
                    }
                    Ok(_) => refused("wrong verifier".into()),
                    Err(e) => refused(e),
                }
            }
            _ => {
                let access = book.access.last().cloned().unwrap_or_default();
                match verify(seen, CONSUMER_SECRET, &access.1) {
                    Ok(p) if value(&p, "oauth_token") == access.0 => {
                        Reply::json(200, json!({"me": "ann"}))
                    }
                    Ok(p) => refused(format!("token {}", value(&p, "oauth_token"))),
                    Err(e) => refused(e),
                }
            }
        }
    })
}

fn element(base: &str) -> String {
    format!(
        "key: boards\nauthentication:\n  type: oauth1\nconfiguration:\n  - {{key: base.url, type: TEXTFIELD_1000, defaultValue: '{base}/1'}}\n  - {{key: oauth.api.key, type: TEXTFIELD_128}}\n  - {{key: oauth.api.secret, type: PASSWORD}}\n  - {{key: oauth.callback.url, type: TEXTFIELD_1000, defaultValue: '{CALLBACK}'}}\n  - {{key: oauth.request.url, type: TEXTFIELD_1000, defaultValue: '{base}/request_token'}}\n  - {{key: oauth.authorization.url, type: TEXTFIELD_1000, defaultValue: '{base}/authorize?scope={{scope}}&expiration=never'}}\n  - {{key: oauth.token.url, type: TEXTFIELD_1000, defaultValue: '{base}/access_token'}}\n  - {{key: oauth.scope, type: TEXTFIELD_64, defaultValue: 'read,write'}}\n  - {{key: oauth.user.token, type: TEXTFIELD_64}}\n  - {{key: oauth.user.token.secret, type: TEXTFIELD_64}}\nresources:\n  - method: GET\n    path: /hubs/general/me\n    vendorPath: /me\n"
    )
}

#[test]
fn an_oauth1_account_is_connected_in_three_legs_and_its_calls_are_signed() {
    let book = Arc::new(Mutex::new(Book::default()));
    let vendor = provider(book.clone());
    let p = Project::new();
    p.element("boards", &element(&vendor.base));
    p.instances("instances: []\n");
    let server = p.serve_with(Settings {
        admin_token: Some(ADMIN.into()),
        ..Settings::default()
    });
    let admin = |method: &str, path: &str, body: Option<&str>| {
        http(
            method,
            &format!("{}/elements/api-v2{path}", server.base),
            &[("Elements-Admin-Token", ADMIN)],
            body,
        )
    };
    // 1. A request token, with the consumer's key given as Cloud Elements' query takes it.
    let keys = format!("apiKey={CONSUMER_KEY}&apiSecret={CONSUMER_SECRET}");
    let token = admin("GET", &format!("/elements/boards/oauth/token?{keys}"), None);
    assert_eq!(token.status, 200, "{}", token.body);
    let token = token.body_json();
    let (request_token, secret) = (
        token["token"].as_str().unwrap_or_default().to_string(),
        token["secret"].as_str().unwrap_or_default().to_string(),
    );
    assert_eq!((request_token.as_str(), secret.as_str()), ("rt-0", "rts-0"));
    // 2. Where the user authorizes it ({scope} filled), and the provider's redirect.
    let url = admin(
        "GET",
        &format!("/elements/boards/oauth/url?{keys}&requestToken={request_token}"),
        None,
    );
    let url = url.body_json()["oauthUrl"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        url,
        format!(
            "{}/authorize?scope=read%2Cwrite&expiration=never&oauth_token=rt-0",
            vendor.base
        )
    );
    let redirect = http("GET", &url, &[], None);
    let location = redirect
        .header_value("location")
        .unwrap_or_default()
        .to_string();
    let verifier = support::oauth1::value(
        &support::oauth1::form(location.split_once('?').map(|x| x.1).unwrap_or_default()),
        "oauth_verifier",
    );
    // 3. The account, with the access token for the verifier.
    let body = json!({
        "element": {"key": "boards"},
        "configuration": {"oauth.api.key": CONSUMER_KEY, "oauth.api.secret": CONSUMER_SECRET},
        "providerData": {"oauth_token": request_token, "oauth_verifier": verifier, "secret": secret}
    });
    let created = admin("POST", "/instances", Some(&body.to_string()));
    assert_eq!(created.status, 200, "{}", created.body);
    let created = created.body_json();
    assert_eq!(
        created["configuration"]["oauth.user.token.secret"],
        json!("********")
    );
    let caller = created["token"].as_str().unwrap_or_default();
    // 4. Calls are signed with it: the provider verifies each one.
    let me = server.call("GET", "/hubs/general/me", caller, None);
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body_json(), json!({"me": "ann"}));
    // A wrong verifier: the provider refuses, the step is named, nothing is created.
    let wrong = json!({
        "element": {"key": "boards"},
        "configuration": {"oauth.api.key": CONSUMER_KEY, "oauth.api.secret": CONSUMER_SECRET},
        "providerData": {"oauth_token": "rt-0", "oauth_verifier": "guess", "secret": "rts-0"}
    });
    let refused = admin("POST", "/instances", Some(&wrong.to_string()));
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert!(
        refused.body_json()["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("the OAuth 1 token exchange: "),
        "{}",
        refused.body
    );
    assert_eq!(
        admin("GET", "/instances", None)
            .body_json()
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}
