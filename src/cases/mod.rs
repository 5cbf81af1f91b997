//! Element test cases (`elements/<key>/tests/*.yaml`): hook cases and request cases, run by
//! `elemental test` and by `cargo test`; web task cases (`tasks/tests/*.yaml`, `task`) and
//! cloud code cases (`cloud/tests/*.yaml`, `cloud`).
//!
//! A hook case runs one hook of the element with given variables (over the server's
//! defaults) and compares the `done()` result. A request case sends a request through the
//! whole pipeline against a local mock vendor that replays a recorded response, then compares
//! what the vendor received and what the caller got.

mod cloud;
mod request;
mod task;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use serde_json::{json, Map, Value};

use crate::element::located;
use crate::element::{Diagnostic, Element, Elements};
use crate::hooks::{self, Dispatcher, HookInput, Kind, Limits, Options, Script};
pub use cloud::run_cloud;
use request::request_case;
pub use task::run_tasks;

/// One case's verdict.
#[derive(Debug)]
pub struct Verdict {
    pub element: String,
    pub file: String,
    pub name: String,
    /// None: passed; Some: what differed, ready to print.
    pub failure: Option<String>,
}

/// All verdicts, plus problems reading the case files.
#[derive(Debug, Default)]
pub struct Report {
    pub verdicts: Vec<Verdict>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.verdicts.iter().filter(|v| v.failure.is_none()).count()
    }
    pub fn failed(&self) -> usize {
        self.verdicts.len() - self.passed() + self.diagnostics.iter().filter(|d| !d.warning).count()
    }
    /// The human report: a line per case, a diff per failure, and `N passed, M failed` last.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&format!("{d}\n"));
        }
        for v in &self.verdicts {
            match &v.failure {
                None => out.push_str(&format!("ok   {} {}: {}\n", v.element, v.file, v.name)),
                Some(why) => out.push_str(&format!(
                    "FAIL {} {}: {}\n{}\n",
                    v.element,
                    v.file,
                    v.name,
                    indent(why)
                )),
            }
        }
        out.push_str(&format!(
            "{} passed, {} failed\n",
            self.passed(),
            self.failed()
        ));
        out
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("     {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Run every case of every element.
pub fn run_all(elements: &Elements) -> Report {
    let mut report = Report::default();
    let mut keys: Vec<&String> = elements.by_key.keys().collect();
    keys.sort();
    for key in keys {
        let Some(element) = elements.get(key) else {
            continue;
        };
        for file in yaml_files(&element.dir.join("tests")) {
            run_file(element, &file, &mut report);
        }
    }
    report
}

fn run_file(element: &Arc<Element>, file: &Path, report: &mut Report) {
    let shown = file.display().to_string();
    let fail_at = |report: &mut Report, line: usize, column: usize, message: String| {
        report
            .diagnostics
            .push(Diagnostic::error(&shown, line, column, message));
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => return fail_at(report, 1, 1, format!("cannot read: {e}")),
    };
    let doc = match located::parse(&text) {
        Ok(doc) => doc,
        Err(e) => return fail_at(report, e.pos.line, e.pos.column, e.message),
    };
    let Some(cases) = doc.value.get("cases").and_then(Value::as_array) else {
        return fail_at(report, 1, 1, "expected a top-level list \"cases\"".into());
    };
    for (i, case) in cases.iter().enumerate() {
        let pos = doc.nearest(&format!("/cases/{i}"));
        let name = case
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("case {}", i + 1));
        let result = if case.get("hook").is_some() {
            hook_case(element, case)
        } else if case.get("request").is_some() {
            request_case(element, case)
        } else {
            Err(CaseError::Invalid(
                "a case needs `hook` or `request`".into(),
            ))
        };
        match result {
            Ok(failure) => report.verdicts.push(Verdict {
                element: element.key.clone(),
                file: shown.clone(),
                name,
                failure,
            }),
            Err(CaseError::Invalid(message)) => {
                fail_at(report, pos.line, pos.column, format!("{name}: {message}"))
            }
        }
    }
}

/// A case that cannot be run as written (as opposed to one that ran and failed).
enum CaseError {
    Invalid(String),
}

/// The element's hook named as in error messages: `global preRequest`,
/// `resource postRequest GET /hubs/crm/contacts`.
fn find_hook<'e>(element: &'e Element, label: &str) -> Option<(&'e Script, Kind)> {
    let all = [
        (&element.hooks.pre_request, Kind::PreRequest),
        (&element.hooks.post_request, Kind::PostRequest),
        (&element.hooks.event, Kind::Event),
    ];
    let resources = element.resources.iter().flat_map(|r| {
        [
            (&r.hooks.pre_request, Kind::PreRequest),
            (&r.hooks.post_request, Kind::PostRequest),
            (&r.hooks.event, Kind::Event),
        ]
    });
    all.into_iter().chain(resources).find_map(|(slot, kind)| {
        slot.as_ref()
            .filter(|s| s.label == label)
            .map(|s| (s, kind))
    })
}

