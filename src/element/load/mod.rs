//! Element folder → validated `Elements` plus every diagnostic, each with file:line:column.
//!
//! Files are parsed into JSON values with positions (`located`), then read field by field:
//! every problem is collected, none stops the reading of the rest, and every hook is
//! compiled here so a syntax error is a load error, not a runtime surprise.

mod chains;
mod event_settings;
mod fields;
mod keys;
mod objects;
mod resources;
mod scripts;
mod settings;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use super::checks;
use super::diagnostic::Diagnostic;
use super::located::{self, Located};
use super::model::{ConfigField, Element, Elements};
use crate::egress::Policy;
use crate::hooks::modules::{self, Modules};

const ELEMENT_FILES: &[&str] = &["element.yaml", "element.yml", "element.json"];

// Keys we read, per object. Keys of Cloud Elements exports that we do not use are accepted
// silently; an unknown key close to one of these is probably a typo and gets a warning.
pub const ELEMENT_KEYS: &[&str] = &[
    "key",
    "name",
    "description",
    "hub",
    "authentication",
    "configuration",
    "parameters",
    "hooks",
    "resources",
    "objects",
    "egress",
    "events",
    "limits",
    "onError",
];
pub const CONFIG_KEYS: &[&str] = &[
    "key",
    "name",
    "type",
    "defaultValue",
    "required",
    "hideFromConsole",
    "description",
];
pub const PARAM_KEYS: &[&str] = &[
    "name",
    "vendorName",
    "type",
    "vendorType",
    "source",
    "required",
    "converter",
    "description",
];
pub const HOOK_KEYS: &[&str] = &[
    "type", "body", "file", "isLegacy", "webhook", "mimeType", "onError",
];
pub const RESOURCE_KEYS: &[&str] = &[
    "method",
    "path",
    "vendorMethod",
    "vendorPath",
    "type",
    "parameters",
    "hooks",
    "rootKey",
    "paginationType",
    "nextPageKey",
    "nextResource",
    "objectName",
    "model",
    "description",
];
/// Keys of `objects[]` entries that are read (the metadata API); the rest is in keys.rs.
pub const OBJECT_KEYS: &[&str] = &["name", "vendorName", "primaryKeyName", "fields"];

/// Load every element below `dir` (one folder per element). Diagnostics include warnings;
/// any error means the returned set must not be served.
pub fn load_dir(dir: &Path) -> (Elements, Vec<Diagnostic>) {
    load_dir_with(dir, &[])
}

/// `load_dir`, with `open_hosts` opened to every element's hooks (the server's `--allow-host`).
pub fn load_dir_with(dir: &Path, open_hosts: &[String]) -> (Elements, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut elements = Elements::default();
    let mut seen: HashMap<String, String> = HashMap::new();
    let display_dir = dir.display().to_string();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                &display_dir,
                1,
                1,
                format!("cannot read the elements folder: {e}"),
            ));
            return (elements, diagnostics);
        }
    };
    let mut folders: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let Some(file) = ELEMENT_FILES
            .iter()
            .map(|f| folder.join(f))
            .find(|p| p.is_file())
        else {
            continue;
        };
        let element = match load_file_with(&file, open_hosts, &mut diagnostics) {
            Ok(element) => element,
            Err(key) => {
                // Instances name the key written in the file; when the file did not parse,
                // the folder's name stands in (by convention they are the same).
                let folder = folder.file_name().map(|n| n.to_string_lossy().into_owned());
                for key in key.into_iter().chain(folder) {
                    elements.failed.insert(key, file.display().to_string());
                }
                continue;
            }
        };
        if let Some(previous) = seen.get(&element.key) {
            diagnostics.push(Diagnostic::error(
                &element.file,
                1,
                1,
                format!(
                    "element key \"{}\" is already used by {previous}",
                    element.key
                ),
            ));
            continue;
        }
        seen.insert(element.key.clone(), element.file.clone());
        elements
            .by_key
            .insert(element.key.clone(), Arc::new(element));
    }
    (elements, diagnostics)
}

