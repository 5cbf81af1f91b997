//! A local OAuth 2 authorization server and the API it protects, on 127.0.0.1:<random port>.
//!
//! Written from RFC 6749 / RFC 7636 apart from `elemental::auth::oauth2`: `/authorize`
//! checks the client and its redirect URI and redirects with a code; `/token` checks the
//! client (Basic or form), the code's redirect URI and PKCE verifier, rotates refresh tokens
//! (each refresh invalidates the old one), does the password grant, and fails with
//! `400 invalid_grant` once revoked. `/api/...` answers 401 to any token but a live one.
// Each test binary including this uses part of it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::Engine as _;
use serde_json::json;
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "client-1";
pub const CLIENT_SECRET: &str = "client-s3cret";
pub const REDIRECT_URI: &str = "https://app.test/callback";
pub const USERNAME: &str = "ann";
pub const PASSWORD: &str = "ann-passw0rd";

#[derive(Default)]
struct Book {
    /// Codes not yet used: their redirect URI and PKCE challenge.
    codes: HashMap<String, (String, Option<String>)>,
    /// Live access tokens and when they stop being accepted.
    access: HashMap<String, Instant>,
    /// The one refresh token that works (rotation).
    refresh: Option<String>,
    issued: usize,
    expires_in: u64,
    revoked: bool,
    token_requests: usize,
    /// Whether the client authenticated with Basic, per token request.
    basic: Vec<bool>,
    /// Slow token answers: a burst of callers is all waiting while the refresh runs.
    delay: Option<Duration>,
    /// The API refuses every token (a vendor that 401s whatever it is sent).
    refuse_all: bool,
    /// Answer tokens as a form (`access_token=...&...`), as some vendors do.
    form: bool,
    /// The client's registered redirect URI.
    redirect: String,
}

/// The authorization server and protected API.
pub struct AuthServer {
    pub base: String,
    book: Arc<Mutex<Book>>,
    handle: actix_web::dev::ServerHandle,
}

impl AuthServer {
    /// Start with tokens that live `expires_in` seconds.
    pub fn start(expires_in: u64) -> AuthServer {
        let book = Arc::new(Mutex::new(Book {
            expires_in,
            redirect: REDIRECT_URI.into(),
            ..Book::default()
        }));
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind auth server");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (tx, rx) = mpsc::channel();
        let shared = book.clone();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(web::Data::from(shared.clone()))
                        .route("/authorize", web::get().to(authorize))
                        .route("/token", web::post().to(token))
                        .default_service(web::to(api))
                })
                .workers(2)
                .listen(listener)
                .expect("listen")
                .run();
                let _ = tx.send(server.handle());
                let _ = server.await;
            });
        });
        let handle = rx.recv().expect("auth server started");
        AuthServer { base, book, handle }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Book) -> T) -> T {
        f(&mut self.book.lock().expect("lock"))
    }

    /// Tokens issued out of band (a connected account): `access` already expired, `refresh`
    /// the live refresh token.
    pub fn seed(&self, access: &str, refresh: &str) {
        self.with(|b| {
            b.access.insert(access.to_string(), Instant::now());
            b.refresh = Some(refresh.to_string());
        });
    }

    /// An access token the API accepts for `seconds` more.
    pub fn seed_live(&self, access: &str, seconds: u64) {
        let until = Instant::now() + Duration::from_secs(seconds);
        self.with(|b| b.access.insert(access.to_string(), until));
    }

    /// The vendor stops accepting `access` (revoked on its side before it expired).
    pub fn reject(&self, access: &str) {
        self.with(|b| b.access.remove(access));
    }

    /// Refresh tokens stop working: refreshes fail with 400 invalid_grant.
    pub fn revoke(&self) {
        self.with(|b| b.revoked = true);
    }

    /// The API answers 401 to every token, new ones too.
    pub fn refuse_all(&self) {
        self.with(|b| b.refuse_all = true);
    }

    pub fn slow(&self, delay: Duration) {
        self.with(|b| b.delay = Some(delay));
    }

    pub fn answer_in_form(&self) {
        self.with(|b| b.form = true);
    }

    /// Register `uri` as the client's redirect URI instead of REDIRECT_URI.
    pub fn register_redirect(&self, uri: &str) {
        self.with(|b| b.redirect = uri.to_string());
    }

    pub fn token_requests(&self) -> usize {
        self.with(|b| b.token_requests)
    }

    /// Whether each token request authenticated the client with Basic.
    pub fn basic(&self) -> Vec<bool> {
        self.with(|b| b.basic.clone())
    }

    /// The refresh token that works now.
    pub fn live_refresh(&self) -> Option<String> {
        self.with(|b| b.refresh.clone())
    }
}

impl Drop for AuthServer {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        std::thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(false)));
    }
}

fn pairs(text: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn error(status: u16, code: &str, description: &str) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status).expect("status");
    HttpResponse::build(status).json(json!({"error": code, "error_description": description}))
}

