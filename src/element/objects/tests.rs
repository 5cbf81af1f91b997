use super::*;
use crate::element::load::load_file;

/// An element read from `yaml` (written to a temporary folder), with no load error.
pub(crate) fn element(yaml: &str) -> Element {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("element.yaml");
    std::fs::write(&file, yaml).expect("write");
    let mut diagnostics = Vec::new();
    let element = load_file(&file, &mut diagnostics);
    assert!(
        diagnostics.iter().all(|d| d.warning),
        "load errors: {diagnostics:#?}"
    );
    element.expect("the element loads")
}

const CRM: &str = r##"
key: crm
resources:
  - method: GET
    path: /hubs/crm/contacts/{id}
    vendorPath: /contacts/{id}
    model:
      name: contact
      swagger:
        contact:
          type: object
          x-vendor-objectname: Contact
          x-primary-key: [id]
          required: [id]
          properties:
            id: {type: integer, format: int64}
            born: {type: string, format: date}
            address: {$ref: "#/definitions/contactAddress"}
            phones: {type: array, items: {$ref: "#/definitions/contactPhone"}}
            tags: {type: array, items: {type: string}}
            manager: {$ref: "#/definitions/contact"}
        contactAddress:
          type: object
          properties:
            city: {type: string}
            open: {type: boolean}
        contactPhone:
          type: object
          properties:
            number: {type: string}
  - method: POST
    path: /hubs/crm/contacts
    vendorPath: /contacts
    model:
      name: contact
      requestName: contactReq
      swagger:
        contact: {type: object, properties: {id: {type: integer}}}
      requestSwagger:
        contactReq: {type: object, properties: {nickname: {type: string}}}
  - method: GET
    path: /hubs/crm/deals
    objectName: opportunities
    vendorPath: /deals
  - method: GET
    path: /hubs/crm/objects/{objectName}/metadata
    vendorPath: /meta
  - method: POST
    path: /hubs/crm/token
    type: onProvision
    vendorPath: /token
objects:
  - name: contacts
    vendorName: People
    primaryKeyName: id
  - name: notes
    fields:
      - {vendorPath: text, type: string}
"##;

#[test]
fn names_are_the_declared_and_routed_objects_sorted() {
    let crm = element(CRM);
    assert_eq!(crm.hub, "crm");
    assert_eq!(names(&crm), vec!["contacts", "notes", "opportunities"]);
}

#[test]
fn metadata_flattens_nested_objects_and_arrays_of_objects() {
    let crm = element(CRM);
    let meta = metadata(&crm, "contacts").expect("contacts");
    assert_eq!(meta["primaryKey"], json!("id"), "objects[] wins");
    let fields = meta["fields"].as_array().expect("fields");
    let paths: Vec<&str> = fields
        .iter()
        .filter_map(|f| f["vendorPath"].as_str())
        .collect();
    assert_eq!(
        paths,
        vec![
            "id",
            "born",
            "address.city",
            "address.open",
            "phones[*].number",
            "tags",
            "manager",
            "nickname"
        ],
        "the cycle through manager stops at the first repeat; the request model comes last"
    );
    assert_eq!(
        fields[0],
        json!({"vendorPath": "id", "type": "number", "vendorNativeType": "integer(int64)",
               "vendorDisplayName": "id", "vendorRequired": true, "vendorReadOnly": false})
    );
    assert_eq!(fields[1]["type"], json!("date"));
    assert_eq!(fields[3]["type"], json!("boolean"));
    assert_eq!(fields[5]["type"], json!("array"));
    assert_eq!(fields[6]["type"], json!("object"));
}

#[test]
fn declared_fields_come_first_and_unknown_objects_have_none() {
    let crm = element(CRM);
    assert_eq!(
        metadata(&crm, "notes"),
        Some(json!({"fields": [{"vendorPath": "text", "type": "string"}]}))
    );
    assert_eq!(metadata(&crm, "opportunities"), Some(json!({"fields": []})));
    assert_eq!(metadata(&crm, "metadata"), None);
    assert_eq!(metadata(&crm, "token"), None, "not routed, not named");
}

#[test]
fn the_vendor_name_is_declared_else_the_models_else_the_name() {
    let crm = element(CRM);
    assert_eq!(vendor_object_name(&crm, "contacts"), "People");
    let mut yaml = CRM.replace("    vendorName: People\n", "");
    assert_eq!(vendor_object_name(&element(&yaml), "contacts"), "Contact");
    yaml = yaml.replace("x-vendor-objectname: Contact", "title: c");
    assert_eq!(vendor_object_name(&element(&yaml), "contacts"), "contacts");
}

#[test]
fn a_merge_keeps_the_hooks_fields_and_appends_the_models() {
    let model = json!({"fields": [
        {"vendorPath": "id", "type": "number"},
        {"vendorPath": "name", "type": "string"}
    ], "primaryKey": "id"});
    let hook =
        json!({"fields": [{"vendorPath": "name", "type": "string", "vendorDisplayName": "Name"}]});
    assert_eq!(
        merge(hook, Some(&model)),
        json!({"fields": [
            {"vendorPath": "name", "type": "string", "vendorDisplayName": "Name"},
            {"vendorPath": "id", "type": "number"}
        ], "primaryKey": "id"})
    );
    assert_eq!(merge(json!("text"), Some(&model)), json!("text"));
    assert_eq!(merge(json!({"fields": []}), None), json!({"fields": []}));
}

#[test]
fn malformed_objects_and_models_are_warnings_at_their_place() {
    let yaml = "key: odd
resources:
  - method: GET
    path: /hubs/odd/things
    vendorPath: /things
    model:
      name: thing
      swagger:
        thing:
          properties:
            size: 12
objects:
  - vendorName: NoName
  - name: things
    fields:
      - just text
";
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("element.yaml");
    std::fs::write(&file, yaml).expect("write");
    let mut diagnostics = Vec::new();
    let element = load_file(&file, &mut diagnostics).expect("still loads");
    let shown: Vec<(usize, usize, bool, &str)> = diagnostics
        .iter()
        .map(|d| (d.line, d.column, d.warning, d.message.as_str()))
        .collect();
    assert!(
        shown.contains(&(
            11,
            13,
            true,
            "model: a property must be a mapping; left out"
        )),
        "{shown:#?}"
    );
    assert!(
        shown.contains(&(13, 5, true, "an object needs a \"name\"; ignored")),
        "{shown:#?}"
    );
    assert!(
        shown.contains(&(
            16,
            9,
            true,
            "a field must be a mapping with a \"vendorPath\"; ignored"
        )),
        "{shown:#?}"
    );
    assert_eq!(element.objects.len(), 1);
    assert_eq!(element.hub, "odd", "from the first path");
}
