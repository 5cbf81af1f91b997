//! Prometheus metrics: request counts, hook and vendor latency histograms, hook failures, web
//! task requests and their duration.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// Histogram bucket bounds, in seconds: hooks take microseconds, vendors up to seconds.
const BUCKETS: &[f64] = &[
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 5.0, 10.0,
];

#[derive(Default, Clone)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if self.counts.is_empty() {
            self.counts = vec![0; BUCKETS.len()];
        }
        for (slot, bound) in self.counts.iter_mut().zip(BUCKETS) {
            if seconds <= *bound {
                *slot += 1;
            }
        }
        self.sum += seconds;
        self.count += 1;
    }
}

type Labels = Vec<(&'static str, String)>;

#[derive(Default)]
struct Families {
    requests: BTreeMap<Labels, u64>,
    hook_failures: BTreeMap<Labels, u64>,
    hook_seconds: BTreeMap<Labels, Histogram>,
    outbound: BTreeMap<Labels, u64>,
    outbound_seconds: BTreeMap<Labels, Histogram>,
    vendor_seconds: BTreeMap<Labels, Histogram>,
    queue_depth: BTreeMap<Labels, i64>,
    queue_wait_seconds: BTreeMap<Labels, Histogram>,
    throttled: BTreeMap<Labels, u64>,
    shed: BTreeMap<Labels, u64>,
    token_refreshes: BTreeMap<Labels, u64>,
    invalidated: BTreeMap<Labels, u64>,
    task_requests: BTreeMap<Labels, u64>,
    task_seconds: BTreeMap<Labels, Histogram>,
    cloud_calls: BTreeMap<Labels, u64>,
    cloud_seconds: BTreeMap<Labels, Histogram>,
    job_runs: BTreeMap<Labels, u64>,
    job_seconds: BTreeMap<Labels, Histogram>,
}

/// All metrics of one process. A mutex is enough: each request takes it a few times for
/// nanoseconds, far below the cost of the request itself.
#[derive(Default)]
pub struct Metrics {
    families: Mutex<Families>,
}

impl Metrics {
    fn with(&self, f: impl FnOnce(&mut Families)) {
        let mut families = self.families.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut families);
    }

    pub fn request(&self, element: &str, resource: &str, status: u16) {
        let labels = vec![
            ("element", element.to_string()),
            ("resource", resource.to_string()),
            ("status", status.to_string()),
        ];
        self.with(|f| *f.requests.entry(labels).or_default() += 1);
    }

    pub fn hook(&self, phase: &str, took: Duration) {
        self.with(|f| {
            f.hook_seconds
                .entry(vec![("phase", phase.to_string())])
                .or_default()
                .observe(took.as_secs_f64())
        });
    }

    pub fn hook_failure(&self, element: &str, kind: &str) {
        let labels = vec![("element", element.to_string()), ("kind", kind.to_string())];
        self.with(|f| *f.hook_failures.entry(labels).or_default() += 1);
    }

    /// One outbound call of a hook: `status` is the HTTP status, `error` or `sent` (email).
    pub fn outbound(&self, element: &str, kind: &str, status: &str, took: Duration) {
        let labels = vec![
            ("element", element.to_string()),
            ("kind", kind.to_string()),
            ("status", status.to_string()),
        ];
        self.with(|f| {
            *f.outbound.entry(labels).or_default() += 1;
            f.outbound_seconds
                .entry(vec![("kind", kind.to_string())])
                .or_default()
                .observe(took.as_secs_f64());
        });
    }

    pub fn vendor(&self, element: &str, took: Duration) {
        self.with(|f| {
            f.vendor_seconds
                .entry(vec![("element", element.to_string())])
                .or_default()
                .observe(took.as_secs_f64())
        });
    }

    /// One OAuth 2 token refresh (or password grant) of `element`: `outcome` is `success`,
    /// `failure` (the token endpoint refused: the instance is marked invalid, counted apart)
    /// or `error` (the endpoint could not be reached).
    pub fn token_refresh(&self, element: &str, outcome: &str) {
        let labels = vec![
            ("element", element.to_string()),
            ("outcome", outcome.to_string()),
        ];
        self.with(|f| {
            *f.token_refreshes.entry(labels).or_default() += 1;
            if outcome == "failure" {
                let element = vec![("element", element.to_string())];
                *f.invalidated.entry(element).or_default() += 1;
            }
        });
    }

    /// A request or hook execution admission control turned away: `reason` is `rate`,
    /// `concurrency` (both throttled, 429) or `shed` (503).
    pub fn refused(&self, element: &str, reason: &str) {
        let element = ("element", element.to_string());
        self.with(|f| match reason {
            "shed" => *f.shed.entry(vec![element]).or_default() += 1,
            _ => {
                let labels = vec![element, ("reason", reason.to_string())];
                *f.throttled.entry(labels).or_default() += 1
            }
        });
    }

    /// One hook execution of `element` waiting for a slot, until the guard is dropped
    /// (also when the request is abandoned mid-wait).
    pub fn queued(&self, element: &str) -> Queued<'_> {
        let labels = vec![("element", element.to_string())];
        self.with(|f| *f.queue_depth.entry(labels.clone()).or_default() += 1);
        Queued {
            metrics: self,
            labels,
        }
    }

    /// How long a hook execution waited for its slot (admitted or not).
    pub fn queue_wait(&self, element: &str, took: Duration) {
        self.with(|f| {
            f.queue_wait_seconds
                .entry(vec![("element", element.to_string())])
                .or_default()
                .observe(took.as_secs_f64())
        });
    }

    /// One request to a web task (`unknown` when no task has the name), answered with
    /// `status` after `took`.
    pub fn task(&self, task: &str, status: u16, took: Duration) {
        let labels = vec![("task", task.to_string()), ("status", status.to_string())];
        self.with(|f| {
            *f.task_requests.entry(labels).or_default() += 1;
            f.task_seconds
                .entry(vec![("task", task.to_string())])
                .or_default()
                .observe(took.as_secs_f64());
        });
    }

    /// One call of a Parse Cloud function (`unknown` when none ran under the name) with its
    /// `outcome` (success, error, invalid, failure), after `took`.
    pub fn cloud_function(&self, function: &str, outcome: &str, took: Duration) {
        let labels = vec![
            ("function", function.to_string()),
            ("outcome", outcome.to_string()),
        ];
        self.with(|f| {
            *f.cloud_calls.entry(labels).or_default() += 1;
            f.cloud_seconds
                .entry(vec![("function", function.to_string())])
                .or_default()
                .observe(took.as_secs_f64());
        });
    }

    /// One run of a background job that ended in `state` (succeeded, failed, timed_out,
    /// interrupted, refused) after `took`.
    pub fn job_run(&self, job: &str, state: &str, took: Duration) {
        let labels = vec![("job", job.to_string()), ("state", state.to_string())];
        self.with(|f| {
            *f.job_runs.entry(labels).or_default() += 1;
            f.job_seconds
                .entry(vec![("job", job.to_string())])
                .or_default()
                .observe(took.as_secs_f64());
        });
    }

    /// The Prometheus text exposition format (version 0.0.4).
    pub fn render(&self) -> String {
        let families = self.families.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        counter(
            &mut out,
            "elemental_requests_total",
            "Proxied requests by element, resource and answered status.",
            &families.requests,
        );
        counter(
            &mut out,
            "elemental_hook_failures_total",
            "Hook invocations that failed, by element and kind (script, timeout, memory, result).",
            &families.hook_failures,
        );
        histogram(
            &mut out,
            "elemental_hook_duration_seconds",
            "Hook invocation time by phase.",
            &families.hook_seconds,
        );
        counter(
            &mut out,
            "elemental_hook_outbound_total",
            "Outbound calls made by hooks, by element, kind (http, email) and status.",
            &families.outbound,
        );
        histogram(
            &mut out,
            "elemental_hook_outbound_duration_seconds",
            "Outbound call time of hooks by kind.",
            &families.outbound_seconds,
        );
        histogram(
            &mut out,
            "elemental_vendor_duration_seconds",
            "Vendor call time (connect to last body byte) by element.",
            &families.vendor_seconds,
        );
        counter(
            &mut out,
            "elemental_token_refreshes_total",
            "OAuth 2 token refreshes and password grants by element and outcome (success, failure).",
            &families.token_refreshes,
        );
        counter(
            &mut out,
            "elemental_instances_invalidated_total",
            "Instances marked invalid because their token endpoint refused a refresh, by element.",
            &families.invalidated,
        );
        admission(&mut out, &families);
        counter(
            &mut out,
            "elemental_task_requests_total",
            "Web task requests by task and answered status.",
            &families.task_requests,
        );
        histogram(
            &mut out,
            "elemental_task_duration_seconds",
            "Web task request time (authenticate and handler) by task.",
            &families.task_seconds,
        );
        counter(
            &mut out,
            "elemental_cloud_function_calls_total",
            "Parse Cloud function calls by function and outcome (success, error, invalid, failure).",
            &families.cloud_calls,
        );
        histogram(
            &mut out,
            "elemental_cloud_function_duration_seconds",
            "Parse Cloud function call time by function.",
            &families.cloud_seconds,
        );
        counter(
            &mut out,
            "elemental_job_runs_total",
            "Background job runs by job and the state they ended in.",
            &families.job_runs,
        );
        histogram(
            &mut out,
            "elemental_job_duration_seconds",
            "Background job run time by job (its sum and count; runs longer than 10 s fall in +Inf).",
            &families.job_seconds,
        );
        out
    }
}

