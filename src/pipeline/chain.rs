//! `nextResource` chains: after a resource answers, the resource it names runs within the
//! same call, given the previous answer (`request_previous_response`, `prevBody`,
//! `prevBodyField`); the last one's answer goes to the caller.

use serde_json::{Map, Value};

use super::exchange::{Exchange, Response};
use super::Inbound;
use crate::element::template::substitute_path;
use crate::element::{Element, Resource};

/// The answer of the resource before this one in a chain, as its hooks left it.
#[derive(Debug, Default)]
pub(super) struct Previous {
    /// The body after rootKey and post hooks: parsed JSON, else the text.
    pub(super) body: Value,
    /// Lower-case names, a repeated header as an array.
    pub(super) headers: Map<String, Value>,
}

/// The next resource of the chain, when this one answered successfully and names one.
pub(super) fn next<'e>(element: &'e Element, exchange: &Exchange<'e>) -> Option<&'e Resource> {
    let index = exchange.resource.next_resource?;
    let response = exchange.response.as_ref()?;
    let success = exchange.error_message.is_none() && (200..=207).contains(&response.status);
    success.then(|| element.resources.get(index)).flatten()
}

/// What the next resource is given: the previous answer, and the caller's request re-aimed
/// at the next resource's method and path. Its path variables are the caller's, then the
/// previous body's top-level fields of the same name.
pub(super) fn step(
    exchange: Exchange<'_>,
    next: &Resource,
    inbound: &Inbound,
) -> (Previous, Inbound, Map<String, Value>) {
    let Exchange {
        response,
        request_path_variables,
        ..
    } = exchange;
    let (body, headers) = match response {
        Some(response) => answer_of(response),
        None => (Value::Null, Map::new()),
    };
    let mut variables = request_path_variables;
    for name in template_names(&next.path) {
        if variables.contains_key(name) {
            continue;
        }
        if let Some(value) = body.get(name).filter(|v| !v.is_null()) {
            variables.insert(name.to_string(), value.clone());
        }
    }
    let chained = Inbound {
        method: next.method.clone(),
        path: substitute_path(&next.path, &variables),
        ..inbound.clone()
    };
    (Previous { body, headers }, chained, variables)
}

/// The previous answer's body and headers, whether or not anything had read it.
fn answer_of(response: Response) -> (Value, Map<String, Value>) {
    let mut headers = response.headers;
    for (name, value) in response.passed {
        super::exchange::push_multi(&mut headers, &name, &value);
    }
    let body = match response.body {
        // Nothing read the vendor's body (no hook, no rootKey): parse it now.
        Value::Null if !response.raw.is_empty() && !response.replaced => {
            serde_json::from_slice(&response.raw).unwrap_or_else(|_| {
                Value::String(String::from_utf8_lossy(&response.raw).into_owned())
            })
        }
        body => body,
    };
    (body, headers)
}

/// The `{name}` variables of a path template.
fn template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|rest| {
        rest.split_once('}')
            .map(|(name, _)| name.trim_start_matches(':'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_are_found() {
        let names: Vec<&str> = template_names("/hubs/x/{id}/items/{:itemId}").collect();
        assert_eq!(names, ["id", "itemId"]);
    }
}
