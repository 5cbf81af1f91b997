//! The per-element OpenAPI 3.0.3 document (`GET /docs/<elementKey>`): the element's routed
//! resources as the caller sees them, response schemas from their swagger models. Pure.
//!
//! Paths are the element's own (`/hubs/crm/contacts`), below the server's prefix, which is the
//! document's one server URL. Only caller-side parameters appear: `path`, `query` and
//! `header` ones, and `body`, `bodyField`, `form` and `multipart` ones as the request body;
//! `value`, `configuration` and response parameters are the element's business.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Value};

use super::model::{Element, ParamKind, Parameter, Resource};
use super::swagger::{Definition, Model, Property};

/// Headers OpenAPI describes elsewhere (security, content negotiation): not parameters.
const RESERVED_HEADERS: &[&str] = &["authorization", "accept", "content-type"];

/// The OpenAPI 3.0.3 document of `element`, served below `prefix` (`/elements/api-v2`).
pub fn document(element: &Element, prefix: &str) -> Value {
    let mut schemas = Schemas::default();
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut operation_ids: HashMap<String, usize> = HashMap::new();
    for resource in element.resources.iter().filter(|r| r.is_routed()) {
        let mut operation = operation(element, resource, &mut schemas);
        let id = operation_id(resource, &mut operation_ids);
        operation.insert("operationId".into(), json!(id));
        paths.entry(resource.path.clone()).or_default().insert(
            resource.method.to_ascii_lowercase(),
            Value::Object(operation),
        );
    }
    let server = match prefix.trim_end_matches('/') {
        "" => "/".to_string(),
        trimmed => trimmed.to_string(),
    };
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": element.name,
            "version": "1",
            "description": format!("Element {}: its resources through elemental. Authenticate with `Authorization: Element <token>`.", element.key),
        },
        "servers": [{"url": server}],
        "security": [{"element": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "element": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Element <instance token>"}
            },
            "schemas": schemas.done,
        },
    })
}

/// A GET of a collection (the path does not end in a variable): it pages.
pub fn is_list(resource: &Resource) -> bool {
    resource.method == "GET"
        && !resource
            .path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .is_some_and(|last| last.starts_with('{'))
}

/// The names of the path's `{variables}`, in order.
pub fn path_variables(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .filter(|s| !s.is_empty())
        .collect()
}

fn operation(element: &Element, resource: &Resource, schemas: &mut Schemas) -> Map<String, Value> {
    let caller: Vec<&Parameter> = element
        .parameters
        .iter()
        .chain(&resource.parameters)
        .filter(|p| !p.from_response)
        .collect();
    let mut operation = Map::new();
    operation.insert(
        "summary".into(),
        json!(format!("{} {}", resource.method, resource.path)),
    );
    if !resource.object_name.is_empty() {
        operation.insert("tags".into(), json!([resource.object_name]));
    }
    operation.insert(
        "parameters".into(),
        Value::Array(parameters(resource, &caller)),
    );
    if let Some(body) = request_body(resource, &caller, schemas) {
        operation.insert("requestBody".into(), body);
    }
    operation.insert("responses".into(), responses(resource, schemas));
    operation
}

/// Path, query and header parameters; every path variable declared, paging on lists.
fn parameters(resource: &Resource, caller: &[&Parameter]) -> Vec<Value> {
    let variables = path_variables(&resource.path);
    let mut out: Vec<Value> = Vec::new();
    let mut seen: Vec<(&str, String)> = Vec::new();
    let mut add =
        |place: &'static str, name: &str, required: bool, kind: &str, out: &mut Vec<Value>| {
            let key = match place {
                "header" => name.to_ascii_lowercase(),
                _ => name.to_string(),
            };
            if seen.contains(&(place, key.clone())) {
                return;
            }
            seen.push((place, key));
            out.push(
                json!({"name": name, "in": place, "required": required, "schema": {"type": kind}}),
            );
        };
    for name in &variables {
        add("path", name, true, "string", &mut out);
    }
    for parameter in caller {
        let name = parameter.name.as_str();
        match parameter.kind {
            ParamKind::Query => add("query", name, parameter.required, "string", &mut out),
            ParamKind::Header
                if !RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) =>
            {
                add("header", name, parameter.required, "string", &mut out)
            }
            _ => {}
        }
    }
    if is_list(resource) {
        add("query", "page", false, "integer", &mut out);
        add("query", "pageSize", false, "integer", &mut out);
        add("query", "nextPage", false, "string", &mut out);
    }
    out
}

