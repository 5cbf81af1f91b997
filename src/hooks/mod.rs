//! Hook scripts: the only module that names rquickjs. Plain Rust values in, plain values out.
//!
//! - `contract` — the variables a hook sees and how its `done()` result is read.
//! - `engine` — the QuickJS runtime of each worker thread, its limits, and one invocation.
//! - `ce` — the host side of the `CE` library (hashes, HMACs, encodings).

pub mod ce;
pub mod contract;
mod engine;
mod host;
pub mod modules;

use std::sync::Arc;
use std::time::Duration;

pub use contract::{Kind, Reads, VARIABLES};
pub use engine::{
    check, check_module, run, run_at, run_mocked, run_pooled, set_mailer, take_console, ContextKey,
    MockedResponse, ModuleError,
};

/// The variables of one invocation by name, borrowed: they become JS values
/// straight from the caller's own, with no copy in between. Absent ones are `undefined`.
pub type Variables<'a> = [(&'a str, &'a serde_json::Value)];

/// Where a hook's script text lives, so errors can point into the user's own file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file a user opens: `elements/democrm/hooks/pre.js` or the element file itself.
    pub file: String,
    /// Line and column of the script's first character in `file` (1-based).
    pub line: usize,
    pub column: usize,
    /// False when the script is a quoted string inside the element file (a JSON export):
    /// then script lines do not map to file lines and locations are reported relative to
    /// the script, after the hook's own position.
    pub exact: bool,
}

impl Origin {
    /// A script that is a whole file of its own: its lines and columns are the file's.
    pub fn file(file: impl Into<String>) -> Origin {
        Origin {
            file: file.into(),
            line: 1,
            column: 1,
            exact: true,
        }
    }
}

/// One hook script, as loaded and compiled from an element.
#[derive(Debug, Clone)]
pub struct Script {
    /// How people name this hook: `global preRequest`, `resource postRequest GET /hubs/crm/contacts`.
    pub label: String,
    pub origin: Origin,
    pub source: Arc<str>,
    /// `isLegacy: true`: sloppy mode, `print` and `base64Encode`.
    pub legacy: bool,
    /// The element's own modules, for `require('./lib/x.js')`.
    pub modules: Arc<modules::Modules>,
    /// Where the hook's outbound HTTP may go.
    pub egress: Arc<crate::egress::Policy>,
    /// `onError: continue`: a failure of this hook is logged and the request goes on as if
    /// the hook had passed everything through (fail open). Off by default (fail closed).
    pub fail_open: bool,
    /// The variables the script names; the others are not built for it.
    pub reads: contract::Reads,
}

impl Script {
    /// A V2 script without element modules, under the default egress policy, failing
    /// closed; which variables it reads follows from its text. Set the other fields with
    /// struct update syntax (`Script { legacy: true, ..Script::new(…) }`).
    pub fn new(label: impl Into<String>, origin: Origin, source: &str) -> Script {
        Script {
            label: label.into(),
            origin,
            reads: Reads::of(source),
            source: source.into(),
            legacy: false,
            modules: Default::default(),
            egress: Default::default(),
            fail_open: false,
        }
    }
}

/// The limits one invocation runs under.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock budget, including the time spent draining promise jobs.
    pub time: Duration,
    /// Memory of the worker's JS runtime.
    pub memory: usize,
    /// Native stack for JS recursion.
    pub stack: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(10),
            memory: 64 * 1024 * 1024,
            stack: 512 * 1024,
        }
    }
}

/// A line a hook wrote with `console.*` (`level` is the method: info, warn, error, debug),
/// or a `notice` from the engine about the contract (a second `done()`, an exception after it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConsoleLine {
    pub level: String,
    pub message: String,
}

/// What a hook invocation produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Whether `done()` was called.
    pub called: bool,
    /// The result object: the first `done()` argument, else an object the script returned.
    /// `None` means pass everything through unchanged.
    pub result: Option<serde_json::Map<String, serde_json::Value>>,
    /// The first `done()` argument as given (null when called without one).
    pub done: serde_json::Value,
    pub console: Vec<ConsoleLine>,
    /// The outbound calls (HTTP, email) the hook made, for traces and metrics.
    pub outbound: Vec<OutboundCall>,
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

/// A JavaScript error with its place in the user's file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JsError {
    pub name: String,
    pub message: String,
    /// `file:line:column`, in the user's file when it can be known.
    pub location: String,
}

/// Why a hook did not produce a usable result.
#[derive(Debug, Clone, thiserror::Error)]
pub enum HookError {
    #[error("{hook}: {}: {} at {}", .error.name, .error.message, .error.location)]
    Script { hook: String, error: JsError },
    #[error("{hook}: exceeded its time budget of {budget_ms} ms")]
    Timeout { hook: String, budget_ms: u128 },
    #[error("{hook}: exceeded its memory limit of {limit_mib} MiB")]
    Memory { hook: String, limit_mib: usize },
    #[error("{hook}: {message}")]
    BadResult { hook: String, message: String },
    #[error("hook engine failed: {0}")]
    Engine(String),
}

impl HookError {
    /// The JS error, when the failure was one.
    pub fn js(&self) -> Option<&JsError> {
        match self {
            HookError::Script { error, .. } => Some(error),
            _ => None,
        }
    }
}