/// A hook execution counted in `elemental_hook_queue_depth` while it waits.
pub struct Queued<'a> {
    metrics: &'a Metrics,
    labels: Labels,
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        let labels = std::mem::take(&mut self.labels);
        self.metrics
            .with(|f| *f.queue_depth.entry(labels).or_default() -= 1);
    }
}

/// The admission families: queue depth and wait, throttled and shed.
fn admission(out: &mut String, families: &Families) {
    let name = "elemental_hook_queue_depth";
    let _ = writeln!(
        out,
        "# HELP {name} Hook executions waiting for a slot of their instance now, by element.\n# TYPE {name} gauge"
    );
    for (labels, value) in &families.queue_depth {
        let _ = writeln!(out, "{name}{} {value}", render_labels(labels, None));
    }
    histogram(
        out,
        "elemental_hook_queue_wait_seconds",
        "Time hook executions waited for a slot of their instance, by element.",
        &families.queue_wait_seconds,
    );
    counter(
        out,
        "elemental_throttled_total",
        "Requests answered 429 by element and reason (rate: the instance's rate limit; concurrency: its hook slots and queue were full).",
        &families.throttled,
    );
    counter(
        out,
        "elemental_shed_total",
        "Requests answered 503 because the server's bound on waiting hook executions was reached or a wait outlasted the hook's time budget, by element.",
        &families.shed,
    );
}

