//! The `Store` contract, the same cases against both backends: SQLite in a temporary folder
//! and PostgreSQL in a scratch database (skipped, with a note, where 127.0.0.1:5432 does not
//! answer). Every trait method is exercised here.

mod support;

use std::sync::Arc;

use elemental::store::{
    wait, DeliveryRecord, EventRecord, Filter, InstanceRecord, PostgresStore, Rewrite, SqliteStore,
    Store, StoreError,
};
use serde_json::{json, Map, Value};

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("an object")
}

fn instance(id: i64, name: &str) -> InstanceRecord {
    InstanceRecord {
        id,
        name: name.into(),
        element: "crm".into(),
        token: format!("token-{id}"),
        configuration: object(json!({"base.url": "http://vendor", "api.key": "k"})),
        ..InstanceRecord::default()
    }
}

fn event(instance_id: i64, body: &str) -> EventRecord {
    EventRecord {
        id: 0,
        element: "crm".into(),
        instance_id,
        method: "POST".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        query: "a=1".into(),
        body: body.as_bytes().to_vec(),
        received_at: 1_000,
        status: "received".into(),
        error: None,
        generation: 0,
        normalized: None,
    }
}

fn delivery(id: &str, event_id: i64, next: i64) -> DeliveryRecord {
    DeliveryRecord {
        id: id.into(),
        event_id,
        instance_id: 1,
        url: "http://subscriber/hook".into(),
        body: b"{\"n\":1}".to_vec(),
        status: "pending".into(),
        attempts: 0,
        next_attempt_at: next,
        last_status: None,
        last_error: None,
        created_at: next,
    }
}

fn filter(instance: Option<i64>, status: Option<&str>, limit: usize) -> Filter {
    Filter {
        instance,
        status: status.map(str::to_string),
        limit,
    }
}

fn instances_from_the_file_and_the_api(store: &dyn Store) {
    wait(store.save_instances(&[instance(1, "file-one"), instance(2, "file-two")])).unwrap();
    let mut api = instance(1_000_000, "acme");
    api.tags = vec!["eu".into(), "gold".into()];
    wait(store.insert_instance(&api)).unwrap();
    let listed = wait(store.api_instances()).unwrap();
    assert_eq!(listed.len(), 1, "only the API's instances: {listed:?}");
    assert_eq!(listed[0].name, "acme");
    assert_eq!(listed[0].tags, vec!["eu".to_string(), "gold".to_string()]);
    assert_eq!(listed[0].configuration, api.configuration);
    assert_eq!(listed[0].token, api.token);
    assert!(listed[0].from_api);

    // The instances file never overwrites an instance the API created.
    wait(store.save_instances(&[instance(1_000_000, "from-the-file")])).unwrap();
    assert_eq!(wait(store.api_instances()).unwrap()[0].name, "acme");

    wait(store.rename_instance(1_000_000, "acme-2", &["us".to_string()])).unwrap();
    let renamed = wait(store.api_instances()).unwrap();
    assert_eq!(
        (renamed[0].name.as_str(), renamed[0].tags.clone()),
        ("acme-2", vec!["us".to_string()])
    );

    // Deleting forgets the configuration written back and the pollers too.
    wait(store.write_configuration(1_000_000, &object(json!({"t": "x"})))).unwrap();
    wait(store.set_last_poll(1_000_000, "contacts", 5)).unwrap();
    assert!(wait(store.delete_instance(1_000_000)).unwrap());
    assert!(!wait(store.delete_instance(1_000_000)).unwrap());
    assert!(wait(store.api_instances()).unwrap().is_empty());
    assert!(wait(store.configuration_writes(1_000_000))
        .unwrap()
        .is_empty());
    assert_eq!(wait(store.last_poll(1_000_000, "contacts")).unwrap(), None);
}

