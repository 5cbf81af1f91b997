//! The QuickJS runtime of each worker thread, its limits, and one hook invocation.
//!
//! QuickJS runtimes are `!Send`, so each actix worker thread owns one (a thread-local) and
//! every invocation runs on the thread that serves the request.
//!
//! Contexts are pooled per instance (`run_pooled`): parsing the prelude and a hook costs far
//! more than running it, so each pooled context keeps them compiled. A context never serves
//! two instances, globals a script adds are swept after every invocation, and a context that
//! hit a limit is discarded. `run` uses a fresh context (tools and tests).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rquickjs::context::EvalOptions;
use rquickjs::{CaughtError, Context, Ctx, Function, Object, Persistent, Runtime, Value};
use serde_json::{Map, Value as Json};

use super::contract::{self, Kind};
use super::Variables;
use super::{ConsoleLine, HookError, JsError, Limits, Origin, Outcome, Script};

const PRELUDE: &str = include_str!("../../js-stdlib/prelude.js");
const FROZEN_CLOCK: &str = include_str!("../../js-stdlib/frozen-clock.js");

/// Pooled contexts kept per worker; the least recently used goes first. A context costs
/// about a quarter of a MiB; with fewer slots than instances in use, requests spread over
/// them (round-robin) miss the pool every time: 100 instances over 64 slots served 72
/// requests/s instead of ~8,000 (bench/proxy.py, elements-loaded runs).
const POOL_SIZE: usize = 256;

/// Which pooled context serves an invocation: one per (instance id, element identity).
pub type ContextKey = (i64, usize);

// Fields drop in declaration order: JS values before their context, contexts before the
// runtime (QuickJS aborts if a runtime is freed while objects are alive).
struct Pooled {
    /// Compiled hooks by script text; holding the `Arc` keeps its address from being reused.
    hooks: HashMap<usize, (Arc<str>, Persistent<Function<'static>>)>,
    context: Context,
    /// What the context took of the runtime's memory when it was made, and the engine's sum
    /// of those, from which it is taken back when the context goes.
    bytes: usize,
    held: Rc<Cell<usize>>,
    /// How many enumerable own properties the global object had when the context was made:
    /// while it has no more, no script added a global and the reset need not look for one.
    globals: u32,
    last_used: u64,
}

impl Drop for Pooled {
    fn drop(&mut self) {
        self.held.set(self.held.get().saturating_sub(self.bytes));
    }
}

struct Engine {
    pool: RefCell<HashMap<ContextKey, Pooled>>,
    /// Where `console.*` lines of the running step go.
    console: Rc<RefCell<Vec<ConsoleLine>>>,
    /// The console of the last failed invocation, for `take_console`.
    failed_console: RefCell<Vec<ConsoleLine>>,
    /// Outbound requests the running step asked for; the driver takes them after the step.
    outbox: Rc<RefCell<Vec<(u64, super::host::Outbound)>>>,
    /// The engine clock's zero: timers count milliseconds from here.
    origin: Instant,
    clock: Cell<u64>,
    /// When the running invocation must stop; read by the interrupt handler.
    deadline: Rc<Cell<Option<Instant>>>,
    /// Reasons of promise rejections nobody handled (yet) during the running invocation.
    rejections: Rc<RefCell<Vec<String>>>,
    /// Memory the live contexts took when they were made: an invocation's memory limit
    /// comes on top, so it does not shrink as more instances are pooled.
    held: Rc<Cell<usize>>,
    /// What a fresh context takes of the runtime's memory, measured once.
    context_bytes: Cell<Option<usize>>,
    runtime: Runtime,
}

thread_local! {
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

impl Engine {
    fn new() -> Result<Engine, HookError> {
        // Through Rust's global allocator (mimalloc), like the rest of the process.
        let runtime = Runtime::new_with_alloc(rquickjs::allocator::RustAllocator)
            .map_err(|e| HookError::Engine(e.to_string()))?;
        let deadline: Rc<Cell<Option<Instant>>> = Rc::new(Cell::new(None));
        let watched = deadline.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || {
            watched.get().is_some_and(|d| Instant::now() >= d)
        })));
        let rejections: Rc<RefCell<Vec<String>>> = Rc::new(RefCell::new(Vec::new()));
        let tracked = rejections.clone();
        runtime.set_host_promise_rejection_tracker(Some(Box::new(
            move |_ctx, _promise, reason, is_handled| {
                let mut list = tracked.borrow_mut();
                if is_handled {
                    list.pop();
                } else {
                    list.push(describe(&reason));
                }
            },
        )));
        Ok(Engine {
            runtime,
            console: Rc::new(RefCell::new(Vec::new())),
            failed_console: RefCell::new(Vec::new()),
            outbox: Rc::new(RefCell::new(Vec::new())),
            origin: Instant::now(),
            pool: RefCell::new(HashMap::new()),
            clock: Cell::new(0),
            deadline,
            rejections,
            held: Rc::new(Cell::new(0)),
            context_bytes: Cell::new(None),
        })
    }
}

impl Engine {
    /// Milliseconds on the engine clock (monotonic), as timers count them.
    fn now_ms(&self) -> f64 {
        self.origin.elapsed().as_secs_f64() * 1000.0
    }
}

fn with_engine<R>(f: impl FnOnce(&Engine) -> Result<R, HookError>) -> Result<R, HookError> {
    ENGINE.with(|cell| {
        let mut slot = cell
            .try_borrow_mut()
            .map_err(|_| HookError::Engine("hook engine re-entered".into()))?;
        if slot.is_none() {
            *slot = Some(Engine::new()?);
        }
        match slot.as_ref() {
            Some(engine) => f(engine),
            None => Err(HookError::Engine("hook engine unavailable".into())),
        }
    })
}

