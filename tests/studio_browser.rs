//! The studio in a real browser (headless Chromium over WebDriver): log in, open an element,
//! "try it" and read its trace, re-run a hook in the playground, replay an event; a
//! screenshot of each page (target/tmp/studio-screenshots; `UPDATE_SCREENSHOTS=1` also
//! writes docs/studio/, which README links).

mod support;

use std::path::PathBuf;

use serde_json::json;
use support::browser::Browser;
use support::http;
use support::studio::{project, serve, vendor, ADMIN, SECRET};

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
