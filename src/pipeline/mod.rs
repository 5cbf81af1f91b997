//! One proxied request as its list of phases. Nothing here speaks HTTP server types: the
//! server hands in an `Inbound` and turns the result into a response or, through
//! `server::error`, into the error shape.
//!
//! - `exchange` — the values hooks read and change, and building the vendor request.
//! - `paging` — the caller's page turned into the vendor's, and the paging headers.
//! - `chain` — `nextResource`: the next resource of a chain, given the previous answer.
//! - `oauth1` — OAuth 1.0a's three-legged token flow (request token, access token).
//! - `converter` — a `where` rewritten for the vendor (`toQueryParameters`, OData `$filter`).
//! - `phase` — running the pre- and post-request hooks and applying their results.
//! - `parts` — the multipart side: the caller's parts, and what `multipart` parameters send.
//! - `upstream` — calling the vendor and reading its answer.
//! - `answer` — the caller's answer from what the phases left.
//! - `observe` — the one observer of every phase: metrics, the debug trace, console lines.
//! - `objects` — the metadata API an element answers itself, and hooks' `meta_data`.
//! - `oauth` — OAuth 2 tokens: the code exchange, the password grant, and the refresh before
//!   a vendor call and after a vendor 401, one per instance at a time.

mod answer;
mod chain;
mod converter;
mod exchange;
mod oauth;
pub mod oauth1;
mod objects;
mod observe;
mod paging;
mod parts;
mod phase;
mod upstream;

use std::cell::RefCell;
use std::sync::Arc;

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::admission::{Refused, Registry};
use crate::element::{Element, Resource};
use crate::hooks::HookError;
use crate::instance::Instance;
use crate::metrics::Metrics;
use crate::routing::Match;
use crate::settings::Settings;
use crate::store::{Store, StoreError};
use crate::vendor::{VendorClient, VendorError};

pub use oauth::{exchange_code, password_grant};

/// The caller's request, as the server received it (path without the prefix).
#[derive(Debug, Clone)]
pub struct Inbound {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// What goes back to the caller on success.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// Why a request did not get a normal answer; `server::error` maps each to HTTP.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    MethodNotAllowed { message: String, allow: Vec<String> },
    #[error("{0}")]
    BadRequest(String),
    #[error("element {element}: {error}")]
    Hook { element: String, error: HookError },
    #[error("element {element}: {error}")]
    Vendor { element: String, error: VendorError },
    #[error("element {element}: {message}")]
    Misconfigured { element: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The vendor's token endpoint refused a token (a revoked refresh token, a wrong
    /// password) or answered no token: the instance cannot call its vendor (401).
    #[error("element {element}: no OAuth 2 token: {error}")]
    Token {
        element: String,
        /// Boxed: the endpoint's body would make every pipeline result larger.
        error: Box<crate::auth::oauth2::OAuthError>,
    },
    /// Admission control turned the request away: the instance's rate or fair share (429),
    /// or the server's bound on waiting (503).
    #[error("{}", refused.message(instance))]
    Refused { instance: String, refused: Refused },
    /// An error a hook asked for (`response_error_message`), or a vendor error no hook handled.
    #[error("{message}")]
    Answered {
        status: u16,
        message: String,
        provider_message: Option<Value>,
        headers: Vec<(String, String)>,
    },
}

/// Everything one request needs from the server.
pub struct Call<'a> {
    pub request_id: &'a str,
    pub instance: &'a Arc<Instance>,
    pub store: &'a dyn Store,
    pub vendor: &'a VendorClient,
    pub settings: &'a Settings,
    pub metrics: &'a Metrics,
    /// The fair-share gate around request hooks; `None` runs them ungated (test cases,
    /// pollers: background work that waits its turn in its own thread).
    pub admission: Option<&'a Registry>,
    /// When debugging: each phase appends what it saw and did (unmasked; the server masks).
    pub trace: Option<&'a RefCell<Vec<Value>>>,
}

/// How metrics and traces name a resource: `GET /hubs/crm/contacts`, or `unmatched`.
pub fn resource_label(element: &Element, method: &str, path: &str) -> String {
    match element.router.find(method, path) {
        Match::Found(index, _) => element
            .resources
            .get(index)
            .map(|r| format!("{} {}", r.method, r.path))
            .unwrap_or_else(|| "unmatched".into()),
        _ => "unmatched".into(),
    }
}

