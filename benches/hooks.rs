//! Hook invocation cost, warm, in a pooled context: `cargo bench --bench hooks`.
//! Prints the median and spread of many runs; this is a measurement, not a test.

use std::time::{Duration, Instant};

use elemental::hooks::{run, Dispatcher, HookInput, Kind, Limits, Options, Origin, Script};
use serde_json::{json, Map, Value};

type Variables = Map<String, Value>;

fn script(source: &str) -> Script {
    Script::new("bench", Origin::file("bench.js"), source)
}

/// One invocation in the pooled context of `key`, timed.
fn timed(
    system: &actix_rt::SystemRunner,
    key: (i64, usize),
    script: &Script,
    vars: &Variables,
) -> Duration {
    let started = Instant::now();
    let options = Options {
        context: Some(key),
        ..Options::default()
    };
    let input = HookInput::Given(Kind::PreRequest, vars);
    let io = Dispatcher::default();
    system
        .block_on(run(script, input, Limits::default(), &io, options))
        .outcome
        .expect("runs");
    started.elapsed()
}

fn measure(name: &str, key: (i64, usize), source: &str, vars: &Variables, runs: usize) {
    let script = script(source);
    let system = actix_rt::System::new();
    // The first call pays for the context, the prelude and any require: report it apart.
    let cold = timed(&system, key, &script, vars);
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| timed(&system, key, &script, vars))
        .collect();
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    println!(
        "{name:<44} first {:>9.1?}   median {:>7.1?}   p10 {:>7.1?}   p90 {:>7.1?}",
        cold,
        at(0.5),
        at(0.1),
        at(0.9)
    );
}

/// The other isolation model: a fresh context (and prelude) for every invocation.
fn measure_fresh(name: &str, source: &str, vars: &Variables, runs: usize) {
    let script = script(source);
    let system = actix_rt::System::new();
    // A new key each time: nothing is reused.
    let mut samples: Vec<Duration> = (0..runs)
        .map(|i| timed(&system, (1_000_000 + i as i64, 0), &script, vars))
        .collect();
    samples.sort();
    println!(
        "{name:<44} median {:>7.1?}   p90 {:>7.1?}",
        samples[samples.len() / 2],
        samples[samples.len() * 9 / 10]
    );
}

fn main() {
    let vars = json!({
        "request_vendor_path": "/contacts/42",
        "request_vendor_headers": {"Accept": "application/json", "Content-Type": "application/json"},
        "configuration": {"api.key": "secret", "base.url": "http://127.0.0.1:9/v1"},
        "response_body": {"id": 42, "first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@example.com", "tags": ["a", "b"]}
    })
    .as_object()
    .cloned()
    .unwrap_or_default();
    let vars = &vars;
    let runs = 5_000;
    println!("{} warm runs each, one thread, release build", runs);
    measure("pre: HMAC-SHA256 header (CE)", (1, 0), "request_vendor_headers['X-Sig'] = CE.hmacSha256Hex(configuration['api.key'], request_vendor_path);\ndone({request_vendor_headers});", vars, runs);
    measure("post: map 4 fields", (2, 0), "const c = response_body;\ndone({response_body: {id: String(c.id), firstName: c.first_name, lastName: c.last_name, email: c.email_address}});", vars, runs);
    measure("post: the same with require('lodash')", (3, 0), "const _ = require('lodash');\nconst c = response_body;\ndone({response_body: _.mapKeys(_.pick(c, ['id', 'first_name', 'last_name', 'email_address']), (v, k) => _.camelCase(k))});", vars, runs);
    measure("pre: require('crypto') createHmac", (4, 0), "const crypto = require('crypto');\nrequest_vendor_headers['X-Sig'] = crypto.createHmac('sha256', configuration['api.key']).update(request_vendor_path).digest('hex');\ndone({request_vendor_headers});", vars, runs);
    measure("pass-through (no done)", (5, 0), "var x = 1;", vars, runs);
    measure_fresh("fresh context per invocation: HMAC pre hook", "request_vendor_headers['X-Sig'] = CE.hmacSha256Hex(configuration['api.key'], request_vendor_path);\ndone({request_vendor_headers});", vars, 300);
}