/// Load one element file; `None` when it could not be read or parsed at all.
pub fn load_file(file: &Path, diagnostics: &mut Vec<Diagnostic>) -> Option<Element> {
    load_file_with(file, &[], diagnostics).ok()
}

/// The element, or when it does not load, the key its file gives if it could be read.
fn load_file_with(
    file: &Path,
    open_hosts: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Element, Option<String>> {
    let display = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                &display,
                1,
                1,
                format!("cannot read: {e}"),
            ));
            return Err(None);
        }
    };
    let located = match located::parse(&text) {
        Ok(located) => located,
        Err(e) => {
            diagnostics.push(e.into_diagnostic(&display));
            return Err(None);
        }
    };
    let key = located
        .value
        .get("key")
        .and_then(Value::as_str)
        .map(str::to_string);
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let modules = match modules::collect(&dir) {
        Ok(modules) => modules,
        Err(message) => {
            diagnostics.push(Diagnostic::error(&display, 1, 1, message));
            return Err(key);
        }
    };

    let mut reader = Reader {
        fail_open: false,
        limits: Default::default(),
        fairness: Default::default(),
        egress: Arc::new(Policy {
            open_hosts: open_hosts.to_vec(),
            only_hosts: Vec::new(),
        }),
        modules: Arc::new(modules),
        hook_files: Vec::new(),
        shared_errors: HashMap::new(),
        file: display,
        text: &text,
        doc: &located,
        dir: &dir,
        diagnostics,
    };
    reader.element().ok_or(key)
}

/// The reading of one element file: the settings later fields depend on, and where every
/// problem goes.
struct Reader<'a> {
    file: String,
    /// The element's `onError` (hooks may override it).
    fail_open: bool,
    /// The element's `limits`.
    limits: super::model::HookLimits,
    fairness: crate::admission::Fairness,
    modules: Arc<Modules>,
    egress: Arc<Policy>,
    /// Hook files, relative to the element's folder (`hooks/pre.js`).
    hook_files: Vec<String>,
    /// Errors of hook files, by (file, location, error): the diagnostic's index and the
    /// labels of the hooks it names so far.
    shared_errors: HashMap<(String, String, String), (usize, String)>,
    text: &'a str,
    doc: &'a Located,
    dir: &'a Path,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    /// The whole element, read in the order later parts need (hooks after `egress` and
    /// `limits`); `None` if any error was found, after all of them are reported.
    fn element(&mut self) -> Option<Element> {
        self.object("", "the element", ELEMENT_KEYS)?;
        let errors_before = self.error_count();
        let folder = self
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let key = self
            .string("", "key", true)
            .unwrap_or_else(|| folder.clone());
        let name = self
            .string("", "name", false)
            .unwrap_or_else(|| key.clone());
        let authentication = self.authentication();
        let configuration = self.configuration();
        self.paging_configuration(&configuration);
        let parameters = self.parameters("");
        self.egress();
        self.sandbox();
        let mut events = self.events();
        let hooks = self.hooks("", "global", "");
        let (resources, router) = self.resources();
        let hub = self.hub(&resources);
        let objects = self.objects();
        let templates = checks::template_keys(&self.file, self.text, self.doc, &configuration);
        self.diagnostics.extend(templates);
        scripts::check_modules(&self.modules, &self.hook_files, self.diagnostics);
        self.unused_keys();
        if events.instance_finder.is_none() {
            events.instance_finder = configuration
                .iter()
                .find(|f: &&ConfigField| f.key == "event.notification.instance.finder")
                .and_then(|f| f.default.as_ref())
                .and_then(|d| d.as_str().map(str::to_string));
        }
        if self.error_count() > errors_before {
            return None;
        }
        Some(Element {
            key,
            name,
            hub,
            objects,
            dir: self.dir.to_path_buf(),
            file: self.file.clone(),
            authentication,
            configuration,
            parameters,
            hooks,
            resources,
            router,
            events,
            limits: self.limits,
            fairness: self.fairness,
        })
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.warning).count()
    }
}
