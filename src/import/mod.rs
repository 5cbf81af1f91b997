//! Importing other API descriptions as element skeletons: an OpenAPI 3.0/3.1 document → an element.
//!
//! The import reads the document with the element loader's own YAML reader (`element::located`),
//! so a broken file is reported at `line:column` and every warning names the place in the
//! document it comes from. What the element format cannot say is never dropped silently: it
//! becomes a [`Warning`] (`elemental import openapi` prints them on stderr).
//!
//! - `operations`: one resource per operation, with its parameters and its swagger `model`.
//! - `schemas`: `components.schemas` read as swagger definitions (`$ref` followed, `allOf`
//!   merged, a cycle left as a reference) and as `objects[]` with their metadata fields.
//! - `security`: `components.securitySchemes` as `authentication`, configuration and
//!   parameters.

mod operations;
mod schemas;
mod security;
#[cfg(test)]
mod tests;

use std::path::Path;

use serde_json::{json, Map, Value};

use crate::element::located::{self, Located, ParseError, Pos};

/// What the element is called and where its resources are served.
#[derive(Debug, Clone)]
pub struct Options {
    pub key: String,
    /// The element's name; `info.title` when `None`.
    pub name: Option<String>,
    /// Resources are served at `/hubs/<hub>/...`.
    pub hub: String,
}

/// An element made from a document, with what could not be carried over.
#[derive(Debug, Clone)]
pub struct Imported {
    pub element: Value,
    pub warnings: Vec<Warning>,
}

/// Something of the document the element does not express, and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// A JSON pointer into the document (`/paths/~1pets/get`).
    pub pointer: String,
    /// Where that is in the file, when the pointer names a node that exists.
    pub pos: Option<Pos>,
    pub message: String,
}

impl std::fmt::Display for Warning {
    /// `line:column: warning: message (at pointer)`, as `elemental check` words its warnings.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Pos { line, column } = self.pos.unwrap_or(Pos { line: 1, column: 1 });
        let at = match self.pointer.is_empty() {
            true => "/",
            false => self.pointer.as_str(),
        };
        write!(f, "{line}:{column}: warning: {} (at {at})", self.message)
    }
}

/// Why a document could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a file")]
    NotAFile { path: String },
    /// The YAML or JSON does not parse; displays as `line:column: message`.
    #[error("{0}")]
    Syntax(#[from] ParseError),
    #[error("this is a Swagger {0} description: only OpenAPI 3.0 and 3.1 are imported (convert it first, e.g. with swagger2openapi)")]
    Swagger2(String),
    #[error("not an OpenAPI 3 description: {0}")]
    NotOpenApi(String),
    #[error("the description has no paths: there is nothing to make resources of")]
    NoPaths,
    #[error("the hub {0:?} must be one path segment (no '/', braces, '?', '#' or spaces)")]
    BadHub(String),
    #[error("the element key {0:?} must be letters, digits, '.', '_' or '-' (it names the element's folder)")]
    BadKey(String),
}

/// Read the file at `path` and import it.
pub fn openapi_file(path: &Path, options: &Options) -> Result<Imported, ImportError> {
    let shown = path.display().to_string();
    if path.exists() && !path.is_file() {
        return Err(ImportError::NotAFile { path: shown });
    }
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Read {
        path: shown,
        source,
    })?;
    openapi(&text, options)
}

/// Import an OpenAPI 3 document (YAML or JSON text) as an element.
pub fn openapi(text: &str, options: &Options) -> Result<Imported, ImportError> {
    let key_ok = !options.key.is_empty()
        && options.key != "."
        && options.key != ".."
        && options
            .key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !key_ok {
        return Err(ImportError::BadKey(options.key.clone()));
    }
    // The hub is one path segment of every resource path.
    let hub_ok = !options.hub.is_empty()
        && !options.hub.contains(['/', '{', '}', '?', '#'])
        && !options.hub.contains(char::is_whitespace);
    if !hub_ok {
        return Err(ImportError::BadHub(options.hub.clone()));
    }
    let doc = located::parse(text)?;
    version(&doc.value)?;
    let paths = doc.value.get("paths").and_then(Value::as_object);
    if paths.is_none_or(|p| p.is_empty()) {
        return Err(ImportError::NoPaths);
    }
    let mut notes = Notes::default();
    if doc.value.get("webhooks").is_some() {
        notes.warn("/webhooks", "webhooks are not imported: an element receives a vendor's webhooks as events (README \"Events: inbound webhooks\"), declared by hand");
    }
    let element = element(&doc.value, options, &mut notes);
    Ok(Imported {
        element,
        warnings: notes.placed(&doc),
    })
}

