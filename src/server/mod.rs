//! The HTTP layer: the only module that names actix.
//!
//! - `app` — the routes and `run(listener, state)`.
//! - `proxy` — element resources: a caller's request through the pipeline.
//! - `oauth` — `<prefix>/elements/{key}/oauth/url`: an OAuth 2 element's authorization URL.
//! - `webhooks` — vendors' inbound webhooks, into the events store.
//! - `admin` — the admin token check and the `/admin` routes.
//! - `docs` — `/docs/<element>`: an element's OpenAPI document, behind the admin token.
//! - `instances` — the instances API: connecting accounts (provisioning resources), listing,
//!   changing and deleting them, behind the admin token.
//! - `tasks` — web tasks: `/tasks/<name>` and `<name>.<tasks domain>`, run by `scripts`.
//! - `parse` — the Parse API: `POST /parse/functions/<name>` calls a cloud function, run by
//!   `scripts::cloud`.
//! - `jobs` — background jobs: `POST /parse/jobs/<name>` (master key) and, behind the admin
//!   token, starting runs, the jobs, their runs and the schedules (`scripts::jobs`).
//! - `openapi`, `schema` — `/admin/openapi.json`, generated from the handlers' attributes and
//!   the bodies' schemas.
//! - `request` — what the handlers read from a request (body, headers, query pairs).
//! - `error` — the one place errors become HTTP responses; the request id.
//! - `demo` — a small vendor API for the offline quickstart.
//! - `studio` — the web UI at `/studio` (login, session cookie, CSRF) and the admin routes
//!   its pages read.

mod admin;
mod app;
pub mod demo;
mod docs;
pub mod error;
mod instances;
mod jobs;
mod oauth;
mod openapi;
mod parse;
mod proxy;
mod request;
mod schema;
mod studio;
mod tasks;
mod webhooks;

pub use app::{run, run_with_workers};
