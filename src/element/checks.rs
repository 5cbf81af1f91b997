//! Checks of the configuration keys and types that elements and instances name, with hints.

use super::diagnostic::{edit_distance, Diagnostic};
use super::located::Located;
use super::model::{ConfigField, Element};
use super::template::configuration_references;

/// Configuration keys every element has whether it declares them or not: those the engine
/// reads itself (authentication, `base.url`, events and polling) and the platform settings
/// Cloud Elements adds to its elements (OAuth, event notifications, paging, field filters),
/// which exports use without always declaring them.
pub const PLATFORM_KEYS: &[&str] = &[
    "base.url",
    "username",
    "password",
    "oauth.user.token",
    "oauth.user.refresh_token",
    "oauth.user.refresh_interval",
    "oauth.user.refresh_time",
    "oauth.api.key",
    "oauth.api.secret",
    "oauth.callback.url",
    "oauth.scope",
    "oauth.authorization.url",
    "oauth.token.url",
    "oauth.token.refresh_url",
    "oauth.token.revoke_url",
    "oauth.basic.header",
    "event.notification.enabled",
    "event.notification.callback.url",
    "event.notification.callback.headers",
    "event.notification.signature.key",
    "event.notification.instance.finder",
    "event.notification.subscription.id",
    "event.notification.webhook.secret",
    "event.notification.basic.username",
    "event.notification.basic.password",
    "event.vendor.type",
    "filter.response.nulls",
    "default.select.fields.map",
    "allow.select.fields",
    "authentication.time",
    "instance.variables",
    "synchronous.bulk.notification",
];

/// Families of platform keys (`event.poller.configuration`, `pagination.max`, ...).
const PLATFORM_PREFIXES: &[&str] = &["event.poller.", "pagination."];

/// Cloud Elements' configuration field types: the documented ones and those real exports use.
pub const CONFIG_TYPES: &[&str] = &[
    "TEXTFIELD_32",
    "TEXTFIELD_64",
    "TEXTFIELD_128",
    "TEXTFIELD_1000",
    "TEXTAREA",
    "PASSWORD",
    "BOOLEAN",
    "SELECTION",
    "CODE_EDITOR",
    "COMBO",
    "BOOLEAN_YESNO",
];

pub fn is_platform_key(key: &str) -> bool {
    PLATFORM_KEYS.contains(&key) || PLATFORM_PREFIXES.iter().any(|p| key.starts_with(p))
}

/// ` (did you mean <closest>?)` when a candidate is a typo away, else nothing.
fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    candidates
        .into_iter()
        .filter(|c| c.len() > 2)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| format!(" (did you mean {c}?)"))
        .unwrap_or_default()
}

/// The element's keys first, so a near-miss of a declared key is preferred on a tie.
fn known_keys(declared: &[ConfigField]) -> impl Iterator<Item = &str> {
    declared
        .iter()
        .map(|f| f.key.as_str())
        .chain(PLATFORM_KEYS.iter().copied())
}

/// The warning for a configuration `type` Cloud Elements does not have (matched as the
/// engine matches PASSWORD and BOOLEAN: ignoring case).
pub fn config_type(kind: &str) -> Option<String> {
    let upper = kind.to_ascii_uppercase();
    if CONFIG_TYPES.contains(&upper.as_str()) {
        return None;
    }
    let hint = match did_you_mean(&upper, CONFIG_TYPES.iter().copied()) {
        hint if !hint.is_empty() => hint,
        _ => format!(" (use {})", CONFIG_TYPES.join(", ")),
    };
    Some(format!("unknown configuration type \"{kind}\"{hint}"))
}

/// The warning for an instance configuration key the element neither declares nor gets from
/// the platform: nothing reads it, so it is probably misspelt.
pub fn instance_key(key: &str, element: &Element) -> Option<String> {
    if element.config_field(key).is_some() || is_platform_key(key) {
        return None;
    }
    let hint = did_you_mean(key, known_keys(&element.configuration));
    Some(format!(
        "unknown configuration key \"{key}\" for element {}{hint}",
        element.key
    ))
}

