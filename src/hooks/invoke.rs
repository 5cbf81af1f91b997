//! One hook invocation (or one web task request, `run_task_here`), driven to its end: it
//! alternates between short synchronous steps on the engine and waiting (for timers and
//! outbound work) off it, so the executor serves other invocations meanwhile.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use futures_util::future::LocalBoxFuture;
use futures_util::stream::{FuturesUnordered, StreamExt as _};

use super::cloud::{CloudAnswer, CloudCall, CloudRun};
use super::contract::{HookInput, Reads, Vars};
use super::dispatch::{self, Completion, Delivered, Dispatcher, MAX_IN_FLIGHT};
use super::error::CatchJs as _;
use super::error::HookError;
use super::host::Outbound;
use super::job::{JobCall, JobEnd, JobRun, JobSource};
use super::outcome::{ConsoleLine, OutboundCall, Outcome, Run};
use super::pool::{with_engine, ContextKey, Engine, Flavor, Pooled};
use super::steps::{self, Next, State};
use super::task::{TaskAnswer, TaskRequest, TaskRun};
use super::task_steps;
use super::{Limits, Script};

/// How a run is set up, beyond its script, input and limits.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Run in the pooled context of this key (one instance's); `None`: in a fresh context,
    /// dropped afterwards (tools and tests).
    pub context: Option<ContextKey>,
    /// `Date.now()` and `new Date()` frozen at this time (milliseconds since the epoch).
    /// Only a fresh context can have it: `context` is not used then.
    pub now: Option<f64>,
    /// Keep the result as JSON too (`Outcome::raw`): what `hook run`, test cases and
    /// traces show.
    pub raw: bool,
    /// Build every variable of the input, not only those the script names (traces).
    pub every_variable: bool,
}

/// Run one hook invocation to its end under `limits`, its outbound work done by `io`.
///
/// A hook that ends in its first step within a short CPU slice runs on the calling thread
/// (an HTTP worker), as most do: handing every hook to another thread cost more than the hook
/// (docs/decisions.md). Any other is run again from the start on a hook executor — nothing it
/// did has left the engine yet — and its script goes straight to the executors for a while.
pub async fn run(
    script: &Script,
    input: HookInput<'_>,
    limits: Limits,
    io: &Dispatcher,
    options: Options,
) -> Run {
    if let Some(webhook) = &script.webhook {
        return super::webhook::run(script, webhook, input, limits, options).await;
    }
    let reads = reads(script, options);
    let id = script.id();
    if super::inline::fits(id) {
        match run_inline(script, Vars::Lent(&input, reads), limits, io, options) {
            Inline::Done(run) => return *run,
            Inline::Waits | Inline::Overran => super::inline::offloaded(id),
        }
    }
    super::executor::run(script, input.bind(reads), limits, io, options).await
}

/// How an attempt to run an invocation on the calling thread ended.
enum Inline {
    Done(Box<Run>),
    /// It waits for timers or outbound work.
    Waits,
    /// It used its CPU slice (less than its budget).
    Overran,
}

/// Run the invocation's first step on this thread, with at most `inline::SLICE` of CPU.
fn run_inline(
    script: &Script,
    vars: Vars<'_>,
    limits: Limits,
    io: &Dispatcher,
    options: Options,
) -> Inline {
    let (key, pooled) = take(script, options);
    let Ok(pooled) = pooled else {
        return Inline::Waits; // the executor reports the engine's failure
    };
    let sliced = limits.cpu > super::inline::SLICE;
    let slice = Limits {
        cpu: limits.cpu.min(super::inline::SLICE),
        ..limits
    };
    let mut driver = Driver::new(script, slice, io, pooled);
    match driver.drive_inline(vars, options.raw) {
        Err(error @ HookError::CpuTime { .. }) if sliced => {
            driver.release(key, Some(&error));
            Inline::Overran
        }
        Ok(None) => {
            driver.release(key, None);
            Inline::Waits
        }
        Ok(Some(outcome)) => Inline::Done(Box::new(driver.close(key, Ok(outcome)))),
        Err(error) => Inline::Done(Box::new(driver.close(key, Err(error)))),
    }
}

