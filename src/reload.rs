//! Hot reload: new element, instance and task files are loaded and compiled in full, then
//! swapped in whole; when anything is wrong the old set keeps serving and the problems are
//! logged. And, on a store shared by several nodes, the instances other nodes change are
//! read again (`follow`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::element::{has_errors, Diagnostic};
use crate::instance;
use crate::sources::{load, load_tasks, Sources};
use crate::state::{Loaded, State};
use crate::store::Change;

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

/// Follow the instances any node changes in a shared store (configuration written by a hook
/// or the instances API, instances created, renamed or deleted) on a thread of its own: each
/// change is read again from the store and served from the next request on. Changes that
/// arrive together are read once; `Everything` reads every instance.
pub fn follow(state: Arc<State>) -> std::io::Result<()> {
    let (sender, receiver) = std::sync::mpsc::channel::<Change>();
    let following = state.clone();
    std::thread::Builder::new()
        .name("elemental-follow".into())
        .spawn(move || {
            while let Ok(first) = receiver.recv() {
                let mut pending: Vec<Change> = vec![first];
                pending.extend(receiver.try_iter());
                while let Err(error) = reread(&following, &pending) {
                    if following.stopping.load(std::sync::atomic::Ordering::Acquire) {
                        return;
                    }
                    // The store is away: read everything once it answers again.
                    tracing::warn!(%error, "reading changed instances from the store failed; trying again");
                    std::thread::sleep(Duration::from_secs(1));
                    pending = vec![Change::Everything];
                }
            }
        })?;
    state.store.follow(Arc::new(move |change| {
        // Only fails once the thread is gone (the process is stopping).
        let _ = sender.send(change);
    }));
    Ok(())
}

/// Read the `pending` changes from the store and serve what they make of the instances.
fn reread(state: &State, pending: &[Change]) -> Result<(), crate::store::StoreError> {
    let loaded = state.current();
    let sealer = &state.settings.sealer;
    let store = state.store.as_ref();
    let changes = if pending.contains(&Change::Everything) {
        crate::store::wait(instance::reread_all(
            &loaded.instances,
            &loaded.elements,
            store,
            sealer,
        ))?
    } else {
        let mut ids: Vec<i64> = pending
            .iter()
            .filter_map(|c| match c {
                Change::Instance(id) => Some(*id),
                Change::Everything => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut changes = Vec::new();
        for id in ids {
            let reread = instance::reread(id, &loaded.instances, &loaded.elements, store, sealer);
            changes.extend(crate::store::wait(reread)?);
        }
        changes
    };
    if changes.is_empty() {
        return Ok(());
    }
    state.update(|loaded| {
        let mut instances = loaded.instances.as_ref().clone();
        for change in changes {
            instances = match change {
                instance::Reread::Serve(served) => instances.with(served),
                instance::Reread::Remove(id) => instances.without(id),
            };
        }
        Loaded {
            elements: loaded.elements.clone(),
            instances: Arc::new(instances),
            tasks: loaded.tasks.clone(),
        }
    });
    Ok(())
}
