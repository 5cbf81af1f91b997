//! Resources' swagger models (`model:` of Cloud Elements exports), kept compact: the shape of
//! each definition, without the sample values, for the metadata API and the OpenAPI document.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

/// A resource's `model`: its response definitions (`swagger`) and request ones
/// (`requestSwagger`), each named; `name` and `request_name` name the root of each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    pub name: String,
    pub request_name: Option<String>,
    pub definitions: BTreeMap<String, Definition>,
    pub request_definitions: BTreeMap<String, Definition>,
    /// The keys of the two roots, found once when read (`root`, `request_root`).
    root: Option<String>,
    request_root: Option<String>,
}

/// One swagger definition (`{title, type, properties, required, x-vendor-objectname, ...}`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Definition {
    pub title: Option<String>,
    pub kind: Option<String>,
    /// In the file's order.
    pub properties: Vec<(String, Property)>,
    pub required: Vec<String>,
    /// `x-vendor-objectname`: the vendor's name of the object.
    pub vendor_object_name: Option<String>,
    /// `x-primary-key`.
    pub primary_key: Vec<String>,
}

/// One property of a definition: a type (with its format), a `$ref` to another definition,
/// the items of an array, or inline properties.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Property {
    pub kind: Option<String>,
    pub format: Option<String>,
    /// The referenced definition's name (`#/definitions/` removed).
    pub reference: Option<String>,
    pub items: Option<Box<Property>>,
    pub properties: Vec<(String, Property)>,
    pub read_only: bool,
}

/// Something in a model that was not read: where (a JSON pointer below the model) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub pointer: String,
    pub message: String,
}

/// How deep inline properties and items are read: deeper is certainly not a real model.
const MAX_DEPTH: usize = 32;

impl Model {
    /// Read a `model` value; the parts that are malformed are left out and named in
    /// `problems` (the loader turns them into warnings: a model is documentation, and an
    /// element whose model is odd still serves its requests).
    pub fn read(value: &Value, problems: &mut Vec<Problem>) -> Option<Model> {
        let Some(map) = value.as_object() else {
            problems.push(problem("", "a model must be a mapping"));
            return None;
        };
        let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
        let name = text("name").unwrap_or_default();
        let request_name = text("requestName").filter(|n| !n.is_empty());
        let definitions = definitions_of(map.get("swagger"), "/swagger", &name, problems);
        let request_definitions = definitions_of(
            map.get("requestSwagger"),
            "/requestSwagger",
            request_name.as_deref().unwrap_or(&name),
            problems,
        );
        let root = root_of(&definitions, &name);
        let request_root = request_name
            .as_deref()
            .and_then(|n| root_of(&request_definitions, n));
        Some(Model {
            name,
            request_name,
            definitions,
            request_definitions,
            root,
            request_root,
        })
    }

    /// The root definition of the response: the one named `name`, else the one no other
    /// refers to (CE names the root `<name>Object` in some exports).
    pub fn root(&self) -> Option<(&str, &Definition)> {
        let (key, definition) = self.definitions.get_key_value(self.root.as_deref()?)?;
        Some((key.as_str(), definition))
    }

    /// The root definition of the request body, when the model has one.
    pub fn request_root(&self) -> Option<(&str, &Definition)> {
        let key = self.request_root.as_deref()?;
        let (key, definition) = self.request_definitions.get_key_value(key)?;
        Some((key.as_str(), definition))
    }
}

/// The key of the root among `definitions`: `name`, else the first no other refers to.
fn root_of(definitions: &BTreeMap<String, Definition>, name: &str) -> Option<String> {
    if definitions.contains_key(name) {
        return Some(name.to_string());
    }
    let referenced: HashSet<&str> = definitions
        .values()
        .flat_map(|d| d.properties.iter())
        .flat_map(|(_, p)| p.references())
        .collect();
    definitions
        .keys()
        .find(|key| !referenced.contains(key.as_str()))
        .cloned()
}

impl Property {
    /// The definitions this property refers to, through its items and inline properties.
    pub fn references(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.reference.as_deref().into_iter().collect();
        if let Some(items) = &self.items {
            out.extend(items.references());
        }
        for (_, property) in &self.properties {
            out.extend(property.references());
        }
        out
    }
}

fn problem(pointer: &str, message: impl Into<String>) -> Problem {
    Problem {
        pointer: pointer.to_string(),
        message: message.into(),
    }
}

