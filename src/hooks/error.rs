//! Why a hook failed: caught JS errors and limits mapped to `HookError`, located in the
//! user's file, and the one classification of hook errors metrics and tools name.

use rquickjs::{CaughtError, Ctx, Value};

use super::contract;
use super::{Limits, Script};

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
    #[error("{hook}: exceeded its CPU budget of {budget_ms} ms")]
    CpuTime { hook: String, budget_ms: u128 },
    /// Refused before it ran: the executors' queue is full.
    #[error("hook not run: {0}")]
    Busy(String),
    #[error("{hook}: exceeded its memory limit of {limit_mib} MiB")]
    Memory { hook: String, limit_mib: usize },
    #[error("{hook}: {message}")]
    BadResult { hook: String, message: String },
    #[error("hook engine failed: {0}")]
    Engine(String),
}

/// What kind of failure a `HookError` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Script,
    Timeout,
    Memory,
    Result,
    Engine,
    /// Not run: no executor could take it in time.
    Busy,
}

impl Class {
    /// The label of the failure metric: `script`, `timeout`, `memory`, `result`, `engine`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Script => "script",
            Class::Timeout => "timeout",
            Class::Memory => "memory",
            Class::Result => "result",
            Class::Engine => "engine",
            Class::Busy => "busy",
        }
    }

    /// The error name tools show when there is no JS error to name (`hook run`).
    pub fn error_name(self) -> &'static str {
        match self {
            Class::Script => "Error",
            Class::Timeout => "TimeoutError",
            Class::Memory => "MemoryError",
            Class::Result => "ResultError",
            Class::Engine => "EngineError",
            Class::Busy => "BusyError",
        }
    }

    /// A limit was hit: the context may be half-way through anything.
    pub fn is_limit(self) -> bool {
        matches!(self, Class::Timeout | Class::Memory)
    }
}

impl HookError {
    /// The JS error, when the failure was one.
    pub fn js(&self) -> Option<&JsError> {
        match self {
            HookError::Script { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The one classification of hook failures (metrics, `hook run`, the context pool).
    pub fn class(&self) -> Class {
        match self {
            HookError::Script { .. } => Class::Script,
            HookError::Timeout { .. } | HookError::CpuTime { .. } => Class::Timeout,
            HookError::Busy(_) => Class::Busy,
            HookError::Memory { .. } => Class::Memory,
            HookError::BadResult { .. } => Class::Result,
            HookError::Engine(_) => Class::Engine,
        }
    }

    pub(super) fn timeout(script: &Script, limits: Limits) -> HookError {
        HookError::Timeout {
            hook: script.label.clone(),
            budget_ms: limits.time.as_millis(),
        }
    }
}

/// A caught JS error as the hook's error. With `limits`, QuickJS's interrupt and its
/// out-of-memory error are the hook's limits.
pub(super) fn to_hook_error(
    script: &Script,
    caught: CaughtError<'_>,
    limits: Option<Limits>,
) -> HookError {
    let hook = script.label.clone();
    let message = caught_message(&caught);
    if let Some(limits) = limits {
        if message.contains("interrupted") {
            return HookError::timeout(script, limits);
        }
        if message.contains("out of memory") {
            return HookError::Memory {
                hook,
                limit_mib: limits.memory / (1024 * 1024),
            };
        }
    }
    let (name, stack) = name_and_stack(&caught);
    // A module is compiled as written; a hook's first line carries the wrapper's prefix.
    let prefix_len = match script.module {
        true => 0,
        false => contract::prefix(script.legacy, script.reads)
            .chars()
            .count(),
    };
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
pub(super) fn name_and_stack(caught: &CaughtError<'_>) -> (String, String) {
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

pub(super) fn caught_message(caught: &CaughtError<'_>) -> String {
    match caught {
        CaughtError::Exception(e) => e.message().unwrap_or_default(),
        CaughtError::Value(v) => describe(v),
        CaughtError::Error(e) => e.to_string(),
    }
}

/// A short text for any thrown or rejected value.
pub(super) fn describe(value: &Value<'_>) -> String {
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

/// A failure of the engine itself (not of the script).
pub(super) fn engine_error(e: rquickjs::Error) -> HookError {
    HookError::Engine(e.to_string())
}

use rquickjs::CatchResultExt as _;

/// `catch` under a name that does not shadow `Result` methods in the callers.
pub(super) trait CatchJs<'js, T> {
    fn catch_js(self, ctx: &Ctx<'js>) -> Result<T, CaughtError<'js>>;
}

impl<'js, T> CatchJs<'js, T> for rquickjs::Result<T> {
    fn catch_js(self, ctx: &Ctx<'js>) -> Result<T, CaughtError<'js>> {
        self.catch(ctx)
    }
}
