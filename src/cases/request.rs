//! Request cases: a request sent through the whole pipeline, on a thread of its own, against
//! a local mock vendor that replays the case's recorded response.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use actix_web::dev::ServerHandle;
use serde_json::{json, Map, Value};

use super::{body_bytes, compare_expected, header_pairs, CaseError};
use crate::element::{Element, Elements};
use crate::instance;
use crate::pipeline::{self, Answer, Call, Inbound, PipelineError};
use crate::settings::Settings;
use crate::store::{InstanceRecord, SqliteStore};
use crate::vendor::VendorClient;

/// What the mock vendor of a request case saw.
#[derive(Debug, Clone, Default)]
struct Seen {
    method: String,
    path: String,
    query: BTreeMap<String, Value>,
    headers: Map<String, Value>,
    body: Value,
}

/// The request a case sends, and what it expects of it.
struct Replay {
    element: Arc<Element>,
    inbound: Inbound,
    /// The recorded vendor response: `{status?, headers?, body?}`.
    vendor: Value,
    configuration: Map<String, Value>,
    expect: Value,
}

pub(super) fn request_case(
    element: &Arc<Element>,
    case: &Value,
) -> Result<Option<String>, CaseError> {
    let request = case.get("request").cloned().unwrap_or(Value::Null);
    let replay = Replay {
        element: element.clone(),
        inbound: inbound(&request)?,
        vendor: case
            .get("vendor")
            .cloned()
            .unwrap_or(json!({"status": 200, "body": {}})),
        configuration: case
            .pointer("/instance/configuration")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
        expect: case.get("expect").cloned().unwrap_or(Value::Null),
    };
    std::thread::spawn(move || actix_web::rt::System::new().block_on(replay.run()))
        .join()
        .unwrap_or_else(|_| Err(CaseError::Invalid("the case crashed".into())))
}

/// The case's `request` as the server would receive it.
fn inbound(request: &Value) -> Result<Inbound, CaseError> {
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("GET")
        .to_ascii_uppercase();
    let Some(path) = request.get("path").and_then(Value::as_str) else {
        return Err(CaseError::Invalid("`request.path` is required".into()));
    };
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    Ok(Inbound {
        method,
        path: path.to_string(),
        query,
        headers: header_pairs(request.get("headers")),
        body: body_bytes(request.get("body")),
    })
}

impl Replay {
    async fn run(self) -> Result<Option<String>, CaseError> {
        let seen: Arc<Mutex<Option<Seen>>> = Arc::new(Mutex::new(None));
        let (base, handle) = start_vendor(self.vendor, seen.clone())?;
        let data = std::env::temp_dir().join(format!(
            "elemental-case-{}-{}",
            std::process::id(),
            crate::hooks::ce::random_string()
        ));
        let answer = answer(self.element, self.inbound, self.configuration, &base, &data).await;
        handle.stop(false).await;
        let _ = std::fs::remove_dir_all(&data);
        let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
        Ok(verdict(&self.expect, seen, &answer?))
    }
}

/// Start the mock vendor on a port of its own; its base URL and handle.
fn start_vendor(
    vendor: Value,
    seen: Arc<Mutex<Option<Seen>>>,
) -> Result<(String, ServerHandle), CaseError> {
    let cannot_start =
        |e: std::io::Error| CaseError::Invalid(format!("cannot start the mock vendor: {e}"));
    let listener = TcpListener::bind("127.0.0.1:0").map_err(cannot_start)?;
    let address = listener
        .local_addr()
        .map_err(|e| CaseError::Invalid(e.to_string()))?;
    let server = mock_vendor(listener, vendor, seen).map_err(cannot_start)?;
    let handle = server.handle();
    actix_web::rt::spawn(server);
    Ok((format!("http://{address}"), handle))
}

/// The caller's answer, through the pipeline of a test instance whose `base.url` is the
/// mock vendor (unless the case sets one), with its store in `data`.
async fn answer(
    element: Arc<Element>,
    inbound: Inbound,
    mut configuration: Map<String, Value>,
    base: &str,
    data: &Path,
) -> Result<Value, CaseError> {
    let store = SqliteStore::open(data).map_err(|e| CaseError::Invalid(e.to_string()))?;
    configuration.entry("base.url").or_insert(json!(base));
    let record = InstanceRecord {
        id: 1,
        name: "test".into(),
        element: element.key.clone(),
        token: "test".into(),
        configuration,
        ..InstanceRecord::default()
    };
    let mut elements = Elements::default();
    elements.by_key.insert(element.key.clone(), element.clone());
    let settings = Settings::default();
    let instances = instance::build(vec![record], &elements, &store, &settings.sealer)
        .await
        .map_err(|e| CaseError::Invalid(e.to_string()))?;
    let Some(instance) = instances.by_id(1) else {
        return Err(CaseError::Invalid(
            "the test instance could not be built".into(),
        ));
    };
    let client = VendorClient::new(settings.vendor_limits);
    let metrics = crate::metrics::Metrics::default();
    let call = Call {
        metrics: &metrics,
        trace: None,
        request_id: "test",
        instance,
        store: &store,
        vendor: &client,
        settings: &settings,
        // A case runs one request: nothing to share fairly.
        admission: None,
    };
    Ok(shown(pipeline::handle(&call, inbound).await))
}

