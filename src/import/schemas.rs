//! `components.schemas` as swagger definitions (resources' `model`) and as `objects[]`.
//!
//! The loader reads models compactly (`element::swagger`): `type`, `format`, `$ref`, `items`,
//! `properties`, `required`, `readOnly`. So what OpenAPI composes is flattened here: `allOf`
//! is merged into one definition, a reference to a non-object schema is inlined, and a
//! reference to an object schema stays a `$ref` to its definition, which is how a cycle
//! (a `Node` whose `children` are `Node`s) ends.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::{at, Notes};

const COMPONENTS: &str = "#/components/schemas/";
/// Inline properties nested deeper than this are cut (a generated document, not a real API).
const MAX_DEPTH: usize = 32;
/// `$ref` hops followed before giving up (a chain of references that never ends in a schema).
const MAX_HOPS: usize = 16;
/// How deep `objects[].fields` descend into references (the loader's own bound for models).
const MAX_FIELD_DEPTH: usize = 12;

/// The document's schemas, read on demand: each component's definition is made once.
pub(super) struct Schemas<'d> {
    doc: &'d Value,
    made: Map<String, Value>,
    /// The components being made, outermost first: an `allOf` back into one is a cycle.
    stack: Vec<String>,
}

/// A schema with `allOf` merged: what a definition or a property is made of.
#[derive(Default)]
struct Flat<'d> {
    kind: Option<String>,
    format: Option<String>,
    title: Option<String>,
    read_only: bool,
    properties: Vec<(String, &'d Value, String)>,
    required: Vec<String>,
    items: Option<(&'d Value, String)>,
}

/// What a `$ref` leads to: the component's name when it is one, the schema and its pointer.
struct Target<'d> {
    component: Option<String>,
    schema: &'d Value,
    pointer: String,
}

impl<'d> Schemas<'d> {
    pub(super) fn new(doc: &'d Value) -> Self {
        Schemas {
            doc,
            made: Map::new(),
            stack: Vec::new(),
        }
    }

