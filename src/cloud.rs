//! Parse Cloud Code files: `cloud/main.js` and the CommonJS modules beside it, read and
//! compiled at load, and `cloud/webhooks.yaml` (functions served by webhooks), with every
//! problem a diagnostic at file:line:column.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::element::located::{self, child};
use crate::element::template::interpolate_env;
use crate::element::Diagnostic;
use crate::hooks::webhook::{Webhook, DEFAULT_TIME};
use crate::hooks::{self, modules, Origin, Script};

/// The cloud code of a project: main.js defines the functions (`Parse.Cloud.define`);
/// webhooks.yaml names functions served elsewhere.
#[derive(Debug)]
pub struct Cloud {
    /// main.js, as diagnostics and errors name it.
    pub file: String,
    /// main.js with the folder's files as its modules (`require('./x.js')`,
    /// `require('cloud/x.js')`), compiled and checked. Empty when the folder has only
    /// webhooks.
    pub script: Script,
    /// Functions served by a webhook (Parse's Cloud Code Webhooks), by name. A webhook wins
    /// over a function main.js defines with the same name, as in Parse.
    pub webhooks: BTreeMap<String, Arc<Webhook>>,
}

/// The file naming functions served by webhooks, in the cloud folder.
const WEBHOOKS_FILE: &str = "webhooks.yaml";

/// Read and check the cloud folder `dir`. A missing folder is no cloud code, unless it was
/// asked for by name (`explicit`): then it is an error, as is a folder without main.js.
/// `open_hosts` are opened to its outbound HTTP as to hooks'.
pub fn load_dir(
    dir: &Path,
    explicit: bool,
    open_hosts: &[String],
) -> (Option<Cloud>, Vec<Diagnostic>) {
    let shown = dir.display().to_string();
    let missing = !dir.is_dir();
    if missing && !explicit {
        return (None, Vec::new());
    }
    let found = if missing {
        Err("the cloud code folder does not exist".to_string())
    } else {
        modules::collect(dir)
    };
    let modules = match found {
        Ok(modules) => modules,
        Err(e) => return (None, vec![Diagnostic::error(&shown, 1, 1, e)]),
    };
    let file = format!("{}/main.js", modules.root);
    let (webhooks, mut diagnostics) = read_webhooks(&dir.join(WEBHOOKS_FILE));
    let main = match modules.files.get("main.js").cloned() {
        Some(main) => main,
        // Functions all served by webhooks need no script.
        None if webhooks.as_ref().is_some_and(|w| !w.is_empty()) => Arc::from(""),
        None => {
            let message =
                "cloud code starts at main.js (or webhooks.yaml), and this folder has neither";
            return (None, vec![Diagnostic::error(&file, 1, 1, message)]);
        }
    };
    diagnostics.extend(check(&modules));
    let Some(webhooks) = webhooks.filter(|_| diagnostics.iter().all(|d| d.warning)) else {
        return (None, diagnostics);
    };
    let script = Script {
        egress: Arc::new(crate::egress::Policy {
            open_hosts: open_hosts.to_vec(),
            only_hosts: Vec::new(),
        }),
        modules: Arc::new(modules),
        ..Script::new("cloud code", Origin::file(&file), &main)
    };
    let cloud = Cloud {
        file,
        script,
        webhooks,
    };
    (Some(cloud), diagnostics)
}

/// Read webhooks.yaml: `functions:` maps each name to `{url, key, timeoutMs}` (a `key:` or
/// `timeoutMs:` at the top applies to every function that sets none, as Parse's one webhook
/// key does). A missing file names no webhooks; `None` when the file has errors.
fn read_webhooks(path: &Path) -> (Option<BTreeMap<String, Arc<Webhook>>>, Vec<Diagnostic>) {
    let file = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return (Some(BTreeMap::new()), Vec::new())
        }
        Err(e) => {
            let message = format!("cannot read: {e}");
            return (None, vec![Diagnostic::error(&file, 1, 1, message)]);
        }
    };
    let doc = match located::parse(&text) {
        Ok(doc) => doc,
        Err(e) => return (None, vec![e.into_diagnostic(&file)]),
    };
    let mut diagnostics = Vec::new();
    let mut error = |at: &str, message: String| diagnostics.push(doc.error_at(&file, at, message));
    let Some(top) = doc.value.as_object() else {
        error("", "expected a mapping with \"functions\"".into());
        return (None, diagnostics);
    };
    let defaults = Entry::read(&doc.value, "", TOP_KEYS, &mut error);
    let mut webhooks = BTreeMap::new();
    let functions = top.get("functions").and_then(Value::as_object);
    for (name, entry) in functions.into_iter().flatten() {
        let at = child("/functions", name);
        let read = Entry::read(entry, &at, FUNCTION_KEYS, &mut error);
        let Some(url) = read.url else {
            error(&at, format!("function {name}: missing \"url\""));
            continue;
        };
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            let message = format!("function {name}: url \"{url}\" must be an absolute http(s) URL");
            error(&child(&at, "url"), message);
            continue;
        }
        let Some(key) = read.key.or(defaults.key.clone()) else {
            error(&at, format!("function {name}: no \"key\" here or at the top: the receiver could not tell these calls come from this server"));
            continue;
        };
        let time = read.time.or(defaults.time).unwrap_or(DEFAULT_TIME);
        webhooks.insert(name.clone(), Arc::new(Webhook { url, key, time }));
    }
    let ok = diagnostics.is_empty();
    (ok.then_some(webhooks), diagnostics)
}

