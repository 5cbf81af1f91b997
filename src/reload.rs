//! Hot reload: new element, instance and task files are loaded and compiled in full, then
//! swapped in whole; when anything is wrong the old set keeps serving and the problems are
//! logged.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::element::{has_errors, Diagnostic};
use crate::instance;
use crate::sources::{load, load_tasks, Sources};
use crate::state::{Loaded, State};

/// What a reload did.
#[derive(Debug)]
pub enum Outcome {
    Swapped {
        elements: usize,
        instances: usize,
        tasks: usize,
    },
    /// Nothing was swapped; these are the problems.
    Kept(Vec<Diagnostic>),
}

/// Load everything again and swap it in if it is all valid.
pub fn reload(state: &State, sources: &Sources) -> Outcome {
    let (elements, records, mut diagnostics) = load(sources);
    let (tasks, task_diagnostics) = load_tasks(sources);
    diagnostics.extend(task_diagnostics);
    state.set_diagnostics(diagnostics.clone());
    if has_errors(&diagnostics) {
        return Outcome::Kept(diagnostics);
    }
    // The reload thread runs no async runtime: it waits for the store itself.
    let built = instance::build(
        records,
        &elements,
        state.store.as_ref(),
        &state.settings.sealer,
    );
    let instances = match crate::store::wait(built) {
        Ok(instances) => instances,
        Err(e) => {
            return Outcome::Kept(vec![Diagnostic::error(
                &sources.instances.display().to_string(),
                1,
                1,
                e.to_string(),
            )])
        }
    };
    let counts = (elements.by_key.len(), instances.len(), tasks.len());
    state.swap(Loaded {
        elements: Arc::new(elements),
        instances: Arc::new(instances),
        tasks: Arc::new(tasks),
    });
    Outcome::Swapped {
        elements: counts.0,
        instances: counts.1,
        tasks: counts.2,
    }
}

/// Every file below the elements and tasks folders and the instances file, with size and mtime.
fn fingerprint(sources: &Sources) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, u64, Option<SystemTime>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => walk(&path, out),
                Ok(meta) => out.push((path, meta.len(), meta.modified().ok())),
                Err(_) => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&sources.elements, &mut out);
    walk(&sources.tasks, &mut out);
    walk(&sources.cloud, &mut out);
    walk(&sources.jobs, &mut out);
    if let Ok(meta) = std::fs::metadata(&sources.schedules) {
        out.push((sources.schedules.clone(), meta.len(), meta.modified().ok()));
    }
    if let Ok(meta) = std::fs::metadata(&sources.instances) {
        out.push((sources.instances.clone(), meta.len(), meta.modified().ok()));
    }
    out.sort();
    out
}

/// Look for changes every `interval` on a thread of its own, for the life of the process.
pub fn watch(state: Arc<State>, sources: Sources, interval: Duration) -> std::io::Result<()> {
    let mut last = fingerprint(&sources);
    std::thread::Builder::new()
        .name("elemental-reload".into())
        .spawn(move || loop {
            std::thread::sleep(interval);
            let now = fingerprint(&sources);
            if now == last {
                continue;
            }
            last = now;
            match reload(&state, &sources) {
                Outcome::Swapped {
                    elements,
                    instances,
                    tasks,
                } => tracing::info!(
                    elements,
                    instances,
                    tasks,
                    "reloaded: the new elements, instances and tasks are serving"
                ),
                Outcome::Kept(diagnostics) => {
                    for d in diagnostics.iter().filter(|d| !d.warning) {
                        tracing::error!("{d}");
                    }
                    tracing::error!(
                        "reload refused: the previous elements and instances keep serving"
                    );
                }
            }
        })?;
    Ok(())
}