fn configuration_writes_merge_per_instance(store: &dyn Store) {
    assert!(wait(store.configuration_writes(1)).unwrap().is_empty());
    let first = object(json!({"oauth.user.token": "a", "nested": {"z": 1, "a": [1, 2]}}));
    wait(store.write_configuration(1, &first)).unwrap();
    let second = object(json!({"oauth.user.token": "b", "gone": null}));
    wait(store.write_configuration(1, &second)).unwrap();
    wait(store.write_configuration(2, &object(json!({"other": true})))).unwrap();
    let writes = wait(store.configuration_writes(1)).unwrap();
    assert_eq!(
        Value::Object(writes),
        json!({"oauth.user.token": "b", "nested": {"z": 1, "a": [1, 2]}, "gone": null})
    );
    assert_eq!(
        Value::Object(wait(store.configuration_writes(2)).unwrap()),
        json!({"other": true})
    );
}

fn events_are_committed_normalized_and_replayed(store: &dyn Store) {
    let first = wait(store.insert_event(&event(1, "{\"id\":1}"))).unwrap();
    let second = wait(store.insert_event(&event(2, "{\"id\":2}"))).unwrap();
    let third = wait(store.insert_event(&event(1, "{\"id\":3}"))).unwrap();
    assert!(first < second && second < third, "{first} {second} {third}");

    let received = wait(store.received_events(2)).unwrap();
    let ids: Vec<i64> = received.iter().map(|e| e.id).collect();
    assert_eq!(ids, vec![first, second], "oldest first, limited");
    let stored = &received[0];
    assert_eq!(stored.body, b"{\"id\":1}");
    assert_eq!(stored.headers, event(1, "").headers);
    assert_eq!((stored.query.as_str(), stored.received_at), ("a=1", 1_000));
    assert_eq!((stored.status.as_str(), stored.generation), ("received", 0));

    let normalized = json!([{"objectType": "contact", "b": 1, "a": 2}]);
    let deliveries = [delivery(&format!("{first}-0-0"), first, 10)];
    wait(store.finish_event(first, "processed", None, Some(&normalized), &deliveries)).unwrap();
    // A normalization that runs twice does not make its deliveries twice.
    wait(store.finish_event(first, "processed", None, Some(&normalized), &deliveries)).unwrap();
    wait(store.finish_event(second, "failed", Some("hook threw"), None, &[])).unwrap();
    let done = wait(store.event(first)).unwrap().expect("the event");
    assert_eq!(done.status, "processed");
    assert_eq!(done.normalized, Some(normalized));
    let failed = wait(store.event(second)).unwrap().expect("the event");
    assert_eq!(
        (failed.status.as_str(), failed.error.as_deref()),
        ("failed", Some("hook threw"))
    );
    assert_eq!(wait(store.event(third + 100)).unwrap(), None);
    assert_eq!(
        wait(store.deliveries(&filter(None, None, 10)))
            .unwrap()
            .len(),
        1
    );

    let ids = |events: Vec<EventRecord>| events.iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(
        ids(wait(store.events(&filter(None, None, 10))).unwrap()),
        vec![third, second, first]
    );
    assert_eq!(
        ids(wait(store.events(&filter(Some(1), None, 10))).unwrap()),
        vec![third, first]
    );
    assert_eq!(
        ids(wait(store.events(&filter(None, Some("failed"), 10))).unwrap()),
        vec![second]
    );
    assert_eq!(
        ids(wait(store.events(&filter(Some(1), Some("received"), 10))).unwrap()),
        vec![third]
    );
    assert_eq!(
        ids(wait(store.events(&filter(None, None, 0))).unwrap()),
        vec![third],
        "limit at least 1"
    );

    assert!(wait(store.replay_event(second)).unwrap());
    assert!(!wait(store.replay_event(third + 100)).unwrap());
    let replayed = wait(store.event(second)).unwrap().expect("the event");
    assert_eq!(
        (
            replayed.status.as_str(),
            replayed.error,
            replayed.generation
        ),
        ("received", None, 1)
    );
    assert_eq!(
        ids(wait(store.received_events(10)).unwrap()),
        vec![second, third]
    );
}

