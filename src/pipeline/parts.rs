//! The multipart side of an exchange: the caller's `multipart/form-data` parts, and what
//! `multipart` parameters send the vendor (parts of a multipart body, or one file as the body).

use bytes::Bytes;
use serde_json::{json, Map, Value};

use super::exchange::{encode_query, push_multi, Exchange};
use super::{Inbound, PipelineError};
use crate::element::{ParamKind, Parameter};
use crate::multipart::{self, Part};

/// The vendor side of `multipart` parameters.
#[derive(Debug, Default)]
pub(in crate::pipeline) struct VendorParts {
    pub(in crate::pipeline) parts: Vec<Part>,
    /// `multipart` → `body`: this part's bytes are the body, with its Content-Type.
    pub(in crate::pipeline) raw: Option<Part>,
}

/// The caller's multipart parts when its Content-Type is `multipart/form-data`; their text
/// fields join `request_parameters` after the query's. A malformed body is the caller's fault.
pub(super) fn caller_parts(
    inbound: &Inbound,
    request_parameters: &mut Map<String, Value>,
) -> Result<Option<Vec<Part>>, PipelineError> {
    let Some(content_type) = inbound
        .headers
        .iter()
        .find(|(name, _)| name == "content-type")
        .map(|(_, value)| value.as_str())
        .filter(|value| multipart::is_form_data(value))
    else {
        return Ok(None);
    };
    let parts = multipart::parse(&inbound.body, content_type).map_err(|e| {
        PipelineError::BadRequest(format!("malformed multipart/form-data body: {e}"))
    })?;
    for part in parts.iter().filter(|p| p.filename.is_none()) {
        push_multi(
            request_parameters,
            &part.name,
            &String::from_utf8_lossy(&part.data),
        );
    }
    Ok(Some(parts))
}

/// The `form` parameters' values: text parts of a multipart vendor body when `multipart`
/// parameters make one, else an urlencoded body.
pub(super) fn send_form(exchange: &mut Exchange<'_>, form: Vec<(String, String)>) {
    if form.is_empty() {
        return;
    }
    if !exchange.vendor_parts.parts.is_empty() {
        // Form fields of a multipart vendor request are text parts of it.
        let fields = form.iter().map(|(name, value)| Part::text(name, value));
        exchange.vendor_parts.parts.extend(fields);
        return;
    }
    exchange.vendor_body = Some(encode_query(
        form.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ));
    exchange.vendor_headers.insert(
        "Content-Type".into(),
        json!("application/x-www-form-urlencoded"),
    );
}

/// A caller part of a `multipart` parameter onto the vendor side: a file, or any part for a
/// `multipart` or `body` vendor side, is kept whole (name changed to `vendorName`); a text
/// field to another side is left to the ordinary mapping (false).
pub(super) fn map_part(exchange: &mut Exchange<'_>, parameter: &Parameter) -> bool {
    let Some(part) = exchange
        .request_parts
        .iter()
        .find(|p| p.name == parameter.name)
    else {
        return false;
    };
    let renamed = Part {
        name: parameter.vendor_name.clone(),
        ..part.clone()
    };
    match parameter.vendor_kind {
        ParamKind::Body => {
            // Hooks see the file as Cloud Elements showed it (its exports' hooks parse
            // request_vendor_body for these keys); the bytes themselves go unless a hook
            // replaces the body. Without hooks nobody reads it: no base64 copy is made.
            let (element, resource) = (&exchange.element.hooks, &exchange.resource.hooks);
            if [element, resource]
                .iter()
                .any(|h| h.pre_request.is_some() || h.post_request.is_some())
            {
                exchange.vendor_body = Some(file_view(&renamed).to_string());
            }
            exchange.vendor_parts.raw = Some(renamed);
        }
        ParamKind::Multipart => exchange.vendor_parts.parts.push(renamed),
        // A file sent as a form field joins the vendor body as a part of its own.
        ParamKind::Form if part.filename.is_some() => exchange.vendor_parts.parts.push(renamed),
        _ if part.filename.is_none() => return false,
        // A file cannot be a header or a query value: CE sends nothing for it either.
        _ => {}
    }
    true
}

/// A file as hooks see it in `request_vendor_body`: `{"body": base64, "name", "size", "type"}`.
fn file_view(part: &Part) -> Value {
    use base64::Engine as _;
    json!({
        "body": base64::engine::general_purpose::STANDARD.encode(&part.data),
        "name": part.filename.as_deref().unwrap_or(&part.name),
        "size": part.data.len(),
        "type": part.media_type(),
    })
}

/// The vendor body and its Content-Type when `multipart` parameters make it: the one file
/// as it came, or every part under a fresh boundary.
pub(super) fn multipart_body(vendor: &VendorParts) -> Option<(String, Bytes)> {
    if let Some(file) = &vendor.raw {
        return Some((file.media_type().to_string(), file.data.clone()));
    }
    if vendor.parts.is_empty() {
        return None;
    }
    let boundary = multipart::new_boundary();
    let body = multipart::join(&multipart::pieces(&vendor.parts, &boundary));
    Some((format!("multipart/form-data; boundary={boundary}"), body))
}
