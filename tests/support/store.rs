//! A store that can be switched off under a running server: the SQLite store until `down`
//! is set, then an error for every call, as when the disk or the database goes away.

use std::sync::atomic::{AtomicBool, Ordering};

use elemental::store::{
    DeliveryRecord, EventRecord, Filter, InstanceRecord, Rewrite, SqliteStore, Store, StoreError,
    StoreFuture,
};
use elemental::store::{JobRunRecord, ScheduleRecord};
use serde_json::{Map, Value};

pub struct FailingStore {
    inner: SqliteStore,
    /// Set: every call fails with `StoreError::Unavailable`.
    pub down: AtomicBool,
}

impl FailingStore {
    pub fn open(data: &std::path::Path) -> FailingStore {
        FailingStore {
            inner: SqliteStore::open(data).expect("store"),
            down: AtomicBool::new(false),
        }
    }

    /// The inner store's answer while up, an error once down.
    fn answer<'a, T: Send + 'a>(&'a self, up: StoreFuture<'a, T>) -> StoreFuture<'a, T> {
        if self.down.load(Ordering::SeqCst) {
            Box::pin(async { Err(StoreError::Unavailable("test: the store is down".into())) })
        } else {
            up
        }
    }
}

impl Store for FailingStore {
    fn save_instances<'a>(&'a self, instances: &'a [InstanceRecord]) -> StoreFuture<'a, ()> {
        self.answer(self.inner.save_instances(instances))
    }
    fn configuration_writes(&self, instance: i64) -> StoreFuture<'_, Map<String, Value>> {
        self.answer(self.inner.configuration_writes(instance))
    }
    fn write_configuration<'a>(
        &'a self,
        instance: i64,
        changes: &'a Map<String, Value>,
    ) -> StoreFuture<'a, ()> {
        self.answer(self.inner.write_configuration(instance, changes))
    }
    fn insert_event<'a>(&'a self, event: &'a EventRecord) -> StoreFuture<'a, i64> {
        self.answer(self.inner.insert_event(event))
    }
    fn received_events(&self, limit: usize) -> StoreFuture<'_, Vec<EventRecord>> {
        self.answer(self.inner.received_events(limit))
    }
    fn finish_event<'a>(
        &'a self,
        id: i64,
        status: &'a str,
        error: Option<&'a str>,
        normalized: Option<&'a Value>,
        deliveries: &'a [DeliveryRecord],
    ) -> StoreFuture<'a, ()> {
        self.answer(
            self.inner
                .finish_event(id, status, error, normalized, deliveries),
        )
    }
    fn replay_event(&self, id: i64) -> StoreFuture<'_, bool> {
        self.answer(self.inner.replay_event(id))
    }
    fn event(&self, id: i64) -> StoreFuture<'_, Option<EventRecord>> {
        self.answer(self.inner.event(id))
    }
    fn events<'a>(&'a self, filter: &'a Filter) -> StoreFuture<'a, Vec<EventRecord>> {
        self.answer(self.inner.events(filter))
    }
    fn due_deliveries(&self, now: i64, limit: usize) -> StoreFuture<'_, Vec<DeliveryRecord>> {
        self.answer(self.inner.due_deliveries(now, limit))
    }
    fn next_delivery_at(&self) -> StoreFuture<'_, Option<i64>> {
        self.answer(self.inner.next_delivery_at())
    }
    fn update_delivery<'a>(&'a self, delivery: &'a DeliveryRecord) -> StoreFuture<'a, ()> {
        self.answer(self.inner.update_delivery(delivery))
    }
    fn deliveries<'a>(&'a self, filter: &'a Filter) -> StoreFuture<'a, Vec<DeliveryRecord>> {
        self.answer(self.inner.deliveries(filter))
    }
    fn redeliver<'a>(&'a self, id: Option<&'a str>, now: i64) -> StoreFuture<'a, usize> {
        self.answer(self.inner.redeliver(id, now))
    }
    fn last_poll<'a>(&'a self, instance: i64, object: &'a str) -> StoreFuture<'a, Option<i64>> {
        self.answer(self.inner.last_poll(instance, object))
    }
    fn set_last_poll<'a>(&'a self, instance: i64, object: &'a str, at: i64) -> StoreFuture<'a, ()> {
        self.answer(self.inner.set_last_poll(instance, object, at))
    }
    fn lease<'a>(&'a self, name: &'a str) -> StoreFuture<'a, bool> {
        self.answer(self.inner.lease(name))
    }
    fn rewrite_secrets(&self, change: Rewrite) -> StoreFuture<'_, usize> {
        self.answer(self.inner.rewrite_secrets(change))
    }
    fn api_instances(&self) -> StoreFuture<'_, Vec<InstanceRecord>> {
        self.answer(self.inner.api_instances())
    }
    fn insert_instance<'a>(&'a self, record: &'a InstanceRecord) -> StoreFuture<'a, ()> {
        self.answer(self.inner.insert_instance(record))
    }
    fn rename_instance<'a>(
        &'a self,
        id: i64,
        name: &'a str,
        tags: &'a [String],
    ) -> StoreFuture<'a, ()> {
        self.answer(self.inner.rename_instance(id, name, tags))
    }
    fn delete_instance(&self, id: i64) -> StoreFuture<'_, bool> {
        self.answer(self.inner.delete_instance(id))
    }
    fn kv_get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<Value>> {
        self.answer(self.inner.kv_get(key))
    }
    fn kv_put<'a>(&'a self, key: &'a str, value: &'a Value) -> StoreFuture<'a, ()> {
        self.answer(self.inner.kv_put(key, value))
    }
    fn kv_delete<'a>(&'a self, key: &'a str) -> StoreFuture<'a, bool> {
        self.answer(self.inner.kv_delete(key))
    }
    fn kv_list<'a>(&'a self, prefix: &'a str) -> StoreFuture<'a, Vec<String>> {
        self.answer(self.inner.kv_list(prefix))
    }
    fn save_job_run<'a>(&'a self, run: &'a JobRunRecord) -> StoreFuture<'a, ()> {
        self.answer(self.inner.save_job_run(run))
    }
    fn job_run_progress<'a>(&'a self, id: &'a str, message: &'a str) -> StoreFuture<'a, bool> {
        self.answer(self.inner.job_run_progress(id, message))
    }
    fn job_run<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Option<JobRunRecord>> {
        self.answer(self.inner.job_run(id))
    }
    fn job_runs<'a>(
        &'a self,
        job: Option<&'a str>,
        limit: usize,
    ) -> StoreFuture<'a, Vec<JobRunRecord>> {
        self.answer(self.inner.job_runs(job, limit))
    }
    fn renew_job_runs<'a>(&'a self, ids: &'a [String], until: i64) -> StoreFuture<'a, ()> {
        self.answer(self.inner.renew_job_runs(ids, until))
    }
    fn interrupt_job_runs(
        &self,
        expired_before: i64,
        now: i64,
    ) -> StoreFuture<'_, Vec<(String, i64)>> {
        self.answer(self.inner.interrupt_job_runs(expired_before, now))
    }
    fn save_schedule<'a>(&'a self, schedule: &'a ScheduleRecord) -> StoreFuture<'a, ()> {
        self.answer(self.inner.save_schedule(schedule))
    }
    fn schedules(&self) -> StoreFuture<'_, Vec<ScheduleRecord>> {
        self.answer(self.inner.schedules())
    }
    fn delete_schedule<'a>(&'a self, name: &'a str) -> StoreFuture<'a, bool> {
        self.answer(self.inner.delete_schedule(name))
    }
}
