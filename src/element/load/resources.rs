//! Resources and their parameters: the routes an element serves and what each sends on.

use super::{Reader, PARAM_KEYS, RESOURCE_KEYS};
use crate::element::located::child;
use crate::element::model::ConfigField;
use crate::element::model::{Converter, ParamKind, Parameter, Resource};
use crate::element::paging::{NextPageKey, PagingMode, ResourcePaging, VendorPaging};
use crate::element::root_key;
use crate::routing::Router;
use serde_json::{Map, Value};

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

impl Reader<'_> {
    /// Every resource, and the router of the `api` ones, where two resources with the same
    /// method and path shape would make one unreachable.
    pub(super) fn resources(&mut self) -> (Vec<Resource>, Router) {
        let mut resources = Vec::new();
        let mut router = Router::default();
        let mut unrouted: Vec<String> = Vec::new();
        let mut chains = Vec::new();
        for pointer in self.list("", "resources") {
            let Some(resource) = self.resource(&pointer) else {
                continue;
            };
            if let Some(target) = self
                .string(&pointer, "nextResource", false)
                .filter(|t| !t.trim().is_empty())
            {
                chains.push((resources.len(), pointer.clone(), target));
            }
            // The OAuth 2 lifecycle runs these (`pipeline::oauth`).
            let runs = crate::element::OAUTH2_LIFECYCLE.contains(&resource.kind.as_str());
            if !resource.is_routed() && !runs && !unrouted.contains(&resource.kind) {
                unrouted.push(resource.kind.clone());
            }
            if resource.is_routed() {
                if let Some(clash) = router.add(&resource.method, &resource.path, resources.len()) {
                    let other: &Resource = &resources[clash];
                    self.error(
                        &pointer,
                        format!(
                            "resource {} {} has the same method and path shape as resource {} {}",
                            resource.method, resource.path, other.method, other.path
                        ),
                    );
                }
            }
            resources.push(resource);
        }
        if !unrouted.is_empty() {
            // One word per element: these run at provisioning, deletion or token time in
            // Cloud Elements, which elemental does not do yet; their hooks are compiled.
            let message = format!(
                "resources of type {} are loaded but not run yet (provisioning and deletion are not implemented)",
                unrouted.join(", ")
            );
            self.warn("/resources", message);
        }
        self.chains(&mut resources, &chains);
        (resources, router)
    }

    fn resource(&mut self, pointer: &str) -> Option<Resource> {
        self.object(pointer, "a resource", RESOURCE_KEYS)?;
        let method = self.string(pointer, "method", true)?.to_ascii_uppercase();
        if !METHODS.contains(&method.as_str()) {
            self.error(
                &child(pointer, "method"),
                format!("unknown method \"{method}\""),
            );
            return None;
        }
        let path = self.string(pointer, "path", true)?;
        if !path.starts_with('/') {
            self.error(
                &child(pointer, "path"),
                format!("path \"{path}\" must start with /"),
            );
            return None;
        }
        let vendor_method = self
            .string(pointer, "vendorMethod", false)
            .map(|m| m.to_ascii_uppercase())
            .unwrap_or_else(|| method.clone());
        if !METHODS.contains(&vendor_method.as_str()) {
            self.error(
                &child(pointer, "vendorMethod"),
                format!("unknown vendorMethod \"{vendor_method}\""),
            );
            return None;
        }
        let target = format!("{method} {path}");
        // Cloud Elements' `objectName` names the object when the path does not.
        let named = self
            .string(pointer, "objectName", false)
            .filter(|n| !n.is_empty());
        let object_named = named.is_some();
        let object_name = named.unwrap_or_else(|| {
            path.split('/')
                .rev()
                .find(|s| !s.is_empty() && !s.starts_with('{'))
                .unwrap_or_default()
                .to_string()
        });
        let parameters = self.parameters(pointer);
        let paging = self.paging(pointer, &method, &parameters);
        Some(Resource {
            vendor_path: self
                .string(pointer, "vendorPath", false)
                .unwrap_or_default(),
            kind: self
                .string(pointer, "type", false)
                .unwrap_or_else(|| "api".into()),
            parameters,
            hooks: self.hooks(pointer, "resource", &target),
            root_key: self.root_key(pointer),
            model: self.model(pointer),
            object_named,
            method,
            path,
            vendor_method,
            object_name,
            paging,
            next_resource: None,
        })
    }

    /// The element's paging configuration defaults (`pagination.type`, `pagination.max`, ...)
    /// as a request would read them: what cannot be used is named here, not at the first call.
    pub(super) fn paging_configuration(&mut self, configuration: &[ConfigField]) {
        let defaults: Map<String, Value> = configuration
            .iter()
            .filter_map(|f| Some((f.key.clone(), f.default.clone()?)))
            .collect();
        if let Err(error) = VendorPaging::read(&defaults, "") {
            let at = self
                .list("", "configuration")
                .into_iter()
                .find(|pointer| self.string(pointer, "key", false).as_deref() == Some(error.key))
                .map(|pointer| child(&pointer, "defaultValue"))
                .unwrap_or_else(|| "/configuration".into());
            self.warn(&at, format!("{error}: list calls of this element answer 500 until an instance's configuration fixes it"));
        }
    }

    /// `paginationType` and `nextPageKey`, and whether callers page the resource.
    fn paging(&mut self, pointer: &str, method: &str, parameters: &[Parameter]) -> ResourcePaging {
        let text = self
            .string(pointer, "paginationType", false)
            .unwrap_or_default();
        let mode = PagingMode::parse(&text).unwrap_or_else(|| {
            self.warn(
                &child(pointer, "paginationType"),
                format!("paginationType \"{text}\" is unknown (use VENDOR_SUPPORTED, VENDOR_NOT_SUPPORTED or NO_PAGINATION): read as VENDOR_SUPPORTED"),
            );
            PagingMode::Vendor
        });
        let next_page_key = self
            .string(pointer, "nextPageKey", false)
            .and_then(|k| NextPageKey::parse(&k));
        let declares = parameters.iter().any(|p| {
            !p.from_response && matches!(p.name.as_str(), "page" | "pageSize" | "nextPage")
        });
        let paged = method == "GET"
            && match mode {
                PagingMode::None => false,
                PagingMode::Local => true,
                PagingMode::Vendor => declares || next_page_key.is_some(),
            };
        ResourcePaging {
            mode,
            next_page_key,
            paged,
        }
    }

    /// The rootKey; a bracket other than `[n]` or `[*]` is read as part of a field name, so
    /// check says so.
    fn root_key(&mut self, pointer: &str) -> Option<String> {
        let key = self
            .string(pointer, "rootKey", false)
            .filter(|k| !k.is_empty())?;
        if !root_key::is_supported(&key) {
            self.warn(
                &child(pointer, "rootKey"),
                format!("rootKey \"{key}\": only [n] and [*] are understood in brackets; the rest is read as a field name"),
            );
        }
        Some(key)
    }

    pub(super) fn parameters(&mut self, pointer: &str) -> Vec<Parameter> {
        self.list(pointer, "parameters")
            .iter()
            .filter_map(|p| self.parameter(p))
            .collect()
    }

    fn parameter(&mut self, pointer: &str) -> Option<Parameter> {
        self.object(pointer, "a parameter", PARAM_KEYS)?;
        let name = self.string(pointer, "name", true)?;
        let kind_text = self.string(pointer, "type", true)?;
        let Some(kind) = ParamKind::parse(&kind_text) else {
            self.error(&child(pointer, "type"), format!("unknown parameter type \"{kind_text}\" (use configuration, header, path, query, body, form, multipart, value, bodyField, prevBody or prevBodyField)"));
            return None;
        };
        let vendor_kind = match self.string(pointer, "vendorType", false) {
            None => kind,
            Some(text) => match ParamKind::parse(&text) {
                Some(k) => k,
                None => {
                    self.error(
                        &child(pointer, "vendorType"),
                        format!("unknown vendorType \"{text}\""),
                    );
                    return None;
                }
            },
        };
        let from_response = match self.string(pointer, "source", false).as_deref() {
            None | Some("request") => false,
            Some("response") => true,
            Some(other) => {
                self.error(
                    &child(pointer, "source"),
                    format!("source must be request or response, found \"{other}\""),
                );
                return None;
            }
        };
        let converter = self.string(pointer, "converter", false).map(|text| {
            let converter = Converter::parse(&text);
            if matches!(converter, Converter::Unsupported(_)) {
                self.warn(
                    &child(pointer, "converter"),
                    format!("converter {text} is vendor-specific and not implemented: parameter \"{name}\" reaches hooks only (request_expression), not the vendor"),
                );
            }
            converter
        });
        Some(Parameter {
            converter,
            vendor_name: self
                .string(pointer, "vendorName", false)
                .unwrap_or_else(|| name.clone()),
            required: self.boolean(pointer, "required"),
            name,
            kind,
            vendor_kind,
            from_response,
        })
    }
}
