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

use std::collections::HashMap;
use std::fmt::Write as _;

use saphyr::{LoadableYamlNode, MarkedYaml, Marker, Scalar, ScanError, Yaml, YamlData};
use serde_json::{Map, Number, Value};

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

/// The source text; saphyr markers count characters, so slicing needs byte offsets.
struct Source<'a> {
    text: &'a str,
    /// Byte offset of every character (plus the end); `None` for ASCII where they coincide.
    offsets: Option<Vec<usize>>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Self {
        let offsets = (!text.is_ascii()).then(|| {
            let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            v.push(text.len());
            v
        });
        Source { text, offsets }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.offsets {
            None => char_index.min(self.text.len()),
            Some(v) => v.get(char_index).copied().unwrap_or(self.text.len()),
        }
    }

    fn slice(&self, from: Marker, to: Marker) -> &'a str {
        let text: &'a str = self.text;
        text.get(self.byte(from.index())..self.byte(to.index()))
            .unwrap_or("")
    }

    fn scan_error(&self, e: &ScanError) -> ParseError {
        let pos = Pos::of(*e.marker());
        // The loader's own duplicate check aborts without naming the key, so read it back from
        // the source at the reported position.
        if e.info() == "duplicated key in mapping" {
            let rest = self.text.get(self.byte(e.marker().index())..).unwrap_or("");
            return ParseError::duplicate(pos, &key_text(rest));
        }
        ParseError::new(pos, e.info())
    }

    /// Users see the second document begin at its `---` line; its root node may start later.
    fn second_document_start(&self, first: &MarkedYaml, second: &MarkedYaml) -> Pos {
        let from = self.byte(first.span.end.index());
        let to = self.byte(second.span.start.index()).max(from);
        let mut at = from;
        let mut line_start = from == 0 || self.text[..from].ends_with('\n');
        for seg in self.text[from..to].split_inclusive('\n') {
            let marker_follows = seg
                .get(3..)
                .is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace));
            if line_start && seg.starts_with("---") && marker_follows {
                let line = self.text[..at].matches('\n').count() + 1;
                return Pos { line, column: 1 };
            }
            at += seg.len();
            line_start = true;
        }
        Pos::of(second.span.start)
    }
}

/// The value of the key starting `rest`, best effort, for duplicate-key messages.
fn key_text(rest: &str) -> String {
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''));
    if let Some(q) = quote {
        let mut chars = rest.char_indices().skip(1).peekable();
        while let Some((i, c)) = chars.next() {
            // Skip `\x` escapes in double quotes and doubled `''` in single quotes.
            let escaped = if q == '"' {
                c == '\\'
            } else {
                c == q && chars.peek().is_some_and(|&(_, n)| n == q)
            };
            if escaped {
                chars.next();
            } else if c == q {
                // Let saphyr undo the escapes so the message shows the key as loaded.
                let quoted = &rest[..i + 1];
                return Yaml::load_from_str(quoted)
                    .ok()
                    .and_then(|docs| docs.first().and_then(|d| d.as_str().map(str::to_owned)))
                    .unwrap_or_else(|| quoted.to_owned());
            }
        }
    }
    // A plain key ends at `: `, a flow indicator, a comment or the end of the line.
    let bytes = rest.as_bytes();
    let end = (0..bytes.len())
        .find(|&i| match bytes[i] {
            b'\n' | b'\r' | b',' | b'}' | b']' => true,
            b':' => bytes
                .get(i + 1)
                .is_none_or(|n| n.is_ascii_whitespace() || b",}]".contains(n)),
            b'#' => i > 0 && bytes[i - 1].is_ascii_whitespace(),
            _ => false,
        })
        .unwrap_or(bytes.len());
    rest[..end].trim_end().to_owned()
}

struct Builder<'s, 'a> {
    src: &'s Source<'a>,
    positions: HashMap<String, Entry>,
}

