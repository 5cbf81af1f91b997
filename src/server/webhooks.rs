//! The events route: a vendor's webhook, resolved to its instances and committed to the
//! store before the vendor is answered.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;
use tracing::Instrument;

use super::error::{self, Failure, RequestId};
use super::request::{headers_of, read_body};
use crate::events::ingest::{self, IngestError, Webhook};
use crate::state::State;

/// `POST|GET <prefix>/events/{element}[/{base64 instance id}]`: a vendor's webhook.
pub async fn ingest(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<State>,
    request_id: RequestId,
) -> HttpResponse {
    let body = match read_body(payload, state.settings.max_request_body).await {
        Ok(body) => body,
        Err(failure) => return error::respond(&failure, &request_id, false),
    };
    let element = request
        .match_info()
        .get("element")
        .unwrap_or_default()
        .to_string();
    let webhook = Webhook {
        method: request.method().as_str().to_string(),
        query: request.query_string().to_string(),
        headers: headers_of(&request),
        body: body.to_vec(),
    };
    let span = tracing::info_span!("webhook", request_id = %request_id, element = %element);
    async {
        let named = request.match_info().get("instance");
        let accepted = accept(&state, &element, named, &webhook).await;
        let response = error::reply(
            &request_id,
            accepted.map(|ids| {
                state.events_wakeup.notify_one();
                HttpResponse::Ok().json(json!({"eventIds": ids}))
            }),
        );
        state
            .metrics
            .request(&element, "events", response.status().as_u16());
        response
    }
    .instrument(span)
    .await
}

/// The ids of the events stored for `webhook`, one per instance it is for.
async fn accept(
    state: &State,
    element: &str,
    named: Option<&str>,
    webhook: &Webhook,
) -> Result<Vec<i64>, Failure> {
    let loaded = state.current();
    let found = loaded
        .elements
        .get(element)
        .ok_or_else(|| IngestError::UnknownElement(element.to_string()))?;
    let instances = ingest::resolve(
        &loaded.instances,
        element,
        named,
        found.events.instance_finder.as_deref(),
        webhook,
    )?;
    let ids = ingest::accept(
        state.store.as_ref(),
        &instances,
        webhook,
        crate::clock::now_ms(),
    )
    .await?;
    Ok(ids)
}
