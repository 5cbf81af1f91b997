//! Admission control per instance: a fair-share gate around hook executions, a token bucket of requests, and a server-wide bound on waiting.
//!
//! One `Registry` serves every instance, keyed by instance id, behind one mutex (each
//! operation holds it for a few hash-map steps). It costs nothing for an idle instance: a gate
//! is dropped when nothing runs or waits, a bucket is pruned once it has refilled, and there
//! are no per-instance threads or timers: a waiter is woken by the permit released before it.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Instant;

use tokio::sync::oneshot;

/// What an element's or an instance's `limits:` says about fair share; what it leaves unset
/// comes from the level below (instance over element over server).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Fairness {
    /// At most this many hook executions of one instance at a time.
    pub concurrency: Option<usize>,
    /// How many more of the instance's hook executions may wait for a slot.
    pub queue: Option<usize>,
    /// Requests per second of one instance.
    pub rate: Option<Rate>,
}

impl Fairness {
    /// `self` over `lower`: each setting `self` gives wins.
    pub fn over(self, lower: Fairness) -> Fairness {
        Fairness {
            concurrency: self.concurrency.or(lower.concurrency),
            queue: self.queue.or(lower.queue),
            rate: self.rate.or(lower.rate),
        }
    }

    /// The gate's bounds, the server's defaults filling what is unset.
    pub fn bounds(&self, defaults: &Defaults) -> Bounds {
        Bounds {
            running: self.concurrency.unwrap_or(defaults.concurrency).max(1),
            waiting: self.queue.unwrap_or(defaults.queue),
        }
    }
}

/// A token bucket's settings: refills `per_second` tokens a second, holds at most `burst`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: u32,
}

/// The server's defaults (`--instance-concurrency`, `--instance-queue`, `--max-waiting`).
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    pub concurrency: usize,
    pub queue: usize,
    /// Hook executions that may wait for a slot, all instances together.
    pub max_waiting: usize,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            concurrency: default_concurrency(),
            queue: 64,
            max_waiting: 1024,
        }
    }
}

/// One less than the cores, the hook executors' default number (at least one): a single
/// instance can never hold every hook executor, so another tenant always finds one free.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_sub(1)
        .max(1)
}

/// The bounds of one instance's gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub running: usize,
    pub waiting: usize,
}

/// Why a request or a hook execution was not admitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    #[error("is over its rate limit of {per_second} requests per second (burst {burst}); retry in {retry_after} s")]
    Rate {
        per_second: f64,
        burst: u32,
        retry_after: u64,
    },
    #[error("has {running} hook executions running and {waiting} waiting")]
    Busy { running: usize, waiting: usize },
    #[error("server busy: shed ({0})")]
    Shed(Shed),
}

/// Why a wait for a slot was shed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Shed {
    #[error("{0} hook executions are already waiting server-wide")]
    Full(usize),
    #[error("no hook slot of the instance came free within the hook's time budget of {0} ms")]
    TooLong(u128),
}

impl Refused {
    /// Seconds the caller should wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> u64 {
        match self {
            Refused::Rate { retry_after, .. } => *retry_after,
            Refused::Busy { .. } | Refused::Shed(_) => 1,
        }
    }

    /// The metrics' reason: `rate`, `concurrency` or `shed`.
    pub fn reason(&self) -> &'static str {
        match self {
            Refused::Rate { .. } => "rate",
            Refused::Busy { .. } => "concurrency",
            Refused::Shed(_) => "shed",
        }
    }

    /// What the caller reads: the instance's own limit, or the server's.
    pub fn message(&self, instance: &str) -> String {
        match self {
            Refused::Shed(_) => self.to_string(),
            _ => format!("instance {instance} {self}"),
        }
    }
}

/// One instance's running hook executions and its FIFO of waiters.
#[derive(Default)]
struct Gate {
    running: usize,
    waiters: VecDeque<(u64, oneshot::Sender<()>)>,
}

