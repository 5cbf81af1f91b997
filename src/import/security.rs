//! `components.securitySchemes` → the element's `authentication`, configuration and parameters.
//!
//! An element authenticates every request the same way, so one requirement is mapped: the
//! first of the top-level `security`, else the first scheme declared. An API key goes out as
//! a `value` parameter from a PASSWORD configuration key (as `elements/democrm` sends
//! `X-Api-Key`); HTTP basic is `authentication: basic`; a bearer token is an `Authorization`
//! value parameter; OAuth 2's authorization-code and password flows are `oauth2` and
//! `oauth2Password` with the URLs and scopes as configuration defaults (README "OAuth 2").

use serde_json::{json, Map, Value};

use super::{at, Notes};
use crate::auth::oauth2;

/// What the element's authentication becomes.
#[derive(Debug)]
pub(super) struct Auth {
    /// `authentication.type`.
    pub kind: &'static str,
    pub configuration: Vec<Value>,
    pub parameters: Vec<Value>,
    /// The schemes mapped (their names in `components.securitySchemes`).
    pub schemes: Vec<String>,
}

impl Default for Auth {
    /// Nothing implicit: what the schemes map adds parameters or sets the type.
    fn default() -> Self {
        Auth {
            kind: "custom",
            configuration: Vec::new(),
            parameters: Vec::new(),
            schemes: Vec::new(),
        }
    }
}

const SCHEMES: &str = "/components/securitySchemes";

/// The authentication of the requirement the element applies to every request: the first
/// top-level requirement, else the first declared scheme that can be mapped.
pub(super) fn authentication(doc: &Value, notes: &mut Notes) -> Auth {
    let mut auth = Auth::default();
    let declared: Vec<&String> = doc
        .pointer(SCHEMES)
        .and_then(Value::as_object)
        .map(|d| d.keys().collect())
        .unwrap_or_default();
    let chosen: Vec<String> = match doc.get("security").and_then(Value::as_array) {
        Some(requirements) => {
            if requirements.len() > 1 {
                notes.warn("/security/1", "only the first security requirement is mapped: the element authenticates one way; the alternatives are not carried over");
            }
            let first = requirements.first().and_then(Value::as_object);
            first
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default()
        }
        // Tried quietly: the schemes that are not chosen are named below, with their reason.
        None => declared
            .iter()
            .find(|name| {
                let quiet = &mut Notes::default();
                map(&mut Auth::default(), doc, name, false, &[], quiet)
            })
            .map(|name| name.to_string())
            .into_iter()
            .collect(),
    };
    let api_keys = chosen
        .iter()
        .filter(|n| scheme(doc, n).and_then(|s| s.get("type")) == Some(&json!("apiKey")))
        .count();
    for name in &chosen {
        // The scopes the requirement asks for, when it names some (else the flow's all).
        let scopes: Vec<String> = doc
            .pointer("/security/0")
            .and_then(|r| r.get(name))
            .and_then(Value::as_array)
            .map(|s| {
                s.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        if map(&mut auth, doc, name, api_keys > 1, &scopes, notes) {
            auth.schemes.push(name.clone());
        }
    }
    for name in declared.into_iter().filter(|n| !chosen.contains(n)) {
        // A scheme the element could not use anyway says why; another just is not chosen.
        if map(&mut Auth::default(), doc, name, false, &[], notes) {
            notes.warn(
                &at(SCHEMES, name),
                format!(
                    "security scheme {name} is not mapped: the element authenticates with {} only",
                    listed(&auth.schemes)
                ),
            );
        }
    }
    auth
}

/// Map scheme `name` onto `auth`; false (with the reason in `notes`) when it cannot be.
fn map(
    auth: &mut Auth,
    doc: &Value,
    name: &str,
    several: bool,
    scopes: &[String],
    notes: &mut Notes,
) -> bool {
    let pointer = at(SCHEMES, name);
    let Some(scheme) = scheme(doc, name) else {
        notes.warn(
            "/security/0",
            format!("security names {name}, which components.securitySchemes does not declare"),
        );
        return false;
    };
    match scheme.get("type").and_then(Value::as_str) {
        Some("apiKey") => api_key(auth, name, scheme, several, &pointer, notes),
        Some("http") => http(auth, scheme, &pointer, notes),
        Some("oauth2") => oauth(auth, scheme, scopes, &pointer, notes),
        Some(other) => {
            notes.warn(&pointer, format!("security scheme type {other} has no counterpart in the element format: authenticate in a preRequest hook"));
            false
        }
        None => {
            notes.warn(&pointer, "a security scheme without a type; not mapped");
            false
        }
    }
}

fn listed(names: &[String]) -> String {
    match names.is_empty() {
        true => "nothing".into(),
        false => names.join(" and "),
    }
}

/// The scheme named `name`, its `$ref` followed when it has one.
fn scheme<'d>(doc: &'d Value, name: &str) -> Option<&'d Value> {
    let scheme = doc.pointer(SCHEMES)?.get(name)?;
    match scheme
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(local) => doc.pointer(local),
        None => Some(scheme),
    }
}

