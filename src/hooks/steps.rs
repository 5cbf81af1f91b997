//! The synchronous steps of one invocation, each run on the engine with its limits armed:
//! start the hook, run its promise jobs, fire its timers, hand it finished outbound work,
//! and read its result.

use std::time::Instant;

use rquickjs::{CaughtError, Context, Function, Object, Persistent, Value};
use serde_json::{Map, Value as Json};

use super::compile::compile;
use super::contract::{HookResult, Kind, Vars};
use super::convert::{json_type, to_js, to_json, var_to_js};
use super::dispatch::Delivered;
use super::error::{engine_error, to_hook_error, CatchJs as _, HookError, JsError};
use super::outcome::{ConsoleLine, Outcome, Raw};
use super::pool::{Engine, Pooled};
use super::{Limits, Script};

/// The invocation's state object in the context (`called`, `result`, `returned`, `failure`).
pub(super) type State = Persistent<Object<'static>>;

/// What an invocation waits for next.
pub(super) enum Next {
    /// `done()` was called (or a timer callback failed): read the result.
    Finish,
    /// Not finished; the earliest timer, if any, is due at this engine-clock time (ms).
    Wait(Option<f64>),
}

/// Call the hook and run the promise jobs it queued.
pub(super) fn start(
    engine: &Engine,
    pooled: &mut Pooled,
    script: &Script,
    bound: Vars<'_>,
    limits: Limits,
) -> Result<State, HookError> {
    engine.rejections.borrow_mut().clear();
    let fail = |caught: CaughtError<'_>| to_hook_error(script, caught, Some(limits));
    let tenant = pooled.tenant as f64;
    let hooks = &mut pooled.hooks;
    let state = pooled.context.with(|ctx| -> Result<State, HookError> {
        let id = script.id();
        let hook = match hooks.get(&id) {
            Some((_, compiled)) => compiled.clone().restore(&ctx).map_err(engine_error)?,
            None => {
                let compiled = compile(&ctx, script).map_err(fail)?;
                let seal: Function = ctx
                    .globals()
                    .get("__elemental_seal")
                    .map_err(engine_error)?;
                let compiled: Function = seal.call((compiled,)).map_err(engine_error)?;
                hooks.insert(
                    id,
                    (
                        script.source.clone(),
                        Persistent::save(&ctx, compiled.clone()),
                    ),
                );
                compiled
            }
        };
        let vars = Object::new(ctx.clone()).map_err(engine_error)?;
        bound.each(|name, var| {
            // Through `fail`: a body too large for the memory limit is the hook's memory
            // error, not an engine failure.
            let value = var_to_js(&ctx, var).catch_js(&ctx).map_err(fail)?;
            vars.set(name, value).map_err(engine_error)
        })?;
        let invoke: Function = ctx
            .globals()
            .get("__elemental_invoke")
            .map_err(engine_error)?;
        let state: Object = invoke
            .call((hook, vars, script.label.as_str(), tenant))
            .catch_js(&ctx)
            .map_err(fail)?;
        Ok(Persistent::save(&ctx, state))
    })?;
    drain_jobs(engine, &pooled.context, &state, script, limits)?;
    Ok(state)
}

/// Run every queued promise job. A job that throws fails the hook unless `done()` was
/// already called (then it is a notice).
pub(super) fn drain_jobs(
    engine: &Engine,
    context: &Context,
    state: &State,
    script: &Script,
    limits: Limits,
) -> Result<(), HookError> {
    loop {
        match engine.runtime.execute_pending_job() {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(job) => {
                let error = job.0.with(|ctx| {
                    to_hook_error(
                        script,
                        CaughtError::from_error(&ctx, rquickjs::Error::Exception),
                        Some(limits),
                    )
                });
                if error.class().is_limit() || !called(context, state)? {
                    return Err(error);
                }
                engine.console.borrow_mut().push(ConsoleLine {
                    level: "notice".into(),
                    message: format!("exception after done(), ignored: {error}"),
                });
            }
        }
        if engine.deadline.get().is_some_and(|d| Instant::now() >= d) {
            return Err(HookError::timeout(script, limits));
        }
    }
}

fn called(context: &Context, state: &State) -> Result<bool, HookError> {
    context.with(|ctx| {
        let state = state.clone().restore(&ctx).map_err(engine_error)?;
        state.get::<_, bool>("called").map_err(engine_error)
    })
}

/// What the invocation waits for: nothing once `done()` was called or a timer callback
/// failed, else the next timer if there is one.
pub(super) fn poll(context: &Context, state: &State) -> Result<Next, HookError> {
    context.with(|ctx| {
        let state = state.clone().restore(&ctx).map_err(engine_error)?;
        let called: bool = state.get("called").map_err(engine_error)?;
        let failed: bool = state
            .get::<_, Value>("failure")
            .map(|v| !v.is_undefined())
            .map_err(engine_error)?;
        if called || failed {
            return Ok(Next::Finish);
        }
        let timers: Object = ctx
            .globals()
            .get("__elemental_timers")
            .map_err(engine_error)?;
        let next: Function = timers.get("next").map_err(engine_error)?;
        let due: f64 = next.call(()).map_err(engine_error)?;
        Ok(Next::Wait((due >= 0.0).then_some(due)))
    })
}

