//! What a web task reaches through `kv` and `elements`: the project's key-value store, sealed
//! like configuration, and requests through an instance's element with its hooks, in-process.

use std::cell::OnceCell;
use std::rc::Rc;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::future::LocalBoxFuture;
use serde_json::{json, Map, Value};

use crate::pipeline::{self, Call, Inbound, PipelineError};
use crate::state::{Loaded, State};
use crate::vendor::VendorClient;

/// The longest key `kv` takes, in bytes.
pub const MAX_KEY: usize = 512;
/// The largest value `kv.put` takes, as JSON text.
pub const MAX_VALUE: usize = 1024 * 1024;

/// How the server answers a pipeline error (`server::error::answer`): status, headers, body.
/// Passed in, so that errors become HTTP in one place even when a task is the caller.
pub type ErrorAnswer = fn(&PipelineError, &str, bool) -> (u16, Vec<(String, String)>, Value);

/// The services of one task request.
pub struct TaskServices {
    pub state: Arc<State>,
    /// The elements and instances the request started with.
    pub loaded: Arc<Loaded>,
    pub request_id: String,
    pub errors: ErrorAnswer,
}

impl crate::hooks::Services for TaskServices {
    fn call(&self, op: &str, args: Value) -> LocalBoxFuture<'static, Result<Value, String>> {
        let state = self.state.clone();
        match op {
            "kv.get" | "kv.put" | "kv.delete" | "kv.list" => {
                let op = op.to_string();
                Box::pin(async move { kv(&state, &op, &args).await })
            }
            "elements.call" => {
                let (loaded, id, errors) =
                    (self.loaded.clone(), self.request_id.clone(), self.errors);
                Box::pin(async move { call_element(&state, &loaded, &id, errors, &args).await })
            }
            other => {
                let message = format!("unknown service {other}");
                Box::pin(async move { Err(message) })
            }
        }
    }
}

/// `kv.get`, `kv.put`, `kv.delete`, `kv.list`: values sealed before the store sees them.
async fn kv(state: &State, op: &str, args: &Value) -> Result<Value, String> {
    let store = state.store.as_ref();
    let failed = |e: crate::store::StoreError| format!("{op}: {e}");
    if op == "kv.list" {
        let prefix = args.get("prefix").and_then(Value::as_str).unwrap_or("");
        return Ok(json!(store.kv_list(prefix).await.map_err(failed)?));
    }
    let key = args.get("key").and_then(Value::as_str).unwrap_or("");
    if key.is_empty() || key.len() > MAX_KEY {
        return Err(format!("{op}: a key is 1 to {MAX_KEY} bytes"));
    }
    match op {
        "kv.get" => match store.kv_get(key).await.map_err(failed)? {
            None => Ok(Value::Null),
            Some(stored) => state
                .settings
                .sealer
                .open(&stored)
                .map_err(|e| format!("kv.get {key:?}: {e}")),
        },
        "kv.put" => {
            let value = args.get("value").cloned().unwrap_or(Value::Null);
            if value.to_string().len() > MAX_VALUE {
                return Err(format!(
                    "kv.put: a value is at most {MAX_VALUE} bytes of JSON"
                ));
            }
            let sealed = state.settings.sealer.seal(&value);
            store.kv_put(key, &sealed).await.map_err(failed)?;
            Ok(Value::Null)
        }
        _ => Ok(Value::Bool(store.kv_delete(key).await.map_err(failed)?)),
    }
}

thread_local! {
    /// The vendor client of this hook executor thread (awc clients are `!Send`).
    static VENDOR: OnceCell<Rc<VendorClient>> = const { OnceCell::new() };
}

fn vendor_client(state: &State) -> Rc<VendorClient> {
    VENDOR.with(|cell| {
        cell.get_or_init(|| Rc::new(VendorClient::new(state.settings.vendor_limits)))
            .clone()
    })
}

/// `elements.call(instance, method, path, {query, body, headers})`: the request through the
/// instance's element, its hooks and vendor, as if a caller had sent it; resolves to
/// `{status, headers, body}` whatever the status (an error answers in the error shape).
async fn call_element(
    state: &State,
    loaded: &Loaded,
    request_id: &str,
    errors: ErrorAnswer,
    args: &Value,
) -> Result<Value, String> {
    let instance = match &args["instance"] {
        Value::Number(n) => n.as_i64().and_then(|id| loaded.instances.by_id(id)),
        Value::String(s) => match s.parse::<i64>() {
            Ok(id) => loaded.instances.by_id(id),
            Err(_) => loaded.instances.all().find(|i| i.name == *s),
        },
        _ => None,
    }
    .ok_or_else(|| format!("elements.call: no instance {}", args["instance"]))?;
    let inbound = inbound(state, args);
    let vendor = vendor_client(state);
    let call = Call {
        request_id,
        instance,
        store: state.store.as_ref(),
        vendor: &vendor,
        settings: &state.settings,
        metrics: &state.metrics,
        trace: None,
        admission: Some(&state.admission),
    };
    let (status, headers, body) = match pipeline::handle(&call, inbound).await {
        Ok(answer) => {
            let body = serde_json::from_slice(&answer.body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&answer.body).into()));
            (answer.status, answer.headers, body)
        }
        Err(error) => errors(&error, request_id, state.settings.expose_errors),
    };
    let mut map = Map::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        let joined = match map.get(&name).and_then(Value::as_str) {
            Some(before) => format!("{before}, {value}"),
            None => value,
        };
        map.insert(name, Value::String(joined));
    }
    Ok(json!({"status": status, "headers": map, "body": body}))
}

/// The caller's side of an `elements.call`: the path below the prefix, the query from the
/// object (and from the path), lower-case headers, and a JSON body unless it is text.
fn inbound(state: &State, args: &Value) -> Inbound {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let raw = args["path"].as_str().unwrap_or("/");
    let raw = raw
        .strip_prefix(state.settings.prefix.as_str())
        .unwrap_or(raw);
    let (path, in_path) = raw.split_once('?').unwrap_or((raw, ""));
    let mut query: Vec<(String, String)> = url::form_urlencoded::parse(in_path.as_bytes())
        .into_owned()
        .collect();
    for (key, value) in args["query"].as_object().into_iter().flatten() {
        match value {
            Value::Array(items) => query.extend(items.iter().map(|i| (key.clone(), text(i)))),
            other => query.push((key.clone(), text(other))),
        }
    }
    let mut headers: Vec<(String, String)> = args["headers"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.to_ascii_lowercase(), text(v)))
        .collect();
    let body = match &args["body"] {
        Value::Null => Bytes::new(),
        Value::String(s) => Bytes::from(s.clone()),
        other => {
            if !headers.iter().any(|(k, _)| k == "content-type") {
                headers.push(("content-type".into(), "application/json".into()));
            }
            Bytes::from(other.to_string())
        }
    };
    Inbound {
        method: args["method"]
            .as_str()
            .unwrap_or("GET")
            .to_ascii_uppercase(),
        path: format!("/{}", path.trim_start_matches('/')),
        query,
        headers,
        body,
    }
}
