//! Sandbox limits, measured: `cargo bench --bench sandbox`.
//! 1. How long after its budget a busy loop is stopped.
//! 2. Process memory before and after 10,000 invocations that each hit the memory limit.

use std::time::{Duration, Instant};

use elemental::hooks::{
    run, ContextKey, Dispatcher, HookError, HookInput, Kind, Limits, Options, Origin, Outcome,
    Script,
};
use serde_json::Map;

fn script(source: &str) -> Script {
    Script::new("sandbox", Origin::file("sandbox.js"), source)
}

/// One invocation without variables in the pooled context of `key`.
fn pooled(
    system: &actix_rt::SystemRunner,
    key: ContextKey,
    script: &Script,
    limits: Limits,
) -> Result<Outcome, HookError> {
    let vars = Map::new();
    let options = Options {
        context: Some(key),
        ..Options::default()
    };
    let input = HookInput::Given(Kind::PreRequest, &vars);
    system
        .block_on(run(script, input, limits, &Dispatcher::default(), options))
        .outcome
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let system = actix_rt::System::new();
    let busy = script("while (true) {}");
    println!("busy loop: stopped after (median of 10) vs budget");
    for budget in [50u64, 100, 250, 1000] {
        let limits = Limits {
            time: Duration::from_millis(budget),
            ..Limits::default()
        };
        let mut samples: Vec<Duration> = (0..10)
            .map(|_| {
                let started = Instant::now();
                let result = pooled(&system, (1, 0), &busy, limits);
                assert!(matches!(result, Err(HookError::Timeout { .. })));
                started.elapsed()
            })
            .collect();
        samples.sort();
        let median = samples[5];
        println!(
            "  budget {budget:>5} ms: stopped at {:>7.1?} (+{:.1} ms over), max {:.1?}",
            median,
            median.as_secs_f64() * 1000.0 - budget as f64,
            samples[9]
        );
    }

    let bomb = script("const chunks = []; while (true) chunks.push(new Array(100000).fill(1));");
    let ok = script("done({ok: true});");
    let limits = Limits {
        memory: 16 * 1024 * 1024,
        ..Limits::default()
    };
    // Warm up, so the first contexts' allocations are not counted as growth.
    for _ in 0..50 {
        let _ = pooled(&system, (2, 0), &bomb, limits);
    }
    let before = rss_kib();
    let started = Instant::now();
    let mut memory_errors = 0;
    for i in 0..10_000 {
        if let Err(HookError::Memory { .. }) = pooled(&system, (2, 0), &bomb, limits) {
            memory_errors += 1;
        }
        if i % 2_500 == 0 {
            println!("  after {i:>5}: RSS {} KiB", rss_kib());
        }
    }
    let after = rss_kib();
    pooled(&system, (2, 0), &ok, Limits::default()).expect("a normal hook still runs");
    println!(
        "memory bomb x10,000 (16 MiB limit): {memory_errors} memory errors in {:.1?}; RSS before {before} KiB, after {after} KiB ({:+} KiB)",
        started.elapsed(),
        after as i64 - before as i64
    );
}
