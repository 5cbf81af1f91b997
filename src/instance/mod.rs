//! Instances: connected vendor accounts of an element, from `instances.yaml` and the store.
//!
//! - `file` — reading `instances.yaml` into records, every problem with its place.
//! - `sync` — reading an instance again after another node changed it in the store.

mod file;
mod sync;

pub use file::read_file;
pub use sync::{reread, reread_all, Reread};

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde_json::{Map, Value};

use crate::admission::Fairness;
use crate::element::template::value_text;
use crate::element::{Element, Elements};
use crate::seal::Sealer;
use crate::store::{InstanceRecord, Store, StoreError};

/// One connected account. Its configuration is what hooks see and may write back.
#[derive(Debug)]
pub struct Instance {
    pub id: i64,
    pub name: String,
    pub element: Arc<Element>,
    pub token: String,
    /// The instance's own fair-share limits (`limits:`), over its element's.
    pub limits: Fairness,
    /// Created through the instances API (else declared in instances.yaml).
    pub from_api: bool,
    pub tags: Vec<String>,
    /// The configuration before any write: the element's defaults under the record's. The
    /// writes read from the store go over it when another node changed them.
    base: Arc<Map<String, Value>>,
    /// What a renamed copy of the instance keeps sharing with it.
    shared: Arc<Shared>,
    /// Held while the instance's OAuth 2 token is refreshed: concurrent calls share one
    /// refresh (`pipeline::oauth`); shared with a renamed copy.
    pub refreshing: Arc<tokio::sync::Mutex<()>>,
    /// Seals what this instance writes to the store.
    sealer: Arc<Sealer>,
}

/// The instance's changing state: one cell for it and for a renamed copy swapped in while
/// requests still hold the old one, so no write in flight is lost.
#[derive(Debug)]
struct Shared {
    configuration: RwLock<Map<String, Value>>,
    /// Why the instance cannot call its vendor (a token refresh failed), `None` while valid.
    invalid: RwLock<Option<String>>,
}

impl Instance {
    /// The fair-share settings in force: the instance's own over its element's (the
    /// server's defaults fill the rest where they are used).
    pub fn fairness(&self) -> Fairness {
        self.limits.over(self.element.fairness)
    }

    /// Why the instance is invalid (its vendor refused a refresh), `None` while it is valid.
    pub fn invalid_reason(&self) -> Option<String> {
        self.shared
            .invalid
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Mark the instance invalid with the reason a caller and the instances API are told,
    /// or valid again (`None`).
    pub fn set_invalid(&self, reason: Option<String>) {
        *self
            .shared
            .invalid
            .write()
            .unwrap_or_else(|p| p.into_inner()) = reason;
    }

    /// A snapshot of the effective configuration.
    pub fn configuration(&self) -> Map<String, Value> {
        match self.shared.configuration.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Merge configuration written back by a hook (`null` removes a key), persist it, and
    /// make it what the next request sees. Persisted first: a change the store refused is
    /// not served. No lock is held while the store works.
    pub async fn write_configuration(
        &self,
        store: &dyn Store,
        changes: &Map<String, Value>,
    ) -> Result<(), StoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        let changes = normalize(&self.element, changes.clone());
        store
            .write_configuration(self.id, &seal(&self.sealer, &changes))
            .await?;
        let mut configuration = match self.shared.configuration.write() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        apply(&mut configuration, &changes);
        Ok(())
    }

    /// Read the configuration writes from the store again and serve them (another node
    /// wrote some): the base configuration with every stored write over it.
    pub async fn reread_writes(&self, store: &dyn Store) -> Result<(), StoreError> {
        let writes = store.configuration_writes(self.id).await?;
        let writes = open(&self.sealer, self.id, writes)?;
        let mut fresh = self.base.as_ref().clone();
        apply(&mut fresh, &writes);
        let mut configuration = match self.shared.configuration.write() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        *configuration = fresh;
        Ok(())
    }

    /// The same instance under a new name and tags, sharing its configuration.
    pub fn renamed(&self, name: String, tags: Vec<String>) -> Instance {
        Instance {
            id: self.id,
            name,
            element: self.element.clone(),
            token: self.token.clone(),
            limits: self.limits,
            from_api: self.from_api,
            tags,
            base: self.base.clone(),
            shared: self.shared.clone(),
            refreshing: self.refreshing.clone(),
            sealer: self.sealer.clone(),
        }
    }

    /// An instance that is no connected account: `configuration` over the element's
    /// defaults, id 0, stored nowhere. The OAuth URL route runs the element's hooks with it
    /// before any account exists.
    pub fn unconnected(
        element: Arc<Element>,
        configuration: Map<String, Value>,
        sealer: Arc<Sealer>,
    ) -> Instance {
        let record = InstanceRecord {
            id: 0,
            name: format!("{}-unconnected", element.key),
            element: element.key.clone(),
            configuration,
            ..InstanceRecord::default()
        };
        make(record, &element, &Map::new(), &sealer)
    }
}

/// Every instance, by token and by id.
#[derive(Debug, Default, Clone)]
pub struct Instances {
    by_token: HashMap<String, Arc<Instance>>,
    by_id: HashMap<i64, Arc<Instance>>,
}

impl Instances {
    pub fn by_token(&self, token: &str) -> Option<&Arc<Instance>> {
        self.by_token.get(token)
    }
    pub fn by_id(&self, id: i64) -> Option<&Arc<Instance>> {
        self.by_id.get(&id)
    }
    pub fn all(&self) -> impl Iterator<Item = &Arc<Instance>> {
        self.by_id.values()
    }
    pub fn len(&self) -> usize {
        self.by_id.len()
    }
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// These instances with `instance` added (or replacing the one of its id).
    pub fn with(&self, instance: Arc<Instance>) -> Instances {
        let mut next = self.without(instance.id);
        next.by_token
            .insert(instance.token.clone(), instance.clone());
        next.by_id.insert(instance.id, instance);
        next
    }

