//! `require`: the embedded standard library by name, and the element's own modules by path.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// An element's own JavaScript and JSON files, by path relative to its folder
/// (`lib/format.js`), read and checked when the element loads.
#[derive(Debug, Default)]
pub struct Modules {
    /// The element's folder as shown in error locations.
    pub root: String,
    pub files: BTreeMap<String, Arc<str>>,
}

/// The source of an embedded module. Parsed only when a hook first requires it, once per
/// pooled context.
pub fn builtin(name: &str) -> Option<&'static str> {
    Some(match name {
        "lodash" => include_str!("../../js-stdlib/lodash.js"),
        // lodash-fp.js exports a factory over lodash, so `lodash/fp` builds on the shared copy.
        "lodash/fp" => concat!(include_str!("../../js-stdlib/lodash-fp.js"), "\nmodule.exports = module.exports(require('lodash'));"),
        "url" => include_str!("../../js-stdlib/url.js"),
        "buffer" => include_str!("../../js-stdlib/buffer.js"),
        "util" => include_str!("../../js-stdlib/util.js"),
        "events" => include_str!("../../js-stdlib/events.js"),
        "querystring" => include_str!("../../js-stdlib/querystring.js"),
        "encoding" => include_str!("../../js-stdlib/encoding.js"),
        "structured-clone" => include_str!("../../js-stdlib/structured-clone.js"),
        "fetch" => include_str!("../../js-stdlib/fetch.js"),
        // http.js exports a factory of the client for one protocol.
        "http" => concat!(include_str!("../../js-stdlib/http.js"), "\nmodule.exports = module.exports('http:');"),
        "https" => concat!(include_str!("../../js-stdlib/http.js"), "\nmodule.exports = module.exports('https:');"),
        "crypto" => include_str!("../../js-stdlib/crypto.js"),
        "timers" => "module.exports = { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate };",
        _ => return None,
    })
}

/// The text QuickJS compiles for a CommonJS module (Node's wrapper; sloppy unless the
/// module says otherwise). The source starts on line 1, as in the file. Embedded modules
/// also get `internal`: the host functions they are built on, which hooks never see.
pub fn wrap(source: &str) -> String {
    format!("(function (module, exports, require, internal) {{{source}\n}})")
}

/// Folders never read as modules: tests and vendored packages.
const SKIPPED: &[&str] = &["tests", "node_modules", ".git"];
/// Files larger than this are not modules.
const MAX_FILE: u64 = 4 * 1024 * 1024;
/// An element folder with more files than this is refused rather than read whole.
const MAX_FILES: usize = 2000;

/// Read every `.js` and `.json` file below `dir` (skipping tests and node_modules).
pub fn collect(dir: &Path) -> Result<Modules, String> {
    fn walk(base: &Path, dir: &Path, files: &mut BTreeMap<String, Arc<str>>) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                if !SKIPPED.contains(&name.as_str()) {
                    walk(base, &path, files)?;
                }
                continue;
            }
            let wanted = path.extension().is_some_and(|x| x == "js" || x == "json");
            if !wanted || meta.len() > MAX_FILE {
                continue;
            }
            if files.len() >= MAX_FILES {
                return Err(format!(
                    "more than {MAX_FILES} .js/.json files below {}",
                    base.display()
                ));
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            if let Ok(relative) = path.strip_prefix(base) {
                let key = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.insert(key, text.into());
            }
        }
        Ok(())
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files)?;
    Ok(Modules {
        root: dir.display().to_string(),
        files,
    })
}