/// Warnings for the `${...}` of value parameters (element-wide and per resource) that read a
/// configuration key the element does not declare: unless an instance happens to set it,
/// the vendor gets an empty value.
pub fn template_keys(
    file: &str,
    text: &str,
    doc: &Located,
    declared: &[ConfigField],
) -> Vec<Diagnostic> {
    let resources = doc
        .value
        .get("resources")
        .and_then(|r| r.as_array())
        .map_or(0, Vec::len);
    let lists = std::iter::once(String::from("/parameters"))
        .chain((0..resources).map(|r| format!("/resources/{r}/parameters")));
    let mut diagnostics = Vec::new();
    for list in lists {
        let count = doc
            .value
            .pointer(&list)
            .and_then(|l| l.as_array())
            .map_or(0, Vec::len);
        for parameter in (0..count).map(|i| format!("{list}/{i}")) {
            let kind = doc.value.pointer(&format!("{parameter}/type"));
            if kind.and_then(|t| t.as_str()) != Some("value") {
                continue;
            }
            let at = format!("{parameter}/name");
            let Some(template) = doc.value.pointer(&at).and_then(|n| n.as_str()) else {
                continue;
            };
            let start = doc.value_pos(&at).unwrap_or_else(|| doc.nearest(&at));
            let mut column = start.column;
            for (written, key) in configuration_references(template) {
                if declared.iter().any(|f| f.key == key) || is_platform_key(key) {
                    continue;
                }
                let found = column_of(text, start.line, column, written);
                column = found.map_or(column, |c| c + written.chars().count());
                let hint = did_you_mean(key, known_keys(declared));
                diagnostics.push(Diagnostic::warning(
                    file,
                    start.line,
                    found.unwrap_or(start.column),
                    format!("unknown configuration key \"{key}\" in {written}: the element does not declare it{hint}"),
                ));
            }
        }
    }
    diagnostics
}

/// The column of `written` on `line` at or after `from`: where a placeholder of a one-line
/// scalar stands (escapes before it in a quoted string, or a block scalar's later lines,
/// leave it unfound, and the scalar's start is reported instead).
fn column_of(text: &str, line: usize, from: usize, written: &str) -> Option<usize> {
    let source = text.lines().nth(line.checked_sub(1)?)?;
    let offset = source
        .char_indices()
        .nth(from.checked_sub(1)?)
        .map(|(byte, _)| byte)?;
    let found = offset + source[offset..].find(written)?;
    Some(source[..found].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::element::located;

    fn field(key: &str) -> ConfigField {
        ConfigField {
            key: key.into(),
            name: key.into(),
            kind: "TEXTFIELD_128".into(),
            default: None,
            required: false,
            secret: false,
        }
    }

    #[test]
    fn types_of_real_exports_pass_and_near_misses_get_a_hint() {
        for kind in CONFIG_TYPES.iter().chain(&["password", "Boolean"]) {
            assert_eq!(config_type(kind), None, "{kind}");
        }
        assert_eq!(
            config_type("TEXTFIELD_100").as_deref(),
            Some("unknown configuration type \"TEXTFIELD_100\" (did you mean TEXTFIELD_1000?)")
        );
        assert_eq!(
            config_type("STRING").as_deref(),
            Some("unknown configuration type \"STRING\" (use TEXTFIELD_32, TEXTFIELD_64, TEXTFIELD_128, TEXTFIELD_1000, TEXTAREA, PASSWORD, BOOLEAN, SELECTION, CODE_EDITOR, COMBO, BOOLEAN_YESNO)")
        );
    }

    #[test]
    fn platform_keys_are_known_without_a_declaration() {
        for key in [
            "base.url",
            "oauth.user.token",
            "event.poller.urls",
            "pagination.max",
        ] {
            assert!(is_platform_key(key), "{key}");
        }
        assert!(!is_platform_key("api.key"));
        assert!(!is_platform_key("event.pollerx"));
    }

    #[test]
    fn placeholders_are_located_in_their_line() {
        let text = "parameters:\n  - name: \"Key ${configuration.api.kee} ${configuration.api.kee}\"\n    type: value\n";
        let doc = located::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let shown: Vec<String> = template_keys("e.yaml", text, &doc, &[field("api.key")])
            .iter()
            .map(ToString::to_string)
            .collect();
        let message = "warning: unknown configuration key \"api.kee\" in ${configuration.api.kee}: the element does not declare it (did you mean api.key?)";
        assert_eq!(
            shown,
            [
                format!("e.yaml:2:16: {message}"),
                format!("e.yaml:2:41: {message}")
            ]
        );
    }
}