fn deliveries_come_due_are_updated_and_redelivered(store: &dyn Store) {
    assert_eq!(wait(store.next_delivery_at()).unwrap(), None);
    let event_id = wait(store.insert_event(&event(1, "{}"))).unwrap();
    let planned = [
        delivery("d-late", event_id, 300),
        delivery("d-soon", event_id, 100),
        delivery("d-mid", event_id, 200),
    ];
    wait(store.finish_event(event_id, "processed", None, None, &planned)).unwrap();
    assert_eq!(wait(store.next_delivery_at()).unwrap(), Some(100));
    let due = wait(store.due_deliveries(250, 10)).unwrap();
    let ids: Vec<&str> = due.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, vec!["d-soon", "d-mid"], "due ones, soonest first");

    let mut soon = due[0].clone();
    assert_eq!(soon, planned[1], "as it was planned");
    soon.status = "delivered".into();
    soon.attempts = 1;
    soon.last_status = Some(200);
    wait(store.update_delivery(&soon)).unwrap();
    let mut mid = planned[2].clone();
    mid.status = "queued".into();
    mid.attempts = 8;
    mid.last_status = Some(500);
    mid.last_error = Some("vendor said no".into());
    wait(store.update_delivery(&mid)).unwrap();
    assert_eq!(wait(store.next_delivery_at()).unwrap(), Some(300));

    let listed = wait(store.deliveries(&filter(None, Some("queued"), 10))).unwrap();
    assert_eq!(listed, vec![mid.clone()]);
    assert_eq!(
        wait(store.deliveries(&filter(Some(1), None, 10)))
            .unwrap()
            .len(),
        3
    );
    assert!(wait(store.deliveries(&filter(Some(2), None, 10)))
        .unwrap()
        .is_empty());

    assert_eq!(
        wait(store.redeliver(None, 50)).unwrap(),
        1,
        "every parked one"
    );
    let again = wait(store.deliveries(&filter(None, Some("pending"), 10))).unwrap();
    let back = again
        .iter()
        .find(|d| d.id == "d-mid")
        .expect("pending again");
    assert_eq!((back.attempts, back.next_attempt_at), (0, 50));
    assert_eq!(
        wait(store.redeliver(Some("d-soon"), 60)).unwrap(),
        1,
        "even a delivered one"
    );
    assert_eq!(wait(store.redeliver(Some("nope"), 60)).unwrap(), 0);
    assert_eq!(wait(store.next_delivery_at()).unwrap(), Some(50));
}

fn pollers_remember_the_last_poll(store: &dyn Store) {
    assert_eq!(wait(store.last_poll(1, "contacts")).unwrap(), None);
    wait(store.set_last_poll(1, "contacts", 10)).unwrap();
    wait(store.set_last_poll(1, "contacts", 20)).unwrap();
    wait(store.set_last_poll(1, "accounts", 5)).unwrap();
    assert_eq!(wait(store.last_poll(1, "contacts")).unwrap(), Some(20));
    assert_eq!(wait(store.last_poll(1, "accounts")).unwrap(), Some(5));
    assert_eq!(wait(store.last_poll(2, "contacts")).unwrap(), None);
}

/// Upper-cases every string starting with "secret", refusing "poison".
fn upper_secrets() -> Rewrite {
    Arc::new(|value: &Value| match value.as_str() {
        Some("poison") => Err("cannot seal this".into()),
        Some(text) if text.starts_with("secret") => Ok(Some(Value::String(text.to_uppercase()))),
        _ => Ok(None),
    })
}

fn secrets_are_rewritten_in_one_transaction(store: &dyn Store) {
    let mut one = instance(1, "one");
    one.token = "secret-token".into();
    one.configuration = object(json!({"api.key": "secret-key", "base.url": "http://v"}));
    wait(store.save_instances(&[one])).unwrap();
    let mut api = instance(1_000_000, "api");
    api.configuration = object(json!({"password": "secret-pw"}));
    wait(store.insert_instance(&api)).unwrap();
    wait(store.write_configuration(1, &object(json!({"token": "secret-written", "n": 1}))))
        .unwrap();

    assert_eq!(wait(store.rewrite_secrets(upper_secrets())).unwrap(), 4);
    assert_eq!(
        wait(store.rewrite_secrets(upper_secrets())).unwrap(),
        0,
        "nothing left to change"
    );
    let listed = wait(store.api_instances()).unwrap();
    assert_eq!(listed[0].configuration["password"], json!("SECRET-PW"));
    assert_eq!(
        Value::Object(wait(store.configuration_writes(1)).unwrap()),
        json!({"token": "SECRET-WRITTEN", "n": 1})
    );

    // One value the rewrite refuses: nothing is written, not even the values before it.
    wait(store.write_configuration(1, &object(json!({"later": "secret-later", "z": "poison"}))))
        .unwrap();
    assert!(wait(store.rewrite_secrets(upper_secrets())).is_err());
    let writes = wait(store.configuration_writes(1)).unwrap();
    assert_eq!(writes["later"], json!("secret-later"), "rolled back");
}

