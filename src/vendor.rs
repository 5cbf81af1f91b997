//! The vendor client: the only module that names awc. Timeouts, size limits, header hygiene.

use std::time::Duration;

use bytes::Bytes;

/// Headers that describe one connection, never forwarded in either direction (RFC 9110 §7.6.1),
/// plus the framing headers the client recomputes.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
];

/// Response headers that describe the encoded body: the client decodes gzip, so they no
/// longer hold for what is read and forwarded.
fn describes_encoding(name: &str) -> bool {
    name.eq_ignore_ascii_case("content-encoding")
}

/// True for headers that must not cross the proxy.
pub fn is_hop_by_hop(name: &str) -> bool {
    HOP_BY_HOP.iter().any(|h| h.eq_ignore_ascii_case(name))
}

#[derive(Debug, Clone, Copy)]
pub struct VendorLimits {
    pub connect: Duration,
    /// The whole exchange: connect, send, response head and body.
    pub total: Duration,
    pub max_body: usize,
}

impl Default for VendorLimits {
    fn default() -> Self {
        VendorLimits {
            connect: Duration::from_secs(5),
            total: Duration::from_secs(60),
            max_body: 16 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone)]
pub struct VendorRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Bytes>,
}

#[derive(Debug, Clone)]
pub struct VendorResponse {
    pub status: u16,
    /// Lower-case names, in the vendor's order, repeated names kept.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

#[derive(Debug, thiserror::Error)]
pub enum VendorError {
    #[error("the vendor URL {0} is not valid")]
    BadUrl(String),
    #[error("the vendor method {0} is not valid")]
    BadMethod(String),
    #[error("invalid header for the vendor: {0}")]
    BadHeader(String),
    #[error("could not reach the vendor at {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("the vendor did not answer within {0:?}")]
    Timeout(Duration),
    #[error("the vendor's response body exceeds {0} bytes")]
    TooLarge(usize),
    #[error("the vendor sent an invalid response: {0}")]
    Invalid(String),
}

/// One per worker thread: awc clients are `!Send` and keep a connection pool each.
pub struct VendorClient {
    client: awc::Client,
    limits: VendorLimits,
}

impl VendorClient {
    pub fn new(limits: VendorLimits) -> VendorClient {
        // rustls needs one process-wide crypto provider; ring keeps the build free of cmake.
        // A second install (another client) fails harmlessly.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let connector = awc::Connector::new().timeout(limits.connect);
        let client = awc::Client::builder()
            .connector(connector)
            .timeout(limits.total)
            .disable_redirects()
            .add_default_header((
                "User-Agent",
                concat!("elemental/", env!("CARGO_PKG_VERSION")),
            ))
            .finish();
        VendorClient { client, limits }
    }

    /// Send a request and read the whole response within the limits.
    pub async fn send(&self, request: VendorRequest) -> Result<VendorResponse, VendorError> {
        let method = awc::http::Method::from_bytes(request.method.as_bytes())
            .map_err(|_| VendorError::BadMethod(request.method.clone()))?;
        let uri: awc::http::Uri = request
            .url
            .parse()
            .map_err(|_| VendorError::BadUrl(request.url.clone()))?;
        if uri.scheme().is_none() || uri.host().is_none() {
            return Err(VendorError::BadUrl(request.url.clone()));
        }
        let mut outbound = self.client.request(method, uri);
        for (name, value) in &request.headers {
            if is_hop_by_hop(name) {
                continue;
            }
            let name = awc::http::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| VendorError::BadHeader(name.clone()))?;
            let value = awc::http::header::HeaderValue::from_str(value)
                .map_err(|_| VendorError::BadHeader(format!("{name}: {value:?}")))?;
            outbound = outbound.append_header((name, value));
        }
        // The current span's trace goes on at the vendor (W3C Trace Context; telemetry on).
        for (name, value) in crate::telemetry::propagation() {
            outbound = outbound.insert_header((name.as_str(), value.as_str()));
        }
        let total = self.limits.total;
        let url = request.url.clone();
        let exchange = async move {
            let sent = match request.body {
                Some(body) => outbound.send_body(body).await,
                None => outbound.send().await,
            };
            let mut response = sent.map_err(|e| classify(&url, total, e))?;
            let status = response.status().as_u16();
            let promised = declared_length(response.headers());
            let headers = response_headers(response.headers(), false);
            let body = response
                .body()
                .limit(self.limits.max_body)
                .await
                .map_err(|e| match e {
                    awc::error::PayloadError::Overflow => {
                        VendorError::TooLarge(self.limits.max_body)
                    }
                    other => VendorError::Invalid(other.to_string()),
                })?;
            if let Some(promised) = promised.filter(|&p| body.len() < p) {
                return Err(VendorError::Invalid(format!(
                    "the connection closed after {} of the {promised} bytes the vendor announced",
                    body.len()
                )));
            }
            Ok(VendorResponse {
                status,
                headers,
                body,
            })
        };
        // awc's own timeout covers the response head only; this bounds a trickling body too.
        actix_rt::time::timeout(total, exchange)
            .await
            .map_err(|_| VendorError::Timeout(total))?
    }
}