    /// Follow `$ref`s from `schema` (at `pointer`) to a schema that is not one.
    fn follow(&self, schema: &'d Value, pointer: &str, notes: &mut Notes) -> Target<'d> {
        let mut target = Target {
            component: None,
            schema,
            pointer: pointer.to_string(),
        };
        for _ in 0..MAX_HOPS {
            let Some(reference) = target.schema.get("$ref").and_then(Value::as_str) else {
                return target;
            };
            let Some(local) = reference.strip_prefix('#') else {
                notes.warn(
                    &at(&target.pointer, "$ref"),
                    format!("$ref \"{reference}\" is not in this document: read as an empty schema (copy it in and import again)"),
                );
                return Target {
                    schema: &Value::Null,
                    ..target
                };
            };
            let Some(next) = self.doc.pointer(local) else {
                notes.warn(
                    &at(&target.pointer, "$ref"),
                    format!("$ref \"{reference}\" leads nowhere: read as an empty schema"),
                );
                return Target {
                    schema: &Value::Null,
                    ..target
                };
            };
            target = Target {
                component: reference.strip_prefix(COMPONENTS).map(unescape),
                schema: next,
                pointer: local.to_string(),
            };
        }
        notes.warn(
            pointer,
            "a chain of $refs too long to follow: read as an empty schema",
        );
        Target {
            schema: &Value::Null,
            ..target
        }
    }

    /// The definition of component `name` (made once).
    pub(super) fn component(&mut self, name: &str, notes: &mut Notes) -> Value {
        if let Some(made) = self.made.get(name) {
            return made.clone();
        }
        let pointer = format!(
            "/components/schemas/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        let Some(schema) = self.doc.pointer(&pointer) else {
            return json!({"type": "object"});
        };
        self.stack.push(name.to_string());
        let definition = self.definition(schema, &pointer, 0, notes);
        self.stack.pop();
        self.made.insert(name.to_string(), definition.clone());
        definition
    }

    /// A swagger definition (or property) of `schema`: an object's properties, an array's
    /// items, or a type with its format.
    fn definition(
        &mut self,
        schema: &'d Value,
        pointer: &str,
        depth: usize,
        notes: &mut Notes,
    ) -> Value {
        let flat = self.flatten(schema, pointer, notes);
        let mut out = Map::new();
        if let Some(title) = &flat.title {
            out.insert("title".into(), json!(title));
        }
        let kind = flat.kind.clone().or_else(|| {
            let shaped = !flat.properties.is_empty() || flat.items.is_some();
            shaped.then(|| {
                if flat.items.is_some() {
                    "array"
                } else {
                    "object"
                }
                .to_string()
            })
        });
        if let Some(kind) = kind {
            out.insert("type".into(), json!(kind));
        }
        if let Some(format) = &flat.format {
            out.insert("format".into(), json!(format));
        }
        if depth >= MAX_DEPTH && (!flat.properties.is_empty() || flat.items.is_some()) {
            notes.warn(
                pointer,
                "schema nested too deep: its inner properties are left out",
            );
            return Value::Object(out);
        }
        if !flat.properties.is_empty() {
            let mut properties = Map::new();
            for (name, property, place) in &flat.properties {
                properties.insert(
                    name.clone(),
                    self.property(property, place, depth + 1, notes),
                );
            }
            out.insert("properties".into(), Value::Object(properties));
        }
        if !flat.required.is_empty() {
            out.insert("required".into(), json!(flat.required));
        }
        if let Some((items, place)) = flat.items {
            out.insert(
                "items".into(),
                self.property(items, &place, depth + 1, notes),
            );
        }
        if flat.read_only {
            out.insert("readOnly".into(), json!(true));
        }
        Value::Object(out)
    }

    /// A property: a reference to an object component stays a `$ref` (cycles end there);
    /// anything else is made inline.
    fn property(
        &mut self,
        schema: &'d Value,
        pointer: &str,
        depth: usize,
        notes: &mut Notes,
    ) -> Value {
        // `allOf: [{$ref: X}]` is how OpenAPI 3.0 puts a description beside a reference.
        let single = match schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) if schema.get("properties").is_none() => only,
            _ => schema,
        };
        let target = self.follow(single, pointer, notes);
        if let Some(name) = &target.component {
            let definition = match self.stack.contains(name) {
                // Being made: it is an object (only objects refer back to themselves).
                true => None,
                false => Some(self.component(name, notes)),
            };
            let is_object = definition
                .as_ref()
                .is_none_or(|d| d.get("properties").is_some());
            if is_object {
                return json!({"$ref": format!("#/definitions/{name}")});
            }
            return definition.unwrap_or_default();
        }
        self.definition(target.schema, &target.pointer, depth, notes)
    }

    /// `schema` with its `allOf` parts merged in (references followed); a part that leads
    /// back to a component being made is a cycle, named and left out.
    fn flatten(&mut self, schema: &'d Value, pointer: &str, notes: &mut Notes) -> Flat<'d> {
        let mut flat = Flat::default();
        let target = self.follow(schema, pointer, notes);
        self.merge(&mut flat, target, notes);
        flat
    }

    fn merge(&mut self, flat: &mut Flat<'d>, target: Target<'d>, notes: &mut Notes) {
        let Target {
            schema,
            pointer,
            component,
        } = target;
        let pushed = component.is_some();
        if let Some(name) = component {
            self.stack.push(name);
        }
        let text = |key: &str| schema.get(key).and_then(Value::as_str).map(str::to_string);
        flat.kind = flat.kind.take().or_else(|| kind_of(schema));
        flat.format = flat.format.take().or_else(|| text("format"));
        flat.title = flat.title.take().or_else(|| text("title"));
        flat.read_only |= schema.get("readOnly").and_then(Value::as_bool) == Some(true);
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            let base = at(&pointer, "properties");
            for (name, property) in properties {
                flat.properties.retain(|(n, _, _)| n != name);
                flat.properties
                    .push((name.clone(), property, at(&base, name)));
            }
        }
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = name
                .as_str()
                .filter(|n| !flat.required.iter().any(|r| r == n))
            {
                flat.required.push(name.to_string());
            }
        }
        if let Some(items) = schema.get("items") {
            flat.items = Some((items, at(&pointer, "items")));
        }
        self.merge_parts(flat, schema, &pointer, notes);
        if pushed {
            self.stack.pop();
        }
    }

    /// `allOf` merged; `oneOf`/`anyOf` read as their first alternative, with a warning.
    fn merge_parts(
        &mut self,
        flat: &mut Flat<'d>,
        schema: &'d Value,
        pointer: &str,
        notes: &mut Notes,
    ) {
        let all = schema.get("allOf").and_then(Value::as_array);
        let parts = all
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, part)| (part, at(&at(pointer, "allOf"), &i.to_string())));
        let mut parts: Vec<(&'d Value, String)> = parts.collect();
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = schema.get(key).and_then(|v| v.get(0)) {
                notes.warn(
                    &at(pointer, key),
                    format!(
                        "{key}: the element's model has no alternatives; read as the first one"
                    ),
                );
                parts.push((first, at(&at(pointer, key), "0")));
            }
        }
        for (part, part_pointer) in parts {
            let target = self.follow(part, &part_pointer, notes);
            if let Some(name) = target.component.as_ref().filter(|n| self.stack.contains(n)) {
                notes.warn(
                    &part_pointer,
                    format!(
                        "allOf refers back to {name}, which it is part of: the cycle is cut here"
                    ),
                );
                continue;
            }
            self.merge(flat, target, notes);
        }
    }

    /// The definition of `schema`: its component's when it is a reference to one.
    pub(super) fn inline(&mut self, schema: &'d Value, pointer: &str, notes: &mut Notes) -> Value {
        let target = self.follow(schema, pointer, notes);
        match &target.component {
            Some(name) => self.component(name, notes),
            None => self.definition(target.schema, &target.pointer, 0, notes),
        }
    }

    /// A model's root and definitions from a response or request body schema: a component
    /// (or an array of one) is its own root; an inline object is the definition `inline`.
    pub(super) fn model_root(
        &mut self,
        schema: &'d Value,
        pointer: &str,
        inline: &str,
        notes: &mut Notes,
    ) -> Option<(String, Map<String, Value>)> {
        let target = self.follow(schema, pointer, notes);
        let flat_items = target.schema.get("items");
        let is_array = kind_of(target.schema).as_deref() == Some("array")
            || (flat_items.is_some() && target.schema.get("properties").is_none());
        if let (true, Some(items)) = (is_array, flat_items) {
            return self.model_root(items, &at(&target.pointer, "items"), inline, notes);
        }
        let (root, definition) = match &target.component {
            Some(name) => (name.clone(), self.component(name, notes)),
            None => (
                inline.to_string(),
                self.definition(target.schema, &target.pointer, 0, notes),
            ),
        };
        definition.get("properties")?;
        let mut definitions = Map::new();
        definitions.insert(root.clone(), definition);
        self.close(&mut definitions, notes);
        Some((root, definitions))
    }

    /// Add every definition the ones in `definitions` refer to.
    fn close(&mut self, definitions: &mut Map<String, Value>, notes: &mut Notes) {
        let mut wanted: Vec<String> = definitions.values().flat_map(references).collect();
        while let Some(name) = wanted.pop() {
            if definitions.contains_key(&name) {
                continue;
            }
            let definition = self.component(&name, notes);
            wanted.extend(references(&definition));
            definitions.insert(name, definition);
        }
    }

    /// `objects[]`: one per object schema of `components.schemas`, with its fields.
    pub(super) fn objects(&mut self, notes: &mut Notes) -> Vec<Value> {
        let doc = self.doc;
        let names: Vec<String> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| schemas.keys().cloned().collect())
            .unwrap_or_default();
        let mut objects = Vec::new();
        for name in names {
            let mut definitions = Map::new();
            definitions.insert(name.clone(), self.component(&name, notes));
            if definitions[&name].get("properties").is_none() {
                continue;
            }
            self.close(&mut definitions, notes);
            let mut fields = Vec::new();
            let mut walk = Walk {
                definitions: &definitions,
                fields: &mut fields,
                stack: vec![name.clone()],
            };
            walk.definition(&definitions[&name], "", 0);
            let mut object = Map::new();
            object.insert("name".into(), json!(name));
            object.insert("vendorName".into(), json!(name));
            if definitions[&name].pointer("/properties/id").is_some() {
                object.insert("primaryKeyName".into(), json!("id"));
            }
            object.insert("fields".into(), Value::Array(fields));
            objects.push(Value::Object(object));
        }
        objects
    }
}