/// Compile a script without running it: a syntax error names the user's file, line, column.
pub fn check(script: &Script) -> Result<(), HookError> {
    with_engine(|engine| {
        let context = Context::full(&engine.runtime).map_err(engine_error)?;
        context.with(|ctx| {
            compile(&ctx, script)
                .map(|_| ())
                .map_err(|caught| to_hook_error(script, caught, None))
        })
    })
}

/// A module's syntax error: name, message and (line, column) in the module's file.
#[derive(Debug)]
pub struct ModuleError {
    pub name: String,
    pub message: String,
    pub position: Option<(usize, usize)>,
}

/// Compile an element-local module without running it.
pub fn check_module(file: &str, source: &str) -> Result<(), ModuleError> {
    let outcome = with_engine(|engine| {
        let context = Context::full(&engine.runtime).map_err(engine_error)?;
        Ok(context.with(|ctx| {
            let mut options = EvalOptions::default();
            options.strict = false;
            options.filename = Some(file.to_string());
            let compiled: Result<Value, _> =
                ctx.eval_with_options(super::modules::wrap(source), options);
            compiled.catch_js(&ctx).map(|_| ()).map_err(|caught| {
                let (name, stack) = name_and_stack(&caught);
                let prefix = super::modules::wrap("").find('{').map_or(0, |i| i + 1);
                let position = contract::position_in_stack(&stack, file).map(|(line, column)| {
                    let origin = Origin {
                        file: String::new(),
                        line: 1,
                        column: 1,
                        exact: true,
                    };
                    let shown = contract::locate(
                        &origin,
                        source,
                        if line == 1 { prefix } else { 0 },
                        line,
                        column,
                    );
                    let mut parts = shown.rsplit(':');
                    let column = parts.next().and_then(|c| c.parse().ok()).unwrap_or(column);
                    (line, column)
                });
                ModuleError {
                    name,
                    message: caught_message(&caught),
                    position,
                }
            })
        }))
    });
    match outcome {
        Ok(result) => result,
        Err(e) => Err(ModuleError {
            name: "EngineError".into(),
            message: e.to_string(),
            position: None,
        }),
    }
}

/// Run one hook invocation to completion under `limits`, in a fresh context, blocking the
/// calling thread (tools and tests; the server uses `run_pooled`).
///
/// `variables` are the hook variables of this `kind` (README, Hooks); absent ones are `undefined`.
pub fn run(
    script: &Script,
    kind: Kind,
    variables: &Map<String, Json>,
    limits: Limits,
) -> Result<Outcome, HookError> {
    run_at(script, kind, variables, limits, None)
}

/// `run`, with `Date.now()` and `new Date()` frozen at `now` (milliseconds since the epoch).
/// Must not be called from inside an async runtime.
pub fn run_at(
    script: &Script,
    kind: Kind,
    variables: &Map<String, Json>,
    limits: Limits,
    now: Option<f64>,
) -> Result<Outcome, HookError> {
    run_mocked(script, kind, variables, limits, now, Vec::new())
}

/// A canned answer for a hook's outbound HTTP in test cases: requests whose method and URL
/// match are answered without any network.
#[derive(Debug, Clone)]
pub struct MockedResponse {
    /// `None` matches any method.
    pub method: Option<String>,
    /// The URL, exact, or a prefix when it ends with `*`.
    pub url: String,
    pub response: crate::vendor::HookResponse,
}

impl MockedResponse {
    fn matches(&self, request: &crate::vendor::HookRequest) -> bool {
        let method = self
            .method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(&request.method));
        let url = match self.url.strip_suffix('*') {
            Some(prefix) => request.url.starts_with(prefix),
            None => request.url == self.url,
        };
        method && url
    }
}

thread_local! {
    /// The canned answers of the invocation `run_mocked` is running on this thread.
    static MOCKS: RefCell<Vec<MockedResponse>> = const { RefCell::new(Vec::new()) };
}

/// `run_at`, with outbound HTTP answered from `mocks`; a request no mock matches fails with
/// a message naming it (test cases must not reach the network).
pub fn run_mocked(
    script: &Script,
    kind: Kind,
    variables: &Map<String, Json>,
    limits: Limits,
    now: Option<f64>,
    mocks: Vec<MockedResponse>,
) -> Result<Outcome, HookError> {
    let _ = kind; // every kind binds the same names; kept for the callers' clarity
    let mocking = !mocks.is_empty();
    MOCKS.with(|m| *m.borrow_mut() = mocks);
    let pairs: Vec<(&str, &Json)> = variables.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let result = actix_rt::System::new().block_on(drive(None, script, &pairs, limits, now));
    if mocking {
        MOCKS.with(|m| m.borrow_mut().clear());
    }
    result
}

/// Run one hook invocation in the pooled context of `key` (one instance's context). Waiting
/// for timers happens on the worker's event loop, so other requests go on meanwhile.
pub async fn run_pooled(
    key: ContextKey,
    script: &Script,
    kind: Kind,
    variables: &Variables<'_>,
    limits: Limits,
) -> Result<Outcome, HookError> {
    let _ = kind;
    drive(Some(key), script, variables, limits, None).await
}

/// The console lines of the last invocation on this thread that failed (a successful one
/// returns them in its `Outcome`), so a failure can still show what the script logged.
pub fn take_console() -> Vec<ConsoleLine> {
    ENGINE.with(|cell| match cell.try_borrow() {
        Ok(slot) => slot
            .as_ref()
            .map(|engine| engine.failed_console.take())
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    })
}

/// A new context with the host functions and the prelude installed.
fn fresh_context(
    engine: &Engine,
    modules: Arc<super::modules::Modules>,
    now: Option<f64>,
) -> Result<Context, HookError> {
    let context = Context::full(&engine.runtime).map_err(engine_error)?;
    context.with(|ctx| -> Result<(), HookError> {
        super::host::install(
            &ctx,
            engine.console.clone(),
            engine.outbox.clone(),
            engine.origin,
            modules,
        )
        .map_err(engine_error)?;
        // Before the prelude, which makes the starting globals read-only.
        if let Some(now) = now {
            let freeze: Function = ctx.eval(FROZEN_CLOCK).map_err(engine_error)?;
            freeze.call::<_, ()>((now,)).map_err(engine_error)?;
        }
        let prelude: Result<Value, _> = ctx.eval(PRELUDE);
        prelude
            .catch_js(&ctx)
            .map_err(|e| HookError::Engine(format!("prelude: {e}")))?;
        Ok(())
    })?;
    Ok(context)
}

