//! What a hook is given: the variables of each kind, lent from the caller's own values.
//!
//! A variable is built only when the script names it (`Reads`), and built as a JS value
//! straight from the borrowed Rust value: bodies and header maps are never copied on the way.

use serde_json::{json, Map, Value};

use super::{Kind, Reads, Variable};

/// The request side of the proxy's hooks: what preRequest hooks get, and postRequest hooks
/// along with the response.
#[derive(Clone, Copy)]
pub struct RequestVars<'a> {
    /// `request_body`: the caller's body as text, `None` when there was none (null).
    pub body: Option<&'a str>,
    /// `request_body_map`: the caller's body parsed, else null.
    pub body_map: &'a Value,
    /// `request_headers`: lower-case names.
    pub headers: &'a Map<String, Value>,
    /// `request_path`: below the prefix.
    pub path: &'a str,
    pub path_variables: &'a Map<String, Value>,
    pub parameters: &'a Map<String, Value>,
    pub method: &'a str,
    /// `request_expression`: the parsed `where`, else null.
    pub expression: &'a Value,
    pub vendor_method: &'a str,
    pub vendor_path: &'a str,
    /// `request_vendor_url`, made only when the script reads it.
    pub vendor_url: &'a dyn Fn() -> String,
    pub vendor_headers: &'a Map<String, Value>,
    pub vendor_parameters: &'a Map<String, Value>,
    /// `request_vendor_body` as text (null when `None`); `request_vendor_body_map` is it parsed.
    pub vendor_body: Option<&'a str>,
    pub configuration: &'a Map<String, Value>,
    /// `object_name`: the resource's object.
    pub object_name: &'a str,
    /// `request_previous_response` and `request_previous_response_headers`: the previous
    /// resource's answer in a `nextResource` chain (both null outside one).
    pub previous: Option<(&'a Value, &'a Map<String, Value>)>,
    /// `vendor_object_name`: the vendor's name of the object the hook is about; made only
    /// when the script reads it.
    pub vendor_object_name: &'a dyn Fn() -> String,
    /// `meta_data`: that object's metadata (`element::objects`), else null; made only when
    /// the script reads it.
    pub meta_data: &'a dyn Fn() -> Value,
}

/// The response postRequest hooks see and change.
#[derive(Debug, Clone, Copy)]
pub struct ResponseVars<'a> {
    /// `response_status_code`; `response_iserror` is true unless it is 200–207.
    pub status: u16,
    /// `response_headers`: lower-case names, a repeated header as an array.
    pub headers: &'a Map<String, Value>,
    /// `response_body`: after `rootKey`, parsed JSON, else the text. `response_body_map` is
    /// the same unless it is text (then null).
    pub body: &'a Value,
    /// `response_body_raw`: the bytes as they came (as UTF-8 text, lossy).
    pub raw: &'a [u8],
    /// `response_body_raw_map`: the whole body parsed, else null.
    pub raw_map: &'a Value,
}

/// What an event hook gets.
#[derive(Debug, Clone, Copy)]
pub struct EventVars<'a> {
    /// `events`: the webhook's payload with `eventHeaders` and `eventId`.
    pub events: &'a Value,
    pub configuration: &'a Map<String, Value>,
}

