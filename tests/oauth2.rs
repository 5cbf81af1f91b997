//! OAuth 2 end to end against a local authorization server (tests/support/oauth.rs): the
//! authorization URL route, the code exchange with PKCE, transparent refresh (single flight,
//! after a 401, rotation kept across restarts), revocation, the password grant, and tokens
//! kept out of traces and logs.

#[path = "support/oauth.rs"]
mod oauth;
mod support;

#[path = "oauth2/resources.rs"]
mod resources;

use std::sync::Arc;
use std::time::Duration;

use elemental::settings::Settings;
use oauth::{AuthServer, CLIENT_ID, CLIENT_SECRET, PASSWORD, REDIRECT_URI, USERNAME};
use serde_json::{json, Map, Value};
use support::{http, one_instance, Project, Server};

const ADMIN: &str = "adm1n";

fn settings() -> Settings {
    Settings {
        admin_token: Some(ADMIN.into()),
        ..Settings::default()
    }
}

/// An oauth2 element whose defaults point at `auth`; `extra` adds configuration entries.
fn element(auth: &AuthServer, kind: &str, extra: &str) -> String {
    let base = &auth.base;
    format!(
        "key: shop\nname: Shop\nauthentication:\n  type: {kind}\nconfiguration:
  - key: base.url\n    type: TEXTFIELD_1000\n    defaultValue: {base}/api
  - key: oauth.api.key\n    type: TEXTFIELD_128
  - key: oauth.api.secret\n    type: PASSWORD
  - key: oauth.callback.url\n    type: TEXTFIELD_1000\n    defaultValue: {REDIRECT_URI}
  - key: oauth.authorization.url\n    type: TEXTFIELD_1000\n    defaultValue: {base}/authorize
  - key: oauth.token.url\n    type: TEXTFIELD_1000\n    defaultValue: {base}/token
  - key: oauth.scope\n    type: TEXTFIELD_64\n    defaultValue: read write
  - key: oauth.user.token\n    type: TEXTFIELD_64
  - key: oauth.user.refresh_token\n    type: TEXTFIELD_64
{extra}resources:
  - method: GET\n    path: /hubs/shop/orders\n    vendorPath: /orders
"
    )
}

/// The instance's configuration lines: the client, and `tokens` (YAML, 6 spaces).
fn instance(tokens: &str) -> String {
    one_instance(
        "shop",
        "tok",
        &format!(
            "      oauth.api.key: {CLIENT_ID}\n      oauth.api.secret: {CLIENT_SECRET}\n{tokens}"
        ),
    )
}

/// An instance holding an expired access token and a live refresh token.
fn expired(auth: &AuthServer) -> Project {
    auth.seed("at-0", "rt-0");
    let p = Project::new();
    p.element("shop", &element(auth, "oauth2", ""));
    p.instances(&instance(
        "      oauth.user.token: at-0\n      oauth.user.refresh_token: rt-0\n      oauth.user.token.expires_at: '1000'",
    ));
    p
}

fn configuration(server: &Server) -> Map<String, Value> {
    let loaded = server.state.current();
    loaded
        .instances
        .by_id(1)
        .expect("instance 1")
        .configuration()
}

fn url_route(server: &Server, query: &str, admin: Option<&str>) -> support::Reply {
    let url = format!(
        "{}/elements/api-v2/elements/shop/oauth/url?{query}",
        server.base
    );
    let headers: Vec<(&str, &str)> = admin
        .map(|a| ("Elements-Admin-Token", a))
        .into_iter()
        .collect();
    http("GET", &url, &headers, None)
}

fn query_of(url: &str) -> Map<String, Value> {
    let (_, query) = url.split_once('?').unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), json!(v)))
        .collect()
}

