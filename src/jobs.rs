//! Background job files: `jobs/<name>.js`, each an ES module exporting `async run({params,
//! status, log})`, read and compiled at load as web tasks are (every problem a diagnostic at
//! file:line:column); jobs of cloud code (`Parse.Cloud.job`) are found in cloud/main.js.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::element::Diagnostic;
use crate::hooks::Script;

/// One job module: run by `POST /admin/jobs/<name>/runs` and by schedules.
#[derive(Debug)]
pub struct Job {
    pub name: String,
    /// The file, as diagnostics and the status routes name it.
    pub file: String,
    /// The module, compiled and checked.
    pub script: Script,
}

/// The jobs folder's jobs, by name.
#[derive(Debug, Default)]
pub struct Jobs {
    pub by_name: BTreeMap<String, Arc<Job>>,
}

/// Read and compile every `<name>.js` of `dir` (the web tasks' loader, labelled as jobs). A
/// missing folder is no jobs, unless it was named (`explicit`).
pub fn load_dir(dir: &Path, explicit: bool, open_hosts: &[String]) -> (Jobs, Vec<Diagnostic>) {
    let (modules, diagnostics) = crate::tasks::load_dir(dir, explicit, open_hosts);
    let diagnostics = diagnostics
        .into_iter()
        .map(|mut d| {
            d.message = relabel(&d.message);
            d
        })
        .collect();
    let mut jobs = Jobs::default();
    for (name, task) in modules.by_name {
        let script = Script {
            label: format!("job {name}"),
            ..task.script.clone()
        };
        let job = Job {
            name: name.clone(),
            file: task.file.clone(),
            script,
        };
        jobs.by_name.insert(name, Arc::new(job));
    }
    (jobs, diagnostics)
}

/// The tasks loader's words for a job's.
fn relabel(message: &str) -> String {
    message
        .replacen("task ", "job ", 1)
        .replace("the tasks folder", "the jobs folder")
        .replace("a task's name", "a job's name")
        .replace("a task is one file", "a job is one file")
        .replace("a task file", "a job file")
}
