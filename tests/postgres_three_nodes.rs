//! Three `elemental serve` nodes on one PostgreSQL database: webhooks posted to all three
//! while one is killed with -9 are every one delivered (twice only under the same
//! `Elements-Webhook-Id`), and a poller runs on exactly one node and moves to another within
//! the lease when that node dies. Skipped, with a note, where no PostgreSQL answers.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use serde_json::json;
use support::postgres::{Node, Scratch};
use support::{http, MockVendor, Project, Reply};

const ADMIN: &str = "adm-3n0d";
/// Short, so that a dead node's claims and leases run out within the test; long beside the
/// events worker's pass (200 ms at most), which renews a held lease, even on a busy machine.
const LEASE_MS: &str = "3000";
/// Every node seals and signs with the same keys, as nodes of one deployment must.
const KEYS: [&str; 4] = [
    "--secret-key",
    "three-nodes-secret",
    "--paging-key",
    "three-nodes-paging",
];

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn start(p: &Project, db: &Scratch) -> Node {
    let mut extra = vec!["--claim-lease-ms", LEASE_MS];
    extra.extend_from_slice(&KEYS);
    Node::start(p, db, ADMIN, &extra)
}

#[test]
fn webhooks_to_three_nodes_one_killed_are_all_delivered_under_one_id_each() {
    let Some(db) = Scratch::create("three_webhooks") else {
        return;
    };
    let subscriber = MockVendor::start(|_| Reply::json(200, json!({})));
    let p = Project::new();
    p.element(
        "rows",
        "key: rows\nconfiguration:\n  - key: event.notification.enabled\n    type: BOOLEAN\n  - key: event.notification.callback.url\nhooks:\n  - type: event\n    body: |\n      done({events: [{event_type: 'created', event_object_type: 'rows', event_object_id: String(events.n)}]});\nresources: []\n",
    );
    p.instances(&format!(
        "instances:\n  - id: 2\n    element: rows\n    token: rows-token\n    configuration:\n      event.notification.enabled: true\n      event.notification.callback.url: {}/hook\n",
        subscriber.base
    ));
    let mut nodes = [start(&p, &db), start(&p, &db), start(&p, &db)];
    let mut acknowledged = BTreeSet::new();
    for n in 0..60 {
        if n == 25 {
            nodes[1].kill();
        }
        let node = &nodes[n % 3];
        let node = if node.alive() { node } else { &nodes[0] };
        let reply = http(
            "POST",
            &format!("{}/elements/api-v2/events/rows", node.base),
            &[("Content-Type", "application/json")],
            Some(&json!({ "n": n }).to_string()),
        );
        assert_eq!(reply.status, 200, "webhook {n}: {}", reply.body);
        acknowledged.insert(n.to_string());
    }
    // Every delivery's object and the ids it came under.
    let ids = || {
        let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for request in subscriber.requests() {
            let object = request.json()["message"]["events"][0]["objectId"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let id = request.header("elements-webhook-id").unwrap_or_default();
            ids.entry(object).or_default().insert(id.to_string());
        }
        ids
    };
    wait_until(
        "every acknowledged webhook delivered",
        Duration::from_secs(20),
        || ids().keys().cloned().collect::<BTreeSet<_>>() == acknowledged,
    );
    let ids = ids();
    assert!(ids.values().all(|set| set.len() == 1), "{ids:?}");
    let sent = subscriber.requests().len();
    eprintln!(
        "{} webhooks acknowledged, {sent} deliveries sent ({} duplicates)",
        acknowledged.len(),
        sent - acknowledged.len()
    );
}

/// Node `i`'s project: the shared element, and an instances file whose poller calls the
/// vendor under `/n<i>`, so that the vendor tells which node polled.
fn polling(i: usize, vendor: &MockVendor) -> Project {
    let p = Project::new();
    p.element("crm", "key: crm\nconfiguration:\n  - key: base.url\nresources:\n  - method: GET\n    path: /hubs/crm/contacts\n    vendorPath: /contacts\n    rootKey: data\n");
    let poller = r#"{"contacts": {"url": "/hubs/crm/contacts", "idField": "id"}}"#;
    p.instances(&format!(
        "instances:\n  - id: 3\n    element: crm\n    token: t\n    configuration:\n      base.url: {}/n{i}\n      event.vendor.type: polling\n      event.poller.refresh_interval: \"0.002\"\n      event.poller.configuration: |\n        {poller}\n",
        vendor.base
    ));
    p
}

/// Which nodes polled among the vendor's requests from `from` on, in order of first poll.
fn pollers(vendor: &MockVendor, from: usize) -> Vec<String> {
    let mut seen = Vec::new();
    for request in vendor.requests().iter().skip(from) {
        let node = request
            .path
            .split('/')
            .nth(1)
            .unwrap_or_default()
            .to_string();
        if !seen.contains(&node) {
            seen.push(node);
        }
    }
    seen
}

#[test]
fn a_poller_runs_on_one_node_of_three_and_moves_when_that_node_dies() {
    let Some(db) = Scratch::create("three_poller") else {
        return;
    };
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"data": []})));
    let projects: Vec<Project> = (0..3).map(|i| polling(i, &vendor)).collect();
    let mut nodes: Vec<Node> = projects.iter().map(|p| start(p, &db)).collect();
    // The poller runs every 120 ms; for two seconds one node alone polls.
    wait_until("a first poll", Duration::from_secs(10), || {
        !vendor.requests().is_empty()
    });
    let first = vendor.requests().len();
    std::thread::sleep(Duration::from_secs(2));
    let holders = pollers(&vendor, first.saturating_sub(1));
    assert_eq!(holders.len(), 1, "polled by {holders:?}");
    assert!(vendor.requests().len() > first + 5, "the poller stopped");
    let holder: usize = holders[0]
        .trim_start_matches('n')
        .parse()
        .expect("a node's path");

    // kill -9 the holder: another node takes the lease once it runs out.
    nodes[holder].kill();
    let killed_at = Instant::now();
    let before = vendor.requests().len();
    let dead = format!("n{holder}");
    wait_until("another node polling", Duration::from_secs(10), || {
        pollers(&vendor, before).iter().any(|node| *node != dead)
    });
    let moved_after = killed_at.elapsed();
    let after = vendor.requests().len();
    std::thread::sleep(Duration::from_secs(2));
    let holders = pollers(&vendor, after.saturating_sub(1));
    assert_eq!(holders.len(), 1, "polled by {holders:?} after the move");
    assert_ne!(holders[0], dead);
    eprintln!(
        "the poller moved from n{holder} to {} after {moved_after:?} (lease {LEASE_MS} ms)",
        holders[0]
    );
    assert!(
        moved_after < Duration::from_millis(3000 + 2000),
        "moved after {moved_after:?}"
    );
    drop(nodes);
}
