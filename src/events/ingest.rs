//! The inbound webhook: which instance(s) it is for, whether its signature holds, and its
//! bytes committed to the store before the vendor gets an answer.

use base64::Engine as _;
use serde_json::Value;

use crate::element::template::value_text;
use crate::instance::{Instance, Instances};
use crate::store::{EventRecord, Store, StoreError};

/// A webhook as the server received it.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub method: String,
    pub query: String,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why a webhook was refused; `server::error` gives each its status.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("no element {0}")]
    UnknownElement(String),
    #[error("no instance {0} of element {1}")]
    UnknownInstance(String, String),
    #[error("cannot tell which instance of element {0} this event is for: {1}")]
    NoInstance(String, String),
    #[error("event rejected: {0}")]
    BadSignature(String),
    #[error("the event body is {size} bytes, over the element's limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The payload hooks see: JSON, else form fields, else the text; a GET's query parameters.
pub fn payload(webhook: &Webhook) -> Value {
    let form = |text: &str| -> Value {
        let mut map = serde_json::Map::new();
        for (k, v) in url::form_urlencoded::parse(text.as_bytes()) {
            map.insert(k.into_owned(), Value::String(v.into_owned()));
        }
        Value::Object(map)
    };
    if webhook.body.is_empty() {
        return form(&webhook.query);
    }
    if let Ok(value) = serde_json::from_slice::<Value>(&webhook.body) {
        return value;
    }
    let text = String::from_utf8_lossy(&webhook.body);
    let is_form = webhook
        .headers
        .iter()
        .any(|(n, v)| n == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        form(&text)
    } else {
        Value::String(text.into_owned())
    }
}

/// The instances an event is for: the one named in the URL (base64 of its id), else those the
/// element's instance finder matches, else the element's only instance.
pub fn resolve<'a>(
    instances: &'a Instances,
    element: &str,
    named: Option<&str>,
    finder: Option<&str>,
    webhook: &Webhook,
) -> Result<Vec<&'a std::sync::Arc<Instance>>, IngestError> {
    let of_element: Vec<&std::sync::Arc<Instance>> = instances
        .all()
        .filter(|i| i.element.key == element)
        .collect();
    if let Some(named) = named {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(named)
            .or_else(|_| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(named.trim_end_matches('='))
            })
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_else(|| named.to_string());
        let id: i64 = decoded
            .trim()
            .parse()
            .map_err(|_| IngestError::UnknownInstance(named.to_string(), element.to_string()))?;
        return of_element
            .into_iter()
            .find(|i| i.id == id)
            .map(|i| vec![i])
            .ok_or_else(|| IngestError::UnknownInstance(id.to_string(), element.to_string()));
    }
    if let Some(finder) = finder {
        let (key, path) = finder.split_once('|').ok_or_else(|| {
            IngestError::NoInstance(
                element.into(),
                format!("the instance finder \"{finder}\" is not \"<configKey>|<json path>\""),
            )
        })?;
        let payload = payload(webhook);
        let found = path
            .trim()
            .trim_start_matches("$.")
            .split('.')
            .filter(|p| !p.is_empty())
            .try_fold(&payload, |v, p| v.get(p))
            .map(value_text);
        let Some(found) = found else {
            return Err(IngestError::NoInstance(
                element.into(),
                format!("the payload has no {path}"),
            ));
        };
        let matched: Vec<_> = of_element
            .into_iter()
            .filter(|i| {
                i.configuration().get(key.trim()).map(value_text).as_deref() == Some(found.as_str())
            })
            .collect();
        if matched.is_empty() {
            return Err(IngestError::NoInstance(
                element.into(),
                format!("no instance has {key} = {found}"),
            ));
        }
        return Ok(matched);
    }
    match of_element.as_slice() {
        [only] => Ok(vec![*only]),
        [] => Err(IngestError::NoInstance(
            element.into(),
            "the element has no instance".into(),
        )),
        _ => Err(IngestError::NoInstance(
            element.into(),
            "several instances: put the base64 instance id in the URL or set an instance finder"
                .into(),
        )),
    }
}

/// Check the signature for every instance, then commit one event per instance. Nothing is
/// stored unless every check passes.
pub async fn accept(
    store: &dyn Store,
    instances: &[&std::sync::Arc<Instance>],
    webhook: &Webhook,
    now_ms: i64,
) -> Result<Vec<i64>, IngestError> {
    for instance in instances {
        let element = &instance.element;
        if webhook.body.len() > element.events.max_body {
            return Err(IngestError::TooLarge {
                size: webhook.body.len(),
                limit: element.events.max_body,
            });
        }
        if let Some(check) = &element.events.signature {
            let secret = instance
                .configuration()
                .get(&check.secret)
                .map(value_text)
                .filter(|s| !s.is_empty());
            let Some(secret) = secret else {
                return Err(IngestError::BadSignature(
                    super::signature::SignatureError::NoSecret(check.secret.clone()).to_string(),
                ));
            };
            super::signature::verify(
                check,
                &webhook.headers,
                &webhook.body,
                &secret,
                (now_ms / 1000) as u64,
            )
            .map_err(|e| IngestError::BadSignature(e.to_string()))?;
        }
    }
    let mut ids = Vec::with_capacity(instances.len());
    for instance in instances {
        let record = EventRecord {
            id: 0,
            element: instance.element.key.clone(),
            instance_id: instance.id,
            method: webhook.method.clone(),
            headers: webhook.headers.clone(),
            query: webhook.query.clone(),
            body: webhook.body.clone(),
            received_at: now_ms,
            status: "received".into(),
            error: None,
            generation: 0,
            normalized: None,
        };
        ids.push(store.insert_event(&record).await?);
    }
    Ok(ids)
}
