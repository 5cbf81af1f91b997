//! Real Cloud Elements element exports: every public one loads, and two copied here serve
//! real requests (a `where` converted for an OData vendor, lifecycle resources not routed).
//!
//! The full set is read from `ELEMENTAL_CE_EXPORTS` (default /work/ce-elements: one folder per
//! export holding its element.json); without it that test prints a note and passes.
//! tests/fixtures/ce-exports holds two unchanged exports (see SOURCE.txt there, MIT).

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use elemental::element::{load_dir, Diagnostic, Elements, Hooks};
use serde_json::json;
use support::{copy_dir, one_instance, MockVendor, Project, Reply};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ce-exports")
}

/// A diagnostic's kind: its message without the names and values particular to one element.
fn kind(diagnostic: &Diagnostic) -> String {
    let message = diagnostic.message.as_str();
    let kinds = [
        ("no script (body or file)", "hook without a script, skipped"),
        ("the script is empty", "hook without a script, skipped"),
        (
            "the engine does not sign",
            "authentication type not signed yet",
        ),
        ("are loaded but not run yet", "resource types not run yet"),
        (
            "is vendor-specific and not implemented",
            "vendor-specific converter",
        ),
        (
            "not supported yet:",
            "keys, paging or chains not supported yet",
        ),
    ];
    kinds
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map(|(_, kind)| kind.to_string())
        .unwrap_or_else(|| message.to_string())
}

fn hook_count(hooks: &Hooks) -> usize {
    [&hooks.pre_request, &hooks.post_request, &hooks.event]
        .iter()
        .filter(|h| h.is_some())
        .count()
}

fn hooks_compiled(elements: &Elements) -> usize {
    elements
        .by_key
        .values()
        .map(|e| {
            hook_count(&e.hooks)
                + e.resources
                    .iter()
                    .map(|r| hook_count(&r.hooks))
                    .sum::<usize>()
        })
        .sum()
}

#[test]
fn every_public_export_loads() {
    let dir = std::env::var_os("ELEMENTAL_CE_EXPORTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/ce-elements"));
    if !dir.is_dir() {
        println!(
            "note: {} not found (set ELEMENTAL_CE_EXPORTS); the public exports were not loaded",
            dir.display()
        );
        return;
    }
    let (elements, diagnostics) = load_dir(&dir);
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for diagnostic in &diagnostics {
        let counts = if diagnostic.warning {
            &mut warnings
        } else {
            &mut errors
        };
        *counts.entry(kind(diagnostic)).or_default() += 1;
    }
    println!(
        "{} exports loaded, {} did not; {} hooks compiled",
        elements.by_key.len(),
        elements
            .failed
            .values()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        hooks_compiled(&elements)
    );
    println!("warnings by kind: {warnings:#?}");
    println!("errors by kind: {errors:#?}");
    let unexpected: Vec<String> = diagnostics
        .iter()
        .filter(|d| !d.warning)
        .map(ToString::to_string)
        .collect();
    assert_eq!(unexpected, Vec::<String>::new(), "every export loads");
    let folders = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().join("element.json").is_file())
                .count()
        })
        .unwrap_or(0);
    assert_eq!(elements.by_key.len(), folders, "every export loads");
}

/// A project serving one copied export, its instance configured with `configuration` lines.
fn serve_export(name: &str, key: &str, configuration: &str) -> (Project, support::Server) {
    let p = Project::new();
    copy_dir(&fixtures().join(name), &p.path(&format!("elements/{name}")));
    p.instances(&one_instance(key, "tok", configuration));
    let server = p.serve();
    (p, server)
}

fn vendor_query(seen: &support::Recorded) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(seen.query.as_bytes())
        .into_owned()
        .collect()
}

fn where_query(expression: &str) -> String {
    url::form_urlencoded::byte_serialize(expression.as_bytes()).collect()
}