    /// These instances without the one of id `id`.
    pub fn without(&self, id: i64) -> Instances {
        let mut next = Instances {
            by_token: self.by_token.clone(),
            by_id: self.by_id.clone(),
        };
        if let Some(gone) = next.by_id.remove(&id) {
            next.by_token.remove(&gone.token);
        }
        next
    }

    /// The id for a new API instance: above every id in use and above `API_IDS`, so that
    /// ids an instances file gives by hand stay clear of them.
    pub fn next_api_id(&self) -> i64 {
        self.by_id
            .keys()
            .copied()
            .max()
            .unwrap_or(0)
            .max(API_IDS - 1)
            + 1
    }
}

/// Where the ids of instances created through the API start.
pub const API_IDS: i64 = 1_000_000;

/// The element token from `Authorization: Element <token>` or the Cloud Elements form
/// `User <u>, Organization <o>, Element <token>`.
pub fn token_from_authorization(header: &str) -> Option<&str> {
    header.split(',').find_map(|part| {
        let part = part.trim();
        let (scheme, rest) = part.split_once(char::is_whitespace)?;
        scheme
            .eq_ignore_ascii_case("Element")
            .then(|| rest.trim())
            .filter(|t| !t.is_empty())
    })
}

/// Build the served instances: the file's records, recorded in the store, and the instances
/// the API created, with the configuration hooks wrote back laid over them.
pub async fn build(
    records: Vec<InstanceRecord>,
    elements: &Elements,
    store: &dyn Store,
    sealer: &Arc<Sealer>,
) -> Result<Instances, StoreError> {
    let sealed: Vec<InstanceRecord> = records.iter().map(|r| sealed(sealer, r)).collect();
    store.save_instances(&sealed).await?;
    let mut created = Vec::new();
    for record in store.api_instances().await? {
        created.push(opened(sealer, record)?);
    }
    let mut instances = Instances::default();
    for record in records {
        if created.iter().any(|c| c.id == record.id) {
            tracing::error!(id = record.id, "instances.yaml declares instance {}, an id the instances API gave: the file's instance is skipped", record.id);
            continue;
        }
        created.push(record);
    }
    for record in created {
        let Some(element) = elements.get(&record.element) else {
            continue;
        };
        let writes = store.configuration_writes(record.id).await?;
        let writes = open(sealer, record.id, writes)?;
        let instance = Arc::new(make(record, element, &writes, sealer));
        instances = instances.with(instance);
    }
    Ok(instances)
}

/// The instance a record describes, its element's defaults under the record's configuration
/// and the stored `writes` over both.
pub fn make(
    record: InstanceRecord,
    element: &Arc<Element>,
    writes: &Map<String, Value>,
    sealer: &Arc<Sealer>,
) -> Instance {
    let mut configuration = defaults(element);
    configuration.extend(record.configuration);
    let base = normalize(element, configuration);
    let mut configuration = base.clone();
    apply(&mut configuration, writes);
    Instance {
        id: record.id,
        name: record.name,
        element: element.clone(),
        token: record.token,
        limits: record.limits,
        from_api: record.from_api,
        tags: record.tags,
        base: Arc::new(base),
        shared: Arc::new(Shared {
            configuration: RwLock::new(configuration),
            invalid: RwLock::new(None),
        }),
        refreshing: Arc::new(tokio::sync::Mutex::new(())),
        sealer: sealer.clone(),
    }
}

/// The element's configuration defaults.
fn defaults(element: &Element) -> Map<String, Value> {
    element
        .configuration
        .iter()
        .filter_map(|field| Some((field.key.clone(), field.default.clone()?)))
        .collect()
}

/// The record as the store keeps it: token and configuration sealed.
pub fn sealed(sealer: &Sealer, record: &InstanceRecord) -> InstanceRecord {
    InstanceRecord {
        token: value_text(&sealer.seal(&Value::String(record.token.clone()))),
        configuration: seal(sealer, &record.configuration),
        ..record.clone()
    }
}

/// A stored record with its token and configuration opened.
fn opened(sealer: &Sealer, record: InstanceRecord) -> Result<InstanceRecord, StoreError> {
    let token = sealer
        .open(&Value::String(record.token.clone()))
        .map_err(|error| sealed_error(record.id, "token", error))?;
    let configuration = open(sealer, record.id, record.configuration.clone())?;
    Ok(InstanceRecord {
        token: value_text(&token),
        configuration,
        ..record
    })
}

fn sealed_error(instance: i64, key: &str, error: crate::seal::SealError) -> StoreError {
    StoreError::Sealed {
        instance,
        key: key.to_string(),
        error,
    }
}

/// BOOLEAN fields reach hooks as booleans, other declared fields as strings (`configuration["x"] === false` must work).
pub fn normalize(element: &Element, configuration: Map<String, Value>) -> Map<String, Value> {
    configuration
        .into_iter()
        .map(|(key, value)| {
            let value = match (element.config_field(&key), value) {
                (_, Value::Null) => Value::Null,
                (Some(f), Value::String(s))
                    if f.is_boolean()
                        && (s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")) =>
                {
                    Value::Bool(s.eq_ignore_ascii_case("true"))
                }
                (Some(f), Value::Bool(b)) if !f.is_boolean() => Value::String(b.to_string()),
                (_, Value::Number(n)) => Value::String(n.to_string()),
                (_, other) => other,
            };
            (key, value)
        })
        .collect()
}

/// Every value sealed (a `null` removal stays `null`): the store never holds one in clear.
fn seal(sealer: &Sealer, configuration: &Map<String, Value>) -> Map<String, Value> {
    configuration
        .iter()
        .map(|(key, value)| (key.clone(), sealer.seal(value)))
        .collect()
}

/// Stored values opened; clear ones (a store from before sealing) as they are.
fn open(
    sealer: &Sealer,
    instance: i64,
    stored: Map<String, Value>,
) -> Result<Map<String, Value>, StoreError> {
    stored
        .into_iter()
        .map(|(key, value)| match sealer.open(&value) {
            Ok(value) => Ok((key, value)),
            Err(error) => Err(sealed_error(instance, &key, error)),
        })
        .collect()
}

/// Seal every clear value of the store and move values of the previous key to the current
/// one (a store from before sealing, a key rotation); how many values changed.
pub async fn reseal(store: &dyn Store, sealer: &Arc<Sealer>) -> Result<usize, StoreError> {
    let sealer = sealer.clone();
    let change: crate::store::Rewrite = Arc::new(move |value: &Value| match sealer.reseal(value) {
        Ok(crate::seal::Resealed::Kept) => Ok(None),
        Ok(crate::seal::Resealed::Changed(sealed)) => Ok(Some(sealed)),
        Err(error) => Err(error.to_string()),
    });
    store.rewrite_secrets(change).await
}

fn apply(configuration: &mut Map<String, Value>, changes: &Map<String, Value>) {
    for (key, value) in changes {
        if value.is_null() {
            configuration.remove(key);
        } else {
            configuration.insert(key.clone(), value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_come_from_both_authorization_forms() {
        assert_eq!(token_from_authorization("Element abc"), Some("abc"));
        assert_eq!(
            token_from_authorization("User u1, Organization o1, Element tok="),
            Some("tok=")
        );
        assert_eq!(token_from_authorization("Bearer abc"), None);
        assert_eq!(token_from_authorization("Element "), None);
    }
}
