//! Element folder → validated `Elements` plus every diagnostic, each with file:line:column.
//!
//! Files are parsed into JSON values with positions (`located`), then read field by field:
//! every problem is collected, none stops the reading of the rest, and every hook is
//! compiled here so a syntax error is a load error, not a runtime surprise.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use super::checks;
use super::diagnostic::{edit_distance, Diagnostic};
use super::located::{self, Located, Pos};
use super::model::*;
use crate::egress::Policy;
use crate::hooks::modules::{self, Modules};
use crate::hooks::{self, Kind, Origin, Script};
use crate::routing::Router;

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
    "description",
];
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

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
            diagnostics.push(Diagnostic::error(
                &display,
                e.pos.line,
                e.pos.column,
                e.message,
            ));
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
        limits: None,
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

/// Every element-local module must compile (JS) or parse (JSON) when the element loads.
/// Hook files are compiled as hooks instead, with their hook's name in the message.
fn check_modules(modules: &Modules, hook_files: &[String], diagnostics: &mut Vec<Diagnostic>) {
    for (path, source) in modules
        .files
        .iter()
        .filter(|(p, _)| !hook_files.contains(p))
    {
        let file = format!("{}/{path}", modules.root);
        if path.ends_with(".json") {
            if let Err(e) = serde_json::from_str::<Value>(source) {
                diagnostics.push(Diagnostic::error(
                    &file,
                    e.line(),
                    e.column(),
                    format!("module {path}: invalid JSON: {e}"),
                ));
            }
        } else if let Err(e) = hooks::check_module(&file, source) {
            let (line, column) = e.position.unwrap_or((1, 1));
            diagnostics.push(Diagnostic::error(
                &file,
                line,
                column,
                format!("module {path}: {}: {}", e.name, e.message),
            ));
        }
    }
}

struct Reader<'a> {
    file: String,
    /// The element's `onError` (hooks may override it).
    fail_open: bool,
    /// The element's `limits`.
    limits: Option<crate::hooks::Limits>,
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

fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

