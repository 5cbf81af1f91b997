//! OpenTelemetry: spans of requests, hooks, vendor calls and deliveries, exported over OTLP/HTTP.
//!
//! Off unless `serve --otlp-endpoint` starts it. Off, every function here is one atomic load
//! and returns nothing, so the request path pays nothing for it. On, spans are made with the
//! SDK's tracer and handed to its batch processor, whose own thread exports them (through
//! [`PlainHttp`], below) — never the request's thread. The span of the request is carried to
//! its hooks and vendor calls as the "current" OpenTelemetry context of the request's future
//! ([`within`]), so the phases need no extra argument.
//!
//! What goes into a span is decided by the callers, who pass masked URLs and labels only:
//! no configuration values, tokens or query strings (README "OpenTelemetry").

use std::future::Future;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::OnceLock;
use std::time::Duration;

use futures_util::future::Either;
use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
use opentelemetry::trace::{SpanKind, Status, TraceContextExt, Tracer, TracerProvider as _};
use opentelemetry::{Context, KeyValue};
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{SdkTracer, SdkTracerProvider};

pub use opentelemetry::Value;

/// The path OTLP/HTTP receives traces at, appended to a bare `--otlp-endpoint`.
const TRACES_PATH: &str = "/v1/traces";
/// The most of a collector's answer read (the exporter reads only partial-success notes).
const MAX_ANSWER: u64 = 4 * 1024 * 1024;
/// How long one export may take to connect, send and be answered.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

/// What `serve` was told about exporting (`--otlp-endpoint`, `--otlp-service-name`).
#[derive(Debug, Clone)]
pub struct Otlp {
    /// `http://host:4318` (traces go to `/v1/traces`) or the full traces URL.
    pub endpoint: String,
    pub service_name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    #[error("--otlp-endpoint {0:?} is not an http:// URL (for https, run a local OpenTelemetry Collector and point this at it)")]
    Endpoint(String),
    #[error("OpenTelemetry exporter: {0}")]
    Exporter(String),
    #[error("OpenTelemetry was already started")]
    Started,
}

/// The tracer and its provider, set once by [`start`]; unset means off.
static TELEMETRY: OnceLock<(SdkTracerProvider, SdkTracer)> = OnceLock::new();

/// Start exporting spans to `otlp.endpoint`, batched on the SDK's own thread.
pub fn start(otlp: &Otlp) -> Result<(), TelemetryError> {
    let endpoint = traces_url(&otlp.endpoint)?;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(endpoint)
        .with_timeout(EXPORT_TIMEOUT)
        .with_http_client(PlainHttp)
        .build()
        .map_err(|e| TelemetryError::Exporter(e.to_string()))?;
    let resource = opentelemetry_sdk::Resource::builder_empty()
        .with_service_name(otlp.service_name.clone())
        .build();
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build();
    let tracer = provider.tracer("elemental");
    TELEMETRY
        .set((provider, tracer))
        .map_err(|_| TelemetryError::Started)
}

/// Export what is still batched and stop (at the end of `serve`); nothing when off.
pub fn shutdown() {
    if let Some((provider, _)) = TELEMETRY.get() {
        if let Err(e) = provider.shutdown() {
            tracing::warn!("OpenTelemetry: the last spans were not all exported: {e}");
        }
    }
}

/// Whether spans are being made.
pub fn enabled() -> bool {
    TELEMETRY.get().is_some()
}

/// The traces URL of an endpoint: `/v1/traces` appended unless it is there.
fn traces_url(endpoint: &str) -> Result<String, TelemetryError> {
    let parsed =
        url::Url::parse(endpoint).map_err(|_| TelemetryError::Endpoint(endpoint.into()))?;
    if parsed.scheme() != "http" || parsed.host_str().is_none() {
        return Err(TelemetryError::Endpoint(endpoint.into()));
    }
    let base = endpoint.trim_end_matches('/');
    Ok(match base.ends_with(TRACES_PATH) {
        true => base.to_string(),
        false => format!("{base}{TRACES_PATH}"),
    })
}

/// One span, or nothing when telemetry is off. It ends when the last clone of it is dropped
/// (or at [`Span::end`]).
#[derive(Clone, Default)]
pub struct Span(Option<Context>);

