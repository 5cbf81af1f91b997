//! Reading `instances.yaml`: each instance's id, element, token, configuration and limits,
//! every problem reported with file:line:column.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::normalize;
use crate::admission::Fairness;
use crate::element::checks;
use crate::element::fairness;
use crate::element::located::{self, Located};
use crate::element::template::interpolate_env;
use crate::element::{Diagnostic, Element, Elements};
use crate::store::InstanceRecord;

/// Read the instances file. A missing file is no instances (with a warning).
pub fn read_file(path: &Path, elements: &Elements) -> (Vec<InstanceRecord>, Vec<Diagnostic>) {
    let file = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let message = "no instances file: no instance can be called";
            return (Vec::new(), vec![Diagnostic::warning(&file, 1, 1, message)]);
        }
        Err(e) => {
            let message = format!("cannot read: {e}");
            return (Vec::new(), vec![Diagnostic::error(&file, 1, 1, message)]);
        }
    };
    // An empty file (or /dev/null) lists no instances: the same as `instances: []`, not a
    // broken element file.
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        let message = "the instances file lists no instances: no instance can be called";
        return (Vec::new(), vec![Diagnostic::warning(&file, 1, 1, message)]);
    }
    let doc = match located::parse(&text) {
        Ok(doc) => doc,
        Err(e) => return (Vec::new(), vec![e.into_diagnostic(&file)]),
    };
    let mut report = Report {
        file: &file,
        doc: &doc,
        diagnostics: Vec::new(),
    };
    let Some(list) = doc.value.get("instances").and_then(Value::as_array) else {
        report.error("", "expected a top-level list \"instances\"".into());
        return (Vec::new(), report.diagnostics);
    };
    let mut taken = Taken::default();
    let records = list
        .iter()
        .enumerate()
        .filter_map(|(i, item)| read_record(&mut report, &mut taken, elements, i, item))
        .collect();
    (records, report.diagnostics)
}

/// Ids and tokens already given to an instance of the file, with that instance's index.
#[derive(Default)]
struct Taken {
    ids: HashMap<i64, usize>,
    tokens: HashMap<String, usize>,
}

/// The `i`th instance of the file; `None` (with the reason reported) if it cannot be served.
fn read_record(
    report: &mut Report,
    taken: &mut Taken,
    elements: &Elements,
    i: usize,
    item: &Value,
) -> Option<InstanceRecord> {
    let at = format!("/instances/{i}");
    let field = |key: &str| item.get(key).filter(|v| !v.is_null());
    let Some(id) = field("id").and_then(Value::as_i64) else {
        report.error(&at, "missing or non-integer \"id\"".into());
        return None;
    };
    let Some(element_key) = field("element").and_then(Value::as_str) else {
        report.error(&at, "missing \"element\" (the element's key)".into());
        return None;
    };
    let element = read_element(report, &at, elements, element_key)?;
    let token = read_token(report, &at, field("token"))?;
    if let Some(previous) = taken.ids.insert(id, i) {
        report.error(
            &format!("{at}/id"),
            format!(
                "instance id {id} is already used by instance #{}",
                previous + 1
            ),
        );
        return None;
    }
    if taken.tokens.insert(token.clone(), i).is_some() {
        report.error(
            &format!("{at}/token"),
            "this token is already used by another instance".into(),
        );
        return None;
    }
    let configuration = read_configuration(report, &at, element, field("configuration"))?;
    let configuration = normalize(element, configuration);
    check_required(report, &at, element, &configuration);
    let limits = read_limits(report, &at, field("limits"))?;
    let name = field("name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("{element_key}-{id}"));
    Some(InstanceRecord {
        id,
        name,
        element: element.key.clone(),
        token,
        configuration,
        limits,
        ..InstanceRecord::default()
    })
}

/// The instance's own `limits:` (`concurrency`, `queue`, `rate`, over its element's);
/// `None` when it is not a mapping or a value is wrong.
fn read_limits(report: &mut Report, at: &str, given: Option<&Value>) -> Option<Fairness> {
    let at = format!("{at}/limits");
    let map = match given {
        None => return Some(Fairness::default()),
        Some(Value::Object(map)) => map,
        Some(_) => {
            report.error(&at, "\"limits\" must be a mapping".into());
            return None;
        }
    };
    for key in map.keys().filter(|k| !fairness::KEYS.contains(&k.as_str())) {
        let message = format!(
            "unknown key \"{key}\" in an instance's limits (an instance sets concurrency, queue and rate; hook limits are the element's)"
        );
        report.warn(&located::child(&at, key), message);
    }
    let (limits, problems) = fairness::read(map);
    let mut failed = false;
    for problem in problems {
        let pointer = format!("{at}{}", problem.at);
        if problem.warning {
            report.warn(&pointer, problem.message);
        } else {
            failed = true;
            report.error(&pointer, problem.message);
        }
    }
    (!failed).then_some(limits)
}

/// The instance's element. One that did not load skips the instance with a warning: its
/// file's errors are the cause, already reported.
fn read_element<'e>(
    report: &mut Report,
    at: &str,
    elements: &'e Elements,
    key: &str,
) -> Option<&'e Arc<Element>> {
    if let Some(element) = elements.get(key) {
        return Some(element);
    }
    let at = format!("{at}/element");
    match elements.failed.get(key) {
        Some(file) => report.warn(
            &at,
            format!("instance skipped: element \"{key}\" did not load (see {file})"),
        ),
        None => report.error(&at, format!("unknown element \"{key}\"")),
    }
    None
}

