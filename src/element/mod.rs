//! Elements: the declarative description of a vendor API, loaded from files.
pub mod ceql;
