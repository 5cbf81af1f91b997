//! A small contacts API that stands in for a vendor, so the quickstart works offline.
//! It keeps its records in memory on purpose: it is a mock vendor, not part of the product.

use std::collections::BTreeMap;
use std::sync::Mutex;

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};

#[derive(Default)]
pub struct DemoVendor {
    contacts: Mutex<BTreeMap<u64, Map<String, Value>>>,
}

pub fn configure(config: &mut web::ServiceConfig, vendor: web::Data<DemoVendor>) {
    config.service(
        web::scope("/demo-vendor/v1")
            .app_data(vendor)
            .route("/contacts", web::get().to(list))
            .route("/contacts", web::post().to(create))
            .route("/contacts/{id}", web::get().to(read))
            .route("/contacts/{id}", web::delete().to(delete))
            .route("/echo", web::to(echo)),
    );
}

fn lock(vendor: &DemoVendor) -> std::sync::MutexGuard<'_, BTreeMap<u64, Map<String, Value>>> {
    vendor
        .contacts
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `limit` and `offset` page the list, as most CRMs do; `total` counts every contact.
#[derive(serde::Deserialize)]
struct Page {
    limit: Option<usize>,
    offset: Option<usize>,
}

async fn list(vendor: web::Data<DemoVendor>, page: web::Query<Page>) -> HttpResponse {
    let contacts = lock(&vendor);
    let total = contacts.len();
    let listed: Vec<Value> = contacts
        .values()
        .skip(page.offset.unwrap_or(0))
        .take(page.limit.unwrap_or(usize::MAX))
        .cloned()
        .map(Value::Object)
        .collect();
    HttpResponse::Ok().json(json!({ "data": listed, "total": total }))
}

async fn create(vendor: web::Data<DemoVendor>, body: web::Bytes) -> HttpResponse {
    let Ok(Value::Object(mut contact)) = serde_json::from_slice::<Value>(&body) else {
        return HttpResponse::BadRequest().json(json!({ "error": "expected a JSON object" }));
    };
    // Like a real CRM: a record with none of its fields is a mistake, not a contact.
    let named = ["first_name", "last_name", "email_address"]
        .iter()
        .any(|field| contact.get(*field).is_some_and(|v| v.is_string()));
    if !named {
        return HttpResponse::BadRequest()
            .json(json!({ "error": "a contact needs first_name, last_name or email_address" }));
    }
    let mut contacts = lock(&vendor);
    let id = contacts.keys().next_back().copied().unwrap_or(0) + 1;
    contact.insert("id".into(), json!(id));
    contacts.insert(id, contact.clone());
    HttpResponse::Created()
        .insert_header(("Location", format!("https://someurl/v1/contacts/{id}.json")))
        .json(contact)
}

async fn read(vendor: web::Data<DemoVendor>, id: web::Path<u64>) -> HttpResponse {
    match lock(&vendor).get(&id) {
        Some(contact) => HttpResponse::Ok().json(contact),
        None => HttpResponse::NotFound().json(json!({ "error": format!("no contact {id}") })),
    }
}

async fn delete(vendor: web::Data<DemoVendor>, id: web::Path<u64>) -> HttpResponse {
    match lock(&vendor).remove(&id) {
        Some(_) => HttpResponse::NoContent().finish(),
        None => HttpResponse::NotFound().json(json!({ "error": format!("no contact {id}") })),
    }
}

/// The headers a stand-in vendor received, as JSON (lower-case names; the last of repeated
/// ones): what the demo echoes and what test cases' mock vendor records.
pub fn received_headers(request: &HttpRequest) -> Map<String, Value> {
    request
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                json!(String::from_utf8_lossy(v.as_bytes())),
            )
        })
        .collect()
}

/// Echo what arrived, so a user can see what hooks did to the request.
async fn echo(request: HttpRequest, body: web::Bytes) -> HttpResponse {
    let headers = received_headers(&request);
    HttpResponse::Ok().json(json!({
        "method": request.method().as_str(),
        "path": request.path(),
        "query": request.query_string(),
        "headers": headers,
        "body": String::from_utf8_lossy(&body),
    }))
}
