//! The steps of a web task on the engine: evaluate its module once per pooled context, call
//! the task driver of js-stdlib/task.js, and read what it settled with.

use std::time::Duration;

use rquickjs::promise::PromiseState;
use rquickjs::{CaughtError, Context, Function, Module, Object, Persistent, Promise, Value};

use super::convert::{to_js, to_json};
use super::error::{engine_error, to_hook_error, CatchJs as _, HookError};
use super::pool::{with_engine, Engine, Pooled};
use super::steps::{drain_jobs, State};
use super::task::{parse, TaskAnswer, TaskRequest, MAX_TIMEOUT};
use super::{Limits, Script};

/// A module's namespace, kept by the pooled context that evaluated it.
pub(super) type Namespace = Persistent<Object<'static>>;

/// Compile a task's module without running it: a syntax error names the file, line, column.
pub fn check_task(script: &Script) -> Result<(), HookError> {
    with_engine(|engine| {
        let context = Context::full(&engine.runtime).map_err(engine_error)?;
        context.with(|ctx| {
            Module::declare(ctx.clone(), script.origin.file.as_str(), &*script.source)
                .map(|_| ())
                .catch_js(&ctx)
                .map_err(|caught| to_hook_error(script, caught, None))
        })
    })
}

/// The task's namespace (its module evaluated in this context on first use) and the time
/// limit it asks for, if any.
pub(super) fn prepare(
    engine: &Engine,
    pooled: &mut Pooled,
    script: &Script,
    limits: Limits,
) -> Result<(Namespace, Option<Duration>), HookError> {
    engine.rejections.borrow_mut().clear();
    let id = script.id();
    let namespace = match pooled.tasks.get(&id) {
        Some((_, namespace)) => namespace.clone(),
        None => {
            // QuickJS keeps a declared module in its context whatever its evaluation gave:
            // a module that failed leaves the context, so that retries do not pile up.
            pooled.spoiled = true;
            let namespace = evaluate(engine, &pooled.context, script, limits)?;
            pooled.spoiled = false;
            pooled
                .tasks
                .insert(id, (script.source.clone(), namespace.clone()));
            namespace
        }
    };
    let timeout = pooled.context.with(|ctx| -> Result<_, HookError> {
        let exports = namespace.clone().restore(&ctx).map_err(engine_error)?;
        let config: Value = exports.get("config").map_err(engine_error)?;
        let Some(config) = config.as_object() else {
            return Ok(None);
        };
        let ms: Value = config.get("timeoutMs").map_err(engine_error)?;
        Ok(ms
            .as_number()
            .filter(|ms| ms.is_finite() && *ms >= 1.0)
            .map(|ms| Duration::from_secs_f64(ms / 1000.0).min(MAX_TIMEOUT)))
    })?;
    Ok((namespace, timeout))
}

/// Declare and evaluate the module, running the jobs of its top-level code; a top-level
/// `await` must settle without timers or I/O (nothing is sent while a module loads).
fn evaluate(
    engine: &Engine,
    context: &Context,
    script: &Script,
    limits: Limits,
) -> Result<Namespace, HookError> {
    let fail = |caught: CaughtError<'_>| to_hook_error(script, caught, Some(limits));
    let (namespace, promise) = context.with(|ctx| -> Result<_, HookError> {
        let declared = Module::declare(ctx.clone(), script.origin.file.as_str(), &*script.source)
            .catch_js(&ctx)
            .map_err(fail)?;
        let (module, promise) = declared.eval().catch_js(&ctx).map_err(fail)?;
        let namespace = module.namespace().map_err(engine_error)?;
        Ok((
            Persistent::save(&ctx, namespace),
            Persistent::save(&ctx, promise),
        ))
    })?;
    loop {
        match engine.runtime.execute_pending_job() {
            Ok(true) => {}
            Ok(false) => break,
            Err(job) => {
                return Err(job
                    .0
                    .with(|ctx| fail(CaughtError::from_error(&ctx, rquickjs::Error::Exception))))
            }
        }
    }
    context.with(|ctx| {
        let promise: Promise = promise.restore(&ctx).map_err(engine_error)?;
        match promise.state() {
            PromiseState::Resolved => Ok(namespace),
            PromiseState::Rejected => match promise.result::<Value>() {
                Some(Err(e)) => Err(fail(CaughtError::from_error(&ctx, e))),
                _ => Err(engine_error(rquickjs::Error::Unknown)),
            },
            PromiseState::Pending => Err(HookError::BadResult {
                hook: script.label.clone(),
                message: "the module's top-level await did not settle while loading (it may not wait for timers or I/O)".into(),
            }),
        }
    })
}