fn kv_values_are_kept_listed_deleted_and_resealed(store: &dyn Store) {
    wait(store.kv_put("token:a", &json!({"client": "a"}))).unwrap();
    wait(store.kv_put("token:b", &json!("secret-b"))).unwrap();
    wait(store.kv_put("token%", &json!(1))).unwrap();
    wait(store.kv_put("other", &json!(true))).unwrap();
    wait(store.kv_put("token:a", &json!({"client": "a2"}))).unwrap();
    assert_eq!(
        wait(store.kv_get("token:a")).unwrap(),
        Some(json!({"client": "a2"}))
    );
    assert_eq!(wait(store.kv_get("nothing")).unwrap(), None);
    assert_eq!(
        wait(store.kv_list("token:")).unwrap(),
        ["token:a", "token:b"]
    );
    assert_eq!(
        wait(store.kv_list("token%")).unwrap(),
        ["token%"],
        "% is no wildcard"
    );
    assert_eq!(wait(store.rewrite_secrets(upper_secrets())).unwrap(), 1);
    assert_eq!(
        wait(store.kv_get("token:b")).unwrap(),
        Some(json!("SECRET-B"))
    );
    assert!(wait(store.kv_delete("token:b")).unwrap());
    assert!(!wait(store.kv_delete("token:b")).unwrap());
    assert_eq!(
        wait(store.kv_list("")).unwrap(),
        ["other", "token%", "token:a"]
    );
}

/// Each case once per backend: `sqlite::<case>` and `postgres::<case>`.
macro_rules! contract {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $case() {
                    let dir = tempfile::tempdir().expect("temp dir");
                    let store = super::SqliteStore::open(dir.path()).expect("store");
                    super::$case(&store);
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $case() {
                    let Some(db) = super::support::postgres::Scratch::create(stringify!($case)) else {
                        return;
                    };
                    let store = super::PostgresStore::open(&db.url).expect("store");
                    super::$case(&store);
                    drop(store);
                }
            )*
        }
    };
}

contract!(
    instances_from_the_file_and_the_api,
    configuration_writes_merge_per_instance,
    events_are_committed_normalized_and_replayed,
    deliveries_come_due_are_updated_and_redelivered,
    pollers_remember_the_last_poll,
    secrets_are_rewritten_in_one_transaction,
    kv_values_are_kept_listed_deleted_and_resealed,
);

#[test]
fn postgres_claims_events_and_deliveries_for_one_node_until_the_lease_ends() {
    let Some(db) = support::postgres::Scratch::create("claims") else {
        return;
    };
    let (a, b) = (
        PostgresStore::open_with_lease(&db.url, 400).expect("node a"),
        PostgresStore::open_with_lease(&db.url, 400).expect("node b"),
    );
    for n in 0..4 {
        wait(a.insert_event(&event(1, &format!("{{\"n\": {n}}}")))).unwrap();
    }
    let first = wait(a.received_events(3)).unwrap();
    let second = wait(b.received_events(3)).unwrap();
    assert_eq!(
        (first.len(), second.len()),
        (3, 1),
        "each event claimed once"
    );
    let ids = |events: &[elemental::store::EventRecord]| -> Vec<i64> {
        events.iter().map(|e| e.id).collect()
    };
    // A node asking again gets its own unfinished claims back, never another's.
    assert_eq!(ids(&wait(b.received_events(10)).unwrap()), ids(&second));
    // Node a dies holding three: after the lease, node b takes them over.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let mut taken = ids(&wait(b.received_events(10)).unwrap());
    taken.sort();
    let mut all = ids(&first);
    all.extend(ids(&second));
    all.sort();
    assert_eq!(taken, all);

    let event_id = first[0].id;
    let planned = [delivery("d-1", event_id, 10), delivery("d-2", event_id, 20)];
    wait(b.finish_event(event_id, "processed", None, None, &planned)).unwrap();
    let one = wait(a.due_deliveries(100, 1)).unwrap();
    let other = wait(b.due_deliveries(100, 5)).unwrap();
    assert_eq!((one[0].id.as_str(), other[0].id.as_str()), ("d-1", "d-2"));
    assert!(
        wait(b.due_deliveries(100, 5)).unwrap().is_empty(),
        "both claimed"
    );
    let later = crate_now() + 1_000;
    let again = wait(b.due_deliveries(later, 5)).unwrap();
    assert_eq!(
        again.len(),
        2,
        "an unfinished claim runs out; same ids: {again:?}"
    );
}

