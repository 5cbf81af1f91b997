//! One resource per operation: its caller path below the hub, its vendor path as written, its
//! parameters (path, query, header, the request body) and its swagger `model`.

use serde_json::{json, Map, Value};

use super::schemas::Schemas;
use super::{at, Notes, Options};
use crate::routing::Router;

/// The operations of a path item, in the order the element lists them. `trace` has no
/// resource method in the element format and is named in a warning.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Headers OpenAPI says a parameter must not describe (they come from `consumes`/`produces`
/// and `securitySchemes`): the spec tells readers to ignore them, and so does the import.
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// Every operation of every path as a resource; a second operation with the same method and
/// path shape would make `check` fail (one of them could never be reached), so it is left out
/// with a warning.
pub(super) fn resources<'d>(
    doc: &'d Value,
    options: &Options,
    schemes: &[String],
    schemas: &mut Schemas<'d>,
    notes: &mut Notes,
) -> Vec<Value> {
    let mut resources = Vec::new();
    let mut router = Router::default();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return resources;
    };
    for (path, item) in paths {
        let pointer = at("/paths", path);
        let Some(item) = item.as_object() else {
            notes.warn(&pointer, "a path item must be a mapping; left out");
            continue;
        };
        if item.contains_key("$ref") {
            notes.warn(
                &at(&pointer, "$ref"),
                "a path item given by $ref is not followed; left out",
            );
        }
        if item.contains_key("trace") {
            notes.warn(
                &at(&pointer, "trace"),
                "TRACE has no resource method in the element format; left out",
            );
        }
        for method in METHODS {
            let Some(operation) = item.get(*method) else {
                continue;
            };
            let op_pointer = at(&pointer, method);
            let operation = Operation {
                path,
                method,
                item,
                operation,
                pointer: op_pointer,
            };
            let Some(resource) = operation.resource(doc, options, schemas, notes) else {
                continue;
            };
            let (route_method, route_path) =
                (method.to_ascii_uppercase(), caller_path(options, path));
            if let Some(clash) = router.add(&route_method, &route_path, resources.len()) {
                let other = resources
                    .get(clash)
                    .and_then(|r: &Value| r.get("path"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                notes.warn(&operation.pointer, format!("{route_method} {route_path} has the same shape as {route_method} {other}: the element could only ever reach one; left out"));
                continue;
            }
            operation.security(doc, schemes, notes);
            resources.push(resource);
        }
    }
    resources
}

/// `/hubs/<hub><path>`.
fn caller_path(options: &Options, path: &str) -> String {
    format!("/hubs/{}/{}", options.hub, path.trim_start_matches('/'))
}

/// One operation of the document and where it is.
struct Operation<'d> {
    path: &'d str,
    method: &'d str,
    item: &'d Map<String, Value>,
    operation: &'d Value,
    pointer: String,
}

