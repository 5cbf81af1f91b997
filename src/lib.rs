//! elemental: Cloud Elements-style elements served as an HTTP proxy with JavaScript hooks.
//!
//! The module map, layers top to bottom: a module uses only modules on its own line or below
//! (docs/architecture.md walks a request and an event through them).
//!
//! - `cli`, `reference` — the command line (`serve`, `check`, `test`, `hook run`, `schema`) and
//!   the configuration reference generated from it.
//! - `import` — other API descriptions made into element skeletons (`elemental import openapi`:
//!   an OpenAPI 3 document's operations, parameters, schemas and security schemes).
//! - `cases` — element test cases: one hook, or a request through the whole pipeline to a mock
//!   vendor; web task cases: one request through a task.
//! - `server` — the only module that names actix: routes, admin API, element docs (OpenAPI),
//!   webhooks route, demo vendor, and `server::error`, the one place errors become HTTP.
//! - `scripts` — script endpoints: web tasks served for one request each (`web`), Parse Cloud
//!   functions (`cloud`: the Parse keys checked, one function run), what a task reaches
//!   (`services`: the key-value store, `elements.call` through the pipeline), background job
//!   runs (`jobs`) and the scheduler thread that fires schedules (`scheduler`).
//! - `events`, `reload` — background work: webhook ingest, normalization by the event hook,
//!   signed delivery with retries, polling; hot reload of elements, instances and tasks, and
//!   the instances other nodes change in a shared store.
//! - `state`, `sources`, `pipeline` — what the server and the workers share; what to load and
//!   loading it; one proxied request as its list of phases.
//! - `instance` — connected accounts and their configuration (write-back through the store).
//! - `element`, `tasks`, `cloud`, `jobs`, `schedules`, `settings` — elements as validated plain
//!   data (loading collects every diagnostic with file:line:column), their objects' metadata and
//!   OpenAPI document built from it; web task files compiled as ES modules; cloud code
//!   (`cloud/`, CommonJS files checked at load, and the functions webhooks serve); job modules
//!   (`jobs/`) and the runs running on this node; the schedules file and when a schedule fires
//!   next; the server's settings.
//! - `hooks` — the only module that names rquickjs: the typed hook contract, the pooled
//!   engine (a context per element, on the HTTP worker or a hook executor), the CE library and
//!   Node-style modules; web tasks' ES modules run on the same engine (`hooks::run_task`).
//! - `vendor` — the only module that names awc: vendor calls and hooks' outbound HTTP.
//! - `store`, `admission`, `auth`, `secret`, `seal`, `clock`, `egress`, `mail`, `metrics`,
//!   `multipart`, `parse`, `routing`, `trace`, `logging`, `telemetry`, `xml` — leaves: the async store
//!   (SQLite by default, or PostgreSQL), fair share between instances (hook slots and queues,
//!   request rates, shedding), request signing (OAuth 1.0a, AWS SigV4) and OAuth 2 token
//!   requests and responses, constant-time comparison and signing keys, secrets sealed at rest,
//!   dates, the egress policy, SMTP, Prometheus metrics, multipart/form-data bodies, the Parse
//!   keys and Parse Config, path routing, debug traces with masking, log output, OpenTelemetry
//!   spans exported over OTLP (off unless `--otlp-endpoint`), XML ⇄ JSON for XML vendors.
pub mod admission;
pub mod auth;
pub mod cases;
pub mod cli;
pub mod clock;
pub mod cloud;
pub mod egress;
pub mod element;
pub mod events;
pub mod hooks;
pub mod import;
pub mod instance;
pub mod jobs;
pub mod logging;
pub mod mail;
pub mod metrics;
pub mod multipart;
pub mod parse;
pub mod pipeline;
pub mod reference;
pub mod reload;
pub mod routing;
pub mod schedules;
pub mod scripts;
pub mod seal;
pub mod secret;
pub mod server;
pub mod settings;
pub mod sources;
pub mod state;
pub mod store;
pub mod tasks;
pub mod telemetry;
pub mod trace;
pub mod vendor;
pub mod xml;