#[test]
fn postgres_leases_let_one_node_poll_and_move_when_it_dies() {
    let Some(db) = support::postgres::Scratch::create("leases") else {
        return;
    };
    let (a, b) = (
        PostgresStore::open_with_lease(&db.url, 400).expect("node a"),
        PostgresStore::open_with_lease(&db.url, 400).expect("node b"),
    );
    assert!(wait(a.lease("poller 1 contacts")).unwrap());
    assert!(!wait(b.lease("poller 1 contacts")).unwrap(), "a holds it");
    assert!(
        wait(b.lease("poller 1 accounts")).unwrap(),
        "another poller is free"
    );
    assert!(
        wait(a.lease("poller 1 contacts")).unwrap(),
        "a renews its own"
    );
    // Node a stops renewing (it died): when its lease runs out, b takes over.
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(wait(b.lease("poller 1 contacts")).unwrap());
    assert!(
        !wait(a.lease("poller 1 contacts")).unwrap(),
        "a came back too late"
    );
    let sqlite_dir = tempfile::tempdir().expect("temp dir");
    let sqlite = SqliteStore::open(sqlite_dir.path()).expect("store");
    assert!(
        wait(sqlite.lease("poller 1 contacts")).unwrap(),
        "one node: always its own"
    );
}

fn crate_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[test]
fn postgres_migrations_are_applied_once_by_nodes_starting_together() {
    let Some(db) = support::postgres::Scratch::create("migrations") else {
        return;
    };
    let nodes: Vec<_> = (0..3)
        .map(|_| {
            let url = db.url.clone();
            std::thread::spawn(move || PostgresStore::open(&url).map(|_| ()))
        })
        .collect();
    for node in nodes {
        node.join().expect("node thread").expect("store opens");
    }
    // A fourth start finds every version applied; the table holds each version once.
    let store = PostgresStore::open(&db.url).expect("store");
    drop(store);
    db.execute(
        "DO $$ BEGIN IF (SELECT count(*) FROM schema_migrations) <> (SELECT max(version) FROM schema_migrations) \
         OR (SELECT count(DISTINCT version) FROM schema_migrations) <> (SELECT max(version) FROM schema_migrations) \
         OR (SELECT max(version) FROM schema_migrations) < 4 THEN RAISE 'not applied once'; END IF; END $$",
    )
    .expect("each migration recorded once");
}

#[test]
fn postgres_unreachable_at_start_names_the_host_and_masks_the_password() {
    let error = PostgresStore::open("postgres://app:hunter2@127.0.0.1:1/elemental")
        .err()
        .expect("no server on port 1");
    let text = error.to_string();
    assert!(matches!(error, StoreError::Unavailable(_)), "{text}");
    assert!(text.contains("127.0.0.1:1"), "{text}");
    assert!(text.contains("app:****@"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn postgres_answers_unavailable_while_down_and_reconnects() {
    let Some(db) = support::postgres::Scratch::create("reconnects") else {
        return;
    };
    let store = PostgresStore::open(&db.url).expect("store");
    wait(store.write_configuration(1, &object(json!({"a": 1})))).unwrap();
    db.take_down();
    let down = wait(store.configuration_writes(1));
    assert!(matches!(down, Err(StoreError::Unavailable(_))), "{down:?}");
    let down = wait(store.insert_event(&event(1, "{}")));
    assert!(matches!(down, Err(StoreError::Unavailable(_))), "{down:?}");
    db.bring_up();
    let back = wait(store.configuration_writes(1)).expect("the pool reconnects");
    assert_eq!(Value::Object(back), json!({"a": 1}));
}
