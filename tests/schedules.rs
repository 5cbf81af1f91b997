//! Schedules of background jobs (seed 001, "Setting up a Schedule"): from the schedules file
//! and the admin API, fired by the scheduler (one run of a schedule at a time), "run now",
//! missed runs run once at start; and the store's job records on SQLite and PostgreSQL.

mod support;

use std::time::{Duration, Instant};

use elemental::settings::Settings;
use elemental::store::{wait, JobRunRecord, PostgresStore, ScheduleRecord, SqliteStore, Store};
use serde_json::{json, Value};
use support::{Project, Reply, Server};

const ADMIN: &str = "admin-t0ken";

fn serve(p: &Project) -> Server {
    p.serve_with(Settings {
        admin_token: Some(ADMIN.into()),
        expose_errors: true,
        ..Default::default()
    })
}

fn admin(server: &Server, method: &str, path: &str, body: Option<Value>) -> Reply {
    support::admin_json(server, ADMIN, method, path, body)
}

fn runs(server: &Server, job: &str) -> Vec<Value> {
    let reply = admin(server, "GET", &format!("/admin/jobs/{job}/runs"), None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body_json().as_array().cloned().unwrap_or_default()
}

fn schedule(server: &Server, name: &str) -> Value {
    let all = admin(server, "GET", "/admin/schedules", None).body_json();
    all.as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == name).cloned())
        .unwrap_or(Value::Null)
}

const WAIT: &str =
    "export async function run({params, status}) { await new Promise((r) => setTimeout(r, params.ms || 0)); status.success('waited ' + (params.ms || 0)); }\n";

#[test]
fn a_schedule_of_the_file_fires_every_second() {
    let p = Project::new();
    p.write("jobs/tick.js", WAIT);
    p.write(
        "schedules.yaml",
        "- name: ticker\n  job: tick\n  description: every second\n  params: {ms: 10}\n  repeat: {every: 1s}\n",
    );
    let server = serve(&p);
    let deadline = Instant::now() + Duration::from_secs(8);
    let done = loop {
        let done: Vec<Value> = runs(&server, "tick")
            .into_iter()
            .filter(|r| r["state"] == "succeeded")
            .collect();
        if done.len() >= 2 {
            break done;
        }
        assert!(Instant::now() < deadline, "fired {} times", done.len());
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(done
        .iter()
        .all(|r| r["schedule"] == "ticker" && r["params"] == json!({"ms": 10})));
    assert_eq!(done[0]["message"], "waited 10");
    let listed = schedule(&server, "ticker");
    assert_eq!(listed["origin"], "file", "{listed}");
    assert_eq!(listed["description"], "every second");
    assert!(
        listed["nextRun"].is_string() && listed["lastRunId"].is_string(),
        "{listed}"
    );
}

#[test]
fn schedules_through_the_admin_api_and_run_now() {
    let p = Project::new();
    p.write("jobs/wait.js", WAIT);
    let server = serve(&p);
    let declared = json!({
        "name": "nightly", "job": "wait", "description": "once an hour", "params": {"ms": 700},
        "start": "2030-01-01T00:00:00Z", "repeat": {"cron": "0 0 * * * *"}
    });
    let added = admin(&server, "POST", "/admin/schedules", Some(declared));
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(added.body_json()["nextRun"], "2030-01-01T00:00:00.000Z");
    assert_eq!(schedule(&server, "nightly")["job"], "wait");
    // Run now: a run of the schedule at once, one at a time.
    let now = admin(&server, "POST", "/admin/schedules/nightly/run", None);
    assert_eq!(now.status, 202, "{}", now.body);
    let run = now.body_json();
    assert_eq!(run["schedule"], "nightly");
    assert_eq!(run["params"], json!({"ms": 700}));
    let again = admin(&server, "POST", "/admin/schedules/nightly/run", None);
    assert_eq!(again.status, 409, "{}", again.body);
    // Refusals: a bad repeat, an unknown job, an unknown schedule.
    let bad = json!({"name": "bad", "job": "wait", "repeat": {"every": "soon"}});
    assert_eq!(
        admin(&server, "POST", "/admin/schedules", Some(bad)).status,
        400
    );
    let unknown = json!({"name": "x", "job": "nope", "repeat": {"every": "1h"}});
    assert_eq!(
        admin(&server, "POST", "/admin/schedules", Some(unknown)).status,
        404
    );
    assert_eq!(
        admin(&server, "POST", "/admin/schedules/none/run", None).status,
        404
    );
    let deleted = admin(&server, "DELETE", "/admin/schedules/nightly", None);
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    assert_eq!(
        admin(&server, "DELETE", "/admin/schedules/nightly", None).status,
        404
    );
}

#[test]
fn a_schedule_runs_once_at_a_time_and_skips_firings_meanwhile() {
    let p = Project::new();
    p.write("jobs/wait.js", WAIT);
    p.write(
        "schedules.yaml",
        "schedules:\n  - name: slow\n    job: wait\n    params: {ms: 2600}\n    repeat: {every: 1s}\n",
    );
    let server = serve(&p);
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        let running = runs(&server, "wait")
            .iter()
            .filter(|r| r["state"] == "running")
            .count();
        assert!(running <= 1, "{running} runs of one schedule at once");
        std::thread::sleep(Duration::from_millis(100));
    }
    let listed = schedule(&server, "slow");
    assert!(listed["skipped"].as_i64() >= Some(1), "{listed}");
}