/// OpenAPI 3.x only: Swagger 2 has another shape (`definitions`, `basePath`, body parameters).
fn version(doc: &Value) -> Result<(), ImportError> {
    if !doc.is_object() {
        return Err(ImportError::NotOpenApi(
            "the document is not a mapping".into(),
        ));
    }
    if let Some(swagger) = doc.get("swagger") {
        return Err(ImportError::Swagger2(crate::element::template::value_text(
            swagger,
        )));
    }
    match doc.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.") => Ok(()),
        Some(other) => Err(ImportError::NotOpenApi(format!(
            "openapi is {}, expected 3.0.x or 3.1.x",
            crate::element::template::value_text(other)
        ))),
        None => Err(ImportError::NotOpenApi(
            "it has no \"openapi\" version field".into(),
        )),
    }
}

/// The warnings gathered while reading, by JSON pointer; placed in the file at the end.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    list: Vec<(String, String)>,
}

impl Notes {
    pub(crate) fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let message = message.into();
        // One word per cause and place: a schema read for several operations warns once.
        if !self.list.iter().any(|(p, m)| p == pointer && *m == message) {
            self.list.push((pointer.to_string(), message));
        }
    }

    fn placed(self, doc: &Located) -> Vec<Warning> {
        self.list
            .into_iter()
            .map(|(pointer, message)| Warning {
                pos: Some(doc.nearest(&pointer)),
                pointer,
                message,
            })
            .collect()
    }
}

/// A JSON pointer to `key` below `pointer`.
pub(crate) fn at(pointer: &str, key: &str) -> String {
    located::child(pointer, key)
}

/// The element, its keys in the order the README's example has them.
fn element(doc: &Value, options: &Options, notes: &mut Notes) -> Value {
    let info = doc.get("info").and_then(Value::as_object);
    let text = |key: &str| info.and_then(|i| i.get(key)).and_then(Value::as_str);
    let name = options
        .name
        .clone()
        .or_else(|| text("title").map(str::to_string))
        .unwrap_or_else(|| options.key.clone());
    let mut element = Map::new();
    element.insert("key".into(), json!(options.key));
    element.insert("name".into(), json!(name));
    let description = text("description").or(text("summary"));
    if let Some(description) = description.filter(|d| !d.trim().is_empty()) {
        element.insert("description".into(), json!(description.trim_end()));
    }
    element.insert("hub".into(), json!(options.hub));
    let auth = security::authentication(doc, notes);
    element.insert("authentication".into(), json!({"type": auth.kind}));
    let mut configuration = vec![base_url(doc, notes)];
    configuration.extend(auth.configuration);
    element.insert("configuration".into(), Value::Array(configuration));
    if !auth.parameters.is_empty() {
        element.insert("parameters".into(), Value::Array(auth.parameters));
    }
    let mut schemas = schemas::Schemas::new(doc);
    let resources = operations::resources(doc, options, &auth.schemes, &mut schemas, notes);
    element.insert("resources".into(), Value::Array(resources));
    let objects = schemas.objects(notes);
    if !objects.is_empty() {
        element.insert("objects".into(), Value::Array(objects));
    }
    Value::Object(element)
}

