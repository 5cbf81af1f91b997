//! Reading instances again after a node changed them in the store (`Store::follow`): the
//! configuration writes go into the served instance in place; an instance the instances API
//! created, renamed or deleted comes back as what to serve instead.

use std::collections::HashMap;
use std::sync::Arc;

use super::{make, opened, Instance, Instances};
use crate::element::Elements;
use crate::seal::Sealer;
use crate::store::{InstanceRecord, Store, StoreError};

/// What the served instances become after a reread.
#[derive(Debug)]
pub enum Reread {
    /// Serve this instance (created or renamed elsewhere) under its id.
    Serve(Arc<Instance>),
    /// The instance is gone from the store: serve it no more.
    Remove(i64),
}

/// Read instance `id` again.
pub async fn reread(
    id: i64,
    instances: &Instances,
    elements: &Elements,
    store: &dyn Store,
    sealer: &Arc<Sealer>,
) -> Result<Vec<Reread>, StoreError> {
    let served = instances.by_id(id);
    if let Some(instance) = served.filter(|i| !i.from_api) {
        // Declared in this node's instances file: only its writes are the store's.
        instance.reread_writes(store).await?;
        return Ok(Vec::new());
    }
    let record = store
        .api_instances()
        .await?
        .into_iter()
        .find(|r| r.id == id);
    let changed = one(record, served, elements, store, sealer).await?;
    Ok(changed.into_iter().collect())
}

/// Read every instance again (notifications may have been missed): every served instance's
/// writes, and the instances API's instances created, renamed or deleted meanwhile.
pub async fn reread_all(
    instances: &Instances,
    elements: &Elements,
    store: &dyn Store,
    sealer: &Arc<Sealer>,
) -> Result<Vec<Reread>, StoreError> {
    let mut records: HashMap<i64, InstanceRecord> = store
        .api_instances()
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut changes = Vec::new();
    for served in instances.all() {
        if !served.from_api {
            served.reread_writes(store).await?;
            continue;
        }
        let record = records.remove(&served.id);
        changes.extend(one(record, Some(served), elements, store, sealer).await?);
    }
    for record in records.into_values() {
        changes.extend(one(Some(record), None, elements, store, sealer).await?);
    }
    Ok(changes)
}

/// An API instance as the store has it (`record`) against what is served.
async fn one(
    record: Option<InstanceRecord>,
    served: Option<&Arc<Instance>>,
    elements: &Elements,
    store: &dyn Store,
    sealer: &Arc<Sealer>,
) -> Result<Option<Reread>, StoreError> {
    match (record, served) {
        (None, None) => Ok(None),
        (None, Some(served)) => Ok(Some(Reread::Remove(served.id))),
        (Some(record), Some(served)) => {
            served.reread_writes(store).await?;
            if record.name == served.name && record.tags == served.tags {
                return Ok(None);
            }
            Ok(Some(Reread::Serve(Arc::new(
                served.renamed(record.name, record.tags),
            ))))
        }
        (Some(record), None) => {
            // An element this node does not have: its instance is not served here.
            let Some(element) = elements.get(&record.element) else {
                return Ok(None);
            };
            let record = opened(sealer, record)?;
            let writes = store.configuration_writes(record.id).await?;
            let writes = super::open(sealer, record.id, writes)?;
            let instance = make(record, element, &writes, sealer);
            Ok(Some(Reread::Serve(Arc::new(instance))))
        }
    }
}
