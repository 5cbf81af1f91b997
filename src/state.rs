//! What the HTTP server and the background workers share: the loaded elements and
//! instances (swapped whole on reload), the store, settings, metrics, traces, and the
//! signals that wake and stop the events worker.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;

use crate::admission::Registry;
use crate::element::{Diagnostic, Elements};
use crate::instance::Instances;
use crate::metrics::Metrics;
use crate::settings::Settings;
use crate::store::Store;
use crate::tasks::Tasks;
use crate::trace::Traces;

/// One loaded set of elements and instances. Swapped whole on reload; a request holds the
/// set it started with until it ends.
pub struct Loaded {
    pub elements: Arc<Elements>,
    pub instances: Arc<Instances>,
    /// The web tasks (`/tasks/<name>`).
    pub tasks: Arc<Tasks>,
}

/// What every worker shares.
pub struct State {
    current: RwLock<Arc<Loaded>>,
    pub store: Arc<dyn Store>,
    pub settings: Settings,
    pub metrics: Metrics,
    pub traces: Traces,
    /// Fair share of hook executions and request rates between instances; it outlives
    /// reloads, keyed by instance id.
    pub admission: Registry,
    /// Wakes the events worker when there is new work.
    pub events_wakeup: tokio::sync::Notify,
    /// Set when the server stops: background work ends.
    pub stopping: AtomicBool,
    worker: Mutex<Option<JoinHandle<()>>>,
    /// What the last load (at start or a reload, kept or refused) reported: the studio
    /// shows it.
    diagnostics: RwLock<Arc<Vec<Diagnostic>>>,
    /// The background job runs of this node (the concurrency bound, the heartbeats).
    pub jobs: crate::jobs::Running,
    /// Wakes the scheduler (a schedule added, deleted or run now).
    pub scheduler_wakeup: tokio::sync::Notify,
    scheduler: Mutex<Option<JoinHandle<()>>>,
}

impl State {
    pub fn new(
        elements: Elements,
        instances: Instances,
        store: Arc<dyn Store>,
        settings: Settings,
    ) -> State {
        let traces = Traces::with_store(settings.trace_capacity, store.clone());
        let admission = Registry::new(settings.admission.max_waiting);
        State {
            current: RwLock::new(Arc::new(Loaded {
                elements: Arc::new(elements),
                instances: Arc::new(instances),
                tasks: Arc::default(),
            })),
            store,
            settings,
            metrics: Metrics::default(),
            traces,
            admission,
            events_wakeup: tokio::sync::Notify::new(),
            stopping: AtomicBool::new(false),
            worker: Mutex::new(None),
            diagnostics: RwLock::default(),
            jobs: crate::jobs::Running::default(),
            scheduler_wakeup: tokio::sync::Notify::new(),
            scheduler: Mutex::new(None),
        }
    }

    /// The set serving new requests.
    pub fn current(&self) -> Arc<Loaded> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Serve `loaded` from now on; requests in flight finish on the set they started with.
    pub fn swap(&self, loaded: Loaded) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(loaded);
    }

    /// Serve what `change` makes of the current set from now on, made under the lock so that
    /// two changes (instances created at once) do not overwrite each other.
    pub fn update(&self, change: impl FnOnce(&Loaded) -> Loaded) {
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        let next = change(&current);
        *current = Arc::new(next);
    }

    /// Serve `tasks` from now on, beside the current elements and instances.
    pub fn set_tasks(&self, tasks: Tasks) {
        let tasks = Arc::new(tasks);
        self.update(|loaded| Loaded {
            elements: loaded.elements.clone(),
            instances: loaded.instances.clone(),
            tasks,
        });
    }

    /// Keep what the last load reported.
    pub fn set_diagnostics(&self, diagnostics: Vec<Diagnostic>) {
        *self.diagnostics.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(diagnostics);
    }

    /// What the last load reported.
    pub fn diagnostics(&self) -> Arc<Vec<Diagnostic>> {
        self.diagnostics
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Start the background worker with `spawn` (once, and only when the settings ask for
    /// it), keeping its handle so that `stop` can wait for it. The caller says what the
    /// worker is: this layer sits below the workers and does not name them.
    pub fn start_worker(
        &self,
        spawn: impl FnOnce() -> std::io::Result<JoinHandle<()>>,
    ) -> std::io::Result<()> {
        let mut slot = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() && self.settings.events_worker {
            *slot = Some(spawn()?);
        }
        Ok(())
    }

    /// Start the scheduler with `spawn` (once, when the settings ask for it), as
    /// `start_worker` starts the events worker.
    pub fn start_scheduler(
        &self,
        spawn: impl FnOnce() -> std::io::Result<JoinHandle<()>>,
    ) -> std::io::Result<()> {
        let mut slot = self.scheduler.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() && self.settings.jobs.scheduler {
            *slot = Some(spawn()?);
        }
        Ok(())
    }

    /// Stop background work and wait for the events worker and the scheduler to finish what
    /// they are doing (job runs in flight are left: a crash would leave them too).
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
        self.events_wakeup.notify_one();
        self.scheduler_wakeup.notify_one();
        for slot in [&self.worker, &self.scheduler] {
            let handle = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(handle) = handle {
                let _ = handle.join();
            }
        }
    }
}
