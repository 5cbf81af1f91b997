//! Hooks: their scripts read from a body or a file, compiled at load, errors placed in the source.

use std::path::{Component, Path};
use std::sync::Arc;

use serde_json::Value;

use super::{Reader, HOOK_KEYS};
use crate::element::diagnostic::Diagnostic;
use crate::element::located::{child, Pos};
use crate::element::model::Hooks;
use crate::hooks::modules::Modules;
use crate::hooks::webhook::Webhook;
use crate::hooks::{self, Kind, Origin, Script};

impl Reader<'_> {
    /// The hooks list at `pointer/hooks`; `scope` is `global` or `resource`, and `target`
    /// names the resource (`GET /path`), so labels read `resource preRequest GET /path`.
    pub(super) fn hooks(&mut self, pointer: &str, scope: &str, target: &str) -> Hooks {
        let mut hooks = Hooks::default();
        for at in self.list(pointer, "hooks") {
            if self.object(&at, "a hook", HOOK_KEYS).is_none() {
                continue;
            }
            let Some(kind_text) = self.string(&at, "type", true) else {
                continue;
            };
            let (kind, slot) = match kind_text.as_str() {
                "preRequest" => (Kind::PreRequest, &mut hooks.pre_request),
                "postRequest" => (Kind::PostRequest, &mut hooks.post_request),
                "event" => (Kind::Event, &mut hooks.event),
                other => {
                    self.error(
                        &child(&at, "type"),
                        format!(
                            "unknown hook type \"{other}\" (use preRequest, postRequest or event)"
                        ),
                    );
                    continue;
                }
            };
            let label = if target.is_empty() {
                format!("{scope} {}", kind.as_str())
            } else {
                format!("{scope} {} {target}", kind.as_str())
            };
            if slot.is_some() {
                self.error(&at, format!("{label} is defined twice"));
                continue;
            }
            let legacy = self.boolean(&at, "isLegacy");
            let fail_open = match self.string(&at, "onError", false).as_deref() {
                Some("continue") => true,
                Some("fail") => false,
                None => self.fail_open,
                Some(other) => {
                    self.error(
                        &child(&at, "onError"),
                        format!("onError must be continue or fail, found \"{other}\""),
                    );
                    false
                }
            };
            // A webhook wins over a script given beside it (Parse's rule).
            if self.value(&child(&at, "webhook")).is_some() {
                if let Some(webhook) = self.webhook(&at, &label) {
                    let origin = Origin {
                        line: self.doc.pos(&at).map_or(1, |p| p.line),
                        column: self.doc.pos(&at).map_or(1, |p| p.column),
                        ..Origin::file(self.file.clone())
                    };
                    *slot = Some(Script {
                        egress: self.egress.clone(),
                        fail_open,
                        webhook: Some(Arc::new(webhook)),
                        ..Script::new(label, origin, "")
                    });
                }
                continue;
            }
            let Some((source, origin)) = self.hook_source(&at, &label) else {
                continue;
            };
            let script = Script {
                legacy,
                modules: self.modules.clone(),
                egress: self.egress.clone(),
                fail_open,
                ..Script::new(label, origin, &source)
            };
            if let Err(e) = hooks::check(&script) {
                self.hook_error(&at, &script, &e);
                continue;
            }
            *slot = Some(script);
        }
        hooks
    }

    /// A hook file used by several hooks fails the same way for each: its error is reported
    /// once, naming every hook that uses the file.
    fn hook_error(&mut self, at: &str, script: &Script, e: &hooks::HookError) {
        let Some(js) = e.js() else {
            self.error(at, e.to_string());
            return;
        };
        let cause = format!("{}: {}", js.name, js.message);
        let shared = self.value(&child(at, "file")).is_some();
        let key = (
            script.origin.file.clone(),
            js.location.clone(),
            cause.clone(),
        );
        if let Some((index, labels)) = self.shared_errors.get_mut(&key) {
            if let Some(diagnostic) = self.diagnostics.get_mut(*index) {
                let rest = diagnostic.message.get(labels.len()..).unwrap_or_default();
                diagnostic.message = format!("{labels}, {}{rest}", script.label);
                labels.push_str(&format!(", {}", script.label));
            }
            return;
        }
        if shared {
            let index = self.diagnostics.len();
            self.shared_errors
                .insert(key, (index, script.label.clone()));
        }
        self.push_at_location(at, &js.location, format!("{}: {cause}", script.label));
    }

    /// A JS location `file:line:column[...]` becomes the diagnostic's place when it parses.
    fn push_at_location(&mut self, fallback: &str, location: &str, message: String) {
        let head = location.split(' ').next().unwrap_or_default();
        let mut parts = head.rsplitn(3, ':');
        let column = parts.next().and_then(|c| c.parse().ok());
        let line = parts.next().and_then(|l| l.parse().ok());
        let file = parts.next();
        match (file, line, column) {
            (Some(file), Some(line), Some(column)) => {
                let detail = location
                    .split_once(' ')
                    .map(|(_, rest)| format!(" {rest}"))
                    .unwrap_or_default();
                self.diagnostics.push(Diagnostic::error(
                    file,
                    line,
                    column,
                    format!("{message}{detail}"),
                ));
            }
            _ => self.error(fallback, message),
        }
    }

    /// The script of the hook at `at`, from its `body` or its `file` (exactly one of them).
    /// `webhook: {url, key, timeoutMs?}`: an absolute http(s) URL, a key (`${env:NAME}`
    /// allowed: keys are secrets), at most the default 30 s unless it says otherwise.
    fn webhook(&mut self, at: &str, label: &str) -> Option<Webhook> {
        let at = child(at, "webhook");
        let url = self.string(&at, "url", true)?;
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            self.error(
                &child(&at, "url"),
                format!("{label}: webhook url \"{url}\" must be an absolute http(s) URL"),
            );
            return None;
        }
        let key = match self.string(&at, "key", false) {
            None => {
                self.warn(&at, format!("{label}: webhook without a key: the receiver cannot tell these calls come from this server"));
                String::new()
            }
            Some(key) => match crate::element::template::interpolate_env(&key) {
                Ok(key) => key,
                Err(e) => {
                    self.error(&child(&at, "key"), format!("{label}: webhook key: {e}"));
                    return None;
                }
            },
        };
        let time = match self
            .value(&child(&at, "timeoutMs"))
            .and_then(|v| v.as_u64())
        {
            Some(ms) if ms > 0 => std::time::Duration::from_millis(ms),
            _ => hooks::webhook::DEFAULT_TIME,
        };
        Some(Webhook { url, key, time })
    }

    fn hook_source(&mut self, at: &str, label: &str) -> Option<(String, Origin)> {
        let body = self.string(at, "body", false);
        let file = self.string(at, "file", false);
        match (body, file) {
            (Some(_), Some(_)) => {
                self.error(at, format!("{label}: give either body or file, not both"));
                None
            }
            // Cloud Elements accepts a hook without a script and runs nothing for it.
            (None, None) => {
                self.warn(
                    at,
                    format!("{label}: no script (body or file); the hook is skipped"),
                );
                None
            }
            (Some(body), None) if body.trim().is_empty() => {
                self.warn(
                    &child(at, "body"),
                    format!("{label}: the script is empty; the hook is skipped"),
                );
                None
            }
            (Some(body), None) => Some((body, self.body_origin(at))),
            (None, Some(relative)) => self.hook_file(at, label, &relative),
        }
    }

    /// Where an inline `body` starts in the element file, so script errors point into it.
    fn body_origin(&self, at: &str) -> Origin {
        let body_at = child(at, "body");
        let key = self.doc.pos(&body_at).unwrap_or(Pos { line: 1, column: 1 });
        let start = self.doc.value_pos(&body_at).unwrap_or(key);
        // A literal block (`body: |`) keeps lines and indentation: script line 1 is
        // the line after the key (even when blank), at the block's indentation.
        // Quoted strings (JSON exports) do not map onto file lines.
        let key_line = self
            .text
            .lines()
            .nth(key.line.saturating_sub(1))
            .unwrap_or_default();
        let literal = key_line
            .split_once(':')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('|'));
        let (line, exact) = if literal {
            (key.line + 1, true)
        } else {
            (start.line, false)
        };
        Origin {
            file: self.file.clone(),
            line,
            column: start.column,
            exact,
        }
    }

    /// The script of a hook `file`. It must stay inside the element's folder, so an element
    /// cannot name a file of the host as its script.
    fn hook_file(&mut self, at: &str, label: &str, relative: &str) -> Option<(String, Origin)> {
        let file_at = child(at, "file");
        let outside =
            format!("{label}: hook file \"{relative}\" must stay inside the element's folder");
        let path = Path::new(relative);
        if leaves_folder(path) {
            self.error(&file_at, outside);
            return None;
        }
        let full = self.dir.join(path);
        let key = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        self.hook_files.push(key);
        // A symlink inside the folder must not lead outside it either.
        let inside = match (full.canonicalize(), self.dir.canonicalize()) {
            (Ok(file), Ok(dir)) => file.starts_with(dir),
            _ => true, // a missing file is reported by the read below
        };
        if !inside {
            self.error(&file_at, outside);
            return None;
        }
        match std::fs::read_to_string(&full) {
            Ok(source) => Some((
                source,
                Origin {
                    file: full.display().to_string(),
                    line: 1,
                    column: 1,
                    exact: true,
                },
            )),
            Err(e) => {
                self.error(
                    &file_at,
                    format!("{label}: cannot read hook file {}: {e}", full.display()),
                );
                None
            }
        }
    }
}

/// An absolute path or one climbing with `..` would name a file outside the element's folder.
fn leaves_folder(path: &Path) -> bool {
    path.is_absolute()
        || path.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::Prefix(_) | Component::RootDir
            )
        })
}

/// Every element-local module must compile (JS) or parse (JSON) when the element loads.
/// Hook files are compiled as hooks instead, with their hook's name in the message.
pub(super) fn check_modules(
    modules: &Modules,
    hook_files: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (path, source) in modules
        .files
        .iter()
        .filter(|(p, _)| !hook_files.contains(p))
    {
        let file = format!("{}/{path}", modules.root);
        if path.ends_with(".json") {
            if let Err(e) = serde_json::from_str::<Value>(source) {
                diagnostics.push(Diagnostic::error(
                    &file,
                    e.line(),
                    e.column(),
                    format!("module {path}: invalid JSON: {e}"),
                ));
            }
        } else if let Err(e) = hooks::check_module(&file, source) {
            let (line, column) = e.position.unwrap_or((1, 1));
            diagnostics.push(Diagnostic::error(
                &file,
                line,
                column,
                format!("module {path}: {}: {}", e.name, e.message),
            ));
        }
    }
}