#[test]
fn an_odata_where_reaches_the_vendor_as_filter() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"d": {"results": [{"id": 1}]}})));
    let config = format!(
        "      base.url: {base}/odata/\n      saps4hanacloud.url: {base}\n      username: u\n      password: p\n",
        base = vendor.base
    );
    let (_p, server) = serve_export("hybris3", "hybris3", &config);
    let expression = "FirstName = 'Ann' AND LastName LIKE '%O''Hara%' OR Age >= 30";
    let path = format!(
        "/hubs/erp/contacts?pageSize=5&where={}",
        where_query(expression)
    );
    let reply = server.call("GET", &path, "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body_json(), json!([{"id": 1}]));
    let seen = vendor.last();
    assert_eq!(seen.path, "/odata/API_MKT_CONTACT_SRV/Contacts");
    let query = vendor_query(&seen);
    assert_eq!(
        query.get("$filter").map(String::as_str),
        Some("(FirstName eq 'Ann' and contains(LastName,'O''Hara')) or Age ge 30")
    );
    assert_eq!(query.get("$top").map(String::as_str), Some("5"));
    assert!(!query.contains_key("where"), "{query:?}");
}

#[test]
fn a_where_of_equalities_becomes_vendor_query_parameters() {
    let vendor = MockVendor::start(|_| Reply::json(200, json!({"d": {"results": []}})));
    let config = format!(
        "      base.url: {base}/odata/\n      saps4hanacloud.url: {base}\n      username: u\n      password: p\n",
        base = vendor.base
    );
    let (_p, server) = serve_export("hybris3", "hybris3", &config);
    let path = format!(
        "/hubs/erp/campaigns-messages?where={}",
        where_query("CampaignID = '42' AND Language = 'EN'")
    );
    assert_eq!(server.call("GET", &path, "tok", None).status, 200);
    let query = vendor_query(&vendor.last());
    assert_eq!(query.get("CampaignID").map(String::as_str), Some("42"));
    assert_eq!(query.get("Language").map(String::as_str), Some("EN"));
    assert!(!query.contains_key("where"), "{query:?}");

    // An operator the vendor's query parameters cannot say is the caller's error.
    let path = format!(
        "/hubs/erp/campaigns-messages?where={}",
        where_query("CampaignID > 4")
    );
    let reply = server.call("GET", &path, "tok", None);
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(vendor.requests().len(), 1);
}

#[test]
fn api_no_documentation_is_routed_and_lifecycle_resources_are_not() {
    let vendor = MockVendor::start(|_| {
        Reply::json(200, json!({"d": {"EntitySets": ["Contacts"]}})).header("x-csrf-token", "t0k")
    });
    let config = format!(
        "      base.url: {base}/odata/\n      saps4hanacloud.url: {base}\n      username: u\n      password: p\n",
        base = vendor.base
    );
    let (_p, server) = serve_export("hybris3", "hybris3", &config);
    let reply = server.call("GET", "/hubs/erp/auth-refresh", "tok", None);
    assert_eq!(reply.status, 200, "{}", reply.body);
    // The resource's own preRequest hook ran: it asks the vendor for a CSRF token.
    assert_eq!(vendor.last().header("x-csrf-token"), Some("fetch"));
    let reply = server.call("GET", "/hubs/erp/auth-validation", "tok", None);
    assert_eq!(reply.status, 404, "{}", reply.body);
    assert_eq!(vendor.requests().len(), 1);
}

#[test]
fn lifecycle_resources_and_hooks_without_a_script_load_with_warnings() {
    let (elements, diagnostics) = load_dir(&fixtures());
    let file = |name: &str| {
        fixtures()
            .join(name)
            .join("element.json")
            .display()
            .to_string()
    };
    let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(diagnostics.iter().all(|d| d.warning), "{shown:#?}");
    let facebook = elements.get("facebookads").expect("facebookads loads");
    assert!(
        facebook.hooks.event.is_none(),
        "the event hook has no script"
    );
    let lifecycle = facebook.resources.iter().filter(|r| !r.is_routed()).count();
    assert_eq!(lifecycle, 4);
    let has = |needle: &str| shown.iter().any(|s| s.contains(needle));
    assert!(
        has("warning: resources of type onProvision, onDelete, onDeleteWebhook, onProvisionWebhook are loaded but not run yet"),
        "{shown:#?}"
    );
    assert!(
        !has("apiNoDocumentation are loaded"),
        "apiNoDocumentation is routed: {shown:#?}"
    );
    let skipped = shown
        .iter()
        .find(|s| s.contains("global event: no script (body or file); the hook is skipped"))
        .unwrap_or_else(|| panic!("{shown:#?}"));
    assert!(skipped.starts_with(&file("facebookads")), "{skipped}");
    let hybris = elements.get("hybris3").expect("hybris3 loads");
    assert_eq!(
        hybris.resources.iter().filter(|r| !r.is_routed()).count(),
        1
    );
}
