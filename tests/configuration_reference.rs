//! docs/configuration.md stays what src/reference.rs renders from the CLI definitions, and
//! every argument has help text to render.

use clap::CommandFactory;
use elemental::reference::{configuration_markdown, GENERATED_MARKER};

const PAGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/configuration.md");
const REGENERATE: &str = "UPDATE_DOCS=1 cargo test --test configuration_reference";

#[test]
fn the_configuration_page_matches_the_cli() {
    let text = std::fs::read_to_string(PAGE)
        .unwrap_or_else(|e| panic!("{PAGE}: {e}; create it with {REGENERATE}"))
        // A checkout with CRLF line endings is not a stale page.
        .replace("\r\n", "\n");
    let (header, committed) = match text.split_once(&format!("{GENERATED_MARKER}\n")) {
        Some(parts) => parts,
        None => panic!(
            "{PAGE} has no marker line {GENERATED_MARKER:?}: put it under the hand-written \
             header, then run {REGENERATE}"
        ),
    };
    let rendered = configuration_markdown();
    if std::env::var("UPDATE_DOCS").as_deref() == Ok("1") {
        std::fs::write(PAGE, format!("{header}{GENERATED_MARKER}\n{rendered}"))
            .unwrap_or_else(|e| panic!("{PAGE}: {e}"));
        return;
    }
    if committed != rendered {
        let line = committed
            .lines()
            .zip(rendered.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(rendered.lines().count()));
        // Lines of the header, the marker, then the generated part.
        let file_line = header.lines().count() + 2 + line;
        panic!(
            "docs/configuration.md is not what src/reference.rs renders from src/cli.rs (first \
             difference at docs/configuration.md:{file_line}:\n  committed: {:?}\n  \
             rendered:  {:?}).\nRegenerate it with {REGENERATE} and commit the result.",
            committed.lines().nth(line).unwrap_or("<end of file>"),
            rendered.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}

#[test]
fn every_argument_says_what_it_changes() {
    fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in command.get_arguments() {
            if arg.is_hide_set() || arg.get_help().is_some() || arg.get_long_help().is_some() {
                continue;
            }
            missing.push(format!("{path}: {}", arg.get_id()));
        }
        for sub in command.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&elemental::cli::Cli::command(), "elemental", &mut missing);
    assert!(
        missing.is_empty(),
        "arguments without a `///` doc comment in src/cli.rs (docs/configuration.md would \
         have an empty description): {missing:?}"
    );
}
