//! A store that keeps nothing: hooks run for no connected account (the OAuth URL route).

use serde_json::{Map, Value};

use super::interface::{
    DeliveryRecord, EventRecord, Filter, InstanceRecord, Rewrite, Store, StoreError, StoreFuture,
};
use super::jobs::{JobRunRecord, ScheduleRecord};

/// Reads find nothing, writes are dropped: what an element's `oauthOnAuthorizeUrl` hooks
/// write back belongs to no instance, so it must not land on one.
#[derive(Debug, Default, Clone, Copy)]
pub struct Discard;

fn nothing<'a, T: Default + Send + 'a>() -> StoreFuture<'a, T> {
    Box::pin(std::future::ready(Ok::<T, StoreError>(T::default())))
}

impl Store for Discard {
    fn save_instances<'a>(&'a self, _: &'a [InstanceRecord]) -> StoreFuture<'a, ()> {
        nothing()
    }
    fn configuration_writes(&self, _: i64) -> StoreFuture<'_, Map<String, Value>> {
        nothing()
    }
    fn write_configuration<'a>(&'a self, _: i64, _: &'a Map<String, Value>) -> StoreFuture<'a, ()> {
        nothing()
    }
    fn insert_event<'a>(&'a self, _: &'a EventRecord) -> StoreFuture<'a, i64> {
        nothing()
    }
    fn received_events(&self, _: usize) -> StoreFuture<'_, Vec<EventRecord>> {
        nothing()
    }
    fn finish_event<'a>(
        &'a self,
        _: i64,
        _: &'a str,
        _: Option<&'a str>,
        _: Option<&'a Value>,
        _: &'a [DeliveryRecord],
    ) -> StoreFuture<'a, ()> {
        nothing()
    }
    fn replay_event(&self, _: i64) -> StoreFuture<'_, bool> {
        nothing()
    }
    fn event(&self, _: i64) -> StoreFuture<'_, Option<EventRecord>> {
        nothing()
    }
    fn events<'a>(&'a self, _: &'a Filter) -> StoreFuture<'a, Vec<EventRecord>> {
        nothing()
    }
    fn due_deliveries(&self, _: i64, _: usize) -> StoreFuture<'_, Vec<DeliveryRecord>> {
        nothing()
    }
    fn next_delivery_at(&self) -> StoreFuture<'_, Option<i64>> {
        nothing()
    }
    fn update_delivery<'a>(&'a self, _: &'a DeliveryRecord) -> StoreFuture<'a, ()> {
        nothing()
    }
    fn deliveries<'a>(&'a self, _: &'a Filter) -> StoreFuture<'a, Vec<DeliveryRecord>> {
        nothing()
    }
    fn redeliver<'a>(&'a self, _: Option<&'a str>, _: i64) -> StoreFuture<'a, usize> {
        nothing()
    }
    fn last_poll<'a>(&'a self, _: i64, _: &'a str) -> StoreFuture<'a, Option<i64>> {
        nothing()
    }
    fn set_last_poll<'a>(&'a self, _: i64, _: &'a str, _: i64) -> StoreFuture<'a, ()> {
        nothing()
    }
    fn lease<'a>(&'a self, _: &'a str) -> StoreFuture<'a, bool> {
        nothing()
    }
    fn rewrite_secrets(&self, _: Rewrite) -> StoreFuture<'_, usize> {
        nothing()
    }
    fn api_instances(&self) -> StoreFuture<'_, Vec<InstanceRecord>> {
        nothing()
    }
    fn insert_instance<'a>(&'a self, _: &'a InstanceRecord) -> StoreFuture<'a, ()> {
        nothing()
    }
    fn rename_instance<'a>(&'a self, _: i64, _: &'a str, _: &'a [String]) -> StoreFuture<'a, ()> {
        nothing()
    }
    fn delete_instance(&self, _: i64) -> StoreFuture<'_, bool> {
        nothing()
    }
    fn kv_get<'a>(&'a self, _: &'a str) -> StoreFuture<'a, Option<Value>> {
        nothing()
    }
    fn kv_put<'a>(&'a self, _: &'a str, _: &'a Value) -> StoreFuture<'a, ()> {
        nothing()
    }
    fn kv_delete<'a>(&'a self, _: &'a str) -> StoreFuture<'a, bool> {
        nothing()
    }
    fn kv_list<'a>(&'a self, _: &'a str) -> StoreFuture<'a, Vec<String>> {
        nothing()
    }
    fn save_job_run<'a>(&'a self, _: &'a JobRunRecord) -> StoreFuture<'a, ()> {
        nothing()
    }
    fn job_run_progress<'a>(&'a self, _: &'a str, _: &'a str) -> StoreFuture<'a, bool> {
        nothing()
    }
    fn job_run<'a>(&'a self, _: &'a str) -> StoreFuture<'a, Option<JobRunRecord>> {
        nothing()
    }
    fn job_runs<'a>(&'a self, _: Option<&'a str>, _: usize) -> StoreFuture<'a, Vec<JobRunRecord>> {
        nothing()
    }
    fn renew_job_runs<'a>(&'a self, _: &'a [String], _: i64) -> StoreFuture<'a, ()> {
        nothing()
    }
    fn interrupt_job_runs(&self, _: i64, _: i64) -> StoreFuture<'_, Vec<(String, i64)>> {
        nothing()
    }
    fn save_schedule<'a>(&'a self, _: &'a ScheduleRecord) -> StoreFuture<'a, ()> {
        nothing()
    }
    fn schedules(&self) -> StoreFuture<'_, Vec<ScheduleRecord>> {
        nothing()
    }
    fn delete_schedule<'a>(&'a self, _: &'a str) -> StoreFuture<'a, bool> {
        nothing()
    }
}
