//! The `elemental` binary: parse the command line, set up logging, run the command.

use clap::Parser;

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
