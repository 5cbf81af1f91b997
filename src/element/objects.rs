//! Objects and their metadata, as Cloud Elements' metadata API shows them: built from the
//! export's `objects[]` and from the resources' swagger models. Pure data.
//!
//! An object's metadata is `{"fields": [...], "primaryKey"?: ...}`; each field says where it
//! is in the vendor's record (`vendorPath`, dotted, `[*]` for the items of an array), its
//! type in Cloud Elements' words and the swagger type it came from.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::{json, Map, Value};

use super::model::{Element, Resource};
use super::swagger::{Definition, Model, Property};

/// One entry of the export's `objects[]`: what Cloud Elements' metadata API says of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectInfo {
    pub name: String,
    /// `vendorName`: the vendor's name of the object.
    pub vendor_name: Option<String>,
    /// `primaryKeyName`.
    pub primary_key: Option<String>,
    /// `fields`, as declared (each a mapping with at least `vendorPath` or `path`).
    pub fields: Vec<Map<String, Value>>,
}

/// References deeper than this are not followed (a model is a tree written as definitions;
/// a cycle or a very deep one would otherwise have no end).
const MAX_DEPTH: usize = 12;
/// Fields of one object at most: the largest public model has about 5,000.
const MAX_FIELDS: usize = 20_000;

/// The element's objects, sorted: `objects[]`, resources' `objectName`, and the object of
/// every routed resource (but the metadata API's own `/objects/...` resources).
pub fn names(element: &Element) -> Vec<String> {
    let mut names: BTreeSet<&str> = element.objects.iter().map(|o| o.name.as_str()).collect();
    for resource in &element.resources {
        let listed =
            resource.object_named || (resource.is_routed() && !is_objects_path(&resource.path));
        if listed {
            names.insert(&resource.object_name);
        }
    }
    names.remove("");
    names.into_iter().map(str::to_string).collect()
}

/// Whether `path` is one of the metadata API's (`/hubs/<hub>/objects...`).
fn is_objects_path(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    segments.next() == Some("hubs") && segments.nth(1) == Some("objects")
}

/// The metadata of object `name`; `None` when the element has no such object.
pub fn metadata(element: &Element, name: &str) -> Option<Value> {
    let declared = element.objects.iter().find(|o| o.name == name);
    if declared.is_none() && !names(element).iter().any(|n| n == name) {
        return None;
    }
    let mut fields = Fields::default();
    for field in declared.into_iter().flat_map(|o| o.fields.iter()) {
        fields.declared(field);
    }
    let models = models_of(element, name);
    for model in &models {
        if let Some(root) = model.root() {
            fields.flatten(&model.definitions, root);
        }
    }
    for model in &models {
        if let Some(root) = model.request_root() {
            fields.flatten(&model.request_definitions, root);
        }
    }
    let mut out = Map::new();
    out.insert("fields".into(), Value::Array(fields.list));
    let from_models = || {
        let key = models
            .iter()
            .filter_map(|m| m.root())
            .map(|(_, root)| &root.primary_key)
            .find(|key| !key.is_empty())?;
        Some(match key.as_slice() {
            [one] => json!(one),
            many => json!(many),
        })
    };
    let primary = declared
        .and_then(|o| o.primary_key.clone())
        .map(Value::String)
        .or_else(from_models);
    if let Some(primary) = primary {
        out.insert("primaryKey".into(), primary);
    }
    Some(Value::Object(out))
}

/// The vendor's name of object `name`: `objects[].vendorName`, else a model's
/// `x-vendor-objectname`, else the name itself.
pub fn vendor_object_name<'e>(element: &'e Element, name: &'e str) -> &'e str {
    let declared = element
        .objects
        .iter()
        .find(|o| o.name == name)
        .and_then(|o| o.vendor_name.as_deref())
        .filter(|n| !n.is_empty());
    declared
        .or_else(|| {
            element
                .resources
                .iter()
                .filter(|r| r.object_name == name)
                .filter_map(|r| r.model.as_ref()?.root())
                .find_map(|(_, root)| root.vendor_object_name.as_deref())
        })
        .unwrap_or(name)
}

/// A metadata hook's answer with `metadata_merge: true`: its `fields` merged with the model's
/// by `vendorPath` — the hook's entry wins, the model's others are appended; the model's
/// `primaryKey` when the hook gives none. A body that is not a mapping is left as it is.
pub fn merge(hook: Value, model: Option<&Value>) -> Value {
    let Value::Object(mut body) = hook else {
        return hook;
    };
    let Some(model) = model else {
        return Value::Object(body);
    };
    let mut fields = match body.remove("fields") {
        Some(Value::Array(fields)) => fields,
        _ => Vec::new(),
    };
    let known: HashSet<String> = fields.iter().filter_map(vendor_path).collect();
    let extra = model.get("fields").and_then(Value::as_array);
    for field in extra.into_iter().flatten() {
        if vendor_path(field).is_none_or(|path| !known.contains(&path)) {
            fields.push(field.clone());
        }
    }
    body.insert("fields".into(), Value::Array(fields));
    if let Some(primary) = model
        .get("primaryKey")
        .filter(|_| !body.contains_key("primaryKey"))
    {
        body.insert("primaryKey".into(), primary.clone());
    }
    Value::Object(body)
}

