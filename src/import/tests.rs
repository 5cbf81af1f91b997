//! The OpenAPI import's parts: references, allOf, cycles, security schemes, refusals.

use serde_json::{json, Value};

use super::*;

fn options() -> Options {
    Options {
        key: "petstore".into(),
        name: None,
        hub: "general".into(),
    }
}

fn import(text: &str) -> Imported {
    openapi(text, &options()).expect("imports")
}

/// A document with these `components` and `paths` (YAML flow text).
fn doc(components: &str, paths: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\nservers: [{{url: 'https://api.example.com/v1/'}}]\ncomponents: {components}\npaths: {paths}\n")
}

fn messages(imported: &Imported) -> Vec<String> {
    imported
        .warnings
        .iter()
        .map(|w| w.message.clone())
        .collect()
}

fn object<'v>(element: &'v Value, name: &str) -> &'v Value {
    let objects = element["objects"].as_array().expect("objects");
    objects
        .iter()
        .find(|o| o["name"] == name)
        .expect("the object")
}

fn paths_of(object: &Value) -> Vec<&str> {
    let fields = object["fields"].as_array().expect("fields");
    fields
        .iter()
        .filter_map(|f| f["vendorPath"].as_str())
        .collect()
}

#[test]
fn references_are_followed_objects_stay_references_and_scalars_are_inlined() {
    let text = doc(
        "{schemas: {Id: {type: string, format: uuid}, Owner: {type: object, properties: {id: {$ref: '#/components/schemas/Id'}}},
          Pet: {type: object, properties: {id: {$ref: '#/components/schemas/Id'}, owner: {$ref: '#/components/schemas/Owner'}}}},
          parameters: {Limit: {name: limit, in: query, schema: {type: integer}}}}",
        "{/pets: {get: {parameters: [{$ref: '#/components/parameters/Limit'}],
          responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}}}}}}",
    );
    let imported = import(&text);
    let resource = &imported.element["resources"][0];
    assert_eq!(resource["parameters"][0]["name"], json!("limit"));
    assert_eq!(resource["parameters"][0]["type"], json!("query"));
    let model = &resource["model"];
    assert_eq!(model["name"], json!("Pet"), "an array's items are the root");
    let pet = &model["swagger"]["Pet"]["properties"];
    assert_eq!(pet["id"], json!({"type": "string", "format": "uuid"}));
    assert_eq!(pet["owner"], json!({"$ref": "#/definitions/Owner"}));
    assert!(
        model["swagger"]["Owner"].is_object(),
        "referenced definitions come along"
    );
    let pet = object(&imported.element, "Pet");
    assert_eq!(paths_of(pet), vec!["id", "owner.id"]);
    assert_eq!(pet["primaryKeyName"], json!("id"));
    assert_eq!(imported.warnings, Vec::new());
}

#[test]
fn all_of_is_merged_into_one_definition() {
    let text = std::fs::read_to_string("tests/fixtures/openapi/petstore-expanded.yaml")
        .expect("the fixture");
    let imported = import(&text);
    let pet = object(&imported.element, "Pet");
    assert_eq!(paths_of(pet), vec!["name", "tag", "id"]);
    let required: Vec<bool> = pet["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["vendorRequired"] == json!(true))
        .collect();
    assert_eq!(required, vec![true, false, true]);
    let get = &imported.element["resources"][2];
    assert_eq!(get["path"], json!("/hubs/general/pets/{id}"));
    assert_eq!(
        get["model"]["swagger"]["Pet"]["required"],
        json!(["name", "id"])
    );
}

#[test]
fn a_cycle_stops_at_a_reference() {
    let text = doc(
        "{schemas: {Node: {type: object, properties: {name: {type: string}, children: {type: array, items: {$ref: '#/components/schemas/Node'}}}},
          A: {allOf: [{$ref: '#/components/schemas/B'}, {type: object, properties: {a: {type: string}}}]},
          B: {allOf: [{$ref: '#/components/schemas/A'}, {type: object, properties: {b: {type: string}}}]}}}",
        "{/nodes: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Node'}}}}}}}}",
    );
    let imported = import(&text);
    let node = &imported.element["resources"][0]["model"]["swagger"]["Node"];
    assert_eq!(
        node["properties"]["children"],
        json!({"type": "array", "items": {"$ref": "#/definitions/Node"}})
    );
    assert_eq!(
        paths_of(object(&imported.element, "Node")),
        vec!["name", "children"],
        "an array of the object itself is one field"
    );
    let a = object(&imported.element, "A");
    assert_eq!(paths_of(a), vec!["b", "a"]);
    let cycle = imported
        .warnings
        .iter()
        .find(|w| w.message.contains("refers back to A"))
        .expect("the cycle is named");
    assert_eq!(cycle.pointer, "/components/schemas/B/allOf/0");
    assert_eq!(cycle.pos.map(|p| p.line), Some(6));
}

