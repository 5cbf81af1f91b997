//! Host functions behind the JS globals and stdlib modules: console, CE crypto, timers'
//! clock, `require` loading, and the Rust halves of `crypto` and `url`.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use rquickjs::context::EvalOptions;
use rquickjs::function::Opt;
use rquickjs::{Ctx, Exception, Function, Object, TypedArray, Value};

use super::modules::{self, Modules};
use super::{ce, ConsoleLine};
use crate::mail::Email;
use crate::vendor::HookRequest;

/// Work a step asked for, done by the driver (through its `Dispatcher`) between steps.
#[derive(Debug)]
pub enum Outbound {
    Http(HookRequest),
    Email(Email),
    /// A server service (a task's `kv`, `elements.call`): its name and JSON arguments.
    Service {
        op: String,
        args: serde_json::Value,
    },
}

/// Install `__host` (read once by the prelude, then deleted) on a fresh context.
pub fn install(
    ctx: &Ctx<'_>,
    console: Rc<RefCell<Vec<ConsoleLine>>>,
    outbox: Rc<RefCell<Vec<(u64, Outbound)>>>,
    origin: Instant,
    locals: Arc<Modules>,
    cpu: Rc<super::cpu::CpuClock>,
) -> rquickjs::Result<()> {
    let host = Object::new(ctx.clone())?;
    // Loading an embedded module is the engine warming the context, not the hook's CPU.
    host.set(
        "loading",
        Function::new(ctx.clone(), move |start: bool| cpu.loading(start))?,
    )?;
    let next_id = Rc::new(std::cell::Cell::new(0u64));
    host.set("request", request(ctx, outbox.clone(), next_id.clone())?)?;
    host.set("email", email(ctx, outbox.clone(), next_id.clone())?)?;
    host.set("service", service(ctx, outbox, next_id)?)?;
    host.set(
        "now",
        Function::new(ctx.clone(), move || origin.elapsed().as_secs_f64() * 1000.0)?,
    )?;
    host.set(
        "console",
        Function::new(ctx.clone(), move |level: String, message: String| {
            console.borrow_mut().push(ConsoleLine { level, message });
        })?,
    )?;
    install_ce(ctx, &host)?;
    install_base64(ctx, &host)?;
    install_require(ctx, &host, locals)?;
    let internal = Object::new(ctx.clone())?;
    internal.set("crypto", crypto(ctx)?)?;
    internal.set("url", url(ctx)?)?;
    host.set("internal", internal)?;
    ctx.globals().set("__host", host)?;
    Ok(())
}

/// The Rust halves of `CE`: hashes, encodings, HMACs, random strings.
fn install_ce<'js>(ctx: &Ctx<'js>, host: &Object<'js>) -> rquickjs::Result<()> {
    host.set(
        "md5",
        Function::new(ctx.clone(), |s: String| ce::md5_hex(&s))?,
    )?;
    host.set("b64", Function::new(ctx.clone(), |s: String| ce::b64(&s))?)?;
    host.set(
        "decode64",
        Function::new(ctx.clone(), |s: String| ce::decode64(&s))?,
    )?;
    host.set(
        "randomString",
        Function::new(ctx.clone(), ce::random_string)?,
    )?;
    host.set(
        "hmac",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'_>, algo: String, enc: String, secret: String, data: String| {
                ce::hmac(&algo, &enc, &secret, &data)
                    .map_err(|e| Exception::throw_type(&ctx, &e.to_string()))
            },
        )?,
    )
}

/// `btoa` and `atob`, on Latin-1 strings as browsers define them.
fn install_base64<'js>(ctx: &Ctx<'js>, host: &Object<'js>) -> rquickjs::Result<()> {
    host.set(
        "btoa",
        Function::new(ctx.clone(), |ctx: Ctx<'_>, s: String| {
            let bytes: Option<Vec<u8>> =
                s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
            match bytes {
                Some(bytes) => Ok(ce::encode(&bytes, "base64").unwrap_or_default()),
                None => Err(Exception::throw_type(
                    &ctx,
                    "btoa: the string contains characters outside of Latin1",
                )),
            }
        })?,
    )?;
    host.set(
        "atob",
        Function::new(ctx.clone(), |ctx: Ctx<'_>, s: String| {
            use base64::Engine as _;
            let cleaned: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            let trimmed = cleaned.trim_end_matches('=');
            base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(trimmed)
                .map(|bytes| bytes.iter().map(|&b| char::from(b)).collect::<String>())
                .map_err(|_| {
                    Exception::throw_type(&ctx, "atob: the string is not correctly encoded")
                })
        })?,
    )
}