#[test]
fn missed_runs_while_down_run_once_at_start() {
    let p = Project::new();
    p.write("jobs/wait.js", WAIT);
    let now = elemental::clock::now_ms();
    {
        let store = SqliteStore::open(&p.path("data")).expect("store");
        let missed = ScheduleRecord {
            name: "minutely".into(),
            job: "wait".into(),
            description: String::new(),
            params: json!({}),
            start: None,
            repeat: json!({"every": "1m"}),
            // Ten firings were due while no server ran.
            next_run: Some(now - 10 * 60_000),
            last_run: None,
            last_run_id: None,
            skipped: 0,
            origin: "api".into(),
        };
        wait(store.save_schedule(&missed)).expect("save");
    }
    let server = serve(&p);
    std::thread::sleep(Duration::from_millis(1500));
    let fired = runs(&server, "wait");
    assert_eq!(
        fired.len(),
        1,
        "run once, not once per missed firing: {fired:?}"
    );
    let listed = schedule(&server, "minutely");
    let next = listed["nextRun"].as_str().and_then(elemental::clock::parse);
    assert!(next > Some(now), "{listed}");
}

fn record(id: &str, job: &str, started_at: i64, heartbeat: i64) -> JobRunRecord {
    JobRunRecord {
        id: id.into(),
        job: job.into(),
        params: json!({"plan": "paid"}),
        state: "running".into(),
        started_at,
        finished_at: None,
        message: None,
        console: Vec::new(),
        node: "n1".into(),
        schedule: Some("s".into()),
        heartbeat,
    }
}

