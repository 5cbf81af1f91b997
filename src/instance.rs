//! Instances: connected vendor accounts of an element, from `instances.yaml` and the store.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use serde_json::{Map, Value};

use crate::admission::Fairness;
use crate::element::checks;
use crate::element::fairness;
use crate::element::located::{self, Located};
use crate::element::template::{interpolate_env, value_text};
use crate::element::{Diagnostic, Element, Elements};
use crate::seal::Sealer;
use crate::store::{InstanceRecord, Store, StoreError};

/// One connected account. Its configuration is what hooks see and may write back.
#[derive(Debug)]
pub struct Instance {
    pub id: i64,
    pub name: String,
    pub element: Arc<Element>,
    pub token: String,
    /// The instance's own fair-share limits (`limits:`), over its element's.
    pub limits: Fairness,
    configuration: RwLock<Map<String, Value>>,
    /// Seals what this instance writes to the store.
    sealer: Arc<Sealer>,
    /// Why the instance cannot call its vendor (a token refresh failed), `None` while valid.
    invalid: RwLock<Option<String>>,
    /// Held while the instance's OAuth 2 token is refreshed: concurrent calls share one
    /// refresh (`pipeline::oauth`).
    pub refreshing: tokio::sync::Mutex<()>,
}

impl Instance {
    /// The fair-share settings in force: the instance's own over its element's (the
    /// server's defaults fill the rest where they are used).
    pub fn fairness(&self) -> Fairness {
        self.limits.over(self.element.fairness)
    }