impl Reader<'_> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let Pos { line, column } = self.doc.nearest(pointer);
        self.diagnostics
            .push(Diagnostic::error(&self.file, line, column, message));
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let Pos { line, column } = self.doc.nearest(pointer);
        self.diagnostics.push(Diagnostic {
            warning: true,
            ..Diagnostic::error(&self.file, line, column, message)
        });
    }

    fn value(&self, pointer: &str) -> Option<&Value> {
        self.doc.value.pointer(pointer)
    }

    /// The object at `pointer`, with a typo check of its keys against `known`.
    fn object(&mut self, pointer: &str, what: &str, known: &[&str]) -> Option<Map<String, Value>> {
        match self.value(pointer) {
            Some(Value::Object(map)) => {
                let map = map.clone();
                for key in map.keys() {
                    if known.contains(&key.as_str()) {
                        continue;
                    }
                    if let Some(near) = known
                        .iter()
                        .find(|k| edit_distance(k, key) <= 2 && k.len() > 2)
                    {
                        self.warn(
                            &child(pointer, key),
                            format!("unknown key \"{key}\" in {what} (did you mean {near}?)"),
                        );
                    }
                }
                Some(map)
            }
            Some(other) => {
                self.error(
                    pointer,
                    format!("{what} must be a mapping, found {}", kind_of(other)),
                );
                None
            }
            None => None,
        }
    }

    fn string(&mut self, pointer: &str, key: &str, required: bool) -> Option<String> {
        let at = child(pointer, key);
        match self.value(&at) {
            Some(Value::String(s)) if !(required && s.trim().is_empty()) => Some(s.clone()),
            Some(Value::String(_)) => {
                self.error(&at, format!("\"{key}\" must not be empty"));
                None
            }
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            None | Some(Value::Null) if required => {
                self.error(pointer, format!("missing required key \"{key}\""));
                None
            }
            None | Some(Value::Null) => None,
            Some(other) => {
                self.error(
                    &at,
                    format!("\"{key}\" must be a string, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    fn boolean(&mut self, pointer: &str, key: &str) -> bool {
        let at = child(pointer, key);
        match self.value(&at) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s))
                if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") =>
            {
                s.eq_ignore_ascii_case("true")
            }
            Some(other) => {
                self.error(
                    &at,
                    format!("\"{key}\" must be true or false, found {}", kind_of(other)),
                );
                false
            }
        }
    }

    /// Indices of the list at `pointer/key` (absent = empty).
    fn list(&mut self, pointer: &str, key: &str) -> Vec<String> {
        let at = child(pointer, key);
        match self.value(&at) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => (0..items.len()).map(|i| format!("{at}/{i}")).collect(),
            Some(other) => {
                self.error(
                    &at,
                    format!("\"{key}\" must be a list, found {}", kind_of(other)),
                );
                Vec::new()
            }
        }
    }

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
        let configuration: Vec<ConfigField> = self
            .list("", "configuration")
            .iter()
            .filter_map(|p| self.config_field(p))
            .collect();
        let parameters = self.parameters("");
        self.egress();
        self.sandbox();
        let events = self.events();
        let hooks = self.hooks("", "global", "");
        let mut resources = Vec::new();
        let mut router = Router::default();
        for pointer in self.list("", "resources") {
            let Some(resource) = self.resource(&pointer) else {
                continue;
            };
            if resource.kind == "api" {
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
        let templates = checks::template_keys(&self.file, self.text, self.doc, &configuration);
        self.diagnostics.extend(templates);
        check_modules(&self.modules, &self.hook_files, self.diagnostics);
        let mut events = events;
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
        })
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.warning).count()
    }

    fn authentication(&mut self) -> Authentication {
        if self
            .object("/authentication", "authentication", &["type"])
            .is_none()
        {
            return Authentication::Custom;
        }
        match self.string("/authentication", "type", false).as_deref() {
            Some("basic") => Authentication::Basic,
            Some("oauth2") => Authentication::OAuth2,
            Some("custom") | Some("none") | None => Authentication::Custom,
            Some(other) => {
                self.error(
                    "/authentication/type",
                    format!(
                        "unknown authentication type \"{other}\" (use basic, oauth2 or custom)"
                    ),
                );
                Authentication::Custom
            }
        }
    }

    /// `egress: {allowHosts: [...], openHosts: [...]}`: the element's outbound HTTP policy
    /// for its hooks (an elemental extension to the element schema).
    fn egress(&mut self) {
        if self
            .object("/egress", "egress", &["allowHosts", "openHosts"])
            .is_none()
        {
            return;
        }
        let mut policy = (*self.egress).clone();
        for (key, target) in [
            ("allowHosts", &mut policy.only_hosts),
            ("openHosts", &mut policy.open_hosts),
        ] {
            for at in self.list("/egress", key) {
                match self.value(&at) {
                    Some(Value::String(host)) if !host.trim().is_empty() => {
                        target.push(host.trim().to_string())
                    }
                    _ => self.error(&at, format!("egress {key} entries must be host names")),
                }
            }
        }
        self.egress = Arc::new(policy);
    }

    /// `onError: continue|fail` and `limits: {timeoutMs, memoryMb, stackKb}` for all the
    /// element's hooks (elemental extensions; the server's settings are the default).
    fn sandbox(&mut self) {
        match self.string("", "onError", false).as_deref() {
            None | Some("fail") => {}
            Some("continue") => self.fail_open = true,
            Some(other) => self.error(
                "/onError",
                format!("onError must be continue or fail, found \"{other}\""),
            ),
        }
        if self
            .object("/limits", "limits", &["timeoutMs", "memoryMb", "stackKb"])
            .is_none()
        {
            return;
        }
        let mut limits = crate::hooks::Limits::default();
        for (key, max) in [
            ("timeoutMs", 600_000u64),
            ("memoryMb", 4096),
            ("stackKb", 65_536),
        ] {
            let at = format!("/limits/{key}");
            match self.value(&at) {
                None => {}
                Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v >= 1 && v <= max) => {
                    let v = n.as_u64().unwrap_or(1);
                    match key {
                        "timeoutMs" => limits.time = std::time::Duration::from_millis(v),
                        "memoryMb" => limits.memory = v as usize * 1024 * 1024,
                        _ => limits.stack = v as usize * 1024,
                    }
                }
                Some(_) => self.error(
                    &at,
                    format!("limits.{key} must be a whole number from 1 to {max}"),
                ),
            }
        }
        self.limits = Some(limits);
    }

    /// `events: {signature: {...}, instanceFinder, maxBodyBytes}`.
    fn events(&mut self) -> EventSettings {
        use crate::element::signature::{Scheme, SignatureCheck};
        let mut settings = EventSettings::default();
        if self
            .object(
                "/events",
                "events",
                &["signature", "instanceFinder", "maxBodyBytes"],
            )
            .is_none()
        {
            return settings;
        }
        settings.instance_finder = self.string("/events", "instanceFinder", false);
        if let Some(Value::Number(n)) = self.value("/events/maxBodyBytes") {
            settings.max_body = n.as_u64().map_or(settings.max_body, |n| n as usize);
        }
        let at = "/events/signature";
        if self
            .object(
                at,
                "events.signature",
                &[
                    "scheme",
                    "header",
                    "prefix",
                    "algorithm",
                    "encoding",
                    "secret",
                    "tolerance",
                ],
            )
            .is_none()
        {
            return settings;
        }
        let scheme = match self.string(at, "scheme", false).as_deref() {
            None | Some("hmac") => Scheme::Hmac,
            Some("stripe") => Scheme::Stripe,
            Some("slack") => Scheme::Slack,
            Some(other) => {
                self.error(
                    &child(at, "scheme"),
                    format!("unknown signature scheme \"{other}\" (use hmac, stripe or slack)"),
                );
                return settings;
            }
        };
        let default_header = match scheme {
            Scheme::Hmac => None,
            Scheme::Stripe => Some("stripe-signature"),
            Scheme::Slack => Some("x-slack-signature"),
        };
        let Some(header) = self
            .string(at, "header", default_header.is_none())
            .or(default_header.map(str::to_string))
        else {
            return settings;
        };
        let Some(secret) = self.string(at, "secret", true) else {
            return settings;
        };
        let algorithm = self
            .string(at, "algorithm", false)
            .unwrap_or_else(|| "sha256".into())
            .to_ascii_lowercase();
        if !["sha1", "sha256", "sha512", "md5"].contains(&algorithm.as_str()) {
            self.error(
                &child(at, "algorithm"),
                format!("unknown algorithm \"{algorithm}\" (use sha1 or sha256)"),
            );
        }
        let encoding = self
            .string(at, "encoding", false)
            .unwrap_or_else(|| "hex".into())
            .to_ascii_lowercase();
        if encoding != "hex" && encoding != "base64" {
            self.error(
                &child(at, "encoding"),
                format!("unknown encoding \"{encoding}\" (use hex or base64)"),
            );
        }
        let tolerance = match self.value(&child(at, "tolerance")) {
            Some(Value::Number(n)) => n.as_u64().unwrap_or(300),
            _ => 300,
        };
        settings.signature = Some(SignatureCheck {
            scheme,
            header: header.to_ascii_lowercase(),
            prefix: self.string(at, "prefix", false).unwrap_or_default(),
            algorithm,
            encoding,
            secret,
            tolerance,
        });
        settings
    }

    fn config_field(&mut self, pointer: &str) -> Option<ConfigField> {
        self.object(pointer, "a configuration entry", CONFIG_KEYS)?;
        let key = self.string(pointer, "key", true)?;
        let kind = self
            .string(pointer, "type", false)
            .unwrap_or_else(|| "TEXTFIELD_128".into());
        if let Some(message) = checks::config_type(&kind) {
            self.warn(&child(pointer, "type"), message);
        }
        let hidden = self.boolean(pointer, "hideFromConsole");
        Some(ConfigField {
            name: self
                .string(pointer, "name", false)
                .unwrap_or_else(|| key.clone()),
            default: self
                .value(&child(pointer, "defaultValue"))
                .filter(|v| !v.is_null())
                .cloned(),
            required: self.boolean(pointer, "required"),
            secret: hidden || kind.eq_ignore_ascii_case("PASSWORD"),
            key,
            kind,
        })
    }

    fn parameters(&mut self, pointer: &str) -> Vec<Parameter> {
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
            self.error(&child(pointer, "type"), format!("unknown parameter type \"{kind_text}\" (use configuration, header, path, query, body, form, value, bodyField, prevBody or prevBodyField)"));
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
        Some(Parameter {
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

    /// The hooks list at `pointer/hooks`; `scope` is `global` or `resource`, and `target`
    /// names the resource (`GET /path`), so labels read `resource preRequest GET /path`.
    fn hooks(&mut self, pointer: &str, scope: &str, target: &str) -> Hooks {
        let mut hooks = Hooks::default();
        for at in self.list(pointer, "hooks") {
            if self.object(&at, "a hook", HOOK_KEYS).is_none() {
                continue;
            }
            let Some(kind_text) = self.string(&at, "type", true) else {
                continue;
            };
            let (kind, slot) = match kind_text.as_str() {
                "preRequest" => (Kind::PreRequest, &mut hooks.pre_request),
                "postRequest" => (Kind::PostRequest, &mut hooks.post_request),
                "event" => (Kind::Event, &mut hooks.event),
                other => {
                    self.error(
                        &child(&at, "type"),
                        format!(
                            "unknown hook type \"{other}\" (use preRequest, postRequest or event)"
                        ),
                    );
                    continue;
                }
            };
            let label = if target.is_empty() {
                format!("{scope} {}", kind.as_str())
            } else {
                format!("{scope} {} {target}", kind.as_str())
            };
            if slot.is_some() {
                self.error(&at, format!("{label} is defined twice"));
                continue;
            }
            let legacy = self.boolean(&at, "isLegacy");
            let fail_open = match self.string(&at, "onError", false).as_deref() {
                Some("continue") => true,
                Some("fail") => false,
                None => self.fail_open,
                Some(other) => {
                    self.error(
                        &child(&at, "onError"),
                        format!("onError must be continue or fail, found \"{other}\""),
                    );
                    false
                }
            };
            if self.value(&child(&at, "webhook")).is_some() {
                self.error(&child(&at, "webhook"), format!("{label}: webhook hooks are not supported by this version; give a script as body or file"));
                continue;
            }
            let Some((source, origin)) = self.hook_source(&at, &label) else {
                continue;
            };
            let script = Script {
                legacy,
                modules: self.modules.clone(),
                egress: self.egress.clone(),
                fail_open,
                ..Script::new(label, origin, &source)
            };
            if let Err(e) = hooks::check(&script) {
                self.hook_error(&at, &script, &e);
                continue;
            }
            *slot = Some(script);
        }
        hooks
    }

    /// A hook file used by several hooks fails the same way for each: its error is reported
    /// once, naming every hook that uses the file.
    fn hook_error(&mut self, at: &str, script: &Script, e: &hooks::HookError) {
        let Some(js) = e.js() else {
            self.error(at, e.to_string());
            return;
        };
        let cause = format!("{}: {}", js.name, js.message);
        let shared = self.value(&child(at, "file")).is_some();
        let key = (
            script.origin.file.clone(),
            js.location.clone(),
            cause.clone(),
        );
        if let Some((index, labels)) = self.shared_errors.get_mut(&key) {
            if let Some(diagnostic) = self.diagnostics.get_mut(*index) {
                let rest = diagnostic.message.get(labels.len()..).unwrap_or_default();
                diagnostic.message = format!("{labels}, {}{rest}", script.label);
                labels.push_str(&format!(", {}", script.label));
            }
            return;
        }
        if shared {
            let index = self.diagnostics.len();
            self.shared_errors
                .insert(key, (index, script.label.clone()));
        }
        self.push_at_location(at, &js.location, format!("{}: {cause}", script.label));
    }

    /// A JS location `file:line:column[...]` becomes the diagnostic's place when it parses.
    fn push_at_location(&mut self, fallback: &str, location: &str, message: String) {
        let head = location.split(' ').next().unwrap_or_default();
        let mut parts = head.rsplitn(3, ':');
        let column = parts.next().and_then(|c| c.parse().ok());
        let line = parts.next().and_then(|l| l.parse().ok());
        let file = parts.next();
        match (file, line, column) {
            (Some(file), Some(line), Some(column)) => {
                let detail = location
                    .split_once(' ')
                    .map(|(_, rest)| format!(" {rest}"))
                    .unwrap_or_default();
                self.diagnostics.push(Diagnostic::error(
                    file,
                    line,
                    column,
                    format!("{message}{detail}"),
                ));
            }
            _ => self.error(fallback, message),
        }
    }

    fn hook_source(&mut self, at: &str, label: &str) -> Option<(String, Origin)> {
        let body = self.string(at, "body", false);
        let file = self.string(at, "file", false);
        match (body, file) {
            (Some(_), Some(_)) => {
                self.error(at, format!("{label}: give either body or file, not both"));
                None
            }
            (None, None) => {
                self.error(at, format!("{label}: missing the script (body or file)"));
                None
            }
            (Some(body), None) => {
                let body_at = child(at, "body");
                let key = self.doc.pos(&body_at).unwrap_or(Pos { line: 1, column: 1 });
                let start = self.doc.value_pos(&body_at).unwrap_or(key);
                // A literal block (`body: |`) keeps lines and indentation: script line 1 is
                // the line after the key (even when blank), at the block's indentation.
                // Quoted strings (JSON exports) do not map onto file lines.
                let key_line = self
                    .text
                    .lines()
                    .nth(key.line.saturating_sub(1))
                    .unwrap_or_default();
                let literal = key_line
                    .split_once(':')
                    .is_some_and(|(_, rest)| rest.trim_start().starts_with('|'));
                let origin = if literal {
                    Origin {
                        file: self.file.clone(),
                        line: key.line + 1,
                        column: start.column,
                        exact: true,
                    }
                } else {
                    Origin {
                        file: self.file.clone(),
                        line: start.line,
                        column: start.column,
                        exact: false,
                    }
                };
                Some((body, origin))
            }
            (None, Some(relative)) => {
                let file_at = child(at, "file");
                let path = Path::new(&relative);
                let escapes = path.is_absolute()
                    || path.components().any(|c| {
                        matches!(
                            c,
                            Component::ParentDir | Component::Prefix(_) | Component::RootDir
                        )
                    });
                if escapes {
                    self.error(&file_at, format!("{label}: hook file \"{relative}\" must stay inside the element's folder"));
                    return None;
                }
                let full = self.dir.join(path);
                let key = path
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                self.hook_files.push(key);
                // A symlink inside the folder must not lead outside it either.
                let inside = match (full.canonicalize(), self.dir.canonicalize()) {
                    (Ok(file), Ok(dir)) => file.starts_with(dir),
                    _ => true, // a missing file is reported by the read below
                };
                if !inside {
                    self.error(&file_at, format!("{label}: hook file \"{relative}\" must stay inside the element's folder"));
                    return None;
                }
                match std::fs::read_to_string(&full) {
                    Ok(source) => Some((
                        source,
                        Origin {
                            file: full.display().to_string(),
                            line: 1,
                            column: 1,
                            exact: true,
                        },
                    )),
                    Err(e) => {
                        self.error(
                            &file_at,
                            format!("{label}: cannot read hook file {}: {e}", full.display()),
                        );
                        None
                    }
                }
            }
        }
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
        let object_name = path
            .split('/')
            .rev()
            .find(|s| !s.is_empty() && !s.starts_with('{'))
            .unwrap_or_default()
            .to_string();
        Some(Resource {
            vendor_path: self
                .string(pointer, "vendorPath", false)
                .unwrap_or_default(),
            kind: self
                .string(pointer, "type", false)
                .unwrap_or_else(|| "api".into()),
            parameters: self.parameters(pointer),
            hooks: self.hooks(pointer, "resource", &target),
            root_key: self
                .string(pointer, "rootKey", false)
                .filter(|k| !k.is_empty()),
            method,
            path,
            vendor_method,
            object_name,
        })
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}
