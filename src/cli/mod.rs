//! The command line: `serve`, `check`, `test`, `import` (names, flags and defaults are a
//! public interface); `serve` starts the server, `hook` runs one hook script offline.

mod hook;
mod serve;

pub use hook::hook_run;

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::element::{self, has_errors, Diagnostic};
use crate::sources::{load, load_tasks, Sources};

#[derive(Debug, Parser)]
#[command(
    name = "elemental",
    version,
    about = "Serve Cloud Elements-style elements as an HTTP proxy with JavaScript hooks"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the elements and instances and serve them.
    Serve(Box<ServeArgs>),
    /// Load and compile everything, print every diagnostic, exit 1 if any is an error.
    Check(SourceArgs),
    /// Run the element test cases (`elements/<key>/tests/*.yaml`) and the web task cases
    /// (`tasks/tests/*.yaml`); exit 1 if any fails.
    Test(TestArgs),
    /// Print the JSON Schema of element files (for editor completion and validation).
    Schema,
    /// Work with one hook script offline.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Make an element skeleton from another description of an API.
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Read an OpenAPI 3.0/3.1 document (YAML or JSON) and print an element skeleton as YAML:
    /// a resource per operation, objects from its schemas, authentication from its security
    /// schemes. What the element cannot express is a warning on stderr.
    #[command(name = "openapi")]
    OpenApi(ImportOpenApiArgs),
}

