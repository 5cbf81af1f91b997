//! `elemental serve`: load everything, open the store (SQLite or PostgreSQL), seal its
//! secrets, start the executors, telemetry and background workers, and serve until stopped.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use super::{print, ServeArgs};
use crate::element::has_errors;
use crate::instance;
use crate::server;
use crate::settings::Settings;
use crate::sources::{load, load_tasks, Sources};
use crate::store::{PostgresStore, SqliteStore};

pub(super) fn serve(args: ServeArgs) -> Result<(), String> {
    // Bound first: the demo instance is pointed at the port actually taken.
    let listener = TcpListener::bind(&args.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let sources = Sources {
        open_hosts: args.allow_hosts.clone(),
        demo_vendor_at: args.demo_vendor.then_some(address),
        ..args.source.sources()
    };
    let (elements, records, mut diagnostics) = load(&sources);
    let (tasks, task_diagnostics) = load_tasks(&sources);
    diagnostics.extend(task_diagnostics);
    print(&diagnostics);
    if has_errors(&diagnostics) {
        return Err("not serving: fix the errors above (elemental check lists them)".into());
    }
    let node = args.node_id.clone().unwrap_or_else(default_node);
    let store = open_store(
        args.store.as_deref(),
        &args.data,
        args.claim_lease_ms,
        &node,
    )?;
    let paging_key = match &args.paging_key {
        Some(text) => crate::secret::SigningKey::from_text(text),
        None => crate::secret::SigningKey::load_or_create(&args.data.join("paging.key"))?,
    };
    let sealer = Arc::new(sealer(&args)?);
    // Before the server's runtime starts: waiting here stalls nothing.
    let resealed = crate::store::wait(instance::reseal(store.as_ref(), &sealer))
        .map_err(|e| format!("sealing the store's secrets: {e}"))?;
    if resealed > 0 {
        tracing::info!(
            values = resealed,
            key = sealer.key_id(),
            "sealed stored secrets with the current key"
        );
    }
    let instances =
        crate::store::wait(instance::build(records, &elements, store.as_ref(), &sealer))
            .map_err(|e| e.to_string())?;
    tracing::info!(elements = elements.by_key.len(), instances = instances.len(), tasks = tasks.len(), %address, %node, "serving");
    let mail = args.smtp_host.clone().map(|host| {
        Arc::new(crate::mail::MailSettings {
            host,
            port: args.smtp_port,
            tls: args.smtp_tls,
            username: args.smtp_username.clone(),
            password: args.smtp_password.clone(),
            from: args.smtp_from.clone(),
            timeout: std::time::Duration::from_secs(30),
        })
    });
    let executors = crate::hooks::executor::start(crate::hooks::executor::Executors {
        threads: args.hook_threads.map_or_else(
            || crate::hooks::executor::Executors::default().threads,
            |n| n as usize,
        ),
        queue: args.hook_queue.max(1),
    });
    let parse = parse_settings(&args)?;
    let settings = Settings {
        parse,
        demo_vendor: args.demo_vendor,
        admin_token: args.admin_token.clone(),
        paging_key: Arc::new(paging_key),
        public_url: args.public_url.clone(),
        sealer,
        task_timeout: std::time::Duration::from_millis(args.task_timeout_ms.max(1)),
        jobs: crate::settings::JobSettings {
            timeout: std::time::Duration::from_millis(args.job_timeout_ms.max(1)),
            max_runs: args.max_job_runs.max(1),
            single_node: !is_postgres(args.store.as_deref()),
            ..Default::default()
        },
        tasks_domain: args
            .tasks_domain
            .as_deref()
            .map(|d| d.trim_matches('.').to_ascii_lowercase()),
        secret_headers: args.secret_headers.clone(),
        expose_errors: args.expose_errors.unwrap_or(args.demo_vendor),
        mail,
        hook_limits: crate::hooks::Limits {
            time: std::time::Duration::from_millis(args.hook_timeout_ms.max(1)),
            memory: args.hook_memory_mb.max(1) * 1024 * 1024,
            cpu: std::time::Duration::from_millis(args.hook_cpu_ms.max(1)),
            ..crate::hooks::Limits::default()
        },
        admission: crate::admission::Defaults {
            concurrency: args.instance_concurrency.map_or_else(
                || executors.threads.saturating_sub(1).max(1),
                |n| n as usize,
            ),
            queue: args.instance_queue,
            max_waiting: args.max_waiting,
        },
        ..Settings::default()
    };
    let state = Arc::new(crate::state::State::new(
        elements, instances, store, settings,
    ));
    state.set_tasks(tasks);
    state.set_diagnostics(diagnostics);
    // On a store several nodes share, what the others change is read again here.
    crate::reload::follow(state.clone()).map_err(|e| e.to_string())?;
    if args.reload_ms > 0 {
        crate::reload::watch(
            state.clone(),
            sources,
            std::time::Duration::from_millis(args.reload_ms),
        )
        .map_err(|e| e.to_string())?;
    }
    if let Some(endpoint) = &args.otlp_endpoint {
        let otlp = crate::telemetry::Otlp {
            endpoint: endpoint.clone(),
            service_name: args.otlp_service_name.clone(),
        };
        crate::telemetry::start(&otlp).map_err(|e| e.to_string())?;
    }
    let workers = args.workers;
    let state_for_stop = state.clone();
    actix_web::rt::System::new().block_on(async move {
        let server =
            server::run_with_workers(listener, state, workers).map_err(|e| e.to_string())?;
        let served = server.await.map_err(|e| e.to_string());
        // Let the events worker finish what it started, then stop it.
        state_for_stop.stop();
        // The spans of the last requests and deliveries, still batched, go out now.
        crate::telemetry::shutdown();
        served
    })
}

/// The Parse app id, keys and config of the serve arguments.
fn parse_settings(args: &ServeArgs) -> Result<crate::parse::ParseSettings, String> {
    let config = match &args.parse_config {
        Some(path) => crate::parse::ParseConfig::read(path)?,
        None => crate::parse::ParseConfig::default(),
    };
    Ok(crate::parse::ParseSettings {
        app_id: args.parse_app_id.clone(),
        rest_key: args.parse_rest_key.clone(),
        master_key: args.parse_master_key.clone(),
        config: Arc::new(config),
    })
}

/// The keys that seal the store: the setting, else `<data>/secret.key`; and the previous
/// one during a rotation.
fn sealer(args: &ServeArgs) -> Result<crate::seal::Sealer, String> {
    let key = match &args.secret_key {
        Some(text) => crate::secret::key_from_text(text),
        None => crate::secret::key_file(&args.data.join("secret.key"))?,
    };
    let previous = args
        .secret_key_previous
        .as_deref()
        .map(crate::secret::key_from_text);
    Ok(crate::seal::Sealer::new(key, previous))
}

/// The store `--store` names: PostgreSQL for a `postgres://` (or `postgresql://`) URL,
/// SQLite in the folder of a `sqlite://` URL, else SQLite in `--data`.
/// Whether `--store` names a PostgreSQL database (a store several nodes may share).
fn is_postgres(url: Option<&str>) -> bool {
    url.map(str::trim)
        .is_some_and(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
}

fn open_store(
    url: Option<&str>,
    data: &Path,
    lease_ms: u64,
    node: &str,
) -> Result<Arc<dyn crate::store::Store>, String> {
    let url = url.map(str::trim).filter(|u| !u.is_empty());
    match url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let lease = i64::try_from(lease_ms.max(1)).unwrap_or(i64::MAX);
            PostgresStore::open_with_lease(url, lease)
                .map(|s| Arc::new(s.named(node)) as Arc<dyn crate::store::Store>)
                .map_err(|e| e.to_string())
        }
        Some(url) => match url.strip_prefix("sqlite://") {
            Some(folder) => open_sqlite(Path::new(folder)),
            None => Err(format!(
                "--store: expected postgres://… or sqlite://FOLDER, got {:?}",
                url.split_once("://").map_or(url, |(scheme, _)| scheme)
            )),
        },
        None => open_sqlite(data),
    }
}

/// A node's name when `--node-id` does not give one: the host's name and the process id,
/// unique among the nodes of one database as long as host names are.
fn default_node() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "node".into());
    format!("{host}:{}", std::process::id())
}

fn open_sqlite(folder: &Path) -> Result<Arc<dyn crate::store::Store>, String> {
    SqliteStore::open(folder)
        .map(|s| Arc::new(s) as Arc<dyn crate::store::Store>)
        .map_err(|e| e.to_string())
}