fn vendor_path(field: &Value) -> Option<String> {
    field
        .get("vendorPath")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The models that describe object `name`: of its resources (GETs first: they show the
/// record as the vendor returns it), and any whose root says `x-vendor-objectname: name`.
fn models_of<'e>(element: &'e Element, name: &str) -> Vec<&'e Model> {
    let describes = |r: &&Resource| {
        r.object_name == name
            || r.model
                .as_ref()
                .and_then(|m| m.root())
                .is_some_and(|(_, root)| root.vendor_object_name.as_deref() == Some(name))
    };
    let (gets, others): (Vec<&Resource>, Vec<&Resource>) = element
        .resources
        .iter()
        .filter(describes)
        .partition(|r| r.method == "GET");
    gets.into_iter()
        .chain(others)
        .filter_map(|r| r.model.as_ref())
        .collect()
}

/// The fields gathered so far, each vendor path once.
#[derive(Default)]
struct Fields {
    list: Vec<Value>,
    seen: HashSet<String>,
}

impl Fields {
    fn declared(&mut self, field: &Map<String, Value>) {
        let mut field = field.clone();
        if !field.contains_key("vendorPath") {
            if let Some(path) = field.get("path").cloned() {
                field.insert("vendorPath".into(), path);
            }
        }
        if let Some(path) = field.get("vendorPath").and_then(Value::as_str) {
            self.seen.insert(path.to_string());
        }
        self.list.push(Value::Object(field));
    }

    /// Add the fields of `root` (a name and its definition in `definitions`).
    fn flatten<'m>(
        &mut self,
        definitions: &'m BTreeMap<String, Definition>,
        (name, root): (&'m str, &'m Definition),
    ) {
        let mut walk = Walk {
            definitions,
            fields: self,
            stack: vec![name],
        };
        walk.definition(root, "", 0);
    }

    fn push(&mut self, path: &str, name: &str, property: &Property, required: bool) {
        if self.list.len() >= MAX_FIELDS || !self.seen.insert(path.to_string()) {
            return;
        }
        let kind = property
            .kind
            .as_deref()
            .unwrap_or(match property.reference {
                Some(_) => "object",
                None => "string",
            });
        let native = match &property.format {
            Some(format) => format!("{kind}({format})"),
            None => kind.to_string(),
        };
        self.list.push(json!({
            "vendorPath": path,
            "type": ce_type(kind, property.format.as_deref()),
            "vendorNativeType": native,
            "vendorDisplayName": name,
            "vendorRequired": required,
            "vendorReadOnly": property.read_only,
        }));
    }
}

/// Cloud Elements' field types: `string`, `number`, `boolean`, `date` (a string of format
/// date or date-time), `array`, `object`.
fn ce_type(kind: &str, format: Option<&str>) -> &'static str {
    match kind {
        "string" if matches!(format, Some("date" | "date-time")) => "date",
        "integer" | "number" => "number",
        "boolean" => "boolean",
        "array" => "array",
        "object" => "object",
        _ => "string",
    }
}

/// One walk down a model's definitions, with the definitions on the way (no cycles).
struct Walk<'m, 'f> {
    definitions: &'m BTreeMap<String, Definition>,
    fields: &'f mut Fields,
    stack: Vec<&'m str>,
}

impl<'m> Walk<'m, '_> {
    fn definition(&mut self, definition: &'m Definition, prefix: &str, depth: usize) {
        for (name, property) in &definition.properties {
            let required = definition.required.iter().any(|r| r == name);
            self.property(name, property, prefix, required, depth);
        }
    }

    fn property(
        &mut self,
        name: &str,
        property: &'m Property,
        prefix: &str,
        required: bool,
        depth: usize,
    ) {
        let path = match prefix.is_empty() {
            true => name.to_string(),
            false => format!("{prefix}.{name}"),
        };
        if !self.nested(property, &path, depth) {
            self.fields.push(&path, name, property, required);
        }
    }

    /// Descend into an object (a `$ref` or inline properties) or the objects of an array;
    /// false when `property` is a leaf.
    fn nested(&mut self, property: &'m Property, path: &str, depth: usize) -> bool {
        if depth >= MAX_DEPTH {
            return false;
        }
        if let Some(reference) = property.reference.as_deref() {
            let Some((key, target)) = self.definitions.get_key_value(reference) else {
                return false;
            };
            if target.properties.is_empty() || self.stack.contains(&key.as_str()) {
                return false;
            }
            self.stack.push(key);
            self.definition(target, path, depth + 1);
            self.stack.pop();
            return true;
        }
        if !property.properties.is_empty() {
            for (name, inner) in &property.properties {
                self.property(name, inner, path, false, depth + 1);
            }
            return true;
        }
        match &property.items {
            Some(items) if matches!(property.kind.as_deref(), Some("array") | None) => {
                self.nested(items, &format!("{path}[*]"), depth + 1)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
pub(crate) use tests as tests_support;
