//! Validated elements: what the pipeline serves. Built only by `load`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::hooks::Script;
use crate::routing::Router;

/// Every loaded element, by key.
#[derive(Debug, Default)]
pub struct Elements {
    pub by_key: HashMap<String, Arc<Element>>,
    /// Keys of the elements that did not load, with their file: their instances are
    /// skipped as a consequence of that file's errors, not reported as unknown.
    pub failed: HashMap<String, String>,
}

impl Elements {
    pub fn get(&self, key: &str) -> Option<&Arc<Element>> {
        self.by_key.get(key)
    }
}

#[derive(Debug)]
pub struct Element {
    pub key: String,
    pub name: String,
    /// The hub its resources are under (`hub:`, else `<hub>` of the first `/hubs/<hub>/...`
    /// path): the metadata API answers at `/hubs/<hub>/objects`.
    pub hub: String,
    /// `objects[]`: what the metadata API says of each object (`element::objects`).
    pub objects: Vec<super::objects::ObjectInfo>,
    /// The element's folder: element-local files resolve inside it and nowhere else.
    pub dir: PathBuf,
    pub file: String,
    pub authentication: Authentication,
    pub configuration: Vec<ConfigField>,
    /// Element-wide parameters, applied to every resource.
    pub parameters: Vec<Parameter>,
    pub hooks: Hooks,
    pub resources: Vec<Resource>,
    pub router: Router,
    /// How inbound webhooks of this element are checked and routed.
    pub events: EventSettings,
    /// The element's own hook limits (`limits:`), each over the server's.
    pub limits: HookLimits,
    /// The element's fair-share settings (`limits:` concurrency, queue, rate), under an
    /// instance's own and over the server's.
    pub fairness: crate::admission::Fairness,
}

/// The hook limits an element's `limits:` sets; what it leaves out is the server's.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct HookLimits {
    pub time: Option<std::time::Duration>,
    pub cpu: Option<std::time::Duration>,
    pub memory: Option<usize>,
    pub stack: Option<usize>,
}

impl HookLimits {
    /// These limits over the server's `base`.
    // `..base`: fields `hooks::Limits` gains later keep the server's value without an edit here.
    #[allow(clippy::needless_update)]
    pub fn over(&self, base: crate::hooks::Limits) -> crate::hooks::Limits {
        crate::hooks::Limits {
            time: self.time.unwrap_or(base.time),
            cpu: self.cpu.unwrap_or(base.cpu),
            memory: self.memory.unwrap_or(base.memory),
            stack: self.stack.unwrap_or(base.stack),
            ..base
        }
    }
}

/// The element's `events:` block (an elemental extension) and CE's instance finder.
#[derive(Debug, Clone)]
pub struct EventSettings {
    pub signature: Option<super::signature::SignatureCheck>,
    /// `"<configKey>|<dotted json path>"`: picks instances whose configuration value equals
    /// the payload's value there (CE's `event.notification.instance.finder`).
    pub instance_finder: Option<String>,
    /// Largest webhook body accepted (bytes).
    pub max_body: usize,
}

impl Default for EventSettings {
    fn default() -> Self {
        EventSettings {
            signature: None,
            instance_finder: None,
            max_body: 1024 * 1024,
        }
    }
}

impl Element {
    pub fn config_field(&self, key: &str) -> Option<&ConfigField> {
        self.configuration.iter().find(|f| f.key == key)
    }

    /// Whether a configuration key is a secret: PASSWORD or hideFromConsole.
    pub fn is_secret(&self, key: &str) -> bool {
        self.config_field(key).is_some_and(|f| f.secret)
    }