/// The instance's token, with `${env:NAME}` filled in.
fn read_token(report: &mut Report, at: &str, given: Option<&Value>) -> Option<String> {
    match given.and_then(Value::as_str).map(interpolate_env) {
        Some(Ok(token)) if !token.is_empty() => Some(token),
        Some(Err(e)) => {
            report.error(&format!("{at}/token"), format!("token: {e}"));
            None
        }
        _ => {
            report.error(
                at,
                "missing \"token\" (callers send it as Authorization: Element <token>)".into(),
            );
            None
        }
    }
}

/// Required fields of the element that neither the instance nor a default fills.
fn check_required(
    report: &mut Report,
    at: &str,
    element: &Element,
    configuration: &Map<String, Value>,
) {
    for field in element.configuration.iter().filter(|f| f.required) {
        if !configuration.contains_key(&field.key) && field.default.is_none() {
            report.error(
                &format!("{at}/configuration"),
                format!(
                    "missing required configuration \"{}\" of element {}",
                    field.key, element.key
                ),
            );
        }
    }
}

/// Diagnostics of the instances file, each placed at the node a JSON pointer names.
struct Report<'a> {
    file: &'a str,
    doc: &'a Located,
    diagnostics: Vec<Diagnostic>,
}

impl Report<'_> {
    fn error(&mut self, pointer: &str, message: String) {
        let diagnostic = self.doc.error_at(self.file, pointer, message);
        self.diagnostics.push(diagnostic);
    }

    fn warn(&mut self, pointer: &str, message: String) {
        let diagnostic = self.doc.warning_at(self.file, pointer, message);
        self.diagnostics.push(diagnostic);
    }
}

/// The instance's `configuration:` with `${env:NAME}` filled in (a key whose variable is
/// missing is left out); `None` when it is not a mapping.
fn read_configuration(
    report: &mut Report,
    at: &str,
    element: &Element,
    given: Option<&Value>,
) -> Option<Map<String, Value>> {
    let mut configuration = Map::new();
    let values = match given {
        None => return Some(configuration),
        Some(Value::Object(values)) => values,
        Some(_) => {
            report.error(
                &format!("{at}/configuration"),
                "\"configuration\" must be a mapping".into(),
            );
            return None;
        }
    };
    for (key, value) in values {
        let pointer = located::child(&format!("{at}/configuration"), key);
        if let Some(message) = checks::instance_key(key, element) {
            report.warn(&pointer, message);
        }
        let value = match value {
            Value::String(s) => match interpolate_env(s) {
                Ok(s) => Value::String(s),
                Err(e) => {
                    report.error(&pointer, format!("configuration {key}: {e}"));
                    continue;
                }
            },
            other => other.clone(),
        };
        configuration.insert(key.clone(), value);
    }
    Some(configuration)
}
