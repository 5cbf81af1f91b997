//! The command line: `serve` and `check` (names, flags and defaults are a public interface).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::element::{self, has_errors, Diagnostic, Elements};
use crate::instance;
use crate::server;
use crate::settings::Settings;
use crate::store::{InstanceRecord, SqliteStore};

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
    Serve(ServeArgs),
    /// Load and compile everything, print every diagnostic, exit 1 if any is an error.
    Check(SourceArgs),
}

#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Folder of elements, one sub-folder per element.
    #[arg(long, env = "ELEMENTAL_ELEMENTS", default_value = "./elements")]
    pub elements: PathBuf,
    /// The instances file.
    #[arg(long, env = "ELEMENTAL_INSTANCES", default_value = "./instances.yaml")]
    pub instances: PathBuf,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Folder for the store (SQLite file).
    #[arg(long, env = "ELEMENTAL_DATA", default_value = "./data")]
    pub data: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "ELEMENTAL_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Also serve the bundled demo vendor under /demo-vendor (for the offline quickstart).
    #[arg(long, env = "ELEMENTAL_DEMO_VENDOR")]
    pub demo_vendor: bool,
    /// Worker threads (default: one per core).
    #[arg(long, env = "ELEMENTAL_WORKERS")]
    pub workers: Option<usize>,
}

/// Elements and instance records, with every diagnostic found while reading them.
pub fn load(source: &SourceArgs) -> (Elements, Vec<InstanceRecord>, Vec<Diagnostic>) {
    let (elements, mut diagnostics) = element::load_dir(&source.elements);
    let (records, instance_diagnostics) = instance::read_file(&source.instances, &elements);
    diagnostics.extend(instance_diagnostics);
    (elements, records, diagnostics)
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
            let (elements, records, diagnostics) = load(&source);
            print(&diagnostics);
            if has_errors(&diagnostics) {
                let errors = diagnostics.iter().filter(|d| !d.warning).count();
                eprintln!("check failed: {errors} error(s)");
                return 1;
            }
            println!(
                "ok: {} element(s), {} instance(s)",
                elements.by_key.len(),
                records.len()
            );
            0
        }
        Command::Serve(args) => match serve(args) {
            Ok(()) => 0,
            Err(message) => {
                eprintln!("{message}");
                1
            }
        },
    }
}

fn serve(args: ServeArgs) -> Result<(), String> {
    let (elements, records, diagnostics) = load(&args.source);
    print(&diagnostics);
    if has_errors(&diagnostics) {
        return Err("not serving: fix the errors above (elemental check lists them)".into());
    }
    let store = open_store(&args.data)?;
    let instances =
        instance::build(records, &elements, store.as_ref()).map_err(|e| e.to_string())?;
    let listener = TcpListener::bind(&args.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(elements = elements.by_key.len(), instances = instances.len(), %address, "serving");
    let settings = Settings {
        demo_vendor: args.demo_vendor,
        ..Settings::default()
    };
    let state = server::State {
        elements: Arc::new(elements),
        instances: Arc::new(instances),
        store,
        settings,
    };
    let workers = args.workers;
    actix_web::rt::System::new().block_on(async move {
        let server =
            server::run_with_workers(listener, state, workers).map_err(|e| e.to_string())?;
        server.await.map_err(|e| e.to_string())
    })
}

fn open_store(data: &Path) -> Result<Arc<dyn crate::store::Store>, String> {
    SqliteStore::open(data)
        .map(|s| Arc::new(s) as Arc<dyn crate::store::Store>)
        .map_err(|e| e.to_string())
}
