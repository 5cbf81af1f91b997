//! `elemental import openapi`: the OAI petstore-expanded document made into an element that
//! `check` accepts and `serve` serves in front of a mock Petstore; the command's output,
//! `--out`, `--force` and its refusals.

mod support;

use std::process::Command;

use serde_json::json;
use support::{one_instance, MockVendor, Project, Reply};

const PETSTORE: &str = "tests/fixtures/openapi/petstore-expanded.yaml";

fn elemental(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_elemental"))
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .expect("run elemental");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Import the petstore into `p`'s elements folder with `--out`.
fn import_into(p: &Project, extra: &[&str]) -> (i32, String) {
    let elements = p.path("elements").display().to_string();
    let mut args = vec![
        "import", "openapi", PETSTORE, "--key", "petstore", "--out", &elements,
    ];
    args.extend(extra);
    let (code, _, stderr) = elemental(&args);
    (code, stderr)
}

#[test]
fn the_petstore_imports_as_an_element_check_accepts() {
    let (code, stdout, stderr) = elemental(&["import", "openapi", PETSTORE, "--key", "petstore"]);
    assert_eq!(code, 0, "{stderr}");
    let element = elemental::element::located::parse(&stdout)
        .expect("YAML")
        .value;
    assert_eq!(element["key"], json!("petstore"));
    assert_eq!(element["name"], json!("Swagger Petstore"));
    let routes: Vec<String> = element["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| format!("{} {} -> {}", r["method"], r["path"], r["vendorPath"]).replace('"', ""))
        .collect();
    assert_eq!(
        routes,
        vec![
            "GET /hubs/general/pets -> /pets",
            "POST /hubs/general/pets -> /pets",
            "GET /hubs/general/pets/{id} -> /pets/{id}",
            "DELETE /hubs/general/pets/{id} -> /pets/{id}",
        ]
    );
    assert_eq!(
        element["configuration"][0]["defaultValue"],
        json!("http://petstore.swagger.io/api")
    );
    // The document has no security schemes and one server: nothing to warn about.
    assert_eq!(stderr, "");

    let p = Project::new();
    p.instances("instances: []\n");
    let (code, stderr) = import_into(&p, &[]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = elemental(&[
        "check",
        "--elements",
        &p.path("elements").display().to_string(),
        "--instances",
        &p.path("instances.yaml").display().to_string(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("ok: 1 element(s)"), "{stdout}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn the_swagger_petstore_imports_with_its_api_key_and_warns_about_the_rest() {
    let p = Project::new();
    p.instances("instances: []\n");
    let elements = p.path("elements").display().to_string();
    let spec = "tests/fixtures/openapi/petstore.yaml";
    let (code, _, stderr) = elemental(&[
        "import", "openapi", spec, "--key", "swagger", "--out", &elements,
    ]);
    assert_eq!(code, 0, "{stderr}");
    // The implicit flow cannot be run, so the API key is the element's authentication.
    assert!(
        stderr.contains(&format!(
            "{spec}:830:7: warning: only the authorizationCode and password OAuth 2 flows"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("(at /paths/~1pet/put/security)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("request body of type application/octet-stream"),
        "{stderr}"
    );
    let written =
        std::fs::read_to_string(p.path("elements/swagger/element.yaml")).expect("written");
    let element = elemental::element::located::parse(&written)
        .expect("YAML")
        .value;
    assert_eq!(element["parameters"][0]["vendorName"], json!("api_key"));
    assert_eq!(element["configuration"][1]["type"], json!("PASSWORD"));
    let (code, _, stderr) = elemental(&[
        "check",
        "--elements",
        &elements,
        "--instances",
        &p.path("instances.yaml").display().to_string(),
    ]);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

/// The mock Petstore: a list, a created pet, one pet, a deletion.
fn petstore() -> MockVendor {
    MockVendor::start(|seen| match (seen.method.as_str(), seen.path.as_str()) {
        ("GET", "/api/pets") => Reply::json(
            200,
            json!([{"id": 1, "name": "Rex"}, {"id": 2, "name": "Tom"}]),
        ),
        ("POST", "/api/pets") => Reply::json(200, json!({"id": 3, "name": "Kit", "tag": "cat"})),
        ("GET", "/api/pets/3") => Reply::json(200, json!({"id": 3, "name": "Kit"})),
        ("DELETE", "/api/pets/3") => Reply {
            status: 204,
            headers: Vec::new(),
            body: String::new(),
            delay: None,
        },
        _ => Reply::json(404, json!({"code": 404, "message": "no such pet"})),
    })
}

#[test]
fn the_imported_petstore_proxies_to_a_mock_petstore() {
    let vendor = petstore();
    let p = Project::new();
    let (code, stderr) = import_into(&p, &[]);
    assert_eq!(code, 0, "{stderr}");
    p.instances(&one_instance(
        "petstore",
        "tok",
        &format!("      base.url: {}/api", vendor.base),
    ));
    let server = p.serve();

    let list = server.call("GET", "/hubs/general/pets?limit=2", "tok", None);
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.body_json()[1]["name"], json!("Tom"));
    let seen = vendor.last();
    assert_eq!(
        (
            seen.method.as_str(),
            seen.path.as_str(),
            seen.query.as_str()
        ),
        ("GET", "/api/pets", "limit=2")
    );

    let body = r#"{"name":"Kit","tag":"cat"}"#;
    let created = server.call("POST", "/hubs/general/pets", "tok", Some(body));
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(created.body_json()["id"], json!(3));
    let seen = vendor.last();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/api/pets")
    );
    assert_eq!(seen.json(), json!({"name": "Kit", "tag": "cat"}));
    assert_eq!(seen.header("content-type"), Some("application/json"));

    let one = server.call("GET", "/hubs/general/pets/3", "tok", None);
    assert_eq!(one.body_json(), json!({"id": 3, "name": "Kit"}));
    assert_eq!(vendor.last().path, "/api/pets/3");

    let deleted = server.call("DELETE", "/hubs/general/pets/3", "tok", None);
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    let seen = vendor.last();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str(), seen.body.as_str()),
        ("DELETE", "/api/pets/3", "")
    );

    // The schemas are the element's objects, with their metadata.
    let objects = server.call("GET", "/hubs/general/objects", "tok", None);
    assert_eq!(
        objects.body_json(),
        json!(["Error", "NewPet", "Pet", "pets"])
    );
    let metadata = server.call("GET", "/hubs/general/objects/Pet/metadata", "tok", None);
    let fields = metadata.body_json()["fields"].clone();
    let paths: Vec<&str> = fields
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["vendorPath"].as_str())
        .collect();
    assert_eq!(paths, vec!["name", "tag", "id"]);
    assert_eq!(metadata.body_json()["primaryKey"], json!("id"));
}

/// Two API keys, one in a header and one in the query, both required for every operation.
const KEYED: &str = "openapi: 3.0.3
info: {title: Keyed, version: '1'}
servers: [{url: 'https://api.example.com/v1'}]
security: [{h: [], q: []}]
components:
  securitySchemes:
    h: {type: apiKey, in: header, name: X-Api-Key}
    q: {type: apiKey, in: query, name: key}
paths:
  /things/{id}: {get: {parameters: [{name: id, in: path, required: true}, {name: X-Trace, in: header}], responses: {'200': {description: ok}}}}
";

#[test]
fn an_imported_api_key_reaches_the_vendor_from_the_instance_configuration() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"ok": true})));
    let p = Project::new();
    p.write("keyed.yaml", KEYED);
    let spec = p.path("keyed.yaml").display().to_string();
    let elements = p.path("elements").display().to_string();
    let (code, _, stderr) = elemental(&[
        "import", "openapi", &spec, "--key", "keyed", "--out", &elements,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let configuration = format!(
        "      base.url: {}/v1\n      api.key.h: secret-h\n      api.key.q: secret-q",
        vendor.base
    );
    p.instances(&one_instance("keyed", "tok", &configuration));
    let server = p.serve();
    let reply = support::http(
        "GET",
        &format!("{}/elements/api-v2/hubs/general/things/7", server.base),
        &[("Authorization", "Element tok"), ("X-Trace", "t1")],
        None,
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = vendor.last();
    assert_eq!(
        (seen.path.as_str(), seen.query.as_str()),
        ("/v1/things/7", "key=secret-q")
    );
    assert_eq!(seen.header("x-api-key"), Some("secret-h"));
    assert_eq!(seen.header("x-trace"), Some("t1"));
}

#[test]
fn out_refuses_to_overwrite_unless_forced() {
    let p = Project::new();
    let (code, stderr) = import_into(&p, &[]);
    assert_eq!(code, 0, "{stderr}");
    let file = p.path("elements/petstore/element.yaml");
    assert!(stderr.contains("wrote"), "{stderr}");
    std::fs::write(&file, "# mine\n").expect("write");
    let (code, stderr) = import_into(&p, &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("already exists: pass --force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "# mine\n");
    let (code, stderr) = import_into(&p, &["--force", "--name", "Pets", "--hub", "animals"]);
    assert_eq!(code, 0, "{stderr}");
    let written = std::fs::read_to_string(&file).expect("read");
    assert!(
        written.contains("name: Pets\n") && written.contains("path: /hubs/animals/pets\n"),
        "{written}"
    );
}

#[test]
fn bad_input_is_refused_with_a_reason_and_exit_code_1() {
    let p = Project::new();
    p.write(
        "swagger.yaml",
        "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n",
    );
    p.write(
        "broken.json",
        "{\"openapi\": \"3.0.0\",\n  \"paths\": ]\n}\n",
    );
    p.write(
        "nopaths.yaml",
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
    );
    let cases = [
        (p.path("elements"), "is not a file"),
        (p.path("missing.yaml"), "cannot read"),
        (p.path("swagger.yaml"), "Swagger 2.0 description"),
        (p.path("broken.json"), "broken.json:2:"),
        (p.path("nopaths.yaml"), "has no paths"),
    ];
    for (spec, expected) in cases {
        let spec = spec.display().to_string();
        let (code, stdout, stderr) = elemental(&["import", "openapi", &spec, "--key", "k"]);
        assert_eq!(code, 1, "{spec}: {stderr}");
        assert!(stderr.contains(expected), "{spec}: {stderr}");
        assert_eq!(stdout, "", "{spec}");
    }
}
