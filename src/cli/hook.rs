//! `elemental hook run`: one hook script run offline with variables from a file, reported as
//! JSON.

use super::{HookKind, HookRunArgs};

/// `elemental hook run`: the JSON report and the exit code (0 completed, 1 the hook failed,
/// 2 the inputs could not be read).
pub fn hook_run(args: &HookRunArgs) -> (serde_json::Value, i32) {
    use crate::hooks::{self, Dispatcher, HookInput, Kind, Limits, Options};
    use serde_json::Value;

    let file = args.script.display().to_string();
    let source = match std::fs::read_to_string(&args.script) {
        Ok(source) => source,
        Err(e) => return input_error(format!("cannot read the script: {e}"), file),
    };
    let kind = match args.kind {
        HookKind::PreRequest => Kind::PreRequest,
        HookKind::PostResponse => Kind::PostRequest,
        HookKind::Event => Kind::Event,
    };
    let variables = match hook_variables(args, kind) {
        Ok(variables) => variables,
        Err(failed) => return failed,
    };
    let script = hook_script(args, kind, &file, &source);
    if let Err(error) = hooks::check(&script) {
        return (hook_failure(&error, Vec::new(), &file), 1);
    }
    let limits = Limits {
        time: std::time::Duration::from_millis(args.timeout_ms),
        ..Limits::default()
    };
    let options = Options {
        now: args.now.map(|n| n as f64),
        raw: true,
        ..Options::default()
    };
    let input = HookInput::Given(kind, &variables);
    let run = hooks::run_blocking(&script, input, limits, &Dispatcher::default(), options);
    let console = own_lines(run.console);
    match run.outcome {
        Ok(outcome) => {
            let raw = outcome.raw.unwrap_or(hooks::Raw {
                done: Value::Null,
                result: None,
            });
            let mut shown = hook_report(outcome.called, raw.done, console, Value::Null);
            // Added to the documented keys: the result the server would apply (the done()
            // argument, or an object returned synchronously; null passes everything through).
            shown["result"] = raw.result.map(Value::Object).unwrap_or(Value::Null);
            (shown, 0)
        }
        Err(error) => (hook_failure(&error, console, &file), 1),
    }
}

/// The report's documented keys.
fn hook_report(
    called: bool,
    done: serde_json::Value,
    console: Vec<String>,
    error: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({ "called": called, "done": done, "console": console, "error": error, "result": null })
}

/// The report of inputs that could not be read (exit code 2).
fn input_error(message: String, location: String) -> (serde_json::Value, i32) {
    let error = serde_json::json!({"name": "InputError", "message": message, "location": location});
    (
        hook_report(false, serde_json::Value::Null, Vec::new(), error),
        2,
    )
}

/// The report of a hook that failed: its JS error, else the kind of failure.
fn hook_failure(
    error: &crate::hooks::HookError,
    console: Vec<String>,
    file: &str,
) -> serde_json::Value {
    use serde_json::json;
    let detail = match error.js() {
        Some(js) => json!({"name": js.name, "message": js.message, "location": js.location}),
        None => {
            json!({"name": error.class().error_name(), "message": error.to_string(), "location": file})
        }
    };
    hook_report(false, serde_json::Value::Null, console, detail)
}

/// The script's own console lines (the engine's notices left out).
fn own_lines(lines: Vec<crate::hooks::ConsoleLine>) -> Vec<String> {
    lines
        .into_iter()
        .filter(|l| l.level != "notice")
        .map(|l| l.message)
        .collect()
}

/// The server's defaults for `kind`, with the variables file (`--vars`) over them.
fn hook_variables(
    args: &HookRunArgs,
    kind: crate::hooks::Kind,
) -> Result<serde_json::Map<String, serde_json::Value>, (serde_json::Value, i32)> {
    use serde_json::Value;
    let mut variables = crate::hooks::contract::defaults(kind);
    let Some(path) = &args.vars else {
        return Ok(variables);
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| input_error(format!("cannot read the variables: {e}"), shown.clone()))?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(given)) => variables.extend(given),
        Ok(_) => {
            return Err(input_error(
                "the variables file must hold a JSON object".into(),
                shown,
            ))
        }
        Err(e) => {
            return Err(input_error(
                format!("invalid JSON: {e}"),
                format!("{shown}:{}:{}", e.line(), e.column()),
            ))
        }
    }
    Ok(variables)
}

/// The script as `hook run` loads it: the script's folder stands for an element's
/// (`require('./lib/x.js')` resolves there), with the hosts `--allow-host` opens.
fn hook_script(
    args: &HookRunArgs,
    kind: crate::hooks::Kind,
    file: &str,
    source: &str,
) -> crate::hooks::Script {
    use crate::hooks::{modules, Origin, Script};
    let folder = args
        .script
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let egress = crate::egress::Policy {
        open_hosts: args.allow_hosts.clone(),
        only_hosts: Vec::new(),
    };
    Script {
        egress: std::sync::Arc::new(egress),
        modules: std::sync::Arc::new(modules::collect(folder).unwrap_or_default()),
        legacy: args.legacy,
        ..Script::new(
            format!("{} hook", kind.as_str()),
            Origin::file(file.to_string()),
            source,
        )
    }
}
