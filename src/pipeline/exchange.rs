//! The values hooks read and change, from routing to the answer, and the vendor request
//! built from them.

use bytes::Bytes;
use serde_json::{json, Map, Value};

use super::chain::Previous;
use super::paging::PageRequest;
use super::parts::{caller_parts, map_part, multipart_body, send_form, VendorParts};
use super::{Call, Inbound, PipelineError};
use crate::element::template::{interpolate_configuration, substitute_path, value_text};
use crate::element::token::Tokens;
use crate::element::{ceql, root_key, Authentication, Element, ParamKind, Parameter, Resource};
use crate::hooks;
use crate::multipart::Part;
use crate::vendor::VendorRequest;
use crate::xml;

/// The response as hooks see and change it.
#[derive(Debug, Clone)]
pub(super) struct Response {
    pub(super) status: u16,
    /// Lower-case names; a repeated header is an array.
    pub(super) headers: Map<String, Value>,
    /// The vendor's headers as they came, when nothing reads the response (`headers` is
    /// then empty): passed on without a map built and taken apart again.
    pub(super) passed: Vec<(String, String)>,
    pub(super) raw: Bytes,
    /// Parsed whole body, when it is JSON; `None` while it is the same as `body` (no rootKey
    /// took a part of it, no hook replaced it), so a large body is not held twice.
    pub(super) raw_map: Option<Value>,
    /// The body after `rootKey`: parsed JSON, else the text.
    pub(super) body: Value,
    /// A hook replaced the body (or a rootKey or XML took it): the answer is serialized.
    pub(super) replaced: bool,
    /// `raw` is `body` as a hook gave it or as printed once when a hook replaced it: the
    /// answer sends it instead of printing the body again.
    pub(super) raw_is_body: bool,
}

impl Response {
    pub(super) fn raw_map(&self) -> &Value {
        self.raw_map.as_ref().unwrap_or(&self.body)
    }
}

/// The values hooks read and change, from routing to the answer.
pub(super) struct Exchange<'e> {
    pub(super) element: &'e Element,
    pub(super) resource: &'e Resource,
    pub(super) request_body: Option<String>,
    pub(super) request_body_map: Value,
    pub(super) request_headers: Map<String, Value>,
    pub(super) request_path: String,
    pub(super) request_path_variables: Map<String, Value>,
    pub(super) request_parameters: Map<String, Value>,
    pub(super) request_method: String,
    pub(super) request_expression: Value,
    pub(super) vendor_method: String,
    pub(super) vendor_path: String,
    pub(super) vendor_headers: Map<String, Value>,
    pub(super) vendor_parameters: Map<String, Value>,
    pub(super) vendor_body: Option<String>,
    pub(super) configuration: Map<String, Value>,
    pub(super) response: Option<Response>,
    pub(super) error_message: Option<String>,
    pub(super) response_parameters: Vec<Parameter>,
    /// The caller's `multipart/form-data` parts (slices of the buffered body), if it sent one.
    pub(super) request_parts: Vec<Part>,
    /// What `multipart` parameters send: parts of a vendor multipart body, or one file as the
    /// whole body. Hooks do not see them; a hook that sets the vendor body replaces them.
    pub(super) vendor_parts: VendorParts,
    /// The page asked for, when the resource pages.
    pub(super) page: Option<PageRequest>,
    /// The previous resource's answer, in a `nextResource` chain.
    pub(super) previous: Option<Previous>,
    /// This instance's webhook URL, for `{webhookCallbackUrl}` in `value` parameters (Cloud
    /// Elements fills it in provisioning resources that register a webhook with the vendor).
    pub(super) callback_url: Option<String>,
}

