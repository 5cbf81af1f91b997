//! The studio's test project: an element whose hook sends an instance's secret to the
//! vendor, one instance of it, served with an admin token.

use elemental::settings::Settings;
use serde_json::json;

use super::{MockVendor, Project, Reply, Server};

pub const ADMIN: &str = "studio-adm1n-77";
pub const SECRET: &str = "s3cret-key-42";

/// An element whose hook sends the instance's secret to the vendor, one instance of it.
pub fn project(vendor: &MockVendor) -> Project {
    let p = Project::new();
    p.element(
        "crm",
        r#"key: crm
name: Tiny CRM
configuration:
  - key: base.url
    type: TEXTFIELD_1000
  - key: api.key
    name: API key
    type: PASSWORD
hooks:
  - type: preRequest
    body: |
      // The key goes in a header the vendor checks.
      done({request_vendor_headers: {'X-Key': configuration['api.key']}});
resources:
  - method: GET
    path: /hubs/crm/contacts
    vendorPath: /contacts
  - method: POST
    path: /hubs/crm/contacts
    vendorPath: /contacts
    hooks:
      - type: postRequest
        body: "done({response_body: {saved: response_body}});"
"#,
    );
    p.instances(&format!(
        "instances:\n  - id: 1\n    name: acme\n    element: crm\n    token: tok-acme\n    configuration:\n      base.url: {}\n      api.key: {SECRET}\n",
        vendor.base
    ));
    p
}

pub fn serve(p: &Project) -> Server {
    p.serve_with(Settings {
        admin_token: Some(ADMIN.into()),
        ..Settings::default()
    })
}

pub fn vendor() -> MockVendor {
    MockVendor::start(|r| match r.method.as_str() {
        "GET" => Reply::json(
            200,
            json!([{"id": 1, "name": "Ada", "key": r.header("x-key")}]),
        ),
        _ => Reply::json(201, r.json()),
    })
}
