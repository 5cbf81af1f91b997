//! The bundled example elements, task and cloud code, served as the README's quickstart serves them.

mod support;

use std::net::TcpListener;

use serde_json::json;
use support::{copy_dir, http, one_instance, Project, Server};

#[test]
fn the_bundled_elements_and_instances_pass_check() {
    let sources = elemental::sources::Sources {
        elements: "elements".into(),
        instances: "instances.yaml".into(),
        tasks: "tasks".into(),
        tasks_required: true,
        cloud: "cloud".into(),
        cloud_required: true,
        jobs: "jobs".into(),
        jobs_required: true,
        schedules: "schedules.yaml".into(),
        schedules_required: false,
        open_hosts: Vec::new(),
        demo_vendor_at: None,
    };
    let (elements, records, diagnostics) = elemental::sources::load(&sources);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert!(elements.get("democrm").is_some());
    assert_eq!(records.len(), 1);
    let (tasks, diagnostics) = elemental::sources::load_tasks(&sources);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert!(tasks.get("hello").is_some());
    assert!(tasks.cloud.is_some(), "the bundled cloud/main.js loads");
}

#[test]
fn democrm_maps_contacts_both_ways_through_the_demo_vendor() {
    let p = Project::new();
    copy_dir(
        std::path::Path::new("elements/democrm"),
        &p.path("elements/democrm"),
    );
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    p.instances(&one_instance(
        "democrm",
        "demo-token",
        &format!("      base.url: {base}/demo-vendor/v1\n      api.key: demo-secret"),
    ));
    let settings = elemental::settings::Settings {
        demo_vendor: true,
        ..Default::default()
    };
    let server = Server::start_on(listener, &p.sources(), &p.path("data"), settings);

    let created = server.call(
        "POST",
        "/hubs/crm/contacts",
        "demo-token",
        Some(r#"{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com"}"#),
    );
    assert_eq!(created.status, 201);
    assert_eq!(
        created.body_json(),
        json!({"id": "1", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "upserted": true})
    );
    assert_eq!(created.header_value("x-elemental-element"), Some("democrm"));

    let listed = server.call("GET", "/hubs/crm/contacts?pageSize=10", "demo-token", None);
    assert_eq!(
        listed.body_json(),
        json!([{"id": "1", "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "upserted": true}])
    );

    // The vendor saw the signature the global hook computed and the key the parameter added.
    let echo = server
        .call("GET", "/hubs/crm/echo", "demo-token", None)
        .body_json();
    assert_eq!(echo["headers"]["x-api-key"], json!("demo-secret"));
    let expected =
        elemental::hooks::ce::hmac("sha256", "hex", "demo-secret", "/echo").expect("hmac");
    assert_eq!(echo["headers"]["x-signature"], json!(expected));

    let missing = server.call("GET", "/hubs/crm/contacts/99", "demo-token", None);
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.body_json()["providerMessage"],
        json!({"error": "no contact 99"})
    );
    assert_eq!(
        http("GET", &format!("{}/health", server.base), &[], None).status,
        200
    );
}

#[test]
fn the_bundled_task_and_cloud_function_are_served_by_the_first_readme_command() {
    // `cargo run -- serve --demo-vendor` in the repository: ./elements, ./instances.yaml and
    // ./tasks by default (only the port and the data folder differ here).
    let p = Project::new();
    let (mut child, listen) = support::spawn_bundled(&p.path("data"), &[]);
    let reply = http("GET", &format!("http://{listen}/tasks/hello"), &[], None);
    // The bundled cloud function, called as README's curl calls it.
    let greeting = http(
        "POST",
        &format!("http://{listen}/parse/functions/hello"),
        &[
            ("X-Parse-Application-Id", "elemental"),
            ("Content-Type", "application/json"),
        ],
        Some(r#"{"name":"Ada"}"#),
    );
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body_json(), json!({"hello": "world"}));
    assert_eq!(greeting.status, 200, "{}", greeting.body);
    assert_eq!(greeting.body_json(), json!({"result": "Hello, Ada!"}));
}
