//! Element files parsed into JSON values with the source position of every node.
//!
//! An element file is YAML 1.2 (a Cloud Elements JSON export is valid YAML 1.2 too), loaded with
//! `saphyr` into a [`serde_json::Value`] plus a table mapping every JSON pointer to its position,
//! so validators can report `file:line:column: message` for any field.
//!
//! Decisions worth knowing:
//! - saphyr 0.3 does not re-export its event parser (that lives in `saphyr-parser`), so this
//!   walks saphyr's [`MarkedYaml`] tree instead; the workarounds this needs are commented inline.
//! - Scalars follow the YAML 1.2 core schema. Quoted and block scalars are always strings.
//!   Plain numbers that are also JSON numbers are converted by `serde_json` itself, so JSON input
//!   gives exactly what `serde_json::from_str` gives (integers beyond `i64` become `u64`, or `f64`
//!   beyond that). YAML-only forms (`0x1F`, `0o17`, `+1`, `.5`) use saphyr's value.
//! - `.inf`, `-.inf`, `.nan` (and overflowing floats like `1e400`) are rejected with
//!   "number not representable in JSON" rather than silently turned into strings: the user
//!   should quote them if a string is meant.
//! - Non-string mapping keys become their JSON text (`1` -> "1", `true` -> "true",
//!   `~` -> "null"); collection keys are an error.
//! - Anchors and aliases are resolved; every node copied by an alias is reported at the alias.
//! - Merge keys (`<<`) are NOT merged: `<<` is kept as an ordinary key.
//! - Custom tags (`!foo`) are ignored; a core tag the value does not fit (`!!int abc`) is an error.
//! - For a block scalar (`|`, `>`) the value position is its first content character (on the
//!   first non-empty line after the indicator), which is what saphyr marks, not the `|` itself.

mod builder;
mod source;

use std::collections::HashMap;

use saphyr::{LoadableYamlNode, MarkedYaml, Marker, Scalar, YamlData};
use serde_json::Value;

use super::diagnostic::Diagnostic;
use builder::Builder;
use source::Source;

/// A position in the source; both 1-based, the column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    const START: Pos = Pos { line: 1, column: 1 };

    /// saphyr lines are 1-based but columns 0-based (both in characters).
    fn of(m: Marker) -> Pos {
        Pos {
            line: m.line().max(1),
            column: m.col() + 1,
        }
    }
}

/// Why an element file could not be loaded; displays as `line:column: message`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{}: {message}", .pos.line, .pos.column)]
pub struct ParseError {
    pub pos: Pos,
    pub message: String,
}

impl ParseError {
    fn new(pos: Pos, message: impl Into<String>) -> Self {
        ParseError {
            pos,
            message: message.into(),
        }
    }

    fn duplicate(pos: Pos, key: &str) -> Self {
        Self::new(pos, format!("duplicate key {key:?}"))
    }

    /// This error as the diagnostic of `file`.
    pub fn into_diagnostic(self, file: &str) -> Diagnostic {
        Diagnostic::error(file, self.pos.line, self.pos.column, self.message)
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Pos,
    value: Pos,
}

/// A parsed element file: its JSON value and where each of its nodes came from.
#[derive(Debug, Clone)]
pub struct Located {
    pub value: Value,
    /// Keyed by escaped JSON pointer, exactly as callers spell it.
    positions: HashMap<String, Entry>,
}

impl Located {
    /// Position of the node at this JSON pointer (RFC 6901, "" = root, "/resources/0/vendorPath").
    /// For a mapping entry this is the position of its KEY; for a sequence item, the item's start.
    pub fn pos(&self, pointer: &str) -> Option<Pos> {
        self.positions.get(pointer).map(|e| e.key)
    }

    /// Position of the value itself (for a map entry, where its value starts).
    pub fn value_pos(&self, pointer: &str) -> Option<Pos> {
        self.positions.get(pointer).map(|e| e.value)
    }

