use super::*;
use crate::element::objects::tests_support::element;

const CRM: &str = r##"
key: crm
name: CRM
parameters:
  - {name: "Bearer ${configuration.token}", type: value, vendorName: Authorization, vendorType: header}
resources:
  - method: GET
    path: /hubs/crm/contacts
    vendorPath: /contacts
    parameters:
      - {name: where, type: query}
      - {name: x-trace, type: header, required: true}
    model:
      name: contact
      swagger:
        contact: {type: object, properties: {id: {type: integer}, address: {$ref: "#/definitions/address"}}}
        address: {type: object, properties: {city: {type: string}}}
  - method: GET
    path: /hubs/crm/contacts/{id}/notes/{noteId}
    vendorPath: /contacts/{id}/notes/{noteId}
    parameters:
      - {name: id, type: path}
  - method: POST
    path: /hubs/crm/contacts
    vendorPath: /contacts
    parameters:
      - {name: body, type: body, required: true}
    model:
      name: contact
      requestName: contactReq
      swagger:
        contact: {type: object, properties: {id: {type: string}}}
      requestSwagger:
        contactReq: {type: object, properties: {name: {type: string}}}
  - method: POST
    path: /hubs/crm/token
    type: onProvision
    vendorPath: /token
"##;

/// Every `$ref` in `value` (a JSON tree).
fn references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| references(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

#[test]
fn every_routed_resource_is_an_operation_with_its_path_variables() {
    let crm = element(CRM);
    let doc = document(&crm, "/elements/api-v2");
    assert_eq!(doc["openapi"], json!("3.0.3"));
    assert_eq!(doc["servers"][0]["url"], json!("/elements/api-v2"));
    let paths = doc["paths"].as_object().expect("paths");
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths["/hubs/crm/contacts"]["get"].is_object());
    assert!(paths["/hubs/crm/contacts"]["post"].is_object());
    assert!(!paths.contains_key("/hubs/crm/token"), "not routed");
    for (path, operations) in paths {
        for operation in operations.as_object().expect("operations").values() {
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .expect("parameters")
                .iter()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            assert_eq!(declared, path_variables(path), "{path}");
            assert!(operation["responses"]["200"].is_object());
        }
    }
}

#[test]
fn lists_page_and_bodies_take_the_request_model() {
    let crm = element(CRM);
    let doc = document(&crm, "/elements/api-v2/");
    let list = &doc["paths"]["/hubs/crm/contacts"]["get"];
    let names: Vec<&str> = list["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(
        names,
        vec!["where", "x-trace", "page", "pageSize", "nextPage"]
    );
    let ok = &list["responses"]["200"];
    assert!(ok["headers"]["Elements-Next-Page-Token"].is_object());
    assert_eq!(
        ok["content"]["application/json"]["schema"],
        json!({"type": "array", "items": {"$ref": "#/components/schemas/contact"}})
    );
    let create = &doc["paths"]["/hubs/crm/contacts"]["post"];
    assert_eq!(
        create["requestBody"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/contactReq"})
    );
    assert_eq!(
        create["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/contact_2"}),
        "two models' `contact` differ: the second is renamed"
    );
}

#[test]
fn every_reference_resolves_and_operation_ids_are_unique() {
    let crm = element(CRM);
    let doc = document(&crm, "/elements/api-v2");
    let mut refs = Vec::new();
    references(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(doc["components"]["schemas"][name].is_object(), "{r}");
    }
    let mut ids = Vec::new();
    for operations in doc["paths"].as_object().expect("paths").values() {
        for operation in operations.as_object().expect("operations").values() {
            ids.push(operation["operationId"].as_str().expect("id").to_string());
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "{ids:?}");
    assert!(
        ids.contains(&"getHubsCrmContactsByIdNotesByNoteId".to_string()),
        "{ids:?}"
    );
}

#[test]
fn odd_types_and_bare_arrays_stay_valid_openapi() {
    let yaml = r##"
key: db
resources:
  - method: GET
    path: /hubs/db/objects
    vendorPath: /objects
    model:
      name: objects
      swagger: {type: array, items: {type: string}}
  - method: GET
    path: /hubs/db/rows/{id}
    vendorPath: /rows/{id}
    model:
      name: row
      swagger:
        row: {type: object, properties: {when: {type: date}, tags: {type: array}}}
"##;
    let doc = document(&element(yaml), "/elements/api-v2");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["objects"],
        json!({"type": "array", "items": {}, "properties": {}})
    );
    assert_eq!(
        schemas["row"]["properties"],
        json!({"when": {"type": "string", "x-type": "date"}, "tags": {"type": "array", "items": {}}})
    );
}