    /// Keys whose values are never shown: PASSWORD and hideFromConsole configuration, and the
    /// vendor headers the element fills from them (a header carrying a secret is one too).
    pub fn secret_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .configuration
            .iter()
            .filter(|f| f.secret)
            .map(|f| f.key.clone())
            .collect();
        // A signing scheme's credentials are secrets whatever type an export gives them.
        let signing = self.authentication.signing();
        let oauth2 = match self.authentication.is_oauth2() {
            true => OAUTH2_SECRET_KEYS,
            false => &[],
        };
        let scheme_keys = signing.iter().flat_map(|s| s.secret_keys()).chain(oauth2);
        for key in scheme_keys {
            if !keys.iter().any(|k| k == key) {
                keys.push(key.to_string());
            }
        }
        let parameters = self
            .parameters
            .iter()
            .chain(self.resources.iter().flat_map(|r| r.parameters.iter()));
        for parameter in parameters.filter(|p| p.vendor_kind == ParamKind::Header) {
            let from_secret = match parameter.kind {
                ParamKind::Configuration => self.is_secret(&parameter.name),
                ParamKind::Value => {
                    crate::element::template::configuration_references(&parameter.name)
                        .iter()
                        .any(|(_, key)| self.is_secret(key))
                }
                _ => false,
            };
            if from_secret && !keys.contains(&parameter.vendor_name) {
                keys.push(parameter.vendor_name.clone());
            }
        }
        keys
    }
}

/// How the engine authenticates to the vendor before hooks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authentication {
    /// `Authorization: Basic` from configuration `username` and `password`.
    Basic,
    /// `Authorization: Bearer` from configuration `oauth.user.token`, refreshed by the
    /// pipeline when it expires or the vendor answers 401 (`auth::oauth2`).
    OAuth2,
    /// `oauth2` whose tokens come from the password grant (`username`/`password`).
    OAuth2Password,
    /// Each request signed by OAuth 1.0a (RFC 5849) from `oauth.api.key`/`oauth.api.secret`
    /// and `oauth.user.token`/`oauth.user.token.secret`, after the pre hooks (`auth::oauth1`).
    OAuth1,
    /// Each request signed by AWS Signature Version 4 from `aws.access.key`/`aws.secret.key`,
    /// `aws.region`, `aws.service`, after the pre hooks (`auth::awsv4`).
    AwsV4,
    /// Nothing implicit: parameters and hooks do it.
    Custom,
}

impl Authentication {
    /// The signing scheme applied to every vendor request, if this type signs.
    pub fn signing(self) -> Option<crate::auth::Scheme> {
        match self {
            Authentication::OAuth1 => Some(crate::auth::Scheme::OAuth1),
            Authentication::AwsV4 => Some(crate::auth::Scheme::AwsV4),
            Authentication::Basic
            | Authentication::OAuth2
            | Authentication::OAuth2Password
            | Authentication::Custom => None,
        }
    }

    /// Whether the element's tokens are OAuth 2 tokens the pipeline obtains and refreshes.
    pub fn is_oauth2(self) -> bool {
        matches!(
            self,
            Authentication::OAuth2 | Authentication::OAuth2Password
        )
    }
}

/// The resource types the OAuth 2 lifecycle runs: the authorization URL, the code exchange,
/// the refresh request, the password grant (Dice's export), and what runs after a refresh.
pub const OAUTH2_LIFECYCLE: &[&str] = &[
    "oauthOnAuthorizeUrl",
    "oauthOnTokenExchange",
    "oauthOnTokenRefresh",
    "oauth2Password",
    "onRefresh",
];

/// OAuth 2 credentials and tokens: secrets whatever type an export gives them (Pinterest's
/// `oauth.user.token` is a TEXTFIELD_32).
const OAUTH2_SECRET_KEYS: &[&str] = &[
    crate::auth::oauth2::TOKEN,
    crate::auth::oauth2::REFRESH_TOKEN,
    crate::auth::oauth2::CLIENT_SECRET,
    crate::auth::oauth2::PASSWORD,
];

#[derive(Debug, Clone)]
pub struct ConfigField {
    pub key: String,
    pub name: String,
    /// Cloud Elements' field type: `TEXTFIELD_32`, `PASSWORD`, `BOOLEAN`, ...
    pub kind: String,
    pub default: Option<serde_json::Value>,
    pub required: bool,
    /// PASSWORD or hideFromConsole: never logged, masked in traces and admin output.
    pub secret: bool,
}

impl ConfigField {
    pub fn is_boolean(&self) -> bool {
        self.kind.eq_ignore_ascii_case("BOOLEAN")
    }
}

/// Where a parameter's value comes from or goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    Configuration,
    Header,
    Path,
    Query,
    Body,
    Form,
    /// A field or file of a `multipart/form-data` body.
    Multipart,
    Value,
    BodyField,
    PrevBody,
    PrevBodyField,
    NoOp,
    /// Fills `{vendorName}` tokens in the vendor body text (a SOAP/XML template).
    BodyToken,
}

