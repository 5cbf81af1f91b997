//! Script endpoints: HTTP APIs written purely as scripts. Web tasks for now (`/tasks/<name>`).
//!
//! - `web` — one request through a web task: the task's view of the request, its limits, its
//!   answer and its console lines.
//! - `services` — what a task reaches beyond the hooks' library: the project's key-value store
//!   (`kv`, sealed in the store) and `elements.call` (a request through an instance's element,
//!   in-process).

pub mod services;
pub mod web;

pub use web::{serve, Incoming, Reply, Served, TaskError};
