//! Email from hooks through a real SMTP conversation with a local receiver.

mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::smtp::SmtpSink;
use support::{one_instance, MockVendor, Project, Reply};

fn mail_settings(port: u16) -> elemental::settings::Settings {
    elemental::settings::Settings {
        mail: Some(std::sync::Arc::new(elemental::mail::MailSettings {
            host: "127.0.0.1".into(),
            port,
            tls: elemental::mail::TlsMode::None,
            username: None,
            password: None,
            from: "hooks@elemental.test".into(),
            timeout: Duration::from_secs(5),
        })),
        ..Default::default()
    }
}

fn project(vendor: &MockVendor, hook: &str) -> Project {
    let p = Project::new();
    p.element("crm", &format!("key: crm\nresources:\n  - method: POST\n    path: /contacts\n    vendorPath: /contacts\n    hooks:\n      - type: postRequest\n        body: |\n{}\n", hook.lines().map(|l| format!("          {l}")).collect::<Vec<_>>().join("\n")));
    p.instances(&one_instance(
        "crm",
        "tok",
        &format!("      base.url: {}", vendor.base),
    ));
    p
}

fn wait_for(sink: &SmtpSink, count: usize) -> Vec<support::smtp::Received> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let received = sink.received();
        if received.len() >= count || Instant::now() > deadline {
            return received;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn notify_email_and_ce_send_email_reach_the_smtp_server() {
    let sink = SmtpSink::start();
    let vendor = MockVendor::start(|_| Reply::json(201, json!({"id": 7})));
    let hook = "notify.email('ops@example.com, sales@example.com', 'New contact ' + response_body.id, 'Created by elemental');\nCE.sendEmail({from: 'crm@example.com', to: ['owner@example.com'], subject: 'Welcome', text: 'plain part', html: '<b>html part</b>'}).then((r) => done({response_body: {sent: r.message}}));";
    let p = project(&vendor, hook);
    let server = p.serve_with(mail_settings(sink.port));
    let reply = server.call("POST", "/contacts", "tok", Some("{}"));
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.body_json(), json!({"sent": "queued as 42"}));
    let received = wait_for(&sink, 2);
    assert_eq!(received.len(), 2, "{received:?}");
    let notify = received
        .iter()
        .find(|m| m.data.contains("Subject: New contact 7"))
        .expect("the notify.email message");
    assert_eq!(notify.from, "<hooks@elemental.test>");
    assert_eq!(notify.to, vec!["<ops@example.com>", "<sales@example.com>"]);
    assert!(
        notify.data.contains("Created by elemental"),
        "{}",
        notify.data
    );
    let welcome = received
        .iter()
        .find(|m| m.data.contains("Subject: Welcome"))
        .expect("the CE.sendEmail message");
    assert_eq!(welcome.from, "<crm@example.com>");
    assert!(
        welcome.data.contains("multipart/alternative")
            && welcome.data.contains("plain part")
            && welcome.data.contains("<b>html part</b>"),
        "{}",
        welcome.data
    );
}

#[test]
fn without_smtp_settings_email_fails_clearly_in_the_hook() {
    let vendor = MockVendor::start(|_| Reply::json(201, json!({})));
    let hook = "notify.email('a@example.com', 's', 'b').then(() => done({response_body: {sent: true}}), (e) => done({response_body: {error: e.message}}));";
    let p = project(&vendor, hook);
    let server = p.serve();
    let reply = server.call("POST", "/contacts", "tok", Some("{}"));
    assert_eq!(
        reply.body_json(),
        json!({"error": "email is not configured: start the server with --smtp-host (see README, Configuration)"})
    );
}

#[test]
fn an_email_handed_over_is_sent_even_when_the_hook_finishes_first() {
    let sink = SmtpSink::start();
    let vendor = MockVendor::start(|_| Reply::json(201, json!({})));
    let p = project(
        &vendor,
        "notify.email('late@example.com', 'fire and forget', 'body');\ndone();",
    );
    let server = p.serve_with(mail_settings(sink.port));
    assert_eq!(
        server.call("POST", "/contacts", "tok", Some("{}")).status,
        201
    );
    let received = wait_for(&sink, 1);
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, vec!["<late@example.com>"]);
}