/// Tokens left at `at`; a full bucket is the same as none, so it may be forgotten.
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// Take one token at `now`, or the whole seconds until one is there (at least 1).
    fn take(&mut self, rate: Rate, now: Instant) -> Result<(), u64> {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate.per_second).min(f64::from(rate.burst));
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return Ok(());
        }
        let seconds = ((1.0 - self.tokens) / rate.per_second).ceil();
        Err((seconds as u64).max(1))
    }

    /// Whether the bucket will have refilled by `now` at any rate of at least `slowest`.
    fn refilled(&self, now: Instant, burst: f64, slowest: f64) -> bool {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens + elapsed * slowest >= burst
    }
}

/// Buckets are swept once their number doubles since the last sweep (amortized O(1)).
const FIRST_SWEEP: usize = 1024;

#[derive(Default)]
struct Inner {
    gates: HashMap<i64, Gate>,
    buckets: HashMap<i64, (Bucket, Rate)>,
    /// Waiters of every instance together.
    waiting: usize,
    next_ticket: u64,
    sweep_at: usize,
}

/// Admission state of every instance.
pub struct Registry {
    inner: Mutex<Inner>,
    max_waiting: usize,
}

/// The result of `Registry::acquire`: a slot now, or a place in the instance's queue.
pub enum Admit<'a> {
    Now(Permit<'a>),
    Queued(Waiting<'a>),
}

impl Registry {
    pub fn new(max_waiting: usize) -> Registry {
        Registry {
            inner: Mutex::new(Inner {
                sweep_at: FIRST_SWEEP,
                ..Inner::default()
            }),
            max_waiting,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Take one of the instance's request tokens now.
    pub fn check_rate(&self, id: i64, rate: Rate) -> Result<(), Refused> {
        self.check_rate_at(id, rate, Instant::now())
    }

    /// `check_rate` at a given instant of the monotonic clock (tests pass their own).
    pub fn check_rate_at(&self, id: i64, rate: Rate, now: Instant) -> Result<(), Refused> {
        let mut inner = self.lock();
        let full = Bucket {
            tokens: f64::from(rate.burst),
            at: now,
        };
        let (bucket, kept) = inner.buckets.entry(id).or_insert((full, rate));
        *kept = rate;
        let taken = bucket.take(rate, now);
        if inner.buckets.len() >= inner.sweep_at {
            inner
                .buckets
                .retain(|_, (b, r)| !b.refilled(now, f64::from(r.burst), r.per_second));
            inner.sweep_at = (inner.buckets.len() * 2).max(FIRST_SWEEP);
        }
        taken.map_err(|retry_after| Refused::Rate {
            per_second: rate.per_second,
            burst: rate.burst,
            retry_after,
        })
    }

    /// A slot for one hook execution of instance `id`: at once while fewer than
    /// `bounds.running` run and nobody waits; else a place at the end of its queue, unless
    /// `bounds.waiting` already wait (`Busy`) or the server's bound is reached (`Shed`).
    pub fn acquire(&self, id: i64, bounds: Bounds) -> Result<Admit<'_>, Refused> {
        let mut guard = self.lock();
        let inner = &mut *guard;
        let gate = inner.gates.entry(id).or_default();
        if gate.running < bounds.running && gate.waiters.is_empty() {
            gate.running += 1;
            return Ok(Admit::Now(Permit { registry: self, id }));
        }
        if gate.waiters.len() >= bounds.waiting {
            let refused = Refused::Busy {
                running: gate.running,
                waiting: gate.waiters.len(),
            };
            if gate.running == 0 && gate.waiters.is_empty() {
                inner.gates.remove(&id);
            }
            return Err(refused);
        }
        if inner.waiting >= self.max_waiting {
            return Err(Refused::Shed(Shed::Full(inner.waiting)));
        }
        let (wake, woken) = oneshot::channel();
        let ticket = inner.next_ticket;
        inner.next_ticket += 1;
        gate.waiters.push_back((ticket, wake));
        inner.waiting += 1;
        Ok(Admit::Queued(Waiting {
            registry: self,
            id,
            ticket,
            woken,
            admitted: false,
        }))
    }

    /// Hook executions of `id` running and waiting now.
    pub fn load(&self, id: i64) -> (usize, usize) {
        self.lock()
            .gates
            .get(&id)
            .map_or((0, 0), |g| (g.running, g.waiters.len()))
    }

    /// Hook executions waiting for a slot, all instances together.
    pub fn waiting(&self) -> usize {
        self.lock().waiting
    }

    /// How many instances have a gate or a bucket kept (idle ones have neither for long).
    pub fn entries(&self) -> usize {
        let inner = self.lock();
        inner.gates.len() + inner.buckets.len()
    }

    /// Give a finished execution's slot to the first waiter, or free it.
    fn release(&self, id: i64) {
        let mut guard = self.lock();
        let inner = &mut *guard;
        let Some(gate) = inner.gates.get_mut(&id) else {
            return;
        };
        while let Some((_, wake)) = gate.waiters.pop_front() {
            inner.waiting -= 1;
            // Fails only when the waiter is gone; the slot then goes to the next one.
            if wake.send(()).is_ok() {
                return;
            }
        }
        gate.running = gate.running.saturating_sub(1);
        if gate.running == 0 {
            inner.gates.remove(&id);
        }
    }

    /// A waiter that goes away: out of the queue if still in it; if its slot was already
    /// handed over (it went before seeing it), that slot goes on to the next waiter.
    fn leave(&self, id: i64, ticket: u64) {
        let mut guard = self.lock();
        let inner = &mut *guard;
        let Some(gate) = inner.gates.get_mut(&id) else {
            return;
        };
        match gate.waiters.iter().position(|(t, _)| *t == ticket) {
            Some(at) => {
                gate.waiters.remove(at);
                inner.waiting -= 1;
                if gate.running == 0 && gate.waiters.is_empty() {
                    inner.gates.remove(&id);
                }
            }
            None => {
                drop(guard);
                self.release(id);
            }
        }
    }
}

/// One running hook execution's slot, given back when dropped.
pub struct Permit<'a> {
    registry: &'a Registry,
    id: i64,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.registry.release(self.id);
    }
}