/// What an invocation waits for next.
enum Next {
    /// `done()` was called (or a timer callback failed): read the result.
    Finish,
    /// Not finished; the earliest timer, if any, is due at this engine-clock time (ms).
    Wait(Option<f64>),
}

/// Outbound requests a hook may have in flight at once; more wait their turn (Parse Cloud
/// Code's documented limit of 8 concurrent `httpRequest`s per request).
const MAX_IN_FLIGHT: usize = 8;

/// What finished outbound work hands back to the script.
enum Delivered {
    Http(crate::vendor::HookResponse),
    Email(String),
}

type Completion = (u64, Result<Delivered, String>);

thread_local! {
    /// The SMTP server hooks on this worker send through; set by the server per worker.
    static MAILER: RefCell<Option<Arc<crate::mail::MailSettings>>> = const { RefCell::new(None) };
}

/// Configure (or remove) the SMTP server for hooks running on this thread.
pub fn set_mailer(settings: Option<Arc<crate::mail::MailSettings>>) {
    MAILER.with(|m| *m.borrow_mut() = settings);
}

/// Start one piece of outbound work. Email is spawned on its own, so a message a hook
/// handed over is sent even when the hook finishes first.
fn describe_work(work: &super::host::Outbound) -> (String, String) {
    match work {
        super::host::Outbound::Http(r) => ("http".into(), format!("{} {}", r.method, r.url)),
        super::host::Outbound::Email(e) => ("email".into(), e.to.join(", ")),
    }
}

fn launch(
    script: &Script,
    id: u64,
    work: super::host::Outbound,
) -> futures_util::future::LocalBoxFuture<'static, Completion> {
    match work {
        super::host::Outbound::Http(request) if MOCKS.with(|m| !m.borrow().is_empty()) => {
            let answer = MOCKS.with(|m| {
                m.borrow()
                    .iter()
                    .find(|mock| mock.matches(&request))
                    .map(|mock| mock.response.clone())
            });
            let result = answer.ok_or_else(|| {
                format!(
                    "no mocked response for {} {} in this test case",
                    request.method, request.url
                )
            });
            Box::pin(async move { (id, result.map(Delivered::Http)) })
        }
        super::host::Outbound::Http(request) => {
            let policy = script.egress.clone();
            Box::pin(async move {
                (
                    id,
                    crate::vendor::send_hook_request(&policy, request)
                        .await
                        .map(Delivered::Http),
                )
            })
        }
        super::host::Outbound::Email(email) => {
            let Some(settings) = MAILER.with(|m| m.borrow().clone()) else {
                return Box::pin(async move {
                    (id, Err("email is not configured: start the server with --smtp-host (see README, Configuration)".to_string()))
                });
            };
            let label = script.label.clone();
            let sending = actix_rt::spawn(async move {
                let result = crate::mail::send(settings, email).await;
                if let Err(e) = &result {
                    tracing::warn!(hook = %label, "email not sent: {e}");
                }
                result
            });
            Box::pin(async move {
                let result = sending
                    .await
                    .map_err(|e| format!("email task failed: {e}"))
                    .and_then(|r| r);
                (id, result.map(Delivered::Email))
            })
        }
    }
}

/// One invocation: start it, then alternate between waiting (off the engine, so the worker
/// serves other requests) and short synchronous steps on the engine, until it finishes.
async fn drive(
    key: Option<ContextKey>,
    script: &Script,
    variables: &Variables<'_>,
    limits: Limits,
    now: Option<f64>,
) -> Result<Outcome, HookError> {
    use futures_util::stream::{FuturesUnordered, StreamExt};

    let mut pooled = with_engine(|engine| take_context(engine, key, now, script.modules.clone()))?;
    let deadline = Instant::now() + limits.time;
    let mut console = Vec::new();
    let mut outbound: Vec<super::OutboundCall> = Vec::new();
    let mut started_at: HashMap<u64, (Instant, (String, String))> = HashMap::new();
    let mut queued: std::collections::VecDeque<(u64, super::host::Outbound)> =
        std::collections::VecDeque::new();
    let mut in_flight: FuturesUnordered<futures_util::future::LocalBoxFuture<'static, Completion>> =
        FuturesUnordered::new();
    let result = async {
        let state = with_engine(|engine| {
            let state = step(engine, &mut console, deadline, limits, || {
                start(engine, &mut pooled, script, variables, limits)
            });
            queued.extend(engine.outbox.take());
            state
        })?;
        loop {
            while in_flight.len() < MAX_IN_FLIGHT {
                let Some((id, work)) = queued.pop_front() else {
                    break;
                };
                started_at.insert(id, (Instant::now(), describe_work(&work)));
                in_flight.push(launch(script, id, work));
            }
            let next = with_engine(|engine| {
                step(engine, &mut console, deadline, limits, || {
                    poll(&pooled.context, &state)
                })
            })?;
            let timer = match next {
                Next::Finish => break,
                Next::Wait(timer) => timer,
            };
            if timer.is_none() && in_flight.is_empty() {
                break; // nothing pending: finish with whatever the script left
            }
            let until_timer = timer
                .map(|due| {
                    with_engine(|engine| {
                        Ok(Duration::from_secs_f64(
                            ((due - engine.now_ms()) / 1000.0).max(0.0),
                        ))
                    })
                })
                .transpose()?;
            let wake = match until_timer {
                Some(wait) => (Instant::now() + wait).min(deadline),
                None => deadline,
            };
            let sleep = actix_rt::time::sleep_until(wake.into());
            let completion = if in_flight.is_empty() {
                sleep.await;
                None
            } else {
                tokio_select(in_flight.next(), sleep).await
            };
            match completion {
                Some((id, response)) => {
                    if let Some((at, (kind, target))) = started_at.remove(&id) {
                        let (status, error) = match &response {
                            Ok(Delivered::Http(r)) => (Some(r.status), None),
                            Ok(Delivered::Email(_)) => (None, None),
                            Err(e) => (None, Some(e.clone())),
                        };
                        outbound.push(super::OutboundCall {
                            kind,
                            target,
                            status,
                            error,
                            micros: at.elapsed().as_micros() as u64,
                        });
                    }
                    with_engine(|engine| {
                        let delivered = step(engine, &mut console, deadline, limits, || {
                            deliver(
                                engine,
                                &pooled.context,
                                &state,
                                script,
                                limits,
                                id,
                                response,
                            )
                        });
                        queued.extend(engine.outbox.take());
                        delivered
                    })?;
                }
                None if Instant::now() >= deadline => {
                    return Err(HookError::Timeout {
                        hook: script.label.clone(),
                        budget_ms: limits.time.as_millis(),
                    });
                }
                None => {
                    with_engine(|engine| {
                        let fired = step(engine, &mut console, deadline, limits, || {
                            fire(engine, &pooled.context, &state, script, limits)
                        });
                        queued.extend(engine.outbox.take());
                        fired
                    })?;
                }
            }
        }
        with_engine(|engine| {
            step(engine, &mut console, deadline, limits, || {
                finish(engine, &pooled.context, &state, script)
            })
        })
    }
    .await;
    with_engine(|engine| {
        engine.outbox.borrow_mut().clear();
        give_back(engine, key, pooled, &result);
        if result.is_err() {
            engine.failed_console.replace(console.clone());
        }
        Ok(())
    })?;
    result.map(|mut outcome| {
        outcome.console = console;
        outcome.outbound = outbound;
        outcome
    })
}