/// The exchange at its start: the caller's request read, the vendor request built from the
/// resource, its parameters and the element's authentication.
pub(super) fn build<'e>(
    call: &Call<'_>,
    element: &'e Element,
    resource: &'e Resource,
    path_variables: Map<String, Value>,
    inbound: &Inbound,
    previous: Option<Previous>,
) -> Result<Exchange<'e>, PipelineError> {
    let configuration = call.instance.configuration();
    let mut request_parameters = Map::new();
    for (name, value) in &inbound.query {
        push_multi(&mut request_parameters, name, value);
    }
    let mut request_headers = Map::new();
    for (name, value) in &inbound.headers {
        match request_headers.get_mut(name) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(value);
            }
            _ => {
                request_headers.insert(name.clone(), Value::String(value.clone()));
            }
        }
    }
    let request_expression = match request_parameters.get("where") {
        Some(Value::String(expression)) => {
            ceql::parse(expression).map_err(|e| PipelineError::BadRequest(e.to_string()))?
        }
        _ => Value::Null,
    };
    let request_parts = caller_parts(inbound, &mut request_parameters)?;
    // A multipart body is shown to hooks as its text fields in request_parameters, not as a
    // string: its files may be binary and it is no JSON.
    let request_body = (!inbound.body.is_empty() && request_parts.is_none())
        .then(|| String::from_utf8_lossy(&inbound.body).into_owned());
    let request_body_map = request_body
        .as_deref()
        .and_then(|b| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);

    let mut exchange = Exchange {
        element,
        resource,
        vendor_body: request_body.clone(),
        request_body,
        request_body_map,
        request_headers,
        request_path: inbound.path.clone(),
        request_path_variables: path_variables.clone(),
        request_parameters,
        request_method: inbound.method.to_ascii_uppercase(),
        request_expression,
        vendor_method: resource.vendor_method.clone(),
        vendor_path: String::new(),
        vendor_headers: Map::new(),
        vendor_parameters: Map::new(),
        configuration,
        response: None,
        error_message: None,
        response_parameters: Vec::new(),
        request_parts: request_parts.unwrap_or_default(),
        vendor_parts: VendorParts::default(),
        page: None,
        previous,
        callback_url: callback_url(call, element),
    };
    exchange.page = super::paging::begin(call, &mut exchange)?;
    exchange
        .vendor_headers
        .insert("Accept".into(), json!("application/json"));
    exchange
        .vendor_headers
        .insert("Content-Type".into(), json!("application/json"));
    authenticate(&mut exchange);
    map_parameters(&mut exchange, inbound, path_variables)?;
    Ok(exchange)
}

/// `<public url><prefix>/events/<element>/<base64 instance id>`, where this instance's
/// webhooks arrive, when the server knows its public address.
fn callback_url(call: &Call<'_>, element: &Element) -> Option<String> {
    use base64::Engine as _;
    let base = call.settings.public_url.as_deref()?.trim_end_matches('/');
    let id = base64::engine::general_purpose::STANDARD.encode(call.instance.id.to_string());
    Some(format!(
        "{base}{}/events/{}/{id}",
        call.settings.prefix, element.key
    ))
}

/// The element's `authentication`: Basic from username/password, Bearer from
/// `oauth.user.token`; `custom` leaves it to parameters and hooks.
fn authenticate(exchange: &mut Exchange<'_>) {
    match exchange.element.authentication {
        Authentication::Basic => {
            let user = exchange
                .configuration
                .get("username")
                .map(value_text)
                .unwrap_or_default();
            let password = exchange
                .configuration
                .get("password")
                .map(value_text)
                .unwrap_or_default();
            let credentials = hooks::ce::b64(&format!("{user}:{password}"));
            exchange.vendor_headers.insert(
                "Authorization".into(),
                json!(format!("Basic {credentials}")),
            );
        }
        Authentication::OAuth2 | Authentication::OAuth2Password => {
            if let Some(token) = exchange
                .configuration
                .get("oauth.user.token")
                .map(value_text)
                .filter(|t| !t.is_empty())
            {
                exchange
                    .vendor_headers
                    .insert("Authorization".into(), json!(format!("Bearer {token}")));
            }
        }
        // Signed last, once the hooks are done with the request (`sign`).
        Authentication::OAuth1 | Authentication::AwsV4 | Authentication::Custom => {}
    }
}