fn render_labels(labels: &Labels, extra: Option<(&str, String)>) -> String {
    let mut parts: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
        .collect();
    if let Some((k, v)) = extra {
        parts.push(format!("{k}=\"{v}\""));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", parts.join(","))
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn counter(out: &mut String, name: &str, help: &str, series: &BTreeMap<Labels, u64>) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
    for (labels, value) in series {
        let _ = writeln!(out, "{name}{} {value}", render_labels(labels, None));
    }
}

fn histogram(out: &mut String, name: &str, help: &str, series: &BTreeMap<Labels, Histogram>) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
    for (labels, h) in series {
        for (bound, count) in BUCKETS.iter().zip(&h.counts) {
            let _ = writeln!(
                out,
                "{name}_bucket{} {count}",
                render_labels(labels, Some(("le", bound.to_string())))
            );
        }
        let _ = writeln!(
            out,
            "{name}_bucket{} {}",
            render_labels(labels, Some(("le", "+Inf".into()))),
            h.count
        );
        let _ = writeln!(out, "{name}_sum{} {}", render_labels(labels, None), h.sum);
        let _ = writeln!(
            out,
            "{name}_count{} {}",
            render_labels(labels, None),
            h.count
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.request("crm", "GET /contacts", 200);
        m.request("crm", "GET /contacts", 200);
        m.hook("preRequest", Duration::from_micros(80));
        let text = m.render();
        assert!(text.contains("elemental_requests_total{element=\"crm\",resource=\"GET /contacts\",status=\"200\"} 2"), "{text}");
        assert!(
            text.contains(
                "elemental_hook_duration_seconds_bucket{phase=\"preRequest\",le=\"0.00005\"} 0"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "elemental_hook_duration_seconds_bucket{phase=\"preRequest\",le=\"0.0001\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains("elemental_hook_duration_seconds_count{phase=\"preRequest\"} 1"),
            "{text}"
        );
    }
}
