//! The metadata API an element answers itself (`GET /hubs/<hub>/objects`, `GET
//! /hubs/<hub>/objects/{name}/metadata`) when it has no resource of its own there, and what
//! hooks see of it: `meta_data`, `vendor_object_name`, and the `metadata_merge` of a result.

use bytes::Bytes;
use serde_json::Value;

use super::exchange::{Exchange, Response};
use super::{Answer, Inbound, PipelineError};
use crate::element::{objects, Element};
use crate::routing::Match;

/// Which of the two routes a path is.
enum Route<'p> {
    List,
    Metadata(&'p str),
}

/// The answer of the metadata API, when `inbound` is one of its requests and the element
/// has no resource for it; `None` for every other request.
pub(super) fn answer(
    element: &Element,
    inbound: &Inbound,
) -> Option<Result<Answer, PipelineError>> {
    if inbound.method != "GET" {
        return None;
    }
    let route = route(element, &inbound.path)?;
    // The element's own resource (a metadata hook of the export) goes through the pipeline.
    if let Match::Found(..) = element.router.find(&inbound.method, &inbound.path) {
        return None;
    }
    let body = match route {
        Route::List => Value::from(objects::names(element)),
        Route::Metadata(name) => match objects::metadata(element, name) {
            Some(metadata) => metadata,
            None => {
                return Some(Err(PipelineError::NotFound(format!(
                    "element {} has no object {name}",
                    element.key
                ))))
            }
        },
    };
    Some(Ok(Answer {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: Bytes::from(body.to_string()),
    }))
}

/// `/hubs/<hub>/objects` or `/hubs/<hub>/objects/<name>/metadata`, `<hub>` the element's.
fn route<'p>(element: &Element, path: &'p str) -> Option<Route<'p>> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let hub_fits = |hub: &str| element.hub.is_empty() || element.hub == hub;
    match segments.as_slice() {
        ["hubs", hub, "objects"] if hub_fits(hub) => Some(Route::List),
        ["hubs", hub, "objects", name, "metadata"] if hub_fits(hub) && !name.is_empty() => {
            Some(Route::Metadata(name))
        }
        _ => None,
    }
}

/// The object a request hook is about: the `objectName` path variable of a metadata
/// resource, else the resource's object.
pub(super) fn object_of<'x>(exchange: &'x Exchange<'_>) -> &'x str {
    exchange
        .request_path_variables
        .get("objectName")
        .and_then(Value::as_str)
        .unwrap_or(&exchange.resource.object_name)
}

/// `vendor_object_name`.
pub(super) fn vendor_object_name<'x>(exchange: &'x Exchange<'_>) -> &'x str {
    objects::vendor_object_name(exchange.element, object_of(exchange))
}

/// `meta_data`: the object's model-derived metadata, null when the element has no such
/// object.
pub(super) fn meta_data(exchange: &Exchange<'_>) -> Value {
    objects::metadata(exchange.element, object_of(exchange)).unwrap_or(Value::Null)
}

/// A postRequest result said `metadata_merge: true`: the answer's `fields` merged with
/// `model`'s, the hook's entry first for a vendor path both have.
pub(super) fn merge_answer(response: &mut Response, model: &Value) {
    let body = std::mem::take(&mut response.body);
    let merged = objects::merge(body, Some(model));
    if response.raw_map.is_none() {
        response.raw_map = Some(serde_json::from_slice(&response.raw).unwrap_or(Value::Null));
    }
    response.raw = Bytes::from(merged.to_string());
    response.body = merged;
    response.replaced = true;
    response.raw_is_body = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_two_shapes_under_the_elements_hub_are_routes() {
        let element = crate::element::objects::tests_support::element(
            "key: crm\nresources:\n  - {method: GET, path: /hubs/crm/contacts, vendorPath: /c}\n",
        );
        assert!(matches!(
            route(&element, "/hubs/crm/objects"),
            Some(Route::List)
        ));
        assert!(matches!(
            route(&element, "/hubs/crm/objects/contacts/metadata"),
            Some(Route::Metadata("contacts"))
        ));
        assert!(route(&element, "/hubs/erp/objects").is_none());
        assert!(route(&element, "/hubs/crm/objects/contacts").is_none());
        assert!(route(&element, "/hubs/crm/contacts").is_none());
    }
}