/// `run` on the calling thread, blocking it until the run ends (tools and tests). Must not
/// be called from inside an async runtime.
pub fn run_blocking(
    script: &Script,
    input: HookInput<'_>,
    limits: Limits,
    io: &Dispatcher,
    options: Options,
) -> Run {
    if let Some(webhook) = &script.webhook {
        let call = super::webhook::run(script, webhook, input, limits, options);
        return actix_rt::System::new().block_on(call);
    }
    let vars = Vars::Lent(&input, reads(script, options));
    actix_rt::System::new().block_on(run_here(script, vars, limits, io, options))
}

/// The variables to build: those the script names, or all of them for a trace.
fn reads(script: &Script, options: Options) -> Reads {
    match options.every_variable {
        true => Reads::ALL,
        false => script.reads,
    }
}

/// Run the invocation on this thread's engine.
pub(super) async fn run_here(
    script: &Script,
    vars: Vars<'_>,
    limits: Limits,
    io: &Dispatcher,
    options: Options,
) -> Run {
    let (key, pooled) = take(script, options);
    let mut driver = match pooled {
        Ok(pooled) => Driver::new(script, limits, io, pooled),
        Err(error) => return Run::failed(error),
    };
    let outcome = driver.drive(vars, options.raw).await;
    driver.close(key, outcome)
}

/// The context an invocation runs in: its key's pooled one, or a fresh one (always for a
/// frozen clock, which a pooled context was made without).
fn take(script: &Script, options: Options) -> (Option<ContextKey>, Result<Pooled, HookError>) {
    let key = options.context.filter(|_| options.now.is_none());
    let pooled =
        with_engine(|engine| engine.take(key, options.now, script.modules.clone(), Flavor::Hook));
    (key, pooled)
}

/// The state of one run between its steps.
struct Driver<'r> {
    script: &'r Script,
    limits: Limits,
    io: &'r Dispatcher,
    pooled: Pooled,
    deadline: Instant,
    /// CPU time the invocation's steps used so far.
    cpu: Duration,
    console: Vec<ConsoleLine>,
    outbound: Vec<OutboundCall>,
    /// Work started and not finished: when it started, and how it is named.
    started: HashMap<u64, (Instant, (String, String))>,
    /// Work asked for and not started (more than `MAX_IN_FLIGHT` at once).
    queued: VecDeque<(u64, Outbound)>,
    in_flight: FuturesUnordered<LocalBoxFuture<'static, Completion>>,
}

impl<'r> Driver<'r> {
    fn new(script: &'r Script, limits: Limits, io: &'r Dispatcher, pooled: Pooled) -> Self {
        Driver {
            script,
            limits,
            io,
            pooled,
            deadline: Instant::now() + limits.time,
            cpu: Duration::ZERO,
            console: Vec::new(),
            outbound: Vec::new(),
            started: HashMap::new(),
            queued: VecDeque::new(),
            in_flight: FuturesUnordered::new(),
        }
    }

    /// Start the hook, then step it until it is done or nothing is left to wait for.
    async fn drive(&mut self, vars: Vars<'_>, raw: bool) -> Result<Outcome, HookError> {
        let (script, limits) = (self.script, self.limits);
        let state =
            self.on_engine(|engine, pooled| steps::start(engine, pooled, script, vars, limits))?;
        self.pump(&state, false).await?;
        let kind = vars.kind();
        self.on_engine(|engine, pooled| {
            steps::finish(engine, &pooled.context, &state, script, kind, raw)
        })
    }

