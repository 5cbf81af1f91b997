//! Server settings shared by the pipeline, the HTTP layer and the events worker.

use std::time::Duration;

use crate::hooks::Limits;
use crate::vendor::VendorLimits;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Where element resources are mounted (`/elements/api-v2`).
    pub prefix: String,
    pub hook_limits: Limits,
    /// Fair share between instances: per-instance concurrency and queue of hook
    /// executions, and the server-wide bound on waiting ones.
    pub admission: crate::admission::Defaults,
    pub vendor_limits: VendorLimits,
    /// Largest request body a caller may send (413 above).
    pub max_request_body: usize,
    /// Time a client has to send its request head (408 after).
    pub client_timeout: std::time::Duration,
    /// Serve the bundled demo vendor under `/demo-vendor` (offline quickstart).
    pub demo_vendor: bool,
    /// Token for `/admin/*` and for keeping debug traces; `None` disables both.
    pub admin_token: Option<String>,
    /// Header names masked in traces and logs on top of the built-in credential headers.
    pub secret_headers: Vec<String>,
    /// Answer hook failures with the hook's file, line, column and JS message (development);
    /// otherwise callers get the hook's name and the request id, and logs keep the details.
    pub expose_errors: bool,
    /// How many debug traces are kept (the oldest goes first).
    pub trace_capacity: usize,
    /// The SMTP server for hooks' email; `None`: sending fails with a clear error.
    pub mail: Option<std::sync::Arc<crate::mail::MailSettings>>,
    /// Retries of event deliveries.
    pub delivery: DeliverySettings,
    /// Run the events worker (normalize and deliver). Off only to hold received events in
    /// the store, as a crashed process would leave them.
    pub events_worker: bool,
    /// Signs next-page tokens (`Elements-Next-Page-Token`).
    pub paging_key: std::sync::Arc<crate::secret::SigningKey>,
    /// Where vendors reach this server (`https://elemental.example.com`): fills the
    /// `{webhookCallbackUrl}` of provisioning resources. `None`: left as written.
    pub public_url: Option<String>,
    /// Seals configuration values and tokens before they reach the store.
    pub sealer: std::sync::Arc<crate::seal::Sealer>,
    /// A web task's time limit, unless the task sets its own (`config.timeoutMs`).
    pub task_timeout: Duration,
    /// Tasks are also served at `<name>.<domain>` by Host when set (`--tasks-domain`).
    pub tasks_domain: Option<String>,
    /// The Parse API's app id and keys, and Parse Config (`--parse-*`).
    pub parse: crate::parse::ParseSettings,
    /// Background jobs: their time limit, how many run at once, the scheduler.
    pub jobs: JobSettings,
}

/// Background jobs and the scheduler.
#[derive(Debug, Clone, Copy)]
pub struct JobSettings {
    /// A run's time limit unless its job sets its own (`config.timeoutMs`): Parse's 15 minutes.
    pub timeout: Duration,
    /// Runs at once on this node; a start past it is refused (429) and recorded as `refused`.
    pub max_runs: usize,
    /// The store serves this node only (SQLite): every run still `running` at start was cut
    /// off by a crash. Shared (PostgreSQL): only runs whose heartbeat ran out were.
    pub single_node: bool,
    /// How long a node's heartbeat vouches for its running runs (renewed at a third of it).
    pub heartbeat: Duration,
    /// Run the scheduler (schedules fire, heartbeats renewed, dead runs interrupted).
    pub scheduler: bool,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            timeout: Duration::from_secs(15 * 60),
            max_runs: 4,
            single_node: true,
            heartbeat: Duration::from_secs(30),
            scheduler: true,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            prefix: "/elements/api-v2".into(),
            hook_limits: Limits::default(),
            admission: crate::admission::Defaults::default(),
            vendor_limits: VendorLimits::default(),
            max_request_body: 10 * 1024 * 1024,
            client_timeout: std::time::Duration::from_secs(5),
            demo_vendor: false,
            admin_token: None,
            secret_headers: Vec::new(),
            expose_errors: false,
            trace_capacity: 200,
            mail: None,
            delivery: DeliverySettings::default(),
            events_worker: true,
            paging_key: std::sync::Arc::new(crate::secret::SigningKey::random()),
            public_url: None,
            sealer: std::sync::Arc::new(crate::seal::Sealer::new(rand::random(), None)),
            task_timeout: Duration::from_secs(60),
            tasks_domain: None,
            parse: crate::parse::ParseSettings::default(),
            jobs: JobSettings::default(),
        }
    }
}

/// How deliveries are retried.
#[derive(Debug, Clone, Copy)]
pub struct DeliverySettings {
    /// Attempts before a delivery is parked as `queued`.
    pub max_tries: u32,
    /// The first retry waits this long; each next one twice as long (with jitter).
    pub backoff: Duration,
    pub max_backoff: Duration,
    pub timeout: Duration,
    /// How often the worker looks for work when nothing wakes it.
    pub poll: Duration,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        DeliverySettings {
            max_tries: 9,
            backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(3600),
            timeout: Duration::from_secs(10),
            poll: Duration::from_millis(200),
        }
    }
}
