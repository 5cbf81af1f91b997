//! The CPU budget of the running step: when it runs out, and the time not charged to it (the
//! engine loading an embedded module, once per context).
//!
//! Time is read on the monotonic clock (cheap: the vDSO). A step never waits, so that is its
//! CPU time unless the system gave the thread to others meanwhile. For a short budget (the
//! HTTP worker's slice) that difference decides: when such a budget seems spent, the thread's
//! own CPU clock (a system call) is read, and the step is stopped only if over one more such
//! window the thread mostly ran. A step that ends in time never pays for the system call.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// Shared by a thread's engine, its interrupt handler and the `host.loading` function.
#[derive(Debug, Default)]
pub(super) struct CpuClock {
    /// When the running step has used the rest of its invocation's CPU budget.
    limit: Cell<Option<Instant>>,
    /// Whether running out stopped the step.
    tripped: Cell<bool>,
    /// Time of the running step not charged to it, so far.
    excluded: Cell<Duration>,
    /// While the engine loads a module: since when, how deep, and the limit put aside.
    loading: Cell<Option<(Instant, u32, Option<Instant>)>>,
    /// A short budget (checked on the thread's CPU clock), and once it seemed spent, that
    /// clock and the time when it was read.
    short: Cell<Option<Duration>>,
    probe: Cell<Option<(Duration, Instant)>>,
}

/// Budgets below this are confirmed on the thread's CPU clock before a step is stopped.
const PRECISE_BELOW: Duration = Duration::from_millis(50);

impl CpuClock {
    /// Arm the clock for a step that may use `left`.
    pub(super) fn arm(&self, now: Instant, left: Duration) {
        self.limit.set(Some(now + left));
        self.tripped.set(false);
        self.excluded.set(Duration::ZERO);
        self.loading.set(None);
        self.short.set((left < PRECISE_BELOW).then_some(left));
        self.probe.set(None);
    }

    /// Disarm it; what the step started at `started` is charged.
    pub(super) fn disarm(&self, started: Instant) -> Duration {
        self.loading(false);
        self.limit.set(None);
        started.elapsed().saturating_sub(self.excluded.take())
    }

    /// For the interrupt handler: has the step run out (then remember it did)?
    pub(super) fn over(&self, now: Instant) -> bool {
        let mut over = self.limit.get().is_some_and(|limit| now >= limit);
        if let (true, Some(window)) = (over, self.short.get()) {
            // Without a CPU clock the monotonic one decides.
            if let Some(cpu) = thread_cpu() {
                over = match self.probe.get() {
                    // Ran at least half of the last window: computing, not preempted.
                    Some((before, at)) => cpu.saturating_sub(before) * 2 >= now.duration_since(at),
                    None => false,
                };
                if !over {
                    self.probe.set(Some((cpu, now)));
                    self.limit.set(Some(now + window));
                }
            }
        }
        self.tripped.set(over);
        over
    }

    pub(super) fn tripped(&self) -> bool {
        self.tripped.get()
    }

    /// The engine starts (`true`) or ends loading an embedded module: the time between is not
    /// charged and the limit moves by it. Nested loads count once.
    pub(super) fn loading(&self, start: bool) {
        match (start, self.loading.get()) {
            (true, None) => self
                .loading
                .set(Some((Instant::now(), 1, self.limit.take()))),
            (true, Some((since, depth, limit))) => {
                self.loading.set(Some((since, depth + 1, limit)))
            }
            (false, Some((since, depth, limit))) if depth > 1 => {
                self.loading.set(Some((since, depth - 1, limit)))
            }
            (false, Some((since, _, limit))) => {
                self.loading.set(None);
                let took = since.elapsed();
                self.excluded.set(self.excluded.get() + took);
                self.limit.set(limit.map(|l| l + took));
            }
            (false, None) => {}
        }
    }
}

/// CPU time the calling thread has used, if the system can say.
fn thread_cpu() -> Option<Duration> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec the call writes into; nothing else is touched.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    (status == 0).then(|| Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loading_is_not_charged_and_moves_the_limit() {
        let clock = CpuClock::default();
        let started = Instant::now();
        clock.arm(started, Duration::from_millis(5));
        clock.loading(true);
        clock.loading(true);
        assert!(
            !clock.over(started + Duration::from_secs(60)),
            "no limit while loading"
        );
        std::thread::sleep(Duration::from_millis(20));
        clock.loading(false);
        clock.loading(false);
        assert!(!clock.over(Instant::now()), "the limit moved by the load");
        let charged = clock.disarm(started);
        assert!(charged < Duration::from_millis(15), "{charged:?}");
    }

    #[test]
    fn a_short_budget_is_not_spent_by_sleeping() {
        let clock = CpuClock::default();
        let started = Instant::now();
        clock.arm(started, Duration::from_millis(5));
        // The thread sleeps (as when preempted): the wall clock passes the budget, its CPU not.
        std::thread::sleep(Duration::from_millis(20));
        assert!(!clock.over(Instant::now()), "sleeping is not CPU");
        let spin = Instant::now();
        while spin.elapsed() < Duration::from_millis(30) {
            std::hint::black_box(0);
        }
        assert!(clock.over(Instant::now()), "spinning is");
        assert!(clock.tripped());
    }
}
