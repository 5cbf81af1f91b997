//! elemental: Cloud Elements-style elements served as an HTTP proxy with JavaScript hooks.
pub mod element;
pub mod hooks;
