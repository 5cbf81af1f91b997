//! The element's objects (`objects[]`), its hub and each resource's swagger `model`: the
//! metadata API's and the OpenAPI document's sources. All of it is documentation, so a
//! malformed part is a warning and left out, never a reason not to serve the element.

use serde_json::{Map, Value};

use super::Reader;
use crate::element::located::child;
use crate::element::model::Resource;
use crate::element::objects::ObjectInfo;
use crate::element::swagger::Model;

impl Reader<'_> {
    /// `hub:`, else the `<hub>` of the first resource path `/hubs/<hub>/...`, else empty.
    pub(super) fn hub(&mut self, resources: &[Resource]) -> String {
        if let Some(hub) = self.string("", "hub", false).filter(|h| !h.is_empty()) {
            return hub;
        }
        resources
            .iter()
            .find_map(|r| {
                let mut segments = r.path.trim_start_matches('/').split('/');
                (segments.next() == Some("hubs"))
                    .then(|| segments.next())
                    .flatten()
                    .filter(|hub| !hub.is_empty() && !hub.starts_with('{'))
            })
            .unwrap_or_default()
            .to_string()
    }

    /// Every readable entry of `objects[]`.
    pub(super) fn objects(&mut self) -> Vec<ObjectInfo> {
        let at = "/objects";
        match self.value(at) {
            None | Some(Value::Null) | Some(Value::Array(_)) => {}
            Some(_) => {
                self.warn(at, "\"objects\" must be a list; ignored");
                return Vec::new();
            }
        }
        self.list("", "objects")
            .iter()
            .filter_map(|pointer| self.object_info(pointer))
            .collect()
    }

    fn object_info(&mut self, pointer: &str) -> Option<ObjectInfo> {
        let Some(Value::Object(map)) = self.value(pointer).cloned() else {
            self.warn(pointer, "an object must be a mapping; ignored");
            return None;
        };
        let text = |key: &str| match map.get(key) {
            Some(Value::String(text)) if !text.is_empty() => Some(text.clone()),
            _ => None,
        };
        let Some(name) = text("name") else {
            self.warn(pointer, "an object needs a \"name\"; ignored");
            return None;
        };
        for key in ["vendorName", "primaryKeyName"] {
            if map.get(key).is_some_and(|v| !v.is_string() && !v.is_null()) {
                self.warn(&child(pointer, key), format!("\"{key}\" must be a string"));
            }
        }
        Some(ObjectInfo {
            vendor_name: text("vendorName"),
            primary_key: text("primaryKeyName"),
            fields: self.object_fields(pointer, &map),
            name,
        })
    }

    /// `objects[].fields`: mappings, each with a `vendorPath` (or `path`).
    fn object_fields(
        &mut self,
        pointer: &str,
        map: &Map<String, Value>,
    ) -> Vec<Map<String, Value>> {
        let at = child(pointer, "fields");
        let items = match map.get("fields") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.warn(&at, "\"fields\" must be a list; ignored");
                return Vec::new();
            }
        };
        let mut fields = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let has_path = |f: &Map<String, Value>| {
                ["vendorPath", "path"]
                    .iter()
                    .any(|k| f.get(*k).is_some_and(Value::is_string))
            };
            match item {
                Value::Object(field) if has_path(field) => fields.push(field.clone()),
                _ => self.warn(
                    &format!("{at}/{index}"),
                    "a field must be a mapping with a \"vendorPath\"; ignored",
                ),
            }
        }
        fields
    }

    /// A resource's `model`, its malformed parts left out with a warning each.
    pub(super) fn model(&mut self, pointer: &str) -> Option<Model> {
        let at = child(pointer, "model");
        let value = match self.value(&at) {
            None | Some(Value::Null) => return None,
            Some(value) => value,
        };
        let mut problems = Vec::new();
        let model = Model::read(value, &mut problems);
        for problem in problems {
            let message = format!("model: {}; left out", problem.message);
            self.warn(&format!("{at}{}", problem.pointer), message);
        }
        model
    }
}