/// An answer as cases compare it: `{status, headers, body}`, the body parsed when it is JSON.
fn shown(answer: Result<Answer, PipelineError>) -> Value {
    match answer {
        Ok(answer) => json!({
            "status": answer.status,
            "headers": answer.headers.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<Map<String, Value>>(),
            "body": serde_json::from_slice::<Value>(&answer.body).unwrap_or_else(|_| json!(String::from_utf8_lossy(&answer.body))),
        }),
        Err(error) => {
            let (status, headers, body) = crate::server::error::answer(&error, "test", true);
            json!({
                "status": status,
                "headers": headers.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), json!(v))).collect::<Map<String, Value>>(),
                "body": body,
            })
        }
    }
}

/// What differed from the case's `expect.vendor` and `expect.response`; `None`: nothing.
fn verdict(expect: &Value, seen: Option<Seen>, answer: &Value) -> Option<String> {
    let mut problems = Vec::new();
    if let Some(want) = expect.get("vendor") {
        match seen {
            None if want.is_null() => {}
            None => problems.push("vendor: the vendor was not called".to_string()),
            Some(_) if want.is_null() => problems
                .push("vendor: the vendor was called, the case expects it not to be".to_string()),
            Some(seen) => {
                let actual = json!({"method": seen.method, "path": seen.path, "query": seen.query, "headers": seen.headers, "body": seen.body});
                if let Some(why) = compare_expected(want, &actual) {
                    problems.push(format!("vendor request differs:\n{why}"));
                }
            }
        }
    }
    if let Some(want) = expect.get("response") {
        if let Some(why) = compare_expected(want, answer) {
            problems.push(format!("response differs:\n{why}"));
        }
    }
    (!problems.is_empty()).then(|| problems.join("\n"))
}

/// The mock vendor: records each request in `seen` and answers `reply`.
fn mock_vendor(
    listener: TcpListener,
    reply: Value,
    seen: Arc<Mutex<Option<Seen>>>,
) -> std::io::Result<actix_web::dev::Server> {
    use actix_web::{web, App, HttpRequest, HttpServer};
    let server = HttpServer::new(move || {
        let reply = reply.clone();
        let seen = seen.clone();
        App::new().default_service(web::to(move |request: HttpRequest, body: web::Bytes| {
            if let Ok(mut slot) = seen.lock() {
                *slot = Some(record(&request, &body));
            }
            let response = respond(&reply);
            async move { response }
        }))
    })
    .workers(1)
    .listen(listener)?
    .run();
    Ok(server)
}

/// A request as the mock vendor saw it.
fn record(request: &actix_web::HttpRequest, body: &[u8]) -> Seen {
    let query = request
        .query_string()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), json!(v))
        })
        .collect();
    let headers = crate::server::demo::received_headers(request);
    let body = serde_json::from_slice(body).unwrap_or_else(|_| {
        if body.is_empty() {
            Value::Null
        } else {
            json!(String::from_utf8_lossy(body))
        }
    });
    Seen {
        method: request.method().to_string(),
        path: request.path().to_string(),
        query,
        headers,
        body,
    }
}

/// The recorded response: `status` (200), `headers`, `body` (text as is, else JSON).
fn respond(reply: &Value) -> actix_web::HttpResponse {
    use actix_web::http::StatusCode;
    let status = reply
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(200);
    let mut response =
        actix_web::HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
    if let Some(headers) = reply.get("headers").and_then(Value::as_object) {
        for (k, v) in headers {
            response.append_header((k.as_str(), crate::element::template::value_text(v)));
        }
    }
    match reply.get("body") {
        None | Some(Value::Null) => response.finish(),
        Some(Value::String(text)) => response.body(text.clone()),
        Some(other) => response
            .content_type("application/json")
            .body(other.to_string()),
    }
}
