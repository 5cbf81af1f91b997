//! Positions and values of parsed element files, against hand-counted lines and columns.

use super::*;

fn p(line: usize, column: usize) -> Pos {
    Pos { line, column }
}

fn ok(text: &str) -> Located {
    match parse(text) {
        Ok(l) => l,
        Err(e) => panic!("unexpected error {e} in {text:?}"),
    }
}

fn err(text: &str) -> ParseError {
    parse(text).expect_err("expected a parse error")
}

const BLOCK: &str = "\
name: demo
configuration:
  - key: base.url
    vendorPath: /v1
resources:
  - method: GET
    hooks:
      - type: preRequest
        body: |
          var x = 1;
          done();
";

#[test]
fn nested_key_in_block_map() {
    let l = ok(BLOCK);
    assert_eq!(l.pos("/configuration/0/vendorPath"), Some(p(4, 5)));
    assert_eq!(l.value_pos("/configuration/0/vendorPath"), Some(p(4, 17)));
    assert_eq!(l.pos("/configuration"), Some(p(2, 1)));
    assert_eq!(l.pos(""), Some(p(1, 1)));
}

#[test]
fn block_sequence_items() {
    let l = ok(BLOCK);
    assert_eq!(l.pos("/configuration/0"), Some(p(3, 5)));
    assert_eq!(l.pos("/resources/0/hooks/0"), Some(p(8, 9)));
    assert_eq!(l.pos("/resources/0/hooks/0/body"), Some(p(9, 9)));
    let l = ok("- a\n- b\n");
    assert_eq!(l.pos("/1"), Some(p(2, 3)));
    assert_eq!(l.value, serde_json::json!(["a", "b"]));
}

#[test]
fn block_scalar_value_position() {
    let l = ok(BLOCK);
    // The value starts on the first content line, after the `|` indicator.
    assert_eq!(l.value_pos("/resources/0/hooks/0/body"), Some(p(10, 11)));
    assert_eq!(
        l.value["resources"][0]["hooks"][0]["body"],
        "var x = 1;\ndone();\n"
    );
}

#[test]
fn flow_map_positions() {
    let l = ok("m: {a: 1, b: 2}\n");
    assert_eq!(l.pos("/m/a"), Some(p(1, 5)));
    assert_eq!(l.pos("/m/b"), Some(p(1, 11)));
    assert_eq!(l.value_pos("/m/b"), Some(p(1, 14)));
    assert_eq!(l.value_pos("/m"), Some(p(1, 4)));
}

#[test]
fn key_column_after_indentation() {
    let l = ok("a:\n  b:\n      c: 1\n");
    assert_eq!(l.pos("/a/b/c"), Some(p(3, 7)));
    assert_eq!(l.value_pos("/a/b/c"), Some(p(3, 10)));
}

#[test]
fn json_key_on_later_line() {
    let text = "{\n  \"key\": \"demo\",\n  \"resources\": [\n    {\n      \"vendorPath\": \"/x\"\n    }\n  ]\n}\n";
    let l = ok(text);
    assert_eq!(l.pos("/resources/0/vendorPath"), Some(p(5, 7)));
    assert_eq!(l.value_pos("/resources/0/vendorPath"), Some(p(5, 21)));
    assert_eq!(l.pos("/resources/0"), Some(p(4, 5)));
}

#[test]
fn unicode_columns_count_characters() {
    let l = ok("{\"é😀\": 1, \"ü\": \"ß\", \"k\": 2}");
    assert_eq!(l.pos("/ü"), Some(p(1, 11)));
    assert_eq!(l.pos("/k"), Some(p(1, 21)));
    let l = ok("naïve: {ü: 12345678901234567890}");
    assert_eq!(l.pos("/naïve/ü"), Some(p(1, 9)));
    assert_eq!(
        l.value["naïve"]["ü"],
        serde_json::json!(12345678901234567890u64)
    );
}

#[test]
fn syntax_error_position() {
    let e = err("a: 1\nb:\n  c: 2\n   d: 3\n");
    assert_eq!(e.pos, p(4, 5));
    assert_eq!(e.message, "mapping values are not allowed in this context");
    assert_eq!(
        e.to_string(),
        "4:5: mapping values are not allowed in this context"
    );
    assert_eq!(err("- 1\n- [a, b\n").pos, p(3, 1));
}