/// `type`; OpenAPI 3.1's list form (`[string, "null"]`) gives its first non-null entry.
fn kind_of(schema: &Value) -> Option<String> {
    match schema.get("type")? {
        Value::String(kind) => Some(kind.clone()),
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .map(str::to_string),
        _ => None,
    }
}

/// The definitions `value` refers to (`#/definitions/<name>`), anywhere inside it.
fn references(value: &Value) -> Vec<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/definitions/"))
                {
                    out.insert(name.to_string());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out.into_iter().collect()
}

/// A JSON pointer token back to the key it escapes.
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The metadata fields of one object, as the metadata API shows model fields (README
/// "Objects and metadata"): dotted paths, `[*]` for the items of an array, a cycle cut.
struct Walk<'m> {
    definitions: &'m Map<String, Value>,
    fields: &'m mut Vec<Value>,
    stack: Vec<String>,
}

impl<'m> Walk<'m> {
    fn definition(&mut self, definition: &'m Value, prefix: &str, depth: usize) {
        let required = definition.get("required").and_then(Value::as_array);
        let properties = definition.get("properties").and_then(Value::as_object);
        for (name, property) in properties.into_iter().flatten() {
            let path = match prefix.is_empty() {
                true => name.clone(),
                false => format!("{prefix}.{name}"),
            };
            if !self.nested(property, &path, depth) {
                let required = required.is_some_and(|r| r.iter().any(|n| n == name));
                self.fields.push(field(&path, name, property, required));
            }
        }
    }