/// The request body: a `body` parameter's (the model's request schema when there is one),
/// else the fields of `bodyField`, `form` or `multipart` parameters.
fn request_body(
    resource: &Resource,
    caller: &[&Parameter],
    schemas: &mut Schemas,
) -> Option<Value> {
    if let Some(body) = caller.iter().find(|p| p.kind == ParamKind::Body) {
        let schema = resource
            .model
            .as_ref()
            .and_then(|model| schemas.request_root(model))
            .unwrap_or_else(|| json!({"type": "object"}));
        return Some(json!({
            "required": body.required,
            "content": {"application/json": {"schema": schema}},
        }));
    }
    let fields = |kind: ParamKind, format: Option<&str>| {
        let chosen: Vec<&&Parameter> = caller.iter().filter(|p| p.kind == kind).collect();
        (!chosen.is_empty()).then(|| {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for parameter in &chosen {
                let schema = match format {
                    Some(format) => json!({"type": "string", "format": format}),
                    None => json!({"type": "string"}),
                };
                properties.insert(parameter.name.clone(), schema);
                if parameter.required {
                    required.push(json!(parameter.name));
                }
            }
            let mut schema = json!({"type": "object", "properties": properties});
            if !required.is_empty() {
                schema["required"] = Value::Array(required);
            }
            schema
        })
    };
    let (media, schema) = [
        ("application/json", fields(ParamKind::BodyField, None)),
        (
            "application/x-www-form-urlencoded",
            fields(ParamKind::Form, None),
        ),
        (
            "multipart/form-data",
            fields(ParamKind::Multipart, Some("binary")),
        ),
    ]
    .into_iter()
    .find_map(|(media, schema)| Some((media, schema?)))?;
    Some(json!({"content": {media: {"schema": schema}}}))
}

/// The 200 answer: the model's schema (an array of it for a list), and the paging headers.
fn responses(resource: &Resource, schemas: &mut Schemas) -> Value {
    let mut ok = json!({"description": "The vendor's answer, after the element's hooks."});
    let schema = resource.model.as_ref().and_then(|m| schemas.root(m));
    if let Some(schema) = schema {
        let schema = match is_list(resource) {
            true => json!({"type": "array", "items": schema}),
            false => schema,
        };
        ok["content"] = json!({"application/json": {"schema": schema}});
    }
    if is_list(resource) {
        ok["headers"] = json!({
            "Elements-Next-Page-Token": {"description": "The token of the next page (send it as nextPage).", "schema": {"type": "string"}},
            "Elements-Returned-Count": {"description": "Records in this page.", "schema": {"type": "integer"}},
            "Elements-Total-Count": {"description": "Records in all, when the vendor says.", "schema": {"type": "integer"}},
        });
    }
    json!({
        "200": ok,
        "default": {"description": "An error: {\"message\", \"requestId\", \"providerMessage\"?}"},
    })
}

/// `getHubsCrmContactsById`-like ids, unique in the document.
fn operation_id(resource: &Resource, taken: &mut HashMap<String, usize>) -> String {
    let mut id = resource.method.to_ascii_lowercase();
    for segment in resource.path.split('/').filter(|s| !s.is_empty()) {
        let (segment, by) = match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(variable) => (variable, "By"),
            None => (segment, ""),
        };
        id.push_str(by);
        let mut upper = true;
        for c in segment.chars() {
            if !c.is_ascii_alphanumeric() {
                upper = true;
                continue;
            }
            id.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        }
    }
    let count = taken.entry(id.clone()).or_insert(0);
    *count += 1;
    match *count {
        1 => id,
        n => format!("{id}{n}"),
    }
}

/// `components.schemas` as the models are added: a definition keeps its name unless another
/// model already used the name for a different shape (then `<name>_2`, ...).
#[derive(Default)]
struct Schemas {
    done: Map<String, Value>,
    /// Each component's definition as written in its model (references not renamed), to
    /// tell a shared definition from a clash.
    written: HashMap<String, Definition>,
}

