//! `${...}` templates, `CE.b64(...)`, poll-time formats and path variables: never panic.
#![no_main]

use std::sync::OnceLock;

use elemental::element::template::{
    interpolate_configuration, interpolate_env, interpolate_poll_time, substitute_path,
};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

fn configuration() -> &'static Map<String, Value> {
    static CONFIGURATION: OnceLock<Map<String, Value>> = OnceLock::new();
    CONFIGURATION.get_or_init(|| {
        json!({
            "user": "acme",
            "password": "s3cr(e)t:}",
            "api.key": "k-1",
            "flag": true,
            "count": 42,
            "nothing": null,
            "nested": {"a": [1, 2]},
            "unicode": "é€𝄞",
            "b64": "CE.b64(${user})"
        })
        .as_object()
        .cloned()
        .unwrap_or_default()
    })
}

fn path_variables() -> &'static Map<String, Value> {
    static VARIABLES: OnceLock<Map<String, Value>> = OnceLock::new();
    VARIABLES.get_or_init(|| {
        json!({"id": "a b/c?d#e", "n": 7, "x": "é/{id}", "": "empty", "objectName": "contacts"})
            .as_object()
            .cloned()
            .unwrap_or_default()
    })
}

/// 2023-11-14T22:13:20.123Z, the unit tests' poll time.
const SINCE: i64 = 1_700_000_000_123;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = interpolate_configuration(text, configuration());
    let _ = interpolate_env(text);
    let _ = interpolate_poll_time(text, SINCE);
    let _ = substitute_path(text, path_variables());
});
