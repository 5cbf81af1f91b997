//! `GET /docs/<elementKey>`: an element's OpenAPI 3 document (`element::openapi`), behind the
//! admin token as `/admin` is — it shows every resource and parameter of the element.

use super::schema::ErrorBody;
use actix_web::{web, HttpResponse};

use super::error::{self, Failure, RequestId};
use crate::element::openapi;
use crate::state::State;

/// The route under `/docs`.
pub fn configure(config: &mut web::ServiceConfig) {
    config.route("/{element}", web::get().to(document));
}

#[utoipa::path(
    get,
    path = "/docs/{element}",
    tag = "elements",
    params(
        ("element" = String, Path),
    ),
    responses(
        (status = 200, description = "the element's resources as OpenAPI 3", body = Object),
        (status = 404, body = ErrorBody),
    )
)]
async fn document(
    state: web::Data<State>,
    key: web::Path<String>,
    request_id: RequestId,
) -> HttpResponse {
    let loaded = state.current();
    let found = loaded
        .elements
        .get(&key)
        .map(|element| openapi::document(element, &state.settings.prefix))
        .ok_or_else(|| Failure::NotFound(format!("no element {key}")));
    error::reply(
        &request_id,
        found.map(|document| HttpResponse::Ok().json(document)),
    )
}