impl<'d> Operation<'d> {
    fn resource(
        &self,
        doc: &'d Value,
        options: &Options,
        schemas: &mut Schemas<'d>,
        notes: &mut Notes,
    ) -> Option<Value> {
        if !self.operation.is_object() {
            notes.warn(&self.pointer, "an operation must be a mapping; left out");
            return None;
        }
        let method = self.method.to_ascii_uppercase();
        let path = caller_path(options, self.path);
        for segment in self.path.split('/').filter(|s| s.contains('{')) {
            if !(segment.starts_with('{')
                && segment.ends_with('}')
                && segment.matches('{').count() == 1)
            {
                notes.warn(&at("/paths", self.path), format!("path segment \"{segment}\" mixes a parameter with text: callers must send it as written in the resource path (elemental matches whole segments); edit the resource's path"));
            }
        }
        let mut resource = Map::new();
        resource.insert("method".into(), json!(method));
        resource.insert("path".into(), json!(path));
        resource.insert("vendorMethod".into(), json!(method));
        resource.insert("vendorPath".into(), json!(self.path));
        let text = |key: &str| {
            self.operation
                .get(key)
                .and_then(Value::as_str)
                .filter(|t| !t.trim().is_empty())
        };
        if let Some(description) = text("summary").or(text("description")) {
            resource.insert("description".into(), json!(description.trim_end()));
        }
        if let Some(id) = text("operationId") {
            resource.insert("operationId".into(), json!(id));
        }
        if self.operation.get("callbacks").is_some() {
            notes.warn(&at(&self.pointer, "callbacks"), "callbacks are not imported: a vendor's calls to the caller reach an element as events (README \"Events: inbound webhooks\")");
        }
        if self.operation.get("deprecated").and_then(Value::as_bool) == Some(true) {
            notes.warn(
                &self.pointer,
                "deprecated operation: imported like the others",
            );
        }
        let mut parameters = self.parameters(doc, notes);
        let request = self.request_body(doc, &mut parameters, schemas, notes);
        if !parameters.is_empty() {
            resource.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(model) = self.model(request, schemas, notes) {
            resource.insert("model".into(), model);
        }
        Some(Value::Object(resource))
    }

    /// The path item's parameters, then the operation's (which override by name and place).
    fn parameters(&self, doc: &'d Value, notes: &mut Notes) -> Vec<Value> {
        let shared = self
            .item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let shared = shared.enumerate().map(|(i, p)| {
            (
                p,
                at(&at(&at("/paths", self.path), "parameters"), &i.to_string()),
            )
        });
        let own = self
            .operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let own = own
            .enumerate()
            .map(|(i, p)| (p, at(&at(&self.pointer, "parameters"), &i.to_string())));
        let mut out: Vec<Value> = Vec::new();
        for (parameter, pointer) in shared.chain(own) {
            let (parameter, pointer) = resolve(doc, parameter, pointer, notes);
            let Some(parameter) = self.parameter(parameter, &pointer, notes) else {
                continue;
            };
            let same = |p: &Value| {
                p.get("name") == parameter.get("name") && p.get("type") == parameter.get("type")
            };
            out.retain(|p| !same(p));
            out.push(parameter);
        }
        out
    }

    fn parameter(&self, parameter: &Value, pointer: &str, notes: &mut Notes) -> Option<Value> {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty());
        let place = parameter.get("in").and_then(Value::as_str);
        let (Some(name), Some(place)) = (name, place) else {
            notes.warn(pointer, "a parameter needs a name and an \"in\"; left out");
            return None;
        };
        let kind = match place {
            "path" | "query" => place,
            "header" if IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) => {
                notes.warn(pointer, format!("header parameter \"{name}\" is ignored, as OpenAPI says: the element sends Accept and Content-Type itself, and Authorization comes from its authentication"));
                return None;
            }
            "header" => "header",
            "cookie" => {
                notes.warn(pointer, format!("cookie parameter \"{name}\": the element format has no cookie parameters (a `value` parameter with vendorName Cookie, or a hook, can send it); left out"));
                return None;
            }
            other => {
                notes.warn(pointer, format!("parameter \"{name}\" is in \"{other}\", which OpenAPI 3 does not have; left out"));
                return None;
            }
        };
        let required =
            place == "path" || parameter.get("required").and_then(Value::as_bool) == Some(true);
        let mut out = Map::new();
        out.insert("name".into(), json!(name));
        out.insert("type".into(), json!(kind));
        out.insert("vendorName".into(), json!(name));
        out.insert("vendorType".into(), json!(kind));
        out.insert("required".into(), json!(required));
        if let Some(description) = parameter
            .get("description")
            .and_then(Value::as_str)
            .filter(|d| !d.trim().is_empty())
        {
            out.insert("description".into(), json!(description.trim_end()));
        }
        Some(Value::Object(out))
    }

    /// The request body as parameters: a JSON body is one `body` parameter, a form or
    /// multipart body one `form`/`multipart` parameter per property. Its schema, for the model.
    fn request_body(
        &self,
        doc: &'d Value,
        parameters: &mut Vec<Value>,
        schemas: &mut Schemas<'d>,
        notes: &mut Notes,
    ) -> Option<(&'d Value, String)> {
        let body = self.operation.get("requestBody")?;
        let (body, pointer) = resolve(doc, body, at(&self.pointer, "requestBody"), notes);
        let required = body.get("required").and_then(Value::as_bool) == Some(true);
        let content = body.get("content").and_then(Value::as_object)?;
        let description = body
            .get("description")
            .and_then(Value::as_str)
            .filter(|d| !d.trim().is_empty());
        let content_pointer = at(&pointer, "content");
        if let Some((media, value)) = content.iter().find(|(m, _)| is_json(m)) {
            let mut parameter = json!({"name": "body", "type": "body", "vendorName": "body", "vendorType": "body", "required": required});
            if let (Some(description), Some(map)) = (description, parameter.as_object_mut()) {
                map.insert("description".into(), json!(description.trim_end()));
            }
            parameters.push(parameter);
            let schema = value.get("schema")?;
            return Some((schema, at(&at(&content_pointer, media), "schema")));
        }
        let form = content.iter().find(|(m, _)| {
            matches!(
                m.as_str(),
                "application/x-www-form-urlencoded" | "multipart/form-data"
            )
        });
        let Some((media, value)) = form else {
            let types: Vec<&str> = content.keys().map(String::as_str).collect();
            notes.warn(&content_pointer, format!("request body of type {}: only JSON, form and multipart bodies become parameters; a `body` parameter or a hook can send it", types.join(", ")));
            return None;
        };
        let kind = if media == "multipart/form-data" {
            "multipart"
        } else {
            "form"
        };
        let schema_pointer = at(&at(&content_pointer, media), "schema");
        let schema = value.get("schema")?;
        let definition = schemas.inline(schema, &schema_pointer, notes);
        let required_fields = definition
            .get("required")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for name in definition
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|p| p.keys())
        {
            let required = required && required_fields.iter().any(|r| r == name);
            parameters.push(json!({"name": name, "type": kind, "vendorName": name, "vendorType": kind, "required": required}));
        }
        None
    }

    /// The swagger `model`: the first 2xx JSON response's schema and the JSON request body's.
    fn model(
        &self,
        request: Option<(&'d Value, String)>,
        schemas: &mut Schemas<'d>,
        notes: &mut Notes,
    ) -> Option<Value> {
        let base = self
            .operation
            .get("operationId")
            .and_then(Value::as_str)
            .map(identifier)
            .unwrap_or_else(|| identifier(&format!("{} {}", self.method, self.path)));
        let response = self.response_schema(notes).and_then(|(schema, pointer)| {
            schemas.model_root(schema, &pointer, &format!("{base}Response"), notes)
        });
        let request = request.and_then(|(schema, pointer)| {
            schemas.model_root(schema, &pointer, &format!("{base}Request"), notes)
        });
        if response.is_none() && request.is_none() {
            return None;
        }
        let mut model = Map::new();
        if let Some((name, definitions)) = response {
            model.insert("name".into(), json!(name));
            model.insert("swagger".into(), Value::Object(definitions));
        }
        if let Some((name, definitions)) = request {
            model.insert("requestName".into(), json!(name));
            model.insert("requestSwagger".into(), Value::Object(definitions));
        }
        Some(Value::Object(model))
    }

    /// The schema of the first 2xx response (`200` before `201` ..., then `2XX`) with JSON.
    fn response_schema(&self, notes: &mut Notes) -> Option<(&'d Value, String)> {
        let responses = self.operation.get("responses").and_then(Value::as_object)?;
        let mut codes: Vec<&String> = responses.keys().filter(|c| c.starts_with('2')).collect();
        codes.sort_by_key(|c| c.eq_ignore_ascii_case("2XX"));
        let code = codes.first()?;
        let pointer = at(&at(&self.pointer, "responses"), code);
        let response = responses.get(*code)?;
        if response.get("$ref").is_some() {
            notes.warn(
                &pointer,
                "a response given by $ref is not followed: the resource has no response model",
            );
            return None;
        }
        let content = response.get("content").and_then(Value::as_object)?;
        let (media, value) = content.iter().find(|(m, _)| is_json(m))?;
        Some((
            value.get("schema")?,
            at(&at(&at(&pointer, "content"), media), "schema"),
        ))
    }

    /// An operation whose `security` differs from what the element does for every request.
    fn security(&self, doc: &'d Value, schemes: &[String], notes: &mut Notes) {
        let Some(requirements) = self.operation.get("security").and_then(Value::as_array) else {
            return;
        };
        if doc.get("security") == self.operation.get("security") {
            return;
        }
        let wanted: Vec<&String> = requirements
            .first()
            .and_then(Value::as_object)
            .map(|r| r.keys().collect())
            .unwrap_or_default();
        let same = wanted.len() == schemes.len() && wanted.iter().all(|w| schemes.contains(w));
        if !same {
            notes.warn(&at(&self.pointer, "security"), "this operation's security differs from the element's, which applies to every resource: adjust this resource by hand (a parameter with vendorType no-op, or a hook)");
        }
    }
}

/// Follow a `$ref` to `#/components/...` (parameters, request bodies).
fn resolve<'d>(
    doc: &'d Value,
    value: &'d Value,
    pointer: String,
    notes: &mut Notes,
) -> (&'d Value, String) {
    let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
        return (value, pointer);
    };
    match reference
        .strip_prefix('#')
        .and_then(|p| Some((doc.pointer(p)?, p)))
    {
        Some((target, local)) => (target, local.to_string()),
        None => {
            notes.warn(
                &pointer,
                format!("$ref \"{reference}\" is not in this document; left out"),
            );
            (&Value::Null, pointer)
        }
    }
}

/// `application/json`, `application/problem+json`, `*/*`: bodies elemental sends as JSON.
fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// `find pet by id` → `findPetById`: a definition name made of an operation's words.
fn identifier(text: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if upper && !out.is_empty() {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}