/// What `require` loads: the embedded modules by name, the element's files by path.
fn install_require<'js>(
    ctx: &Ctx<'js>,
    host: &Object<'js>,
    locals: Arc<Modules>,
) -> rquickjs::Result<()> {
    host.set(
        "builtin",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, name: String| -> rquickjs::Result<Value<'js>> {
                match modules::builtin(&name) {
                    Some(source) => compile_module(&ctx, source, &format!("elemental:{name}.js"))
                        .map(|f| f.into_value()),
                    None => Ok(Value::new_undefined(ctx.clone())),
                }
            },
        )?,
    )?;
    host.set(
        "local",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, path: String| -> rquickjs::Result<Value<'js>> {
                let Some(source) = locals.files.get(&path) else {
                    return Ok(Value::new_undefined(ctx.clone()));
                };
                if path.ends_with(".json") {
                    return rquickjs::String::from_str(ctx.clone(), source).map(|s| s.into_value());
                }
                let file = format!("{}/{path}", locals.root);
                compile_module(&ctx, source, &file).map(|f| f.into_value())
            },
        )?,
    )
}

fn compile_module<'js>(
    ctx: &Ctx<'js>,
    source: &str,
    file: &str,
) -> rquickjs::Result<Function<'js>> {
    let mut options = EvalOptions::default();
    options.strict = false;
    options.filename = Some(file.to_string());
    let value: Value = ctx.eval_with_options(modules::wrap(source), options)?;
    value
        .into_function()
        .ok_or_else(|| rquickjs::Error::new_from_js("value", "function"))
}

/// Copy the bytes out at once: no JS may run while the engine's memory is borrowed.
fn bytes_of(array: &TypedArray<'_, u8>) -> Vec<u8> {
    // SAFETY: the slice is copied before any JavaScript can run again.
    unsafe { array.as_bytes() }
        .map(<[u8]>::to_vec)
        .unwrap_or_default()
}

fn digest(algo: &str, data: &[u8]) -> Option<Vec<u8>> {
    use md5::Digest;
    Some(match algo {
        "md5" => md5::Md5::digest(data).to_vec(),
        "sha1" => sha1::Sha1::digest(data).to_vec(),
        "sha224" => sha2::Sha224::digest(data).to_vec(),
        "sha256" => sha2::Sha256::digest(data).to_vec(),
        "sha384" => sha2::Sha384::digest(data).to_vec(),
        "sha512" => sha2::Sha512::digest(data).to_vec(),
        _ => return None,
    })
}

fn crypto<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let crypto = Object::new(ctx.clone())?;
    crypto.set(
        "check",
        Function::new(ctx.clone(), |ctx: Ctx<'_>, algo: String| {
            match digest(&algo, b"") {
                Some(_) => Ok(()),
                None => Err(Exception::throw_type(
                    &ctx,
                    &format!("Digest method not supported: {algo}"),
                )),
            }
        })?,
    )?;
    crypto.set(
        "digest",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, algo: String, data: TypedArray<'js, u8>| {
                let out = digest(&algo, &bytes_of(&data)).ok_or_else(|| {
                    Exception::throw_type(&ctx, &format!("Digest method not supported: {algo}"))
                })?;
                TypedArray::<u8>::new(ctx.clone(), out)
            },
        )?,
    )?;
    crypto.set(
        "hmac",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, algo: String, key: TypedArray<'js, u8>, data: TypedArray<'js, u8>| {
                let out = ce::hmac_bytes(&algo, &bytes_of(&key), &bytes_of(&data))
                    .map_err(|e| Exception::throw_type(&ctx, &e.to_string()))?;
                TypedArray::<u8>::new(ctx.clone(), out)
            },
        )?,
    )?;
    crypto.set(
        "randomBytes",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, size: usize| {
            use rand::RngCore;
            if size > 64 * 1024 * 1024 {
                return Err(Exception::throw_range(
                    &ctx,
                    "The value of \"size\" is out of range",
                ));
            }
            let mut bytes = vec![0u8; size];
            rand::rng().fill_bytes(&mut bytes);
            TypedArray::<u8>::new(ctx.clone(), bytes)
        })?,
    )?;
    crypto.set(
        "randomUUID",
        Function::new(ctx.clone(), || {
            let mut bytes: [u8; 16] = rand::random();
            bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
            bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
            let hex = hex::encode(bytes);
            format!(
                "{}-{}-{}-{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..32]
            )
        })?,
    )?;
    Ok(crypto)
}

