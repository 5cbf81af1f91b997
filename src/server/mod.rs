//! The HTTP layer: the only module that names actix.
//!
//! - `app` — the routes, `run(listener, state)`, and what the route handlers share.
//! - `proxy` — element resources: a caller's request through the pipeline.
//! - `webhooks` — vendors' inbound webhooks, into the events store.
//! - `admin` — the admin token check and the `/admin` routes.
//! - `error` — the one place errors become HTTP responses; the request id.
//! - `demo` — a small vendor API for the offline quickstart.

mod admin;
mod app;
pub mod demo;
pub mod error;
mod proxy;
mod webhooks;

pub use app::{run, run_with_workers};