#[derive(Debug, Args)]
pub struct ImportOpenApiArgs {
    /// The OpenAPI document.
    pub spec: PathBuf,
    /// The element's key (instances name it; with --out, its folder's name).
    #[arg(long)]
    pub key: String,
    /// Write `<DIR>/<key>/element.yaml` instead of printing it (an elements folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The element's name [default: the document's info.title].
    #[arg(long)]
    pub name: Option<String>,
    /// The hub: resources are served at `/hubs/<hub>/<path>`.
    #[arg(long, default_value = "general")]
    pub hub: String,
    /// With --out: replace an element.yaml that is already there.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Folder of elements, one sub-folder per element.
    #[arg(long, env = "ELEMENTAL_ELEMENTS", default_value = "./elements")]
    pub elements: PathBuf,
    /// Folder of web tasks, whose `tests/*.yaml` hold their cases [default: ./tasks, which
    /// may be missing; a folder named here must exist].
    #[arg(long, env = "ELEMENTAL_TASKS")]
    pub tasks: Option<PathBuf>,
    /// Folder of cloud code, whose `tests/*.yaml` hold its cases [default: ./cloud, which may
    /// be missing; a folder named here must exist].
    #[arg(long, env = "ELEMENTAL_CLOUD")]
    pub cloud: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Run one hook script with variables from a JSON file; print the result as JSON.
    Run(HookRunArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HookKind {
    /// Also `preRequest`, as element files name it.
    #[value(alias = "preRequest")]
    PreRequest,
    /// Also `postRequest` (element files) and `post-request`.
    #[value(alias = "postRequest", alias = "post-request", alias = "postResponse")]
    PostResponse,
    Event,
}

#[derive(Debug, Args)]
pub struct HookRunArgs {
    /// The hook script (the body of the hook function).
    pub script: PathBuf,
    /// Which hook the script is; it decides the variables the hook gets by default.
    #[arg(long, value_enum)]
    pub kind: HookKind,
    /// A JSON object of hook variables; absent ones get the server's defaults.
    #[arg(long)]
    pub vars: Option<PathBuf>,
    /// Freeze `Date.now()` and `new Date()` at this instant (milliseconds since the epoch).
    #[arg(long)]
    pub now: Option<i64>,
    /// Let the hook's outbound HTTP reach this host (repeatable).
    #[arg(long = "allow-host")]
    pub allow_hosts: Vec<String>,
    /// Run as a legacy hook (sloppy mode, `base64Encode`).
    #[arg(long)]
    pub legacy: bool,
    /// The hook's time budget.
    #[arg(long, default_value_t = 10_000)]
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, Args)]
pub struct SourceArgs {
    /// Folder of elements, one sub-folder per element.
    #[arg(long, env = "ELEMENTAL_ELEMENTS", default_value = "./elements")]
    pub elements: PathBuf,
    /// The instances file.
    #[arg(long, env = "ELEMENTAL_INSTANCES", default_value = "./instances.yaml")]
    pub instances: PathBuf,
    /// Folder of web tasks, one `<name>.js` ES module each, served at `/tasks/<name>`
    /// [default: ./tasks, which may be missing; a folder named here must exist].
    #[arg(long, env = "ELEMENTAL_TASKS")]
    pub tasks: Option<PathBuf>,
    /// Folder of Parse Cloud Code: `main.js` (CommonJS) and its modules; its functions are
    /// served at `POST /parse/functions/<name>` [default: ./cloud, which may be missing; a
    /// folder named here must exist].
    #[arg(long, env = "ELEMENTAL_CLOUD")]
    pub cloud: Option<PathBuf>,
    /// Folder of background jobs, one `<name>.js` ES module each exporting `async
    /// run({params, status, log})` [default: ./jobs, which may be missing; a folder named
    /// here must exist].
    #[arg(long, env = "ELEMENTAL_JOBS")]
    pub jobs: Option<PathBuf>,
    /// The schedules file: a YAML list of schedules (name, job, description, params, start,
    /// repeat: `{every: 15m}` or `{cron: "0 */5 * * * *"}`) [default: ./schedules.yaml, which
    /// may be missing; a file named here must exist].
    #[arg(long, env = "ELEMENTAL_SCHEDULES")]
    pub schedules: Option<PathBuf>,
}

impl SourceArgs {
    /// What to load: these files, nothing opened to hooks, no demo vendor to point at.
    pub fn sources(&self) -> Sources {
        Sources {
            elements: self.elements.clone(),
            instances: self.instances.clone(),
            tasks: self
                .tasks
                .clone()
                .unwrap_or_else(|| PathBuf::from("./tasks")),
            tasks_required: self.tasks.is_some(),
            cloud: self
                .cloud
                .clone()
                .unwrap_or_else(|| PathBuf::from("./cloud")),
            cloud_required: self.cloud.is_some(),
            jobs: self.jobs.clone().unwrap_or_else(|| PathBuf::from("./jobs")),
            jobs_required: self.jobs.is_some(),
            schedules: self
                .schedules
                .clone()
                .unwrap_or_else(|| PathBuf::from("./schedules.yaml")),
            schedules_required: self.schedules.is_some(),
            open_hosts: Vec::new(),
            demo_vendor_at: None,
        }
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Folder for the store (SQLite file) and the key files made on first start.
    #[arg(long, env = "ELEMENTAL_DATA", default_value = "./data")]
    pub data: PathBuf,
    /// Where state is kept: `postgres://user[:password]@host[:port]/database` for a
    /// PostgreSQL database several nodes can share, or `sqlite://FOLDER`; unset, the SQLite
    /// file in `--data`. An unreachable database at start is an error (exit code 1).
    #[arg(long, env = "ELEMENTAL_STORE")]
    pub store: Option<String>,
    /// With PostgreSQL: how long a node's claim on an event, a delivery or a poller lasts
    /// before another node may take it over (longer than an event's hooks or a delivery
    /// attempt take; what a dead node held moves on after it).
    #[arg(long, env = "ELEMENTAL_CLAIM_LEASE_MS", default_value_t = 60_000)]
    pub claim_lease_ms: u64,
    /// With PostgreSQL: this node's name in the claims and leases it holds (each node needs
    /// its own). Unset: `<hostname>:<process id>`.
    #[arg(long, env = "ELEMENTAL_NODE_ID")]
    pub node_id: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "ELEMENTAL_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Also serve the bundled demo vendor under /demo-vendor (for the offline quickstart).
    #[arg(long, env = "ELEMENTAL_DEMO_VENDOR")]
    pub demo_vendor: bool,
    /// Worker threads (default: one per core).
    #[arg(long, env = "ELEMENTAL_WORKERS")]
    pub workers: Option<usize>,
    /// Let hooks' outbound HTTP reach this host whatever its address (repeatable; for local
    /// development and tests: loopback and private addresses are refused otherwise).
    #[arg(
        long = "allow-host",
        env = "ELEMENTAL_ALLOW_HOSTS",
        value_delimiter = ','
    )]
    pub allow_hosts: Vec<String>,
    /// SMTP server for hooks' email (`notify.email`, `CE.sendEmail`); unset: email fails
    /// with a clear error in the hook.
    #[arg(long, env = "ELEMENTAL_SMTP_HOST")]
    pub smtp_host: Option<String>,
    /// Port of the SMTP server (587 for STARTTLS, 465 for TLS, 25 for a plain local relay).
    #[arg(long, env = "ELEMENTAL_SMTP_PORT", default_value_t = 587)]
    pub smtp_port: u16,
    /// How the connection to the SMTP server is secured (`none` only for a relay on a
    /// trusted network: the password and messages then travel in plain text).
    #[arg(
        long,
        env = "ELEMENTAL_SMTP_TLS",
        value_enum,
        default_value = "starttls"
    )]
    pub smtp_tls: crate::mail::TlsMode,
    /// SMTP login; elemental logs in only when both this and `--smtp-password` are set.
    #[arg(long, env = "ELEMENTAL_SMTP_USERNAME")]
    pub smtp_username: Option<String>,
    /// SMTP password (prefer the environment variable: command lines are visible to `ps`).
    #[arg(long, env = "ELEMENTAL_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,
    /// The sender when a hook does not give one.
    #[arg(
        long,
        env = "ELEMENTAL_SMTP_FROM",
        default_value = "elemental@localhost"
    )]
    pub smtp_from: String,
    /// A hook invocation's wall-clock budget in milliseconds, including its waits, counted
    /// from when it starts running (504 past it); it also bounds a wait for a slot of its
    /// instance (503 past it). An element's `limits` may differ.
    #[arg(long, env = "ELEMENTAL_HOOK_TIMEOUT_MS", default_value_t = 10_000)]
    pub hook_timeout_ms: u64,
    /// Memory a hook invocation may allocate, in MiB, on top of what its worker's pooled
    /// contexts hold (500 past it; an element's `limits` may differ).
    #[arg(long, env = "ELEMENTAL_HOOK_MEMORY_MB", default_value_t = 64)]
    pub hook_memory_mb: usize,
    /// CPU time a hook invocation may use in milliseconds, its waits not counted (an
    /// element's `limits.cpuMs` may differ).
    #[arg(long, env = "ELEMENTAL_HOOK_CPU_MS", default_value_t = 250)]
    pub hook_cpu_ms: u64,
    /// Threads that run hooks, apart from the HTTP workers (default: one per core).
    #[arg(long, env = "ELEMENTAL_HOOK_THREADS", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub hook_threads: Option<u32>,
    /// Hook invocations that may wait for a hook thread, all together (503 past it).
    #[arg(long, env = "ELEMENTAL_HOOK_QUEUE", default_value_t = 4096)]
    pub hook_queue: usize,
    /// Hook executions one instance may run at a time (default: one less than the hook
    /// threads, at least 1, so that one tenant never holds every executor; an element's or
    /// instance's `limits.concurrency` may differ).
    #[arg(long, env = "ELEMENTAL_INSTANCE_CONCURRENCY", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub instance_concurrency: Option<u32>,
    /// Hook executions of one instance that may wait for a slot beyond those running (429
    /// past it; an element's or instance's `limits.queue` may differ).
    #[arg(long, env = "ELEMENTAL_INSTANCE_QUEUE", default_value_t = 64)]
    pub instance_queue: usize,
    /// Hook executions that may wait for a slot, all instances together (503 past it:
    /// the server sheds load rather than queue without bound).
    #[arg(long, env = "ELEMENTAL_MAX_WAITING", default_value_t = 1024)]
    pub max_waiting: usize,
    /// Token for /admin/* and for debug traces (`Elements-Debug: true`); unset disables both.
    #[arg(long, env = "ELEMENTAL_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Key that signs next-page tokens (any text; give every node the same). Unset: a random
    /// key kept in `<data>/paging.key`, made on first start.
    #[arg(long, env = "ELEMENTAL_PAGING_KEY", hide_env_values = true)]
    pub paging_key: Option<String>,
    /// Where vendors reach this server (scheme, host, port), e.g. https://elemental.example.com:
    /// fills `{webhookCallbackUrl}` in provisioning resources with the instance's webhook URL.
    #[arg(long, env = "ELEMENTAL_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Key that seals configuration values and tokens in the store (64 hex digits, or any
    /// text, hashed). Unset: a random key kept in `<data>/secret.key`, made on first start.
    #[arg(long, env = "ELEMENTAL_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// The key being rotated out: values it sealed are read and sealed again with
    /// --secret-key at start (README "Secrets at rest").
    #[arg(long, env = "ELEMENTAL_SECRET_KEY_PREVIOUS", hide_env_values = true)]
    pub secret_key_previous: Option<String>,
    /// A header name masked in debug traces, on top of the built-in credential headers
    /// (Authorization, Cookie, Elements-Admin-Token, X-Api-Key, ...; repeatable).
    #[arg(
        long = "secret-header",
        env = "ELEMENTAL_SECRET_HEADERS",
        value_delimiter = ','
    )]
    pub secret_headers: Vec<String>,
    /// Answer hook failures with the script's file, line, column and JS message (for
    /// development; `--expose-errors=false` turns it off). Off: callers get the hook's name,
    /// the JS error's name and the request id, and the log and the debug trace
    /// keep the details. On by default with --demo-vendor.
    #[arg(
        long,
        env = "ELEMENTAL_EXPOSE_ERRORS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true"
    )]
    pub expose_errors: Option<bool>,
    /// Log lines as human text or as JSON objects, one per line.
    #[arg(long, env = "ELEMENTAL_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// Also serve each web task at `<name>.<domain>` by the request's Host (e.g.
    /// `tasks.example.com`: `hello.tasks.example.com/` runs tasks/hello.js).
    #[arg(long, env = "ELEMENTAL_TASKS_DOMAIN")]
    pub tasks_domain: Option<String>,
    /// A web task's time limit in milliseconds (504 past it; the task is stopped, never run
    /// again); a task may set its own with `export const config = {timeoutMs}`.
    #[arg(long, env = "ELEMENTAL_TASK_TIMEOUT_MS", default_value_t = 60_000)]
    pub task_timeout_ms: u64,
    /// A background job run's time limit in milliseconds (Parse's 15 minutes; the run is
    /// then stopped and recorded `timed_out`); a jobs/<name>.js module may set its own, up to
    /// 15 minutes, with `export const config = {timeoutMs}`.
    #[arg(long, env = "ELEMENTAL_JOB_TIMEOUT_MS", default_value_t = 900_000)]
    pub job_timeout_ms: u64,
    /// Background job runs at once on this node; a start past it is refused at once (429)
    /// and recorded as a run in state `refused`.
    #[arg(long, env = "ELEMENTAL_MAX_JOB_RUNS", default_value_t = 4)]
    pub max_job_runs: usize,
    /// The Parse app id: `X-Parse-Application-Id` of every `/parse` call must equal it (403
    /// otherwise).
    #[arg(long, env = "ELEMENTAL_PARSE_APP_ID", default_value = "elemental")]
    pub parse_app_id: String,
    /// The Parse REST API key: when set, `/parse` calls must send it as
    /// `X-Parse-REST-API-Key` (or send the master key) [default: none needed].
    #[arg(long, env = "ELEMENTAL_PARSE_REST_KEY")]
    pub parse_rest_key: Option<String>,
    /// The Parse master key (`X-Parse-Master-Key`): calls with it are master calls
    /// (`request.master`) [default: none, and every master-only call is refused].
    #[arg(long, env = "ELEMENTAL_PARSE_MASTER_KEY")]
    pub parse_master_key: Option<String>,
    /// Parse Config for `Parse.Config.get()` in every script: a JSON file
    /// `{"params": {...}, "masterKeyOnly": {"name": true}}`, read at start [default: empty].
    #[arg(long, env = "ELEMENTAL_PARSE_CONFIG")]
    pub parse_config: Option<PathBuf>,
    /// How often to look for changed element, instance or task files, in milliseconds (0:
    /// never).
    #[arg(long, env = "ELEMENTAL_RELOAD_MS", default_value_t = 1000)]
    pub reload_ms: u64,
    /// Export OpenTelemetry spans (a request's, its hooks', vendor calls', deliveries') over
    /// OTLP/HTTP to this collector, e.g. http://127.0.0.1:4318 (traces go to /v1/traces)
    /// [default: none, nothing is exported].
    #[arg(long, env = "ELEMENTAL_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<String>,
    /// The `service.name` of the exported spans.
    #[arg(long, env = "ELEMENTAL_OTLP_SERVICE_NAME", default_value = "elemental")]
    pub otlp_service_name: String,
}