    /// Why the instance is invalid (its vendor refused a refresh), `None` while it is valid.
    pub fn invalid_reason(&self) -> Option<String> {
        self.invalid
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Mark the instance invalid with the reason a caller and the instances API are told,
    /// or valid again (`None`).
    pub fn set_invalid(&self, reason: Option<String>) {
        *self.invalid.write().unwrap_or_else(|p| p.into_inner()) = reason;
    }

    /// An instance that is no connected account: `configuration` over the element's
    /// defaults, id 0, stored nowhere. The OAuth URL route runs the element's hooks with it
    /// before any account exists.
    pub fn unconnected(
        element: Arc<Element>,
        configuration: Map<String, Value>,
        sealer: Arc<Sealer>,
    ) -> Instance {
        let mut merged = defaults(&element);
        merged.extend(configuration);
        Instance {
            id: 0,
            name: format!("{}-unconnected", element.key),
            configuration: RwLock::new(normalize(&element, merged)),
            element,
            token: String::new(),
            limits: Fairness::default(),
            sealer,
            invalid: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// A snapshot of the effective configuration.
    pub fn configuration(&self) -> Map<String, Value> {
        match self.configuration.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Merge configuration written back by a hook (`null` removes a key), persist it, and
    /// make it what the next request sees. Persisted first: a change the store refused is
    /// not served. No lock is held while the store works.
    pub async fn write_configuration(
        &self,
        store: &dyn Store,
        changes: &Map<String, Value>,
    ) -> Result<(), StoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        let changes = normalize(&self.element, changes.clone());
        store
            .write_configuration(self.id, &seal(&self.sealer, &changes))
            .await?;
        let mut configuration = match self.configuration.write() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        apply(&mut configuration, &changes);
        Ok(())
    }
}

/// Every instance, by token and by id.
#[derive(Debug, Default)]
pub struct Instances {
    by_token: HashMap<String, Arc<Instance>>,
    by_id: HashMap<i64, Arc<Instance>>,
}

impl Instances {
    pub fn by_token(&self, token: &str) -> Option<&Arc<Instance>> {
        self.by_token.get(token)
    }
    pub fn by_id(&self, id: i64) -> Option<&Arc<Instance>> {
        self.by_id.get(&id)
    }
    pub fn all(&self) -> impl Iterator<Item = &Arc<Instance>> {
        self.by_id.values()
    }
    pub fn len(&self) -> usize {
        self.by_id.len()
    }
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// The element token from `Authorization: Element <token>` or the Cloud Elements form
/// `User <u>, Organization <o>, Element <token>`.
pub fn token_from_authorization(header: &str) -> Option<&str> {
    header.split(',').find_map(|part| {
        let part = part.trim();
        let (scheme, rest) = part.split_once(char::is_whitespace)?;
        scheme
            .eq_ignore_ascii_case("Element")
            .then(|| rest.trim())
            .filter(|t| !t.is_empty())
    })
}

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

/// Build the served instances: the file's records, recorded in the store, with the
/// configuration hooks wrote back laid over them.
pub async fn build(
    records: Vec<InstanceRecord>,
    elements: &Elements,
    store: &dyn Store,
    sealer: &Arc<Sealer>,
) -> Result<Instances, StoreError> {
    let sealed: Vec<InstanceRecord> = records
        .iter()
        .map(|record| InstanceRecord {
            token: value_text(&sealer.seal(&Value::String(record.token.clone()))),
            configuration: seal(sealer, &record.configuration),
            ..record.clone()
        })
        .collect();
    store.save_instances(&sealed).await?;
    let mut instances = Instances::default();
    for record in records {
        let Some(element) = elements.get(&record.element) else {
            continue;
        };
        let mut configuration = defaults(element);
        configuration.extend(record.configuration);
        let mut configuration = normalize(element, configuration);
        let writes = store.configuration_writes(record.id).await?;
        apply(&mut configuration, &open(sealer, record.id, writes)?);
        let instance = Arc::new(Instance {
            id: record.id,
            name: record.name,
            element: element.clone(),
            token: record.token,
            limits: record.limits,
            configuration: RwLock::new(configuration),
            sealer: sealer.clone(),
            invalid: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        });
        instances
            .by_token
            .insert(instance.token.clone(), instance.clone());
        instances.by_id.insert(instance.id, instance);
    }
    Ok(instances)
}

/// The element's configuration defaults.
fn defaults(element: &Element) -> Map<String, Value> {
    element
        .configuration
        .iter()
        .filter_map(|field| Some((field.key.clone(), field.default.clone()?)))
        .collect()
}

/// BOOLEAN fields reach hooks as booleans, other declared fields as strings (`configuration["x"] === false` must work).
fn normalize(element: &Element, configuration: Map<String, Value>) -> Map<String, Value> {
    configuration
        .into_iter()
        .map(|(key, value)| {
            let value = match (element.config_field(&key), value) {
                (_, Value::Null) => Value::Null,
                (Some(f), Value::String(s))
                    if f.is_boolean()
                        && (s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")) =>
                {
                    Value::Bool(s.eq_ignore_ascii_case("true"))
                }
                (Some(f), Value::Bool(b)) if !f.is_boolean() => Value::String(b.to_string()),
                (_, Value::Number(n)) => Value::String(n.to_string()),
                (_, other) => other,
            };
            (key, value)
        })
        .collect()
}

/// Every value sealed (a `null` removal stays `null`): the store never holds one in clear.
fn seal(sealer: &Sealer, configuration: &Map<String, Value>) -> Map<String, Value> {
    configuration
        .iter()
        .map(|(key, value)| (key.clone(), sealer.seal(value)))
        .collect()
}

/// Stored values opened; clear ones (a store from before sealing) as they are.
fn open(
    sealer: &Sealer,
    instance: i64,
    stored: Map<String, Value>,
) -> Result<Map<String, Value>, StoreError> {
    stored
        .into_iter()
        .map(|(key, value)| match sealer.open(&value) {
            Ok(value) => Ok((key, value)),
            Err(error) => Err(StoreError::Sealed {
                instance,
                key,
                error,
            }),
        })
        .collect()
}

/// Seal every clear value of the store and move values of the previous key to the current
/// one (a store from before sealing, a key rotation); how many values changed.
pub async fn reseal(store: &dyn Store, sealer: &Arc<Sealer>) -> Result<usize, StoreError> {
    let sealer = sealer.clone();
    let change: crate::store::Rewrite = Arc::new(move |value: &Value| match sealer.reseal(value) {
        Ok(crate::seal::Resealed::Kept) => Ok(None),
        Ok(crate::seal::Resealed::Changed(sealed)) => Ok(Some(sealed)),
        Err(error) => Err(error.to_string()),
    });
    store.rewrite_secrets(change).await
}

fn apply(configuration: &mut Map<String, Value>, changes: &Map<String, Value>) {
    for (key, value) in changes {
        if value.is_null() {
            configuration.remove(key);
        } else {
            configuration.insert(key.clone(), value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_come_from_both_authorization_forms() {
        assert_eq!(token_from_authorization("Element abc"), Some("abc"));
        assert_eq!(
            token_from_authorization("User u1, Organization o1, Element tok="),
            Some("tok=")
        );
        assert_eq!(token_from_authorization("Bearer abc"), None);
        assert_eq!(token_from_authorization("Element "), None);
    }
}