/// A place in an instance's queue: resolves to a permit when a slot is handed over.
/// Dropped before that (a timeout, a caller gone), it leaves the queue.
pub struct Waiting<'a> {
    registry: &'a Registry,
    id: i64,
    ticket: u64,
    woken: oneshot::Receiver<()>,
    admitted: bool,
}

impl<'a> Future for Waiting<'a> {
    type Output = Permit<'a>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit<'a>> {
        match Pin::new(&mut self.woken).poll(cx) {
            // The sender is only dropped after sending (`release`): either way the slot is ours.
            Poll::Ready(_) => {
                self.admitted = true;
                Poll::Ready(Permit {
                    registry: self.registry,
                    id: self.id,
                })
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if !self.admitted {
            self.registry.leave(self.id, self.ticket);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Waker;
    use std::time::Duration;

    const ONE: Bounds = Bounds {
        running: 1,
        waiting: 1,
    };

    fn now<'a>(admit: Result<Admit<'a>, Refused>) -> Permit<'a> {
        match admit {
            Ok(Admit::Now(permit)) => permit,
            Ok(Admit::Queued(_)) => panic!("queued, expected a slot now"),
            Err(e) => panic!("refused: {e}"),
        }
    }

    fn queued<'a>(admit: Result<Admit<'a>, Refused>) -> Waiting<'a> {
        match admit {
            Ok(Admit::Queued(waiting)) => waiting,
            Ok(Admit::Now(_)) => panic!("a slot now, expected to wait"),
            Err(e) => panic!("refused: {e}"),
        }
    }