/// The first of a completion and a sleep; `None` when the sleep ended first.
async fn tokio_select<F: std::future::Future<Output = Option<Completion>>>(
    completion: F,
    sleep: actix_rt::time::Sleep,
) -> Option<Completion> {
    use futures_util::future::{select, Either};
    let completion = std::pin::pin!(completion);
    let sleep = std::pin::pin!(sleep);
    match select(completion, sleep).await {
        Either::Left((done, _)) => done,
        Either::Right(((), _)) => None,
    }
}

/// Hand a finished outbound request to the script (resolving or rejecting its promise).
fn deliver(
    engine: &Engine,
    context: &Context,
    state: &Persistent<Object<'static>>,
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

/// Run one synchronous piece of an invocation with its limits armed, collecting its console
/// lines; a piece that ran past the budget is a timeout whatever it returned.
fn step<T>(
    engine: &Engine,
    console: &mut Vec<ConsoleLine>,
    deadline: Instant,
    limits: Limits,
    piece: impl FnOnce() -> Result<T, HookError>,
) -> Result<T, HookError> {
    engine
        .runtime
        .set_memory_limit(limits.memory.saturating_add(engine.held.get()));
    engine.runtime.set_max_stack_size(limits.stack);
    engine.deadline.set(Some(deadline));
    engine.console.borrow_mut().clear();
    let result = piece();
    engine.deadline.set(None);
    console.extend(engine.console.take());
    result
}

fn take_context(
    engine: &Engine,
    key: Option<ContextKey>,
    now: Option<f64>,
    modules: Arc<super::modules::Modules>,
) -> Result<Pooled, HookError> {
    if let Some(pooled) = key.and_then(|key| engine.pool.borrow_mut().remove(&key)) {
        return Ok(pooled);
    }
    // Measured on the worker's first context only: computing the runtime's memory usage
    // walks every object of every pooled context, and the contexts cost about the same.
    let measure = engine.context_bytes.get().is_none();
    let before = measure.then(|| engine.runtime.memory_usage().malloc_size);
    let context = fresh_context(engine, modules, now)?;
    let globals = context.with(|ctx| count_globals(&ctx)).unwrap_or(0);
    if let Some(before) = before {
        let after = engine.runtime.memory_usage().malloc_size;
        engine
            .context_bytes
            .set(Some(usize::try_from(after - before).unwrap_or(0)));
    }
    let bytes = engine.context_bytes.get().unwrap_or(0);
    engine.held.set(engine.held.get() + bytes);
    Ok(Pooled {
        hooks: HashMap::new(),
        context,
        bytes,
        held: engine.held.clone(),
        globals,
        last_used: 0,
    })
}

/// Reset the context for its next invocation and put it back in the pool, unless it hit a
/// limit (then it may be half-way through anything, and is dropped).
fn give_back(
    engine: &Engine,
    key: Option<ContextKey>,
    pooled: Pooled,
    result: &Result<Outcome, HookError>,
) {
    // Timers left behind and globals a script added must not reach the next invocation.
    let reset = pooled.context.with(|ctx| {
        let sweep = count_globals(&ctx) != Some(pooled.globals);
        let reset: rquickjs::Result<Function> = ctx.globals().get("__elemental_reset");
        reset.and_then(|f| f.call::<_, ()>((sweep,)))
    });
    let reusable = reset.is_ok()
        && !matches!(
            result,
            Err(HookError::Timeout { .. } | HookError::Memory { .. } | HookError::Engine(_))
        );
    match key {
        Some(key) if reusable => {
            let tick = engine.clock.get() + 1;
            engine.clock.set(tick);
            let mut pooled = pooled;
            pooled.last_used = tick;
            let mut pool = engine.pool.borrow_mut();
            if pool.len() >= POOL_SIZE {
                if let Some(oldest) = pool
                    .iter()
                    .min_by_key(|(_, p)| p.last_used)
                    .map(|(k, _)| *k)
                {
                    pool.remove(&oldest);
                }
            }
            pool.insert(key, pooled);
        }
        _ => {
            drop(pooled);
            if result.is_err() {
                // A memory bomb leaves garbage behind; reclaim it before the next request.
                engine.runtime.run_gc();
            }
        }
    }
}

/// How many enumerable own properties the global object has; `None` if QuickJS could not
/// list them. The globals a context starts with cannot be deleted, and a global a script
/// makes by assignment (`x = 1`, `globalThis.x = 1`, `var` in an indirect eval) is
/// enumerable, so a count above the starting one is the sign to sweep. (One defined
/// non-enumerable with `Object.defineProperty` is not seen: the reset is hygiene between
/// invocations of one instance, not a wall.) Asked through the C API and for enumerable
/// properties only: `Reflect.ownKeys(globalThis)` built a JS array of ~100 names, and
/// listing them all checked each name for being an array index — a quarter, then a tenth,
/// of all instructions in the three-hook benchmark under callgrind.
fn count_globals(ctx: &Ctx<'_>) -> Option<u32> {
    use rquickjs::qjs;
    let globals = ctx.globals();
    let raw = ctx.as_raw().as_ptr();
    let mut table: *mut qjs::JSPropertyEnum = std::ptr::null_mut();
    let mut length: u32 = 0;
    let flags = (qjs::JS_GPN_STRING_MASK | qjs::JS_GPN_SYMBOL_MASK | qjs::JS_GPN_ENUM_ONLY)
        as std::ffi::c_int;
    // SAFETY: `raw` and the global object belong to this live context for the whole call;
    // QuickJS allocates `table` (or leaves it null on failure) and it is freed at once with
    // the function made for it.
    let status = unsafe {
        qjs::JS_GetOwnPropertyNames(raw, &mut table, &mut length, globals.as_raw(), flags)
    };
    if status < 0 {
        let _ = ctx.catch(); // out of memory: clear the pending exception, sweep the slow way
        return None;
    }
    unsafe { qjs::JS_FreePropertyEnum(raw, table, length) };
    Some(length)
}

/// Call the hook and run the promise jobs it queued.
fn start(
    engine: &Engine,
    pooled: &mut Pooled,
    script: &Script,
    variables: &Variables<'_>,
    limits: Limits,
) -> Result<Persistent<Object<'static>>, HookError> {
    engine.rejections.borrow_mut().clear();
    let fail = |caught: CaughtError<'_>| to_hook_error(script, caught, Some(limits));
    let hooks = &mut pooled.hooks;
    let state = pooled
        .context
        .with(|ctx| -> Result<Persistent<Object<'static>>, HookError> {
            let id = Arc::as_ptr(&script.source) as *const u8 as usize;
            let hook = match hooks.get(&id) {
                Some((_, compiled)) => compiled.clone().restore(&ctx).map_err(engine_error)?,
                None => {
                    let compiled = compile(&ctx, script).map_err(fail)?;
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
            for (name, value) in variables {
                // Through `fail`: a body too large for the memory limit is the hook's memory
                // error, not an engine failure.
                let value = to_js(&ctx, value).catch_js(&ctx).map_err(fail)?;
                vars.set(*name, value).map_err(engine_error)?;
            }
            let invoke: Function = ctx
                .globals()
                .get("__elemental_invoke")
                .map_err(engine_error)?;
            let mut args = rquickjs::function::Args::new(ctx.clone(), 4);
            args.push_arg(hook).map_err(engine_error)?;
            args.push_arg(vars).map_err(engine_error)?;
            args.push_arg(script.label.as_str()).map_err(engine_error)?;
            if script.legacy {
                let legacy: Object = ctx
                    .globals()
                    .get("__elemental_legacy")
                    .map_err(engine_error)?;
                args.push_arg(legacy).map_err(engine_error)?;
            }
            let state: Object = invoke.call_arg(args).catch_js(&ctx).map_err(fail)?;
            Ok(Persistent::save(&ctx, state))
        })?;
    drain_jobs(engine, &pooled.context, &state, script, limits)?;
    Ok(state)
}

/// Run every queued promise job. A job that throws fails the hook unless `done()` was
/// already called (then it is a notice).
fn drain_jobs(
    engine: &Engine,
    context: &Context,
    state: &Persistent<Object<'static>>,
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
                if matches!(error, HookError::Timeout { .. } | HookError::Memory { .. })
                    || !called(context, state)?
                {
                    return Err(error);
                }
                engine.console.borrow_mut().push(ConsoleLine {
                    level: "notice".into(),
                    message: format!("exception after done(), ignored: {error}"),
                });
            }
        }
        if engine.deadline.get().is_some_and(|d| Instant::now() >= d) {
            return Err(HookError::Timeout {
                hook: script.label.clone(),
                budget_ms: limits.time.as_millis(),
            });
        }
    }
}