impl Builder<'_, '_> {
    /// Convert `node` (found at `ptr`, whose key starts at `key`) and record its positions.
    /// `forced` is set inside alias copies: all their nodes report the alias position.
    fn node(
        &mut self,
        node: &MarkedYaml,
        ptr: &mut String,
        key: Pos,
        forced: Option<Pos>,
    ) -> Result<Value, ParseError> {
        let here = forced.unwrap_or_else(|| Pos::of(node.span.start));
        let entry = Entry {
            key: forced.unwrap_or(key),
            value: here,
        };
        self.positions.insert(ptr.clone(), entry);
        // saphyr gives an alias's copy the alias span at its root only; the nodes below keep the
        // anchor's spans, which lie before the alias. Real children never start before a parent.
        let start = node.span.start.index();
        let inherit = |child: &MarkedYaml| {
            forced.or_else(|| (child.span.start.index() < start).then_some(here))
        };
        match &node.data {
            YamlData::Value(scalar) => self.scalar(scalar, node, here),
            YamlData::Tagged(_, inner) => self.node(inner, ptr, key, forced),
            YamlData::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let len = ptr.len();
                    let _ = write!(ptr, "/{i}");
                    let f = inherit(item);
                    let item_pos = f.unwrap_or_else(|| Pos::of(item.span.start));
                    out.push(self.node(item, ptr, item_pos, f)?);
                    ptr.truncate(len);
                }
                Ok(Value::Array(out))
            }
            YamlData::Mapping(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    let key_pos = inherit(k).unwrap_or_else(|| Pos::of(k.span.start));
                    let name = self.key_name(k, key_pos)?;
                    // saphyr only catches keys equal as YAML values; `1` and "1" collide in JSON.
                    if out.contains_key(&name) {
                        return Err(ParseError::duplicate(key_pos, &name));
                    }
                    let len = ptr.len();
                    ptr.push('/');
                    for c in name.chars() {
                        match c {
                            '~' => ptr.push_str("~0"),
                            '/' => ptr.push_str("~1"),
                            c => ptr.push(c),
                        }
                    }
                    let value = self.node(v, ptr, key_pos, inherit(v))?;
                    ptr.truncate(len);
                    out.insert(name, value);
                }
                Ok(Value::Object(out))
            }
            // BadValue: a core tag the text does not fit (`!!int abc`) or an unknown one.
            _ => Err(ParseError::new(here, "value does not match its tag")),
        }
    }

    fn key_name(&self, key: &MarkedYaml, pos: Pos) -> Result<String, ParseError> {
        match &key.data {
            YamlData::Value(Scalar::String(s)) => Ok(s.to_string()),
            YamlData::Value(scalar) => Ok(self.scalar(scalar, key, pos)?.to_string()),
            YamlData::Tagged(_, inner) => self.key_name(inner, pos),
            YamlData::Sequence(_) | YamlData::Mapping(_) => Err(ParseError::new(
                pos,
                "mapping keys must be scalars in an element file",
            )),
            _ => Err(ParseError::new(pos, "key does not match its tag")),
        }
    }

    fn scalar(&self, scalar: &Scalar, node: &MarkedYaml, pos: Pos) -> Result<Value, ParseError> {
        Ok(match scalar {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(*b),
            Scalar::String(s) => Value::String(s.to_string()),
            Scalar::Integer(i) => Value::Number(self.json_number(node).unwrap_or((*i).into())),
            Scalar::FloatingPoint(f) => self
                .json_number(node)
                .or_else(|| Number::from_f64(f.0))
                .map(Value::Number)
                .ok_or_else(|| {
                    let text = self.src.slice(node.span.start, node.span.end);
                    ParseError::new(pos, format!("number not representable in JSON: {text}"))
                })?,
        })
    }

    /// The number as serde_json reads the source text, if it is a JSON number. Only plain
    /// scalars get here, so the span is the text itself, perhaps after `&anchor`/`!!tag`.
    fn json_number(&self, node: &MarkedYaml) -> Option<Number> {
        let text = self.src.slice(node.span.start, node.span.end);
        let token = text.split_whitespace().next_back()?;
        serde_json::from_str(token).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: usize, column: usize) -> Pos {
        Pos { line, column }
    }

    fn ok(text: &str) -> Located {
        match parse(text) {
            Ok(l) => l,
            Err(e) => panic!("unexpected error {e} in {text:?}"),
        }
    }

    fn err(text: &str) -> ParseError {
        parse(text).expect_err("expected a parse error")
    }

    const BLOCK: &str = "\
name: demo
configuration:
  - key: base.url
    vendorPath: /v1
resources:
  - method: GET
    hooks:
      - type: preRequest
        body: |
          var x = 1;
          done();