    /// Poll once, without a runtime: the gate wakes waiters by handing them the slot.
    fn ready<'a>(waiting: &mut Pin<&mut Waiting<'a>>) -> Option<Permit<'a>> {
        let mut cx = Context::from_waker(Waker::noop());
        match waiting.as_mut().poll(&mut cx) {
            Poll::Ready(permit) => Some(permit),
            Poll::Pending => None,
        }
    }

    #[test]
    fn a_full_instance_queues_then_refuses_and_slots_pass_in_order() {
        let registry = Registry::new(100);
        let running = now(registry.acquire(1, ONE));
        let mut first = std::pin::pin!(queued(registry.acquire(1, ONE)));
        assert_eq!(
            registry.acquire(1, ONE).err(),
            Some(Refused::Busy {
                running: 1,
                waiting: 1
            })
        );
        assert!(ready(&mut first).is_none());
        drop(running);
        let permit = ready(&mut first).expect("the slot was handed to the first waiter");
        assert_eq!(registry.load(1), (1, 0));
        drop(permit);
        assert_eq!(registry.load(1), (0, 0));
        assert_eq!(registry.entries(), 0, "an idle instance keeps no gate");
    }

    #[test]
    fn a_blocked_instance_does_not_delay_another() {
        let registry = Registry::new(100);
        let _busy = now(registry.acquire(1, ONE));
        let _waiting = queued(registry.acquire(1, ONE));
        assert!(registry.acquire(1, ONE).is_err());
        // Instance 2 gets its slot at once, ahead of instance 1's waiter.
        let _other = now(registry.acquire(2, ONE));
        assert_eq!(registry.load(2), (1, 0));
    }

    #[test]
    fn a_cancelled_waiter_frees_its_place() {
        let registry = Registry::new(100);
        let running = now(registry.acquire(1, ONE));
        let waiting = queued(registry.acquire(1, ONE));
        assert_eq!(registry.waiting(), 1);
        drop(waiting);
        assert_eq!(registry.waiting(), 0);
        assert_eq!(registry.load(1), (1, 0));
        let mut next = std::pin::pin!(queued(registry.acquire(1, ONE)));
        drop(running);
        assert!(ready(&mut next).is_some());
    }

    #[test]
    fn a_waiter_gone_after_its_slot_was_handed_over_passes_it_on() {
        let registry = Registry::new(100);
        let bounds = Bounds {
            running: 1,
            waiting: 2,
        };
        let running = now(registry.acquire(1, bounds));
        let gone = queued(registry.acquire(1, bounds));
        let mut last = std::pin::pin!(queued(registry.acquire(1, bounds)));
        drop(running); // the slot goes to `gone`, which never looks
        drop(gone);
        let permit = ready(&mut last);
        assert!(permit.is_some());
        assert_eq!(registry.load(1), (1, 0));
        drop(permit);
        assert_eq!(registry.entries(), 0);
    }

    #[test]
    fn waits_past_the_server_bound_are_shed() {
        let registry = Registry::new(1);
        let _a = now(registry.acquire(1, ONE));
        let _b = now(registry.acquire(2, ONE));
        let _waiting = queued(registry.acquire(1, ONE));
        assert_eq!(
            registry.acquire(2, ONE).err(),
            Some(Refused::Shed(Shed::Full(1)))
        );
        assert_eq!(
            registry.acquire(2, ONE).err().map(|r| r.retry_after()),
            Some(1)
        );
    }

    #[test]
    fn the_bucket_refills_at_its_rate() {
        let registry = Registry::new(1);
        let rate = Rate {
            per_second: 0.5,
            burst: 2,
        };
        let t0 = Instant::now();
        assert!(registry.check_rate_at(1, rate, t0).is_ok());
        assert!(registry.check_rate_at(1, rate, t0).is_ok());
        let refused = registry.check_rate_at(1, rate, t0).err();
        assert_eq!(refused.map(|r| r.retry_after()), Some(2));
        // Another instance has its own bucket.
        assert!(registry.check_rate_at(2, rate, t0).is_ok());
        let later = t0 + Duration::from_millis(1500);
        let refused = registry.check_rate_at(1, rate, later).err();
        assert_eq!(
            refused.map(|r| r.retry_after()),
            Some(1),
            "0.75 token: 0.5 s to go, rounded up"
        );
        assert!(registry
            .check_rate_at(1, rate, t0 + Duration::from_secs(2))
            .is_ok());
    }

    #[test]
    fn idle_instances_cost_nothing() {
        let registry = Registry::new(1);
        let rate = Rate {
            per_second: 1000.0,
            burst: 1,
        };
        let t0 = Instant::now();
        for id in 0..10_000 {
            let at = t0 + Duration::from_millis(id as u64);
            assert!(registry.check_rate_at(id, rate, at).is_ok());
            drop(now(registry.acquire(id, ONE)));
        }
        // Every bucket but the last few has refilled: swept as the map grew.
        assert!(
            registry.entries() <= 2 * FIRST_SWEEP,
            "{}",
            registry.entries()
        );
    }
}