/// The input of one invocation: its kind and its variables.
#[derive(Clone, Copy)]
pub enum HookInput<'a> {
    PreRequest(RequestVars<'a>),
    PostResponse(RequestVars<'a>, ResponseVars<'a>),
    Event(EventVars<'a>),
    /// Variables given by name as JSON (`hook run`, element test cases): exactly these are
    /// bound, whatever their types; the result is read as `Kind`'s.
    Given(Kind, &'a Map<String, Value>),
}

/// One variable's value as the caller lent it, before it becomes a JS value.
pub(in crate::hooks) enum Var<'a> {
    Json(&'a Value),
    Object(&'a Map<String, Value>),
    Text(&'a str),
    /// Text or null.
    MaybeText(Option<&'a str>),
    /// Bytes shown as UTF-8 text (lossy).
    Bytes(&'a [u8]),
    /// A value made for this invocation (a URL put together, a body parsed).
    Owned(Value),
    Int(i32),
    Bool(bool),
    Null,
    EmptyObject,
}

impl Var<'_> {
    /// The value as JSON, for traces and `hook run` defaults.
    pub(in crate::hooks) fn to_json(&self) -> Value {
        match self {
            Var::Json(value) => (*value).clone(),
            Var::Object(map) => Value::Object((*map).clone()),
            Var::Text(text) => json!(text),
            Var::MaybeText(text) => text.map_or(Value::Null, |t| json!(t)),
            Var::Bytes(bytes) => json!(String::from_utf8_lossy(bytes)),
            Var::Owned(value) => value.clone(),
            Var::Int(n) => json!(n),
            Var::Bool(b) => json!(b),
            Var::Null => Value::Null,
            Var::EmptyObject => json!({}),
        }
    }
}

/// The variables of one invocation, copied out of the caller's values so that they can go
/// to the hook executor's thread (`HookInput::bind`).
#[derive(Debug)]
pub struct Bound {
    pub(in crate::hooks) kind: Kind,
    pub(in crate::hooks) vars: Vec<(String, Held)>,
}

/// One variable's value, owned.
#[derive(Debug)]
pub(in crate::hooks) enum Held {
    Json(Value),
    Object(Map<String, Value>),
    Text(String),
    MaybeText(Option<String>),
    Bytes(Vec<u8>),
    Int(i32),
    Bool(bool),
    Null,
    EmptyObject,
}

impl Held {
    fn of(var: Var<'_>) -> Held {
        match var {
            Var::Json(value) => Held::Json(value.clone()),
            Var::Object(map) => Held::Object(map.clone()),
            Var::Text(text) => Held::Text(text.to_string()),
            Var::MaybeText(text) => Held::MaybeText(text.map(str::to_string)),
            Var::Bytes(bytes) => Held::Bytes(bytes.to_vec()),
            Var::Owned(value) => Held::Json(value),
            Var::Int(n) => Held::Int(n),
            Var::Bool(b) => Held::Bool(b),
            Var::Null => Held::Null,
            Var::EmptyObject => Held::EmptyObject,
        }
    }

    /// The value lent again, as the engine binds it.
    pub(in crate::hooks) fn var(&self) -> Var<'_> {
        match self {
            Held::Json(value) => Var::Json(value),
            Held::Object(map) => Var::Object(map),
            Held::Text(text) => Var::Text(text),
            Held::MaybeText(text) => Var::MaybeText(text.as_deref()),
            Held::Bytes(bytes) => Var::Bytes(bytes),
            Held::Int(n) => Var::Int(*n),
            Held::Bool(b) => Var::Bool(*b),
            Held::Null => Var::Null,
            Held::EmptyObject => Var::EmptyObject,
        }
    }
}

/// The variables an invocation binds: lent by the caller when it runs on the caller's thread,
/// held when it was sent to a hook executor.
#[derive(Clone, Copy)]
pub enum Vars<'a> {
    Lent(&'a HookInput<'a>, Reads),
    Held(&'a Bound),
}

impl Vars<'_> {
    pub(in crate::hooks) fn kind(&self) -> Kind {
        match self {
            Vars::Lent(input, _) => input.kind(),
            Vars::Held(bound) => bound.kind,
        }
    }

    /// Visit the variables to bind, as `HookInput::each` does.
    pub(in crate::hooks) fn each<E>(
        &self,
        mut visit: impl for<'v> FnMut(&str, Var<'v>) -> Result<(), E>,
    ) -> Result<(), E> {
        match self {
            Vars::Lent(input, reads) => input.each(*reads, visit),
            Vars::Held(bound) => {
                for (name, held) in &bound.vars {
                    visit(name, held.var())?;
                }
                Ok(())
            }
        }
    }
}

impl<'a> HookInput<'a> {
    /// The variables to bind (those in `reads`, as `each` visits them), owned.
    pub fn bind(&self, reads: Reads) -> Bound {
        let mut vars = Vec::new();
        let _ = self.each(reads, |name, var| -> Result<(), ()> {
            vars.push((name.to_string(), Held::of(var)));
            Ok(())
        });
        Bound {
            kind: self.kind(),
            vars,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            HookInput::PreRequest(_) => Kind::PreRequest,
            HookInput::PostResponse(..) => Kind::PostRequest,
            HookInput::Event(_) => Kind::Event,
            HookInput::Given(kind, _) => *kind,
        }
    }

    /// Visit the variables to bind, in `VARIABLES` order: of a typed input only those in
    /// `reads` that its kind provides; of a `Given` one, every entry.
    pub(in crate::hooks) fn each<E>(
        &self,
        reads: Reads,
        mut visit: impl FnMut(&str, Var<'a>) -> Result<(), E>,
    ) -> Result<(), E> {
        if let HookInput::Given(_, variables) = self {
            for (name, value) in variables.iter() {
                visit(name, Var::Json(value))?;
            }
            return Ok(());
        }
        for &variable in Variable::ALL {
            if !reads.names(variable) {
                continue;
            }
            if let Some(value) = self.variable(variable) {
                visit(variable.name(), value)?;
            }
        }
        Ok(())
    }

    /// Every variable this input gives, as JSON (what a trace shows).
    pub fn to_json(&self) -> Map<String, Value> {
        let mut map = Map::new();
        let _ = self.each(Reads::ALL, |name, value| -> Result<(), ()> {
            map.insert(name.to_string(), value.to_json());
            Ok(())
        });
        map
    }

    /// One variable's value; `None` for one this kind of hook does not get.
    fn variable(&self, variable: Variable) -> Option<Var<'a>> {
        match self {
            HookInput::PreRequest(request) => request.variable(variable),
            HookInput::PostResponse(request, response) => response
                .variable(variable)
                .or_else(|| request.variable(variable)),
            HookInput::Event(event) => event.variable(variable),
            HookInput::Given(_, variables) => variables.get(variable.name()).map(Var::Json),
        }
    }
}

impl<'a> RequestVars<'a> {
    fn variable(&self, variable: Variable) -> Option<Var<'a>> {
        use Variable as V;
        Some(match variable {
            V::RequestBody => Var::MaybeText(self.body),
            V::RequestBodyMap => Var::Json(self.body_map),
            V::RequestHeaders => Var::Object(self.headers),
            V::RequestPath => Var::Text(self.path),
            V::RequestPathVariables => Var::Object(self.path_variables),
            V::RequestParameters => Var::Object(self.parameters),
            V::RequestMethod => Var::Text(self.method),
            V::RequestVendorMethod => Var::Text(self.vendor_method),
            V::RequestVendorPath => Var::Text(self.vendor_path),
            V::RequestVendorUrl => Var::Owned(Value::String((self.vendor_url)())),
            V::RequestVendorHeaders => Var::Object(self.vendor_headers),
            V::RequestVendorParameters => Var::Object(self.vendor_parameters),
            V::RequestVendorBody => Var::MaybeText(self.vendor_body),
            V::RequestVendorBodyMap => Var::Owned(
                self.vendor_body
                    .and_then(|b| serde_json::from_str(b).ok())
                    .unwrap_or(Value::Null),
            ),
            V::RequestExpression => Var::Json(self.expression),
            V::RequestPreviousResponse => {
                self.previous.map_or(Var::Null, |(body, _)| Var::Json(body))
            }
            V::RequestPreviousResponseHeaders => self
                .previous
                .map_or(Var::Null, |(_, headers)| Var::Object(headers)),
            V::MetaData => Var::Owned((self.meta_data)()),
            V::Configuration => Var::Object(self.configuration),
            V::ObjectName => Var::Text(self.object_name),
            V::VendorObjectName => Var::Owned(Value::String((self.vendor_object_name)())),
            V::MetadataMerge => Var::Bool(false),
            _ => return None,
        })
    }
}

impl<'a> ResponseVars<'a> {
    fn variable(&self, variable: Variable) -> Option<Var<'a>> {
        use Variable as V;
        Some(match variable {
            V::ResponseBody => Var::Json(self.body),
            V::ResponseBodyMap if self.body.is_string() => Var::Null,
            V::ResponseBodyMap => Var::Json(self.body),
            V::ResponseBodyRaw => Var::Bytes(self.raw),
            V::ResponseBodyRawMap => Var::Json(self.raw_map),
            V::ResponseHeaders => Var::Object(self.headers),
            V::ResponseStatusCode => Var::Int(i32::from(self.status)),
            V::ResponseIserror => Var::Bool(!(200..=207).contains(&self.status)),
            _ => return None,
        })
    }
}