/// Call the task driver: it checks the method, runs `authenticate`, then the handler.
pub(super) fn start(
    engine: &Engine,
    context: &Context,
    namespace: &Namespace,
    script: &Script,
    request: &TaskRequest,
    limits: Limits,
) -> Result<State, HookError> {
    let spec = serde_json::to_value(request).map_err(|e| HookError::Engine(e.to_string()))?;
    let entry = Entry {
        driver: "__elemental_task",
        exports: Some(namespace),
        label: true,
    };
    drive(engine, context, script, limits, entry, &spec)
}

/// How a run enters js-stdlib: the driver global, and what it gets besides the spec.
pub(super) struct Entry<'a> {
    pub driver: &'static str,
    /// The module's exports, passed first (tasks, job modules).
    pub exports: Option<&'a Namespace>,
    /// The script's label, passed last (tasks name themselves in errors).
    pub label: bool,
}

/// The start of every script endpoint's run (a task, a cloud function, a job): call the
/// driver with `spec`, keep the state it returns and run its first jobs.
pub(super) fn drive(
    engine: &Engine,
    context: &Context,
    script: &Script,
    limits: Limits,
    entry: Entry<'_>,
    spec: &serde_json::Value,
) -> Result<State, HookError> {
    engine.rejections.borrow_mut().clear();
    let fail = |caught: CaughtError<'_>| to_hook_error(script, caught, Some(limits));
    let state = context.with(|ctx| -> Result<State, HookError> {
        let spec = to_js(&ctx, spec).catch_js(&ctx).map_err(fail)?;
        let function: Function = ctx.globals().get(entry.driver).map_err(engine_error)?;
        let called: rquickjs::Result<Object> = match entry.exports {
            Some(namespace) => {
                let exports = namespace.clone().restore(&ctx).map_err(engine_error)?;
                match entry.label {
                    true => function.call((exports, spec, script.label.as_str())),
                    false => function.call((exports, spec)),
                }
            }
            None => function.call((spec,)),
        };
        let state = called.catch_js(&ctx).map_err(fail)?;
        Ok(Persistent::save(&ctx, state))
    })?;
    drain_jobs(engine, context, &state, script, limits)?;
    Ok(state)
}

/// What the task settled with: its answer, or the error its `authenticate` or handler threw.
pub(super) fn finish(
    context: &Context,
    state: &State,
    script: &Script,
) -> Result<TaskAnswer, HookError> {
    parse(script, settled(context, state, script, "task")?)
}

/// The result a script's driver settled with, as JSON, or the error it threw (`what`: how
/// the failure names the script, `task` or `cloud function`).
pub(super) fn settled(
    context: &Context,
    state: &State,
    script: &Script,
    what: &str,
) -> Result<serde_json::Value, HookError> {
    context.with(|ctx| {
        let state = state.clone().restore(&ctx).map_err(engine_error)?;
        if state.get::<_, bool>("called").map_err(engine_error)? {
            let result: Value = state.get("result").map_err(engine_error)?;
            return to_json(&ctx, script, result);
        }
        let failure: Value = state.get("failure").map_err(engine_error)?;
        if failure.is_undefined() {
            return Err(HookError::BadResult {
                hook: script.label.clone(),
                message: format!("the {what} ended without an answer"),
            });
        }
        let caught = match failure.clone().into_exception() {
            Some(e) => CaughtError::Exception(e),
            None => CaughtError::Value(failure),
        };
        Err(to_hook_error(script, caught, None))
    })
}