    /// Descend into an object or an array's objects; false when `property` is a leaf.
    fn nested(&mut self, property: &'m Value, path: &str, depth: usize) -> bool {
        if depth >= MAX_FIELD_DEPTH {
            return false;
        }
        let reference = property
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/definitions/"));
        if let Some(name) = reference {
            let Some(target) = self.definitions.get(name) else {
                return false;
            };
            if target.get("properties").is_none() || self.stack.iter().any(|s| s == name) {
                return false;
            }
            self.stack.push(name.to_string());
            self.definition(target, path, depth + 1);
            self.stack.pop();
            return true;
        }
        if property.get("properties").is_some() {
            self.definition(property, path, depth + 1);
            return true;
        }
        match property.get("items") {
            Some(items) => self.nested(items, &format!("{path}[*]"), depth + 1),
            None => false,
        }
    }
}

/// One field in the metadata API's shape.
fn field(path: &str, name: &str, property: &Value, required: bool) -> Value {
    let text = |key: &str| property.get(key).and_then(Value::as_str);
    let kind = text("type").unwrap_or(if property.get("$ref").is_some() {
        "object"
    } else {
        "string"
    });
    let format = text("format");
    let ce_type = match kind {
        "string" if matches!(format, Some("date" | "date-time")) => "date",
        "integer" | "number" => "number",
        "boolean" => "boolean",
        "array" => "array",
        "object" => "object",
        _ => "string",
    };
    let native = match format {
        Some(format) => format!("{kind}({format})"),
        None => kind.to_string(),
    };
    json!({
        "vendorPath": path,
        "type": ce_type,
        "vendorNativeType": native,
        "vendorDisplayName": name,
        "vendorRequired": required,
        "vendorReadOnly": property.get("readOnly").and_then(Value::as_bool) == Some(true),
    })
}