/// Run the whole pipeline for one request: its resource, then each `nextResource` of its
/// chain; the last answer goes to the caller.
pub async fn handle(call: &Call<'_>, inbound: Inbound) -> Result<Answer, PipelineError> {
    let element = call.instance.element.clone();
    // 0. The metadata API (`/hubs/<hub>/objects...`), when no resource of the element is there.
    if let Some(answer) = objects::answer(&element, &inbound) {
        return answer;
    }
    // 1. Route: (method, path) → resource. Unknown: NotFound / MethodNotAllowed.
    let (resource, path_variables) = route(&element, &inbound)?;
    run_chain(call, &element, resource, path_variables, inbound).await
}

/// Run the element's lifecycle resource of type `kind` (`onProvision`, `onDelete`,
/// `provisionAuthValidation`, `onRefresh`, ...) and its chain with `inbound` aimed at it:
/// Cloud Elements runs these when an account is connected, deleted or refreshed. `None`
/// when the element has no resource of that type.
pub async fn lifecycle(
    call: &Call<'_>,
    kind: &str,
    inbound: Inbound,
) -> Option<Result<Answer, PipelineError>> {
    let element = call.instance.element.clone();
    let resource = element.resources.iter().find(|r| r.kind == kind)?;
    let inbound = Inbound {
        method: resource.method.clone(),
        path: resource.path.clone(),
        ..inbound
    };
    Some(run_chain(call, &element, resource, Map::new(), inbound).await)
}

/// A resource, then each `nextResource` of its chain; the last answer goes to the caller.
async fn run_chain(
    call: &Call<'_>,
    element: &Element,
    resource: &Resource,
    path_variables: Map<String, Value>,
    inbound: Inbound,
) -> Result<Answer, PipelineError> {
    let mut exchange = run(call, element, resource, path_variables, &inbound, None).await?;
    // A chain ends at a resource naming no next one, or at an error answer. It cannot loop:
    // the loader refuses that.
    while let Some(next) = chain::next(element, &exchange) {
        let (previous, chained, variables) = chain::step(exchange, next, &inbound);
        exchange = run(call, element, next, variables, &chained, Some(previous)).await?;
    }
    // The answer; a vendor error nobody handled becomes the error shape with
    // `providerMessage`. Configuration any hook returned is already persisted.
    answer::answer(exchange)
}

/// One resource's phases in the order they happen.
async fn run<'e>(
    call: &Call<'_>,
    element: &'e Element,
    resource: &'e Resource,
    path_variables: Map<String, Value>,
    inbound: &Inbound,
    previous: Option<chain::Previous>,
) -> Result<exchange::Exchange<'e>, PipelineError> {
    // 0. An OAuth 2 token that expired (or is due) is refreshed first, so hooks see the new
    //    one; a refused refresh is 401.
    oauth::ensure_fresh(call, resource).await?;
    // 1. Build the vendor request: base.url + vendorPath, parameters (the page asked for),
    //    authentication, default Accept/Content-Type; a bad `where` or page is BadRequest.
    let mut exchange = exchange::build(call, element, resource, path_variables, inbound, previous)?;
    // 2. Global, then resource preRequest, each seeing what the previous left;
    //    `continue: false` skips the vendor and makes the hook's values the response.
    let go_on = phase::pre_request(call, &mut exchange).await?;
    // 3. The vendor, unless skipped. Transport failures are Vendor errors (502/504).
    if go_on {
        upstream::call(call, &mut exchange).await?;
    } else {
        exchange.response.get_or_insert_with(phase::empty_answer);
    }
    // 4. Resource, then global postRequest — after a skip too; `response_error_message`
    //    turns the answer into an error.
    phase::post_request(call, &mut exchange).await?;
    // 5. The page: elemental's own cut, and the next-page token and counts.
    if let Some(page) = exchange.page.take() {
        paging::finish(call, &mut exchange, &page);
    }
    Ok(exchange)
}

fn route<'e>(
    element: &'e Element,
    inbound: &Inbound,
) -> Result<(&'e Resource, Map<String, Value>), PipelineError> {
    match element.router.find(&inbound.method, &inbound.path) {
        Match::Found(index, variables) => match element.resources.get(index) {
            Some(resource) => Ok((resource, variables)),
            None => Err(PipelineError::NotFound(format!(
                "no resource {} {}",
                inbound.method, inbound.path
            ))),
        },
        Match::WrongMethod(allow) => Err(PipelineError::MethodNotAllowed {
            message: format!(
                "element {} has no {} {} (allowed: {})",
                element.key,
                inbound.method,
                inbound.path,
                allow.join(", ")
            ),
            allow,
        }),
        Match::NotFound => Err(PipelineError::NotFound(format!(
            "element {} has no resource {} {}",
            element.key, inbound.method, inbound.path
        ))),
    }
}