/// Map the element's and the resource's parameters onto the vendor request; response
/// parameters are kept for the answer.
fn map_parameters(
    exchange: &mut Exchange<'_>,
    inbound: &Inbound,
    path_variables: Map<String, Value>,
) -> Result<(), PipelineError> {
    let (element, resource) = (exchange.element, exchange.resource);
    let mut placed = Placed {
        path_variables,
        ..Placed::default()
    };
    for parameter in element.parameters.iter().chain(&resource.parameters) {
        if parameter.from_response {
            exchange.response_parameters.push(parameter.clone());
            continue;
        }
        if parameter.kind == ParamKind::Multipart && map_part(exchange, parameter) {
            continue;
        }
        // The page asked for decides what the paging parameters send.
        let paged = match (&exchange.page, parameter.kind) {
            (Some(page), ParamKind::Query) => page.vendor_value(&parameter.name),
            _ => None,
        };
        let value = match paged {
            Some(value) => value,
            None => parameter_value(exchange, parameter, inbound),
        };
        let Some(value) = value else {
            if parameter.required {
                return Err(PipelineError::BadRequest(format!(
                    "missing required {} parameter \"{}\"",
                    kind_name(parameter.kind),
                    parameter.name
                )));
            }
            continue;
        };
        if let Some(converter) = &parameter.converter {
            let converted =
                super::converter::vendor_parameters(converter, &exchange.request_expression)
                    .map_err(PipelineError::BadRequest)?;
            if parameter.vendor_kind == ParamKind::Query {
                exchange.vendor_parameters.extend(converted);
            }
            continue;
        }
        place(exchange, parameter, value, &mut placed);
    }
    send_form(exchange, placed.form);
    fill_tokens(exchange, &placed.tokens);
    exchange.vendor_path = substitute_path(&resource.vendor_path, &placed.path_variables);
    Ok(())
}

/// What mapping the parameters gathers before it can be applied: the vendor path's variables,
/// the form fields, and the body tokens (filled once every parameter is mapped).
#[derive(Default)]
struct Placed {
    path_variables: Map<String, Value>,
    form: Vec<(String, String)>,
    tokens: Tokens,
}

/// Put one parameter's value where its vendor side says.
fn place(exchange: &mut Exchange<'_>, parameter: &Parameter, value: Value, placed: &mut Placed) {
    let name = parameter.vendor_name.clone();
    match parameter.vendor_kind {
        ParamKind::Header => {
            exchange
                .vendor_headers
                .insert(name, Value::String(value_text(&value)));
        }
        ParamKind::Query => {
            exchange.vendor_parameters.insert(name, value);
        }
        ParamKind::Path => {
            placed.path_variables.insert(name, value);
        }
        ParamKind::Body => {
            exchange.vendor_body = Some(match value {
                Value::String(s) => s,
                other => other.to_string(),
            });
        }
        ParamKind::BodyField => {
            let mut body = exchange
                .vendor_body
                .as_deref()
                .and_then(|b| serde_json::from_str::<Map<String, Value>>(b).ok())
                .unwrap_or_default();
            body.insert(name, value);
            exchange.vendor_body = Some(Value::Object(body).to_string());
        }
        ParamKind::Form => placed.form.push((name, value_text(&value))),
        ParamKind::Multipart => {
            let part = Part::text(&name, &value_text(&value));
            exchange.vendor_parts.parts.push(part);
        }
        ParamKind::BodyToken => match (parameter.kind, &value) {
            (ParamKind::Body, Value::String(body)) => placed.tokens.insert_body(&name, body),
            _ => placed.tokens.insert(&name, value),
        },
        _ => {}
    }
}

