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
        let total = self.limits.total;
        let url = request.url.clone();
        let exchange = async move {
            let sent = match request.body {
                Some(body) => outbound.send_body(body).await,
                None => outbound.send().await,
            };
            let mut response = sent.map_err(|e| classify(&url, total, e))?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .filter(|(name, _)| !is_hop_by_hop(name.as_str()))
                .map(|(name, value)| {
                    (
                        name.as_str().to_string(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect();
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