/// RFC 6749 §4.1.1: check the client and redirect URI, answer 302 to it with a code.
async fn authorize(request: HttpRequest, book: web::Data<Mutex<Book>>) -> HttpResponse {
    let query = pairs(request.query_string());
    let get = |k: &str| query.get(k).cloned().unwrap_or_default();
    if get("response_type") != "code" || get("client_id") != CLIENT_ID {
        return error(400, "invalid_request", "unknown client or response type");
    }
    let mut book = book.lock().expect("lock");
    if get("redirect_uri") != book.redirect {
        return error(400, "invalid_request", "redirect_uri is not registered");
    }
    let challenge = query.get("code_challenge").cloned();
    if challenge.is_some() && get("code_challenge_method") != "S256" {
        return error(400, "invalid_request", "only S256");
    }
    book.issued += 1;
    let code = format!("code-{}", book.issued);
    book.codes
        .insert(code.clone(), (get("redirect_uri"), challenge));
    let location = format!("{}?code={code}&state={}", get("redirect_uri"), get("state"));
    HttpResponse::Found()
        .append_header(("Location", location))
        .finish()
}

/// The client's credentials: Basic (form-encoded parts) or the form's.
fn client(request: &HttpRequest, form: &HashMap<String, String>) -> (bool, String, String) {
    let basic = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    match basic.as_deref().and_then(|b| b.split_once(':')) {
        Some((id, secret)) => {
            let decode = |t: &str| pairs(&format!("x={t}")).remove("x").unwrap_or_default();
            (true, decode(id), decode(secret))
        }
        None => {
            let get = |k: &str| form.get(k).cloned().unwrap_or_default();
            (false, get("client_id"), get("client_secret"))
        }
    }
}

async fn token(
    request: HttpRequest,
    body: web::Bytes,
    book: web::Data<Mutex<Book>>,
) -> HttpResponse {
    let form = pairs(&String::from_utf8_lossy(&body));
    let delay = {
        let mut book = book.lock().expect("lock");
        book.token_requests += 1;
        book.delay
    };
    if let Some(delay) = delay {
        actix_web::rt::time::sleep(delay).await;
    }
    let (basic, id, secret) = client(&request, &form);
    let mut book = book.lock().expect("lock");
    book.basic.push(basic);
    if id != CLIENT_ID || secret != CLIENT_SECRET {
        return error(401, "invalid_client", "wrong client credentials");
    }
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let refused = match get("grant_type").as_str() {
        "authorization_code" => check_code(&mut book, &form),
        "refresh_token" if book.revoked => Some("the refresh token was revoked"),
        "refresh_token" if book.refresh.as_deref() != Some(get("refresh_token").as_str()) => {
            Some("unknown or already used refresh token")
        }
        "refresh_token" => None,
        "password" if get("username") == USERNAME && get("password") == PASSWORD => None,
        "password" => Some("wrong username or password"),
        _ => return error(400, "unsupported_grant_type", "unknown grant"),
    };
    if let Some(reason) = refused {
        return error(400, "invalid_grant", reason);
    }
    issue(&mut book)
}

/// RFC 6749 §4.1.3 and RFC 7636 §4.6: a code once, its redirect URI, its verifier.
fn check_code(book: &mut Book, form: &HashMap<String, String>) -> Option<&'static str> {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let Some((redirect, challenge)) = book.codes.remove(&get("code")) else {
        return Some("unknown or used code");
    };
    if redirect != get("redirect_uri") {
        return Some("redirect_uri differs from the authorization request's");
    }
    if let Some(challenge) = challenge {
        let digest = Sha256::digest(get("code_verifier").as_bytes());
        let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
        if computed != challenge {
            return Some("code_verifier does not match the challenge");
        }
    }
    None
}

/// New tokens: the old refresh token stops working.
fn issue(book: &mut Book) -> HttpResponse {
    book.issued += 1;
    // Long enough for traces to mask them inside any text (6 characters and more).
    let n = book.issued;
    let (access, refresh) = (format!("at-{n}-q7Zp2Lk9"), format!("rt-{n}-q7Zp2Lk9"));
    let until = Instant::now() + Duration::from_secs(book.expires_in);
    book.access.insert(access.clone(), until);
    book.refresh = Some(refresh.clone());
    let expires_in = book.expires_in.to_string();
    if book.form {
        let body = format!("access_token={access}&refresh_token={refresh}&expires_in={expires_in}");
        return HttpResponse::Ok()
            .content_type("application/x-www-form-urlencoded")
            .body(body);
    }
    HttpResponse::Ok().json(json!({
        "access_token": access,
        "refresh_token": refresh,
        "expires_in": book.expires_in,
        "token_type": "bearer",
    }))
}

/// The protected API: a live token as `Authorization: Bearer` or `access_token` query.
async fn api(request: HttpRequest, book: web::Data<Mutex<Book>>) -> HttpResponse {
    let bearer = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let token = bearer.or_else(|| pairs(request.query_string()).remove("access_token"));
    let book = book.lock().expect("lock");
    let live = token
        .as_ref()
        .and_then(|t| book.access.get(t))
        .is_some_and(|until| *until > Instant::now());
    if !live || book.refuse_all {
        return HttpResponse::Unauthorized().json(json!({"message": "invalid or expired token"}));
    }
    HttpResponse::Ok().json(json!({"path": request.path(), "data": [{"id": 1}]}))
}