/// Run the timers that are due, then the jobs they queued.
pub(super) fn fire(
    engine: &Engine,
    context: &Context,
    state: &State,
    script: &Script,
    limits: Limits,
) -> Result<(), HookError> {
    let fail = |caught: CaughtError<'_>| to_hook_error(script, caught, Some(limits));
    context.with(|ctx| -> Result<(), HookError> {
        let timers: Object = ctx
            .globals()
            .get("__elemental_timers")
            .map_err(engine_error)?;
        let fire: Function = timers.get("fire").map_err(engine_error)?;
        let state_object = state.clone().restore(&ctx).map_err(engine_error)?;
        fire.call::<_, ()>((engine.now_ms(), state_object))
            .catch_js(&ctx)
            .map_err(fail)
    })?;
    drain_jobs(engine, context, state, script, limits)
}

/// Hand a finished outbound request to the script (resolving or rejecting its promise).
pub(super) fn deliver(
    engine: &Engine,
    context: &Context,
    state: &State,
    script: &Script,
    limits: Limits,
    id: u64,
    response: Result<Delivered, String>,
) -> Result<(), HookError> {
    let fail = |caught: CaughtError<'_>| to_hook_error(script, caught, Some(limits));
    context.with(|ctx| -> Result<(), HookError> {
        let complete: Function = ctx
            .globals()
            .get("__elemental_io_complete")
            .map_err(engine_error)?;
        match response {
            Ok(Delivered::Value(value)) => {
                let value = to_js(&ctx, &value).map_err(engine_error)?;
                complete
                    .call::<_, ()>((id, rquickjs::Null, value))
                    .catch_js(&ctx)
                    .map_err(fail)
            }
            Ok(Delivered::Email(reply)) => {
                let object = Object::new(ctx.clone()).map_err(engine_error)?;
                object.set("message", reply).map_err(engine_error)?;
                complete
                    .call::<_, ()>((id, rquickjs::Null, object))
                    .catch_js(&ctx)
                    .map_err(fail)
            }
            Ok(Delivered::Http(response)) => {
                let object = Object::new(ctx.clone()).map_err(engine_error)?;
                object
                    .set("status", response.status)
                    .map_err(engine_error)?;
                let headers: Vec<Vec<String>> = response
                    .headers
                    .into_iter()
                    .map(|(k, v)| vec![k, v])
                    .collect();
                object.set("headers", headers).map_err(engine_error)?;
                object
                    .set(
                        "body",
                        rquickjs::TypedArray::<u8>::new(ctx.clone(), response.body.to_vec())
                            .map_err(engine_error)?,
                    )
                    .map_err(engine_error)?;
                object.set("url", response.url).map_err(engine_error)?;
                object
                    .set("redirected", response.redirected)
                    .map_err(engine_error)?;
                complete
                    .call::<_, ()>((id, rquickjs::Null, object))
                    .catch_js(&ctx)
                    .map_err(fail)
            }
            Err(message) => complete
                .call::<_, ()>((id, message, rquickjs::Null))
                .catch_js(&ctx)
                .map_err(fail),
        }
    })?;
    drain_jobs(engine, context, state, script, limits)
}
/// Read what the invocation produced: the first `done()` argument, else an object the
/// script returned (legacy style), as the result of a hook of `kind`. `raw`: keep the
/// result as JSON too.
pub(super) fn finish(
    engine: &Engine,
    context: &Context,
    state: &State,
    script: &Script,
    kind: Kind,
    raw: bool,
) -> Result<Outcome, HookError> {
    context.with(|ctx| {
        let state = state.clone().restore(&ctx).map_err(engine_error)?;
        let called: bool = state.get("called").map_err(engine_error)?;
        if called {
            let result: Value = state.get("result").map_err(engine_error)?;
            let (done, result) = match to_json(&ctx, script, result)? {
                Json::Object(map) if raw => (Json::Object(map.clone()), Some(map)),
                Json::Object(map) => (Json::Null, Some(map)),
                Json::Null => (Json::Null, None),
                other => {
                    return Err(HookError::BadResult {
                        hook: script.label.clone(),
                        message: format!("done() takes an object, got {}", json_type(&other)),
                    })
                }
            };
            return Ok(outcome(kind, true, done, result, raw));
        }
        let failure: Value = state.get("failure").map_err(engine_error)?;
        if !failure.is_undefined() {
            // A timer callback threw before done(): the hook failed with that error.
            let caught = match failure.clone().into_exception() {
                Some(e) => CaughtError::Exception(e),
                None => CaughtError::Value(failure),
            };
            return Err(to_hook_error(script, caught, None));
        }
        if let Some(reason) = engine.rejections.borrow().first() {
            return Err(HookError::Script {
                hook: script.label.clone(),
                error: JsError {
                    name: "UnhandledRejection".into(),
                    message: reason.clone(),
                    location: script.origin.file.clone(),
                },
            });
        }
        // Legacy style: an object returned synchronously is the result.
        let returned: Value = state.get("returned").map_err(engine_error)?;
        let is_plain = returned
            .as_object()
            .is_some_and(|o| !o.is_array() && !o.is_function() && !o.is_promise());
        let mut result = None;
        if is_plain {
            if let Json::Object(map) = to_json(&ctx, script, returned)? {
                result = Some(map);
            }
        }
        Ok(outcome(kind, false, Json::Null, result, raw))
    })
}

/// The typed result, and the raw one when asked for (`done`: the first `done()` argument
/// as JSON, null when it was not called).
fn outcome(
    kind: Kind,
    called: bool,
    done: Json,
    result: Option<Map<String, Json>>,
    raw: bool,
) -> Outcome {
    let raw = raw.then(|| Raw {
        done,
        result: result.clone(),
    });
    Outcome {
        called,
        result: HookResult::parse(kind, called, result),
        raw,
        outbound: Vec::new(),
    }
}
