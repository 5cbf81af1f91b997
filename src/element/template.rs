//! `${...}` templates: configuration values in parameters, `CE.b64(...)`, `${env:NAME}`, path variables.

use std::ops::Range;

use base64::Engine as _;
use serde_json::{Map, Value};

/// A template refers to something that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("environment variable {0} is not set")]
    MissingEnv(String),
    #[error("unterminated '${{' at character {0}")]
    Unterminated(usize),
}

/// The text of a configuration value as a parameter or header carries it.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Replace every `${configuration.<key>}` (and the Cloud Elements shorthand `${<key>}`) with
/// the instance's value, then apply `CE.b64(...)` to what it encloses.
///
/// A missing key becomes the empty string, as in Cloud Elements: a parameter built from an
/// optional configuration value must not fail the request.
pub fn interpolate_configuration(template: &str, configuration: &Map<String, Value>) -> String {
    let replaced = replace_placeholders(template, |name| {
        Some(
            configuration
                .get(configuration_key(name))
                .map(value_text)
                .unwrap_or_default(),
        )
    });
    apply_b64(&replaced)
}

/// Every placeholder `interpolate_configuration` would fill, as written (`${configuration.x}`)
/// with the configuration key it reads (`x`), so loading can check that the key exists.
pub fn configuration_references(template: &str) -> Vec<(&str, &str)> {
    placeholders(template)
        .map(|(range, name)| (&template[range], configuration_key(name)))
        .collect()
}

fn configuration_key(name: &str) -> &str {
    name.strip_prefix("configuration.").unwrap_or(name)
}

/// Replace `${env:NAME}` with the process environment's value; any other `${...}` stays.
pub fn interpolate_env(template: &str) -> Result<String, TemplateError> {
    if let Some(start) = unterminated(template) {
        return Err(TemplateError::Unterminated(start));
    }
    let mut missing = None;
    let text = replace_placeholders(template, |name| {
        let var = name.strip_prefix("env:")?;
        match std::env::var(var) {
            Ok(value) => Some(value),
            Err(_) => {
                missing.get_or_insert_with(|| var.to_string());
                Some(String::new())
            }
        }
    });
    match missing {
        Some(var) => Err(TemplateError::MissingEnv(var)),
        None => Ok(text),
    }
}

/// Poller templates, from the time of the last poll (`since`, ms since the epoch):
/// `${gmtDate:FMT}` and `${date:FMT}` (UTC; FMT is a Java date pattern),
/// `${dateTimeZone:ZONE:FMT}` (at a UTC offset like `+05:30`), `${epoch}` (ms),
/// `${epoch:s}`, `${epoch:us}`. Other `${...}` stay as written.
pub fn interpolate_poll_time(template: &str, since: i64) -> String {
    replace_placeholders(template, |name| {
        let (kind, rest) = name.split_once(':').unwrap_or((name, ""));
        match kind {
            "gmtDate" | "date" => Some(crate::clock::format(since, 0, rest)),
            "dateTimeZone" => {
                // The zone may itself contain a colon (`-08:00`).
                let split = match rest.get(..6) {
                    Some(z)
                        if rest.get(6..7) == Some(":")
                            && crate::clock::offset_minutes(z).is_some() =>
                    {
                        Some((z, &rest[7..]))
                    }
                    _ => rest.split_once(':'),
                };
                let (zone, pattern) = split?;
                Some(crate::clock::format(
                    since,
                    crate::clock::offset_minutes(zone)?,
                    pattern,
                ))
            }
            "epoch" => Some(match rest {
                "s" => (since / 1000).to_string(),
                "us" => (since * 1000).to_string(),
                _ => since.to_string(),
            }),
            _ => None,
        }
    })
}

/// Substitute path variables written `{id}` or `{:id}`; unknown names are left as written.
pub fn substitute_path(path: &str, variables: &Map<String, Value>) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = rest[open + 1..open + close].trim_start_matches(':');
        out.push_str(&rest[..open]);
        match variables.get(name) {
            Some(value) => out.push_str(&encode_segment(&value_text(value))),
            None => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// Percent-encode what may not stand in one path segment.
fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'@'
            | b':'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'=' => out.push(char::from(byte)),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn replace_placeholders(template: &str, mut lookup: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut copied = 0;
    for (range, name) in placeholders(template) {
        out.push_str(&template[copied..range.start]);
        match lookup(name) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&template[range.clone()]),
        }
        copied = range.end;
    }
    out.push_str(&template[copied..]);
    out
}

/// Each `${...}` up to the first unterminated one: its byte range and its trimmed name.
fn placeholders(template: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + template[from..].find("${")?;
        let end = start + template[start..].find('}')? + 1;
        from = end;
        Some((start..end, template[start + 2..end - 1].trim()))
    })
}