fn security(schemes: &str, security: &str) -> Imported {
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\nservers: [{{url: 'https://{{region}}.example.com', variables: {{region: {{default: eu}}}}}}]\n{security}components: {{securitySchemes: {schemes}}}\npaths: {{/a: {{get: {{responses: {{'204': {{description: none}}}}}}}}}}\n"
    );
    import(&text)
}

fn configuration_keys(element: &Value) -> Vec<&str> {
    let configuration = element["configuration"].as_array().expect("configuration");
    configuration
        .iter()
        .filter_map(|c| c["key"].as_str())
        .collect()
}

#[test]
fn an_api_key_is_a_password_sent_as_a_value_parameter() {
    let imported = security("{key: {type: apiKey, in: header, name: X-Api-Key}}", "");
    let element = &imported.element;
    assert_eq!(element["authentication"]["type"], json!("custom"));
    assert_eq!(configuration_keys(element), vec!["base.url", "api.key"]);
    assert_eq!(
        element["configuration"][0]["defaultValue"],
        json!("https://eu.example.com")
    );
    assert_eq!(element["configuration"][1]["type"], json!("PASSWORD"));
    assert_eq!(
        element["parameters"][0],
        json!({"name": "${configuration.api.key}", "type": "value", "vendorName": "X-Api-Key", "vendorType": "header"})
    );
    let query = security("{key: {type: apiKey, in: query, name: api_key}}", "");
    assert_eq!(query.element["parameters"][0]["vendorType"], json!("query"));
}

#[test]
fn http_schemes_are_basic_or_a_bearer_header() {
    let basic = security("{b: {type: http, scheme: basic}}", "");
    assert_eq!(basic.element["authentication"]["type"], json!("basic"));
    assert_eq!(
        configuration_keys(&basic.element),
        vec!["base.url", "username", "password"]
    );
    let bearer = security("{t: {type: http, scheme: bearer}}", "");
    assert_eq!(
        bearer.element["parameters"][0]["name"],
        json!("Bearer ${configuration.bearer.token}")
    );
    let digest = security("{d: {type: http, scheme: digest}}", "");
    assert!(
        messages(&digest)[0].contains("\"digest\""),
        "{:?}",
        digest.warnings
    );
    assert_eq!(digest.warnings[0].pointer, "/components/securitySchemes/d");
}

#[test]
fn oauth2_takes_its_urls_and_scopes_as_configuration_defaults() {
    let imported = security(
        "{o: {type: oauth2, flows: {authorizationCode: {authorizationUrl: 'https://id.example.com/authorize', tokenUrl: 'https://id.example.com/token', scopes: {read: r, write: w}},
          implicit: {authorizationUrl: 'https://id.example.com/authorize', scopes: {}}}},
          k: {type: apiKey, in: header, name: K}}",
        "security: [{o: [read]}]\n",
    );
    let element = &imported.element;
    assert_eq!(element["authentication"]["type"], json!("oauth2"));
    let defaults: Vec<(&str, &Value)> = element["configuration"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| (c["key"].as_str().unwrap_or_default(), &c["defaultValue"]))
        .collect();
    assert!(defaults.contains(&(
        "oauth.authorization.url",
        &json!("https://id.example.com/authorize")
    )));
    assert!(defaults.contains(&("oauth.token.url", &json!("https://id.example.com/token"))));
    // The requirement asks for `read` only.
    assert!(defaults.contains(&("oauth.scope", &json!("read"))));
    let warned = messages(&imported);
    assert!(
        warned
            .iter()
            .any(|m| m.contains("flow implicit is not mapped")),
        "{warned:?}"
    );
    assert!(
        warned.iter().any(|m| m.contains("scheme k is not mapped")),
        "{warned:?}"
    );
}