fn called(context: &Context, state: &Persistent<Object<'static>>) -> Result<bool, HookError> {
    context.with(|ctx| {
        let state = state.clone().restore(&ctx).map_err(engine_error)?;
        state.get::<_, bool>("called").map_err(engine_error)
    })
}

/// What the invocation waits for: nothing once `done()` was called or a timer callback
/// failed, else the next timer if there is one.
fn poll(context: &Context, state: &Persistent<Object<'static>>) -> Result<Next, HookError> {
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
fn fire(
    engine: &Engine,
    context: &Context,
    state: &Persistent<Object<'static>>,
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

fn finish(
    engine: &Engine,
    context: &Context,
    state: &Persistent<Object<'static>>,
    script: &Script,
) -> Result<Outcome, HookError> {
    context.with(|ctx| {
        let state = state.clone().restore(&ctx).map_err(engine_error)?;
        let called: bool = state.get("called").map_err(engine_error)?;
        let mut outcome = Outcome {
            called,
            ..Outcome::default()
        };
        if called {
            let result: Value = state.get("result").map_err(engine_error)?;
            outcome.done = to_json(&ctx, script, result)?;
            outcome.result = match &outcome.done {
                Json::Object(map) => Some(map.clone()),
                Json::Null => None,
                other => {
                    return Err(HookError::BadResult {
                        hook: script.label.clone(),
                        message: format!("done() takes an object, got {}", json_type(other)),
                    })
                }
            };
            return Ok(outcome);
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
        if is_plain {
            if let Json::Object(map) = to_json(&ctx, script, returned)? {
                outcome.result = Some(map);
            }
        }
        Ok(outcome)
    })
}

/// Evaluate the wrapped script to the function that runs it.
fn compile<'js>(ctx: &Ctx<'js>, script: &Script) -> Result<Function<'js>, CaughtError<'js>> {
    let mut options = EvalOptions::default();
    options.strict = false; // V2 scripts get their "use strict" from the wrapper
    options.filename = Some(script.origin.file.clone());
    let value: Value = ctx
        .eval_with_options(
            contract::wrap(&script.source, script.legacy, script.reads),
            options,
        )
        .catch_js(ctx)?;
    value
        .into_function()
        .ok_or_else(|| CaughtError::Error(rquickjs::Error::new_from_js("value", "function")))
}

/// A JSON value as a JS value, built directly rather than printed and parsed again.
fn to_js<'js>(ctx: &Ctx<'js>, value: &Json) -> rquickjs::Result<Value<'js>> {
    Ok(match value {
        Json::Null => Value::new_null(ctx.clone()),
        Json::Bool(b) => Value::new_bool(ctx.clone(), *b),
        Json::Number(n) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
            Some(i) => Value::new_int(ctx.clone(), i),
            None => Value::new_float(ctx.clone(), n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(text) => rquickjs::String::from_str(ctx.clone(), text)?.into_value(),
        Json::Array(items) => {
            let array = rquickjs::Array::new(ctx.clone())?;
            for (index, item) in items.iter().enumerate() {
                array.set(index, to_js(ctx, item)?)?;
            }
            array.into_value()
        }
        Json::Object(map) => {
            let object = Object::new(ctx.clone())?;
            for (key, item) in map {
                // Defined, not assigned, as JSON.parse does: a `__proto__` key from a vendor
                // is data, not a new prototype.
                let property = rquickjs::object::Property::from(to_js(ctx, item)?)
                    .writable()
                    .enumerable()
                    .configurable();
                object.prop(key.as_str(), property)?;
            }
            object.into_value()
        }
    })
}

/// JSON-able view of a JS value, as `JSON.parse(JSON.stringify(value))` would give it.
fn to_json<'js>(ctx: &Ctx<'js>, script: &Script, value: Value<'js>) -> Result<Json, HookError> {
    Ok(walk(ctx, script, value, 0)?.unwrap_or(Json::Null))
}

