//! elemental: Cloud Elements-style elements served as an HTTP proxy with JavaScript hooks.
pub mod cases;
pub mod cli;
pub mod egress;
pub mod element;
pub mod events;
pub mod hooks;
pub mod instance;
pub mod mail;
pub mod metrics;
pub mod pipeline;
pub mod reload;
pub mod routing;
pub mod server;
pub mod settings;
pub mod store;
pub mod trace;
pub mod vendor;
