//! Element-wide settings: authentication, configuration entries, egress and hook sandbox.

use std::sync::Arc;

use serde_json::Value;

use super::{Reader, CONFIG_KEYS};
use crate::element::checks;
use crate::element::fairness;
use crate::element::located::child;
use crate::element::model::{Authentication, ConfigField, HookLimits};

impl Reader<'_> {
    pub(super) fn authentication(&mut self) -> Authentication {
        if self
            .object("/authentication", "authentication", &["type"])
            .is_none()
        {
            return Authentication::Custom;
        }
        match self.string("/authentication", "type", false).as_deref() {
            Some("basic") => Authentication::Basic,
            Some("oauth2") => Authentication::OAuth2,
            Some("oauth1") => Authentication::OAuth1,
            Some("awsv4") => Authentication::AwsV4,
            Some("oauth2Password") => Authentication::OAuth2Password,
            Some("custom") | Some("none") | None => Authentication::Custom,
            Some(other) => {
                self.error(
                    "/authentication/type",
                    format!(
                        "unknown authentication type \"{other}\" (use basic, oauth2, custom, oauth1, oauth2Password or awsv4)"
                    ),
                );
                Authentication::Custom
            }
        }
    }

    pub(super) fn configuration(&mut self) -> Vec<ConfigField> {
        self.list("", "configuration")
            .iter()
            .filter_map(|p| self.config_field(p))
            .collect()
    }

    fn config_field(&mut self, pointer: &str) -> Option<ConfigField> {
        self.object(pointer, "a configuration entry", CONFIG_KEYS)?;
        let key = self.string(pointer, "key", true)?;
        let kind = self
            .string(pointer, "type", false)
            .unwrap_or_else(|| "TEXTFIELD_128".into());
        if let Some(message) = checks::config_type(&kind) {
            self.warn(&child(pointer, "type"), message);
        }
        let hidden = self.boolean(pointer, "hideFromConsole");
        Some(ConfigField {
            name: self
                .string(pointer, "name", false)
                .unwrap_or_else(|| key.clone()),
            default: self
                .value(&child(pointer, "defaultValue"))
                .filter(|v| !v.is_null())
                .cloned(),
            required: self.boolean(pointer, "required"),
            secret: hidden || kind.eq_ignore_ascii_case("PASSWORD"),
            key,
            kind,
        })
    }

    /// `egress: {allowHosts: [...], openHosts: [...]}`: the element's outbound HTTP policy
    /// for its hooks (an elemental extension to the element schema).
    pub(super) fn egress(&mut self) {
        if self
            .object("/egress", "egress", &["allowHosts", "openHosts"])
            .is_none()
        {
            return;
        }
        let mut policy = (*self.egress).clone();
        for (key, target) in [
            ("allowHosts", &mut policy.only_hosts),
            ("openHosts", &mut policy.open_hosts),
        ] {
            for at in self.list("/egress", key) {
                match self.value(&at) {
                    Some(Value::String(host)) if !host.trim().is_empty() => {
                        target.push(host.trim().to_string())
                    }
                    _ => self.error(&at, format!("egress {key} entries must be host names")),
                }
            }
        }
        self.egress = Arc::new(policy);
    }

    /// `onError: continue|fail` and `limits:` for all the element's hooks (elemental
    /// extensions): `{timeoutMs, cpuMs, memoryMb, stackKb}` over the server's hook limits,
    /// and the fair-share keys (`concurrency`, `queue`, `rate`) under an instance's own.
    pub(super) fn sandbox(&mut self) {
        match self.string("", "onError", false).as_deref() {
            None | Some("fail") => {}
            Some("continue") => self.fail_open = true,
            Some(other) => self.error(
                "/onError",
                format!("onError must be continue or fail, found \"{other}\""),
            ),
        }
        let known = [HOOK_LIMITS, fairness::KEYS].concat();
        let Some(map) = self.object("/limits", "limits", &known) else {
            return;
        };
        self.hook_limits();
        let (read, problems) = fairness::read(&map);
        for problem in problems {
            let at = format!("/limits{}", problem.at);
            match problem.warning {
                true => self.warn(&at, problem.message),
                false => self.error(&at, problem.message),
            }
        }
        self.fairness = read;
    }

    /// `timeoutMs`, `cpuMs`, `memoryMb`, `stackKb` of `limits:`.
    fn hook_limits(&mut self) {
        use std::time::Duration;
        let mut limits = HookLimits::default();
        for (key, max) in [
            ("timeoutMs", 600_000u64),
            ("cpuMs", 600_000),
            ("memoryMb", 4096),
            ("stackKb", 65_536),
        ] {
            let at = format!("/limits/{key}");
            match self.value(&at) {
                None => {}
                Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v >= 1 && v <= max) => {
                    let v = n.as_u64().unwrap_or(1);
                    match key {
                        "timeoutMs" => limits.time = Some(Duration::from_millis(v)),
                        "cpuMs" => limits.cpu = Some(Duration::from_millis(v)),
                        "memoryMb" => limits.memory = Some(v as usize * 1024 * 1024),
                        _ => limits.stack = Some(v as usize * 1024),
                    }
                }
                Some(_) => self.error(
                    &at,
                    format!("limits.{key} must be a whole number from 1 to {max}"),
                ),
            }
        }
        self.limits = limits;
    }
}

/// The hook-limit keys of `limits:` (the others are `fairness::KEYS`).
const HOOK_LIMITS: &[&str] = &["timeoutMs", "cpuMs", "memoryMb", "stackKb"];