/// Nesting read directly; deeper values go through `JSON.stringify`, which finds cycles.
const WALK_DEPTH: usize = 64;

/// Plain objects, arrays and primitives are read directly (printing and parsing them again
/// cost a tenth of a three-hook request); anything else — a Date, a value with `toJSON`, a
/// boxed primitive, a Proxy, a BigInt, nesting past `WALK_DEPTH` — goes through
/// `JSON.stringify`, so its rules hold exactly. `None`: a value JSON leaves out (undefined,
/// a function, a symbol).
fn walk<'js>(
    ctx: &Ctx<'js>,
    script: &Script,
    value: Value<'js>,
    depth: usize,
) -> Result<Option<Json>, HookError> {
    use rquickjs::qjs;
    if value.is_undefined() || value.is_symbol() || value.is_function() {
        return Ok(None);
    }
    if value.is_null() {
        return Ok(Some(Json::Null));
    }
    if let Some(b) = value.as_bool() {
        return Ok(Some(Json::Bool(b)));
    }
    if let Some(i) = value.as_int() {
        return Ok(Some(Json::from(i)));
    }
    if let Some(f) = value.as_float() {
        return Ok(Some(number(f)));
    }
    if let Some(text) = value.as_string() {
        return Ok(Some(Json::String(text.to_string().map_err(engine_error)?)));
    }
    let Some(object) = value.as_object().filter(|_| depth < WALK_DEPTH) else {
        return stringified(ctx, script, value);
    };
    // SAFETY: reads the class id of a live object value; no allocation, no side effect.
    let class = unsafe { qjs::JS_GetClassID(value.as_raw()) };
    // The first two entries of quickjs.c's class enum (`JS_CLASS_OBJECT = 1, JS_CLASS_ARRAY`),
    // which the C header does not export.
    let plain = class == 1;
    let array = class == 2;
    let to_json: Value = object.get("toJSON").map_err(engine_error)?;
    if !(plain || array) || to_json.is_function() {
        return stringified(ctx, script, value);
    }
    if array {
        let length: u32 = object.get("length").map_err(engine_error)?;
        let mut items = Vec::with_capacity(length.min(1 << 16) as usize);
        for index in 0..length {
            let item: Value = object.get(index).map_err(engine_error)?;
            items.push(walk(ctx, script, item, depth + 1)?.unwrap_or(Json::Null));
        }
        return Ok(Some(Json::Array(items)));
    }
    let mut map = Map::new();
    for entry in object.props::<String, Value>() {
        let (key, item) = entry.map_err(engine_error)?;
        if let Some(item) = walk(ctx, script, item, depth + 1)? {
            map.insert(key, item);
        }
    }
    Ok(Some(Json::Object(map)))
}

/// A JS number as `JSON.stringify` then a JSON parser make it: integral values that JS
/// prints without an exponent are integers (`3`, not `3.0`; `-0` is `0`) where they fit
/// 64 bits; NaN and the infinities are null.
fn number(f: f64) -> Json {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        // Both casts are exact here: the value is integral and inside the checked range.
        if f >= i64::MIN as f64 && f < i64::MAX as f64 {
            return Json::from(f as i64);
        }
        if f >= 0.0 && f < u64::MAX as f64 {
            return Json::from(f as u64);
        }
    }
    serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)
}

