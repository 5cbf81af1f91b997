//! OAuth 2 with an element's own token resources: the real Pinterest and Dice exports, and
//! the lifecycle resource types (`oauthOnAuthorizeUrl`, `oauthOnTokenExchange`,
//! `oauthOnTokenRefresh`, `onRefresh`).

use super::oauth::{AuthServer, CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME};
use super::support::{self, http, one_instance, Project};
use super::{configuration, element, instance, query_of, settings, url_route, with_call, ADMIN};
use serde_json::json;

#[test]
fn the_real_pinterest_export_refreshes_against_the_mock() {
    let auth = AuthServer::start(3600);
    auth.seed("at-0", "rt-0");
    let p = Project::new();
    support::copy_dir(
        std::path::Path::new("tests/fixtures/ce-exports/pinterest"),
        &p.path("elements/pinterest"),
    );
    // Refreshed for its refresh interval (3600 s by default) since the last refresh time.
    let lines = format!(
        "      base.url: {base}/v1\n      oauth.token.url: {base}/token\n      oauth.api.key: {CLIENT_ID}\n      oauth.api.secret: {CLIENT_SECRET}\n      oauth.user.token: at-0\n      oauth.user.refresh_token: rt-0\n      oauth.user.refresh_time: '{old}'",
        base = auth.base,
        old = elemental::clock::now_ms() - 3_700_000,
    );
    p.instances(&one_instance("pinterest", "pins", &lines));
    let server = p.serve();
    let reply = server.call("GET", "/hubs/general/boards", "pins", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(auth.token_requests(), 1);
    // Pinterest's export sets oauth.basic.header: the client authenticated with Basic.
    assert_eq!(auth.basic(), [true]);
}

/// The element's own OAuth 2 resources, as Cloud Elements exports carry them (VSTS's and
/// Sprinklr's shapes): a hooked authorization URL, the code exchange and the refresh as
/// resources sending their own form, and `onRefresh` after a refresh.
fn lifecycle_resources(auth: &AuthServer) -> String {
    let token = format!("{}/token", auth.base);
    let client = "      - name: oauth.api.key\n        type: configuration\n        vendorName: client_id\n        vendorType: form\n      - name: oauth.api.secret\n        type: configuration\n        vendorName: client_secret\n        vendorType: form\n";
    format!(
        "  - method: GET\n    path: /oauth/url\n    type: oauthOnAuthorizeUrl\n    vendorPath: /unused
    hooks:
      - type: preRequest
        body: \"done({{continue: false, response_body: {{oauthUrl: request_parameters.oauthUrl + '&prompt=consent'}}}});\"
  - method: POST\n    path: /oauth/exchange\n    type: oauthOnTokenExchange\n    vendorPath: {token}
    parameters:
      - name: authorization_code\n        type: value\n        vendorName: grant_type\n        vendorType: form
      - name: code\n        type: query\n        vendorName: code\n        vendorType: form
      - name: callbackUrl\n        type: query\n        vendorName: redirect_uri\n        vendorType: form
{client}  - method: POST\n    path: /oauth/refresh\n    type: oauthOnTokenRefresh\n    vendorPath: {token}
    hooks:
      - type: preRequest
        body: \"done({{request_vendor_headers: {{Authorization: null}}}});\"
    parameters:
      - name: refresh_token\n        type: value\n        vendorName: grant_type\n        vendorType: form
      - name: refreshToken\n        type: query\n        vendorName: refresh_token\n        vendorType: form
{client}  - method: GET\n    path: /on/refresh\n    type: onRefresh\n    vendorPath: /orders
    hooks:
      - type: postRequest
        body: \"done({{configuration: {{'refreshed.seen': String(response_status_code)}}}});\"
"
    )
}

#[test]
fn an_elements_own_oauth_resources_build_the_url_exchange_the_code_and_refresh() {
    let auth = AuthServer::start(3600);
    auth.seed("at-0", "rt-0");
    let p = Project::new();
    let yaml = element(&auth, "oauth2", "") + &lifecycle_resources(&auth);
    p.element("shop", &yaml);
    p.instances(&instance(
        "      oauth.user.token: at-0\n      oauth.user.refresh_token: rt-0\n      oauth.user.token.expires_at: '1000'",
    ));
    let server = p.serve_with(settings());
    // oauthOnAuthorizeUrl: the URL its hook answers.
    let body = url_route(&server, &format!("apiKey={CLIENT_ID}&state=s"), Some(ADMIN)).body_json();
    let url = body["oauthUrl"].as_str().expect("oauthUrl").to_string();
    assert!(url.ends_with("&prompt=consent"), "{url}");
    assert_eq!(query_of(&url)["client_id"], json!(CLIENT_ID));
    // oauthOnTokenRefresh refreshes; onRefresh runs after it with the new token.
    let reply = server.call("GET", "/hubs/shop/orders", "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(auth.token_requests(), 1);
    let stored = configuration(&server);
    assert_eq!(
        stored["oauth.user.refresh_token"],
        json!(auth.live_refresh())
    );
    assert_eq!(stored["refreshed.seen"], json!("200"));
    server.stop();
    // oauthOnTokenExchange: the code goes through the resource.
    let redirect = http("GET", &url, &[], None);
    let code = query_of(redirect.header_value("location").expect("location"))["code"].clone();
    let data = json!({"code": code});
    let changes = with_call(&p, async |call| {
        elemental::pipeline::exchange_code(call, data.as_object().expect("map")).await
    })
    .expect("tokens");
    assert_eq!(auth.token_requests(), 2);
    assert_eq!(
        changes["oauth.user.refresh_token"],
        json!(auth.live_refresh())
    );
}

#[test]
fn the_real_dice_export_obtains_its_token_through_its_oauth2_password_resource() {
    let auth = AuthServer::start(3600);
    let p = Project::new();
    // The export as published but its token resource's vendorPath, pointed at the mock.
    let export = std::fs::read_to_string("tests/fixtures/ce-exports/dice/element.json")
        .expect("dice export");
    let export = export.replace(
        "https://secure.dice.com/oauth/token",
        &format!("{}/token", auth.base),
    );
    p.write("elements/dice/element.json", &export);
    let lines = format!(
        "      base.url: {base}/api\n      oauth.api.key: {CLIENT_ID}\n      oauth.api.secret: {CLIENT_SECRET}\n      username: {USERNAME}\n      password: {PASSWORD}\n      grant_type: password\n      oauth.authorization.url: {base}/authorize",
        base = auth.base,
    );
    p.instances(&one_instance("dice", "dice", &lines));
    let server = p.serve();
    let reply = server.call("GET", "/hubs/humancapital/profiles/7", "dice", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body_json()["path"], json!("/api/profiles/7"));
    assert_eq!(
        server
            .call("GET", "/hubs/humancapital/profiles/8", "dice", None)
            .status,
        200
    );
    assert_eq!(auth.token_requests(), 1);
    // Its preRequest hook sends the client credentials in Basic.
    assert_eq!(auth.basic(), [true]);
    let loaded = server.state.current();
    let stored = loaded.instances.by_id(1).expect("instance").configuration();
    assert_eq!(
        stored["oauth.user.refresh_token"],
        json!(auth.live_refresh())
    );
}