impl<'a> EventVars<'a> {
    fn variable(&self, variable: Variable) -> Option<Var<'a>> {
        match variable {
            Variable::Events => Some(Var::Json(self.events)),
            Variable::Configuration => Some(Var::Object(self.configuration)),
            _ => None,
        }
    }
}

/// The values the server gives a variable the caller did not supply (`hook run`, test
/// cases): a request to `GET /` with default vendor headers, a 200 with an empty body, an
/// event with no payload.
pub fn defaults(kind: Kind) -> Map<String, Value> {
    let empty = Map::new();
    let vendor_headers = match json!({"Accept": "application/json", "Content-Type": "application/json"})
    {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let no_url = String::new;
    let request = RequestVars {
        body: None,
        body_map: &Value::Null,
        headers: &empty,
        path: "/",
        path_variables: &empty,
        parameters: &empty,
        method: "GET",
        expression: &Value::Null,
        vendor_method: "GET",
        vendor_path: "/",
        vendor_url: &no_url,
        vendor_headers: &vendor_headers,
        vendor_parameters: &empty,
        vendor_body: None,
        configuration: &empty,
        object_name: "",
        previous: None,
        vendor_object_name: &String::new,
        meta_data: &|| json!({}),
    };
    let events = json!({"eventHeaders": {}, "eventId": ""});
    let input = match kind {
        Kind::PreRequest => HookInput::PreRequest(request),
        Kind::PostRequest => HookInput::PostResponse(
            request,
            ResponseVars {
                status: 200,
                headers: &empty,
                body: &Value::Null,
                raw: b"",
                raw_map: &Value::Null,
            },
        ),
        Kind::Event => HookInput::Event(EventVars {
            events: &events,
            configuration: &empty,
        }),
    };
    input.to_json()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn defaults_are_the_servers_for_each_kind() {
        let pre = defaults(Kind::PreRequest);
        assert_eq!(pre.len(), 22);
        assert_eq!(
            pre["request_vendor_headers"]["Accept"],
            json!("application/json")
        );
        assert_eq!(pre["request_vendor_url"], json!(""));
        assert_eq!(pre["request_body"], Value::Null);
        assert!(!pre.contains_key("response_body"));
        let post = defaults(Kind::PostRequest);
        assert_eq!(post.len(), 29);
        assert_eq!(post["response_status_code"], json!(200));
        assert_eq!(post["response_body_raw"], json!(""));
        assert_eq!(post["response_iserror"], json!(false));
        let event = defaults(Kind::Event);
        assert_eq!(
            Value::Object(event),
            json!({"configuration": {}, "events": {"eventHeaders": {}, "eventId": ""}})
        );
    }

    #[test]
    fn only_the_variables_read_are_visited() {
        let body = json!({"a": 1});
        let empty = Map::new();
        let response = ResponseVars {
            status: 404,
            headers: &empty,
            body: &body,
            raw: b"{\"a\":1}",
            raw_map: &body,
        };
        let url = || "https://x".to_string();
        let request = RequestVars {
            body: Some("text"),
            body_map: &Value::Null,
            headers: &empty,
            path: "/p",
            path_variables: &empty,
            parameters: &empty,
            method: "GET",
            expression: &Value::Null,
            vendor_method: "GET",
            vendor_path: "/v",
            vendor_url: &url,
            vendor_headers: &empty,
            vendor_parameters: &empty,
            vendor_body: Some("[1]"),
            configuration: &empty,
            object_name: "contacts",
            previous: None,
            vendor_object_name: &|| "Contact".to_string(),
            meta_data: &|| json!({"fields": []}),
        };
        let input = HookInput::PostResponse(request, response);
        let mut seen = Map::new();
        let reads = Reads::of(
            "response_iserror request_vendor_body_map request_vendor_url events vendor_object_name meta_data",
        );
        let _ = input.each(reads, |name, value| -> Result<(), ()> {
            seen.insert(name.to_string(), value.to_json());
            Ok(())
        });
        assert_eq!(
            Value::Object(seen),
            json!({"request_vendor_url": "https://x", "request_vendor_body_map": [1],
                   "meta_data": {"fields": []}, "vendor_object_name": "Contact", "response_iserror": true})
        );
        let cow: Cow<'_, str> = String::from_utf8_lossy(response.raw);
        assert_eq!(input.to_json()["response_body_raw"], json!(cow));
    }
}