pub use crate::logging::LogFormat;

impl Cli {
    /// The log format and the default level of this command: `serve` logs at info; `test`
    /// prints only its results, so its servers' lines are off unless `RUST_LOG` asks.
    pub fn logging(&self) -> (LogFormat, &'static str) {
        let from_env = || {
            std::env::var("ELEMENTAL_LOG_FORMAT")
                .ok()
                .and_then(|v| <LogFormat as clap::ValueEnum>::from_str(&v, true).ok())
                .unwrap_or_default()
        };
        match &self.command {
            Command::Serve(args) => (args.log_format, "info"),
            Command::Test(_) => (from_env(), "warn"),
            _ => (from_env(), "info"),
        }
    }
}

fn print(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

/// Run a command; the value is the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(source) => {
            let sources = source.sources();
            let (elements, records, mut diagnostics) = load(&sources);
            let (tasks, task_diagnostics) = load_tasks(&sources);
            diagnostics.extend(task_diagnostics);
            print(&diagnostics);
            if has_errors(&diagnostics) {
                let errors = diagnostics.iter().filter(|d| !d.warning).count();
                eprintln!("check failed: {errors} error(s)");
                return 1;
            }
            let cloud = match &tasks.cloud {
                Some(cloud) => format!(", cloud code {}", cloud.file),
                None => String::new(),
            };
            println!(
                "ok: {} element(s), {} instance(s), {} task(s){cloud}",
                elements.by_key.len(),
                records.len(),
                tasks.len()
            );
            0
        }
        Command::Schema => {
            print!("{}", crate::element::SCHEMA);
            0
        }
        Command::Test(args) => {
            let (elements, diagnostics) = element::load_dir(&args.elements);
            print(&diagnostics);
            if has_errors(&diagnostics) {
                eprintln!("not testing: the elements do not load");
                return 1;
            }
            let folder = args
                .tasks
                .clone()
                .unwrap_or_else(|| PathBuf::from("./tasks"));
            let (mut tasks, diagnostics) =
                crate::tasks::load_dir(&folder, args.tasks.is_some(), &[]);
            print(&diagnostics);
            let cloud_folder = args
                .cloud
                .clone()
                .unwrap_or_else(|| PathBuf::from("./cloud"));
            let (cloud, cloud_diagnostics) =
                crate::cloud::load_dir(&cloud_folder, args.cloud.is_some(), &[]);
            print(&cloud_diagnostics);
            if has_errors(&diagnostics) || has_errors(&cloud_diagnostics) {
                eprintln!("not testing: the tasks or the cloud code do not load");
                return 1;
            }
            tasks.cloud = cloud.map(Arc::new);
            let mut report = crate::cases::run_all(&elements);
            crate::cases::run_tasks(&folder, &tasks, &mut report);
            crate::cases::run_cloud(&cloud_folder, &tasks, &mut report);
            print!("{}", report.render());
            i32::from(report.failed() > 0)
        }
        Command::Hook(HookCommand::Run(args)) => {
            let (report, code) = hook_run(&args);
            println!("{report}");
            code
        }
        Command::Import(ImportCommand::OpenApi(args)) => match import_openapi(&args) {
            Ok(()) => 0,
            Err(message) => {
                eprintln!("{message}");
                1
            }
        },
        Command::Serve(args) => match serve::serve(*args) {
            Ok(()) => 0,
            Err(message) => {
                eprintln!("{message}");
                1
            }
        },
    }
}