/// The headers of a response that still hold for what is forwarded: none about the
/// connection or the encoding the client undid. Hooks also see Content-Length when
/// `keep_length`.
fn response_headers(
    headers: &awc::http::header::HeaderMap,
    keep_length: bool,
) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| {
            (!is_hop_by_hop(name.as_str()) || (keep_length && name.as_str() == "content-length"))
                && !describes_encoding(name.as_str())
        })
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// The body length a response announces, when the body is not compressed (a decoded body
/// is longer than its Content-Length).
fn declared_length(headers: &awc::http::header::HeaderMap) -> Option<usize> {
    if headers.contains_key("content-encoding") {
        return None;
    }
    headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

fn classify(url: &str, total: Duration, error: awc::error::SendRequestError) -> VendorError {
    use awc::error::SendRequestError as E;
    match error {
        E::Timeout => VendorError::Timeout(total),
        E::Connect(awc::error::ConnectError::Timeout) => VendorError::Timeout(total),
        E::Url(e) => VendorError::BadUrl(format!("{url} ({e})")),
        E::Response(e) => VendorError::Invalid(e.to_string()),
        other => VendorError::Connect {
            url: url.to_string(),
            reason: other.to_string(),
        },
    }
}

/// A hook's outbound HTTP request (`http`, `httpRequest`, `fetch` all end here).
#[derive(Debug, Clone)]
pub struct HookRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Bytes>,
    pub timeout: Duration,
    pub follow_redirects: bool,
    pub max_body: usize,
}

#[derive(Debug, Clone)]
pub struct HookResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// The URL that answered, after redirects.
    pub url: String,
    pub redirected: bool,
}

/// Resolves names and refuses the whole lookup if any address breaks the policy, so a
/// name cannot smuggle a private address past the check (nor rebind between check and use:
/// the addresses checked are the ones connected to).
struct PolicyResolver {
    policy: crate::egress::Policy,
}

impl actix_tls::connect::Resolve for PolicyResolver {
    fn lookup<'a>(
        &'a self,
        host: &'a str,
        port: u16,
    ) -> futures_util::future::LocalBoxFuture<
        'a,
        Result<Vec<std::net::SocketAddr>, Box<dyn std::error::Error>>,
    > {
        Box::pin(async move {
            use std::net::ToSocketAddrs;
            let name = host.to_string();
            let addresses: Vec<std::net::SocketAddr> = actix_rt::task::spawn_blocking(move || {
                (name.as_str(), port)
                    .to_socket_addrs()
                    .map(Iterator::collect)
            })
            .await
            .map_err(|e| Box::new(e) as Box<dyn std::error::Error>)?
            .map_err(|e| Box::new(e) as Box<dyn std::error::Error>)?;
            for address in &addresses {
                self.policy
                    .check_address(host, address.ip())
                    .map_err(|refusal| Box::new(refusal) as Box<dyn std::error::Error>)?;
            }
            Ok(addresses)
        })
    }
}

thread_local! {
    /// One client per policy per worker: each keeps its own pool of checked connections.
    static HOOK_CLIENTS: std::cell::RefCell<std::collections::HashMap<crate::egress::Policy, awc::Client>> = std::cell::RefCell::new(std::collections::HashMap::new());
}

fn hook_client(policy: &crate::egress::Policy) -> awc::Client {
    HOOK_CLIENTS.with(|clients| {
        clients
            .borrow_mut()
            .entry(policy.clone())
            .or_insert_with(|| {
                let _ = rustls::crypto::ring::default_provider().install_default();
                let resolver = actix_tls::connect::Resolver::custom(PolicyResolver {
                    policy: policy.clone(),
                });
                let tcp = actix_tls::connect::Connector::new(resolver).service();
                let connector = awc::Connector::new()
                    .connector(tcp)
                    .timeout(Duration::from_secs(10));
                // The request's own deadline (`OutboundRequest::timeout`, 30 s by default)
                // bounds the whole exchange; awc's default of 5 s for the answer's head would
                // cut a slow vendor off first, as a connect failure.
                awc::Client::builder()
                    .connector(connector)
                    .disable_timeout()
                    .disable_redirects()
                    .add_default_header((
                        "User-Agent",
                        concat!("elemental-hook/", env!("CARGO_PKG_VERSION")),
                    ))
                    .finish()
            })
            .clone()
    })
}