impl Span {
    /// A span of `kind` under the current context's span (a root span when there is none).
    pub fn child(
        name: impl Into<std::borrow::Cow<'static, str>>,
        kind: SpanKind,
        attributes: Vec<KeyValue>,
    ) -> Span {
        let Some((_, tracer)) = TELEMETRY.get() else {
            return Span(None);
        };
        let parent = Context::current();
        let span = tracer
            .span_builder(name)
            .with_kind(kind)
            .with_attributes(attributes)
            .start_with_context(tracer, &parent);
        Span(Some(parent.with_span(span)))
    }

    /// The server span of a proxied request: the child of the caller's `traceparent` when it
    /// sent a valid one, else the root of a new trace.
    pub fn request(incoming: Incoming<'_>, attributes: Vec<KeyValue>) -> Span {
        let Some((_, tracer)) = TELEMETRY.get() else {
            return Span(None);
        };
        let parent = TraceContextPropagator::new().extract(&incoming);
        let span = tracer
            .span_builder("request")
            .with_kind(SpanKind::Server)
            .with_attributes(attributes)
            .start_with_context(tracer, &parent);
        Span(Some(parent.with_span(span)))
    }

    /// Whether this span is being recorded (false when telemetry is off).
    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Set one attribute.
    pub fn set(&self, key: &'static str, value: impl Into<Value>) {
        if let Some(cx) = &self.0 {
            cx.span().set_attribute(KeyValue::new(key, value));
        }
    }

    /// Rename the span (once what it is about is known: the request's route).
    pub fn rename(&self, name: String) {
        if let Some(cx) = &self.0 {
            cx.span().update_name(name);
        }
    }

    /// Mark the span as failed with `message` (no secrets: callers pass masked text).
    pub fn fail(&self, message: String) {
        if let Some(cx) = &self.0 {
            cx.span().set_status(Status::error(message));
        }
    }

    /// The W3C headers that make an outbound request this span's child (none when off).
    pub fn propagation(&self) -> Vec<(String, String)> {
        self.0.as_ref().map(inject).unwrap_or_default()
    }

    /// End the span now.
    pub fn end(self) {
        if let Some(cx) = &self.0 {
            cx.span().end();
        }
    }
}

/// Run `future` with `span` as the current context, so spans made inside it are its
/// children; as it is when telemetry is off.
pub fn within<F: Future>(
    span: &Span,
    future: F,
) -> Either<opentelemetry::context::WithContext<F>, F> {
    use opentelemetry::context::FutureExt;
    match &span.0 {
        Some(cx) => Either::Left(future.with_context(cx.clone())),
        None => Either::Right(future),
    }
}

/// The W3C `traceparent` (and `tracestate`) headers continuing the current span's trace, for
/// an outbound request; none when telemetry is off or no span is current.
pub fn propagation() -> Vec<(String, String)> {
    if !enabled() {
        return Vec::new();
    }
    inject(&Context::current())
}

fn inject(cx: &Context) -> Vec<(String, String)> {
    if !cx.span().span_context().is_valid() {
        return Vec::new();
    }
    let mut headers = Headers(Vec::new());
    TraceContextPropagator::new().inject_context(cx, &mut headers);
    headers.0
}

/// The trace headers a caller sent with its request.
#[derive(Debug, Clone, Copy, Default)]
pub struct Incoming<'a> {
    pub traceparent: Option<&'a str>,
    pub tracestate: Option<&'a str>,
}

impl Extractor for Incoming<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        match key {
            "traceparent" => self.traceparent,
            "tracestate" => self.tracestate,
            _ => None,
        }
    }

    fn keys(&self) -> Vec<&str> {
        vec!["traceparent", "tracestate"]
    }
}

struct Headers(Vec<(String, String)>);

impl Injector for Headers {
    fn set(&mut self, key: &str, value: String) {
        self.0.push((key.to_string(), value));
    }
}

/// Attribute helpers, so callers need not name the opentelemetry crate.
pub fn attribute(key: &'static str, value: impl Into<Value>) -> KeyValue {
    KeyValue::new(key, value)
}