/// The slow, exact path of `walk`: `JSON.stringify`, then parse.
fn stringified<'js>(
    ctx: &Ctx<'js>,
    script: &Script,
    value: Value<'js>,
) -> Result<Option<Json>, HookError> {
    let text = ctx
        .json_stringify(value)
        .catch_js(ctx)
        .map_err(|caught| HookError::BadResult {
            hook: script.label.clone(),
            message: format!(
                "the result cannot be serialized: {}",
                caught_message(&caught)
            ),
        })?;
    let Some(text) = text else {
        return Ok(None);
    };
    let text = text.to_string().map_err(engine_error)?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| HookError::BadResult {
            hook: script.label.clone(),
            message: format!("the result is not JSON: {e}"),
        })
}

fn to_hook_error(script: &Script, caught: CaughtError<'_>, limits: Option<Limits>) -> HookError {
    let hook = script.label.clone();
    let message = caught_message(&caught);
    if let Some(limits) = limits {
        if message.contains("interrupted") {
            return HookError::Timeout {
                hook,
                budget_ms: limits.time.as_millis(),
            };
        }
        if message.contains("out of memory") {
            return HookError::Memory {
                hook,
                limit_mib: limits.memory / (1024 * 1024),
            };
        }
    }
    let (name, stack) = name_and_stack(&caught);
    let prefix_len = contract::prefix(script.legacy, script.reads)
        .chars()
        .count();
    let location = match contract::position_in_stack(&stack, &script.origin.file) {
        Some((line, column)) => {
            contract::locate(&script.origin, &script.source, prefix_len, line, column)
        }
        None => format!(
            "{}:{}:{}",
            script.origin.file, script.origin.line, script.origin.column
        ),
    };
    HookError::Script {
        hook,
        error: JsError {
            name,
            message,
            location,
        },
    }
}

/// The JS error's name (`TypeError`, …) and stack trace.
fn name_and_stack(caught: &CaughtError<'_>) -> (String, String) {
    match caught {
        CaughtError::Exception(e) => (
            e.get::<_, Option<String>>("name")
                .ok()
                .flatten()
                .unwrap_or_else(|| "Error".into()),
            e.stack().unwrap_or_default(),
        ),
        CaughtError::Value(_) => ("Uncaught".to_string(), String::new()),
        CaughtError::Error(_) => ("InternalError".to_string(), String::new()),
    }
}

fn caught_message(caught: &CaughtError<'_>) -> String {
    match caught {
        CaughtError::Exception(e) => e.message().unwrap_or_default(),
        CaughtError::Value(v) => describe(v),
        CaughtError::Error(e) => e.to_string(),
    }
}

/// A short text for any thrown or rejected value.
fn describe(value: &Value<'_>) -> String {
    if let Some(e) = value.as_exception() {
        return e.message().unwrap_or_default();
    }
    if let Some(s) = value.as_string().and_then(|s| s.to_string().ok()) {
        return s;
    }
    value
        .ctx()
        .json_stringify(value.clone())
        .ok()
        .flatten()
        .and_then(|s| s.to_string().ok())
        .unwrap_or_else(|| format!("{:?}", value.type_of()))
}

