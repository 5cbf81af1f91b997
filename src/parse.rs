//! Parse settings: the app id and keys callers of `/parse/…` must send, and Parse Config.
//!
//! Parse Config is read from `--parse-config FILE`, a JSON object in the shape Parse's REST
//! API answers `GET /parse/config` with: `{"params": {...}, "masterKeyOnly": {"key": true}}`.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};

/// The keys of the Parse API and the config its scripts read.
#[derive(Debug, Clone)]
pub struct ParseSettings {
    /// `X-Parse-Application-Id` must be this (`--parse-app-id`, default `elemental`).
    pub app_id: String,
    /// When set, `X-Parse-REST-API-Key` must be this (unless the master key is given).
    pub rest_key: Option<String>,
    /// When set, `X-Parse-Master-Key` equal to it makes a call a master one; unset, every
    /// master-only call is refused.
    pub master_key: Option<String>,
    pub config: Arc<ParseConfig>,
}

impl Default for ParseSettings {
    fn default() -> Self {
        ParseSettings {
            app_id: "elemental".into(),
            rest_key: None,
            master_key: None,
            config: Arc::default(),
        }
    }
}

/// Parse Config's values, and which of them only a master context may read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParseConfig {
    pub params: Map<String, Value>,
    pub master_key_only: BTreeSet<String>,
}

impl ParseConfig {
    /// Read `{"params": {...}, "masterKeyOnly": {...}}` from `path`.
    pub fn read(path: &Path) -> Result<ParseConfig, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{shown}: cannot read the Parse config: {e}"))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{shown}:{}:{}: the Parse config is not JSON: {e}",
                e.line(),
                e.column()
            )
        })?;
        ParseConfig::from_value(&value).map_err(|e| format!("{shown}: {e}"))
    }

    /// The config of a JSON object in the shape of `GET /parse/config`.
    pub fn from_value(value: &Value) -> Result<ParseConfig, String> {
        let object = value
            .as_object()
            .ok_or("the Parse config is an object with `params` (and `masterKeyOnly`)")?;
        if let Some(other) = object
            .keys()
            .find(|k| *k != "params" && *k != "masterKeyOnly")
        {
            return Err(format!(
                "unknown key {other:?}: the Parse config has `params` and `masterKeyOnly`"
            ));
        }
        let params = match object.get("params") {
            None => Map::new(),
            Some(Value::Object(params)) => params.clone(),
            Some(_) => return Err("`params` is an object of values".into()),
        };
        let master_key_only = match object.get("masterKeyOnly") {
            None => BTreeSet::new(),
            Some(Value::Object(flags)) => flags
                .iter()
                .filter(|(_, v)| v.as_bool() == Some(true))
                .map(|(k, _)| k.clone())
                .collect(),
            Some(_) => return Err("`masterKeyOnly` is an object of booleans".into()),
        };
        Ok(ParseConfig {
            params,
            master_key_only,
        })
    }

    /// The values a reader sees: all of them with the master key, else those not marked
    /// master-key-only.
    pub fn view(&self, master: bool) -> Map<String, Value> {
        self.params
            .iter()
            .filter(|(key, _)| master || !self.master_key_only.contains(*key))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn master_key_only_values_are_hidden_without_the_master_key() {
        let config = ParseConfig::from_value(&json!({
            "params": {"welcome": "hi", "privateParam": 42},
            "masterKeyOnly": {"privateParam": true, "welcome": false}
        }))
        .expect("config");
        assert_eq!(Value::Object(config.view(false)), json!({"welcome": "hi"}));
        assert_eq!(
            Value::Object(config.view(true)),
            json!({"welcome": "hi", "privateParam": 42})
        );
        assert!(ParseConfig::from_value(&json!({"param": {}})).is_err());
    }
}