/// The WHATWG view of a parsed URL, as the JS `URL` class keeps it.
fn url_parts<'js>(ctx: &Ctx<'js>, url: &url::Url) -> rquickjs::Result<Object<'js>> {
    use url::quirks;
    let parts = Object::new(ctx.clone())?;
    parts.set("href", quirks::href(url))?;
    parts.set("protocol", quirks::protocol(url))?;
    parts.set("username", quirks::username(url))?;
    parts.set("password", quirks::password(url))?;
    parts.set("host", quirks::host(url))?;
    parts.set("hostname", quirks::hostname(url))?;
    parts.set("port", quirks::port(url))?;
    parts.set("pathname", quirks::pathname(url))?;
    parts.set("search", quirks::search(url))?;
    parts.set("hash", quirks::hash(url))?;
    parts.set("origin", quirks::origin(url))?;
    Ok(parts)
}

fn invalid_url(ctx: &Ctx<'_>, input: &str) -> rquickjs::Error {
    match Exception::from_message(ctx.clone(), "Invalid URL") {
        Ok(e) => {
            let _ = e.set("name", "TypeError");
            let _ = e.set("code", "ERR_INVALID_URL");
            let _ = e.set("input", input);
            e.throw()
        }
        Err(e) => e,
    }
}

fn url<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let host = Object::new(ctx.clone())?;
    host.set(
        "parse",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, input: String, base: Opt<String>| {
                let parsed = match &base.0 {
                    Some(base) => url::Url::parse(base).and_then(|b| b.join(&input)),
                    None => url::Url::parse(&input),
                };
                match parsed {
                    Ok(url) => url_parts(&ctx, &url),
                    Err(_) => Err(invalid_url(&ctx, &input)),
                }
            },
        )?,
    )?;
    host.set(
        "set",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, href: String, part: String, value: String| {
                use url::quirks;
                let mut url = url::Url::parse(&href).map_err(|_| invalid_url(&ctx, &href))?;
                // Setters ignore values the standard rejects, except href, which throws.
                match part.as_str() {
                    "href" => {
                        quirks::set_href(&mut url, &value).map_err(|_| invalid_url(&ctx, &value))?
                    }
                    "protocol" => drop(quirks::set_protocol(&mut url, &value)),
                    "username" => drop(quirks::set_username(&mut url, &value)),
                    "password" => drop(quirks::set_password(&mut url, &value)),
                    "host" => drop(quirks::set_host(&mut url, &value)),
                    "hostname" => drop(quirks::set_hostname(&mut url, &value)),
                    "port" => drop(quirks::set_port(&mut url, &value)),
                    "pathname" => quirks::set_pathname(&mut url, &value),
                    "search" => quirks::set_search(&mut url, &value),
                    "hash" => quirks::set_hash(&mut url, &value),
                    _ => {}
                }
                url_parts(&ctx, &url)
            },
        )?,
    )?;
    host.set(
        "utf8",
        Function::new(ctx.clone(), |bytes: Vec<u8>| {
            String::from_utf8_lossy(&bytes).into_owned()
        })?,
    )?;
    Ok(host)
}