#[test]
fn duplicate_keys() {
    let e = err("a: 1\nb:\n  x: 1\n  x: 2\n");
    assert_eq!(
        (e.pos, e.message.as_str()),
        (p(4, 3), "duplicate key \"x\"")
    );
    let e = err("{\"k\": 1, \"a\\\"b\": 2, \"a\\\"b\": 3}");
    assert_eq!(
        (e.pos, e.message.as_str()),
        (p(1, 21), "duplicate key \"a\\\"b\"")
    );
    let e = err("{a: 1, 'it''s': 2, 'it''s': 3}");
    assert_eq!(e.message, "duplicate key \"it's\"");
    // Distinct in YAML, but the same JSON key.
    let e = err("1: a\n\"1\": b\n");
    assert_eq!(
        (e.pos, e.message.as_str()),
        (p(2, 1), "duplicate key \"1\"")
    );
}

#[test]
fn empty_files() {
    for text in [
        "",
        "\n\n",
        "# only\n# comments\n",
        "---\n",
        "--- # c\n...\n",
    ] {
        let e = err(text);
        assert_eq!(
            (e.pos, e.message.as_str()),
            (p(1, 1), "empty element file"),
            "{text:?}"
        );
    }
}

#[test]
fn two_documents() {
    assert_eq!(err("a: 1\n---\nb: 2\n").pos, p(2, 1));
    assert_eq!(err("---\na: 1\n--- \n\n  b: 2\n").pos, p(3, 1));
    assert_eq!(err("a: 1\n...\nb: 2\n").pos, p(3, 1));
    assert!(err("x\n---\n").message.contains("more than one document"));
}

#[test]
fn explicit_null_and_tab_indented_json() {
    assert_eq!(ok("--- ~\n").value, Value::Null);
    assert_eq!(ok("null").pos(""), Some(p(1, 1)));
    let l = ok("{\n\t\"a\":\t{\n\t\t\"b\": [1,\t2]\n\t}\n}");
    assert_eq!(l.value, serde_json::json!({"a": {"b": [1, 2]}}));
    assert_eq!(l.pos("/a/b/1"), Some(p(3, 12)));
}

