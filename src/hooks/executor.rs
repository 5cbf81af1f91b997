//! The hook executors: threads apart from the HTTP workers for the invocations that need more
//! than a first step within a short slice (`inline`), so that a hook waiting or computing never
//! holds up accepting, reading and answering requests.
//!
//! Each executor thread owns a QuickJS runtime (its pooled contexts) and a single-threaded
//! async runtime on which many invocations interleave while they wait (timers, outbound
//! requests). Invocations wait in one queue; an executor takes the next one whenever it is not
//! running a step, so a thread held by a long step never keeps queued work from an idle one.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;

use futures_util::future::LocalBoxFuture;
use tokio::sync::{oneshot, Notify};

use super::contract::{Bound, Vars};
use super::dispatch::Dispatcher;
use super::error::HookError;
use super::invoke::{self, Options};
use super::outcome::Run;
use super::{Limits, Script};

/// How many executors and how much may wait for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Executors {
    /// Threads running hooks.
    pub threads: usize,
    /// Invocations that may wait for a thread; past it, a new one is refused (503).
    pub queue: usize,
}

impl Default for Executors {
    fn default() -> Self {
        Executors {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            queue: 4096,
        }
    }
}

/// Why an invocation was not queued.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("every hook executor is busy and {0} invocations are waiting")]
pub struct Full(pub usize);

type Job = Box<dyn FnOnce() -> LocalBoxFuture<'static, ()> + Send>;

struct Worker {
    /// Running a step of some invocation (polling a job) right now.
    busy: AtomicBool,
    wake: Notify,
}

struct Shared {
    queue: Mutex<VecDeque<(Instant, Job)>>,
    config: Executors,
    workers: Vec<Worker>,
    /// Where the search for an idle worker starts, so that work spreads over them.
    next: AtomicUsize,
    /// Invocations started, and the microseconds they waited in the queue in all.
    started: AtomicU64,
    waited: AtomicU64,
}

static SHARED: OnceLock<Arc<Shared>> = OnceLock::new();

/// Start the executors with `config`, unless they run already (the first configuration
/// wins: tests start several servers in one process). Returns the configuration in force.
pub fn start(config: Executors) -> Executors {
    shared_or(|| config).config
}

/// The executors, started with `config()` if they are not running yet (asking the system for
/// its cores reads files under /proc: not something to do per invocation).
fn shared_or(config: impl FnOnce() -> Executors) -> &'static Arc<Shared> {
    SHARED.get_or_init(|| {
        let config = config();
        let shared = Arc::new(Shared::new(Executors {
            threads: config.threads.max(1),
            queue: config.queue.max(1),
        }));
        for index in 0..shared.config.threads {
            let shared = shared.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("elemental-hooks-{index}"))
                .spawn(move || serve(shared, index));
            if let Err(error) = spawned {
                tracing::error!("cannot start hook executor {index}: {error}");
            }
        }
        shared
    })
}

/// The executors' queue now: invocations waiting, invocations started so far, and the
/// seconds those waited in all (for /metrics).
pub fn queue() -> (usize, u64, f64) {
    SHARED.get().map_or((0, 0, 0.0), |shared| {
        (
            shared.len(),
            shared.started.load(Ordering::Relaxed),
            shared.waited.load(Ordering::Relaxed) as f64 / 1e6,
        )
    })
}

/// Run one invocation on an executor and wait for it; refused at once when the queue is full.
pub(super) async fn run(
    script: &Script,
    bound: Bound,
    limits: Limits,
    io: &Dispatcher,
    options: Options,
) -> Run {
    let (script, io) = (script.clone(), io.clone());
    let work = move || -> LocalBoxFuture<'static, Run> {
        Box::pin(async move {
            invoke::run_here(&script, Vars::Held(&bound), limits, &io, options).await
        })
    };
    submit(work).await.unwrap_or_else(Run::failed)
}

/// Run `work` on an executor and wait for what it gives; refused at once when the queue is
/// full (`HookError::Busy`).
pub(super) async fn submit<T: Send + 'static>(
    work: impl FnOnce() -> LocalBoxFuture<'static, T> + Send + 'static,
) -> Result<T, HookError> {
    let (answer, answered) = oneshot::channel();
    let job: Job = Box::new(move || {
        Box::pin(async move {
            let _ = answer.send(work().await);
        })
    });
    let shared = shared_or(Executors::default);
    shared
        .submit(job)
        .map_err(|full| HookError::Busy(full.to_string()))?;
    answered
        .await
        .map_err(|_| HookError::Engine("the hook executor stopped".into()))
}

/// Start `work` on an executor and return at once (a background job: nobody waits for it);
/// refused at once when the queue is full (`HookError::Busy`).
pub(super) fn detach(
    work: impl FnOnce() -> LocalBoxFuture<'static, ()> + Send + 'static,
) -> Result<(), HookError> {
    let job: Job = Box::new(work);
    shared_or(Executors::default)
        .submit(job)
        .map_err(|full| HookError::Busy(full.to_string()))
}

