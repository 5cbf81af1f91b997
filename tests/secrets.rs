//! Secrets at rest: configuration values and tokens are sealed before they reach the store, a
//! store from before sealing is migrated, keys rotate, and the SQLite files never hold a
//! secret in clear (checked by reading the files' bytes).

mod support;

use std::sync::Arc;

use elemental::element::load_dir;
use elemental::instance;
use elemental::seal::Sealer;
use elemental::store::{wait, InstanceRecord, SqliteStore, Store};
use serde_json::{json, Map, Value};
use support::{MockVendor, Project, Reply};

const ELEMENT: &str = "key: vault\nconfiguration:\n  - key: base.url\n    type: TEXTFIELD_1000\n  - key: api.password\n    type: PASSWORD\nresources:\n  - method: GET\n    path: /hubs/general/things\n    vendorPath: /things\n";

/// Every byte of the store's files (the database and its write-ahead log), as text.
fn store_bytes(data: &std::path::Path) -> String {
    let mut all = Vec::new();
    for name in ["elemental.db", "elemental.db-wal"] {
        if let Ok(bytes) = std::fs::read(data.join(name)) {
            all.extend(bytes);
        }
    }
    String::from_utf8_lossy(&all).into_owned()
}

fn map(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

#[test]
fn a_clear_store_is_sealed_in_place_and_keys_rotate() {
    let p = Project::new();
    p.element("vault", ELEMENT);
    let (elements, _) = load_dir(&p.path("elements"));
    let data = p.path("data");
    {
        // A store as an earlier version left it: everything in clear.
        let store = SqliteStore::open(&data).expect("store");
        let record = InstanceRecord {
            id: 1,
            name: "one".into(),
            element: "vault".into(),
            token: "caller-token-0001".into(),
            configuration: map(json!({"base.url": "http://x", "api.password": "pw-in-clear-1"})),
            ..InstanceRecord::default()
        };
        wait(store.save_instances(&[record])).expect("save");
        let write = map(json!({"oauth.user.token": "tok-in-clear-2"}));
        wait(store.write_configuration(1, &write)).expect("write");
    }
    assert!(store_bytes(&data).contains("pw-in-clear-1"), "the control");

    let old = Arc::new(Sealer::new([1; 32], None));
    let store = SqliteStore::open(&data).expect("store");
    let sealed = wait(instance::reseal(&store, &old)).expect("reseal");
    assert_eq!(sealed, 4, "token, two configuration values, one write");
    assert_eq!(wait(instance::reseal(&store, &old)).expect("again"), 0);
    drop(store);
    let bytes = store_bytes(&data);
    for secret in ["pw-in-clear-1", "tok-in-clear-2", "caller-token-0001"] {
        assert!(
            !bytes.contains(secret),
            "{secret} is still in the store files"
        );
    }

    // Rotation: the new key with the old one as previous reseals everything...
    let rotating = Arc::new(Sealer::new([2; 32], Some([1; 32])));
    let store = SqliteStore::open(&data).expect("store");
    assert_eq!(
        wait(instance::reseal(&store, &rotating)).expect("rotate"),
        4
    );
    drop(store);
    // ...after which the new key alone reads the instance's written configuration.
    let new = Arc::new(Sealer::new([2; 32], None));
    let store = SqliteStore::open(&data).expect("store");
    let record = InstanceRecord {
        id: 1,
        name: "one".into(),
        element: "vault".into(),
        token: "caller-token-0001".into(),
        configuration: map(json!({"base.url": "http://x"})),
        ..InstanceRecord::default()
    };
    let built = wait(instance::build(
        vec![record.clone()],
        &elements,
        &store,
        &new,
    ));
    let instances = built.expect("built with the new key");
    let configuration = instances
        .by_id(1)
        .map(|i| i.configuration())
        .unwrap_or_default();
    assert_eq!(
        configuration.get("oauth.user.token"),
        Some(&json!("tok-in-clear-2"))
    );

    // A key that sealed nothing here cannot open it: a clear error, not garbage.
    let stranger = Arc::new(Sealer::new([3; 32], None));
    let error = wait(instance::build(vec![record], &elements, &store, &stranger))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.contains("instance 1 key oauth.user.token") && error.contains("ELEMENTAL_SECRET_KEY"),
        "{error}"
    );
}

#[test]
fn the_server_seals_what_hooks_write_and_keeps_it_across_a_restart() {
    let vendor = MockVendor::start(|r| {
        Reply::json(
            200,
            json!({"token": r.header("authorization").unwrap_or("none")}),
        )
    });
    let p = Project::new();
    p.element(
        "vault",
        &format!(
            "{ELEMENT}    hooks:\n      - type: preRequest\n        body: |\n          if (!configuration['oauth.user.token']) done({{configuration: {{'oauth.user.token': 'fresh-token-7781'}}}});\n          done({{request_vendor_headers: {{Authorization: 'Bearer ' + configuration['oauth.user.token']}}}});\n"
        ),
    );
    p.instances(&support::one_instance(
        "vault",
        "vault-token",
        &format!(
            "      base.url: {}\n      api.password: file-password-55",
            vendor.base
        ),
    ));
    let (mut child, listen) = support::spawn_serve(&p, &[]);
    let call = |listen: &str| {
        support::http(
            "GET",
            &format!("http://{listen}/elements/api-v2/hubs/general/things"),
            &[("Authorization", "Element vault-token")],
            None,
        )
    };
    assert_eq!(call(&listen).status, 200);
    assert_eq!(
        call(&listen).body_json(),
        json!({"token": "Bearer fresh-token-7781"})
    );
    let _ = child.kill();
    let _ = child.wait();

    let data = p.path("data");
    let bytes = store_bytes(&data);
    assert!(!bytes.is_empty());
    for secret in ["fresh-token-7781", "file-password-55", "vault-token"] {
        assert!(
            !bytes.contains(secret),
            "{secret} is in the store files in clear"
        );
    }
    let key = data.join("secret.key");
    let mode = std::fs::metadata(&key).map(|m| {
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode() & 0o777
    });
    assert_eq!(mode.ok(), Some(0o600), "the key file is the owner's only");

    // A restart opens what the hook wrote with the key file's key.
    let (mut child, listen) = support::spawn_serve(&p, &[]);
    let answer = call(&listen);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        answer.body_json(),
        json!({"token": "Bearer fresh-token-7781"})
    );
}
