//! The CPU budget of the running step: when it runs out, and the time not charged to it (the
//! engine loading an embedded module, once per context).

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
}

impl CpuClock {
    /// Arm the clock for a step that may use `left`.
    pub(super) fn arm(&self, now: Instant, left: Duration) {
        self.limit.set(Some(now + left));
        self.tripped.set(false);
        self.excluded.set(Duration::ZERO);
        self.loading.set(None);
    }

    /// Disarm it; what the step started at `started` is charged.
    pub(super) fn disarm(&self, started: Instant) -> Duration {
        self.loading(false);
        self.limit.set(None);
        started.elapsed().saturating_sub(self.excluded.take())
    }

    /// For the interrupt handler: has the step run out (then remember it did)?
    pub(super) fn over(&self, now: Instant) -> bool {
        let over = self.limit.get().is_some_and(|limit| now >= limit);
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
}
