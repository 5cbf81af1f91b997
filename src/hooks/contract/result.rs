//! What a hook's result means, per kind: the keys of its `done()` object (README, "Hooks")
//! read once, here, into typed values.
//!
//! The values are moved out of the result object, never copied or printed again. A key of
//! another type than the one it takes is ignored, as the proxy always did (a hook that gives
//! `request_vendor_headers: "x"` changes no header); the lenient forms are documented on
//! each field.

use serde_json::{Map, Value};

use super::Kind;

/// What one invocation asked for, by the kind of hook that ran.
// Moved once or twice per invocation: boxing the larger variants would cost an allocation
// per hook to save copying a few hundred bytes.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum HookResult {
    PreRequest(PreRequestResult),
    PostResponse(PostResponseResult),
    Event(EventResult),
}

/// A preRequest hook's result. The default passes everything through.
#[derive(Debug, Clone, PartialEq)]
pub struct PreRequestResult {
    /// `continue`: only `false` skips the vendor (the response fields below then answer).
    pub continue_: bool,
    /// `configuration` (an object): merged into the instance's, `null` removes a key.
    pub configuration: Option<Map<String, Value>>,
    /// `request_vendor_headers` (an object): merged, `null` removes, names case-insensitive.
    pub request_vendor_headers: Option<Map<String, Value>>,
    /// `request_vendor_parameters` (an object): merged, `null` removes.
    pub request_vendor_parameters: Option<Map<String, Value>>,
    /// `request_vendor_body`, else `request_vendor_body_map`, whatever its type: replaces the
    /// body (`null` removes it; a string is sent as it is, anything else as JSON).
    pub request_vendor_body: Option<Value>,
    /// `request_vendor_path` (a string): relative, or an absolute URL.
    pub request_vendor_path: Option<String>,
    /// `request_vendor_method` (a string), upper-cased.
    pub request_vendor_method: Option<String>,
    /// `response_status_code`: a number or a numeric string, 100–599.
    pub response_status_code: Option<u16>,
    /// `response_headers` (an object), names lower-cased.
    pub response_headers: Option<Map<String, Value>>,
    /// `response_body`, unless absent or null.
    pub response_body: Option<Value>,
    /// `response_body_raw` (a string): the answer's text when there is no `response_body`.
    pub response_body_raw: Option<String>,
    /// `response_error_message`, else `response_error`: a string, or any other value but
    /// null and `false` as JSON text.
    pub response_error_message: Option<String>,
}

impl Default for PreRequestResult {
    fn default() -> Self {
        PreRequestResult {
            continue_: true,
            configuration: None,
            request_vendor_headers: None,
            request_vendor_parameters: None,
            request_vendor_body: None,
            request_vendor_path: None,
            request_vendor_method: None,
            response_status_code: None,
            response_headers: None,
            response_body: None,
            response_body_raw: None,
            response_error_message: None,
        }
    }
}

/// A postRequest hook's result. The default passes the response through.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostResponseResult {
    /// `configuration` (an object): merged into the instance's, `null` removes a key.
    pub configuration: Option<Map<String, Value>>,
    /// `response_status_code`: a number or a numeric string, 100–599.
    pub response_status_code: Option<u16>,
    /// `response_headers` (an object), names lower-cased: merged, `null` removes.
    pub response_headers: Option<Map<String, Value>>,
    /// `response_body_raw`, whatever its type: the new body's text (null is empty).
    pub response_body_raw: Option<Value>,
    /// `response_body`, whatever its type (null included): the new body.
    pub response_body: Option<Value>,
    /// `response_error_message`, else `response_error`: as for preRequest.
    pub response_error_message: Option<String>,
    /// `metadata_merge`: only `true` (a metadata resource's hook) merges the answer's `fields`
    /// with the object's model-derived ones.
    pub metadata_merge: bool,
}

/// An event hook's result.
#[derive(Debug, Clone, PartialEq)]
pub struct EventResult {
    /// `configuration` (an object): merged into the instance's, `null` removes a key.
    pub configuration: Option<Map<String, Value>>,
    /// `continue`: only `false` drops the event.
    pub continue_: bool,
    /// `events`: an array (a `getArray()` list is one) or a single object.
    pub events: Result<Events, NoEvents>,
}

/// The events an event hook normalized a webhook into.
#[derive(Debug, Clone, PartialEq)]
pub enum Events {
    List(Vec<Value>),
    /// The hook did not call `done()` and returned no `events`: the server's default (one
    /// UNKNOWN event).
    Unset,
}

/// An event hook called `done()` without an `events` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the event hook's result has no `events` list")]
pub struct NoEvents;