impl Shared {
    fn new(config: Executors) -> Shared {
        Shared {
            queue: Mutex::new(VecDeque::new()),
            config,
            workers: (0..config.threads)
                .map(|_| Worker {
                    busy: AtomicBool::new(false),
                    wake: Notify::new(),
                })
                .collect(),
            next: AtomicUsize::new(0),
            started: AtomicU64::new(0),
            waited: AtomicU64::new(0),
        }
    }

    fn len(&self) -> usize {
        self.queue.lock().map_or(0, |q| q.len())
    }

    fn submit(&self, job: Job) -> Result<(), Full> {
        {
            let mut queue = self.queue.lock().map_err(|_| Full(0))?;
            if queue.len() >= self.config.queue {
                return Err(Full(queue.len()));
            }
            queue.push_back((Instant::now(), job));
        }
        self.wake_idle();
        Ok(())
    }

    fn take(&self) -> Option<(Instant, Job)> {
        self.queue.lock().ok()?.pop_front()
    }

    /// Wake one worker that is not running a step. When every one is, the first to finish
    /// its step looks at the queue (`Watched`): the queue is written before the flags are
    /// read here, and a flag is cleared before the queue is read there, so one side sees
    /// the other.
    fn wake_idle(&self) {
        let count = self.workers.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for offset in 0..count {
            let worker = &self.workers[(start + offset) % count];
            if !worker.busy.load(Ordering::SeqCst) {
                worker.wake.notify_one();
                return;
            }
        }
    }
}

/// One executor thread: take an invocation whenever woken and free, run it interleaved with
/// the others this thread holds.
fn serve(shared: Arc<Shared>, index: usize) {
    lower_priority();
    actix_rt::System::new().block_on(async move {
        loop {
            shared.workers[index].wake.notified().await;
            while let Some((queued, job)) = shared.take() {
                shared.started.fetch_add(1, Ordering::Relaxed);
                let waited = u64::try_from(queued.elapsed().as_micros()).unwrap_or(u64::MAX);
                shared.waited.fetch_add(waited, Ordering::Relaxed);
                let watched = Watched {
                    job: job(),
                    shared: shared.clone(),
                    index,
                };
                actix_rt::spawn(watched);
                // Let it run its first step before taking more: another idle thread may
                // take the next one meanwhile.
                actix_rt::task::yield_now().await;
            }
        }
    });
}

/// Executors run what did not fit the HTTP workers' slice — the heavy and the slow hooks — so
/// when the cores are all busy the system runs the workers (and the hooks that fit there)
/// first: one tenant's spinning hook then takes what the others leave, not half of it.
fn lower_priority() {
    // SAFETY: sets the nice value of the calling thread (on Linux `who = 0` with
    // PRIO_PROCESS names the calling thread); no memory is involved.
    let status = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 10) };
    if status != 0 {
        tracing::debug!(
            "hook executor keeps its priority: {}",
            std::io::Error::last_os_error()
        );
    }
}

/// An invocation on its executor: marks the worker busy while it runs a step, and hands
/// queued work on when the step is over.
struct Watched {
    job: LocalBoxFuture<'static, ()>,
    shared: Arc<Shared>,
    index: usize,
}

impl Future for Watched {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let worker = &self.shared.workers[self.index];
        worker.busy.store(true, Ordering::SeqCst);
        let polled = self.job.as_mut().poll(cx);
        let worker = &self.shared.workers[self.index];
        worker.busy.store(false, Ordering::SeqCst);
        if self.shared.len() > 0 {
            self.shared.wake_idle();
        }
        polled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(threads: usize, queue: usize) -> Shared {
        Shared::new(Executors { threads, queue })
    }

    fn job() -> Job {
        Box::new(|| Box::pin(async {}))
    }

    #[test]
    fn a_full_queue_refuses_at_once() {
        let shared = shared(1, 2);
        assert!(shared.submit(job()).is_ok());
        assert!(shared.submit(job()).is_ok());
        let refused = shared.submit(job());
        assert!(matches!(refused, Err(Full(2))), "{refused:?}");
        assert!(shared.take().is_some());
        assert!(shared.submit(job()).is_ok(), "room again once one is taken");
    }

    #[test]
    fn work_goes_to_a_worker_that_is_not_running_a_step() {
        let shared = shared(2, 8);
        shared.workers[0].busy.store(true, Ordering::SeqCst);
        shared.next.store(0, Ordering::SeqCst);
        shared.wake_idle();
        // The idle worker holds the wake-up (a stored permit); the busy one does not.
        let idle = shared.workers[1].wake.notified();
        let busy = shared.workers[0].wake.notified();
        let waker = futures_util::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let mut idle = std::pin::pin!(idle);
        let mut busy = std::pin::pin!(busy);
        assert!(idle.as_mut().poll(&mut cx).is_ready());
        assert!(busy.as_mut().poll(&mut cx).is_pending());
    }
}