fn password(key: &str, name: &str) -> Value {
    json!({"key": key, "name": name, "type": "PASSWORD", "required": true})
}

fn text_field(key: &str, name: &str, default: Option<&str>) -> Value {
    let mut field = Map::new();
    field.insert("key".into(), json!(key));
    field.insert("name".into(), json!(name));
    field.insert("type".into(), json!("TEXTFIELD_1000"));
    if let Some(default) = default {
        field.insert("defaultValue".into(), json!(default));
    }
    Value::Object(field)
}

/// An API key: a PASSWORD configuration key sent in the header, query or cookie it names.
fn api_key(
    auth: &mut Auth,
    name: &str,
    scheme: &Value,
    several: bool,
    pointer: &str,
    notes: &mut Notes,
) -> bool {
    let vendor_name = scheme
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty());
    let Some(vendor_name) = vendor_name else {
        notes.warn(
            pointer,
            "an apiKey scheme needs the name of its header, query parameter or cookie; not mapped",
        );
        return false;
    };
    let key = match several {
        true => format!("api.key.{name}"),
        false => "api.key".to_string(),
    };
    let template = format!("${{configuration.{key}}}");
    let (value, vendor_name, place) = match scheme.get("in").and_then(Value::as_str) {
        Some("header") => (template, vendor_name.to_string(), "header"),
        Some("query") => (template, vendor_name.to_string(), "query"),
        // A cookie is a header the element can write: `Cookie: name=value`.
        Some("cookie") => (
            format!("{vendor_name}={template}"),
            "Cookie".to_string(),
            "header",
        ),
        other => {
            notes.warn(
                pointer,
                format!(
                    "an apiKey scheme in {}: not mapped",
                    other.unwrap_or("no place")
                ),
            );
            return false;
        }
    };
    auth.configuration
        .push(password(&key, &format!("API key ({vendor_name})")));
    auth.parameters.push(
        json!({"name": value, "type": "value", "vendorName": vendor_name, "vendorType": place}),
    );
    true
}

/// HTTP basic → `basic`; bearer → an `Authorization: Bearer` value parameter.
fn http(auth: &mut Auth, scheme: &Value, pointer: &str, notes: &mut Notes) -> bool {
    let kind = scheme
        .get("scheme")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    match kind.as_str() {
        "basic" if auth.kind == "custom" => {
            auth.kind = "basic";
            auth.configuration.push(json!({"key": oauth2::USERNAME, "name": "Username", "type": "TEXTFIELD_128", "required": true}));
            auth.configuration
                .push(password(oauth2::PASSWORD, "Password"));
            true
        }
        "bearer" => {
            auth.configuration
                .push(password("bearer.token", "Bearer token"));
            auth.parameters.push(json!({"name": "Bearer ${configuration.bearer.token}", "type": "value", "vendorName": "Authorization", "vendorType": "header"}));
            true
        }
        "basic" => {
            notes.warn(
                pointer,
                format!(
                    "HTTP basic together with {} authentication: not mapped",
                    auth.kind
                ),
            );
            false
        }
        other => {
            notes.warn(pointer, format!("HTTP scheme \"{other}\" is not one the engine sends (basic or bearer): authenticate in a preRequest hook"));
            false
        }
    }
}

