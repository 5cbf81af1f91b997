//! CEQL `where` expressions: any UTF-8 text must parse or fail cleanly, and a failure's
//! position is a 1-based character offset inside the input (or just past its end).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = elemental::element::ceql::parse(text) {
        let chars = text.chars().count();
        assert!(
            (1..=chars + 1).contains(&e.position),
            "error position {} outside 1..={} for {text:?}: {}",
            e.position,
            chars + 1,
            e.message
        );
    }
});
