//! js-stdlib/lodash.js against real lodash: the Node differential (when CI installed lodash)
//! and a replay of its recorded calls inside elemental's own QuickJS engine.

use std::process::Command;

use elemental::hooks::{Kind, Limits, Origin, Script};

mod support;
use serde_json::{json, Map};
use support::hooks::run;

#[test]
fn the_node_differential_against_real_lodash_passes() {
    if !std::path::Path::new("tests/lodash/node_modules/lodash/package.json").exists() {
        println!("skipped: real lodash is not installed (CI runs `npm ci --prefix tests/lodash`)");
        return;
    }
    let output = match Command::new("node")
        .arg("tests/lodash/differential.js")
        .output()
    {
        Ok(output) => output,
        Err(e) => {
            println!("skipped: node is not available ({e})");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let figure = stdout
        .lines()
        .find(|l| l.starts_with("lodash differential:"))
        .unwrap_or_default();
    println!("{figure}");
    assert!(figure.ends_with(" 0 mismatches"), "{stdout}");
}

/// Decode the sample's tagged values, call our lodash inside QuickJS, encode the results the
/// same way and compare the JSON text (so -0, NaN, holes and key order all count).
const REPLAY: &str = r#"
const _ = require('lodash');
const isIndexKey = (k) => /^(0|[1-9][0-9]*)$/.test(k) && Number(k) < 4294967295;
const decode = (v) => {
  if (Array.isArray(v)) {
    const out = [];
    v.forEach((item, i) => { if (item && typeof item === 'object' && item.$hole === true) { out.length = i + 1; } else { out[i] = decode(item); } });
    out.length = v.length;
    return out;
  }
  if (v === null || typeof v !== 'object') return v;
  if (v.$undefined === true) return undefined;
  if (v.$nan === true) return NaN;
  if (v.$negzero === true) return -0;
  if ('$infinity' in v) return v.$infinity > 0 ? Infinity : -Infinity;
  if (Array.isArray(v.$object)) { const o = {}; for (const [k, e] of v.$object) o[k] = decode(e); return o; }
  const o = {};
  for (const k of Object.keys(v)) o[k] = decode(v[k]);
  return o;
};
const encode = (v) => {
  if (v === undefined) return { $undefined: true };
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $nan: true };
    if (Object.is(v, -0)) return { $negzero: true };
    if (v === Infinity) return { $infinity: 1 };
    if (v === -Infinity) return { $infinity: -1 };
    return v;
  }
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) { const out = []; for (let i = 0; i < v.length; i++) out.push(i in v ? encode(v[i]) : { $hole: true }); return out; }
  const keys = Object.keys(v);
  const entries = keys.map((k) => [k, encode(v[k])]);
  if (keys.some((k) => k.charAt(0) === '$') || keys.some(isIndexKey)) return { $object: entries };
  const out = {};
  for (const [k, e] of entries) out[k] = e;
  return out;
};
const mismatches = [];
const functions = new Set();
for (const call of SAMPLE) {
  functions.add(call.fn);
  let actual;
  try { actual = JSON.stringify(encode(_[call.fn](...decode(call.args)))); } catch (e) { actual = `threw ${e}`; }
  const expected = JSON.stringify(call.expected);
  if (actual !== expected) mismatches.push({ fn: call.fn, args: call.args, expected, actual });
}
done({ calls: SAMPLE.length, functions: functions.size, mismatches });
"#;

#[test]
fn recorded_lodash_calls_give_the_same_results_inside_quickjs() {
    let sample =
        std::fs::read_to_string("tests/lodash/replay-sample.json").expect("the recorded sample");
    let source = format!("const SAMPLE = {sample};\n{REPLAY}");
    let script = Script::new("lodash replay", Origin::file("lodash-replay.js"), &source);
    let outcome =
        run(&script, Kind::PreRequest, &Map::new(), Limits::default()).expect("the replay runs");
    let report = outcome.done;
    println!(
        "lodash replay in QuickJS: {} calls, {} functions, {} mismatches",
        report["calls"],
        report["functions"],
        report["mismatches"].as_array().map_or(0, Vec::len)
    );
    assert!(report["calls"].as_u64().unwrap_or(0) >= 400, "{report}");
    assert_eq!(
        report["mismatches"],
        json!([]),
        "{:#}",
        report["mismatches"]
    );
}