/// OAuth 2: the authorization-code flow (`oauth2`), else the password flow (`oauth2Password`).
fn oauth(
    auth: &mut Auth,
    scheme: &Value,
    requested: &[String],
    pointer: &str,
    notes: &mut Notes,
) -> bool {
    let flows = scheme.get("flows").and_then(Value::as_object);
    let flow = |name: &str| flows.and_then(|f| f.get(name));
    let (kind, flow_name) = match (flow("authorizationCode"), flow("password")) {
        (Some(_), _) => ("oauth2", "authorizationCode"),
        (None, Some(_)) => ("oauth2Password", "password"),
        (None, None) => {
            notes.warn(&at(pointer, "flows"), "only the authorizationCode and password OAuth 2 flows are run by the engine (not implicit or clientCredentials): authenticate in a preRequest hook");
            return false;
        }
    };
    if auth.kind != "custom" {
        notes.warn(
            pointer,
            format!(
                "OAuth 2 together with {} authentication: not mapped",
                auth.kind
            ),
        );
        return false;
    }
    for other in flows
        .into_iter()
        .flat_map(|f| f.keys())
        .filter(|f| *f != flow_name)
    {
        notes.warn(
            &at(&at(pointer, "flows"), other),
            format!("OAuth 2 flow {other} is not mapped: the element uses {flow_name}"),
        );
    }
    let Some(flow) = flow(flow_name) else {
        return false;
    };
    auth.kind = kind;
    auth.configuration
        .extend(oauth_fields(kind, flow, requested));
    true
}

/// The configuration of an OAuth 2 element: the client, the flow's URLs and scopes as defaults.
fn oauth_fields(kind: &str, flow: &Value, requested: &[String]) -> Vec<Value> {
    let url = |key: &str| flow.get(key).and_then(Value::as_str);
    let scopes: Vec<&str> = match requested.is_empty() {
        true => flow
            .get("scopes")
            .and_then(Value::as_object)
            .map(|s| s.keys().map(String::as_str).collect())
            .unwrap_or_default(),
        false => requested.iter().map(String::as_str).collect(),
    };
    let scope = scopes.join(" ");
    let mut fields = vec![
        json!({"key": oauth2::CLIENT_ID, "name": "Client id", "type": "TEXTFIELD_128", "required": true}),
        password(oauth2::CLIENT_SECRET, "Client secret"),
    ];
    if kind == "oauth2" {
        fields.push(text_field(oauth2::CALLBACK_URL, "Redirect URI", None));
        fields.push(text_field(
            oauth2::AUTHORIZATION_URL,
            "Authorization URL",
            url("authorizationUrl"),
        ));
    } else {
        fields.push(json!({"key": oauth2::USERNAME, "name": "Username", "type": "TEXTFIELD_128", "required": true}));
        fields.push(password(oauth2::PASSWORD, "Password"));
    }
    fields.push(text_field(oauth2::TOKEN_URL, "Token URL", url("tokenUrl")));
    if let Some(refresh) = url("refreshUrl") {
        fields.push(text_field(
            oauth2::REFRESH_URL,
            "Refresh URL",
            Some(refresh),
        ));
    }
    fields.push(text_field(
        oauth2::SCOPE,
        "Scopes",
        (!scope.is_empty()).then_some(scope.as_str()),
    ));
    fields
}