/// `import openapi`: the element on stdout or in `<out>/<key>/element.yaml`, warnings on
/// stderr as `SPEC:line:column: warning: ...`.
fn import_openapi(args: &ImportOpenApiArgs) -> Result<(), String> {
    let spec = args.spec.display().to_string();
    let options = crate::import::Options {
        key: args.key.clone(),
        name: args.name.clone(),
        hub: args.hub.clone(),
    };
    let imported = crate::import::openapi_file(&args.spec, &options).map_err(|e| match e {
        crate::import::ImportError::Syntax(_) => format!("{spec}:{e}"),
        other => format!("{spec}: {other}"),
    })?;
    for warning in &imported.warnings {
        eprintln!("{spec}:{warning}");
    }
    let source = args
        .spec
        .file_name()
        .map_or(spec.clone(), |n| n.to_string_lossy().into_owned());
    let yaml = crate::import::to_yaml(&imported.element, &source);
    let Some(out) = &args.out else {
        print!("{yaml}");
        return Ok(());
    };
    let folder = out.join(&args.key);
    let file = folder.join("element.yaml");
    if file.exists() && !args.force {
        return Err(format!(
            "{} already exists: pass --force to replace it",
            file.display()
        ));
    }
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    std::fs::write(&file, yaml).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    eprintln!(
        "wrote {} ({} warning(s))",
        file.display(),
        imported.warnings.len()
    );
    Ok(())
}
