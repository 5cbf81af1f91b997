//! The hook playground: one hook of an element run again with an edited script or edited
//! variables (a trace's input, changed), on the engine `hook run` uses; the studio shows the
//! difference from what the trace recorded.

use super::super::schema::{ErrorBody, HookReport};
use actix_web::{web, HttpResponse};
use serde_json::{json, Map, Value};

use super::super::error::{self, Failure, RequestId};
use super::super::schema::Replay;
use crate::element::Element;
use crate::hooks::{self, contract, Dispatcher, HookInput, Kind, Options, Script};
use crate::state::State;

#[utoipa::path(
    post,
    path = "/admin/playground",
    tag = "traces",
    request_body = Replay,
    responses(
        (status = 200, description = "the hook's run, as `elemental hook run` prints it", body = HookReport),
        (status = 404, body = ErrorBody),
    )
)]
pub async fn rerun(
    state: web::Data<State>,
    replay: web::Json<Replay>,
    request_id: RequestId,
) -> HttpResponse {
    let loaded = state.current();
    let replay = replay.into_inner();
    let found = loaded
        .elements
        .get(&replay.element)
        .ok_or_else(|| format!("no element {}", replay.element))
        .and_then(|element| {
            find(element, &replay.hook)
                .ok_or_else(|| format!("element {} has no hook {:?}", replay.element, replay.hook))
        });
    let (kind, hook) = match found {
        Ok(found) => found,
        Err(message) => return error::respond(&Failure::NotFound(message), &request_id, false),
    };
    let script = match &replay.source {
        // The edited text, with the hook's own modules, egress and mode; a webhook hook
        // edited in the playground runs as a script.
        Some(source) => Script {
            legacy: hook.legacy,
            modules: hook.modules.clone(),
            egress: hook.egress.clone(),
            fail_open: hook.fail_open,
            ..Script::new(hook.label.clone(), hook.origin.clone(), source)
        },
        None => hook,
    };
    if let Err(error) = hooks::check(&script) {
        return HttpResponse::Ok().json(report(false, Value::Null, Vec::new(), failure(&error)));
    }
    let mut variables = contract::defaults(kind);
    variables.extend(replay.variables);
    // What the answer must not show: the admin token, and the secrets put back.
    let mut secrets: Vec<String> = state.settings.admin_token.iter().cloned().collect();
    if let Some(instance) = replay.instance.and_then(|id| loaded.instances.by_id(id)) {
        let configuration = instance.configuration();
        unmask(&mut variables, &configuration);
        let keys = instance.element.secret_keys();
        let values = keys.iter().filter_map(|k| configuration.get(k));
        secrets.extend(values.map(crate::element::template::value_text));
    }
    let options = Options {
        raw: true,
        ..Options::default()
    };
    let io = Dispatcher::real(state.settings.mail.clone());
    let input = HookInput::Given(kind, &variables);
    let run = hooks::run(&script, input, state.settings.hook_limits, &io, options).await;
    let console: Vec<Value> = run.console.iter().map(|l| json!(l)).collect();
    let mut shown = match run.outcome {
        Ok(outcome) => {
            let raw = outcome.raw.unwrap_or(hooks::Raw {
                done: Value::Null,
                result: None,
            });
            let mut shown = report(outcome.called, raw.done, console, Value::Null);
            shown["result"] = raw.result.map(Value::Object).unwrap_or(Value::Null);
            shown
        }
        Err(error) => report(false, Value::Null, console, failure(&error)),
    };
    crate::trace::mask(&mut shown, &state.settings.secret_headers, &secrets);
    HttpResponse::Ok().json(shown)
}

/// Put back the configuration values a trace masked, from the instance's own.
fn unmask(variables: &mut Map<String, Value>, configuration: &Map<String, Value>) {
    let Some(Value::Object(given)) = variables.get_mut("configuration") else {
        return;
    };
    for (key, value) in given.iter_mut() {
        if value.as_str() == Some(crate::trace::MASK) {
            if let Some(real) = configuration.get(key) {
                *value = real.clone();
            }
        }
    }
}

/// The element's hook named `label`, and its kind.
fn find(element: &Element, label: &str) -> Option<(Kind, Script)> {
    let all = std::iter::once(&element.hooks).chain(element.resources.iter().map(|r| &r.hooks));
    for hooks in all {
        let slots = [
            (Kind::PreRequest, &hooks.pre_request),
            (Kind::PostRequest, &hooks.post_request),
            (Kind::Event, &hooks.event),
        ];
        for (kind, script) in slots {
            if let Some(script) = script.as_ref().filter(|s| s.label == label) {
                return Some((kind, script.clone()));
            }
        }
    }
    None
}

/// The shape `elemental hook run` prints.
fn report(called: bool, done: Value, console: Vec<Value>, error: Value) -> Value {
    json!({"called": called, "done": done, "console": console, "error": error, "result": null})
}

fn failure(error: &hooks::HookError) -> Value {
    match error.js() {
        Some(js) => json!({"name": js.name, "message": js.message, "location": js.location}),
        None => json!({"name": error.class().error_name(), "message": error.to_string()}),
    }
}