/// `request(spec)`: queue an outbound request for the driver and return its id. The driver
/// sends it (under the egress policy) and completes the promise the JS side holds.
fn request<'js>(
    ctx: &Ctx<'js>,
    outbox: Rc<RefCell<Vec<(u64, Outbound)>>>,
    next_id: Rc<std::cell::Cell<u64>>,
) -> rquickjs::Result<Function<'js>> {
    Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>, spec: Object<'js>| -> rquickjs::Result<u64> {
            let url: String = spec.get("url")?;
            let method: String = spec
                .get::<_, Option<String>>("method")?
                .unwrap_or_else(|| "GET".into())
                .to_ascii_uppercase();
            let headers: Vec<Vec<String>> = spec
                .get::<_, Option<Vec<Vec<String>>>>("headers")?
                .unwrap_or_default();
            let mut pairs = Vec::with_capacity(headers.len());
            for header in headers {
                match <[String; 2]>::try_from(header) {
                    Ok([name, value]) => pairs.push((name, value)),
                    Err(_) => {
                        return Err(Exception::throw_type(
                            &ctx,
                            "request headers must be [name, value] pairs",
                        ))
                    }
                }
            }
            let body = spec
                .get::<_, Option<TypedArray<'js, u8>>>("body")?
                .map(|b| bytes::Bytes::from(bytes_of(&b)));
            let timeout_ms = spec
                .get::<_, Option<f64>>("timeoutMs")?
                .unwrap_or(30_000.0)
                .clamp(1.0, 600_000.0);
            let max_body = spec
                .get::<_, Option<f64>>("maxBytes")?
                .unwrap_or(10.0 * 1024.0 * 1024.0)
                .clamp(0.0, 256.0 * 1024.0 * 1024.0) as usize;
            let follow_redirects = spec
                .get::<_, Option<bool>>("followRedirects")?
                .unwrap_or(false);
            let id = next_id.get() + 1;
            next_id.set(id);
            outbox.borrow_mut().push((
                id,
                Outbound::Http(HookRequest {
                    method,
                    url,
                    headers: pairs,
                    body,
                    timeout: std::time::Duration::from_secs_f64(timeout_ms / 1000.0),
                    follow_redirects,
                    max_body,
                }),
            ));
            Ok(id)
        },
    )
}

/// `email(spec)`: queue a message ({from, to, subject, text, html}); returns its id.
fn email<'js>(
    ctx: &Ctx<'js>,
    outbox: Rc<RefCell<Vec<(u64, Outbound)>>>,
    next_id: Rc<std::cell::Cell<u64>>,
) -> rquickjs::Result<Function<'js>> {
    Function::new(
        ctx.clone(),
        move |spec: Object<'js>| -> rquickjs::Result<u64> {
            let to: Vec<String> = spec
                .get::<_, Option<Vec<String>>>("to")?
                .unwrap_or_default();
            let email = Email {
                from: spec.get("from")?,
                to,
                subject: spec
                    .get::<_, Option<String>>("subject")?
                    .unwrap_or_default(),
                text: spec.get("text")?,
                html: spec.get("html")?,
            };
            let id = next_id.get() + 1;
            next_id.set(id);
            outbox.borrow_mut().push((id, Outbound::Email(email)));
            Ok(id)
        },
    )
}

/// `service(op, argsJson)`: queue a call of a server service (a task's `kv`, `elements.call`)
/// for the driver; returns its id. The arguments cross as JSON text, parsed here once.
fn service<'js>(
    ctx: &Ctx<'js>,
    outbox: Rc<RefCell<Vec<(u64, Outbound)>>>,
    next_id: Rc<std::cell::Cell<u64>>,
) -> rquickjs::Result<Function<'js>> {
    Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>, op: String, args: String| -> rquickjs::Result<u64> {
            let args: serde_json::Value = serde_json::from_str(&args)
                .map_err(|e| Exception::throw_type(&ctx, &format!("{op}: arguments: {e}")))?;
            let id = next_id.get() + 1;
            next_id.set(id);
            outbox
                .borrow_mut()
                .push((id, Outbound::Service { op, args }));
            Ok(id)
        },
    )
}