#[test]
fn the_oauth_url_route_answers_the_authorization_url_and_the_vendor_redirects_with_a_code() {
    let auth = AuthServer::start(3600);
    let p = Project::new();
    p.element("shop", &element(&auth, "oauth2", ""));
    p.instances("instances: []\n");
    let server = p.serve_with(settings());
    let reply = url_route(
        &server,
        &format!("apiKey={CLIENT_ID}&apiSecret=x&state=st%201"),
        Some(ADMIN),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body = reply.body_json();
    assert_eq!(body["element"], json!("shop"));
    assert!(body.get("codeVerifier").is_none(), "no PKCE unless asked");
    let url = body["oauthUrl"].as_str().expect("oauthUrl").to_string();
    assert!(
        url.starts_with(&format!("{}/authorize?", auth.base)),
        "{url}"
    );
    let query = query_of(&url);
    assert_eq!(query["response_type"], json!("code"));
    assert_eq!(query["client_id"], json!(CLIENT_ID));
    assert_eq!(query["redirect_uri"], json!(REDIRECT_URI));
    assert_eq!(query["scope"], json!("read write"));
    assert_eq!(query["state"], json!("st 1"));
    // The vendor accepts it: a redirect to the callback with a code and the state.
    let redirect = http("GET", &url, &[], None);
    assert_eq!(redirect.status, 302, "{}", redirect.body);
    let location = redirect.header_value("location").expect("location");
    assert!(location.starts_with(REDIRECT_URI), "{location}");
    assert_eq!(query_of(location)["state"], json!("st 1"));
    // A callbackUrl given overrides the default: the vendor refuses an unregistered one.
    let other = url_route(
        &server,
        &format!("apiKey={CLIENT_ID}&callbackUrl=https%3A%2F%2Fevil.test"),
        Some(ADMIN),
    );
    let url = other.body_json()["oauthUrl"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(query_of(&url)["redirect_uri"], json!("https://evil.test"));
    assert_eq!(http("GET", &url, &[], None).status, 400);
    // The admin's route; an unknown element is 404.
    assert_eq!(url_route(&server, "apiKey=k", None).status, 401);
    assert_eq!(url_route(&server, "apiKey=k", Some("wrong")).status, 401);
    let unknown = format!(
        "{}/elements/api-v2/elements/nope/oauth/url?apiKey=k",
        server.base
    );
    assert_eq!(
        http("GET", &unknown, &[("Elements-Admin-Token", ADMIN)], None).status,
        404
    );
}

/// Run `f` with a pipeline `Call` for instance 1 of `p`, as the instances API will.
fn with_call<T>(
    p: &Project,
    f: impl for<'a> AsyncFnOnce(&'a elemental::pipeline::Call<'a>) -> T,
) -> T {
    let (elements, records, _) = elemental::sources::load(&p.sources());
    let store = elemental::store::SqliteStore::open(&p.path("data")).expect("store");
    // The key the servers of `p` sealed with, as `Project::serve` keeps it.
    let key = elemental::secret::key_file(&p.path("data/secret.key")).expect("key file");
    let settings = Settings {
        sealer: Arc::new(elemental::seal::Sealer::new(key, None)),
        ..Settings::default()
    };
    actix_web::rt::System::new().block_on(async {
        let instances = elemental::instance::build(records, &elements, &store, &settings.sealer)
            .await
            .expect("instances");
        let instance = instances.by_id(1).expect("instance 1").clone();
        let vendor = elemental::vendor::VendorClient::new(settings.vendor_limits);
        let metrics = elemental::metrics::Metrics::default();
        let call = elemental::pipeline::Call {
            request_id: "test",
            instance: &instance,
            store: &store,
            vendor: &vendor,
            settings: &settings,
            metrics: &metrics,
            admission: None,
            trace: None,
        };
        f(&call).await
    })
}

#[test]
fn a_code_is_exchanged_with_its_pkce_verifier() {
    let auth = AuthServer::start(3600);
    let p = Project::new();
    let pkce = "  - key: oauth.pkce\n    type: BOOLEAN\n    defaultValue: 'true'\n";
    p.element("shop", &element(&auth, "oauth2", pkce));
    p.instances(&instance(""));
    let server = p.serve_with(settings());
    let body = url_route(&server, &format!("apiKey={CLIENT_ID}&state=s"), Some(ADMIN)).body_json();
    server.stop();
    let verifier = body["codeVerifier"]
        .as_str()
        .expect("codeVerifier")
        .to_string();
    let url = body["oauthUrl"].as_str().expect("oauthUrl");
    let query = query_of(url);
    assert_eq!(query["code_challenge_method"], json!("S256"));
    assert!(query["code_challenge"]
        .as_str()
        .is_some_and(|c| c.len() == 43));
    let code_of = |url: &str| {
        let redirect = http("GET", url, &[], None);
        query_of(redirect.header_value("location").expect("location"))["code"].clone()
    };
    // A wrong verifier: the vendor's refusal, typed, with its words.
    let wrong = json!({"code": code_of(url), "code_verifier": "not-the-verifier"});
    let error = with_call(&p, async |call| {
        elemental::pipeline::exchange_code(call, wrong.as_object().expect("map")).await
    })
    .expect_err("refused");
    assert!(
        matches!(error, elemental::pipeline::PipelineError::Token { .. }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("invalid_grant: code_verifier does not match"),
        "{error}"
    );
    // The right one: the configuration to store.
    let right = json!({"code": code_of(url), "code_verifier": verifier});
    let changes = with_call(&p, async |call| {
        elemental::pipeline::exchange_code(call, right.as_object().expect("map")).await
    })
    .expect("tokens");
    assert!(changes["oauth.user.token"]
        .as_str()
        .is_some_and(|t| t.starts_with("at-")));
    assert_eq!(
        changes["oauth.user.refresh_token"],
        json!(auth.live_refresh())
    );
    let expires_at: i64 = changes["oauth.user.token.expires_at"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .expect("expires_at");
    let now = elemental::clock::now_ms();
    assert!(
        (now + 3_590_000..=now + 3_600_000).contains(&expires_at),
        "{expires_at}"
    );
    assert!(changes.contains_key("oauth.user.refresh_time"));
    assert_eq!(
        auth.basic(),
        [false, false],
        "credentials in the form by default"
    );
}

#[test]
fn an_expired_token_is_refreshed_transparently_and_the_rotated_tokens_are_stored() {
    let auth = AuthServer::start(3600);
    let p = expired(&auth);
    let server = p.serve();
    let reply = server.call("GET", "/hubs/shop/orders", "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body_json()["path"], json!("/api/orders"));
    assert_eq!(auth.token_requests(), 1);
    let stored = configuration(&server);
    assert_eq!(
        stored["oauth.user.refresh_token"],
        json!(auth.live_refresh())
    );
    assert_ne!(stored["oauth.user.token"], json!("at-0"));
    // The next call uses the new token as it is: no refresh.
    assert_eq!(
        server.call("GET", "/hubs/shop/orders", "tok", None).status,
        200
    );
    assert_eq!(auth.token_requests(), 1);
    let metrics = http("GET", &format!("{}/metrics", server.base), &[], None).body;
    assert!(
        metrics.contains("elemental_token_refreshes_total{element=\"shop\",outcome=\"success\"} 1"),
        "{metrics}"
    );
}

#[test]
fn twenty_concurrent_calls_at_expiry_cause_exactly_one_refresh() {
    let auth = AuthServer::start(3600);
    // Slow enough that every call arrives while the refresh is under way.
    auth.slow(Duration::from_millis(300));
    let p = expired(&auth);
    let server = Arc::new(p.serve());
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let server = server.clone();
            std::thread::spawn(move || server.call("GET", "/hubs/shop/orders", "tok", None).status)
        })
        .collect();
    let statuses: Vec<u16> = calls.into_iter().map(|c| c.join().expect("call")).collect();
    assert_eq!(statuses, vec![200; 20]);
    assert_eq!(auth.token_requests(), 1);
}

#[test]
fn a_vendor_401_causes_one_refresh_and_one_retry() {
    let auth = AuthServer::start(3600);
    auth.seed("unused", "rt-0");
    auth.seed_live("at-live", 3600);
    let p = Project::new();
    p.element("shop", &element(&auth, "oauth2", ""));
    p.instances(&instance(
        "      oauth.user.token: at-live\n      oauth.user.refresh_token: rt-0",
    ));
    let server = p.serve();
    assert_eq!(
        server.call("GET", "/hubs/shop/orders", "tok", None).status,
        200
    );
    assert_eq!(
        auth.token_requests(),
        0,
        "a token the vendor takes is not refreshed"
    );
    // The vendor revokes the access token before it expires.
    auth.reject("at-live");
    let reply = server.call("GET", "/hubs/shop/orders", "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(auth.token_requests(), 1);
    // A 401 the refresh does not cure is passed on after one retry, not refreshed again.
    auth.refuse_all();
    let reply = server.call("GET", "/hubs/shop/orders", "tok", None);
    assert_eq!(reply.status, 401, "{}", reply.body);
    assert_eq!(
        reply.body_json()["providerMessage"]["message"],
        json!("invalid or expired token")
    );
    assert_eq!(auth.token_requests(), 2);
    let loaded = server.state.current();
    let instance = loaded.instances.by_id(1).expect("instance");
    assert_eq!(instance.invalid_reason(), None, "the refresh itself worked");
}

#[test]
fn a_revoked_refresh_token_answers_401_marks_the_instance_invalid_and_the_store_keeps_the_rotated_token(
) {
    // Tokens that expire within the refresh margin: every call refreshes.
    let auth = AuthServer::start(30);
    let p = expired(&auth);
    let server = p.serve();
    assert_eq!(
        server.call("GET", "/hubs/shop/orders", "tok", None).status,
        200
    );
    assert_eq!(
        server.call("GET", "/hubs/shop/orders", "tok", None).status,
        200
    );
    assert_eq!(auth.token_requests(), 2);
    let rotated = auth.live_refresh().expect("a live refresh token");
    auth.revoke();
    let reply = server.call("GET", "/hubs/shop/orders", "tok", None);
    assert_eq!(reply.status, 401, "{}", reply.body);
    let body = reply.body_json();
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("invalid_grant: the refresh token was revoked"),
        "{body}"
    );
    assert_eq!(body["providerMessage"]["error"], json!("invalid_grant"));
    let loaded = server.state.current();
    let instance = loaded.instances.by_id(1).expect("instance");
    let reason = instance.invalid_reason().expect("the instance is invalid");
    assert!(reason.contains("invalid_grant"), "{reason}");
    let metrics = http("GET", &format!("{}/metrics", server.base), &[], None).body;
    assert!(
        metrics.contains("elemental_token_refreshes_total{element=\"shop\",outcome=\"failure\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("elemental_instances_invalidated_total{element=\"shop\"} 1"),
        "{metrics}"
    );
    drop(loaded);
    server.stop();
    // Restarted on the same data folder: the last rotated refresh token, not the file's.
    let server = p.serve();
    assert_eq!(
        configuration(&server)["oauth.user.refresh_token"],
        json!(rotated)
    );
}

#[test]
fn an_oauth2_password_element_obtains_its_token_by_password_grant() {
    let auth = AuthServer::start(3600);
    auth.answer_in_form();
    let p = Project::new();
    let user = "  - key: username\n    type: TEXTFIELD_64\n  - key: password\n    type: PASSWORD\n";
    p.element("shop", &element(&auth, "oauth2Password", user));
    p.instances(&instance(&format!(
        "      username: {USERNAME}\n      password: {PASSWORD}"
    )));
    let server = p.serve();
    let reply = server.call("GET", "/hubs/shop/orders", "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        server.call("GET", "/hubs/shop/orders", "tok", None).status,
        200
    );
    assert_eq!(auth.token_requests(), 1);
    server.stop();
    let changes = with_call(&p, async |call| {
        elemental::pipeline::password_grant(call).await
    });
    assert!(changes.expect("tokens")["oauth.user.token"]
        .as_str()
        .is_some_and(|t| t.starts_with("at-")));
}

#[test]
fn a_refreshing_debug_call_shows_no_token_in_its_trace() {
    let auth = AuthServer::start(3600);
    let p = expired(&auth);
    // A hook that copies the token into a header and the console: still masked.
    let hook = "hooks:\n  - type: preRequest\n    body: \"console.log('using ' + configuration['oauth.user.token']); done({request_vendor_headers: {'X-Copy': configuration['oauth.user.token']}});\"\n";
    p.element("shop", &element(&auth, "oauth2", hook));
    let server = p.serve_with(settings());
    let url = format!("{}/elements/api-v2/hubs/shop/orders", server.base);
    let headers = [
        ("Authorization", "Element tok"),
        ("Elements-Debug", "true"),
        ("Elements-Admin-Token", ADMIN),
    ];
    let reply = http("GET", &url, &headers, None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let id = reply.header_value("elements-request-id").expect("id");
    let trace = http(
        "GET",
        &format!("{}/admin/traces/{id}", server.base),
        &[("Authorization", "Bearer adm1n")],
        None,
    );
    assert_eq!(trace.status, 200);
    let stored = configuration(&server);
    for key in ["oauth.user.token", "oauth.user.refresh_token"] {
        let token = stored[key].as_str().expect("token");
        assert!(
            !trace.body.contains(token),
            "{key} in the trace: {}",
            trace.body
        );
    }
    assert!(!trace.body.contains(CLIENT_SECRET), "{}", trace.body);
    assert!(trace.body.contains("using ********"), "{}", trace.body);
}

#[test]
fn the_logs_of_a_refreshing_call_show_no_token() {
    let auth = AuthServer::start(3600);
    let p = expired(&auth);
    let log = p.path("serve.log");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_elemental"))
        .args(["serve", "--elements"])
        .arg(p.path("elements"))
        .arg("--instances")
        .arg(p.path("instances.yaml"))
        .arg("--data")
        .arg(p.path("data"))
        .args(["--listen", &listen, "--reload-ms", "0", "--workers", "1"])
        .env("RUST_LOG", "debug")
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("serve");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(&listen).is_err() {
        assert!(std::time::Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = format!("http://{listen}/elements/api-v2/hubs/shop/orders");
    let reply = http("GET", &url, &[("Authorization", "Element tok")], None);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(reply.status, 200, "{}", reply.body);
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(text.contains("token refreshed"), "{text}");
    let live = auth.live_refresh().expect("rotated");
    let access = live.replacen("rt-", "at-", 1);
    for secret in [
        "at-0",
        "rt-0",
        live.as_str(),
        access.as_str(),
        CLIENT_SECRET,
    ] {
        assert!(!text.contains(secret), "{secret} in the log:\n{text}");
    }
}

#[test]
fn an_account_is_connected_with_the_code_the_vendor_redirected_with() {
    // The Cloud Elements flow: the authorization URL, the user's consent (the vendor's
    // redirect carries a code), then POST /instances with providerData.code.
    let auth = AuthServer::start(3600);
    let p = Project::new();
    p.element("shop", &element(&auth, "oauth2", ""));
    p.instances("instances: []\n");
    let server = p.serve_with(settings());
    let reply = url_route(&server, &format!("apiKey={CLIENT_ID}&state=s"), Some(ADMIN));
    let url = reply.body_json()["oauthUrl"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let redirect = http("GET", &url, &[], None);
    let code = query_of(redirect.header_value("location").unwrap_or_default())["code"].clone();
    let body = json!({
        "element": {"key": "shop"},
        "name": "ann's shop",
        "configuration": {"oauth.api.key": CLIENT_ID, "oauth.api.secret": CLIENT_SECRET},
        "providerData": {"code": code}
    });
    let create = |body: &Value| {
        http(
            "POST",
            &format!("{}/elements/api-v2/instances", server.base),
            &[("Elements-Admin-Token", ADMIN)],
            Some(&body.to_string()),
        )
    };
    let created = create(&body);
    assert_eq!(created.status, 200, "{}", created.body);
    let created = created.body_json();
    assert_eq!(
        created["configuration"]["oauth.user.token"],
        json!("********")
    );
    assert_eq!(
        created["configuration"]["oauth.user.refresh_token"],
        json!("********")
    );
    let token = created["token"].as_str().unwrap_or_default();
    let orders = server.call("GET", "/hubs/shop/orders", token, None);
    assert_eq!(
        orders.status, 200,
        "the exchanged token works: {}",
        orders.body
    );

    // A code used twice is refused by the vendor: the step is named, nothing is created.
    let again = create(&body);
    assert_eq!(again.status, 401, "{}", again.body);
    assert!(
        again.body_json()["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("the OAuth code exchange: "),
        "{}",
        again.body
    );
    let listed = http(
        "GET",
        &format!("{}/elements/api-v2/instances", server.base),
        &[("Elements-Admin-Token", ADMIN)],
        None,
    );
    assert_eq!(listed.body_json().as_array().map(Vec::len), Some(1));
}
