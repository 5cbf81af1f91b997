//! Objects and metadata end to end: the metadata API an element answers from its `objects[]`
//! and swagger models (the real `dayforcehcm` export), a metadata resource of the element's
//! own whose post hook merges its fields with the model's (the real `adpvantage` export), the
//! hook variables `meta_data` and `vendor_object_name`, and `/docs/<element>`.

mod support;

use std::path::{Path, PathBuf};

use elemental::settings::Settings;
use serde_json::{json, Value};
use support::{copy_dir, http, one_instance, MockVendor, Project, Reply};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ce-exports")
        .join(name)
}

/// A project serving a copied export or example (`from`) as `key`.
fn project(from: &Path, key: &str, configuration: &str) -> Project {
    let p = Project::new();
    copy_dir(from, &p.path(&format!("elements/{key}")));
    p.instances(&one_instance(key, "tok", configuration));
    p
}

fn dayforce() -> Project {
    project(
        &fixture("dayforcehcm"),
        "dayforcehcm",
        "      base.url: http://127.0.0.1:9/\n      username: u\n      password: p\n",
    )
}

/// The field of `metadata` at `path`.
fn field<'m>(metadata: &'m Value, path: &str) -> Option<&'m Value> {
    metadata["fields"]
        .as_array()?
        .iter()
        .find(|f| f["vendorPath"] == path)
}

#[test]
fn dayforcehcm_lists_its_objects_from_objects_and_resources() {
    let p = dayforce();
    let server = p.serve();
    let reply = server.call("GET", "/hubs/humancapital/objects", "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body_json(),
        json!([
            "departments",
            "employees",
            "jobs",
            "location-addresses",
            "locationAddresses",
            "organization-units",
            "organizationUnits",
            "positions",
            "postings",
            "reports"
        ]),
        "objects[] names, and the resources' objectName (locationAddresses, ...) beside them"
    );
    // Another hub is not the element's: an ordinary unknown resource.
    let other = server.call("GET", "/hubs/crm/objects", "tok", None);
    assert_eq!(other.status, 404, "{}", other.body);
}

#[test]
fn dayforcehcm_metadata_comes_from_its_models() {
    let p = dayforce();
    let server = p.serve();
    let reply = server.call(
        "GET",
        "/hubs/humancapital/objects/employees/metadata",
        "tok",
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let metadata = reply.body_json();
    assert_eq!(metadata["primaryKey"], json!("XRefCode"));
    let fields = metadata["fields"].as_array().expect("fields");
    assert!(fields.len() > 500, "{} fields", fields.len());
    let hired = field(&metadata, "HireDate").expect("HireDate");
    assert_eq!(
        hired,
        &json!({"vendorPath": "HireDate", "type": "date", "vendorNativeType": "string(date-time)",
                "vendorDisplayName": "HireDate", "vendorRequired": false, "vendorReadOnly": false})
    );
    let city = field(&metadata, "Addresses.Items[*].City").expect("an address's city");
    assert_eq!(city["type"], json!("string"));
    let supervisor = field(&metadata, "ClockSupervisor").expect("ClockSupervisor");
    assert_eq!(supervisor["type"], json!("boolean"));
    let paths: std::collections::HashSet<&str> = fields
        .iter()
        .filter_map(|f| f["vendorPath"].as_str())
        .collect();
    assert_eq!(paths.len(), fields.len(), "each vendor path once");

    let departments = server.call(
        "GET",
        "/hubs/humancapital/objects/departments/metadata",
        "tok",
        None,
    );
    assert_eq!(departments.status, 200, "{}", departments.body);
    let departments = departments.body_json();
    assert!(field(&departments, "XRefCode").is_some(), "{departments}");
    assert!(
        field(&departments, "LongName").is_some(),
        "the POST's request model adds its fields: {departments}"
    );

    let unknown = server.call(
        "GET",
        "/hubs/humancapital/objects/nothing/metadata",
        "tok",
        None,
    );
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let body = unknown.body_json();
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("no object nothing")),
        "{body}"
    );
    assert!(body["requestId"].is_string(), "the error shape: {body}");
}

/// ADP's `meta` document: a map of JSON pointers to field descriptions, as the export's
/// metadata hook reads it (fields have a `pattern` or a `shortLabelName`; an array parent has
/// `minItems`/`maxItems`).
fn adp_meta() -> Value {
    json!({"meta": {"/data/transforms": [{
        "/worker": {},
        "/worker/person": {},
        "/worker/person/legalName": {},
        "/worker/person/legalName/givenName":
            {"pattern": "^.+$", "shortLabelName": "Given name", "optional": false, "readOnly": false},
        "/worker/workAssignments": {"minItems": 1, "maxItems": 10},
        "/worker/workAssignments/jobTitle": {"shortLabelName": "Job title", "optional": true}
    }]}})
}