    /// The position of the nearest existing ancestor-or-self of `pointer` (falls back to 1:1).
    pub fn nearest(&self, pointer: &str) -> Pos {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.pos(p) {
                return pos;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None if !p.is_empty() => p = "",
                None => return Pos::START,
            }
        }
    }

    /// An error of `file`, placed at `pointer` or its nearest existing ancestor.
    pub fn error_at(&self, file: &str, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let Pos { line, column } = self.nearest(pointer);
        Diagnostic::error(file, line, column, message)
    }

    /// A warning of `file`, placed like [`Located::error_at`].
    pub fn warning_at(&self, file: &str, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let Pos { line, column } = self.nearest(pointer);
        Diagnostic::warning(file, line, column, message)
    }
}

/// The pointer to `key` inside the node at `pointer`.
pub fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape(key))
}

/// A key as one JSON pointer segment: RFC 6901 escapes `~` and `/`.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Deeper structures are refused before parsing: the parser, the tree and its conversion all
/// recurse, and a crafted file (`- - - - …`, a hostile input run through the fuzz target) would overflow the stack.
const MAX_NESTING: usize = 512;

/// An upper bound on the nesting depth: every level needs a column of indentation, a `- `
/// or `? ` indicator, or an open flow bracket.
fn nesting_bound(text: &str) -> (usize, usize) {
    let (mut flow, mut max, mut at_line) = (0usize, 0usize, 1usize);
    // YAML breaks lines at CR as well as LF (a lone CR once slipped a deep file past this).
    let unified = text.replace("\r\n", "\n");
    for (number, line) in unified.split(['\n', '\r']).enumerate() {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let mut rest = line.trim_start_matches([' ', '\t']);
        let mut indicators = 0;
        // `-`, `?` and `:` open a level when followed by a blank or the end of the line.
        while let Some(after) = ["-", "?", ":"].iter().find_map(|i| {
            rest.strip_prefix(i)
                .filter(|a| a.is_empty() || a.starts_with([' ', '\t']))
        }) {
            indicators += 1;
            rest = after.trim_start_matches([' ', '\t']);
            if rest.is_empty() {
                break;
            }
        }
        let mut deepest_flow = flow;
        for c in rest.chars() {
            match c {
                '[' | '{' => {
                    flow += 1;
                    deepest_flow = deepest_flow.max(flow);
                }
                ']' | '}' => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        let bound = indent + indicators + deepest_flow;
        if bound > max {
            max = bound;
            at_line = number + 1;
        }
    }
    (max, at_line)
}

/// Parse an element file (YAML 1.2 or JSON) into a [`Located`] value.
pub fn parse(text: &str) -> Result<Located, ParseError> {
    let (depth, line) = nesting_bound(text);
    if depth > MAX_NESTING {
        return Err(ParseError::new(
            Pos { line, column: 1 },
            format!("nesting deeper than {MAX_NESTING} levels"),
        ));
    }
    let src = Source::new(text);
    let docs = MarkedYaml::load_from_str(text).map_err(|e| src.scan_error(&e))?;
    let root = match docs.as_slice() {
        [first, second, ..] => {
            return Err(ParseError::new(
                src.second_document_start(first, second),
                "more than one document in element file",
            ))
        }
        [root] if !is_empty_document(&src, root) => root,
        _ => return Err(ParseError::new(Pos::START, "empty element file")),
    };
    let mut builder = Builder {
        src: &src,
        positions: HashMap::new(),
    };
    let value = builder.node(root, &mut String::new(), Pos::of(root.span.start), None)?;
    Ok(Located {
        value,
        positions: builder.positions,
    })
}

/// A document holding nothing but comments or a bare `---` loads as a null with no text (its
/// span may cover a closing `...`), unlike an explicit `null` or `~`.
fn is_empty_document(src: &Source, root: &MarkedYaml) -> bool {
    matches!(
        root.data,
        YamlData::Value(Scalar::Null) | YamlData::BadValue
    ) && matches!(src.slice(root.span.start, root.span.end).trim(), "" | "...")
}

#[cfg(test)]
mod tests;
