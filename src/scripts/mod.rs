//! Script endpoints: HTTP APIs written purely as scripts: web tasks (`/tasks/<name>`) and Parse
//! Cloud functions (`/parse/functions/<name>`).
//!
//! - `web` — one request through a web task: the task's view of the request, its limits, its
//!   answer and its console lines.
//! - `cloud` — one call of a Parse Cloud function: the Parse keys, the params, its answer.
//! - `services` — what a task reaches beyond the hooks' library: the project's key-value store
//!   (`kv`, sealed in the store) and `elements.call` (a request through an instance's element,
//!   in-process).
//! - `jobs` — background job runs: started at once and left running on a hook executor, their
//!   last message kept live, their end recorded; `scheduler` — the worker that fires
//!   schedules, renews the running runs' heartbeat and marks cut-off runs interrupted.

pub mod cloud;
pub mod jobs;
pub mod scheduler;
pub mod services;
pub mod web;

pub use web::{serve, Incoming, Reply, Served, TaskError};