/// Fill `bodyToken` values into the body template and into query values (a query template
/// such as a SOQL `q`), once every parameter has been mapped: the exports list a template
/// before or after its tokens, so their order cannot matter.
fn fill_tokens(exchange: &mut Exchange<'_>, tokens: &Tokens) {
    if tokens.is_empty() {
        return;
    }
    if let Some(body) = &exchange.vendor_body {
        let is_xml = xml::looks_like_xml(body) || vendor_sends_xml(exchange);
        exchange.vendor_body = Some(tokens.fill(body, is_xml));
    }
    for value in exchange.vendor_parameters.values_mut() {
        if let Value::String(text) = value {
            *text = tokens.fill(text, false);
        }
    }
}

/// Whether the vendor request's Content-Type (as parameters or a hook set it) is XML.
pub(super) fn vendor_sends_xml(exchange: &Exchange<'_>) -> bool {
    exchange.vendor_headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("content-type") && xml::is_xml_type(&value_text(value))
    })
}

fn kind_name(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Header => "header",
        ParamKind::Path => "path",
        ParamKind::Query => "query",
        ParamKind::Body | ParamKind::BodyField => "body",
        ParamKind::Form => "form",
        ParamKind::Multipart => "multipart",
        _ => "configuration",
    }
}

/// The caller-side value of a parameter, if the caller (or the configuration) has one.
fn parameter_value(
    exchange: &Exchange<'_>,
    parameter: &Parameter,
    inbound: &Inbound,
) -> Option<Value> {
    let name = parameter.name.as_str();
    match parameter.kind {
        ParamKind::Header => exchange
            .request_headers
            .get(&name.to_ascii_lowercase())
            .cloned(),
        ParamKind::Query | ParamKind::Form | ParamKind::Multipart => {
            exchange.request_parameters.get(name).cloned()
        }
        ParamKind::Path => exchange.request_path_variables.get(name).cloned(),
        ParamKind::Configuration => exchange
            .configuration
            .get(name)
            .filter(|v| !v.is_null())
            .cloned(),
        ParamKind::Value => {
            let text = interpolate_configuration(name, &exchange.configuration);
            Some(Value::String(match &exchange.callback_url {
                Some(url) => text.replace("{webhookCallbackUrl}", url),
                None => text,
            }))
        }
        ParamKind::Body => (!inbound.body.is_empty())
            .then(|| Value::String(String::from_utf8_lossy(&inbound.body).into_owned())),
        ParamKind::BodyField => exchange.request_body_map.get(name).cloned(),
        ParamKind::PrevBody => exchange.previous.as_ref().map(|p| p.body.clone()),
        ParamKind::PrevBodyField => {
            let body = &exchange.previous.as_ref()?.body;
            match root_key::select(body, name) {
                Value::Null => None,
                value => Some(value),
            }
        }
        ParamKind::NoOp => None,
        ParamKind::BodyToken => None,
    }
}

pub(super) fn push_multi(map: &mut Map<String, Value>, name: &str, value: &str) {
    match map.get_mut(name) {
        Some(Value::Array(items)) => items.push(json!(value)),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, json!(value)]);
        }
        None => {
            map.insert(name.to_string(), json!(value));
        }
    }
}