fn json_type(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

fn engine_error(e: rquickjs::Error) -> HookError {
    HookError::Engine(e.to_string())
}

use rquickjs::CatchResultExt as _;
trait CatchJs<'js, T> {
    fn catch_js(self, ctx: &Ctx<'js>) -> Result<T, CaughtError<'js>>;
}
impl<'js, T> CatchJs<'js, T> for rquickjs::Result<T> {
    fn catch_js(self, ctx: &Ctx<'js>) -> Result<T, CaughtError<'js>> {
        self.catch(ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hooks::Origin;
    use serde_json::json;
    use std::time::Duration;

    fn script(source: &str, legacy: bool) -> Script {
        Script {
            legacy,
            ..Script::new(
                "resource preRequest GET /things",
                Origin::file("hooks/pre.js"),
                source,
            )
        }
    }

    fn vars() -> Map<String, Json> {
        match json!({"request_vendor_method": "DELETE", "request_vendor_headers": {"Accept": "application/json"}, "configuration": {"flag": false}})
        {
            Json::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn exec(source: &str) -> Result<Outcome, HookError> {
        run(
            &script(source, false),
            Kind::PreRequest,
            &vars(),
            Limits::default(),
        )
    }

    fn result_of(source: &str, variables: Json) -> Result<Json, HookError> {
        let Json::Object(variables) = variables else {
            return Err(HookError::Engine("variables must be an object".into()));
        };
        let outcome = run(
            &script(source, false),
            Kind::PostRequest,
            &variables,
            Limits::default(),
        )?;
        Ok(outcome.done)
    }

    #[test]
    fn variables_arrive_as_json_parse_would_make_them() {
        let body = json!({"__proto__": {"polluted": true}, "n": 3, "f": 1.5, "big": 9007199254740993u64, "list": [null, true, "é"]});
        let done = result_of(
            "done({ own: Object.keys(response_body), plain: Object.getPrototypeOf(response_body) === Object.prototype, \
             polluted: response_body.polluted === undefined ? 'no' : 'yes', types: response_body.list.map((v) => typeof v), \
             n: response_body.n, f: response_body.f, big: response_body.big > 9007199254740000 })",
            json!({"response_body": body}),
        )
        .expect("runs");
        assert_eq!(
            done,
            json!({"own": ["__proto__", "n", "f", "big", "list"], "plain": true, "polluted": "no",
                   "types": ["object", "boolean", "string"], "n": 3, "f": 1.5, "big": true})
        );
    }

    #[test]
    fn results_are_read_as_json_stringify_writes_them() {
        let done = result_of(
            "const cyclic = {}; \
             done({ date: new Date(0), custom: { toJSON: () => 'mine' }, boxed: [new Number(2), new String('s')], \
             skipped: { u: undefined, f() {}, s: Symbol('x') }, holes: [undefined, () => 1, NaN, Infinity], \
             numbers: [3.0, -0, 0.1 + 0.2, 1e21, 2 ** 53 + 2, 2 ** 63, 1e20], map: new Map([[1, 2]]), nested: { a: [{ b: 'c' }] } })",
            json!({}),
        )
        .expect("runs");
        assert_eq!(
            done,
            json!({"date": "1970-01-01T00:00:00.000Z", "custom": "mine", "boxed": [2, "s"], "skipped": {},
                   "holes": [null, null, null, null], "numbers": [3, 0, 0.30000000000000004, 1e21, 9007199254740994u64, 9223372036854775808u64, 1e20],
                   "map": {}, "nested": {"a": [{"b": "c"}]}})
        );
        assert_eq!(
            serde_json::to_string(&done["numbers"]).ok().as_deref(),
            Some("[3,0,0.30000000000000004,1e+21,9007199254740994,9223372036854775808,1e+20]")
        );
        for source in [
            "const a = {}; a.self = a; done({ a });",
            "done({ n: 10n });",
        ] {
            let error = result_of(source, json!({})).expect_err("not JSON");
            assert!(
                matches!(&error, HookError::BadResult { message, .. } if message.contains("cannot be serialized")),
                "{source}: {error}"
            );
        }
    }

    #[test]
    fn first_done_wins_and_does_not_stop_the_script() {
        let out = exec("done({a: 1}); console.log('after'); done({a: 2});").unwrap();
        assert!(out.called);
        assert_eq!(out.done, json!({"a": 1}));
        assert_eq!(out.console[0].message, "after");
    }

    #[test]
    fn an_exception_after_done_is_logged_not_fatal() {
        let out = exec("done({ok: true}); null.boom;").unwrap();
        assert_eq!(
            out.result,
            Some(json!({"ok": true}).as_object().unwrap().clone())
        );
        assert!(out
            .console
            .iter()
            .any(|l| l.level == "notice" && l.message.contains("boom")));
    }

    #[test]
    fn a_returned_object_is_the_result_and_nothing_passes_through() {
        let out = exec("return {continue: false};").unwrap();
        assert!(!out.called);
        assert_eq!(out.result.unwrap()["continue"], json!(false));
        assert!(exec("var x = 1;").unwrap().result.is_none());
        assert!(exec("done();").unwrap().result.is_none());
    }

    #[test]
    fn variables_are_const_but_mutable() {
        let out =
            exec("request_vendor_headers['X'] = '1'; done({h: request_vendor_headers});").unwrap();
        assert_eq!(
            out.done,
            json!({"h": {"Accept": "application/json", "X": "1"}})
        );
        let err = exec("var x = 1; request_vendor_method = 'GET';").unwrap_err();
        let js = err.js().unwrap();
        assert_eq!(js.name, "TypeError");
        assert_eq!(js.location, "hooks/pre.js:1:12");
    }

    #[test]
    fn v2_is_strict_and_legacy_is_sloppy() {
        assert!(exec("undeclared = 1; done();").is_err());
        let legacy = run(
            &script(
                "undeclared = 1; print('hi'); return {b: base64Encode('hi')};",
                true,
            ),
            Kind::PreRequest,
            &vars(),
            Limits::default(),
        )
        .unwrap();
        assert_eq!(legacy.result.unwrap()["b"], json!("aGk="));
        assert_eq!(legacy.console[0].message, "hi");
    }

    #[test]
    fn errors_name_the_hook_file_line_and_column() {
        let err = exec("var a = 1;\n\n  a.b.c;").unwrap_err();
        assert_eq!(err.js().unwrap().location, "hooks/pre.js:3:3");
        assert!(err.to_string().contains("resource preRequest GET /things"));
        let err = check(&script("var x = ;", false)).unwrap_err();
        assert_eq!(err.js().unwrap().name, "SyntaxError");
        assert_eq!(err.js().unwrap().location, "hooks/pre.js:1:9");
    }

    #[test]
    fn busy_loops_stop_at_the_budget_and_the_engine_goes_on() {
        let limits = Limits {
            time: Duration::from_millis(100),
            ..Limits::default()
        };
        let err = run(
            &script("while (true) {}", false),
            Kind::PreRequest,
            &vars(),
            limits,
        )
        .unwrap_err();
        assert!(matches!(err, HookError::Timeout { .. }), "{err:?}");
        assert!(exec("done({after: true})").is_ok());
    }

    #[test]
    fn promise_jobs_run_before_the_result_is_read() {
        let out = exec("Promise.resolve(2).then(v => done({v}));").unwrap();
        assert_eq!(out.done, json!({"v": 2}));
        let err = exec("Promise.reject(new Error('nope'));").unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");
    }

    #[test]
    fn ce_library_is_available() {
        let out = exec("done({h: CE.hmacSha256Hex('Jefe', 'what do ya want for nothing?'), b: CE.b64('hé'), d: CE.decode64(CE.b64('hé')), m: CE.md5('abc'), r: CE.randomString().length, e: CE.randomEmail().endsWith('@example.com'), c: CE.hmac('sha1')('base64')('k', 'd') === CE.hmacSha1base64('k', 'd')})").unwrap();
        assert_eq!(
            out.done,
            json!({"h": "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "b": "aMOp", "d": "hé", "m": "900150983cd24fb0d6963f7d28e17f72", "r": 10, "e": true, "c": true})
        );
    }

    #[test]
    fn a_non_object_done_argument_is_a_bad_result() {
        assert!(matches!(
            exec("done('x')"),
            Err(HookError::BadResult { .. })
        ));
    }
}