fn unterminated(template: &str) -> Option<usize> {
    let mut rest = template;
    let mut offset = 0;
    while let Some(start) = rest.find("${") {
        match rest[start..].find('}') {
            Some(len) => {
                offset += start + len + 1;
                rest = &rest[start + len + 1..];
            }
            None => return Some(template[..offset + start].chars().count() + 1),
        }
    }
    None
}

/// Replace each `CE.b64(<text>)` with the base64 of `<text>` (balanced parentheses).
fn apply_b64(text: &str) -> String {
    apply_b64_within(text, 0)
}

/// `CE.b64` nested deeper than this is left as written: each level grows the text by a third
/// (deep nesting blew up memory and the stack — hostile inputs through the fuzz target, fuzz/artifacts/templates).
const MAX_B64_NESTING: usize = 8;

fn apply_b64_within(text: &str, level: usize) -> String {
    const CALL: &str = "CE.b64(";
    if level >= MAX_B64_NESTING {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(CALL) {
        let inner_start = start + CALL.len();
        let mut depth = 1usize;
        let mut end = None;
        for (i, c) in rest[inner_start..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(inner_start + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else { break };
        out.push_str(&rest[..start]);
        let inner = apply_b64_within(&rest[inner_start..end], level + 1);
        out.push_str(&base64::engine::general_purpose::STANDARD.encode(inner.as_bytes()));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config() -> Map<String, Value> {
        json!({"username": "acme", "password": "s3cret", "api.key": "k-1", "flag": true})
            .as_object()
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn configuration_values_and_b64_are_interpolated() {
        let c = config();
        assert_eq!(
            interpolate_configuration("${configuration.api.key}", &c),
            "k-1"
        );
        assert_eq!(interpolate_configuration("Key ${api.key}", &c), "Key k-1");
        assert_eq!(
            interpolate_configuration(
                "Basic CE.b64(${configuration.username}:${configuration.password})",
                &c
            ),
            "Basic YWNtZTpzM2NyZXQ="
        );
        assert_eq!(
            interpolate_configuration("${configuration.flag}/${configuration.none}", &c),
            "true/"
        );
    }

    #[test]
    fn configuration_references_are_the_keys_interpolation_reads() {
        assert_eq!(
            configuration_references("Basic CE.b64(${configuration.user}:${ pass }) ${open"),
            [("${configuration.user}", "user"), ("${ pass }", "pass")]
        );
        assert_eq!(configuration_references("no placeholders"), []);
    }

    #[test]
    fn deeply_nested_b64_is_bounded() {
        // Reproducers from fuzzing: nesting used to grow the text exponentially and recurse
        // without bound.
        let deep = format!("{}x{}", "CE.b64(".repeat(20_000), ")".repeat(20_000));
        let out = interpolate_configuration(&deep, &Map::new());
        // At most (4/3)^8 ≈ 10 times the input, not (4/3)^20000.
        assert!(
            out.len() < deep.len() * 11,
            "bounded output: {} bytes",
            out.len()
        );
        assert_eq!(
            interpolate_configuration("CE.b64(CE.b64(a))", &Map::new()),
            "WVE9PQ=="
        );
    }

    #[test]
    fn env_references_resolve_or_name_the_missing_variable() {
        std::env::set_var("ELEMENTAL_TEMPLATE_TEST", "v");
        assert_eq!(
            interpolate_env("a-${env:ELEMENTAL_TEMPLATE_TEST}-${x}").as_deref(),
            Ok("a-v-${x}")
        );
        assert_eq!(
            interpolate_env("${env:ELEMENTAL_SURELY_UNSET_VAR}"),
            Err(TemplateError::MissingEnv(
                "ELEMENTAL_SURELY_UNSET_VAR".into()
            ))
        );
        assert_eq!(
            interpolate_env("ab${env:X"),
            Err(TemplateError::Unterminated(3))
        );
    }

    #[test]
    fn poll_templates_format_the_last_poll_time() {
        let since = 1_700_000_000_123;
        assert_eq!(
            interpolate_poll_time("where=updated>'${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}' and ${epoch:s} ${epoch} ${dateTimeZone:-08:00:HH:mm} ${other}", since),
            "where=updated>'2023-11-14T22:13:20Z' and 1700000000 1700000000123 14:13 ${other}"
        );
    }

    #[test]
    fn path_variables_accept_both_spellings_and_are_encoded() {
        let vars = json!({"id": "a b/c", "n": 7})
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            substitute_path("/contacts/{id}/x/{:n}/{other}", &vars),
            "/contacts/a%20b%2Fc/x/7/{other}"
        );
    }
}