#[test]
fn swagger_2_is_refused_by_name() {
    let error =
        openapi("swagger: '2.0'\ninfo: {title: T}\npaths: {}\n", &options()).expect_err("refused");
    assert!(
        matches!(error, ImportError::Swagger2(ref v) if v == "2.0"),
        "{error}"
    );
    assert!(error.to_string().contains("only OpenAPI 3.0 and 3.1"));
    let error = openapi("openapi: 3.0.0\ninfo: {title: T}\n", &options()).expect_err("refused");
    assert!(matches!(error, ImportError::NoPaths));
    let error = openapi("{}", &options()).expect_err("refused");
    assert!(matches!(error, ImportError::NotOpenApi(_)));
}

#[test]
fn invalid_yaml_is_reported_at_its_line_and_column() {
    let error = openapi("openapi: 3.0.0\npaths:\n  /a: [\n", &options()).expect_err("refused");
    let ImportError::Syntax(syntax) = &error else {
        panic!("a syntax error, not {error}");
    };
    assert_eq!(syntax.pos.line, 4, "{error}");
    assert!(error.to_string().starts_with("4:"), "{error}");
}

#[test]
fn a_bad_key_or_hub_is_refused_before_reading() {
    let bad_key = Options {
        key: "../up".into(),
        ..options()
    };
    assert!(matches!(
        openapi("{}", &bad_key),
        Err(ImportError::BadKey(_))
    ));
    let bad_hub = Options {
        hub: "a/b".into(),
        ..options()
    };
    assert!(matches!(
        openapi("{}", &bad_hub),
        Err(ImportError::BadHub(_))
    ));
}

#[test]
fn what_openapi_tells_readers_to_ignore_or_the_element_cannot_hold_is_still_named() {
    let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://x.example'}]\nwebhooks: {}\npaths: {/a: {post: {parameters: [{name: Accept, in: header}], callbacks: {}, responses: {}}}}\n";
    let imported = import(text);
    let pointers: Vec<&str> = imported
        .warnings
        .iter()
        .map(|w| w.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        vec![
            "/webhooks",
            "/paths/~1a/post/callbacks",
            "/paths/~1a/post/parameters/0"
        ]
    );
    assert_eq!(imported.element["resources"][0].get("parameters"), None);
}

#[test]
fn without_top_level_security_the_first_scheme_that_maps_is_used() {
    let imported = security(
        "{o: {type: oauth2, flows: {implicit: {authorizationUrl: 'https://id.example.com/a', scopes: {}}}},
          b: {type: http, scheme: basic}, k: {type: apiKey, in: query, name: key}}",
        "",
    );
    assert_eq!(imported.element["authentication"]["type"], json!("basic"));
    let warned: Vec<(&str, &str)> = imported
        .warnings
        .iter()
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert!(
        warned[0].0.ends_with("/o/flows") && warned[0].1.contains("implicit"),
        "{warned:?}"
    );
    assert_eq!(warned[1].0, "/components/securitySchemes/k");
    assert!(
        warned[1].1.contains("authenticates with b only"),
        "{warned:?}"
    );
}

#[test]
fn relative_servers_and_cookies_are_warned_not_dropped() {
    let text = "openapi: 3.0.0\ninfo: {title: T, version: '1'}\nservers: [{url: /api}]\npaths: {/a: {get: {parameters: [{name: sid, in: cookie}], responses: {}}}}\n";
    let imported = import(text);
    let warned = messages(&imported);
    assert!(warned[0].contains("\"/api\" is relative"), "{warned:?}");
    assert!(warned[1].contains("cookie parameter \"sid\""), "{warned:?}");
    assert_eq!(imported.warnings[1].pointer, "/paths/~1a/get/parameters/0");
    assert_eq!(
        imported.element["configuration"][0]["defaultValue"],
        json!("/api")
    );
}

#[test]
fn the_yaml_reads_back_as_the_element() {
    let text = std::fs::read_to_string("tests/fixtures/openapi/petstore-expanded.yaml")
        .expect("the fixture");
    let imported = import(&text);
    let yaml = to_yaml(&imported.element, "petstore-expanded.yaml");
    assert!(yaml.starts_with("# Imported from petstore-expanded.yaml"));
    let parsed = located::parse(&yaml).expect("parses");
    assert_eq!(parsed.value, imported.element);
    assert!(yaml.contains("key: petstore\n"), "YAML, not JSON:\n{yaml}");
}