    /// Step the invocation until it is done, its time is up, or — unless `until_done` — nothing
    /// is left to wait for. A hook with nothing pending finishes with what it left; a web task
    /// that can no longer settle (`until_done`) waits out its time, as the contract says.
    async fn pump(&mut self, state: &State, until_done: bool) -> Result<(), HookError> {
        loop {
            self.launch_queued();
            let next = self.on_engine(|_, pooled| steps::poll(&pooled.context, state))?;
            let timer = match next {
                Next::Finish => return Ok(()),
                Next::Wait(timer) => timer,
            };
            if timer.is_none() && self.in_flight.is_empty() && !until_done {
                return Ok(()); // nothing pending: finish with whatever the script left
            }
            let (script, limits) = (self.script, self.limits);
            match self.wait(timer).await? {
                Some(completion) => self.complete(state, completion)?,
                None if Instant::now() >= self.deadline => {
                    return Err(HookError::timeout(script, limits));
                }
                None => self.on_engine(|engine, pooled| {
                    steps::fire(engine, &pooled.context, state, script, limits)
                })?,
            }
        }
    }

    /// A web task: its module's namespace (evaluated once per context) and its own time limit
    /// (`export const config = {timeoutMs}`), then `authenticate` and the handler, to the end.
    async fn drive_task(&mut self, request: &TaskRequest) -> Result<TaskAnswer, HookError> {
        let (script, limits) = (self.script, self.limits);
        let (namespace, timeout) =
            self.on_engine(|engine, pooled| task_steps::prepare(engine, pooled, script, limits))?;
        if let Some(time) = timeout {
            self.deadline = self.deadline - self.limits.time + time;
            self.limits.time = time;
            self.limits.cpu = time;
        }
        let limits = self.limits;
        let state = self.on_engine(|engine, pooled| {
            task_steps::start(engine, &pooled.context, &namespace, script, request, limits)
        })?;
        self.pump(&state, true).await?;
        self.on_engine(|_, pooled| task_steps::finish(&pooled.context, &state, script))
    }

    /// A cloud function: cloud/main.js loaded once per context, then the function, to the
    /// end (an old-style handler may answer through `response` from a timer).
    async fn drive_cloud(&mut self, call: &CloudCall) -> Result<CloudAnswer, HookError> {
        let (script, limits) = (self.script, self.limits);
        let state = self.on_engine(|engine, pooled| {
            super::cloud::start(engine, &pooled.context, script, call, limits)
        })?;
        self.pump(&state, true).await?;
        self.on_engine(|_, pooled| super::cloud::finish(&pooled.context, &state, script))
    }

    /// A background job: a module's namespace and time limit first (as a task's), then the
    /// job's driver, to the end (`status.success`, `status.error`, or what it returned).
    async fn drive_job(&mut self, call: &JobCall) -> Result<JobEnd, HookError> {
        let (script, limits) = (self.script, self.limits);
        let namespace = match call.source {
            JobSource::Cloud => None,
            JobSource::Module => {
                let (namespace, timeout) = self.on_engine(|engine, pooled| {
                    task_steps::prepare(engine, pooled, script, limits)
                })?;
                self.limit_to(timeout);
                Some(namespace)
            }
        };
        let limits = self.limits;
        let state = self.on_engine(|engine, pooled| {
            let context = &pooled.context;
            super::job::start(engine, context, namespace.as_ref(), script, call, limits)
        })?;
        // A cloud job's own limit is known once its driver found it.
        let own = self.on_engine(|_, pooled| super::job::own_timeout(&pooled.context, &state))?;
        self.limit_to(own);
        self.pump(&state, true).await?;
        self.on_engine(|_, pooled| super::job::finish(&pooled.context, &state, script))
    }

    /// A script's own time limit (and CPU budget, as long), in place of the one it was given.
    fn limit_to(&mut self, time: Option<Duration>) {
        if let Some(time) = time {
            self.deadline = self.deadline - self.limits.time + time;
            self.limits.time = time;
            self.limits.cpu = time;
        }
    }