fn hook_case(element: &Element, case: &Value) -> Result<Option<String>, CaseError> {
    let label = case.get("hook").and_then(Value::as_str).unwrap_or_default();
    let Some((script, kind)) = find_hook(element, label) else {
        let mut labels: Vec<String> = Vec::new();
        for slot in [
            &element.hooks.pre_request,
            &element.hooks.post_request,
            &element.hooks.event,
        ] {
            labels.extend(slot.iter().map(|s| s.label.clone()));
        }
        for r in &element.resources {
            for slot in [&r.hooks.pre_request, &r.hooks.post_request, &r.hooks.event] {
                labels.extend(slot.iter().map(|s| s.label.clone()));
            }
        }
        return Err(CaseError::Invalid(format!(
            "no hook \"{label}\" in element {} (it has: {})",
            element.key,
            labels.join(", ")
        )));
    };
    let mut variables = hooks::contract::defaults(kind);
    match case.get("variables") {
        None | Some(Value::Null) => {}
        Some(Value::Object(given)) => variables.extend(given.clone()),
        Some(_) => return Err(CaseError::Invalid("`variables` must be a mapping".into())),
    }
    let options = Options {
        now: case.get("now").and_then(Value::as_f64),
        raw: true,
        ..Options::default()
    };
    let expect = case.get("expect").cloned().unwrap_or(Value::Null);
    let io = Dispatcher::mocked(mocked_http(case)?);
    let input = HookInput::Given(kind, &variables);
    let run = hooks::run_blocking(script, input, Limits::default(), &io, options);
    let mut actual = Map::new();
    match run.outcome {
        Ok(outcome) => {
            let raw = outcome.raw.unwrap_or(hooks::Raw {
                done: Value::Null,
                result: None,
            });
            actual.insert("called".into(), json!(outcome.called));
            actual.insert("done".into(), raw.done);
            actual.insert(
                "result".into(),
                raw.result.map(Value::Object).unwrap_or(Value::Null),
            );
            let console = run.console.iter().filter(|l| l.level != "notice");
            let console: Vec<&str> = console.map(|l| l.message.as_str()).collect();
            actual.insert("console".into(), json!(console));
            actual.insert("error".into(), Value::Null);
        }
        Err(error) => {
            actual.insert("error".into(), json!(error.to_string()));
        }
    }
    Ok(compare_expected(&expect, &Value::Object(actual)))
}

/// `http:` entries of a hook case: `{method?, url, status?, headers?, body?}`, answered
/// without the network (`url` may end with `*` to match a prefix).
fn mocked_http(case: &Value) -> Result<Vec<hooks::MockedResponse>, CaseError> {
    let Some(entries) = case.get("http") else {
        return Ok(Vec::new());
    };
    let Some(entries) = entries.as_array() else {
        return Err(CaseError::Invalid(
            "`http` must be a list of mocked responses".into(),
        ));
    };
    entries
        .iter()
        .map(|entry| {
            let url = entry
                .get("url")
                .and_then(Value::as_str)
                .ok_or_else(|| CaseError::Invalid("each `http` entry needs a `url`".into()))?;
            let body = body_bytes(entry.get("body"));
            let mut headers = header_pairs(entry.get("headers"));
            if matches!(entry.get("body"), Some(Value::Object(_) | Value::Array(_)))
                && !headers.iter().any(|(k, _)| k == "content-type")
            {
                headers.push(("content-type".into(), "application/json".into()));
            }
            Ok(hooks::MockedResponse {
                method: entry
                    .get("method")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                url: url.to_string(),
                response: crate::vendor::HookResponse {
                    status: entry
                        .get("status")
                        .and_then(Value::as_u64)
                        .and_then(|s| u16::try_from(s).ok())
                        .unwrap_or(200),
                    headers,
                    body,
                    url: url.trim_end_matches('*').to_string(),
                    redirected: false,
                },
            })
        })
        .collect()
}

/// A case's `body`: text as written, anything else as JSON, absent as empty.
fn body_bytes(body: Option<&Value>) -> Bytes {
    match body {
        None | Some(Value::Null) => Bytes::new(),
        Some(Value::String(text)) => Bytes::from(text.clone()),
        Some(other) => Bytes::from(other.to_string()),
    }
}

/// A case's `headers` mapping as lower-case name/value pairs.
fn header_pairs(headers: Option<&Value>) -> Vec<(String, String)> {
    headers
        .and_then(Value::as_object)
        .map(|h| {
            h.iter()
                .map(|(k, v)| {
                    (
                        k.to_ascii_lowercase(),
                        crate::element::template::value_text(v),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Compare only the keys the case expects. `error` matches by substring.
fn compare_expected(expect: &Value, actual: &Value) -> Option<String> {
    let Some(expected) = expect.as_object() else {
        return Some("the case has no `expect` mapping".into());
    };
    let mut problems = Vec::new();
    for (key, want) in expected {
        let got = actual.get(key).cloned().unwrap_or(Value::Null);
        let same = match (key.as_str(), want, &got) {
            ("error", Value::String(w), Value::String(g)) => g.contains(w.as_str()),
            ("headers", Value::Object(_), _) => subset(want, &got),
            _ => want == &got,
        };
        if !same {
            problems.push(format!("{key}:\n{}", diff(want, &got)));
        }
    }
    (!problems.is_empty()).then(|| problems.join("\n"))
}

/// Header maps: every expected header present with its value (names case-insensitive).
fn subset(want: &Value, got: &Value) -> bool {
    let (Some(want), Some(got)) = (want.as_object(), got.as_object()) else {
        return false;
    };
    want.iter().all(|(k, v)| {
        got.iter()
            .any(|(gk, gv)| gk.eq_ignore_ascii_case(k) && gv == v)
    })
}

/// A line diff of two pretty-printed values: `-` expected, `+` actual.
pub fn diff(expected: &Value, actual: &Value) -> String {
    let a: Vec<String> = serde_json::to_string_pretty(expected)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    let b: Vec<String> = serde_json::to_string_pretty(actual)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    // Longest common subsequence on lines; values in cases are small.
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(format!("  {}", a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || table[i + 1][j] >= table[i][j + 1]) {
            out.push(format!("- {}", a[i]));
            i += 1;
        } else {
            out.push(format!("+ {}", b[j]));
            j += 1;
        }
    }
    out.join("\n")
}

/// The YAML files of a `tests` folder, in name order (none when it does not exist).
fn yaml_files(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    files
}
