//! What a web task reaches: `kv` (persisted, sealed at rest), `elements.call` (a request
//! through an instance's element and its hooks, in-process), and the hooks' library.

mod support;

use serde_json::{json, Value};
use support::{copy_dir, http, one_instance, MockVendor, Project, Reply, Server};

fn serve(p: &Project) -> Server {
    p.serve_with(elemental::settings::Settings {
        expose_errors: true,
        ..Default::default()
    })
}

fn send(server: &Server, method: &str, path: &str, body: Option<Value>) -> Reply {
    let body = body.map(|b| b.to_string());
    let headers = [("Content-Type", "application/json")];
    http(
        method,
        &format!("{}{path}", server.base),
        &headers,
        body.as_deref(),
    )
}

const STORE: &str = r#"
export const authenticate = ({access}) => access.authorized();
export async function post({params}) {
    await kv.put(params.key, params.value);
    return {stored: params.key};
}
export async function get({params}) {
    return {value: await kv.get(params.key), keys: await kv.list(params.prefix)};
}
async function remove({params}) {
    return {deleted: await kv.delete(params.key)};
}
export { remove as delete };
"#;

/// Every byte of the store's files (database and write-ahead log).
fn store_bytes(p: &Project) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(p.path("data"))
        .expect("data folder")
        .flatten()
    {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("elemental.db")
        {
            bytes.extend(std::fs::read(entry.path()).expect("read"));
        }
    }
    bytes
}

#[test]
fn kv_persists_across_a_restart_sealed() {
    let p = Project::new();
    p.task("store", STORE);
    let secret = "tok-SECRET-7f3a9";
    let server = serve(&p);
    let value = json!({"token": secret, "n": 1});
    let put = send(
        &server,
        "POST",
        "/tasks/store",
        Some(json!({"key": "client:ada", "value": value})),
    );
    assert_eq!(put.status, 200, "{}", put.body);
    send(
        &server,
        "POST",
        "/tasks/store",
        Some(json!({"key": "client:bob", "value": 2})),
    );
    send(
        &server,
        "POST",
        "/tasks/store",
        Some(json!({"key": "other", "value": "x"})),
    );
    server.stop();

    let server = serve(&p);
    let got = send(
        &server,
        "GET",
        "/tasks/store?key=client:ada&prefix=client:",
        None,
    );
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(
        got.body_json(),
        json!({"value": value, "keys": ["client:ada", "client:bob"]})
    );
    let deleted = send(&server, "DELETE", "/tasks/store?key=client:bob", None);
    assert_eq!(deleted.body_json(), json!({"deleted": true}));
    let again = send(&server, "DELETE", "/tasks/store?key=client:bob", None);
    assert_eq!(again.body_json(), json!({"deleted": false}));
    let gone = send(&server, "GET", "/tasks/store?key=client:bob", None);
    assert_eq!(gone.body_json()["value"], Value::Null);
    server.stop();
    // Sealed: the store's files hold the keys, never a value in clear.
    let bytes = store_bytes(&p);
    let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(contains("client:ada"), "the key is kept in clear");
    assert!(!contains(secret), "a kv value is in the store in clear");
}

const CRM: &str = r#"
export const authenticate = ({access}) => access.authorized();
export async function post({params}) {
    const created = await elements.call(1, 'POST', '/hubs/crm/contacts', {body: params, headers: {'X-From': 'task'}});
    const listed = await elements.call('test', 'GET', '/elements/api-v2/hubs/crm/contacts', {query: {pageSize: 5}});
    let missing;
    try { await elements.call(99, 'GET', '/hubs/crm/contacts'); } catch (e) { missing = e.message; }
    return {created, listed: listed.status, missing};
}
"#;

#[test]
fn elements_call_runs_a_request_through_an_element_and_its_hooks() {
    let vendor = MockVendor::start(|r| {
        let body = r.json();
        match r.method.as_str() {
            "POST" => support::Reply::json(
                201,
                json!({"id": 5, "first_name": body["first_name"], "email_address": body["email_address"]}),
            ),
            _ => support::Reply::json(200, json!({"data": []})),
        }
    });
    let p = Project::new();
    copy_dir(
        std::path::Path::new("elements/democrm"),
        &p.path("elements/democrm"),
    );
    p.instances(&one_instance(
        "democrm",
        "crm-token",
        &format!("      base.url: {}/v1\n      api.key: k", vendor.base),
    ));
    p.task("crm", CRM);
    let server = serve(&p);
    let reply = send(
        &server,
        "POST",
        "/tasks/crm",
        Some(json!({"firstName": "Ada", "email": "ada@example.com"})),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let answer = reply.body_json();
    // The pre-request hook mapped the body for the vendor; the post hooks mapped it back.
    let sent = vendor
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("the vendor got the POST");
    assert_eq!(sent.path, "/v1/contacts");
    assert_eq!(sent.json()["first_name"], json!("Ada"));
    assert_eq!(answer["created"]["status"], json!(201));
    assert_eq!(
        answer["created"]["body"],
        json!({"id": "5", "firstName": "Ada", "email": "ada@example.com", "upserted": false})
    );
    assert_eq!(
        answer["created"]["headers"]["x-elemental-element"],
        json!("democrm")
    );
    assert_eq!(answer["listed"], json!(200));
    assert!(
        answer["missing"]
            .as_str()
            .is_some_and(|m| m.contains("no instance 99")),
        "{answer}"
    );
}

#[test]
fn a_task_has_the_hook_library_and_hooks_have_no_task_globals() {
    let vendor = MockVendor::start(|_| support::Reply::json(200, json!({"pong": true})));
    let p = Project::new();
    let source = r#"
export const authenticate = ({access}) => access.authorized();
export async function get() {
    console.log('library check');
    const fetched = await (await fetch('VENDOR/ping')).json();
    return {chunk: require('lodash').chunk([1, 2, 3], 2), md5: CE.md5('a'), fetched};
}
"#;
    p.task("library", &source.replace("VENDOR", &vendor.base));
    let server = serve(&p);
    let reply = send(&server, "GET", "/tasks/library", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body_json(),
        json!({"chunk": [[1, 2], [3]], "md5": "0cc175b9c0f1b6a831c399e269772661", "fetched": {"pong": true}})
    );

    use elemental::hooks::{Kind, Limits, Origin, Script};
    let script = Script::new(
        "resource preRequest GET /x",
        Origin::file("hooks/pre.js"),
        "done({kv: typeof kv, elements: typeof elements, task: typeof __elemental_task});",
    );
    let ran = support::hooks::run(
        &script,
        Kind::PreRequest,
        &Default::default(),
        Limits::default(),
    )
    .expect("hook ran");
    assert_eq!(
        ran.done,
        json!({"kv": "undefined", "elements": "undefined", "task": "undefined"})
    );
}