#[test]
fn adpvantage_metadata_hook_merges_its_fields_with_the_models() {
    let vendor = MockVendor::start(|_| Reply::json(200, adp_meta()));
    let p = project(
        &fixture("adpvantage"),
        "adpvantage",
        &adp_configuration(&vendor.base),
    );
    let server = p.serve();
    let reply = server.call(
        "GET",
        "/hubs/humancapital/objects/employees/metadata",
        "tok",
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    // The export's own preRequest hook chose the vendor path of the object's meta document
    // (the export's poller may call the vendor too: its notification messages).
    let requests = vendor.requests();
    let seen = requests
        .iter()
        .find(|r| r.path.ends_with("/meta"))
        .unwrap_or_else(|| panic!("{requests:?}"));
    assert_eq!(seen.path, "/events/hr/v1/worker.hire/meta");
    assert_eq!(seen.header("authorization"), Some("Bearer t"));
    let metadata = reply.body_json();
    let given = field(&metadata, "person.legalName.givenName").expect("the hook's field");
    assert_eq!(given["description"], json!("Given name"));
    assert_eq!(given["vendorRequired"], json!(true));
    // A path both have: the hook's entry, not the model's.
    let title = field(&metadata, "workAssignments[*].jobTitle").expect("jobTitle");
    assert_eq!(title["description"], json!("Job title"));
    assert!(title.get("vendorNativeType").is_none(), "{title}");
    // Fields only the model has are appended, after the hook's.
    let fields = metadata["fields"].as_array().expect("fields");
    assert_eq!(fields[0]["vendorPath"], json!("person.legalName.givenName"));
    let id = field(&metadata, "workerID.idValue").expect("a model-only field");
    assert_eq!(id["vendorNativeType"], json!("string"));
    let model_only = fields
        .iter()
        .filter(|f| f.get("vendorNativeType").is_some());
    assert!(model_only.count() > 10, "{metadata}");
    assert_eq!(metadata["primaryKey"], json!("associateOID"));
}

fn adp_configuration(base: &str) -> String {
    [
        format!("base.url: {base}"),
        "oauth.token: t".into(),
        "oauth.api.key: k".into(),
        "oauth.api.secret: s".into(),
        "subscriber.organization.oid: o".into(),
        "base64.encoded.jks: j".into(),
        "jks.password: p".into(),
    ]
    .iter()
    .map(|line| format!("      {line}\n"))
    .collect()
}

const PEOPLE: &str = r##"
key: people
hub: crm
authentication: {type: custom}
configuration:
  - {key: base.url, name: Base, type: TEXTFIELD_1000, required: true}
objects:
  - {name: contacts, vendorName: Person, primaryKeyName: id}
resources:
  - method: GET
    path: /hubs/crm/contacts/{id}
    vendorPath: /people/{id}
    hooks:
      - type: preRequest
        body: |
          done({continue: false, response_body: {
            meta: meta_data, vendor: vendor_object_name, object: object_name}});
    model:
      name: person
      swagger:
        person:
          type: object
          x-vendor-objectname: Person
          properties:
            id: {type: string}
            email: {type: string}
  - method: GET
    path: /hubs/crm/objects/{objectName}/metadata
    vendorPath: /describe/{objectName}
    parameters:
      - {name: objectName, type: path}
    hooks:
      - type: postRequest
        body: |
          const fields = response_body.columns.map((c) => ({vendorPath: c, type: 'string', custom: true}));
          done({response_body: {fields, seen: vendor_object_name}, metadata_merge: true});
"##;

#[test]
fn hooks_see_meta_data_and_vendor_object_name() {
    let p = Project::new();
    p.element("people", PEOPLE);
    p.instances(&one_instance(
        "people",
        "tok",
        "      base.url: http://127.0.0.1:9",
    ));
    let server = p.serve();
    let reply = server.call("GET", "/hubs/crm/contacts/7", "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body_json(),
        json!({"meta": {"fields": [
            {"vendorPath": "id", "type": "string", "vendorNativeType": "string", "vendorDisplayName": "id", "vendorRequired": false, "vendorReadOnly": false},
            {"vendorPath": "email", "type": "string", "vendorNativeType": "string", "vendorDisplayName": "email", "vendorRequired": false, "vendorReadOnly": false}
        ], "primaryKey": "id"}, "vendor": "Person", "object": "contacts"})
    );
}

#[test]
fn an_elements_own_metadata_resource_runs_and_merges() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"columns": ["email", "nickname"]})));
    let p = Project::new();
    p.element("people", PEOPLE);
    p.instances(&one_instance(
        "people",
        "tok",
        &format!("      base.url: {}", vendor.base),
    ));
    let server = p.serve();
    let reply = server.call("GET", "/hubs/crm/objects/contacts/metadata", "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(vendor.last().path, "/describe/contacts");
    let metadata = reply.body_json();
    let paths: Vec<&str> = metadata["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["vendorPath"].as_str())
        .collect();
    assert_eq!(paths, vec!["email", "nickname", "id"]);
    assert_eq!(
        field(&metadata, "email").map(|f| &f["custom"]),
        Some(&json!(true))
    );
    assert_eq!(metadata["seen"], json!("Person"));
    assert_eq!(metadata["primaryKey"], json!("id"));
    // The list is still the element's own answer: it has no resource there.
    let list = server.call("GET", "/hubs/crm/objects", "tok", None);
    assert_eq!(list.body_json(), json!(["contacts"]));
}

fn admin_settings() -> Settings {
    Settings {
        admin_token: Some("adm1n".into()),
        ..Default::default()
    }
}

fn docs(server: &support::Server, key: &str, token: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> = token
        .map(|t| vec![("Elements-Admin-Token", t)])
        .unwrap_or_default();
    http(
        "GET",
        &format!("{}/docs/{key}", server.base),
        &headers,
        None,
    )
}

/// Every path's `{variables}` are declared path parameters of each of its operations.
fn assert_path_parameters(document: &Value) {
    for (path, operations) in document["paths"].as_object().expect("paths") {
        let variables: Vec<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        for (method, operation) in operations.as_object().expect("operations") {
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            assert_eq!(declared, variables, "{method} {path}");
        }
    }
}

#[test]
fn docs_describe_dayforcehcm_behind_the_admin_token() {
    let p = dayforce();
    let server = p.serve_with(admin_settings());
    let refused = docs(&server, "dayforcehcm", None);
    assert_eq!(refused.status, 401, "{}", refused.body);
    let wrong = docs(&server, "dayforcehcm", Some("nope"));
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    let unknown = docs(&server, "nothing", Some("adm1n"));
    assert_eq!(unknown.status, 404, "{}", unknown.body);

    let reply = docs(&server, "dayforcehcm", Some("adm1n"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let document = reply.body_json();
    assert_eq!(document["openapi"], json!("3.0.3"));
    assert_eq!(document["servers"][0]["url"], json!("/elements/api-v2"));
    let operations: usize = document["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|o| o.as_object().map_or(0, |o| o.len()))
        .sum();
    assert_eq!(
        operations, 24,
        "every routed resource, not provisionAuthValidation"
    );
    assert_path_parameters(&document);
    let list = &document["paths"]["/hubs/humancapital/employees"]["get"];
    let names: Vec<&str> = list["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for paging in ["page", "pageSize", "nextPage"] {
        assert!(names.contains(&paging), "{names:?}");
    }
    assert!(list["responses"]["200"]["headers"]["Elements-Total-Count"].is_object());
    let schema = &list["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(schema["type"], json!("array"), "{schema}");
    let one = &document["paths"]["/hubs/humancapital/employees/{id}"]["get"];
    let reference = one["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .expect("a reference");
    let name = reference.trim_start_matches("#/components/schemas/");
    let root = &document["components"]["schemas"][name];
    assert_eq!(root["x-vendor-objectname"], json!("Employees"), "{name}");
    assert!(root["properties"]["HireDate"].is_object());
    let create = &document["paths"]["/hubs/humancapital/departments"]["post"];
    assert!(
        create["requestBody"]["content"]["application/json"]["schema"].is_object(),
        "{create}"
    );
}

#[test]
fn docs_describe_the_bundled_democrm() {
    let p = project(
        Path::new("elements/democrm"),
        "democrm",
        "      base.url: http://127.0.0.1:9\n      api.key: k\n",
    );
    let server = p.serve_with(admin_settings());
    let reply = docs(&server, "democrm", Some("adm1n"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let document = reply.body_json();
    assert_path_parameters(&document);
    let paths = document["paths"].as_object().expect("paths");
    assert!(paths.contains_key("/hubs/crm/contacts/{id}"), "{paths:?}");
    assert!(paths["/hubs/crm/contacts"]["post"].is_object());
    assert!(paths["/hubs/crm/contacts/{id}"]["delete"].is_object());
    // The API key is the element's business, not a parameter of the caller.
    let text = reply.body;
    assert!(!text.contains("X-Api-Key"), "{text}");
}

#[test]
fn docs_are_off_without_an_admin_token_configured() {
    let p = dayforce();
    let server = p.serve();
    assert_eq!(docs(&server, "dayforcehcm", Some("adm1n")).status, 404);
}

/// Every copied export: each object has metadata, and the OpenAPI document has an operation
/// for every routed resource with its path variables declared (without a server).
#[test]
fn every_copied_export_has_metadata_and_a_document() {
    use elemental::element::{load_dir, objects, openapi};
    let (elements, diagnostics) = load_dir(&fixture(""));
    assert!(diagnostics.iter().all(|d| d.warning), "{diagnostics:#?}");
    assert!(elements.by_key.len() >= 8);
    for element in elements.by_key.values() {
        for name in objects::names(element) {
            let metadata = objects::metadata(element, &name).expect("a listed object");
            assert!(metadata["fields"].is_array(), "{} {name}", element.key);
        }
        let document = openapi::document(element, "/elements/api-v2");
        assert_path_parameters(&document);
        for resource in element.resources.iter().filter(|r| r.is_routed()) {
            let method = resource.method.to_ascii_lowercase();
            assert!(
                document["paths"][&resource.path][&method].is_object(),
                "{} {} {}",
                element.key,
                resource.method,
                resource.path
            );
        }
    }
}
