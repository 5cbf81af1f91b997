//! The `elemental` binary: parse the command line, set up logging, run the command.

use clap::Parser;

// mimalloc rather than glibc's malloc: a proxied request allocates a few hundred small
// blocks, and glibc's malloc/free were a fifth of all instructions (docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = elemental::cli::Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    std::process::exit(elemental::cli::run(cli));
}