const TOP_KEYS: &[&str] = &["key", "timeoutMs", "functions"];
const FUNCTION_KEYS: &[&str] = &["url", "key", "timeoutMs"];

/// One mapping's `url`, `key` (with `${NAME}` filled from the environment) and `timeoutMs`.
#[derive(Default)]
struct Entry {
    url: Option<String>,
    key: Option<String>,
    time: Option<std::time::Duration>,
}

impl Entry {
    fn read(
        value: &Value,
        at: &str,
        allowed: &[&str],
        error: &mut impl FnMut(&str, String),
    ) -> Entry {
        let mut entry = Entry::default();
        let expected = allowed.join(", ");
        let Some(map) = value.as_object() else {
            error(at, format!("expected a mapping ({expected})"));
            return entry;
        };
        for key in map.keys().filter(|k| !allowed.contains(&k.as_str())) {
            error(
                &child(at, key),
                format!("unknown key \"{key}\" (expected {expected})"),
            );
        }
        entry.url = map.get("url").and_then(Value::as_str).map(str::to_string);
        if let Some(key) = map.get("key") {
            match key.as_str().map(interpolate_env) {
                Some(Ok(key)) => entry.key = Some(key),
                Some(Err(e)) => error(&child(at, "key"), format!("key: {e}")),
                None => error(&child(at, "key"), "key: expected text".into()),
            }
        }
        if let Some(ms) = map.get("timeoutMs") {
            match ms.as_u64().filter(|ms| *ms > 0) {
                Some(ms) => entry.time = Some(std::time::Duration::from_millis(ms)),
                None => error(
                    &child(at, "timeoutMs"),
                    "timeoutMs: expected a positive number of milliseconds".into(),
                ),
            }
        }
        entry
    }
}

/// Every file of the folder must compile (JS, as a CommonJS module) or parse (JSON).
fn check(modules: &modules::Modules) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (path, source) in &modules.files {
        let file = format!("{}/{path}", modules.root);
        if path.ends_with(".json") {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(source) {
                let message = format!("invalid JSON: {e}");
                diagnostics.push(Diagnostic::error(&file, e.line(), e.column(), message));
            }
        } else if let Err(e) = hooks::check_module(&file, source) {
            let (line, column) = e.position.unwrap_or((1, 1));
            let message = format!("{}: {}", e.name, e.message);
            diagnostics.push(Diagnostic::error(&file, line, column, message));
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        dir
    }

    #[test]
    fn a_folder_of_webhooks_alone_is_cloud_code() {
        let yaml = "key: k1\ntimeoutMs: 5000\nfunctions:\n  a: {url: https://h.example/a}\n  b: {url: https://h.example/b, key: k2, timeoutMs: 100}\n";
        let dir = folder(&[("webhooks.yaml", yaml)]);
        let (cloud, diagnostics) = load_dir(dir.path(), true, &[]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let webhooks = cloud.map(|c| c.webhooks).unwrap_or_default();
        let a = webhooks
            .get("a")
            .map(|w| (w.key.clone(), w.time.as_millis()));
        assert_eq!(a, Some(("k1".into(), 5000)));
        let b = webhooks
            .get("b")
            .map(|w| (w.key.clone(), w.time.as_millis()));
        assert_eq!(b, Some(("k2".into(), 100)));
    }

    #[test]
    fn webhook_mistakes_are_reported_where_they_are() {
        let yaml = "functions:\n  a: {url: ftp://h/a, key: k}\n  b:\n    url: https://h/b\n    colour: red\n  c: {url: https://h/c}\n";
        let dir = folder(&[("main.js", ""), ("webhooks.yaml", yaml)]);
        let (cloud, diagnostics) = load_dir(dir.path(), true, &[]);
        assert!(cloud.is_none());
        let text: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        let file = format!("{}/webhooks.yaml", dir.path().display());
        assert!(
            text.iter().any(|t| t.starts_with(&format!("{file}:2:"))
                && t.contains("must be an absolute http(s) URL")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|t| t.starts_with(&format!("{file}:5:5"))
                    && t.contains("unknown key \"colour\"")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("function c: no \"key\"")),
            "{text:?}"
        );
    }

    #[test]
    fn a_folder_with_neither_main_js_nor_webhooks_is_refused() {
        let dir = folder(&[("lib.js", "module.exports = 1;")]);
        let (cloud, diagnostics) = load_dir(dir.path(), true, &[]);
        assert!(cloud.is_none());
        assert!(
            diagnostics[0].to_string().contains("neither"),
            "{diagnostics:?}"
        );
    }
}
