//! JS ↔ Rust values: variables become JS values straight from the caller's, results are
//! read back by walking plain objects (`JSON.stringify` only for what a walk cannot read).

use rquickjs::{Ctx, Object, Value};
use serde_json::{Map, Value as Json};

use super::contract::Var;
use super::error::{caught_message, engine_error, CatchJs as _, HookError};
use super::Script;

/// A variable as a JS value.
pub(super) fn var_to_js<'js>(ctx: &Ctx<'js>, var: Var<'_>) -> rquickjs::Result<Value<'js>> {
    Ok(match var {
        Var::Json(value) => to_js(ctx, value)?,
        Var::Owned(value) => to_js(ctx, &value)?,
        Var::Object(map) => object_to_js(ctx, map)?,
        Var::Text(text) | Var::MaybeText(Some(text)) => string(ctx, text)?,
        Var::Bytes(bytes) => string(ctx, &String::from_utf8_lossy(bytes))?,
        Var::MaybeText(None) | Var::Null => Value::new_null(ctx.clone()),
        Var::Int(n) => Value::new_int(ctx.clone(), n),
        Var::Bool(b) => Value::new_bool(ctx.clone(), b),
        Var::EmptyObject => Object::new(ctx.clone())?.into_value(),
    })
}

fn string<'js>(ctx: &Ctx<'js>, text: &str) -> rquickjs::Result<Value<'js>> {
    Ok(rquickjs::String::from_str(ctx.clone(), text)?.into_value())
}

/// A JSON value as a JS value, built directly rather than printed and parsed again.
pub(super) fn to_js<'js>(ctx: &Ctx<'js>, value: &Json) -> rquickjs::Result<Value<'js>> {
    Ok(match value {
        Json::Null => Value::new_null(ctx.clone()),
        Json::Bool(b) => Value::new_bool(ctx.clone(), *b),
        Json::Number(n) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
            Some(i) => Value::new_int(ctx.clone(), i),
            None => Value::new_float(ctx.clone(), n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(text) => string(ctx, text)?,
        Json::Array(items) => {
            let array = rquickjs::Array::new(ctx.clone())?;
            for (index, item) in items.iter().enumerate() {
                array.set(index, to_js(ctx, item)?)?;
            }
            array.into_value()
        }
        Json::Object(map) => object_to_js(ctx, map)?,
    })
}

/// An object's entries defined, not assigned, as `JSON.parse` does: a `__proto__` key from
/// a vendor is data, not a new prototype.
fn object_to_js<'js>(ctx: &Ctx<'js>, map: &Map<String, Json>) -> rquickjs::Result<Value<'js>> {
    let object = Object::new(ctx.clone())?;
    for (key, item) in map {
        let property = rquickjs::object::Property::from(to_js(ctx, item)?)
            .writable()
            .enumerable()
            .configurable();
        object.prop(key.as_str(), property)?;
    }
    Ok(object.into_value())
}

/// JSON-able view of a JS value, as `JSON.parse(JSON.stringify(value))` would give it.
pub(super) fn to_json<'js>(
    ctx: &Ctx<'js>,
    script: &Script,
    value: Value<'js>,
) -> Result<Json, HookError> {
    Ok(walk(ctx, script, value, 0)?.unwrap_or(Json::Null))
}

/// Nesting read directly; deeper values go through `JSON.stringify`, which finds cycles.
const WALK_DEPTH: usize = 64;

/// Plain objects, arrays and primitives are read directly (printing and parsing them again
/// cost a tenth of a three-hook request); anything else — a Date, a value with `toJSON`, a
/// boxed primitive, a Proxy, a BigInt, nesting past `WALK_DEPTH` — goes through
/// `JSON.stringify`, so its rules hold exactly. `None`: a value JSON leaves out (undefined,
/// a function, a symbol).
fn walk<'js>(
    ctx: &Ctx<'js>,
    script: &Script,
    value: Value<'js>,
    depth: usize,
) -> Result<Option<Json>, HookError> {
    use rquickjs::qjs;
    if value.is_undefined() || value.is_symbol() || value.is_function() {
        return Ok(None);
    }
    if value.is_null() {
        return Ok(Some(Json::Null));
    }
    if let Some(b) = value.as_bool() {
        return Ok(Some(Json::Bool(b)));
    }
    if let Some(i) = value.as_int() {
        return Ok(Some(Json::from(i)));
    }
    if let Some(f) = value.as_float() {
        return Ok(Some(number(f)));
    }
    if let Some(text) = value.as_string() {
        return Ok(Some(Json::String(text.to_string().map_err(engine_error)?)));
    }
    let Some(object) = value.as_object().filter(|_| depth < WALK_DEPTH) else {
        return stringified(ctx, script, value);
    };
    // SAFETY: reads the class id of a live object value; no allocation, no side effect.
    let class = unsafe { qjs::JS_GetClassID(value.as_raw()) };
    // The first two entries of quickjs.c's class enum (`JS_CLASS_OBJECT = 1, JS_CLASS_ARRAY`),
    // which the C header does not export.
    let plain = class == 1;
    let array = class == 2;
    let to_json: Value = object.get("toJSON").map_err(engine_error)?;
    if !(plain || array) || to_json.is_function() {
        return stringified(ctx, script, value);
    }
    if array {
        let length: u32 = object.get("length").map_err(engine_error)?;
        let mut items = Vec::with_capacity(length.min(1 << 16) as usize);
        for index in 0..length {
            let item: Value = object.get(index).map_err(engine_error)?;
            items.push(walk(ctx, script, item, depth + 1)?.unwrap_or(Json::Null));
        }
        return Ok(Some(Json::Array(items)));
    }
    let mut map = Map::new();
    for entry in object.props::<String, Value>() {
        let (key, item) = entry.map_err(engine_error)?;
        if let Some(item) = walk(ctx, script, item, depth + 1)? {
            map.insert(key, item);
        }
    }
    Ok(Some(Json::Object(map)))
}

/// A JS number as `JSON.stringify` then a JSON parser make it: integral values that JS
/// prints without an exponent are integers (`3`, not `3.0`; `-0` is `0`) where they fit
/// 64 bits; NaN and the infinities are null.
fn number(f: f64) -> Json {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        // Both casts are exact here: the value is integral and inside the checked range.
        if f >= i64::MIN as f64 && f < i64::MAX as f64 {
            return Json::from(f as i64);
        }
        if f >= 0.0 && f < u64::MAX as f64 {
            return Json::from(f as u64);
        }
    }
    serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)
}

/// The slow, exact path of `walk`: `JSON.stringify`, then parse.
fn stringified<'js>(
    ctx: &Ctx<'js>,
    script: &Script,
    value: Value<'js>,
) -> Result<Option<Json>, HookError> {
    let text = ctx
        .json_stringify(value)
        .catch_js(ctx)
        .map_err(|caught| HookError::BadResult {
            hook: script.label.clone(),
            message: format!(
                "the result cannot be serialized: {}",
                caught_message(&caught)
            ),
        })?;
    let Some(text) = text else {
        return Ok(None);
    };
    let text = text.to_string().map_err(engine_error)?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| HookError::BadResult {
            hook: script.label.clone(),
            message: format!("the result is not JSON: {e}"),
        })
}

pub(super) fn json_type(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}