/// The vendor URL: `base.url` + the vendor path, or the path when a hook made it absolute.
pub(super) fn vendor_url(exchange: &Exchange<'_>) -> String {
    let path = &exchange.vendor_path;
    if path.starts_with("http://") || path.starts_with("https://") {
        return path.clone();
    }
    let base = exchange
        .configuration
        .get("base.url")
        .map(value_text)
        .unwrap_or_default();
    let base = base.trim_end_matches('/');
    if path.is_empty() {
        base.to_string()
    } else if path.starts_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// The request to send: URL with the vendor parameters, headers, and a body unless the
/// method takes none.
pub(super) fn vendor_request(exchange: &Exchange<'_>) -> Result<VendorRequest, PipelineError> {
    let mut url = vendor_url(exchange);
    if !url.starts_with("http://") && !url.starts_with("https://") {
        return Err(PipelineError::Misconfigured {
            element: exchange.element.key.clone(),
            message: format!("the vendor URL \"{url}\" is not absolute: set configuration base.url to the vendor's http(s) address"),
        });
    }
    let mut pairs = Vec::new();
    for (name, value) in &exchange.vendor_parameters {
        match value {
            Value::Array(items) => {
                pairs.extend(items.iter().map(|v| (name.as_str(), value_text(v))))
            }
            Value::Null => {}
            other => pairs.push((name.as_str(), value_text(other))),
        }
    }
    if !pairs.is_empty() {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&encode_query(pairs.iter().map(|(k, v)| (*k, v.as_str()))));
    }
    let headers = exchange
        .vendor_headers
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), value_text(v)))
        .collect::<Vec<_>>();
    if let Some((content_type, body)) = multipart_body(&exchange.vendor_parts) {
        // Replaces the JSON default and an element's bare `multipart/form-data` (no boundary).
        let mut headers = headers;
        headers.retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
        headers.push(("Content-Type".into(), content_type));
        return Ok(VendorRequest {
            method: exchange.vendor_method.clone(),
            url,
            headers,
            body: Some(body),
        });
    }
    let body = match exchange.vendor_method.as_str() {
        "GET" | "HEAD" | "DELETE" | "OPTIONS"
            if exchange.vendor_body.as_deref().is_none_or(str::is_empty) =>
        {
            None
        }
        _ => exchange
            .vendor_body
            .as_deref()
            .map(|body| Bytes::from(xml_body(exchange, body))),
    };
    Ok(VendorRequest {
        method: exchange.vendor_method.clone(),
        url,
        headers,
        body,
    })
}

/// Sign the finished request when the element's authentication signs (oauth1, awsv4): the
/// last change before it leaves, since the signature covers what the pre hooks changed.
pub(super) fn sign(
    exchange: &Exchange<'_>,
    request: &mut VendorRequest,
) -> Result<(), PipelineError> {
    let Some(scheme) = exchange.element.authentication.signing() else {
        return Ok(());
    };
    let mut message = crate::auth::Message {
        method: &request.method,
        url: &mut request.url,
        headers: &mut request.headers,
        body: request.body.as_deref().unwrap_or_default(),
    };
    let fresh = crate::auth::Fresh::now();
    crate::auth::sign(scheme, &exchange.configuration, &mut message, &fresh).map_err(|error| {
        PipelineError::Misconfigured {
            element: exchange.element.key.clone(),
            message: error.to_string(),
        }
    })
}

/// The body as the vendor takes it: a JSON body becomes XML when the vendor's Content-Type
/// is XML; XML text (a filled template, a hook's envelope) and anything else go as they are.
fn xml_body(exchange: &Exchange<'_>, body: &str) -> String {
    if !vendor_sends_xml(exchange) || xml::looks_like_xml(body) {
        return body.to_string();
    }
    match serde_json::from_str::<Value>(body) {
        Ok(json) => xml::from_json(&json),
        Err(_) => body.to_string(),
    }
}

/// `application/x-www-form-urlencoded` serialization.
pub(super) fn encode_query<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    fn encode(text: &str, out: &mut String) {
        for byte in text.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'*' => {
                    out.push(char::from(byte))
                }
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{byte:02X}")),
            }
        }
    }
    let mut out = String::new();
    for (i, (key, value)) in pairs.enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode(key, &mut out);
        out.push('=');
        encode(value, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_form_encoded() {
        assert_eq!(
            encode_query([("a b", "c&d"), ("é", "1")].into_iter()),
            "a+b=c%26d&%C3%A9=1"
        );
    }
}