/// `base.url` from `servers[0].url`, its variables filled with their defaults.
fn base_url(doc: &Value, notes: &mut Notes) -> Value {
    let mut field = json!({
        "key": "base.url",
        "name": "Base URL",
        "type": "TEXTFIELD_1000",
        "required": true,
    });
    let Some(server) = doc.pointer("/servers/0") else {
        notes.warn(
            "",
            "no servers: base.url has no default; set it on every instance",
        );
        return field;
    };
    let Some(template) = server.get("url").and_then(Value::as_str) else {
        notes.warn(
            "/servers/0",
            "servers[0] has no url: base.url has no default",
        );
        return field;
    };
    let url = fill_variables(template, server.get("variables"), notes);
    if !url.starts_with("http://") && !url.starts_with("https://") {
        notes.warn(
            "/servers/0/url",
            format!("server url \"{url}\" is relative: kept as base.url's default, but every instance must set an absolute http(s) base.url"),
        );
    }
    if doc.get("servers").and_then(Value::as_array).map(Vec::len) > Some(1) {
        notes.warn(
            "/servers/1",
            "only servers[0] becomes base.url's default; the other servers are not carried over",
        );
    }
    // Vendor paths start with '/': a trailing one would double it.
    let url = url.trim_end_matches('/');
    if let Some(field) = field.as_object_mut() {
        field.insert("defaultValue".into(), json!(url));
    }
    field
}

/// `{name}` in a server url replaced by `variables.name.default`.
fn fill_variables(template: &str, variables: Option<&Value>, notes: &mut Notes) -> String {
    let mut url = template.to_string();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        let default = variables
            .and_then(|v| v.get(name))
            .and_then(|v| v.get("default"))
            .map(crate::element::template::value_text);
        match default {
            Some(value) => url = url.replace(&format!("{{{name}}}"), &value),
            None => notes.warn(
                "/servers/0/url",
                format!("server variable {{{name}}} has no default: left in base.url as written"),
            ),
        }
        rest = &rest[start + len + 1..];
    }
    url
}

/// The element as YAML text, with a comment saying where it came from.
///
/// saphyr writes it; the text is read back and compared, and if the two ever differ the JSON
/// form (which is YAML too) is written instead, so the file always loads as what was imported.
pub fn to_yaml(element: &Value, source: &str) -> String {
    let header = format!(
        "# Imported from {source} by `elemental import openapi`: a skeleton to edit (hooks, paging, rootKey).\n"
    );
    let mut out = String::new();
    let mut emitter = saphyr::YamlEmitter::new(&mut out);
    emitter.multiline(true);
    let emitted = emitter.dump(&yaml_of(element)).is_ok();
    // saphyr indents the blank lines of a literal block; a blank line reads the same bare.
    let mut out: String = out
        .lines()
        .map(|line| match line.trim().is_empty() {
            true => "",
            false => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let faithful = emitted && located::parse(&out).is_ok_and(|parsed| parsed.value == *element);
    if !faithful {
        out = serde_json::to_string_pretty(element).unwrap_or_default();
    }
    let body = out.strip_prefix("---\n").unwrap_or(&out);
    format!("{header}{}\n", body.trim_end())
}

fn yaml_of(value: &Value) -> saphyr::Yaml<'static> {
    use saphyr::{Scalar, Yaml};
    use std::borrow::Cow;
    match value {
        Value::Null => Yaml::Value(Scalar::Null),
        Value::Bool(b) => Yaml::Value(Scalar::Boolean(*b)),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Yaml::Value(Scalar::Integer(i)),
            (None, Some(f)) => Yaml::Value(Scalar::FloatingPoint(f.into())),
            (None, None) => Yaml::Value(Scalar::String(Cow::Owned(n.to_string()))),
        },
        Value::String(s) => Yaml::Value(Scalar::String(Cow::Owned(s.clone()))),
        Value::Array(items) => Yaml::Sequence(items.iter().map(yaml_of).collect()),
        Value::Object(map) => {
            let mut mapping = saphyr::Mapping::new();
            for (key, value) in map {
                mapping.insert(
                    Yaml::Value(Scalar::String(Cow::Owned(key.clone()))),
                    yaml_of(value),
                );
            }
            Yaml::Mapping(mapping)
        }
    }
}
