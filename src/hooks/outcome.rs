//! What a hook run gives back: its outcome and its console lines (plain data, shared by the
//! driver, its steps and the pool).

use serde_json::{Map, Value};

use super::contract::HookResult;
use super::error::HookError;

/// What a run gave: its outcome, and the console lines it wrote either way.
#[derive(Debug)]
pub struct Run {
    pub outcome: Result<Outcome, HookError>,
    pub console: Vec<ConsoleLine>,
}

impl Run {
    /// A run that failed before the hook ran (nothing on its console).
    pub fn failed(error: HookError) -> Run {
        Run {
            outcome: Err(error),
            console: Vec::new(),
        }
    }
}

/// A run that finished.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Whether `done()` was called.
    pub called: bool,
    /// What the hook asked for, read by its kind.
    pub result: HookResult,
    /// The result as JSON, when `Options::raw` asked for it.
    pub raw: Option<Raw>,
    /// The outbound calls (HTTP, email) the hook made, for traces and metrics.
    pub outbound: Vec<OutboundCall>,
}

/// A result as the script gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Raw {
    /// The first `done()` argument (null when called without one, or not called).
    pub done: Value,
    /// The result object: the first `done()` argument, else an object the script returned.
    /// `None` means pass everything through unchanged.
    pub result: Option<Map<String, Value>>,
}

/// A line a hook wrote with `console.*` (`level` is the method: info, warn, error, debug),
/// or a `notice` from the engine about the contract (a second `done()`, an exception after it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConsoleLine {
    pub level: String,
    pub message: String,
}

/// One outbound call a hook made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutboundCall {
    /// `http` or `email`.
    pub kind: String,
    /// `GET https://…` or the recipients.
    pub target: String,
    /// The HTTP status; `None` when the call failed (then `error` says why) or for email.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub micros: u64,
}
