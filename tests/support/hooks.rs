//! Running a hook directly with its variables given as JSON, blocking, its result kept raw.

use elemental::hooks::{
    self, ConsoleLine, ContextKey, Dispatcher, HookError, HookInput, Kind, Limits, Options,
    OutboundCall, Script,
};
use serde_json::{Map, Value};

/// A run that finished, as the tests look at it.
#[derive(Debug)]
pub struct Ran {
    pub called: bool,
    /// The first `done()` argument.
    pub done: Value,
    /// The result object (`done()`'s, else a returned one); `None` passes everything through.
    pub result: Option<Map<String, Value>>,
    pub console: Vec<ConsoleLine>,
    pub outbound: Vec<OutboundCall>,
}

/// Run in a fresh context, with exactly `variables` bound.
pub fn run(
    script: &Script,
    kind: Kind,
    variables: &Map<String, Value>,
    limits: Limits,
) -> Result<Ran, HookError> {
    run_with(script, kind, variables, limits, None)
}

/// Run in the pooled context of `key`.
pub fn run_pooled(
    key: ContextKey,
    script: &Script,
    kind: Kind,
    variables: &Map<String, Value>,
    limits: Limits,
) -> Result<Ran, HookError> {
    run_with(script, kind, variables, limits, Some(key))
}

fn run_with(
    script: &Script,
    kind: Kind,
    variables: &Map<String, Value>,
    limits: Limits,
    context: Option<ContextKey>,
) -> Result<Ran, HookError> {
    let options = Options {
        context,
        raw: true,
        ..Options::default()
    };
    let input = HookInput::Given(kind, variables);
    let run = hooks::run_blocking(script, input, limits, &Dispatcher::default(), options);
    let outcome = run.outcome?;
    let (done, result) = outcome
        .raw
        .map(|raw| (raw.done, raw.result))
        .unwrap_or((Value::Null, None));
    Ok(Ran {
        called: outcome.called,
        done,
        result,
        console: run.console,
        outbound: outcome.outbound,
    })
}
