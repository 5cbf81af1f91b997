//! Typed reads of the element document: a value of the wrong type is a diagnostic at its place.

use serde_json::{Map, Value};

use super::Reader;
use crate::element::diagnostic::edit_distance;
use crate::element::located::child;

impl Reader<'_> {
    pub(super) fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.doc.error_at(&self.file, pointer, message);
        self.diagnostics.push(diagnostic);
    }

    pub(super) fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.doc.warning_at(&self.file, pointer, message);
        self.diagnostics.push(diagnostic);
    }

    pub(super) fn value(&self, pointer: &str) -> Option<&Value> {
        self.doc.value.pointer(pointer)
    }

    /// The object at `pointer`, with a typo check of its keys against `known`.
    pub(super) fn object(
        &mut self,
        pointer: &str,
        what: &str,
        known: &[&str],
    ) -> Option<Map<String, Value>> {
        match self.value(pointer) {
            Some(Value::Object(map)) => {
                let map = map.clone();
                for key in map.keys() {
                    if known.contains(&key.as_str()) {
                        continue;
                    }
                    if let Some(near) = known
                        .iter()
                        .find(|k| edit_distance(k, key) <= 2 && k.len() > 2)
                    {
                        self.warn(
                            &child(pointer, key),
                            format!("unknown key \"{key}\" in {what} (did you mean {near}?)"),
                        );
                    }
                }
                Some(map)
            }
            Some(other) => {
                self.error(
                    pointer,
                    format!("{what} must be a mapping, found {}", kind_of(other)),
                );
                None
            }
            None => None,
        }
    }

    pub(super) fn string(&mut self, pointer: &str, key: &str, required: bool) -> Option<String> {
        let at = child(pointer, key);
        match self.value(&at) {
            Some(Value::String(s)) if !(required && s.trim().is_empty()) => Some(s.clone()),
            Some(Value::String(_)) => {
                self.error(&at, format!("\"{key}\" must not be empty"));
                None
            }
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            None | Some(Value::Null) if required => {
                self.error(pointer, format!("missing required key \"{key}\""));
                None
            }
            None | Some(Value::Null) => None,
            Some(other) => {
                self.error(
                    &at,
                    format!("\"{key}\" must be a string, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    pub(super) fn boolean(&mut self, pointer: &str, key: &str) -> bool {
        let at = child(pointer, key);
        match self.value(&at) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s))
                if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") =>
            {
                s.eq_ignore_ascii_case("true")
            }
            Some(other) => {
                self.error(
                    &at,
                    format!("\"{key}\" must be true or false, found {}", kind_of(other)),
                );
                false
            }
        }
    }

    /// Indices of the list at `pointer/key` (absent = empty).
    pub(super) fn list(&mut self, pointer: &str, key: &str) -> Vec<String> {
        let at = child(pointer, key);
        match self.value(&at) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => (0..items.len()).map(|i| format!("{at}/{i}")).collect(),
            Some(other) => {
                self.error(
                    &at,
                    format!("\"{key}\" must be a list, found {}", kind_of(other)),
                );
                Vec::new()
            }
        }
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}
