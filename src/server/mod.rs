//! The HTTP layer: the only module that names actix.
//!
//! - `app` — routes, per-worker state, `run(listener, state)`.
//! - `error` — the one place pipeline errors become HTTP responses.
//! - `demo` — a small vendor API for the offline quickstart.

mod app;
pub mod demo;
pub mod error;

pub use app::{run, run_with_workers};