pub use opentelemetry::trace::SpanKind as Kind;

/// The exporter's HTTP client: one blocking HTTP/1.1 POST per batch over a fresh connection.
/// It runs on the batch processor's own thread, which blocks on the export anyway; a pooled
/// async client (reqwest, hyper) would add 14 crates for a request every few seconds
/// (docs/decisions.md). Plain http only: a collector next to the process (or a sidecar) is
/// the usual set-up, and it forwards over TLS itself.
#[derive(Debug, Clone, Copy)]
pub struct PlainHttp;

#[async_trait::async_trait]
impl opentelemetry_http::HttpClient for PlainHttp {
    async fn send_bytes(
        &self,
        request: http::Request<bytes::Bytes>,
    ) -> Result<http::Response<bytes::Bytes>, opentelemetry_http::HttpError> {
        let (parts, body) = request.into_parts();
        let (status, answer) = post(&parts.uri, &parts.headers, &body)?;
        Ok(http::Response::builder().status(status).body(answer)?)
    }
}

/// POST `body` to `uri`; the answer's status and body.
fn post(
    uri: &http::Uri,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<(u16, bytes::Bytes), std::io::Error> {
    let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, what);
    let host = uri.host().ok_or_else(|| invalid("no host"))?;
    let port = uri.port_u16().unwrap_or(80);
    let address = std::net::ToSocketAddrs::to_socket_addrs(&(host, port))?
        .next()
        .ok_or_else(|| invalid("the collector's name resolves to no address"))?;
    let mut stream = TcpStream::connect_timeout(&address, EXPORT_TIMEOUT)?;
    stream.set_read_timeout(Some(EXPORT_TIMEOUT))?;
    stream.set_write_timeout(Some(EXPORT_TIMEOUT))?;
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        if let Ok(value) = value.to_str() {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut answer = Vec::new();
    stream.take(MAX_ANSWER).read_to_end(&mut answer)?;
    parse_answer(&answer).ok_or_else(|| invalid("the collector's answer is not HTTP"))
}

/// The status and body of an HTTP/1.1 answer read to its end (chunked bodies joined).
fn parse_answer(answer: &[u8]) -> Option<(u16, bytes::Bytes)> {
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&answer[..split]).ok()?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let body = &answer[split + 4..];
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    if !chunked {
        return Some((status, bytes::Bytes::copy_from_slice(body)));
    }
    let mut joined = Vec::new();
    let mut rest = body;
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&rest[..end]).ok()?.split(';').next()?;
        let size = usize::from_str_radix(size.trim(), 16).ok()?;
        let start = end + 2;
        if size == 0 || rest.len() < start + size {
            break;
        }
        joined.extend_from_slice(&rest[start..start + size]);
        rest = rest.get(start + size + 2..).unwrap_or_default();
    }
    Some((status, bytes::Bytes::from(joined)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_get_the_traces_path_once_and_only_http() {
        let url = |e: &str| traces_url(e).ok();
        assert_eq!(
            url("http://127.0.0.1:4318").as_deref(),
            Some("http://127.0.0.1:4318/v1/traces")
        );
        assert_eq!(
            url("http://collector:4318/v1/traces/").as_deref(),
            Some("http://collector:4318/v1/traces")
        );
        assert!(url("https://collector:4318").is_none());
        assert!(url("collector:4318").is_none());
    }

    #[test]
    fn answers_are_read_plain_or_chunked() {
        let plain = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        assert_eq!(parse_answer(plain), Some((200, bytes::Bytes::from("ok"))));
        let chunked = b"HTTP/1.1 400 Bad\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(
            parse_answer(chunked),
            Some((400, bytes::Bytes::from("abcde")))
        );
        assert_eq!(parse_answer(b"garbage"), None);
    }

    #[test]
    fn off_means_no_spans_and_no_headers() {
        // This test binary never starts telemetry.
        let span = Span::child("hook", Kind::Internal, vec![attribute("hook.label", "x")]);
        assert!(!span.is_on());
        assert!(propagation().is_empty());
        let incoming = Incoming {
            traceparent: Some("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            tracestate: None,
        };
        assert!(!Span::request(incoming, Vec::new()).is_on());
    }
}
