//! Background job files: `jobs/<name>.js`, each an ES module exporting `async run({params,
//! status, log})`, read and compiled at load as web tasks are (every problem a diagnostic at
//! file:line:column); jobs of cloud code (`Parse.Cloud.job`) are found in cloud/main.js.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

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

/// The runs this node runs now, by run id (their job and schedule): what the concurrency
/// bound counts and the heartbeat renews.
#[derive(Debug)]
pub struct Running {
    runs: Mutex<HashMap<String, (String, Option<String>)>>,
    /// This process's name in the runs it records (random per start).
    pub node: String,
}

impl Default for Running {
    fn default() -> Self {
        let bytes: [u8; 6] = rand::random();
        Running {
            runs: Mutex::default(),
            node: hex::encode(bytes),
        }
    }
}

impl Running {
    fn runs(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, Option<String>)>> {
        self.runs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Count run `id` of `job` as running, unless `max` run already: false then.
    pub fn reserve(&self, id: &str, job: &str, schedule: Option<&str>, max: usize) -> bool {
        let mut runs = self.runs();
        if runs.len() >= max {
            return false;
        }
        let entry = (job.to_string(), schedule.map(str::to_string));
        runs.insert(id.to_string(), entry);
        true
    }

    pub fn release(&self, id: &str) {
        self.runs().remove(id);
    }

    /// The ids of the runs running here.
    pub fn ids(&self) -> Vec<String> {
        self.runs().keys().cloned().collect()
    }

    /// Whether a run of `schedule` is running here.
    pub fn runs_schedule(&self, schedule: &str) -> bool {
        self.runs()
            .values()
            .any(|(_, s)| s.as_deref() == Some(schedule))
    }
}