";

    #[test]
    fn nested_key_in_block_map() {
        let l = ok(BLOCK);
        assert_eq!(l.pos("/configuration/0/vendorPath"), Some(p(4, 5)));
        assert_eq!(l.value_pos("/configuration/0/vendorPath"), Some(p(4, 17)));
        assert_eq!(l.pos("/configuration"), Some(p(2, 1)));
        assert_eq!(l.pos(""), Some(p(1, 1)));
    }

    #[test]
    fn block_sequence_items() {
        let l = ok(BLOCK);
        assert_eq!(l.pos("/configuration/0"), Some(p(3, 5)));
        assert_eq!(l.pos("/resources/0/hooks/0"), Some(p(8, 9)));
        assert_eq!(l.pos("/resources/0/hooks/0/body"), Some(p(9, 9)));
        let l = ok("- a\n- b\n");
        assert_eq!(l.pos("/1"), Some(p(2, 3)));
        assert_eq!(l.value, serde_json::json!(["a", "b"]));
    }

    #[test]
    fn block_scalar_value_position() {
        let l = ok(BLOCK);
        // The value starts on the first content line, after the `|` indicator.
        assert_eq!(l.value_pos("/resources/0/hooks/0/body"), Some(p(10, 11)));
        assert_eq!(
            l.value["resources"][0]["hooks"][0]["body"],
            "var x = 1;\ndone();\n"
        );
    }

    #[test]
    fn flow_map_positions() {
        let l = ok("m: {a: 1, b: 2}\n");
        assert_eq!(l.pos("/m/a"), Some(p(1, 5)));
        assert_eq!(l.pos("/m/b"), Some(p(1, 11)));
        assert_eq!(l.value_pos("/m/b"), Some(p(1, 14)));
        assert_eq!(l.value_pos("/m"), Some(p(1, 4)));
    }

    #[test]
    fn key_column_after_indentation() {
        let l = ok("a:\n  b:\n      c: 1\n");
        assert_eq!(l.pos("/a/b/c"), Some(p(3, 7)));
        assert_eq!(l.value_pos("/a/b/c"), Some(p(3, 10)));
    }

    #[test]
    fn json_key_on_later_line() {
        let text = "{\n  \"key\": \"demo\",\n  \"resources\": [\n    {\n      \"vendorPath\": \"/x\"\n    }\n  ]\n}\n";
        let l = ok(text);
        assert_eq!(l.pos("/resources/0/vendorPath"), Some(p(5, 7)));
        assert_eq!(l.value_pos("/resources/0/vendorPath"), Some(p(5, 21)));
        assert_eq!(l.pos("/resources/0"), Some(p(4, 5)));
    }

    #[test]
    fn unicode_columns_count_characters() {
        let l = ok("{\"é😀\": 1, \"ü\": \"ß\", \"k\": 2}");
        assert_eq!(l.pos("/ü"), Some(p(1, 11)));
        assert_eq!(l.pos("/k"), Some(p(1, 21)));
        let l = ok("naïve: {ü: 12345678901234567890}");
        assert_eq!(l.pos("/naïve/ü"), Some(p(1, 9)));
        assert_eq!(
            l.value["naïve"]["ü"],
            serde_json::json!(12345678901234567890u64)
        );
    }

    #[test]
    fn syntax_error_position() {
        let e = err("a: 1\nb:\n  c: 2\n   d: 3\n");
        assert_eq!(e.pos, p(4, 5));
        assert_eq!(e.message, "mapping values are not allowed in this context");
        assert_eq!(
            e.to_string(),
            "4:5: mapping values are not allowed in this context"
        );
        assert_eq!(err("- 1\n- [a, b\n").pos, p(3, 1));
    }

    #[test]
    fn duplicate_keys() {
        let e = err("a: 1\nb:\n  x: 1\n  x: 2\n");
        assert_eq!(
            (e.pos, e.message.as_str()),
            (p(4, 3), "duplicate key \"x\"")
        );
        let e = err("{\"k\": 1, \"a\\\"b\": 2, \"a\\\"b\": 3}");
        assert_eq!(
            (e.pos, e.message.as_str()),
            (p(1, 21), "duplicate key \"a\\\"b\"")
        );
        let e = err("{a: 1, 'it''s': 2, 'it''s': 3}");
        assert_eq!(e.message, "duplicate key \"it's\"");
        // Distinct in YAML, but the same JSON key.
        let e = err("1: a\n\"1\": b\n");
        assert_eq!(
            (e.pos, e.message.as_str()),
            (p(2, 1), "duplicate key \"1\"")
        );
    }

    #[test]
    fn empty_files() {
        for text in [
            "",
            "\n\n",
            "# only\n# comments\n",
            "---\n",
            "--- # c\n...\n",
        ] {
            let e = err(text);
            assert_eq!(
                (e.pos, e.message.as_str()),
                (p(1, 1), "empty element file"),
                "{text:?}"
            );
        }
    }

    #[test]
    fn two_documents() {
        assert_eq!(err("a: 1\n---\nb: 2\n").pos, p(2, 1));
        assert_eq!(err("---\na: 1\n--- \n\n  b: 2\n").pos, p(3, 1));
        assert_eq!(err("a: 1\n...\nb: 2\n").pos, p(3, 1));
        assert!(err("x\n---\n").message.contains("more than one document"));
    }

    #[test]
    fn explicit_null_and_tab_indented_json() {
        assert_eq!(ok("--- ~\n").value, Value::Null);
        assert_eq!(ok("null").pos(""), Some(p(1, 1)));
        let l = ok("{\n\t\"a\":\t{\n\t\t\"b\": [1,\t2]\n\t}\n}");
        assert_eq!(l.value, serde_json::json!({"a": {"b": [1, 2]}}));
        assert_eq!(l.pos("/a/b/1"), Some(p(3, 12)));
    }

    #[test]
    fn core_schema_scalars() {
        let l = ok("\
n: [null, Null, ~, ]
e:
b: [true, True, TRUE, false, FALSE, yes]
i: [12, -3, 0x1F, 0o17, +7, 012]
f: [1.5, -0.25, 1e3, .5]
s: ['12', \"true\", !!str 5, '', 1_000]
l: |
  12
big: [18446744073709551615, 18446744073709551616]
");
        let expect = serde_json::json!({
            "n": [null, null, null],
            "e": null,
            "b": [true, true, true, false, false, "yes"],
            "i": [12, -3, 31, 15, 7, 12],
            "f": [1.5, -0.25, 1000.0, 0.5],
            "s": ["12", "true", "5", "", "1_000"],
            "l": "12\n",
            "big": [18446744073709551615u64, 18446744073709551616.0],
        });
        assert_eq!(l.value, expect);
    }

    #[test]
    fn non_finite_numbers_are_rejected() {
        for (text, col) in [
            ("a: .inf", 4),
            ("a: [1, -.Inf]", 8),
            ("a: .nan", 4),
            ("x: 1e400", 4),
        ] {
            let e = err(text);
            assert_eq!(e.pos, p(1, col), "{text}");
            assert!(
                e.message.starts_with("number not representable"),
                "{}",
                e.message
            );
        }
        assert_eq!(ok("a: '.inf'").value["a"], ".inf");
    }

    #[test]
    fn non_string_keys_and_tags() {
        let l = ok("1: a\ntrue: b\n~: c\n1.50: d\n!!str 7: e\nt: !custom {x: 1}\n");
        let keys: Vec<&String> = l
            .value
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["1", "true", "null", "1.5", "7", "t"]);
        assert_eq!(l.value["t"]["x"], 1);
        assert_eq!(l.pos("/true"), Some(p(2, 1)));
        assert_eq!(err("a: !!int abc").pos, p(1, 4));
        assert_eq!(
            err("? [a]\n: 1\n").message,
            "mapping keys must be scalars in an element file"
        );
    }

    #[test]
    fn pointer_segments_are_escaped() {
        let l = ok("contact.emailupsert: 1\na/b: 2\nt~x: {y/z: 3}\n");
        assert_eq!(l.pos("/contact.emailupsert"), Some(p(1, 1)));
        assert_eq!(l.pos("/a~1b"), Some(p(2, 1)));
        assert_eq!(l.pos("/t~0x/y~1z"), Some(p(3, 7)));
        assert_eq!(l.pos("/a/b"), None);
    }

    #[test]
    fn aliases_resolve_at_the_alias() {
        let l = ok("base: &b\n  x: 1\n  y: [2]\nuse: *b\nm:\n  <<: *b\n  z: &s str\nw: *s\n");
        assert_eq!(l.value["use"], serde_json::json!({"x": 1, "y": [2]}));
        assert_eq!(l.pos("/base/x"), Some(p(2, 3)));
        assert_eq!(l.pos("/use"), Some(p(4, 1)));
        assert_eq!(l.value_pos("/use"), Some(p(4, 6)));
        assert_eq!(l.pos("/use/x"), Some(p(4, 6)));
        assert_eq!(l.pos("/use/y/0"), Some(p(4, 6)));
        // Merge keys are not merged: `<<` stays an ordinary key.
        assert_eq!(l.value["m"]["<<"]["x"], 1);
        assert_eq!(l.value["m"].get("x"), None);
        assert_eq!(l.value_pos("/m/<</y"), Some(p(6, 7)));
        assert_eq!(l.value["w"], "str");
        assert_eq!(l.value_pos("/w"), Some(p(8, 4)));
        // Anchors and tags on keys do not look like aliases.
        let l = ok("k:\n  &a one: 1\n  !!str two: 2\n");
        assert_eq!(
            (l.pos("/k/one"), l.pos("/k/two")),
            (Some(p(2, 3)), Some(p(3, 3)))
        );
    }

    #[test]
    fn nearest_falls_back_to_ancestors() {
        let l = ok(BLOCK);
        assert_eq!(l.nearest("/configuration/0/vendorPath"), p(4, 5));
        assert_eq!(l.nearest("/configuration/0/missing/deeper"), p(3, 5));
        assert_eq!(l.nearest("/nope"), p(1, 1));
        assert_eq!(l.nearest("garbage"), p(1, 1));
        assert_eq!(ok("\n\n  a: 1").nearest("/x"), p(3, 3));
    }

    #[test]
    fn crlf_and_bom() {
        let l = ok("\u{feff}a: 1\r\nb:\r\n  - x\r\n");
        assert_eq!(l.pos("/b/0"), Some(p(3, 5)));
        assert_eq!(l.value, serde_json::json!({"a": 1, "b": ["x"]}));
    }

    const EXPORT: &str = r#"{
  "key": "acmecrm",
  "name": "Acme CRM",
  "hub": "crm",
  "active": true,
  "beta": false,
  "cloneable": true,
  "typeOauth": false,
  "description": "Caf\u00e9 connector \/ v2 \"quoted\"",
  "version": -0,
  "rating": 4.75,
  "maxId": 18446744073709551615,
  "ratio": 1e-3,
  "configuration": [
    {
      "key": "base.url",
      "name": "Base URL",
      "type": "TEXTFIELD_1000",
      "defaultValue": "https:\/\/api.acme.example\/v2",
      "required": true,
      "hideFromConsole": false
    },
    {
      "key": "oauth.scope",
      "name": "Scopes",
      "type": "TEXTFIELD_32",
      "defaultValue": null,
      "required": false,
      "hideFromConsole": true
    }
  ],
  "resources": [
    {
      "id": 1001,
      "method": "GET",
      "path": "/hubs/crm/contacts",
      "vendorPath": "/contacts",
      "vendorMethod": "GET",
      "hooks": [
        {
          "type": "preRequest",
          "isLegacy": false,
          "body": "let q = request_parameters;\nif (q.where) {\n\tq.filter = q.where.replace(/'/g, \"\");\n}\ndone({request_parameters: q});"
        }
      ],
      "parameters": [
        {"name": "where", "vendorName": "filter", "type": "query", "dataType": "string", "required": false}
      ]
    },
    {
      "id": 1002,
      "method": "POST",
      "path": "/hubs/crm/contacts",
      "vendorPath": "/contacts",
      "hooks": [],
      "parameters": []
    }
  ],
  "objects": {},
  "transformations": {"contact.emailupsert": {"a/b": [1, 2.5, "x"]}},
  "authentication": {"type": "oauth2"},
  "tags":	["crm",	"beta"],
  "image": "elements/custom-element-logo.png"
}
"#;

    #[test]
    fn json_export_matches_serde_json() {
        assert!(EXPORT.lines().count() >= 60);
        let expected: Value = match serde_json::from_str(EXPORT) {
            Ok(v) => v,
            Err(e) => panic!("fixture is not JSON: {e}"),
        };
        let l = ok(EXPORT);
        assert_eq!(l.value, expected);
        assert_eq!(l.pos("/resources/0/hooks/0/body"), Some(p(43, 11)));
        assert_eq!(
            l.pos("/transformations/contact.emailupsert/a~1b/1"),
            Some(p(60, 58))
        );
        assert_eq!(l.pos("/tags/1"), Some(p(62, 19)));
        // The same export on one long line, as exports often are.
        let compact = expected.to_string();
        let l = ok(&compact);
        assert_eq!(l.value, expected);
        let col = compact
            .find("\"hub\"")
            .map_or(0, |b| compact[..b].chars().count() + 1);
        assert_eq!(l.pos("/hub"), Some(p(1, col)));
    }
}