/// Every job and schedule method of the store, on either backend.
fn job_records(store: &dyn Store) {
    let a = record("a", "migrate", 1_000, 5_000);
    let b = record("b", "migrate", 2_000, 50_000);
    let c = record("c", "other", 3_000, 5_000);
    for run in [&a, &b, &c] {
        wait(store.save_job_run(run)).expect("save");
    }
    assert!(wait(store.job_run_progress("a", "100 users processed.")).expect("progress"));
    let read = wait(store.job_run("a")).expect("read").expect("a");
    assert_eq!(read.message.as_deref(), Some("100 users processed."));
    assert_eq!(read.params, a.params);
    assert_eq!(read.schedule.as_deref(), Some("s"));
    let listed = wait(store.job_runs(Some("migrate"), 10)).expect("list");
    assert_eq!(
        listed.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["b", "a"]
    );
    assert_eq!(wait(store.job_runs(None, 1)).expect("list")[0].id, "c");
    wait(store.renew_job_runs(&["c".to_string()], 60_000)).expect("renew");
    // Heartbeats before 10,000 ran out: only `a` (c was renewed, b is fresh).
    assert_eq!(
        wait(store.interrupt_job_runs(10_000, 9_000)).expect("interrupt"),
        vec![("migrate".to_string(), 1_000)]
    );
    let a = wait(store.job_run("a")).expect("read").expect("a");
    assert_eq!(
        (a.state.as_str(), a.finished_at),
        ("interrupted", Some(9_000))
    );
    assert!(
        !wait(store.job_run_progress("a", "late")).expect("progress"),
        "only while running"
    );
    let mut done = wait(store.job_run("b")).expect("read").expect("b");
    done.state = "succeeded".into();
    done.console = vec![json!({"level": "info", "message": "hi"})];
    wait(store.save_job_run(&done)).expect("save");
    assert_eq!(wait(store.job_run("b")).expect("read"), Some(done));
    assert_eq!(wait(store.job_run("zz")).expect("read"), None);
    let schedule = ScheduleRecord {
        name: "nightly".into(),
        job: "migrate".into(),
        description: "d".into(),
        params: json!({"x": 1}),
        start: Some(5),
        repeat: json!({"cron": "0 0 * * * *"}),
        next_run: Some(10),
        last_run: None,
        last_run_id: None,
        skipped: 2,
        origin: "api".into(),
    };
    wait(store.save_schedule(&schedule)).expect("save");
    assert_eq!(wait(store.schedules()).expect("list"), vec![schedule]);
    assert!(wait(store.delete_schedule("nightly")).expect("delete"));
    assert!(!wait(store.delete_schedule("nightly")).expect("delete"));
    assert!(wait(store.schedules()).expect("list").is_empty());
}

#[test]
fn job_records_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    job_records(&SqliteStore::open(dir.path()).expect("store"));
}

#[test]
fn job_records_on_postgres() {
    let Some(db) = support::postgres::Scratch::create("job_records") else {
        return;
    };
    let store = PostgresStore::open(&db.url).expect("store");
    job_records(&store);
}

#[test]
fn two_nodes_on_one_postgres_fire_a_schedule_once() {
    let Some(db) = support::postgres::Scratch::create("scheduler_lease") else {
        return;
    };
    let p = Project::new();
    p.write("jobs/wait.js", WAIT);
    p.write(
        "schedules.yaml",
        "- name: shared\n  job: wait\n  repeat: {every: 1s}\n",
    );
    let settings = || Settings {
        admin_token: Some(ADMIN.into()),
        jobs: elemental::settings::JobSettings {
            single_node: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let node = || {
        let store = std::sync::Arc::new(PostgresStore::open(&db.url).expect("store"));
        Server::start_with_store(&p.sources(), store, settings())
    };
    let (a, b) = (node(), node());
    std::thread::sleep(Duration::from_millis(3500));
    let fired = runs(&a, "wait");
    drop((a, b));
    // One node holds the scheduler's lease: about one run a second, not two.
    assert!(
        (2..=4).contains(&fired.len()),
        "{} runs: {fired:?}",
        fired.len()
    );
    let nodes: std::collections::HashSet<_> = fired.iter().map(|r| r["node"].clone()).collect();
    assert_eq!(nodes.len(), 1, "{fired:?}");
}

#[test]
fn a_broken_schedules_file_is_a_diagnostic_at_its_place() {
    let p = Project::new();
    p.write(
        "schedules.yaml",
        "- name: ok\n  job: a\n  repeat: {every: 1m}\n- name: bad\n  job: a\n  repeat: {every: soon}\n",
    );
    let (tasks, diagnostics) = elemental::sources::load_tasks(&p.sources());
    assert_eq!(tasks.schedules.len(), 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert!(d.file.ends_with("schedules.yaml"), "{d}");
    assert_eq!(d.line, 4, "{d}");
    assert!(d.message.contains("repeat.every"), "{d}");
    // A missing default file is no schedules; a named one must exist.
    let q = Project::new();
    let named = elemental::sources::Sources {
        schedules_required: true,
        ..q.sources()
    };
    let (_, diagnostics) = elemental::sources::load_tasks(&named);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let (_, diagnostics) = elemental::sources::load_tasks(&q.sources());
    assert!(diagnostics.is_empty());
}
