//! Element files: `located::parse` on any UTF-8 text, and for text that parses, the whole
//! loader (`load_dir`: field checks, egress, events, hook compilation in QuickJS). Neither
//! may panic; problems must come back as `ParseError`s or diagnostics.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// `<tmp>/elemental-fuzz-<pid>`, holding one element folder `el/`; created once per process,
/// and the same `el/element.yaml` is overwritten by every run.
fn elements_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("elemental-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("el")).expect("create the fuzz elements folder");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if elemental::element::located::parse(text).is_err() {
        return;
    }
    let dir = elements_dir();
    std::fs::write(dir.join("el").join("element.yaml"), text).expect("write element.yaml");
    let (_elements, _diagnostics) = elemental::element::load_dir(dir);
});