impl Schemas {
    /// A reference to the model's response root, its definitions added.
    fn root(&mut self, model: &Model) -> Option<Value> {
        let (name, _) = model.root()?;
        let names = self.add(&model.definitions);
        names.get(name).map(|n| reference(n))
    }

    fn request_root(&mut self, model: &Model) -> Option<Value> {
        let (name, _) = model.request_root()?;
        let names = self.add(&model.request_definitions);
        names.get(name).map(|n| reference(n))
    }

    /// Add the definitions; returns the component name of each.
    fn add(&mut self, definitions: &BTreeMap<String, Definition>) -> HashMap<String, String> {
        let mut names = HashMap::new();
        let mut new = Vec::new();
        for (name, definition) in definitions {
            let base = component_name(name);
            let mut candidate = base.clone();
            let mut n = 1;
            loop {
                match self.written.get(&candidate) {
                    Some(existing) if existing == definition => break,
                    None => {
                        self.written.insert(candidate.clone(), definition.clone());
                        new.push((candidate.clone(), definition));
                        break;
                    }
                    Some(_) => {
                        n += 1;
                        candidate = format!("{base}_{n}");
                    }
                }
            }
            names.insert(name.clone(), candidate);
        }
        for (component, definition) in new {
            let schema = definition_schema(definition, &names);
            self.done.insert(component, schema);
        }
        names
    }
}

/// Component names may hold letters, digits, `.`, `-` and `_` only.
fn component_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(
            |c| match c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                true => c,
                false => '_',
            },
        )
        .collect();
    match cleaned.is_empty() {
        true => "schema".into(),
        false => cleaned,
    }
}

/// `type`, when it is one OpenAPI 3.0 has; another (`date`, `int` in some exports) is a
/// string that keeps the export's word as `x-type`.
fn set_type(schema: &mut Map<String, Value>, kind: &str) {
    const TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];
    if TYPES.contains(&kind) {
        schema.insert("type".into(), json!(kind));
    } else {
        schema.insert("type".into(), json!("string"));
        schema.insert("x-type".into(), json!(kind));
    }
}

fn reference(component: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{component}")})
}

fn definition_schema(definition: &Definition, names: &HashMap<String, String>) -> Value {
    let mut schema = Map::new();
    let kind = definition.kind.as_deref().unwrap_or("object");
    set_type(&mut schema, kind);
    if kind == "array" {
        // A bare array schema's items are not kept (see `swagger`): any item.
        schema.insert("items".into(), json!({}));
    }
    if let Some(title) = &definition.title {
        schema.insert("title".into(), json!(title));
    }
    let properties: Map<String, Value> = definition
        .properties
        .iter()
        .map(|(name, property)| (name.clone(), property_schema(property, names)))
        .collect();
    schema.insert("properties".into(), Value::Object(properties));
    if !definition.required.is_empty() {
        schema.insert("required".into(), json!(definition.required));
    }
    if let Some(vendor) = &definition.vendor_object_name {
        schema.insert("x-vendor-objectname".into(), json!(vendor));
    }
    if !definition.primary_key.is_empty() {
        schema.insert("x-primary-key".into(), json!(definition.primary_key));
    }
    Value::Object(schema)
}

fn property_schema(property: &Property, names: &HashMap<String, String>) -> Value {
    if let Some(target) = &property.reference {
        // A reference to a definition the model does not have is any value, not a dangling
        // `$ref` that would make the whole document invalid.
        return names
            .get(target)
            .map_or_else(|| json!({}), |n| reference(n));
    }
    let mut schema = Map::new();
    if let Some(kind) = &property.kind {
        set_type(&mut schema, kind);
    }
    if let Some(format) = &property.format {
        schema.insert("format".into(), json!(format));
    }
    if property.kind.as_deref() == Some("array") || property.items.is_some() {
        let items = property
            .items
            .as_ref()
            .map_or_else(|| json!({}), |items| property_schema(items, names));
        schema.insert("type".into(), json!("array"));
        schema.insert("items".into(), items);
    }
    if !property.properties.is_empty() {
        let inner: Map<String, Value> = property
            .properties
            .iter()
            .map(|(name, p)| (name.clone(), property_schema(p, names)))
            .collect();
        schema.insert("properties".into(), Value::Object(inner));
    }
    if property.read_only {
        schema.insert("readOnly".into(), json!(true));
    }
    Value::Object(schema)
}

#[cfg(test)]
mod tests;