impl HookResult {
    /// Read the result object of a hook of `kind` (`None`: it passed everything through);
    /// `called`: whether it called `done()`.
    pub(in crate::hooks) fn parse(
        kind: Kind,
        called: bool,
        result: Option<Map<String, Value>>,
    ) -> HookResult {
        let result = result.unwrap_or_default();
        match kind {
            Kind::PreRequest => HookResult::PreRequest(PreRequestResult::parse(result)),
            Kind::PostRequest => HookResult::PostResponse(PostResponseResult::parse(result)),
            Kind::Event => HookResult::Event(EventResult::parse(called, result)),
        }
    }

    pub fn pre_request(self) -> Option<PreRequestResult> {
        match self {
            HookResult::PreRequest(result) => Some(result),
            _ => None,
        }
    }

    pub fn post_response(self) -> Option<PostResponseResult> {
        match self {
            HookResult::PostResponse(result) => Some(result),
            _ => None,
        }
    }

    pub fn event(self) -> Option<EventResult> {
        match self {
            HookResult::Event(result) => Some(result),
            _ => None,
        }
    }
}

/// The two keys that turn an answer into an error, in the order they are looked at.
#[derive(Default)]
struct ErrorKeys {
    message: Option<Value>,
    error: Option<Value>,
}

impl ErrorKeys {
    fn message(self) -> Option<String> {
        [self.message, self.error]
            .into_iter()
            .find_map(|value| match value? {
                Value::Null | Value::Bool(false) => None,
                Value::String(text) => Some(text),
                other => Some(other.to_string()),
            })
    }
}

impl PreRequestResult {
    fn parse(result: Map<String, Value>) -> PreRequestResult {
        let mut out = PreRequestResult::default();
        let (mut body, mut body_map, mut errors) = (None, None, ErrorKeys::default());
        for (key, value) in result {
            match key.as_str() {
                "continue" => out.continue_ = value != Value::Bool(false),
                "configuration" => out.configuration = object(value),
                "request_vendor_headers" => out.request_vendor_headers = object(value),
                "request_vendor_parameters" => out.request_vendor_parameters = object(value),
                "request_vendor_body" => body = Some(value),
                "request_vendor_body_map" => body_map = Some(value),
                "request_vendor_path" => out.request_vendor_path = string(value),
                "request_vendor_method" => {
                    out.request_vendor_method = string(value).map(|mut method| {
                        method.make_ascii_uppercase();
                        method
                    })
                }
                "response_status_code" => out.response_status_code = status(&value),
                "response_headers" => out.response_headers = object(value).map(lowercase_keys),
                "response_body" => out.response_body = Some(value).filter(|v| !v.is_null()),
                "response_body_raw" => out.response_body_raw = string(value),
                "response_error_message" => errors.message = Some(value),
                "response_error" => errors.error = Some(value),
                _ => {}
            }
        }
        out.request_vendor_body = body.or(body_map);
        out.response_error_message = errors.message();
        out
    }
}

impl PostResponseResult {
    fn parse(result: Map<String, Value>) -> PostResponseResult {
        let mut out = PostResponseResult::default();
        let mut errors = ErrorKeys::default();
        for (key, value) in result {
            match key.as_str() {
                "configuration" => out.configuration = object(value),
                "response_status_code" => out.response_status_code = status(&value),
                "response_headers" => out.response_headers = object(value).map(lowercase_keys),
                "response_body_raw" => out.response_body_raw = Some(value),
                "response_body" => out.response_body = Some(value),
                "response_error_message" => errors.message = Some(value),
                "response_error" => errors.error = Some(value),
                "metadata_merge" => out.metadata_merge = value == Value::Bool(true),
                _ => {}
            }
        }
        out.response_error_message = errors.message();
        out
    }
}

impl EventResult {
    fn parse(called: bool, result: Map<String, Value>) -> EventResult {
        let mut out = EventResult {
            configuration: None,
            continue_: true,
            events: Err(NoEvents),
        };
        let mut events = None;
        for (key, value) in result {
            match key.as_str() {
                "configuration" => out.configuration = object(value),
                "continue" => out.continue_ = value != Value::Bool(false),
                "events" => events = Some(value),
                _ => {}
            }
        }
        out.events = match events {
            Some(Value::Array(items)) => Ok(Events::List(items)),
            Some(one @ Value::Object(_)) => Ok(Events::List(vec![one])),
            None | Some(Value::Null) if !called => Ok(Events::Unset),
            _ => Err(NoEvents),
        };
        out
    }
}

fn object(value: Value) -> Option<Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

fn string(value: Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text),
        _ => None,
    }
}

/// A status code from a number or a numeric string, when it is one HTTP allows.
fn status(value: &Value) -> Option<u16> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|s| (100..=599).contains(s))
}

/// Header names lower-cased; of two names that differ only in case, the later value wins.
fn lowercase_keys(map: Map<String, Value>) -> Map<String, Value> {
    map.into_iter()
        .map(|(mut k, v)| {
            k.make_ascii_lowercase();
            (k, v)
        })
        .collect()
}

#[cfg(test)]
mod tests;
