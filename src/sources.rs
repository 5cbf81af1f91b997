//! What to load and loading it: the elements folder, the instances file, the tasks and cloud
//! folders, read into elements, instance records, web tasks and cloud code with every
//! diagnostic found on the way.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde_json::Value;

use crate::element::{self, Diagnostic, Elements};
use crate::instance;
use crate::store::InstanceRecord;

/// Where the elements and instances come from, and what to adjust while loading them.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Folder of elements, one sub-folder per element.
    pub elements: PathBuf,
    /// The instances file.
    pub instances: PathBuf,
    /// Folder of web tasks (`<name>.js`).
    pub tasks: PathBuf,
    /// The tasks folder was named (`--tasks`, `ELEMENTAL_TASKS`): then it must exist; the
    /// default one may be missing (no tasks).
    pub tasks_required: bool,
    /// Folder of Parse Cloud Code (`main.js` and its modules).
    pub cloud: PathBuf,
    /// The cloud folder was named (`--cloud`, `ELEMENTAL_CLOUD`): then it must exist.
    pub cloud_required: bool,
    /// Folder of background jobs (`<name>.js` modules exporting `run`).
    pub jobs: PathBuf,
    /// The jobs folder was named (`--jobs`, `ELEMENTAL_JOBS`): then it must exist.
    pub jobs_required: bool,
    /// The schedules file (a YAML list of schedules).
    pub schedules: PathBuf,
    /// The schedules file was named (`--schedules`, `ELEMENTAL_SCHEDULES`): then it must exist.
    pub schedules_required: bool,
    /// Hosts opened to every element's hooks (from `serve --allow-host`).
    pub open_hosts: Vec<String>,
    /// With `serve --demo-vendor`: where the server listens, so that instances naming the demo
    /// vendor reach it on whatever port was chosen.
    pub demo_vendor_at: Option<SocketAddr>,
}

/// Elements and instance records, with every diagnostic found while reading them.
pub fn load(sources: &Sources) -> (Elements, Vec<InstanceRecord>, Vec<Diagnostic>) {
    let (elements, mut diagnostics) =
        element::load::load_dir_with(&sources.elements, &sources.open_hosts);
    let (mut records, instance_diagnostics) = instance::read_file(&sources.instances, &elements);
    if let Some(address) = sources.demo_vendor_at {
        point_instances_at(&mut records, address);
    }
    diagnostics.extend(instance_diagnostics);
    (elements, records, diagnostics)
}

/// The web tasks, the cloud code, the jobs and the schedules file, with every diagnostic found while compiling them.
pub fn load_tasks(sources: &Sources) -> (crate::tasks::Tasks, Vec<Diagnostic>) {
    let (mut tasks, mut diagnostics) =
        crate::tasks::load_dir(&sources.tasks, sources.tasks_required, &sources.open_hosts);
    let (cloud, found) =
        crate::cloud::load_dir(&sources.cloud, sources.cloud_required, &sources.open_hosts);
    tasks.cloud = cloud.map(std::sync::Arc::new);
    diagnostics.extend(found);
    let (jobs, found) =
        crate::jobs::load_dir(&sources.jobs, sources.jobs_required, &sources.open_hosts);
    tasks.jobs = std::sync::Arc::new(jobs);
    diagnostics.extend(found);
    let (schedules, found) =
        crate::schedules::load_file(&sources.schedules, sources.schedules_required);
    tasks.schedules = std::sync::Arc::new(schedules);
    diagnostics.extend(found);
    (tasks, diagnostics)
}

/// A configuration value that names the demo vendor on some loopback address
/// (`http://127.0.0.1:8080/demo-vendor/v1`), rewritten to the address this server listens on:
/// the bundled instances file cannot know the port a user picks.
pub fn rebase(value: &str, listening: SocketAddr) -> Option<String> {
    let rest = value.strip_prefix("http://")?;
    let (authority, path) = rest.split_at(rest.find('/')?);
    if !path.starts_with("/demo-vendor/") && path != "/demo-vendor" {
        return None;
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.parse::<u16>().is_ok() => host,
        _ => authority,
    };
    let loopback = matches!(host, "localhost" | "[::1]")
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        return None;
    }
    // A server bound to every interface is reached on loopback.
    let mut target = listening;
    if target.ip().is_unspecified() {
        target.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    Some(format!("http://{target}{path}"))
}

/// Point every instance configuration value that names the demo vendor at `listening`.
pub fn point_instances_at(records: &mut [InstanceRecord], listening: SocketAddr) {
    for record in records {
        for value in record.configuration.values_mut() {
            if let Some(rebased) = value.as_str().and_then(|v| rebase(v, listening)) {
                *value = Value::String(rebased);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_urls_on_loopback_follow_the_listening_address() {
        let at: SocketAddr = "127.0.0.1:9191".parse().expect("address");
        assert_eq!(
            rebase("http://127.0.0.1:8080/demo-vendor/v1", at).as_deref(),
            Some("http://127.0.0.1:9191/demo-vendor/v1")
        );
        assert_eq!(
            rebase("http://localhost/demo-vendor/v1/x", at).as_deref(),
            Some("http://127.0.0.1:9191/demo-vendor/v1/x")
        );
        let any: SocketAddr = "0.0.0.0:7000".parse().expect("address");
        assert_eq!(
            rebase("http://127.0.0.1:8080/demo-vendor/v1", any).as_deref(),
            Some("http://127.0.0.1:7000/demo-vendor/v1")
        );
        assert_eq!(rebase("http://api.example.com/demo-vendor/v1", at), None);
        assert_eq!(rebase("http://127.0.0.1:8080/v1", at), None);
        assert_eq!(rebase("https://127.0.0.1:8080/demo-vendor/v1", at), None);
    }
}
