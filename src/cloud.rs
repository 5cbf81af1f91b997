//! Parse Cloud Code files: `cloud/main.js` and the CommonJS modules beside it, read and
//! compiled at load with every problem a diagnostic at file:line:column.

use std::path::Path;
use std::sync::Arc;

use crate::element::Diagnostic;
use crate::hooks::{self, modules, Origin, Script};

/// The cloud code of a project: main.js defines the functions (`Parse.Cloud.define`).
#[derive(Debug)]
pub struct Cloud {
    /// main.js, as diagnostics and errors name it.
    pub file: String,
    /// main.js with the folder's files as its modules (`require('./x.js')`,
    /// `require('cloud/x.js')`), compiled and checked.
    pub script: Script,
}

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
    let Some(main) = modules.files.get("main.js").cloned() else {
        let message = "cloud code starts at main.js, and this folder has none";
        return (None, vec![Diagnostic::error(&file, 1, 1, message)]);
    };
    let diagnostics = check(&modules);
    if !diagnostics.is_empty() {
        return (None, diagnostics);
    }
    let script = Script {
        egress: Arc::new(crate::egress::Policy {
            open_hosts: open_hosts.to_vec(),
            only_hosts: Vec::new(),
        }),
        modules: Arc::new(modules),
        ..Script::new("cloud code", Origin::file(&file), &main)
    };
    (Some(Cloud { file, script }), Vec::new())
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
