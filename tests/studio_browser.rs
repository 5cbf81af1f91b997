//! The studio in a real browser (headless Chromium over WebDriver): log in, open an element,
//! "try it" and read its trace, re-run a hook in the playground, replay an event, run a job and
//! a schedule and follow the run, connect an
//! OAuth account through a local authorization server's consent redirect; a
//! screenshot of each page (target/tmp/studio-screenshots; `UPDATE_SCREENSHOTS=1` also
//! writes docs/studio/, which README links).

#[path = "support/oauth.rs"]
mod oauth;
mod support;

use std::path::PathBuf;

use elemental::settings::Settings;
use oauth::{AuthServer, CLIENT_ID, CLIENT_SECRET};
use serde_json::json;
use support::browser::Browser;
use support::studio::{project, serve, vendor, ADMIN, SECRET};
use support::{http, Project};

fn shots() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("studio-screenshots")];
    if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        dirs.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/studio"));
    }
    dirs
}

fn screenshot(browser: &Browser, name: &str) {
    for dir in shots() {
        browser.screenshot(&dir, name);
    }
}

#[test]
fn an_admin_logs_in_tries_a_resource_reads_its_trace_and_replays_an_event() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let vendor = vendor();
    let p = project(&vendor);
    p.write(
        "jobs/count.js",
        "export async function run({ params, status }) {\n  for (let i = 1; i <= params.n; i++) {\n    status.message(`step ${i}`);\n    await new Promise((r) => setTimeout(r, 400));\n  }\n  status.success(`counted ${params.n}`);\n}\n",
    );
    p.write(
        "schedules.yaml",
        "- name: nightly\n  job: count\n  params: {n: 1}\n  start: \"2099-01-01T00:00:00Z\"\n  repeat: {every: 24h}\n",
    );
    let server = serve(&p);
    // An event to replay later.
    let webhook = format!("{}/elements/api-v2/events/crm/1", server.base);
    let ingested = http(
        "POST",
        &webhook,
        &[("Content-Type", "application/json")],
        Some(r#"{"id": 7, "type": "contact.created"}"#),
    );
    assert_eq!(ingested.status, 200, "{}", ingested.body);

    // Logging in: a wrong token first, then the right one.
    browser.open(&format!("{}/studio", server.base));
    screenshot(&browser, "login");
    browser.type_into("#token", "wrong");
    browser.click("#login");
    browser.wait_for_text("#failed", "not the admin token");
    browser.type_into("#token", ADMIN);
    browser.click("#login");
    browser.wait_for_text("#elements", "crm");
    screenshot(&browser, "elements");

    // An element: its hooks, highlighted, and "try it".
    browser.click("#elements a");
    browser.wait_for_text("main h1", "Tiny CRM");
    let hook = browser.text("main .hook pre.code");
    assert!(
        hook.contains("request_vendor_headers"),
        "{hook}: {}",
        browser.source()
    );
    // Highlighted: the comment and the strings in spans of their own.
    browser.find("main .hook pre.code span.t-c");
    browser.find("main .hook pre.code span.t-s");
    browser.click("#resource-0 summary");
    browser.click("#resource-0 button.send");
    let status = browser.wait_for_text("#resource-0 .try-result .status", "200");
    assert!(status.contains("request"), "{status}");
    let answer = browser.text("#resource-0 .try-result pre.answer");
    assert!(answer.contains("Ada"), "{answer}");
    assert_eq!(vendor.last().header("x-key"), Some(SECRET));
    screenshot(&browser, "try-it");

    // The trace of that request, and the playground on its first hook.
    browser.click("#nav a[href='#/traces']");
    browser.wait_for_text("#traces", "/elements/api-v2/hubs/crm/contacts");
    screenshot(&browser, "traces");
    browser.click("#traces a");
    browser.wait_for_text("main h1", "Trace");
    browser.click("main .trace details.phase summary");
    browser.type_into(
        "main .trace .playground textarea.source",
        "done({request_vendor_path: '/v2' + request_path});",
    );
    browser.click("main .trace .playground button.replay");
    let diff = browser.wait_for_text("main .trace .playground-result", "request_vendor_path");
    assert!(diff.contains("/v2/hubs/crm/contacts"), "{diff}");
    screenshot(&browser, "playground");

    // Instances: the secret is masked in the page.
    browser.click("#nav a[href='#/instances']");
    browser.wait_for_text("#instances", "acme");
    assert!(
        !browser.source().contains(SECRET),
        "the secret is in the instances page"
    );
    screenshot(&browser, "instances");

    // Events: replay the one received.
    browser.click("#nav a[href='#/events']");
    browser.wait_for_text("#events", "crm");
    browser.click("#events button.replay");
    let bearer = format!("Bearer {ADMIN}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let event = http(
            "GET",
            &format!("{}/admin/events/1", server.base),
            &[("Authorization", &bearer)],
            None,
        );
        if event.body_json()["generation"] == json!(1) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the event was not replayed: {}",
            event.body
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    screenshot(&browser, "events");

    // Jobs: run one with params and follow it live; "run now" a schedule.
    browser.click("#nav a[href='#/jobs']");
    browser.wait_for_text("#jobs", "count");
    browser.wait_for_text("#schedules", "nightly");
    screenshot(&browser, "jobs");
    browser.type_into("main textarea.params", r#"{"n": 3}"#);
    browser.click("#jobs button.run[data-job=count]");
    browser.wait_for_text("#run-state", "running");
    browser.wait_for_text("#run-message", "step");
    browser.wait_for_text("#run-state", "succeeded");
    browser.wait_for_text("#run-message", "counted 3");
    screenshot(&browser, "run");
    browser.click("#nav a[href='#/jobs']");
    browser.click("#schedules button.run-now");
    browser.wait_for_text("#run-state", "succeeded");
    assert!(browser.text("main").contains("by schedule nightly"));

    for (page, table) in [
        ("deliveries", "#deliveries"),
        ("scripts", "main h1"),
        ("metrics", "#metrics"),
    ] {
        browser.click(&format!("#nav a[href='#/{page}']"));
        browser.find(table);
        screenshot(&browser, page);
    }
    let metrics = browser.text("#metrics");
    assert!(metrics.contains("elemental_requests_total"), "{metrics}");
    assert!(browser.url().ends_with("#/metrics"));
}

/// Log in through the form.
fn log_in(browser: &Browser, base: &str) {
    browser.open(&format!("{base}/studio"));
    browser.type_into("#token", ADMIN);
    browser.click("#login");
    browser.find("#elements");
}

#[test]
fn an_admin_connects_an_oauth_account_through_the_vendors_consent_page() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let auth = AuthServer::start(3600);
    let base = &auth.base;
    let p = Project::new();
    p.element(
        "shop",
        &format!(
            "key: shop\nname: Shop\nauthentication:\n  type: oauth2\nconfiguration:
  - key: base.url\n    type: TEXTFIELD_1000\n    defaultValue: {base}/api
  - key: oauth.api.key\n    name: Client id\n    type: TEXTFIELD_128
  - key: oauth.api.secret\n    name: Client secret\n    type: PASSWORD
  - key: oauth.authorization.url\n    type: TEXTFIELD_1000\n    defaultValue: {base}/authorize
  - key: oauth.token.url\n    type: TEXTFIELD_1000\n    defaultValue: {base}/token
  - key: oauth.user.token\n    type: TEXTFIELD_64
  - key: oauth.user.refresh_token\n    type: TEXTFIELD_64
resources:
  - method: GET\n    path: /hubs/shop/orders\n    vendorPath: /orders
"
        ),
    );
    let server = p.serve_with(Settings {
        admin_token: Some(ADMIN.into()),
        ..Settings::default()
    });
    auth.register_redirect(&format!("{}/studio/callback", server.base));
    log_in(&browser, &server.base);

    browser.click("#nav a[href='#/instances']");
    browser.click("#connect select[name=element] option[value=shop]");
    browser.type_into("#connect input[data-key='oauth.api.key']", CLIENT_ID);
    browser.type_into("#connect input[data-key='oauth.api.secret']", CLIENT_SECRET);
    browser.type_into("#connect input[name=name]", "ann-shop");
    // Connect: the vendor's consent page redirects back with a code at once (the test
    // server consents for its one user); the studio exchanges it for an instance.
    browser.click("#connect button.connect");
    let shown = browser.wait_for_text("#connected", "Connected: instance #");
    assert!(shown.contains("ann-shop"), "{shown}");
    assert!(
        !shown.contains(CLIENT_SECRET),
        "the client secret is on the page"
    );
    assert_eq!(auth.token_requests(), 1);
    screenshot(&browser, "connect");

    // The token shown once calls the vendor with the tokens the exchange stored.
    let token = browser.text("#connected pre.token");
    let orders = http(
        "GET",
        &format!("{}/elements/api-v2/hubs/shop/orders", server.base),
        &[("Authorization", &format!("Element {token}"))],
        None,
    );
    assert_eq!(orders.status, 200, "{}", orders.body);

    // A code with a state that is not the one this browser sent is refused, and a code
    // nobody asked for finds no connection in progress: neither creates anything.
    browser.run_script(
        "sessionStorage.setItem('elemental.connect.pending', JSON.stringify({key: 'shop', name: 'x', state: 'ours', configuration: {}}));",
    );
    browser.open(&format!(
        "{}/studio/callback?code=stolen&state=forged",
        server.base
    ));
    browser.wait_for_text("#connect-failed", "not ours");
    browser.open(&format!(
        "{}/studio/callback?code=stolen&state=forged",
        server.base
    ));
    browser.wait_for_text("main", "No connection in progress");
    let bearer = format!("Bearer {ADMIN}");
    let listed = http(
        "GET",
        &format!("{}/elements/api-v2/instances", server.base),
        &[("Authorization", &bearer)],
        None,
    );
    assert_eq!(listed.body_json().as_array().map(Vec::len), Some(1));
}
