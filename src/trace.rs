//! Debug traces: what each phase of one request saw and did, kept for the last N requests.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::store::{Store, StoreError};

/// Shown instead of a secret.
pub const MASK: &str = "********";

/// The last `capacity` traces, by request id: in memory, and in a store several nodes
/// share, so that any node finds a trace whichever node served the request.
pub struct Traces {
    capacity: usize,
    entries: Mutex<VecDeque<(String, Value)>>,
    /// The shared store traces are kept in too; `None` for a store of one node (SQLite):
    /// memory answers as well, without a write per traced request.
    store: Option<Arc<dyn Store>>,
}

impl Traces {
    pub fn new(capacity: usize) -> Traces {
        Traces {
            capacity,
            entries: Mutex::new(VecDeque::with_capacity(capacity.min(1024))),
            store: None,
        }
    }

    /// Traces kept in `store` too when several nodes share it.
    pub fn with_store(capacity: usize, store: Arc<dyn Store>) -> Traces {
        Traces {
            store: store.shared().then_some(store),
            ..Traces::new(capacity)
        }
    }

    /// Keep a trace (already masked), forgetting the oldest beyond the capacity. The store's
    /// write is not waited for: a trace is for debugging, and the request is answered.
    pub fn keep(&self, request_id: &str, trace: Value) {
        if self.capacity == 0 {
            return;
        }
        if let Some(store) = &self.store {
            // The write started when called; dropping its answer lets it finish alone.
            drop(store.keep_trace(request_id, &trace, self.capacity));
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        while entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back((request_id.to_string(), trace));
    }

    /// The trace of `request_id`: this node's, else the shared store's.
    pub async fn find(&self, request_id: &str) -> Result<Option<Value>, StoreError> {
        if let Some(trace) = self.get(request_id) {
            return Ok(Some(trace));
        }
        match &self.store {
            Some(store) => store.trace(request_id).await,
            None => Ok(None),
        }
    }

    /// The trace of `request_id` this node kept.
    pub fn get(&self, request_id: &str) -> Option<Value> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .iter()
            .rev()
            .find(|(id, _)| id == request_id)
            .map(|(_, t)| t.clone())
    }

    /// The newest traces first, at most `limit`, each as its summary (the request, the
    /// answer's status and time, no phases): every node's from a shared store, else this
    /// node's.
    pub async fn recent(&self, limit: usize) -> Result<Vec<Value>, StoreError> {
        let traces = match &self.store {
            Some(store) => store.recent_traces(limit).await?,
            None => {
                let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
                entries
                    .iter()
                    .rev()
                    .take(limit)
                    .map(|(_, t)| t.clone())
                    .collect()
            }
        };
        Ok(traces.iter().map(summary).collect())
    }
}

/// A trace's summary: what lists show of it.
fn summary(trace: &Value) -> Value {
    const SUMMARY: &[&str] = &[
        "requestId",
        "method",
        "path",
        "status",
        "micros",
        "element",
        "instance",
        "task",
    ];
    let kept = SUMMARY
        .iter()
        .filter_map(|key| Some((key.to_string(), trace.get(*key)?.clone())))
        .collect();
    Value::Object(kept)
}

/// Headers that carry credentials in every deployment: their values are always masked.
pub const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "elements-admin-token",
    "x-elements-webhook-key",
    "x-api-key",
    "api-key",
    "x-auth-token",
    "x-access-token",
];

/// Query parameters that carry credentials (signed requests placed in the query): their values
/// are masked inside any URL.
pub const CREDENTIAL_PARAMETERS: &[&str] = &[
    "oauth_signature",
    "oauth_token",
    "x-amz-signature",
    "x-amz-security-token",
    // OAuth 2 tokens a vendor takes in the query (Pinterest's access_token), and a token
    // request's form.
    "access_token",
    "refresh_token",
    "client_secret",
];

/// Replace every secret in `value`: whole values under credential headers and under the given
/// keys (secret configuration keys, headers an element or the settings mark secret; compared
/// without case, as header names are), and every occurrence of a secret's text inside any
/// string (a secret copied into a header or a URL by a parameter or a hook is still a secret).
pub fn mask(value: &mut Value, secret_keys: &[String], secret_values: &[String]) {
    match value {
        Value::String(text) => {
            // Short values would mask innocent text (a token "tok" inside "token"); they are
            // still masked where their key or header names them.
            for secret in secret_values.iter().filter(|s| s.chars().count() >= 6) {
                if text.contains(secret.as_str()) {
                    *text = text.replace(secret.as_str(), MASK);
                }
            }
            if text.contains('=') {
                mask_parameters(text);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| mask(v, secret_keys, secret_values)),
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                let secret = CREDENTIAL_HEADERS
                    .iter()
                    .any(|h| key.eq_ignore_ascii_case(h))
                    || secret_keys.iter().any(|k| k.eq_ignore_ascii_case(key));
                if secret && !item.is_null() {
                    *item = Value::String(MASK.into());
                } else {
                    mask(item, secret_keys, secret_values);
                }
            }
        }
        _ => {}
    }
}

/// A URL for a log line: the values of credential query parameters masked.
pub fn mask_url(url: &str) -> String {
    let mut text = url.to_string();
    mask_parameters(&mut text);
    text
}

/// Mask the values of `CREDENTIAL_PARAMETERS` after `?` or `&` in a URL-like text.
fn mask_parameters(text: &mut String) {
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(['?', '&']) {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let end = rest.find(['&', '#', ' ', '"']).unwrap_or(rest.len());
        match rest[..end].split_once('=') {
            Some((name, _))
                if CREDENTIAL_PARAMETERS
                    .iter()
                    .any(|p| name.eq_ignore_ascii_case(p)) =>
            {
                out.push_str(name);
                out.push('=');
                out.push_str(MASK);
                rest = &rest[end..];
            }
            _ => {}
        }
    }
    out.push_str(rest);
    *text = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_masked_by_key_by_header_and_by_value() {
        let mut trace = json!({
            "configuration": {"api.key": "s3cr3t", "base.url": "http://x"},
            "request_vendor_headers": {"X-Api-Key": "s3cr3t", "Authorization": "Basic abc"},
            "url": "http://x/?key=s3cr3t&a=1"
        });
        mask(&mut trace, &["api.key".into()], &["s3cr3t".into()]);
        assert_eq!(
            trace,
            json!({
                "configuration": {"api.key": MASK, "base.url": "http://x"},
                "request_vendor_headers": {"X-Api-Key": MASK, "Authorization": MASK},
                "url": "http://x/?key=********&a=1"
            })
        );
    }

    #[test]
    fn signed_query_parameters_are_masked_in_urls() {
        let mut trace = json!({"url": "https://x/1?a=1&oauth_token=t0k&OAUTH_SIGNATURE=s%3D&b=2"});
        mask(&mut trace, &[], &[]);
        assert_eq!(
            trace,
            json!({"url": "https://x/1?a=1&oauth_token=********&OAUTH_SIGNATURE=********&b=2"})
        );
    }

    #[test]
    fn only_the_last_traces_are_kept() {
        let traces = Traces::new(2);
        for id in ["a", "b", "c"] {
            traces.keep(id, json!({"id": id}));
        }
        assert!(traces.get("a").is_none());
        assert_eq!(traces.get("c"), Some(json!({"id": "c"})));
    }
}