/// Send a hook's request under the egress policy, following redirects if asked (each hop
/// checked again), reading at most `max_body` bytes within `timeout`.
pub async fn send_hook_request(
    policy: &crate::egress::Policy,
    request: HookRequest,
) -> Result<HookResponse, String> {
    let client = hook_client(policy);
    let deadline = std::time::Instant::now() + request.timeout;
    let mut hop = Hop {
        url: request.url.clone(),
        method: request.method.clone(),
        body: request.body.clone(),
    };
    let mut redirected = false;
    for _hop in 0..=10 {
        let uri = checked_uri(policy, &hop.url)?;
        let (status, headers, bytes) = exchange(&client, uri, &hop, &request, deadline).await?;
        let location = headers
            .iter()
            .find(|(n, _)| n == "location")
            .map(|(_, v)| v.clone());
        match location {
            Some(location)
                if request.follow_redirects && (300..400).contains(&status) && status != 304 =>
            {
                hop.redirect(status, &location)?;
                redirected = true;
            }
            _ => {
                return Ok(HookResponse {
                    status,
                    headers,
                    body: bytes,
                    url: hop.url,
                    redirected,
                })
            }
        }
    }
    Err(format!(
        "too many redirects (more than 10) from {}",
        request.url
    ))
}

/// What changes from one redirect to the next.
struct Hop {
    url: String,
    method: String,
    body: Option<Bytes>,
}

impl Hop {
    fn redirect(&mut self, status: u16, location: &str) -> Result<(), String> {
        let base = url::Url::parse(&self.url).map_err(|e| e.to_string())?;
        self.url = base
            .join(location)
            .map_err(|_| format!("invalid redirect to {location}"))?
            .to_string();
        // 303 (and 301/302 after POST, as browsers and Node clients do) become GET.
        if status == 303 || ((status == 301 || status == 302) && self.method == "POST") {
            self.method = "GET".into();
            self.body = None;
        }
        Ok(())
    }
}

/// The URL of one hop, if the policy allows its scheme, host and port.
fn checked_uri(policy: &crate::egress::Policy, url: &str) -> Result<awc::http::Uri, String> {
    let uri: awc::http::Uri = url.parse().map_err(|_| format!("invalid URL {url}"))?;
    let scheme = uri.scheme_str().unwrap_or_default().to_ascii_lowercase();
    let host = uri
        .host()
        .ok_or_else(|| format!("invalid URL {url}: no host"))?
        .to_string();
    let port = uri
        .port_u16()
        .unwrap_or(if scheme == "https" { 443 } else { 80 });
    policy
        .check_target(&scheme, &host, port)
        .map_err(|r| r.to_string())?;
    // An address written in the URL never reaches the resolver: check it here.
    if let Ok(ip) = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
    {
        policy.check_address(&host, ip).map_err(|r| r.to_string())?;
    }
    Ok(uri)
}

/// One request and its whole response (status, headers, body), within what is left of the
/// hook's time.
async fn exchange(
    client: &awc::Client,
    uri: awc::http::Uri,
    hop: &Hop,
    request: &HookRequest,
    deadline: std::time::Instant,
) -> Result<(u16, Vec<(String, String)>, Bytes), String> {
    let method = awc::http::Method::from_bytes(hop.method.as_bytes())
        .map_err(|_| format!("invalid method {}", hop.method))?;
    let mut outbound = client.request(method, uri);
    for (name, value) in &request.headers {
        if is_hop_by_hop(name) {
            continue;
        }
        outbound = outbound.append_header((name.as_str(), value.as_str()));
    }
    let remaining = deadline.saturating_duration_since(std::time::Instant::now());
    let reading = async {
        let sent = match &hop.body {
            Some(bytes) => outbound.send_body(bytes.clone()).await,
            None => outbound.send().await,
        };
        let mut response = sent.map_err(|e| describe_send_error(&hop.url, e))?;
        let status = response.status().as_u16();
        let headers = response_headers(response.headers(), true);
        let bytes = response
            .body()
            .limit(request.max_body)
            .await
            .map_err(|e| match e {
                awc::error::PayloadError::Overflow => {
                    format!("the response body exceeds {} bytes", request.max_body)
                }
                other => format!("reading the response failed: {other}"),
            })?;
        Ok::<_, String>((status, headers, bytes))
    };
    actix_rt::time::timeout(remaining, reading)
        .await
        .map_err(|_| format!("timed out after {} ms", request.timeout.as_millis()))?
}

fn describe_send_error(url: &str, error: awc::error::SendRequestError) -> String {
    use awc::error::{ConnectError, SendRequestError as E};
    match error {
        E::Connect(ConnectError::Resolver(e)) => e.to_string(),
        E::Connect(ConnectError::Timeout) => format!("connecting to {url} timed out"),
        E::Timeout => format!("{url} did not answer in time"),
        other => format!("request to {url} failed: {other}"),
    }
}
