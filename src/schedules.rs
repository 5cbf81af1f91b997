//! Schedules of background jobs: the schedules file (`--schedules`, a YAML list) read with
//! every problem a diagnostic at file:line:column, a schedule's `repeat` (an interval or a
//! cron expression) and when it fires next.

use std::path::Path;
use std::str::FromStr as _;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::element::located;
use crate::element::Diagnostic;
use crate::store::ScheduleRecord;

/// The shortest interval a schedule may repeat at.
const MIN_EVERY_MS: i64 = 1000;

/// How a schedule repeats.
#[derive(Debug, Clone)]
pub enum Repeat {
    /// `{every: "15m"}`: this many milliseconds apart, from its start.
    Every(i64),
    /// `{cron: "0 */5 * * * *"}` (seconds optional), in UTC.
    Cron(Box<croner::Cron>),
}

/// Why a schedule's declaration is refused.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

/// Read a schedule's `repeat`.
pub fn repeat(value: &Value) -> Result<Repeat, Invalid> {
    let bad = |m: String| Invalid(m);
    match (value.get("every"), value.get("cron")) {
        (Some(every), None) => {
            let text = every
                .as_str()
                .ok_or_else(|| bad("repeat.every is a duration such as \"15m\"".into()))?;
            let ms = duration_ms(text).ok_or_else(|| {
                bad(format!(
                    "repeat.every: {text:?} is not a duration (500ms, 30s, 15m, 2h, 1d)"
                ))
            })?;
            if ms < MIN_EVERY_MS {
                return Err(bad(format!("repeat.every: at least {MIN_EVERY_MS} ms")));
            }
            Ok(Repeat::Every(ms))
        }
        (None, Some(cron)) => {
            let text = cron
                .as_str()
                .ok_or_else(|| bad("repeat.cron is a cron expression".into()))?;
            let parsed = croner::Cron::from_str(text)
                .map_err(|e| bad(format!("repeat.cron: {text:?}: {e}")))?;
            Ok(Repeat::Cron(Box::new(parsed)))
        }
        _ => Err(bad(
            "repeat is {every: \"15m\"} or {cron: \"0 */5 * * * *\"}".into(),
        )),
    }
}

/// `500ms`, `30s`, `15m`, `2h`, `1d` in milliseconds.
pub fn duration_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    let n: i64 = number.parse().ok()?;
    let unit_ms = match unit.trim() {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(unit_ms)
}

/// When a schedule repeating by `repeat` from `start` fires first after `after` (ms since the
/// epoch); `None` when it never does again.
pub fn next_after(repeat: &Repeat, start: Option<i64>, after: i64) -> Option<i64> {
    match repeat {
        Repeat::Every(every) => {
            let anchor = start.unwrap_or(after);
            if after < anchor {
                return Some(anchor);
            }
            let steps = (after - anchor) / every + 1;
            anchor.checked_add(steps.checked_mul(*every)?)
        }
        Repeat::Cron(cron) => {
            let from = start.map_or(after, |s| after.max(s - 1));
            let at = DateTime::<Utc>::from_timestamp_millis(from)?;
            cron.find_next_occurrence(&at, false)
                .ok()
                .map(|next| next.timestamp_millis())
        }
    }
}

/// Check a schedule declared through the admin API or the file: its name, job and repeat.
pub fn check(record: &ScheduleRecord) -> Result<Repeat, Invalid> {
    if !crate::tasks::valid_name(&record.name) {
        return Err(Invalid(format!(
            "a schedule's name is letters, digits, - and _ (at most 63), not {:?}",
            record.name
        )));
    }
    if record.job.is_empty() {
        return Err(Invalid("a schedule names its job".into()));
    }
    repeat(&record.repeat)
}

/// A schedule from its JSON declaration: name, job, description, params, start (RFC 3339),
/// repeat.
pub fn from_json(value: &Value, origin: &str) -> Result<ScheduleRecord, Invalid> {
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let start = match value.get("start") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(
            crate::clock::parse(s)
                .ok_or_else(|| Invalid(format!("start: {s:?} is not an RFC 3339 time")))?,
        ),
        Some(_) => return Err(Invalid("start is an RFC 3339 time".into())),
    };
    let params = match value.get("params") {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(Value::Object(map)) => Value::Object(map.clone()),
        Some(_) => return Err(Invalid("params is an object".into())),
    };
    let record = ScheduleRecord {
        name: text("name"),
        job: text("job"),
        description: text("description"),
        params,
        start,
        repeat: value.get("repeat").cloned().unwrap_or(Value::Null),
        next_run: None,
        last_run: None,
        last_run_id: None,
        skipped: 0,
        origin: origin.to_string(),
    };
    check(&record)?;
    Ok(record)
}

/// Read the schedules file: a YAML list of schedules (or `schedules:` holding one). A
/// missing file is none, unless it was named (`explicit`).
pub fn load_file(path: &Path, explicit: bool) -> (Vec<ScheduleRecord>, Vec<Diagnostic>) {
    let file = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            return (Vec::new(), Vec::new())
        }
        Err(e) => {
            let message = format!("cannot read the schedules file: {e}");
            return (Vec::new(), vec![Diagnostic::error(&file, 1, 1, message)]);
        }
    };
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return (Vec::new(), Vec::new());
    }
    let doc = match located::parse(&text) {
        Ok(doc) => doc,
        Err(e) => return (Vec::new(), vec![e.into_diagnostic(&file)]),
    };
    let (list, base) = match &doc.value {
        Value::Array(list) => (list, String::new()),
        other => match other.get("schedules").and_then(Value::as_array) {
            Some(list) => (list, "/schedules".to_string()),
            None => {
                let message = "expected a list of schedules (name, job, repeat, ...)";
                return (Vec::new(), vec![doc.error_at(&file, "", message)]);
            }
        },
    };
    let mut found: Vec<ScheduleRecord> = Vec::new();
    let mut diagnostics = Vec::new();
    for (index, item) in list.iter().enumerate() {
        let at = format!("{base}/{index}");
        match from_json(item, "file") {
            Ok(record) if found.iter().any(|f| f.name == record.name) => {
                let message = format!("a second schedule named {:?}", record.name);
                diagnostics.push(doc.error_at(&file, &format!("{at}/name"), message));
            }
            Ok(record) => found.push(record),
            Err(Invalid(message)) => diagnostics.push(doc.error_at(&file, &at, message)),
        }
    }
    (found, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_step_from_their_start() {
        let every = Repeat::Every(1000);
        assert_eq!(next_after(&every, None, 5_000), Some(6_000));
        assert_eq!(next_after(&every, Some(10_000), 5_000), Some(10_000));
        assert_eq!(next_after(&every, Some(10_000), 10_000), Some(11_000));
        assert_eq!(next_after(&every, Some(10_000), 12_500), Some(13_000));
    }

    #[test]
    fn cron_expressions_fire_on_their_fields() {
        let cron = repeat(&serde_json::json!({"cron": "0 */5 * * * *"})).expect("cron");
        // 2026-01-01T00:01:00Z → 00:05:00Z.
        let at = 1_767_225_660_000;
        assert_eq!(next_after(&cron, None, at), Some(1_767_225_900_000));
        assert!(repeat(&serde_json::json!({"cron": "nope"})).is_err());
        assert!(repeat(&serde_json::json!({"every": "10x"})).is_err());
        assert_eq!(duration_ms("15m"), Some(900_000));
    }
}
