//! Web task files: `tasks/<name>.js`, each an ES module, read and compiled at load with every
//! problem reported as a diagnostic at file:line:column.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::element::Diagnostic;
use crate::hooks::{self, Origin, Script};

/// Files larger than this are not read as tasks.
const MAX_FILE: u64 = 4 * 1024 * 1024;

/// One web task: served at `/tasks/<name>`.
#[derive(Debug)]
pub struct Task {
    pub name: String,
    /// The file, as diagnostics and errors name it.
    pub file: String,
    /// The module, compiled and checked.
    pub script: Script,
}

/// The project's script endpoints: the tasks of the tasks folder, by name, and the cloud code
/// (loaded and swapped in together).
#[derive(Debug, Default)]
pub struct Tasks {
    pub by_name: BTreeMap<String, Arc<Task>>,
    /// cloud/main.js and its modules; `None`: no cloud code.
    pub cloud: Option<Arc<crate::cloud::Cloud>>,
    /// The jobs folder's jobs (`jobs/<name>.js`).
    pub jobs: Arc<crate::jobs::Jobs>,
    /// The schedules of the schedules file (the scheduler keeps the store in step).
    pub schedules: Arc<Vec<crate::store::ScheduleRecord>>,
}

impl Tasks {
    pub fn get(&self, name: &str) -> Option<&Arc<Task>> {
        self.by_name.get(name)
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

/// Whether `name` can be a task's name (and a host name's first label): letters, digits,
/// `-` and `_`.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Read and compile every `<name>.js` of `dir`. A missing folder is no tasks, unless it was
/// asked for by name (`explicit`): then it is an error. `open_hosts` are opened to the
/// tasks' outbound HTTP as to hooks'.
pub fn load_dir(dir: &Path, explicit: bool, open_hosts: &[String]) -> (Tasks, Vec<Diagnostic>) {
    let mut tasks = Tasks::default();
    let mut diagnostics = Vec::new();
    let shown = dir.display().to_string();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            return (tasks, diagnostics)
        }
        Err(e) => {
            let message = format!("cannot read the tasks folder: {e}");
            return (tasks, vec![Diagnostic::error(&shown, 1, 1, message)]);
        }
    };
    let egress = Arc::new(crate::egress::Policy {
        open_hosts: open_hosts.to_vec(),
        only_hosts: Vec::new(),
    });
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let is_js = path.extension().is_some_and(|x| x == "js");
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if !is_js || !path.is_file() {
            continue;
        }
        let file = path.display().to_string();
        if !valid_name(name) {
            diagnostics.push(Diagnostic::warning(&file, 1, 1, format!("not served: a task's name is letters, digits, - and _ (at most 63), not {name:?}")));
            continue;
        }
        match load_file(&path, name, &file, &egress) {
            Ok(task) => {
                tasks.by_name.insert(name.to_string(), Arc::new(task));
            }
            Err(found) => diagnostics.extend(found),
        }
    }
    (tasks, diagnostics)
}

fn load_file(
    path: &Path,
    name: &str,
    file: &str,
    egress: &Arc<crate::egress::Policy>,
) -> Result<Task, Vec<Diagnostic>> {
    let too_large = std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_FILE);
    if too_large {
        let message = format!("a task file is at most {MAX_FILE} bytes");
        return Err(vec![Diagnostic::error(file, 1, 1, message)]);
    }
    let source = std::fs::read_to_string(path)
        .map_err(|e| vec![Diagnostic::error(file, 1, 1, format!("cannot read: {e}"))])?;
    let imports = imports(file, &source);
    if !imports.is_empty() {
        return Err(imports);
    }
    let script = Script {
        egress: egress.clone(),
        module: true,
        ..Script::new(format!("task {name}"), Origin::file(file), &source)
    };
    hooks::check_task(&script).map_err(|e| vec![diagnostic(file, &script, &e)])?;
    Ok(Task {
        name: name.to_string(),
        file: file.to_string(),
        script,
    })
}

/// A compile error at its place in the file.
fn diagnostic(file: &str, script: &Script, error: &hooks::HookError) -> Diagnostic {
    let Some(js) = error.js() else {
        return Diagnostic::error(file, 1, 1, error.to_string());
    };
    let message = format!("{}: {}: {}", script.label, js.name, js.message);
    let mut parts = js.location.rsplitn(3, ':');
    let column = parts.next().and_then(|c| c.parse().ok());
    let line = parts.next().and_then(|l| l.parse().ok());
    match (line, column) {
        (Some(line), Some(column)) => Diagnostic::error(file, line, column, message),
        _ => Diagnostic::error(file, 1, 1, message),
    }
}

/// `import` and `export … from` statements: refused, each at its place. A task is one file;
/// the embedded modules (lodash, crypto, …) are there through `require`. (QuickJS would
/// refuse them at the first request otherwise, with no way to resolve them.)
fn imports(file: &str, source: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let text = line.trim_start();
        let column = line.len() - text.len() + 1;
        let import = text.strip_prefix("import").is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_whitespace() || "{*'\"".contains(c))
        });
        let reexport =
            text.starts_with("export") && (text.contains(" from '") || text.contains(" from \""));
        if import || reexport {
            found.push(Diagnostic::error(
                file,
                index + 1,
                column,
                "import refused: a task is one file (use require() for the embedded modules: lodash, crypto, util, ...)",
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_found_at_their_place() {
        let found = imports(
            "t.js",
            "// import x from 'y'\n  import x from './y.js';\nconst a = import('z');\nexport { a } from \"./b.js\";\n",
        );
        let places: Vec<_> = found.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(places, vec![(2, 3), (4, 1)]);
    }

    #[test]
    fn names_are_host_labels() {
        assert!(valid_name("hello_world-2"));
        assert!(!valid_name("a.b"));
        assert!(!valid_name(""));
    }
}
