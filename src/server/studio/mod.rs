//! The studio: a web UI at `/studio`, embedded in the binary, over the admin API; logging in
//! with the admin token gives an HttpOnly, SameSite=Strict session cookie.
//!
//! - `session` — the cookie and the CSRF token, both signed with a key drawn from the admin
//!   token (stateless: every node given the same token accepts them; changing the token ends
//!   every session).
//! - `api` — admin routes the pages read besides the existing ones: elements with their
//!   hooks, recent traces, scripts, and "try it" (a real call through an instance, traced).
//! - `playground` — one hook run again with an edited script or variables.

pub mod api;
pub mod playground;
pub mod session;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::state::State;

/// The pages and their script and style, as built into the binary (no CDN: the studio works
/// offline).
const APP_HTML: &str = include_str!("../../../studio/app.html");
const LOGIN_HTML: &str = include_str!("../../../studio/login.html");
const CALLBACK_HTML: &str = include_str!("../../../studio/callback.html");
const APP_JS: &str = include_str!("../../../studio/app.js");
const APP_CSS: &str = include_str!("../../../studio/app.css");

/// The routes under `/studio`.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("", web::get().to(page))
        .route("/", web::get().to(page))
        .route("/login", web::post().to(login))
        .route("/logout", web::post().to(logout))
        .route("/session", web::get().to(session_info))
        .route("/callback", web::get().to(callback))
        .route("/assets/{file}", web::get().to(asset));
}

/// The app with a session, the login form without one.
async fn page(request: HttpRequest, state: web::Data<State>) -> HttpResponse {
    let html = match session::of(&request, &state.settings) {
        Some(_) => APP_HTML,
        None => LOGIN_HTML,
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("Content-Security-Policy", CSP))
        .insert_header(("X-Frame-Options", "DENY"))
        .body(html)
}

/// Where a vendor's OAuth consent page sends the browser back (`callbackUrl`): a page that
/// needs no session, whose script keeps the code and moves on into the studio.
async fn callback() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("Content-Security-Policy", CSP))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(CALLBACK_HTML)
}

/// Only the studio's own script and style: an injected script (a hook's source shown in a
/// page, a vendor's answer) cannot run.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";

async fn asset(file: web::Path<String>) -> HttpResponse {
    let (body, kind) = match file.as_str() {
        "app.js" => (APP_JS, "text/javascript; charset=utf-8"),
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        _ => return HttpResponse::NotFound().finish(),
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, kind))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body)
}

#[derive(Deserialize)]
struct Login {
    token: String,
}

/// The login form's POST: the admin token, compared in constant time, gives the session
/// cookie; a wrong one shows the form again with a 401.
async fn login(
    request: HttpRequest,
    form: web::Form<Login>,
    state: web::Data<State>,
) -> HttpResponse {
    let Some(cookie) = session::open(&form.token, &state.settings, secure(&request, &state)) else {
        tracing::warn!("studio: a login with a wrong admin token");
        return HttpResponse::Unauthorized()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header(("Content-Security-Policy", CSP))
            .body(LOGIN_HTML.replace(
                "<!--failed-->",
                "<p class=\"error\" id=\"failed\">That is not the admin token.</p>",
            ));
    };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/studio/"))
        .insert_header((header::SET_COOKIE, cookie))
        .finish()
}

async fn logout(request: HttpRequest, state: web::Data<State>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/studio/"))
        .insert_header((
            header::SET_COOKIE,
            session::closed(secure(&request, &state)),
        ))
        .finish()
}

/// The CSRF token the pages send back with every change (`X-CSRF-Token`).
async fn session_info(request: HttpRequest, state: web::Data<State>) -> HttpResponse {
    match session::of(&request, &state.settings) {
        Some(session) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(json!({"csrf": session.csrf, "expires": session.expires})),
        None => HttpResponse::Unauthorized().json(json!({"message": "log in to the studio"})),
    }
}

/// Whether the cookie must say `Secure`: the studio was reached over https (directly or, by
/// `--public-url`, behind a proxy that ends TLS).
fn secure(request: &HttpRequest, state: &State) -> bool {
    request.connection_info().scheme() == "https"
        || state
            .settings
            .public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
}
