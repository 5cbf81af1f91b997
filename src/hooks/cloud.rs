//! Parse Cloud Code on the hooks engine: one call of a function `Parse.Cloud.define` made in
//! cloud/main.js (loaded once per pooled context by js-stdlib/cloud.js), run on a hook executor.

use futures_util::future::LocalBoxFuture;
use rquickjs::Context;

use super::dispatch::Dispatcher;
use super::error::HookError;
use super::outcome::{ConsoleLine, OutboundCall};
use super::pool::Engine;
use super::steps::State;
use super::task_steps::{drive, Entry};
use super::{executor, invoke, Limits, Script};

/// One call of a cloud function, as plain data (`request` in JS).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CloudCall {
    /// The function's name.
    pub name: String,
    /// The JSON body (`request.params`).
    pub params: serde_json::Value,
    /// Called with the master key.
    pub master: bool,
    /// Header names in lower case, one value each (repeated ones joined with `, `).
    pub headers: serde_json::Map<String, serde_json::Value>,
    pub ip: String,
    #[serde(rename = "installationId")]
    pub installation_id: Option<String>,
}

/// How a cloud function answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloudAnswer {
    /// `{"result": ...}`, as JSON text.
    Result(String),
    /// A throw, a rejection, `response.error`: Parse's code and message.
    Error { code: i64, message: String },
    /// No function has the name: Parse's `Invalid function: "name"` (code 141).
    Unknown(String),
}

/// What running a cloud function gave: its answer, and its console lines and outbound calls
/// either way.
#[derive(Debug)]
pub struct CloudRun {
    pub answer: Result<CloudAnswer, HookError>,
    pub console: Vec<ConsoleLine>,
    pub outbound: Vec<OutboundCall>,
}

/// Run `call` in the cloud code `script` (cloud/main.js and its folder's modules) under
/// `limits`, its outbound work done by `io`; always on a hook executor, as tasks are.
pub async fn run_cloud(
    script: &Script,
    call: CloudCall,
    limits: Limits,
    io: &Dispatcher,
) -> CloudRun {
    let (script, io) = (script.clone(), io.clone());
    let work = move || -> LocalBoxFuture<'static, CloudRun> {
        Box::pin(async move { invoke::run_cloud_here(&script, &call, limits, &io).await })
    };
    executor::submit(work)
        .await
        .unwrap_or_else(|error| CloudRun {
            answer: Err(error),
            console: Vec::new(),
            outbound: Vec::new(),
        })
}

/// Call the cloud driver for `call`: it loads cloud/main.js on first use, then runs the
/// function.
pub(super) fn start(
    engine: &Engine,
    context: &Context,
    script: &Script,
    call: &CloudCall,
    limits: Limits,
) -> Result<State, HookError> {
    let spec = serde_json::to_value(call).map_err(|e| HookError::Engine(e.to_string()))?;
    let entry = Entry {
        driver: "__elemental_cloud",
        exports: None,
        label: false,
    };
    drive(engine, context, script, limits, entry, &spec)
}

/// What the function settled with, or why cloud/main.js could not load.
pub(super) fn finish(
    context: &Context,
    state: &State,
    script: &Script,
) -> Result<CloudAnswer, HookError> {
    parse(
        script,
        super::task_steps::settled(context, state, script, "cloud function")?,
    )
}

/// Read what js-stdlib/cloud.js settled with.
fn parse(script: &Script, result: serde_json::Value) -> Result<CloudAnswer, HookError> {
    let text = |key: &str| result.get(key).and_then(|v| v.as_str()).map(str::to_string);
    match (result.get("kind").and_then(|k| k.as_str()), text("body")) {
        (Some("result"), Some(body)) => Ok(CloudAnswer::Result(body)),
        (Some("unknown"), _) => Ok(CloudAnswer::Unknown(text("message").unwrap_or_default())),
        (Some("error"), _) => Ok(CloudAnswer::Error {
            code: result.get("code").and_then(|c| c.as_i64()).unwrap_or(141),
            message: text("message").unwrap_or_default(),
        }),
        _ => Err(HookError::BadResult {
            hook: script.label.clone(),
            message: format!("the cloud driver gave {result}"),
        }),
    }
}
