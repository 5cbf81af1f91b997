//! Keys of Cloud Elements exports the loader does not read: accepted silently when nothing in
//! Cloud Elements' behaviour depends on them, otherwise named in one warning per element.
//!
//! docs/element-keys.md is the table of every key with what elemental does with it.

use serde_json::Value;

use super::Reader;
use crate::element::diagnostic::edit_distance;

/// Export metadata, by object: ids, dates, flags of Cloud Elements' console and marketplace,
/// documentation (models, swagger, sample data). Nothing at request time depends on them.
const ELEMENT_METADATA: &[&str] = &[
    "id",
    "active",
    "deleted",
    "image",
    "logo",
    "logoURL",
    "beta",
    "cloneable",
    "private",
    "extendable",
    "extended",
    "typeOauth",
    "trialAccount",
    "existingAccountDescription",
    "transformationsEnabled",
    "childTransformationsEnabled",
    "defaultTransformations",
    "bulkDownloadEnabled",
    "bulkUploadEnabled",
    "cloudEventsEnabled",
    "signupURL",
    "configDescription",
    "useModelsForMetadata",
    "modelType",
    "models",
    "elementMetadata",
    "hookName",
    "ownerAccountId",
    "createdDate",
    "updatedDate",
    "paginatorVersion",
    "protocolType",
];
const CONFIG_METADATA: &[&str] = &[
    "id",
    "active",
    "companyConfig",
    "resellerConfig",
    "displayOrder",
    "groupControl",
    "internal",
    "isPrivate",
    "configScreenType",
    "options",
];
const PARAM_METADATA: &[&str] = &[
    "id",
    "elementId",
    "resourceId",
    "createdDate",
    "updatedDate",
    "dataType",
    "vendorDataType",
    "sampleData",
    "curated",
    "sortOrder",
];
const HOOK_METADATA: &[&str] = &["id", "elementId", "resourceId", "contextParams"];
const RESOURCE_METADATA: &[&str] = &[
    "id",
    "elementId",
    "kind",
    "modelMigrated",
    "ownerAccountId",
    "response",
    "createdDate",
    "updatedDate",
    "tryitoutDisable",
    "operationId",
];
/// `objects[]` describe objects for Cloud Elements' metadata, bulk and event APIs: the
/// metadata API's keys are read (`OBJECT_KEYS`); of the rest only `eventsEnabled` changes what
/// happens at run time (polling by the platform).
const OBJECT_METADATA: &[&str] = &[
    "id",
    "elementId",
    "ownerAccountId",
    "createdDate",
    "updatedDate",
    "tags",
    "migrated",
    "operationsSupported",
    "customFields",
    "nullsRequired",
    "metadataDiscovery",
    "vendorEventTypes",
    "eventCreatedSupported",
    "eventUpdatedSupported",
    "eventDeletedSupported",
    "createdDateName",
    "createdDateFormat",
    "updatedDateName",
    "updatedDateFormat",
    "queryDateName",
    "queryDateFormat",
    "queryDateOperator",
    "bulkDownloadEnabled",
    "bulkUploadEnabled",
    "hulkDownloadEnabled",
    "hulkUploadEnabled",
    "nativeBulkDownload",
    "nativeBulkUpload",
];
/// What the summary warning says, gathered over the whole document.
#[derive(Default)]
struct Unused {
    /// Keys neither read nor metadata, as `where.key`.
    unknown: Vec<String>,
    polling: usize,
}

impl Reader<'_> {
    /// One warning naming the export's keys that change Cloud Elements' behaviour but not
    /// elemental's, so nothing an export asks for is dropped without a word.
    pub(super) fn unused_keys(&mut self) {
        let mut unused = Unused::default();
        let doc = &self.doc.value;
        scan(doc, "", super::ELEMENT_KEYS, ELEMENT_METADATA, &mut unused);
        for entry in items(doc, "configuration") {
            scan(
                entry,
                "configuration",
                super::CONFIG_KEYS,
                CONFIG_METADATA,
                &mut unused,
            );
        }
        let hooks_and_parameters = |v: &Value, at: &str, unused: &mut Unused| {
            for p in items(v, "parameters") {
                scan(
                    p,
                    &format!("{at}parameters"),
                    super::PARAM_KEYS,
                    PARAM_METADATA,
                    unused,
                );
            }
            for h in items(v, "hooks") {
                scan(
                    h,
                    &format!("{at}hooks"),
                    super::HOOK_KEYS,
                    HOOK_METADATA,
                    unused,
                );
            }
        };
        hooks_and_parameters(doc, "", &mut unused);
        for resource in items(doc, "resources") {
            scan(
                resource,
                "resources",
                super::RESOURCE_KEYS,
                RESOURCE_METADATA,
                &mut unused,
            );
            hooks_and_parameters(resource, "resources.", &mut unused);
        }
        for object in items(doc, "objects") {
            scan(
                object,
                "objects",
                super::OBJECT_KEYS,
                OBJECT_METADATA,
                &mut unused,
            );
            if object.get("eventsEnabled").and_then(Value::as_bool) == Some(true) {
                unused.polling += 1;
            }
        }
        if let Some(message) = unused.message() {
            self.warn("", message);
        }
    }
}

/// The list at `key` of `value`, empty when there is none.
fn items<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// Record the keys of `object` that are neither `read` nor `metadata`.
fn scan(object: &Value, at: &str, read: &[&str], metadata: &[&str], unused: &mut Unused) {
    let Some(map) = object.as_object() else {
        return;
    };
    for key in map.keys() {
        // A key near a read one already has its "did you mean" warning.
        let typo = read
            .iter()
            .any(|k| k.len() > 2 && edit_distance(k, key) <= 2);
        let known = typo
            || read.contains(&key.as_str())
            || metadata.contains(&key.as_str())
            || (at == "objects" && key == "eventsEnabled");
        let name = if at.is_empty() {
            key.clone()
        } else {
            format!("{at}[].{key}")
        };
        if !known && !unused.unknown.contains(&name) {
            unused.unknown.push(name);
        }
    }
}

impl Unused {
    fn message(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.polling > 0 {
            parts.push(format!(
                "{} object(s) have eventsEnabled, but Cloud Elements' polling by objects[] does not run (use the element's events settings)",
                self.polling
            ));
        }
        if !self.unknown.is_empty() {
            parts.push(format!("keys not used: {}", self.unknown.join(", ")));
        }
        (!parts.is_empty()).then(|| format!("not supported yet: {}", parts.join("; ")))
    }
}
