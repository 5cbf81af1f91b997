//! The QuickJS runtime of each worker thread, its pooled contexts and the limits an
//! invocation runs under.
//!
//! QuickJS runtimes are `!Send`, so each thread that runs hooks (HTTP workers and hook
//! executors) owns one, a thread-local, and an invocation stays on the thread it started on.
//!
//! Contexts are pooled per element: building one (prelude, frozen built-ins) costs
//! milliseconds, so each pooled context keeps them and the compiled hooks, and serves every
//! instance of its element, one invocation at a time. What an invocation leaves behind is
//! reset before the next (docs/isolation.md: built-ins, modules and hooks frozen, globals
//! swept, timers dropped, element modules kept per instance); a context that cannot be made
//! clean, or hit a limit, is discarded. Without a key an invocation gets a fresh context
//! (tools, tests).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rquickjs::{Context, Ctx, Function, Persistent, Runtime, Value};

use super::cpu::CpuClock;
use super::error::{describe, engine_error, CatchJs as _, HookError};
use super::host::Outbound;
use super::modules::Modules;
use super::outcome::ConsoleLine;

const PRELUDE: &str = include_str!("../../js-stdlib/prelude.js");
const FROZEN_CLOCK: &str = include_str!("../../js-stdlib/frozen-clock.js");
const TASK: &str = include_str!("../../js-stdlib/task.js");
const CLOUD: &str = include_str!("../../js-stdlib/cloud.js");
/// Background jobs' driver, on task and cloud contexts (a job is one or the other).
const JOB: &str = include_str!("../../js-stdlib/job.js");

/// What a context is made for: hooks, or a web task (which also gets `kv`, `elements` and
/// the task driver; hooks never see those names). Pooled apart, by the script's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    Hook,
    Task,
    /// Parse Cloud Code: `Parse.Cloud.define` and the cloud driver (js-stdlib/cloud.js).
    Cloud,
}

/// Pooled contexts kept per worker; the least recently used goes first. A context costs
/// about a quarter of a MiB; with fewer slots than elements in use, requests spread over
/// them (round-robin) miss the pool every time: 100 contexts over 64 slots served 72
/// requests/s instead of ~8,000 (bench/proxy.py, elements-loaded runs).
const POOL_SIZE: usize = 256;

/// Who an invocation runs for: (instance id, element identity). Contexts are pooled by the
/// element; the instance keeps its own element-module state inside them.
pub type ContextKey = (i64, usize);

/// The limits one invocation runs under.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock budget, including the time spent draining promise jobs.
    pub time: Duration,
    /// CPU time the invocation's own steps may use on the engine (waits are not charged).
    pub cpu: Duration,
    /// Memory of the worker's JS runtime.
    pub memory: usize,
    /// Native stack for JS recursion.
    pub stack: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(10),
            cpu: Duration::from_millis(250),
            memory: 64 * 1024 * 1024,
            stack: 512 * 1024,
        }
    }
}

