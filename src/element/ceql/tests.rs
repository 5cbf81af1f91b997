//! `where` expressions against the `request_expression` lists hooks expect, and every error's position.

use super::*;
use serde_json::json;

fn ok(input: &str) -> Value {
    match parse(input) {
        Ok(v) => v,
        Err(e) => panic!("{input:?} failed: {e}"),
    }
}

fn err_at(input: &str, position: usize, fragment: &str) {
    match parse(input) {
        Ok(v) => panic!("{input:?} parsed to {v}"),
        Err(e) => {
            assert_eq!(e.position, position, "{input:?}: {e}");
            assert!(
                e.message.contains(fragment),
                "{input:?}: {:?} lacks {fragment:?}",
                e.message
            );
        }
    }
}

fn one(attribute: &str, operator: &str, value: Value) -> Value {
    json!({"attribute": attribute, "operator": operator, "value": value})
}

fn or(lists: Value) -> Value {
    json!([{"attribute": null, "operator": "OR", "value": lists}])
}

#[test]
fn equals_string() {
    assert_eq!(
        ok("name = 'Bob'"),
        json!([{"attribute": "name", "operator": "=", "value": "Bob"}])
    );
}

#[test]
fn keys_keep_order_attribute_operator_value() {
    assert_eq!(
        serde_json::to_string(&ok("a=1")).ok(),
        Some(r#"[{"attribute":"a","operator":"=","value":1}]"#.to_string())
    );
}

#[test]
fn not_equals_both_spellings_normalize() {
    assert_eq!(ok("a != 1"), json!([one("a", "!=", json!(1))]));
    assert_eq!(ok("a <> 1"), json!([one("a", "!=", json!(1))]));
}

#[test]
fn ordering_operators() {
    assert_eq!(
        ok("a<1 AND b>2 AND c<=3 AND d>=4"),
        json!([
            one("a", "<", json!(1)),
            one("b", ">", json!(2)),
            one("c", "<=", json!(3)),
            one("d", ">=", json!(4)),
        ])
    );
}

#[test]
fn like_and_not_like() {
    assert_eq!(
        ok("email LIKE '%@x.com' AND name not Like 'A%'"),
        json!([
            one("email", "LIKE", json!("%@x.com")),
            one("name", "NOT LIKE", json!("A%")),
        ])
    );
}

#[test]
fn in_list_mixed_types() {
    assert_eq!(
        ok("status IN ('a','b', 3)"),
        json!([one("status", "IN", json!(["a", "b", 3]))])
    );
}

#[test]
fn not_in_single_value() {
    assert_eq!(
        ok("id not in (7)"),
        json!([one("id", "NOT IN", json!([7]))])
    );
}

#[test]
fn in_list_with_null_and_booleans() {
    assert_eq!(
        ok("x IN (null, TRUE, false, -1.5)"),
        json!([one("x", "IN", json!([null, true, false, -1.5]))])
    );
}

#[test]
fn is_null_and_is_not_null() {
    assert_eq!(
        ok("a IS NULL AND b is not null"),
        json!([
            one("a", "IS NULL", Value::Null),
            one("b", "IS NOT NULL", Value::Null),
        ])
    );
}

#[test]
fn backquoted_names() {
    assert_eq!(
        ok("`first name` = 'Ann' AND `weird``name` = 1 AND `AND` = 2"),
        json!([
            one("first name", "=", json!("Ann")),
            one("weird`name", "=", json!(1)),
            one("AND", "=", json!(2)),
        ])
    );
}

#[test]
fn bare_identifier_characters() {
    assert_eq!(
        ok("$meta.created-at_2 = 'x' AND _id = 1"),
        json!([
            one("$meta.created-at_2", "=", json!("x")),
            one("_id", "=", json!(1)),
        ])
    );
}

#[test]
fn string_escapes_and_empty_string() {
    assert_eq!(
        ok("a = 'it''s' AND b = '' AND c = 'back\\slash'"),
        json!([
            one("a", "=", json!("it's")),
            one("b", "=", json!("")),
            one("c", "=", json!("back\\slash")),
        ])
    );
}

#[test]
fn strings_keep_keywords_and_parens_verbatim() {
    assert_eq!(
        ok("a = 'x OR (y AND z)'"),
        json!([one("a", "=", json!("x OR (y AND z)"))])
    );
}

#[test]
fn integers_stay_integers() {
    let v = ok("a = 42 AND b = -7 AND c = 0 AND d = 18446744073709551615");
    assert_eq!(
        v,
        json!([
            one("a", "=", json!(42)),
            one("b", "=", json!(-7)),
            one("c", "=", json!(0)),
            one("d", "=", json!(u64::MAX)),
        ])
    );
    assert!(v[0]["value"].is_i64());
}

#[test]
fn decimals_and_exponents() {
    let v = ok("a = 3.25 AND b = -0.5 AND c = 1e3 AND d = 2.5E-2 AND e = 1.0");
    assert_eq!(
        v,
        json!([
            one("a", "=", json!(3.25)),
            one("b", "=", json!(-0.5)),
            one("c", "=", json!(1000.0)),
            one("d", "=", json!(0.025)),
            one("e", "=", json!(1.0)),
        ])
    );
    assert!(v[2]["value"].is_f64());
}

#[test]
fn booleans_and_null_case_insensitive() {
    assert_eq!(
        ok("a = TRUE AND b = False AND c = NULL"),
        json!([
            one("a", "=", json!(true)),
            one("b", "=", json!(false)),
            one("c", "=", Value::Null),
        ])
    );
}

#[test]
fn keywords_case_insensitive() {
    assert_eq!(
        ok("a = 1 and b in (2) Or c iS nOt NuLl"),
        or(json!([
            [one("a", "=", json!(1)), one("b", "IN", json!([2]))],
            [one("c", "IS NOT NULL", Value::Null)],
        ]))
    );
}

#[test]
fn and_list_in_source_order_with_any_whitespace() {
    assert_eq!(
        ok("\tz=1\nAND\r\n  y='2'   AND x<3 "),
        json!([
            one("z", "=", json!(1)),
            one("y", "=", json!("2")),
            one("x", "<", json!(3)),
        ])
    );
}

#[test]
fn no_whitespace_needed_around_symbols() {
    assert_eq!(
        ok("(a<>'x')AND(b>=-2)"),
        json!([one("a", "!=", json!("x")), one("b", ">=", json!(-2))])
    );
}

#[test]
fn redundant_parentheses_stay_flat() {
    assert_eq!(
        ok("((a = 1)) AND (((b = 2)))"),
        json!([one("a", "=", json!(1)), one("b", "=", json!(2))])
    );
}

#[test]
fn simple_or() {
    assert_eq!(
        ok("a = 1 OR b = 2"),
        or(json!([
            [one("a", "=", json!(1))],
            [one("b", "=", json!(2))]
        ]))
    );
}

#[test]
fn precedence_and_binds_tighter() {
    assert_eq!(
        ok("a=1 OR b=2 AND c=3"),
        or(json!([
            [one("a", "=", json!(1))],
            [one("b", "=", json!(2)), one("c", "=", json!(3))],
        ]))
    );
}

#[test]
fn distribution_over_parenthesised_or() {
    assert_eq!(
        ok("a=1 AND (b=2 OR c=3)"),
        or(json!([
            [one("a", "=", json!(1)), one("b", "=", json!(2))],
            [one("a", "=", json!(1)), one("c", "=", json!(3))],
        ]))
    );
}

#[test]
fn distribution_of_two_groups() {
    assert_eq!(
        ok("(a=1 OR b=2) AND (c=3 OR d=4)"),
        or(json!([
            [one("a", "=", json!(1)), one("c", "=", json!(3))],
            [one("a", "=", json!(1)), one("d", "=", json!(4))],
            [one("b", "=", json!(2)), one("c", "=", json!(3))],
            [one("b", "=", json!(2)), one("d", "=", json!(4))],
        ]))
    );
}

#[test]
fn nested_parentheses_dnf() {
    assert_eq!(
        ok("a=1 AND (b=2 OR (c=3 AND (d=4 OR e=5)))"),
        or(json!([
            [one("a", "=", json!(1)), one("b", "=", json!(2))],
            [
                one("a", "=", json!(1)),
                one("c", "=", json!(3)),
                one("d", "=", json!(4))
            ],
            [
                one("a", "=", json!(1)),
                one("c", "=", json!(3)),
                one("e", "=", json!(5))
            ],
        ]))
    );
}

#[test]
fn or_inside_parentheses_only() {
    assert_eq!(
        ok("(a=1 OR b=2)"),
        or(json!([
            [one("a", "=", json!(1))],
            [one("b", "=", json!(2))]
        ]))
    );
}

#[test]
fn unicode_values_and_names() {
    assert_eq!(
        ok("prénom = 'Zoë 🎉' AND `città natale` = 'Köln'"),
        json!([
            one("prénom", "=", json!("Zoë 🎉")),
            one("città natale", "=", json!("Köln")),
        ])
    );
}

#[test]
fn unicode_error_position_counts_characters() {
    err_at("prénom = 'é' AND 🎉", 18, "unexpected character '🎉'");
    err_at("é = 'ü", 5, "unterminated string starting at position 5");
}

#[test]
fn error_empty_input() {
    err_at("", 1, "empty where expression");
    err_at("  \t\n ", 1, "empty where expression");
}

#[test]
fn error_missing_value_at_end() {
    err_at(
        "a = ",
        5,
        "expected a value after '=' but found end of input",
    );
}

#[test]
fn error_unterminated_string() {
    err_at(
        "name = 'abc",
        8,
        "unterminated string starting at position 8",
    );
}

#[test]
fn error_unterminated_backquote() {
    err_at(
        "a = 1 AND `open = 2",
        11,
        "unterminated back-quoted name starting at position 11",
    );
    err_at("`` = 1", 1, "empty back-quoted name");
}

#[test]
fn error_missing_close_paren() {
    err_at(
        "(a = 1 AND b = 2",
        17,
        "expected ')' to close '(' at position 1 but found end of input",
    );
    err_at("(a = 1 b = 2)", 8, "expected ')'");
}

#[test]
fn error_unknown_operator() {
    err_at("a == 1", 3, "unknown operator '=='");
    err_at("a =< 1", 3, "unknown operator '=<'");
    err_at("a ! 1", 3, "unknown operator '!'");
}

#[test]
fn error_trailing_garbage() {
    err_at(
        "a = 1 foo",
        7,
        "unexpected 'foo' after a complete expression",
    );
    err_at("a = 1)", 6, "unexpected ')' with no matching '('");
}

#[test]
fn error_dangling_and_or() {
    err_at(
        "a = 1 AND",
        10,
        "expected an attribute name or '(' after 'AND' but found end of input",
    );
    err_at("a = 1 OR OR b = 2", 10, "found keyword 'OR'");
}

#[test]
fn error_missing_operator() {
    err_at("a 1", 3, "expected an operator after 'a' but found '1'");
    err_at("`x y`", 6, "expected an operator after `x y`");
}

#[test]
fn error_bare_word_value() {
    err_at(
        "a = bob",
        5,
        "expected a value after '=' but found 'bob' (strings need single quotes)",
    );
    err_at(
        "a LIKE (1)",
        8,
        "expected a value after 'LIKE' but found '('",
    );
}

#[test]
fn error_in_list_problems() {
    err_at("a IN 1", 6, "expected '(' after 'IN' but found '1'");
    err_at(
        "a IN ()",
        7,
        "expected a value in the IN list but found ')'",
    );
    err_at("a NOT IN (1,)", 13, "expected a value in the IN list");
    err_at(
        "a IN (1 2)",
        9,
        "expected ',' or ')' in the IN list opened at position 6 but found '2'",
    );
}

#[test]
fn error_is_and_not_problems() {
    err_at("a IS 5", 6, "expected NULL or NOT NULL after 'IS'");
    err_at(
        "a IS NOT 'x'",
        10,
        "expected NULL after 'IS NOT' but found string 'x'",
    );
    err_at("a NOT = 1", 7, "expected LIKE or IN after 'NOT'");
}

#[test]
fn error_malformed_numbers() {
    err_at("a = 1.", 5, "malformed number '1.'");
    err_at("a = 1e+", 5, "malformed number '1e+'");
    err_at("a = 1.2.3", 5, "malformed number '1.2.3'");
    err_at("a = 12abc", 5, "malformed number '12abc'");
    err_at("a = 1e999", 5, "out of range");
    err_at("a = 99999999999999999999", 5, "out of range");
}

#[test]
fn error_bad_characters() {
    err_at("a = \"x\"", 5, "strings use single quotes");
    err_at("a = 1 && b = 2", 7, "unexpected character '&'");
    err_at("a = -x", 5, "unexpected character '-'");
}

#[test]
fn error_reserved_word_as_bare_attribute() {
    err_at("NOT a = 1", 1, "found keyword 'NOT'");
    err_at(
        "() ",
        2,
        "expected an attribute name or '(' after '(' but found ')'",
    );
}

#[test]
fn error_message_display_and_long_token_echo() {
    assert_eq!(
        parse("a = 1 x").map_err(|e| e.to_string()),
        Err(
            "invalid where expression at position 7: unexpected 'x' after a complete expression"
                .to_string()
        )
    );
    let long = format!("a = 1 {}", "z".repeat(500));
    match parse(&long) {
        Err(e) => assert!(e.message.len() < 120, "{}", e.message),
        Ok(v) => panic!("parsed {v}"),
    }
}

#[test]
fn nesting_cap() {
    let fits = format!("{}a=1{}", "(".repeat(64), ")".repeat(64));
    assert_eq!(ok(&fits), json!([one("a", "=", json!(1))]));
    let too_deep = format!("{}a=1{}", "(".repeat(65), ")".repeat(65));
    err_at(&too_deep, 65, "nested deeper than 64");
    let hostile = "(".repeat(100_000);
    err_at(&hostile, 65, "nested deeper than 64");
}

#[test]
fn dnf_cap() {
    let group = |i: usize| format!("(a{i}=1 OR b{i}=2)");
    let eight: Vec<String> = (0..8).map(group).collect();
    match ok(&eight.join(" AND ")) {
        Value::Array(top) => assert_eq!(top[0]["value"].as_array().map(Vec::len), Some(256)),
        other => panic!("{other}"),
    }
    let nine = (0..9).map(group).collect::<Vec<_>>().join(" AND ");
    // The ninth AND is where 256 alternatives would double.
    let ninth_and = nine.match_indices(" AND ").nth(7).map(|(i, _)| i + 2);
    match parse(&nine) {
        Err(e) => {
            assert_eq!(Some(e.position), ninth_and);
            assert!(e.message.contains("more than 256 OR alternatives"));
        }
        Ok(_) => panic!("nine groups should exceed the cap"),
    }
    let flat = vec!["a=1"; 257].join(" OR ");
    assert!(parse(&flat).is_err());
    assert!(parse(&vec!["a=1"; 256].join(" OR ")).is_ok());
}

#[test]
fn total_condition_cap() {
    let wide = vec!["a=1"; 200].join(" AND ");
    let hostile = format!("{wide} AND (x=1 OR y=2) AND (x=1 OR y=2) AND (x=1 OR y=2) AND (x=1 OR y=2) AND (x=1 OR y=2) AND (x=1 OR y=2) AND (x=1 OR y=2)");
    match parse(&hostile) {
        Err(e) => assert!(e.message.contains("more than 16384 conditions"), "{e}"),
        Ok(_) => panic!("should exceed the condition cap"),
    }
}
