//! `rootKey` paths: the part of a vendor body a resource's records are in.
//!
//! The exports write dotted names (`d.results`, prefixed XML names such as
//! `soap:Envelope.soap:Body`), array indexes (`events[0].data`, `|[0]`) and `[*]` for every
//! item (`items[*]`, `.workers[*]`, `playlists.items[*]`): a path after `[*]` applies to each
//! item, giving an array. A leading `.` and empty segments are ignored.

use serde_json::Value;

/// One step of a path: a field name or an array step.
#[derive(Debug, PartialEq)]
enum Step<'p> {
    Field(&'p str),
    Index(usize),
    Each,
}

/// The steps of a path, `None` when a bracket is not `[n]` or `[*]`.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let (name, mut brackets) = match segment.find('[') {
            Some(at) => segment.split_at(at),
            None => (segment, ""),
        };
        if !name.is_empty() {
            steps.push(Step::Field(name));
        }
        while let Some(rest) = brackets.strip_prefix('[') {
            let close = rest.find(']')?;
            steps.push(match &rest[..close] {
                "*" => Step::Each,
                index => Step::Index(index.parse().ok()?),
            });
            brackets = &rest[close + 1..];
        }
        if !brackets.is_empty() {
            return None;
        }
    }
    Some(steps)
}

/// Whether the path is one `select` understands (for checks to warn about the others).
pub fn is_supported(path: &str) -> bool {
    steps(path.rsplit('|').next().unwrap_or(path)).is_some()
}

/// The part of `body` the path names; `null` when it names nothing. A path with a bracket
/// that is not `[n]` or `[*]` is read as one field name, as before brackets were known.
pub fn select(body: &Value, path: &str) -> Value {
    match steps(path) {
        Some(steps) => walk(body, &steps),
        None => body.get(path).cloned().unwrap_or(Value::Null),
    }
}

fn walk(value: &Value, steps: &[Step<'_>]) -> Value {
    let Some((step, rest)) = steps.split_first() else {
        return value.clone();
    };
    match step {
        Step::Field(name) => value.get(*name).map_or(Value::Null, |v| walk(v, rest)),
        Step::Index(index) => value.get(*index).map_or(Value::Null, |v| walk(v, rest)),
        Step::Each => match value {
            Value::Array(items) => {
                Value::Array(items.iter().map(|item| walk(item, rest)).collect())
            }
            _ => Value::Null,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_form_the_exports_use() {
        let body = json!({
            "soap:Envelope": {"soap:Body": {"AddResponse": {"AddResult": "3"}}},
            "items": [{"id": 1}, {"id": 2}],
            "playlists": {"items": [{"id": "p"}]},
            "workers": [{"name": "a"}, {"name": "b"}],
            "events": [{"data": {"output": {"worker": "w"}}}],
            "d": {"results": [1]}
        });
        assert_eq!(
            select(&body, "soap:Envelope.soap:Body"),
            json!({"AddResponse": {"AddResult": "3"}})
        );
        assert_eq!(select(&body, "items[*]"), json!([{"id": 1}, {"id": 2}]));
        assert_eq!(
            select(&body, ".workers[*]"),
            json!([{"name": "a"}, {"name": "b"}])
        );
        assert_eq!(select(&body, "playlists.items[*]"), json!([{"id": "p"}]));
        assert_eq!(select(&body, "events[0].data.output.worker"), json!("w"));
        assert_eq!(select(&body, "workers[*].name"), json!(["a", "b"]));
        assert_eq!(select(&body, "d.results"), json!([1]));
        assert_eq!(select(&body, ""), body);
        assert_eq!(select(&json!([{"a": 1}]), "[0]"), json!({"a": 1}));
        assert_eq!(select(&body, "missing.path"), Value::Null);
        assert_eq!(select(&body, "items[9]"), Value::Null);
    }

    #[test]
    fn odd_brackets_are_a_field_name() {
        assert!(!is_supported("a[x]"));
        assert!(is_supported("|soapenv:Envelope.soapenv:Body"));
        assert_eq!(select(&json!({"a[x]": 1}), "a[x]"), json!(1));
    }
}
