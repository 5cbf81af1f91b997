//! Hook scripts: the only module that names rquickjs. Plain Rust values in, plain values out.
//!
//! - `contract` — the variables each kind of hook sees (`HookInput`) and what its `done()`
//!   result means (`HookResult`), read once, here.
//! - `invoke` — one invocation driven to its end (`run`); `steps` are its pieces on the engine;
//!   `outcome` — what a run gives back (its result and console lines).
//! - `pool` — the QuickJS runtime of each worker thread, its pooled contexts, the limits.
//! - `convert` — JS ↔ Rust values; `error` — why a hook failed, and where.
//! - `dispatch` — where outbound HTTP and email go; `host` — the host functions of the JS side.
//! - `compile` — compiling and checking scripts; `ce` — the host side of the `CE` library.
//! - `cloud` — Parse Cloud Code: one call of a function cloud/main.js defined, on the same
//!   engine (js-stdlib/cloud.js drives it).
//! - `task` — web tasks: an ES module's `authenticate` and method handlers run for one HTTP
//!   request on the same engine (`task_steps` are its steps).
//! - `job` — background jobs: `Parse.Cloud.job` or a jobs/<name>.js module run on a hook
//!   executor and left running there (js-stdlib/job.js drives it and its `status`).

pub mod ce;
mod cloud;
mod compile;
pub mod contract;
mod convert;
mod cpu;
mod dispatch;
mod error;
pub mod executor;
mod host;
mod inline;
mod invoke;
mod job;
pub mod modules;
mod outcome;
mod pool;
mod steps;
mod task;
mod task_steps;
pub mod webhook;

use std::sync::Arc;

pub use cloud::{run_cloud, CloudAnswer, CloudCall, CloudRun};
pub use compile::{check, check_module, ModuleError};
pub use contract::{
    EventResult, EventVars, Events, HookInput, HookResult, Kind, NoEvents, PostResponseResult,
    PreRequestResult, Reads, RequestVars, ResponseVars, Variable, VARIABLES,
};
pub use dispatch::{Dispatcher, MockedResponse, Services};
pub use error::{Class, HookError, JsError};
pub use invoke::{run, run_blocking, Options};
pub use job::{cloud_jobs, start_job, JobCall, JobDone, JobEnd, JobRun, JobSource};
pub use outcome::{ConsoleLine, OutboundCall, Outcome, Raw, Run};
pub use pool::{ContextKey, Limits};
pub use task::{check_task, run_task, TaskAnswer, TaskBody, TaskRequest, TaskRun};

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
    /// `isLegacy: true`: sloppy mode and `base64Encode`.
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
    /// An ES module (a web task) rather than a hook's body: compiled as it is, unwrapped.
    pub module: bool,
    /// `webhook: {url, key}`: the hook is served over HTTP, not by the script (CONTRACT §6).
    pub webhook: Option<Arc<webhook::Webhook>>,
}

impl Script {
    /// The identity of the script's text: what compiled-hook caches and the inline marks key
    /// on (holding the `Arc` keeps the address from being reused).
    pub(crate) fn id(&self) -> usize {
        Arc::as_ptr(&self.source) as *const u8 as usize
    }

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
            module: false,
            webhook: None,
        }
    }
}