#[test]
fn core_schema_scalars() {
    let l = ok("\
n: [null, Null, ~, ]
e:
b: [true, True, TRUE, false, FALSE, yes]
i: [12, -3, 0x1F, 0o17, +7, 012]
f: [1.5, -0.25, 1e3, .5]
s: ['12', \"true\", !!str 5, '', 1_000]
l: |
  12
big: [18446744073709551615, 18446744073709551616]
");
    let expect = serde_json::json!({
        "n": [null, null, null],
        "e": null,
        "b": [true, true, true, false, false, "yes"],
        "i": [12, -3, 31, 15, 7, 12],
        "f": [1.5, -0.25, 1000.0, 0.5],
        "s": ["12", "true", "5", "", "1_000"],
        "l": "12\n",
        "big": [18446744073709551615u64, 18446744073709551616.0],
    });
    assert_eq!(l.value, expect);
}

#[test]
fn non_finite_numbers_are_rejected() {
    for (text, col) in [
        ("a: .inf", 4),
        ("a: [1, -.Inf]", 8),
        ("a: .nan", 4),
        ("x: 1e400", 4),
    ] {
        let e = err(text);
        assert_eq!(e.pos, p(1, col), "{text}");
        assert!(
            e.message.starts_with("number not representable"),
            "{}",
            e.message
        );
    }
    assert_eq!(ok("a: '.inf'").value["a"], ".inf");
}

#[test]
fn non_string_keys_and_tags() {
    let l = ok("1: a\ntrue: b\n~: c\n1.50: d\n!!str 7: e\nt: !custom {x: 1}\n");
    let keys: Vec<&String> = l
        .value
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys, ["1", "true", "null", "1.5", "7", "t"]);
    assert_eq!(l.value["t"]["x"], 1);
    assert_eq!(l.pos("/true"), Some(p(2, 1)));
    assert_eq!(err("a: !!int abc").pos, p(1, 4));
    assert_eq!(
        err("? [a]\n: 1\n").message,
        "mapping keys must be scalars in an element file"
    );
}

#[test]
fn pointer_segments_are_escaped() {
    let l = ok("contact.emailupsert: 1\na/b: 2\nt~x: {y/z: 3}\n");
    assert_eq!(l.pos("/contact.emailupsert"), Some(p(1, 1)));
    assert_eq!(l.pos("/a~1b"), Some(p(2, 1)));
    assert_eq!(l.pos("/t~0x/y~1z"), Some(p(3, 7)));
    assert_eq!(l.pos("/a/b"), None);
}

#[test]
fn aliases_resolve_at_the_alias() {
    let l = ok("base: &b\n  x: 1\n  y: [2]\nuse: *b\nm:\n  <<: *b\n  z: &s str\nw: *s\n");
    assert_eq!(l.value["use"], serde_json::json!({"x": 1, "y": [2]}));
    assert_eq!(l.pos("/base/x"), Some(p(2, 3)));
    assert_eq!(l.pos("/use"), Some(p(4, 1)));
    assert_eq!(l.value_pos("/use"), Some(p(4, 6)));
    assert_eq!(l.pos("/use/x"), Some(p(4, 6)));
    assert_eq!(l.pos("/use/y/0"), Some(p(4, 6)));
    // Merge keys are not merged: `<<` stays an ordinary key.
    assert_eq!(l.value["m"]["<<"]["x"], 1);
    assert_eq!(l.value["m"].get("x"), None);
    assert_eq!(l.value_pos("/m/<</y"), Some(p(6, 7)));
    assert_eq!(l.value["w"], "str");
    assert_eq!(l.value_pos("/w"), Some(p(8, 4)));
    // Anchors and tags on keys do not look like aliases.
    let l = ok("k:\n  &a one: 1\n  !!str two: 2\n");
    assert_eq!(
        (l.pos("/k/one"), l.pos("/k/two")),
        (Some(p(2, 3)), Some(p(3, 3)))
    );
}

#[test]
fn nearest_falls_back_to_ancestors() {
    let l = ok(BLOCK);
    assert_eq!(l.nearest("/configuration/0/vendorPath"), p(4, 5));
    assert_eq!(l.nearest("/configuration/0/missing/deeper"), p(3, 5));
    assert_eq!(l.nearest("/nope"), p(1, 1));
    assert_eq!(l.nearest("garbage"), p(1, 1));
    assert_eq!(ok("\n\n  a: 1").nearest("/x"), p(3, 3));
}

#[test]
fn crlf_and_bom() {
    let l = ok("\u{feff}a: 1\r\nb:\r\n  - x\r\n");
    assert_eq!(l.pos("/b/0"), Some(p(3, 5)));
    assert_eq!(l.value, serde_json::json!({"a": 1, "b": ["x"]}));
}

const EXPORT: &str = r#"{
  "key": "acmecrm",
  "name": "Acme CRM",
  "hub": "crm",
  "active": true,
  "beta": false,
  "cloneable": true,
  "typeOauth": false,
  "description": "Caf\u00e9 connector \/ v2 \"quoted\"",
  "version": -0,
  "rating": 4.75,
  "maxId": 18446744073709551615,
  "ratio": 1e-3,
  "configuration": [
    {
      "key": "base.url",
      "name": "Base URL",
      "type": "TEXTFIELD_1000",
      "defaultValue": "https:\/\/api.acme.example\/v2",
      "required": true,
      "hideFromConsole": false
    },
    {
      "key": "oauth.scope",
      "name": "Scopes",
      "type": "TEXTFIELD_32",
      "defaultValue": null,
      "required": false,
      "hideFromConsole": true
    }
  ],
  "resources": [
    {
      "id": 1001,
      "method": "GET",
      "path": "/hubs/crm/contacts",
      "vendorPath": "/contacts",
      "vendorMethod": "GET",
      "hooks": [
        {
          "type": "preRequest",
          "isLegacy": false,
          "body": "let q = request_parameters;\nif (q.where) {\n\tq.filter = q.where.replace(/'/g, \"\");\n}\ndone({request_parameters: q});"
        }
      ],
      "parameters": [
        {"name": "where", "vendorName": "filter", "type": "query", "dataType": "string", "required": false}
      ]
    },
    {
      "id": 1002,
      "method": "POST",
      "path": "/hubs/crm/contacts",
      "vendorPath": "/contacts",
      "hooks": [],
      "parameters": []
    }
  ],
  "objects": {},
  "transformations": {"contact.emailupsert": {"a/b": [1, 2.5, "x"]}},
  "authentication": {"type": "oauth2"},
  "tags":	["crm",	"beta"],
  "image": "elements/custom-element-logo.png"
}
"#;

#[test]
fn json_export_matches_serde_json() {
    assert!(EXPORT.lines().count() >= 60);
    let expected: Value = match serde_json::from_str(EXPORT) {
        Ok(v) => v,
        Err(e) => panic!("fixture is not JSON: {e}"),
    };
    let l = ok(EXPORT);
    assert_eq!(l.value, expected);
    assert_eq!(l.pos("/resources/0/hooks/0/body"), Some(p(43, 11)));
    assert_eq!(
        l.pos("/transformations/contact.emailupsert/a~1b/1"),
        Some(p(60, 58))
    );
    assert_eq!(l.pos("/tags/1"), Some(p(62, 19)));
    // The same export on one long line, as exports often are.
    let compact = expected.to_string();
    let l = ok(&compact);
    assert_eq!(l.value, expected);
    let col = compact
        .find("\"hub\"")
        .map_or(0, |b| compact[..b].chars().count() + 1);
    assert_eq!(l.pos("/hub"), Some(p(1, col)));
}
