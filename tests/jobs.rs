//! Background jobs (seed 001, "Background Jobs"): `Parse.Cloud.job` and jobs/<name>.js run in
//! the background, their last message seen live, their end recorded (succeeded, failed,
//! timed_out, refused, interrupted), started by Parse's REST route or the admin API.

mod support;

use std::time::{Duration, Instant};

use elemental::parse::ParseSettings;
use elemental::settings::{JobSettings, Settings};
use elemental::store::{wait, JobRunRecord, SqliteStore, Store};
use serde_json::{json, Value};
use support::{copy_dir, http, one_instance, MockVendor, Project, Reply, Server};

const ADMIN: &str = "admin-t0ken";
const MASTER: &str = "m4ster";

fn settings(jobs: JobSettings) -> Settings {
    Settings {
        admin_token: Some(ADMIN.into()),
        expose_errors: true,
        parse: ParseSettings {
            master_key: Some(MASTER.into()),
            ..Default::default()
        },
        jobs,
        ..Default::default()
    }
}

fn serve(p: &Project) -> Server {
    p.serve_with(settings(JobSettings::default()))
}

fn admin(server: &Server, method: &str, path: &str, body: Option<Value>) -> Reply {
    support::admin_json(server, ADMIN, method, path, body)
}

/// Start a run of `job` through the admin API; its id.
fn start(server: &Server, job: &str, params: Value) -> String {
    let reply = admin(
        server,
        "POST",
        &format!("/admin/jobs/{job}/runs"),
        Some(params),
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    let run = reply.body_json();
    assert_eq!(run["state"], "running", "{run}");
    run["id"].as_str().expect("run id").to_string()
}

fn run_of(server: &Server, id: &str) -> Value {
    let reply = admin(server, "GET", &format!("/admin/runs/{id}"), None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body_json()
}

/// Wait until the run is no longer running (at most `within`); its record.
fn ended(server: &Server, id: &str, within: Duration) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let run = run_of(server, id);
        if run["state"] != "running" {
            return run;
        }
        assert!(Instant::now() < deadline, "still running: {run}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The seed's user migration, adapted: the users come from a vendor, 100 a page, through
/// `Parse.Cloud.httpRequest` (there is no Parse.Query here).
const MIGRATION: &str = r#"
Parse.Cloud.job("userMigration", function (request, status) {
  Parse.Cloud.useMasterKey();
  var counter = 0;
  var page = function (n) {
    return Parse.Cloud.httpRequest({ url: request.params.vendor + "/users?page=" + n }).then(function (response) {
      var users = response.data.users;
      users.forEach(function (user) {
        user.plan = request.params.plan;
        if (counter % 100 === 0) {
          status.message(counter + " users processed.");
        }
        counter += 1;
      });
      return users.length === 0 ? undefined : page(n + 1);
    });
  };
  page(1).then(function () {
    status.success("Migration completed successfully.");
  }, function (error) {
    status.error("Uh oh, something went wrong.");
  });
});
"#;

#[test]
fn the_migration_job_reports_progress_live_and_succeeds() {
    let vendor = MockVendor::start(|r| {
        let page: usize = r
            .query
            .split("page=")
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let users: Vec<Value> = if page <= 6 {
            (0..100).map(|i| json!({"id": page * 100 + i})).collect()
        } else {
            Vec::new()
        };
        Reply {
            delay: Some(Duration::from_millis(120)),
            ..Reply::json(200, json!({"users": users}))
        }
    });
    let p = Project::new();
    p.write("cloud/main.js", MIGRATION);
    let server = serve(&p);
    let params = json!({"plan": "paid", "vendor": vendor.base});
    let id = start(&server, "userMigration", params.clone());
    // Live: the last message is there while the job still runs.
    let deadline = Instant::now() + Duration::from_secs(10);
    let live = loop {
        let run = run_of(&server, &id);
        let message = run["message"].as_str().unwrap_or("").to_string();
        if run["state"] == "running" && message.ends_with("users processed.") {
            break message;
        }
        assert!(
            run["state"] == "running",
            "ended before any progress was seen: {run}"
        );
        assert!(Instant::now() < deadline, "no progress seen: {run}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(live.starts_with(|c: char| c.is_ascii_digit()), "{live}");
    let run = ended(&server, &id, Duration::from_secs(15));
    assert_eq!(run["state"], "succeeded", "{run}");
    assert_eq!(run["message"], "Migration completed successfully.");
    assert_eq!(run["params"], params, "params are kept as given");
    assert_eq!(run["job"], "userMigration");
    assert!(run["finishedAt"].is_string() && run["durationMs"].as_i64() > Some(500));
    // The status routes and the metrics know it.
    let jobs = admin(&server, "GET", "/admin/jobs", None).body_json();
    let listed = &jobs.as_array().expect("jobs")[0];
    assert_eq!(listed["name"], "userMigration");
    assert_eq!(listed["kind"], "cloud");
    assert_eq!(listed["lastRun"]["id"], id.as_str());
    let runs = admin(&server, "GET", "/admin/jobs/userMigration/runs", None).body_json();
    assert_eq!(runs.as_array().map(Vec::len), Some(1));
    let metrics = http("GET", &format!("{}/metrics", server.base), &[], None).body;
    assert!(
        metrics.contains("elemental_job_runs_total{job=\"userMigration\",state=\"succeeded\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("elemental_job_duration_seconds_count{job=\"userMigration\"} 1"));
}

#[test]
fn failing_jobs_fail_with_their_message_and_a_late_message_is_ignored() {
    let p = Project::new();
    p.write(
        "cloud/main.js",
        r#"
Parse.Cloud.job("broken", (request, status) => {
  status.message("starting");
  setTimeout(() => { status.error("Uh oh, something went wrong."); status.message("ignored"); status.success("ignored too"); }, 10);
});
Parse.Cloud.job("throws", async (request) => { console.log("about to throw"); throw new Error("no " + request.params.what); });
Parse.Cloud.job("returns", async (request, status) => { status.message("half"); await null; });
"#,
    );
    p.write(
        "jobs/rejects.js",
        "export async function run({status}) { status.message('one'); throw new TypeError('bad input'); }\n",
    );
    let server = serve(&p);
    let broken = ended(
        &server,
        &start(&server, "broken", json!({})),
        Duration::from_secs(10),
    );
    assert_eq!(broken["state"], "failed", "{broken}");
    assert_eq!(broken["message"], "Uh oh, something went wrong.");
    let throws = start(&server, "throws", json!({"what": "luck"}));
    let throws = ended(&server, &throws, Duration::from_secs(10));
    assert_eq!(throws["state"], "failed", "{throws}");
    assert_eq!(throws["message"], "no luck");
    assert_eq!(
        throws["console"][0]["message"], "about to throw",
        "{throws}"
    );
    let returns = ended(
        &server,
        &start(&server, "returns", json!({})),
        Duration::from_secs(10),
    );
    assert_eq!(
        returns["state"], "succeeded",
        "a resolved promise succeeds: {returns}"
    );
    assert_eq!(returns["message"], "half");
    let rejects = ended(
        &server,
        &start(&server, "rejects", json!({})),
        Duration::from_secs(10),
    );
    assert_eq!(rejects["state"], "failed", "{rejects}");
    assert_eq!(rejects["message"], "bad input");
    // An unknown job is named in a 404.
    let unknown = admin(&server, "POST", "/admin/jobs/nope/runs", Some(json!({})));
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    assert!(unknown.body.contains("nope"));
}

#[test]
fn a_job_over_its_time_limit_times_out_and_frees_its_thread() {
    let p = Project::new();
    p.write(
        "jobs/slow.js",
        "export const config = {timeoutMs: 300};\nexport async function run({status}) { status.message('waiting'); await new Promise(() => {}); }\n",
    );
    p.write(
        "jobs/spin.js",
        "export const config = {timeoutMs: 300};\nexport async function run() { for (;;) {} }\n",
    );
    p.write(
        "jobs/quick.js",
        "export async function run({params}) { return params.n; }\n",
    );
    // Parse's form that never calls status.success / status.error: it waits out its limit.
    p.write(
        "cloud/main.js",
        "Parse.Cloud.job('stuck', (request, status) => { status.message('stuck'); }, {timeoutMs: 300});\n",
    );
    let server = p.serve_with(settings(JobSettings {
        max_runs: 3,
        ..Default::default()
    }));
    let started = Instant::now();
    let slow = start(&server, "slow", json!({}));
    let spin = start(&server, "spin", json!({}));
    let stuck = start(&server, "stuck", json!({}));
    let slow = ended(&server, &slow, Duration::from_secs(10));
    let spin = ended(&server, &spin, Duration::from_secs(10));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(slow["state"], "timed_out", "{slow}");
    assert_eq!(spin["state"], "timed_out", "{spin}");
    let stuck = ended(&server, &stuck, Duration::from_secs(10));
    assert_eq!(stuck["state"], "timed_out", "{stuck}");
    assert!(
        stuck["durationMs"].as_i64() < Some(3000),
        "its own limit: {stuck}"
    );
    // Both slots and the executor are free again.
    for _ in 0..2 {
        let quick = ended(
            &server,
            &start(&server, "quick", json!({"n": 1})),
            Duration::from_secs(10),
        );
        assert_eq!(quick["state"], "succeeded", "{quick}");
    }
}

#[test]
fn starts_over_the_limit_are_refused_and_recorded() {
    let p = Project::new();
    p.write(
        "jobs/wait.js",
        "export async function run({params}) { await new Promise((r) => setTimeout(r, params.ms)); }\n",
    );
    let server = p.serve_with(settings(JobSettings {
        max_runs: 1,
        ..Default::default()
    }));
    let first = start(&server, "wait", json!({"ms": 1500}));
    let refused = admin(
        &server,
        "POST",
        "/admin/jobs/wait/runs",
        Some(json!({"ms": 1})),
    );
    assert_eq!(refused.status, 429, "{}", refused.body);
    let runs = admin(&server, "GET", "/admin/jobs/wait/runs", None).body_json();
    let states: Vec<&str> = runs
        .as_array()
        .expect("runs")
        .iter()
        .filter_map(|r| r["state"].as_str())
        .collect();
    assert!(states.contains(&"refused"), "{runs}");
    let first = ended(&server, &first, Duration::from_secs(10));
    assert_eq!(first["state"], "succeeded", "{first}");
    // Room again.
    ended(
        &server,
        &start(&server, "wait", json!({"ms": 1})),
        Duration::from_secs(10),
    );
}

#[test]
fn parse_starts_jobs_with_the_master_key_only() {
    let p = Project::new();
    p.write(
        "cloud/main.js",
        "Parse.Cloud.job('hello', (request, status) => status.success('hello ' + request.params.name + (request.master ? ' (master)' : '')));\n",
    );
    let server = serve(&p);
    let url = format!("{}/parse/jobs/hello", server.base);
    let app = ("X-Parse-Application-Id", "elemental");
    let master = ("X-Parse-Master-Key", MASTER);
    let reply = http("POST", &url, &[app, master], Some(r#"{"name": "Ada"}"#));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body_json(), json!({}));
    let id = reply
        .header_value("X-Parse-Job-Status-Id")
        .expect("the run id")
        .to_string();
    let run = ended(&server, &id, Duration::from_secs(10));
    assert_eq!(run["state"], "succeeded", "{run}");
    assert_eq!(run["message"], "hello Ada (master)");
    assert_eq!(run["params"], json!({"name": "Ada"}));
    assert!(
        !run.to_string().contains(MASTER),
        "the master key is never kept"
    );
    // Without the master key, or with a wrong one: 403 as Parse.
    let anonymous = http("POST", &url, &[app], Some("{}"));
    assert_eq!(anonymous.status, 403, "{}", anonymous.body);
    let wrong = http(
        "POST",
        &url,
        &[app, ("X-Parse-Master-Key", "nope")],
        Some("{}"),
    );
    assert_eq!(wrong.status, 403);
    let unknown = http(
        "POST",
        &format!("{}/parse/jobs/nope", server.base),
        &[app, master],
        Some("{}"),
    );
    assert_eq!(unknown.status, 404, "{}", unknown.body);
}

/// The bundled democrm element with one instance (id 1) on `vendor`.
fn democrm(vendor: &MockVendor) -> Project {
    let p = Project::new();
    copy_dir(
        std::path::Path::new("elements/democrm"),
        &p.path("elements/democrm"),
    );
    p.instances(&one_instance(
        "democrm",
        "crm-token",
        &format!("      base.url: {}/v1\n      api.key: k", vendor.base),
    ));
    p
}

#[test]
fn a_job_module_reaches_kv_and_elements() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"data": [{"id": 1}, {"id": 2}]})));
    let p = democrm(&vendor);
    p.write(
        "jobs/sync.js",
        r#"
export async function run({params, status, log}) {
  const listed = await elements.call(1, 'GET', '/hubs/crm/contacts');
  await kv.put('synced', {count: listed.body.length, by: params.by});
  log.info('synced ' + listed.body.length);
  status.success('stored ' + JSON.stringify(await kv.get('synced')));
}
"#,
    );
    let server = serve(&p);
    let run = ended(
        &server,
        &start(&server, "sync", json!({"by": "job"})),
        Duration::from_secs(10),
    );
    assert_eq!(run["state"], "succeeded", "{run}");
    assert_eq!(run["message"], r#"stored {"count":2,"by":"job"}"#);
    assert_eq!(
        run["console"][0],
        json!({"level": "info", "message": "synced 2"})
    );
    let jobs = admin(&server, "GET", "/admin/jobs", None).body_json();
    assert_eq!(jobs[0]["kind"], "module");
    assert!(jobs[0]["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("jobs/sync.js")));
}

#[test]
fn broken_job_files_are_diagnostics_at_their_place() {
    let p = Project::new();
    p.write("jobs/ok.js", "export async function run() {}\n");
    p.write(
        "jobs/bad.js",
        "export async function run() {\n  let x = ;\n}\n",
    );
    let (tasks, diagnostics) = elemental::sources::load_tasks(&p.sources());
    assert_eq!(tasks.jobs.by_name.len(), 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert!(d.file.ends_with("jobs/bad.js"), "{d}");
    assert_eq!(d.line, 2, "{d}");
    assert!(d.message.starts_with("job bad"), "{d}");
}

#[test]
fn a_run_cut_off_by_kill_9_is_interrupted_after_restart() {
    let p = Project::new();
    p.instances("instances: []\n");
    p.write(
        "jobs/long.js",
        "export async function run({status}) { status.message('working'); await new Promise((r) => setTimeout(r, 60000)); }\n",
    );
    let jobs = p.path("jobs");
    let jobs = jobs.to_str().expect("path");
    let extra = ["--jobs", jobs, "--admin-token", ADMIN];
    let (mut child, listen) = support::spawn_serve(&p, &extra);
    let auth = format!("Bearer {ADMIN}");
    let started = http(
        "POST",
        &format!("http://{listen}/admin/jobs/long/runs"),
        &[("Authorization", auth.as_str())],
        Some("{}"),
    );
    assert_eq!(started.status, 202, "{}", started.body);
    let id = started.body_json()["id"].as_str().expect("id").to_string();
    std::thread::sleep(Duration::from_millis(300));
    child.kill().expect("kill -9");
    child.wait().ok();
    // What the crash left: the run still `running` in the store.
    {
        let store = SqliteStore::open(&p.path("data")).expect("store");
        let left: JobRunRecord = wait(store.job_run(&id)).expect("read").expect("the run");
        assert_eq!(left.state, "running");
    }
    let (mut child, listen) = support::spawn_serve(&p, &extra);
    let deadline = Instant::now() + Duration::from_secs(10);
    let run = loop {
        let reply = http(
            "GET",
            &format!("http://{listen}/admin/runs/{id}"),
            &[("Authorization", auth.as_str())],
            None,
        );
        let run = reply.body_json();
        if run["state"] != "running" || Instant::now() > deadline {
            break run;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let metrics = http("GET", &format!("http://{listen}/metrics"), &[], None).body;
    child.kill().ok();
    child.wait().ok();
    assert_eq!(run["state"], "interrupted", "{run}");
    assert!(
        metrics.contains("elemental_job_runs_total{job=\"long\",state=\"interrupted\"} 1"),
        "{metrics}"
    );
    assert_eq!(run["message"], "working", "the last message is kept: {run}");
}

#[test]
fn the_bundled_job_runs_under_the_first_readme_command() {
    // `cargo run -- serve --demo-vendor` in the repository (with an admin token to start jobs).
    let p = Project::new();
    let (mut child, listen) = support::spawn_bundled(&p.path("data"), &["--admin-token", ADMIN]);
    let auth = format!("Bearer {ADMIN}");
    let headers = [("Authorization", auth.as_str())];
    let started = http(
        "POST",
        &format!("http://{listen}/admin/jobs/hello/runs"),
        &headers,
        Some(r#"{"name":"Ada"}"#),
    );
    let id = started.body_json()["id"].as_str().unwrap_or("").to_string();
    let deadline = Instant::now() + Duration::from_secs(10);
    let run = loop {
        let run = http(
            "GET",
            &format!("http://{listen}/admin/runs/{id}"),
            &headers,
            None,
        )
        .body_json();
        if run["state"] != "running" || Instant::now() > deadline {
            break run;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(started.status, 202, "{}", started.body);
    assert_eq!(run["state"], "succeeded", "{run}");
    let message = run["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with("Hello, Ada! The demo CRM has "),
        "{run}"
    );
}

#[test]
fn jobs_reload_with_the_tasks() {
    let p = Project::new();
    p.write(
        "jobs/greet.js",
        "export async function run({status}) { status.success('v1'); }\n",
    );
    let server = serve(&p);
    let first = ended(
        &server,
        &start(&server, "greet", json!({})),
        Duration::from_secs(10),
    );
    assert_eq!(first["message"], "v1");
    p.write(
        "jobs/greet.js",
        "export async function run({status}) { status.success('v2'); }\n",
    );
    p.write("jobs/added.js", "export async function run() {}\n");
    let swapped = elemental::reload::reload(&server.state, &p.sources());
    assert!(
        matches!(swapped, elemental::reload::Outcome::Swapped { .. }),
        "{swapped:?}"
    );
    let second = ended(
        &server,
        &start(&server, "greet", json!({})),
        Duration::from_secs(10),
    );
    assert_eq!(second["message"], "v2");
    ended(
        &server,
        &start(&server, "added", json!({})),
        Duration::from_secs(10),
    );
    // A broken job keeps the previous set serving.
    p.write("jobs/greet.js", "export async function run( {\n");
    let kept = elemental::reload::reload(&server.state, &p.sources());
    assert!(
        matches!(kept, elemental::reload::Outcome::Kept(_)),
        "{kept:?}"
    );
    let third = ended(
        &server,
        &start(&server, "greet", json!({})),
        Duration::from_secs(10),
    );
    assert_eq!(third["message"], "v2");
}

#[test]
fn a_cloud_job_reaches_kv_and_elements_as_a_module_job_does() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"data": [{"id": 1}]})));
    let p = democrm(&vendor);
    p.write(
        "cloud/main.js",
        r#"
Parse.Cloud.job('sync', async (request, status) => {
  const listed = await elements.call(1, 'GET', '/hubs/crm/contacts');
  await kv.put('cloud-synced', {count: listed.body.length});
  status.success('stored ' + JSON.stringify(await kv.get('cloud-synced')));
});
Parse.Cloud.define('peek', async () => kv.get('cloud-synced'));
"#,
    );
    let server = serve(&p);
    let run = ended(
        &server,
        &start(&server, "sync", json!({})),
        Duration::from_secs(10),
    );
    assert_eq!(run["state"], "succeeded", "{run}");
    assert_eq!(run["message"], r#"stored {"count":1}"#);
    // A cloud function has no services: it is told where kv is available.
    let url = format!("{}/parse/functions/peek", server.base);
    let reply = support::http(
        "POST",
        &url,
        &[("X-Parse-Application-Id", "elemental")],
        Some("{}"),
    );
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert!(
        reply.body.contains("only available in web tasks and jobs"),
        "{}",
        reply.body
    );
}