// Fields drop in declaration order: JS values before their context, contexts before the
// runtime (QuickJS aborts if a runtime is freed while objects are alive).
pub(super) struct Pooled {
    /// Compiled hooks by script text; holding the `Arc` keeps its address from being reused.
    pub(super) hooks: HashMap<usize, (Arc<str>, Persistent<Function<'static>>)>,
    /// Evaluated task modules' namespaces by script text (a task context serves one task).
    pub(super) tasks: HashMap<usize, (Arc<str>, Persistent<rquickjs::Object<'static>>)>,
    pub(super) context: Context,
    /// The element files `require` reads in this context: a context is only reused for the
    /// same ones (an element reloaded at the same address has others).
    modules: Arc<Modules>,
    /// Hooks' or a task's: never lent to the other.
    flavor: Flavor,
    /// Not to be reused: a task module whose evaluation failed stays declared in it.
    pub(super) spoiled: bool,
    /// The instance the context serves now (its element modules are its own).
    pub(super) tenant: i64,
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

pub(super) struct Engine {
    /// Idle contexts by element identity (several when invocations of an element overlap).
    pool: RefCell<HashMap<usize, Vec<Pooled>>>,
    /// Contexts in `pool`.
    pooled: Cell<usize>,
    /// Where `console.*` lines of the running step go.
    pub(super) console: Rc<RefCell<Vec<ConsoleLine>>>,
    /// Outbound requests the running step asked for; the driver takes them after the step.
    pub(super) outbox: Rc<RefCell<Vec<(u64, Outbound)>>>,
    /// The engine clock's zero: timers count milliseconds from here.
    origin: Instant,
    clock: Cell<u64>,
    /// When the running invocation must stop; read by the interrupt handler.
    pub(super) deadline: Rc<Cell<Option<Instant>>>,
    /// The running step's CPU budget.
    cpu: Rc<CpuClock>,
    /// Reasons of promise rejections nobody handled (yet) during the running invocation.
    pub(super) rejections: Rc<RefCell<Vec<String>>>,
    /// Memory the live contexts took when they were made: an invocation's memory limit
    /// comes on top, so it does not shrink as more instances are pooled.
    held: Rc<Cell<usize>>,
    /// What a fresh context takes of the runtime's memory, measured once.
    context_bytes: Cell<Option<usize>>,
    pub(super) runtime: Runtime,
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
        let cpu = Rc::new(CpuClock::default());
        let (watched, clock) = (deadline.clone(), cpu.clone());
        runtime.set_interrupt_handler(Some(Box::new(move || {
            let now = Instant::now();
            watched.get().is_some_and(|d| now >= d) || clock.over(now)
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
            outbox: Rc::new(RefCell::new(Vec::new())),
            origin: Instant::now(),
            pool: RefCell::new(HashMap::new()),
            pooled: Cell::new(0),
            clock: Cell::new(0),
            deadline,
            cpu,
            rejections,
            held: Rc::new(Cell::new(0)),
            context_bytes: Cell::new(None),
        })
    }

    /// Milliseconds on the engine clock (monotonic), as timers count them.
    pub(super) fn now_ms(&self) -> f64 {
        self.origin.elapsed().as_secs_f64() * 1000.0
    }

    /// Run one synchronous piece of an invocation with its limits armed (its wall-clock
    /// deadline, and the CPU time left of its budget, `used` so far), collecting its console
    /// lines into `console`.
    ///
    /// A step holds its thread from start to end without waiting, so the CPU it uses is
    /// measured as the step's duration on the monotonic clock: reading the thread's CPU
    /// clock is a system call, two per step cost more than a small hook (docs/decisions.md),
    /// and the difference, time the system gave the thread to others, is charged to the hook.
    pub(super) fn step<T>(
        &self,
        console: &mut Vec<ConsoleLine>,
        (deadline, limits, used): (Instant, Limits, &mut Duration),
        piece: impl FnOnce() -> Result<T, HookError>,
    ) -> Result<T, HookError> {
        self.runtime
            .set_memory_limit(limits.memory.saturating_add(self.held.get()));
        self.runtime.set_max_stack_size(limits.stack);
        self.deadline.set(Some(deadline));
        let started = Instant::now();
        self.cpu.arm(started, limits.cpu.saturating_sub(*used));
        self.console.borrow_mut().clear();
        let result = piece();
        self.deadline.set(None);
        *used += self.cpu.disarm(started);
        console.extend(self.console.take());
        match result {
            Err(HookError::Timeout { hook, .. }) if self.cpu.tripped() => Err(HookError::CpuTime {
                hook,
                budget_ms: limits.cpu.as_millis(),
            }),
            other => other,
        }
    }

    /// A context for an invocation: the pooled one of `key`, else a new one (with
    /// `Date.now()` frozen at `now`, when given).
    pub(super) fn take(
        &self,
        key: Option<ContextKey>,
        now: Option<f64>,
        modules: Arc<Modules>,
        flavor: Flavor,
    ) -> Result<Pooled, HookError> {
        let tenant = key.map_or(0, |(instance, _)| instance);
        if let Some(mut pooled) = key.and_then(|key| self.reuse(key.1, &modules, flavor)) {
            pooled.tenant = tenant;
            return Ok(pooled);
        }
        // Measured on the worker's first context only: computing the runtime's memory usage
        // walks every object of every pooled context, and the contexts cost about the same.
        let measure = self.context_bytes.get().is_none();
        let before = measure.then(|| self.runtime.memory_usage().malloc_size);
        let context = self.fresh_context(modules.clone(), now, flavor)?;
        let globals = context.with(|ctx| count_globals(&ctx)).unwrap_or(0);
        if let Some(before) = before {
            let after = self.runtime.memory_usage().malloc_size;
            self.context_bytes
                .set(Some(usize::try_from(after - before).unwrap_or(0)));
        }
        let bytes = self.context_bytes.get().unwrap_or(0);
        self.held.set(self.held.get() + bytes);
        Ok(Pooled {
            hooks: HashMap::new(),
            tasks: HashMap::new(),
            context,
            modules,
            flavor,
            spoiled: false,
            tenant,
            bytes,
            held: self.held.clone(),
            globals,
            last_used: 0,
        })
    }

    /// A new context with the host functions and the prelude installed.
    fn fresh_context(
        &self,
        modules: Arc<Modules>,
        now: Option<f64>,
        flavor: Flavor,
    ) -> Result<Context, HookError> {
        let context = Context::full(&self.runtime).map_err(engine_error)?;
        context.with(|ctx| -> Result<(), HookError> {
            super::host::install(
                &ctx,
                self.console.clone(),
                self.outbox.clone(),
                self.origin,
                modules,
                self.cpu.clone(),
            )
            .map_err(engine_error)?;
            // Before the prelude, which makes the starting globals read-only.
            if let Some(now) = now {
                let freeze: Function = ctx.eval(FROZEN_CLOCK).map_err(engine_error)?;
                freeze.call::<_, ()>((now,)).map_err(engine_error)?;
            }
            // Also before the prelude: it freezes the task's globals with every other one.
            // Cloud code gets the tasks' globals too (`kv`, `elements`): a cloud job reaches
            // them as a module job does (a cloud function, with no services, is told so).
            let drivers: &[&str] = match flavor {
                Flavor::Task => &[TASK, JOB],
                Flavor::Cloud => &[TASK, CLOUD, JOB],
                Flavor::Hook => &[],
            };
            for driver in drivers {
                let install: Function = ctx.eval(*driver).map_err(engine_error)?;
                let host: Value = ctx.globals().get("__host").map_err(engine_error)?;
                install.call::<_, ()>((host,)).map_err(engine_error)?;
            }
            let prelude: Result<Value, _> = ctx.eval(PRELUDE);
            prelude
                .catch_js(&ctx)
                .map_err(|e| HookError::Engine(format!("prelude: {e}")))?;
            Ok(())
        })?;
        Ok(context)
    }

    /// Reset the context for its next invocation and put it back in the pool, unless it hit
    /// a limit or the engine failed (then it may be half-way through anything, and is dropped).
    pub(super) fn give_back(
        &self,
        key: Option<ContextKey>,
        mut pooled: Pooled,
        failure: Option<&HookError>,
    ) {
        // Timers left behind and globals a script added must not reach the next invocation.
        let clean = pooled.context.with(|ctx| {
            let sweep = count_globals(&ctx) != Some(pooled.globals);
            let reset: rquickjs::Result<Function> = ctx.globals().get("__elemental_reset");
            reset.and_then(|f| f.call::<_, bool>((sweep,)))
        });
        let broken = pooled.spoiled
            || failure.is_some_and(|e| e.class().is_limit() || matches!(e, HookError::Engine(_)));
        match key {
            Some(key) if matches!(clean, Ok(true)) && !broken => {
                let tick = self.clock.get() + 1;
                self.clock.set(tick);
                pooled.last_used = tick;
                self.keep(key.1, pooled);
            }
            _ => {
                drop(pooled);
                if failure.is_some() {
                    // A memory bomb leaves garbage behind; reclaim it before the next request.
                    self.runtime.run_gc();
                }
            }
        }
    }
}

impl Engine {
    /// An idle context of the element (or task), if one was made with the same modules and
    /// for the same kind of script.
    fn reuse(&self, element: usize, modules: &Arc<Modules>, flavor: Flavor) -> Option<Pooled> {
        let mut pool = self.pool.borrow_mut();
        let idle = pool.get_mut(&element)?;
        let pooled = idle.pop()?;
        if idle.is_empty() {
            pool.remove(&element);
        }
        self.pooled.set(self.pooled.get() - 1);
        (Arc::ptr_eq(&pooled.modules, modules) && pooled.flavor == flavor).then_some(pooled)
    }

    /// Put a context back in the pool, dropping the least recently used one when it is full.
    fn keep(&self, element: usize, pooled: Pooled) {
        let mut pool = self.pool.borrow_mut();
        if self.pooled.get() >= POOL_SIZE {
            let oldest = pool
                .iter()
                .flat_map(|(k, idle)| {
                    idle.iter()
                        .enumerate()
                        .map(move |(i, p)| (p.last_used, *k, i))
                })
                .min();
            if let Some((_, k, i)) = oldest {
                if let Some(idle) = pool.get_mut(&k) {
                    idle.remove(i);
                    if idle.is_empty() {
                        pool.remove(&k);
                    }
                    self.pooled.set(self.pooled.get() - 1);
                }
            }
        }
        pool.entry(element).or_default().push(pooled);
        self.pooled.set(self.pooled.get() + 1);
    }
}

/// Run `f` on this thread's engine, made on first use.
pub(super) fn with_engine<R>(
    f: impl FnOnce(&Engine) -> Result<R, HookError>,
) -> Result<R, HookError> {
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
