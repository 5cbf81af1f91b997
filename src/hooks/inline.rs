//! Which invocations run on the calling HTTP worker: a script's, unless one of its invocations
//! recently needed more than a first step within `SLICE` of CPU (then its script goes to the
//! hook executors for `AWAY`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The CPU an invocation may use on an HTTP worker: the longest the worker's other requests
/// wait for it. A warm hook's step takes tens of microseconds.
pub(super) const SLICE: Duration = Duration::from_millis(2);

/// How long a script that needed an executor keeps going to the executors before it is tried
/// on the worker again.
const AWAY: Duration = Duration::from_secs(30);

/// Scripts marked too heavy for this worker are at most this many; past it, the oldest marks
/// are forgotten (their scripts are tried again).
const MARKS: usize = 1024;

thread_local! {
    /// Scripts (by `invoke::script_id`) sent to the executors, and until when.
    static AWAY_UNTIL: RefCell<HashMap<usize, Instant>> = RefCell::new(HashMap::new());
}

/// Whether an invocation of the script may be tried on this thread.
pub(super) fn fits(script: usize) -> bool {
    AWAY_UNTIL.with(|marks| {
        let mut marks = marks.borrow_mut();
        match marks.get(&script) {
            None => true,
            Some(until) if Instant::now() >= *until => {
                marks.remove(&script);
                true
            }
            Some(_) => false,
        }
    })
}

/// The script needed more than this thread gives: send it to the executors for a while.
pub(super) fn offloaded(script: usize) {
    AWAY_UNTIL.with(|marks| {
        let mut marks = marks.borrow_mut();
        let now = Instant::now();
        if marks.len() >= MARKS {
            marks.retain(|_, until| *until > now);
        }
        if marks.len() < MARKS {
            marks.insert(script, now + AWAY);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_sent_away_comes_back_later() {
        assert!(fits(1));
        offloaded(1);
        assert!(!fits(1));
        assert!(fits(2));
        AWAY_UNTIL.with(|m| m.borrow_mut().insert(1, Instant::now()));
        assert!(fits(1));
    }
}
