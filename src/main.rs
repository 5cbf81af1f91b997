//! The `elemental` binary: parse the command line, set up logging, run the command.

use clap::Parser;

// mimalloc rather than glibc's malloc: a proxied request allocates a few hundred small
// blocks, and glibc's malloc/free were a fifth of all instructions (docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = elemental::cli::Cli::parse();
    let (format, level) = cli.logging();
    elemental::logging::init(format, level);
    std::process::exit(elemental::cli::run(cli));
}
