//! Elements: the declarative description of a vendor API, loaded from files.
pub mod ceql;
pub mod checks;
pub mod diagnostic;
pub mod fairness;
pub mod load;
pub mod located;
pub mod model;
pub mod objects;
pub mod openapi;
pub mod paging;
pub mod root_key;
pub mod signature;
pub mod swagger;
pub mod template;
pub mod token;

pub use diagnostic::{has_errors, Diagnostic};
pub use load::load_dir;
pub use model::*;

/// The JSON Schema of element files (`elemental schema`, docs/element.schema.json).
pub const SCHEMA: &str = include_str!("../../docs/element.schema.json");