/// The definitions at `at`. Some exports put one schema there instead of named definitions
/// (`{type: array, items: ...}`): it is read as the definition `root`.
fn definitions_of(
    value: Option<&Value>,
    at: &str,
    root: &str,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, Definition> {
    let mut out = BTreeMap::new();
    let map = match value {
        None | Some(Value::Null) => return out,
        Some(Value::Object(map)) => map,
        Some(_) => {
            problems.push(problem(at, "swagger definitions must be a mapping"));
            return out;
        }
    };
    // Definitions are mappings: a string `type` can only be a bare schema's.
    if map.get("type").is_some_and(Value::is_string) {
        if let Some(value) = value {
            let definition = read_definition(value, at, problems).unwrap_or_default();
            out.insert(root.to_string(), definition);
        }
        return out;
    }
    let mut odd = Vec::new();
    for (name, definition) in map {
        let pointer = format!("{at}/{}", escape(name));
        match definition {
            Value::Object(_) => {
                if let Some(definition) = read_definition(definition, &pointer, problems) {
                    out.insert(name.clone(), definition);
                }
            }
            _ => odd.push(name.as_str()),
        }
    }
    if !odd.is_empty() {
        let more = match odd.len() {
            0..=3 => String::new(),
            n => format!(" and {} more", n - 3),
        };
        let names = odd.iter().take(3).copied().collect::<Vec<_>>().join(", ");
        let message =
            format!("swagger definitions must be mappings, {names}{more} not (sample data?)");
        problems.push(problem(at, message));
    }
    out
}

fn read_definition(value: &Value, at: &str, problems: &mut Vec<Problem>) -> Option<Definition> {
    let Some(map) = value.as_object() else {
        problems.push(problem(at, "a swagger definition must be a mapping"));
        return None;
    };
    let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
    Some(Definition {
        title: text("title"),
        kind: text("type"),
        properties: properties(map, at, problems, 0),
        required: strings(map.get("required")),
        vendor_object_name: text("x-vendor-objectname").filter(|n| !n.is_empty()),
        primary_key: match map.get("x-primary-key") {
            Some(Value::String(key)) => vec![key.clone()],
            other => strings(other),
        },
    })
}

fn properties(
    map: &Map<String, Value>,
    at: &str,
    problems: &mut Vec<Problem>,
    depth: usize,
) -> Vec<(String, Property)> {
    let at = format!("{at}/properties");
    match map.get("properties") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(properties)) => properties
            .iter()
            .filter_map(|(name, value)| {
                let pointer = format!("{at}/{}", escape(name));
                read_property(value, &pointer, problems, depth)
                    .map(|property| (name.clone(), property))
            })
            .collect(),
        Some(_) => {
            problems.push(problem(&at, "properties must be a mapping"));
            Vec::new()
        }
    }
}

fn read_property(
    value: &Value,
    at: &str,
    problems: &mut Vec<Problem>,
    depth: usize,
) -> Option<Property> {
    let Some(map) = value.as_object() else {
        problems.push(problem(at, "a property must be a mapping"));
        return None;
    };
    if depth > MAX_DEPTH {
        problems.push(problem(at, "properties nested too deep"));
        return None;
    }
    let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
    let items = match map.get("items") {
        None | Some(Value::Null) => None,
        Some(items) => read_property(items, &format!("{at}/items"), problems, depth + 1),
    };
    Some(Property {
        kind: text("type"),
        format: text("format").filter(|f| !f.is_empty()),
        reference: text("$ref").map(|r| {
            r.rsplit_once('/')
                .map_or(r.as_str(), |(_, name)| name)
                .to_string()
        }),
        items: items.map(Box::new),
        properties: properties(map, at, problems, depth + 1),
        read_only: map.get("readOnly").and_then(Value::as_bool) == Some(true),
    })
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// A key as a JSON pointer token.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_ce_model_is_read_without_its_samples() {
        let value = json!({
            "name": "contacts", "requestName": "contactsReq",
            "swagger": {
                "contacts": {"title": "contacts", "type": "object", "x-vendor-objectname": "Contact",
                    "x-primary-key": ["id"], "required": ["id"],
                    "properties": {
                        "id": {"type": "integer", "format": "int64", "x-samplevalue": 1},
                        "address": {"$ref": "#/definitions/contactsAddress"},
                        "tags": {"type": "array", "items": {"type": "string"}}}},
                "contactsAddress": {"title": "address", "type": "object",
                    "properties": {"city": {"type": "string"}}}
            },
            "requestSwagger": {"contactsReq": {"type": "object", "properties": {"name": {"type": "string"}}}}
        });
        let mut problems = Vec::new();
        let model = Model::read(&value, &mut problems).expect("a model");
        assert_eq!(problems, Vec::new());
        let (name, root) = model.root().expect("root");
        assert_eq!(name, "contacts");
        assert_eq!(root.vendor_object_name.as_deref(), Some("Contact"));
        assert_eq!(root.primary_key, vec!["id".to_string()]);
        assert_eq!(root.properties[0].1.format.as_deref(), Some("int64"));
        assert_eq!(
            root.properties[1].1.reference.as_deref(),
            Some("contactsAddress")
        );
        assert_eq!(model.request_root().map(|(n, _)| n), Some("contactsReq"));
    }

    #[test]
    fn the_root_is_the_unreferenced_definition_when_none_has_the_name() {
        let value = json!({"name": "departments", "swagger": {
            "child": {"type": "object", "properties": {}},
            "departmentsObject": {"type": "object", "properties": {"c": {"$ref": "#/definitions/child"}}}
        }});
        let model = Model::read(&value, &mut Vec::new()).expect("a model");
        assert_eq!(model.root().map(|(n, _)| n), Some("departmentsObject"));
    }

    #[test]
    fn a_bare_schema_is_the_root_definition() {
        let value =
            json!({"name": "objects", "swagger": {"type": "array", "items": {"type": "string"}}});
        let mut problems = Vec::new();
        let model = Model::read(&value, &mut problems).expect("a model");
        assert_eq!(problems, Vec::new());
        let (name, root) = model.root().expect("root");
        assert_eq!((name, root.kind.as_deref()), ("objects", Some("array")));
    }

    #[test]
    fn malformed_parts_are_problems_with_their_place() {
        let value = json!({"name": "x", "swagger": {
            "x": {"type": "object", "properties": {"a": 3, "b/c": {"type": "string"}}},
            "y": "no"
        }, "requestSwagger": []});
        let mut problems = Vec::new();
        let model = Model::read(&value, &mut problems).expect("a model");
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            vec!["/swagger/x/properties/a", "/swagger", "/requestSwagger"]
        );
        assert!(problems[1].message.contains("y not"), "{problems:?}");
        assert_eq!(model.definitions["x"].properties.len(), 1);
        assert!(Model::read(&json!("text"), &mut problems).is_none());
    }
}