    /// The first step and, when it left nothing to wait for, the result; `None` when it waits.
    fn drive_inline(&mut self, vars: Vars<'_>, raw: bool) -> Result<Option<Outcome>, HookError> {
        let (script, limits) = (self.script, self.limits);
        let state =
            self.on_engine(|engine, pooled| steps::start(engine, pooled, script, vars, limits))?;
        let next = self.on_engine(|_, pooled| steps::poll(&pooled.context, &state))?;
        if matches!(next, Next::Wait(Some(_))) || !self.queued.is_empty() {
            return Ok(None);
        }
        let kind = vars.kind();
        self.on_engine(|engine, pooled| {
            steps::finish(engine, &pooled.context, &state, script, kind, raw)
        })
        .map(Some)
    }

    /// One step on the engine; the outbound work it asked for is queued.
    fn on_engine<T>(
        &mut self,
        piece: impl FnOnce(&Engine, &mut Pooled) -> Result<T, HookError>,
    ) -> Result<T, HookError> {
        let (deadline, limits) = (self.deadline, self.limits);
        let (console, pooled, queued) = (&mut self.console, &mut self.pooled, &mut self.queued);
        let cpu = &mut self.cpu;
        with_engine(|engine| {
            let budget = (deadline, limits, cpu);
            let result = engine.step(console, budget, || piece(engine, pooled));
            queued.extend(engine.outbox.take());
            result
        })
    }

    fn launch_queued(&mut self) {
        while self.in_flight.len() < MAX_IN_FLIGHT {
            let Some((id, work)) = self.queued.pop_front() else {
                break;
            };
            self.started
                .insert(id, (Instant::now(), dispatch::describe(&work)));
            self.in_flight.push(self.io.launch(self.script, id, work));
        }
    }

    /// Wait for the first of: finished work, the timer due at `timer` (engine clock), the
    /// deadline. `None`: a timer or the deadline.
    async fn wait(&mut self, timer: Option<f64>) -> Result<Option<Completion>, HookError> {
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
            Some(wait) => (Instant::now() + wait).min(self.deadline),
            None => self.deadline,
        };
        let sleep = actix_rt::time::sleep_until(wake.into());
        if self.in_flight.is_empty() {
            sleep.await;
            return Ok(None);
        }
        Ok(first(self.in_flight.next(), sleep).await)
    }

    /// Record finished work and hand it to the script.
    fn complete(&mut self, state: &State, (id, response): Completion) -> Result<(), HookError> {
        if let Some((at, (kind, target))) = self.started.remove(&id) {
            let (status, error) = match &response {
                Ok(Delivered::Http(r)) => (Some(r.status), None),
                Ok(Delivered::Email(_) | Delivered::Value(_)) => (None, None),
                Err(e) => (None, Some(e.clone())),
            };
            self.outbound.push(OutboundCall {
                kind,
                target,
                status,
                error,
                micros: at.elapsed().as_micros() as u64,
            });
        }
        let (script, limits) = (self.script, self.limits);
        self.on_engine(|engine, pooled| {
            steps::deliver(engine, &pooled.context, state, script, limits, id, response)
        })
    }

    /// Give the context back and hand over what the run gave.
    fn close(self, key: Option<ContextKey>, outcome: Result<Outcome, HookError>) -> Run {
        let (outcome, console, outbound) = self.end(key, outcome);
        let outcome = outcome.map(|mut outcome| {
            outcome.outbound = outbound;
            outcome
        });
        Run { outcome, console }
    }

    /// Give the context back; the outcome, the console lines and the outbound calls.
    fn end<T>(
        self,
        key: Option<ContextKey>,
        outcome: Result<T, HookError>,
    ) -> (Result<T, HookError>, Vec<ConsoleLine>, Vec<OutboundCall>) {
        let Driver {
            pooled,
            console,
            outbound,
            ..
        } = self;
        let closed = give_back(key, pooled, outcome.as_ref().err());
        (closed.and(outcome), console, outbound)
    }

    /// Give the context back without a result (an inline attempt handed to an executor).
    fn release(self, key: Option<ContextKey>, failure: Option<&HookError>) {
        let _ = give_back(key, self.pooled, failure);
    }
}

