//! The fair-share keys of a `limits:` mapping (`concurrency`, `queue`, `rate`), read the same way for an element and for an instance.

use serde_json::{Map, Value};

use crate::admission::{Fairness, Rate};

/// The fair-share keys `limits:` may hold.
pub const KEYS: &[&str] = &["concurrency", "queue", "rate"];

/// Bounds of the settings: generous, but a typo of a few zeros is an error rather than
/// no limit at all.
const MAX_CONCURRENCY: u64 = 10_000;
const MAX_QUEUE: u64 = 1_000_000;
const MAX_PER_SECOND: f64 = 1_000_000.0;
const MAX_BURST: u64 = 1_000_000;

/// Something wrong with one key: `at` is its JSON pointer below the `limits:` mapping
/// (`/rate/perSecond`).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub at: String,
    pub message: String,
    pub warning: bool,
}

/// The fair-share settings of `limits`, and what is wrong with them. Other keys are the
/// caller's to check.
pub fn read(limits: &Map<String, Value>) -> (Fairness, Vec<Problem>) {
    let mut problems = Vec::new();
    let whole = |key: &str, min: u64, max: u64, problems: &mut Vec<Problem>| {
        let value = limits.get(key)?;
        match value.as_u64().filter(|v| (min..=max).contains(v)) {
            Some(v) => usize::try_from(v).ok(),
            None => {
                problems.push(error(
                    &format!("/{key}"),
                    format!("limits.{key} must be a whole number from {min} to {max}"),
                ));
                None
            }
        }
    };
    let concurrency = whole("concurrency", 1, MAX_CONCURRENCY, &mut problems);
    let queue = whole("queue", 0, MAX_QUEUE, &mut problems);
    let rate = limits.get("rate").and_then(|r| rate(r, &mut problems));
    let fairness = Fairness {
        concurrency,
        queue,
        rate,
    };
    (fairness, problems)
}

/// `rate: {perSecond, burst}`; burst defaults to perSecond rounded up.
fn rate(value: &Value, problems: &mut Vec<Problem>) -> Option<Rate> {
    let Value::Object(map) = value else {
        problems.push(error(
            "/rate",
            "limits.rate must be a mapping: {perSecond, burst}".into(),
        ));
        return None;
    };
    for key in map
        .keys()
        .filter(|k| !["perSecond", "burst"].contains(&k.as_str()))
    {
        problems.push(Problem {
            at: format!("/rate/{key}"),
            message: format!("unknown key \"{key}\" in limits.rate (perSecond, burst)"),
            warning: true,
        });
    }
    let per_second = match map.get("perSecond").map(Value::as_f64) {
        Some(Some(v)) if v > 0.0 && v <= MAX_PER_SECOND => v,
        Some(_) => {
            let message = format!("limits.rate.perSecond must be a number above 0 and at most {MAX_PER_SECOND} (0.5 is one request every two seconds)");
            problems.push(error("/rate/perSecond", message));
            return None;
        }
        None => {
            let message = "limits.rate needs perSecond (requests per second)".into();
            problems.push(error("/rate", message));
            return None;
        }
    };
    let burst = match map.get("burst") {
        None => per_second.ceil() as u32,
        Some(v) => match v.as_u64().filter(|b| (1..=MAX_BURST).contains(b)) {
            Some(b) => b as u32,
            None => {
                let message =
                    format!("limits.rate.burst must be a whole number from 1 to {MAX_BURST}");
                problems.push(error("/rate/burst", message));
                return None;
            }
        },
    };
    Some(Rate {
        per_second,
        burst: burst.max(1),
    })
}

fn error(at: &str, message: String) -> Problem {
    Problem {
        at: at.to_string(),
        message,
        warning: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(value: Value) -> (Fairness, Vec<Problem>) {
        read(value.as_object().expect("a mapping"))
    }

    #[test]
    fn reads_every_key_and_defaults_the_burst() {
        let (fairness, problems) =
            of(json!({"concurrency": 2, "queue": 0, "rate": {"perSecond": 0.5}}));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(fairness.concurrency, Some(2));
        assert_eq!(fairness.queue, Some(0));
        assert_eq!(
            fairness.rate,
            Some(Rate {
                per_second: 0.5,
                burst: 1
            })
        );
    }

    #[test]
    fn bad_values_are_errors_at_their_key() {
        let (_, problems) = of(
            json!({"concurrency": 0, "queue": -1, "rate": {"perSecond": 2, "burst": 1.5, "brust": 1}}),
        );
        let at: Vec<(&str, bool)> = problems
            .iter()
            .map(|p| (p.at.as_str(), p.warning))
            .collect();
        assert_eq!(
            at,
            [
                ("/concurrency", false),
                ("/queue", false),
                ("/rate/brust", true),
                ("/rate/burst", false)
            ]
        );
        let (_, problems) = of(json!({"rate": {"perSecond": 0}}));
        assert_eq!(problems[0].at, "/rate/perSecond");
    }
}
