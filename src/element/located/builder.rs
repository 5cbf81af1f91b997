//! The conversion of saphyr's tree into JSON values, recording every node's position.

use std::collections::HashMap;
use std::fmt::Write as _;

use saphyr::{MarkedYaml, Scalar, YamlData};
use serde_json::{Map, Number, Value};

use super::source::Source;
use super::{escape, Entry, ParseError, Pos};

pub(super) struct Builder<'s, 'a> {
    pub(super) src: &'s Source<'a>,
    pub(super) positions: HashMap<String, Entry>,
}

impl Builder<'_, '_> {
    /// Convert `node` (found at `ptr`, whose key starts at `key`) and record its positions.
    /// `forced` is set inside alias copies: all their nodes report the alias position.
    pub(super) fn node(
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
                    let _ = write!(ptr, "/{}", escape(&name));
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