/// Run a web task on this thread's engine, in its pooled context (one per task).
pub(super) async fn run_task_here(
    script: &Script,
    request: &TaskRequest,
    limits: Limits,
    io: &Dispatcher,
) -> TaskRun {
    let key = Some((0, script.id()));
    let pooled = with_engine(|engine| engine.take(key, None, script.modules.clone(), Flavor::Task));
    let mut driver = match pooled {
        Ok(pooled) => Driver::new(script, limits, io, pooled),
        Err(error) => return TaskRun::failed(error),
    };
    let answer = driver.drive_task(request).await;
    let (answer, console, outbound) = driver.end(key, answer);
    TaskRun {
        answer,
        console,
        outbound,
    }
}

/// Run a cloud function on this thread's engine, in the cloud code's pooled context.
pub(super) async fn run_cloud_here(
    script: &Script,
    call: &CloudCall,
    limits: Limits,
    io: &Dispatcher,
) -> CloudRun {
    let key = Some((0, script.id()));
    let pooled =
        with_engine(|engine| engine.take(key, None, script.modules.clone(), Flavor::Cloud));
    let mut driver = match pooled {
        Ok(pooled) => Driver::new(script, limits, io, pooled),
        Err(error) => {
            return CloudRun {
                answer: Err(error),
                console: Vec::new(),
                outbound: Vec::new(),
            }
        }
    };
    let answer = driver.drive_cloud(call).await;
    let (answer, console, outbound) = driver.end(key, answer);
    CloudRun {
        answer,
        console,
        outbound,
    }
}

/// Run a background job on this thread's engine, in its pooled context (the cloud code's, or
/// the job module's own).
pub(super) async fn run_job_here(
    script: &Script,
    call: &JobCall,
    limits: Limits,
    io: &Dispatcher,
) -> JobRun {
    let key = Some((0, script.id()));
    let flavor = match call.source {
        JobSource::Cloud => Flavor::Cloud,
        JobSource::Module => Flavor::Task,
    };
    let pooled = with_engine(|engine| engine.take(key, None, script.modules.clone(), flavor));
    let mut driver = match pooled {
        Ok(pooled) => Driver::new(script, limits, io, pooled),
        Err(error) => {
            return JobRun {
                end: Err(error),
                console: Vec::new(),
            }
        }
    };
    let end = driver.drive_job(call).await;
    let (end, console, _) = driver.end(key, end);
    JobRun { end, console }
}

/// The names of the jobs cloud/main.js defines, read in the cloud code's pooled context.
pub(super) fn cloud_jobs_here(script: &Script, limits: Limits) -> Result<Vec<String>, HookError> {
    let key = Some((0, script.id()));
    let pooled =
        with_engine(|engine| engine.take(key, None, script.modules.clone(), Flavor::Cloud))?;
    let dispatcher = Dispatcher::default();
    let mut driver = Driver::new(script, limits, &dispatcher, pooled);
    let names = driver.on_engine(|_, pooled| {
        pooled.context.with(|ctx| {
            let list: rquickjs::Function = ctx
                .globals()
                .get("__elemental_cloud_jobs")
                .map_err(super::error::engine_error)?;
            let names: Vec<String> = list
                .call(())
                .catch_js(&ctx)
                .map_err(|caught| super::error::to_hook_error(script, caught, Some(limits)))?;
            Ok(names)
        })
    });
    let (names, _, _) = driver.end(key, names);
    names
}

/// Drop what the run queued and return its context to the pool (or drop it, after `failure`).
fn give_back(
    key: Option<ContextKey>,
    pooled: Pooled,
    failure: Option<&HookError>,
) -> Result<(), HookError> {
    with_engine(|engine| {
        engine.outbox.borrow_mut().clear();
        engine.give_back(key, pooled, failure);
        Ok(())
    })
}

/// The first of a completion and a sleep; `None` when the sleep ended first.
async fn first<F: std::future::Future<Output = Option<Completion>>>(
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

#[cfg(test)]
mod tests;
