//! Log output: text or JSON lines on stderr, coloured only for a terminal.

use std::io::IsTerminal;

/// How log lines are written (`--log-format`, `ELEMENTAL_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// Human text, one line per event.
    #[default]
    Text,
    /// One JSON object per line, with the span fields (`request_id`, `hook`) of each event.
    Json,
}

/// Whether to write ANSI colour codes: only to a terminal, and never with `NO_COLOR` set
/// (<https://no-color.org>: any non-empty value).
pub fn use_colour(stderr_is_terminal: bool, no_colour: Option<&std::ffi::OsStr>) -> bool {
    stderr_is_terminal && no_colour.is_none_or(|v| v.is_empty())
}

/// Install the process-wide subscriber. `RUST_LOG` overrides `default_level`.
pub fn init(format: LogFormat, default_level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
        LogFormat::Text => {
            let colour = use_colour(
                std::io::stderr().is_terminal(),
                std::env::var_os("NO_COLOR").as_deref(),
            );
            builder.with_ansi(colour).init()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_for_a_terminal_without_no_color() {
        assert!(use_colour(true, None));
        assert!(use_colour(true, Some(OsStr::new(""))));
        assert!(!use_colour(true, Some(OsStr::new("1"))));
        assert!(!use_colour(false, None));
    }
}