impl ParamKind {
    pub fn parse(text: &str) -> Option<ParamKind> {
        Some(match text {
            "configuration" => ParamKind::Configuration,
            "header" => ParamKind::Header,
            "path" => ParamKind::Path,
            "query" => ParamKind::Query,
            "body" => ParamKind::Body,
            "form" => ParamKind::Form,
            "multipart" => ParamKind::Multipart,
            "value" => ParamKind::Value,
            "bodyField" => ParamKind::BodyField,
            "prevBody" => ParamKind::PrevBody,
            "prevBodyField" => ParamKind::PrevBodyField,
            "no-op" => ParamKind::NoOp,
            "bodyToken" => ParamKind::BodyToken,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    /// The caller-side name; for `configuration` the configuration key, for `value` the template.
    pub name: String,
    pub vendor_name: String,
    pub kind: ParamKind,
    pub vendor_kind: ParamKind,
    /// `request` (caller → vendor) or `response` (vendor → caller).
    pub from_response: bool,
    pub required: bool,
    /// How a CEQL `where` becomes vendor query parameters (`converter:`).
    pub converter: Option<Converter>,
}

/// Cloud Elements' `where` converters: the CEQL expression rewritten for the vendor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Converter {
    /// `toQueryParameters`: each `attribute = value` of an AND-list is a query parameter.
    QueryParameters,
    /// `toODataFilter`: an OData v4 `$filter`.
    ODataV4,
    /// `toODataV3Filter`: an OData v3 `$filter` (`substringof` instead of `contains`).
    ODataV3,
    /// A vendor-specific converter (`toWiql`, `toBazaarvoice`, ...) elemental does not
    /// have: `where` reaches hooks only.
    Unsupported(String),
}

impl Converter {
    pub fn parse(name: &str) -> Converter {
        match name {
            "toQueryParameters" => Converter::QueryParameters,
            "toODataFilter" => Converter::ODataV4,
            "toODataV3Filter" => Converter::ODataV3,
            other => Converter::Unsupported(other.to_string()),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Hooks {
    pub pre_request: Option<Script>,
    pub post_request: Option<Script>,
    pub event: Option<Script>,
}

#[derive(Debug, Clone)]
pub struct Resource {
    pub method: String,
    pub path: String,
    pub vendor_method: String,
    pub vendor_path: String,
    /// `api`, `apiNoDocumentation`, `onProvision`, ...: see `is_routed`.
    pub kind: String,
    pub parameters: Vec<Parameter>,
    pub hooks: Hooks,
    /// Dotted path of the records inside the vendor's response body.
    pub root_key: Option<String>,
    /// The object the resource serves: `objectName`, else the path's last name (`contacts`
    /// for `/hubs/crm/contacts/{id}`).
    pub object_name: String,
    /// Who pages its records and where the vendor's next-page cursor is.
    pub paging: super::paging::ResourcePaging,
    /// `nextResource`: the index of the resource run after this one within the same call
    /// (no loop: refused at load).
    pub next_resource: Option<usize>,
    /// Whether `objectName` said so (else the name came from the path).
    pub object_named: bool,
    /// The swagger `model` of the resource (documentation: metadata and OpenAPI).
    pub model: Option<super::swagger::Model>,
}

impl Resource {
    /// Only `api` resources (and `apiNoDocumentation`, which differs only in Cloud
    /// Elements' generated documentation) answer callers.
    pub fn is_routed(&self) -> bool {
        matches!(self.kind.as_str(), "api" | "apiNoDocumentation")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn an_elements_hook_limits_override_only_what_they_set() {
        let server = crate::hooks::Limits {
            time: Duration::from_secs(3),
            memory: 8 << 20,
            ..crate::hooks::Limits::default()
        };
        let element = HookLimits {
            cpu: Some(Duration::from_millis(40)),
            ..HookLimits::default()
        };
        let limits = element.over(server);
        assert_eq!(limits.cpu, Duration::from_millis(40));
        assert_eq!(
            limits.time,
            Duration::from_secs(3),
            "the server's, not the default"
        );
        assert_eq!(limits.memory, 8 << 20);
    }
}
