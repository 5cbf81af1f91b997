//! The vendor call: send the built request, then read the answer only as far as something
//! will read it.

use std::time::Instant;

use serde_json::{Map, Value};

use super::exchange::{push_multi, sign, vendor_request, vendor_sends_xml, Exchange, Response};
use super::{observe, phase, Call, PipelineError};
use crate::element::{root_key, ParamKind, Resource};
use crate::vendor::VendorResponse;
use crate::xml;

/// Call the vendor and leave its response on the exchange.
pub(super) async fn call(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
) -> Result<(), PipelineError> {
    let (element, resource) = (exchange.element, exchange.resource);
    let mut response = send(call, exchange).await?;
    // An OAuth 2 token the vendor refused: refreshed once, and the request sent once more.
    if response.status == 401 && super::oauth::after_unauthorized(call, exchange).await? {
        response = send(call, exchange).await?;
    }
    // Parsing the body costs as much as proxying it: only when something will read it.
    let read_by_hooks = resource.hooks.post_request.is_some()
        || element.hooks.post_request.is_some()
        || resource.root_key.is_some()
        // Paging counts the records and looks for the vendor's cursor.
        || resource.paging.paged;
    let read_by_parameters = exchange
        .response_parameters
        .iter()
        .any(|p| matches!(p.vendor_kind, ParamKind::BodyField | ParamKind::Body));
    let error = !(200..=207).contains(&response.status);
    let xml = is_xml_response(&response, vendor_sends_xml(exchange));
    exchange.response = Some(if read_by_hooks || read_by_parameters || error || xml {
        read_response(resource, response, xml)
    } else {
        unread_response(response)
    });
    if !error {
        configure_from_body(call, exchange).await?;
    }
    Ok(())
}

/// Build, sign and send the vendor request.
async fn send(call: &Call<'_>, exchange: &Exchange<'_>) -> Result<VendorResponse, PipelineError> {
    let mut request = vendor_request(exchange)?;
    sign(exchange, &mut request)?;
    let summary = observe::vendor_request(call, &request);
    let started = Instant::now();
    let span = observe::vendor_span(call, &request);
    let sent = crate::telemetry::within(&span, call.vendor.send(request)).await;
    observe::vendor_span_ended(span, &sent);
    let element = &exchange.element.key;
    observe::vendor_answered(call, element, summary, &sent, started.elapsed());
    sent.map_err(|error| PipelineError::Vendor {
        element: element.clone(),
        error,
    })
}

/// Response parameters with vendorType `body` and type `configuration` (a token an
/// authentication resource answers, a webhook key): the vendor body's field named by
/// `vendorName` (a rootKey-style path; `body` or empty for the whole body) is saved as the
/// instance's configuration value before post hooks run, so they and later calls see it.
async fn configure_from_body(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
) -> Result<(), PipelineError> {
    let Some(response) = &exchange.response else {
        return Ok(());
    };
    let mut changes = Map::new();
    for parameter in &exchange.response_parameters {
        if parameter.vendor_kind != ParamKind::Body || parameter.kind != ParamKind::Configuration {
            continue;
        }
        let value = match parameter.vendor_name.as_str() {
            "" | "body" => response.raw_map().clone(),
            path => root_key::select(response.raw_map(), path),
        };
        if !value.is_null() {
            changes.insert(parameter.name.clone(), value);
        }
    }
    let changes = (!changes.is_empty()).then_some(changes);
    phase::write_configuration(call, exchange, changes.as_ref()).await
}

/// Whether the vendor answered XML: its Content-Type says so, or it was sent XML and answers
/// with XML text under no (or a generic) type.
fn is_xml_response(response: &VendorResponse, sent_xml: bool) -> bool {
    let content_type = response
        .headers
        .iter()
        .find(|(name, _)| name == "content-type")
        .map(|(_, value)| value.as_str());
    match content_type {
        Some(declared) if xml::is_xml_type(declared) => true,
        Some(declared) if declared.to_ascii_lowercase().contains("json") => false,
        _ => sent_xml && xml::looks_like_xml(&String::from_utf8_lossy(&response.body)),
    }
}

/// The vendor's answer passed on as it came, its body not parsed (no hook reads it).
fn unread_response(vendor: VendorResponse) -> Response {
    Response {
        status: vendor.status,
        headers: Map::new(),
        passed: vendor.headers,
        raw: vendor.body,
        raw_map: Some(Value::Null),
        body: Value::Null,
        replaced: false,
        raw_is_body: false,
    }
}

/// The vendor's answer parsed for hooks: headers as a map, the body as JSON (after
/// `rootKey`) or text.
fn read_response(resource: &Resource, vendor: VendorResponse, xml: bool) -> Response {
    let mut headers = Map::new();
    for (name, value) in &vendor.headers {
        push_multi(&mut headers, name, value);
    }
    let parsed = match xml {
        // Text that is not XML after all stays text, as a body that is not JSON does.
        true => xml::to_json(&String::from_utf8_lossy(&vendor.body)).map_err(|_| ()),
        false => serde_json::from_slice::<Value>(&vendor.body).map_err(|_| ()),
    };
    let declared_json = vendor
        .headers
        .iter()
        .any(|(n, v)| n == "content-type" && v.to_ascii_lowercase().contains("json"));
    let broken_json = declared_json && parsed.is_err() && !vendor.body.is_empty();
    let raw_map: Value = parsed.unwrap_or(Value::Null);
    // The caller gets the JSON an XML body became, as when a rootKey takes a part; an XML
    // error with no rootKey stays an error, its JSON the providerMessage.
    let success = (200..=207).contains(&vendor.status);
    let replaced = (resource.root_key.is_some() || (xml && success)) && !raw_map.is_null();
    let (body, raw_map) = match (raw_map, &resource.root_key) {
        // A body that says it is JSON but is not: hooks get the text in response_body_raw
        // and a null response_body, rather than a string they would mistake for data.
        (Value::Null, _) if broken_json => (Value::Null, Some(Value::Null)),
        (Value::Null, _) => (
            Value::String(String::from_utf8_lossy(&vendor.body).into_owned()),
            Some(Value::Null),
        ),
        (map, None) => (map, None),
        (map, Some(key)) => {
            // "request|response" form: the part after `|` addresses the response.
            let path = key.rsplit('|').next().unwrap_or(key);
            (root_key::select(&map, path), Some(map))
        }
    };
    Response {
        status: vendor.status,
        headers,
        passed: Vec::new(),
        raw: vendor.body,
        raw_map,
        body,
        replaced,
        raw_is_body: false,
    }
}
