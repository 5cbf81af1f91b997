//! Compiling scripts: a hook into the function that runs it, and checking hooks and
//! element modules at load time without running them.

use rquickjs::context::EvalOptions;
use rquickjs::{CaughtError, Context, Ctx, Function, Value};

use super::contract;
use super::error::{
    caught_message, engine_error, name_and_stack, to_hook_error, CatchJs as _, HookError,
};
use super::pool::with_engine;
use super::{Origin, Script};

/// Compile a script without running it: a syntax error names the user's file, line, column.
pub fn check(script: &Script) -> Result<(), HookError> {
    with_engine(|engine| {
        let context = Context::full(&engine.runtime).map_err(engine_error)?;
        context.with(|ctx| {
            compile(&ctx, script)
                .map(|_| ())
                .map_err(|caught| to_hook_error(script, caught, None))
        })
    })
}

/// A module's syntax error: name, message and (line, column) in the module's file.
#[derive(Debug)]
pub struct ModuleError {
    pub name: String,
    pub message: String,
    pub position: Option<(usize, usize)>,
}

/// Compile an element-local module without running it.
pub fn check_module(file: &str, source: &str) -> Result<(), ModuleError> {
    let outcome = with_engine(|engine| {
        let context = Context::full(&engine.runtime).map_err(engine_error)?;
        Ok(context.with(|ctx| {
            let mut options = EvalOptions::default();
            options.strict = false;
            options.filename = Some(file.to_string());
            let compiled: Result<Value, _> =
                ctx.eval_with_options(super::modules::wrap(source), options);
            compiled.catch_js(&ctx).map(|_| ()).map_err(|caught| {
                let (name, stack) = name_and_stack(&caught);
                let prefix = super::modules::wrap("").find('{').map_or(0, |i| i + 1);
                let position = contract::position_in_stack(&stack, file).map(|(line, column)| {
                    let origin = Origin {
                        file: String::new(),
                        line: 1,
                        column: 1,
                        exact: true,
                    };
                    let shown = contract::locate(
                        &origin,
                        source,
                        if line == 1 { prefix } else { 0 },
                        line,
                        column,
                    );
                    let mut parts = shown.rsplit(':');
                    let column = parts.next().and_then(|c| c.parse().ok()).unwrap_or(column);
                    (line, column)
                });
                ModuleError {
                    name,
                    message: caught_message(&caught),
                    position,
                }
            })
        }))
    });
    match outcome {
        Ok(result) => result,
        Err(e) => Err(ModuleError {
            name: "EngineError".into(),
            message: e.to_string(),
            position: None,
        }),
    }
}

/// Evaluate the wrapped script to the function that runs it.
pub(super) fn compile<'js>(
    ctx: &Ctx<'js>,
    script: &Script,
) -> Result<Function<'js>, CaughtError<'js>> {
    let mut options = EvalOptions::default();
    options.strict = false; // V2 scripts get their "use strict" from the wrapper
    options.filename = Some(script.origin.file.clone());
    let value: Value = ctx
        .eval_with_options(
            contract::wrap(&script.source, script.legacy, script.reads),
            options,
        )
        .catch_js(ctx)?;
    value
        .into_function()
        .ok_or_else(|| CaughtError::Error(rquickjs::Error::new_from_js("value", "function")))
}
