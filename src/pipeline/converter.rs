//! `where` converters: the parsed CEQL `request_expression` rewritten as vendor query parameters.
//!
//! - `toQueryParameters`: an AND-list of `attribute = value` becomes one query parameter per
//!   condition, named after the attribute (`name = 'Ann' AND age = 3` → `name=Ann&age=3`);
//!   any other operator, or OR, is the caller's error (400): the vendor could not express it.
//!   This is what Cloud Elements' CEQL pages say of such elements (Shopify's: vendor
//!   parameters as `where created_at_min='...'`, "AND is supported, but OR is not").
//! - `toODataFilter` (OData v4) and `toODataV3Filter`: one `$filter` text. `=`/`!=`/`<>`/`<`/
//!   `<=`/`>`/`>=` are `eq ne ne lt le gt ge`; alternatives are joined with `or` inside
//!   parentheses, conditions with `and`; `IN` is an `or` of `eq`, `NOT IN` an `and` of `ne`;
//!   `IS [NOT] NULL` compares with `null`. `LIKE 'x%'` is `startswith`, `'%x'` `endswith`,
//!   `'%x%'` (or no `%`) a substring test: v4 `contains(attr,'x')`, v3 `substringof('x',attr)`;
//!   `NOT LIKE` is `not` of that. Strings are single-quoted with `'` doubled; a dotted
//!   attribute is an OData property path (`a.b` → `a/b`).

use serde_json::Value;

use crate::element::Converter;

/// The vendor query parameters `converter` makes of `expression`; empty for a converter
/// elemental does not have (hooks still read `request_expression`).
pub(super) fn vendor_parameters(
    converter: &Converter,
    expression: &Value,
) -> Result<Vec<(String, Value)>, String> {
    match converter {
        Converter::QueryParameters => query_parameters(expression),
        Converter::ODataV4 => Ok(vec![(
            "$filter".into(),
            Value::String(odata(expression, false)?),
        )]),
        Converter::ODataV3 => Ok(vec![(
            "$filter".into(),
            Value::String(odata(expression, true)?),
        )]),
        Converter::Unsupported(_) => Ok(Vec::new()),
    }
}

/// The conditions of an expression as alternatives of AND-lists (`request_expression` keeps
/// a single AND-list flat, and several as one `OR` entry).
fn alternatives(expression: &Value) -> Vec<&[Value]> {
    let Some(list) = expression.as_array() else {
        return Vec::new();
    };
    match list.as_slice() {
        [only] if only.get("operator").and_then(Value::as_str) == Some("OR") => only
            .get("value")
            .and_then(Value::as_array)
            .map(|lists| {
                lists
                    .iter()
                    .filter_map(|l| l.as_array())
                    .map(Vec::as_slice)
                    .collect()
            })
            .unwrap_or_default(),
        _ => vec![list.as_slice()],
    }
}

fn parts(condition: &Value) -> (&str, &str, &Value) {
    let attribute = condition
        .get("attribute")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let operator = condition
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or_default();
    (
        attribute,
        operator,
        condition.get("value").unwrap_or(&Value::Null),
    )
}

fn query_parameters(expression: &Value) -> Result<Vec<(String, Value)>, String> {
    let lists = alternatives(expression);
    let [conditions] = lists.as_slice() else {
        return Err("this resource's where takes only conditions joined by AND".into());
    };
    let mut out = Vec::new();
    for condition in conditions.iter() {
        let (attribute, operator, value) = parts(condition);
        if operator != "=" {
            return Err(format!(
                "this resource's where takes only attribute = value conditions, found {operator} on {attribute}"
            ));
        }
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push((attribute.to_string(), Value::String(text)));
    }
    Ok(out)
}

fn odata(expression: &Value, v3: bool) -> Result<String, String> {
    let lists = alternatives(expression);
    let several = lists.len() > 1;
    let mut alternatives = Vec::new();
    for conditions in lists {
        let terms = conditions
            .iter()
            .map(|c| odata_condition(c, v3))
            .collect::<Result<Vec<_>, _>>()?;
        let joined = terms.join(" and ");
        alternatives.push(if several && terms.len() > 1 {
            format!("({joined})")
        } else {
            joined
        });
    }
    Ok(alternatives.join(" or "))
}

fn odata_condition(condition: &Value, v3: bool) -> Result<String, String> {
    let (attribute, operator, value) = parts(condition);
    let path = attribute.replace('.', "/");
    let compare = |op: &str, v: &Value| format!("{path} {op} {}", literal(v));
    Ok(match operator {
        "=" => compare("eq", value),
        "!=" | "<>" => compare("ne", value),
        "<" => compare("lt", value),
        "<=" => compare("le", value),
        ">" => compare("gt", value),
        ">=" => compare("ge", value),
        "IS NULL" => compare("eq", &Value::Null),
        "IS NOT NULL" => compare("ne", &Value::Null),
        "IN" | "NOT IN" => {
            let (op, join) = if operator == "IN" {
                ("eq", " or ")
            } else {
                ("ne", " and ")
            };
            let items: Vec<String> = value
                .as_array()
                .map(|vs| vs.iter().map(|v| compare(op, v)).collect())
                .unwrap_or_default();
            format!("({})", items.join(join))
        }
        "LIKE" => like(&path, value, v3),
        "NOT LIKE" => format!("not {}", like(&path, value, v3)),
        other => {
            return Err(format!(
                "operator {other} cannot be sent as an OData filter"
            ))
        }
    })
}

/// CEQL `LIKE` with `%` at either end as an OData string function.
fn like(path: &str, value: &Value, v3: bool) -> String {
    let text = match value {
        Value::String(s) => s.as_str(),
        _ => "",
    };
    let (starts, ends) = (text.starts_with('%'), text.ends_with('%') && text.len() > 1);
    let inner = text.trim_start_matches('%').trim_end_matches('%');
    let quoted = literal(&Value::String(inner.to_string()));
    match (starts, ends) {
        (false, true) => format!("startswith({path},{quoted})"),
        (true, false) => format!("endswith({path},{quoted})"),
        _ if v3 => format!("substringof({quoted},{path})"),
        _ => format!("contains({path},{quoted})"),
    }
}

/// An OData literal: strings single-quoted with `'` doubled, the rest as JSON writes them.
fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::element::ceql;

    fn convert(converter: Converter, expression: &str) -> Result<Vec<(String, Value)>, String> {
        let parsed = ceql::parse(expression).map_err(|e| e.to_string())?;
        vendor_parameters(&converter, &parsed)
    }

    fn filter(converter: Converter, expression: &str) -> String {
        match convert(converter, expression).as_deref() {
            Ok([(name, Value::String(text))]) if name == "$filter" => text.clone(),
            other => panic!("no $filter: {other:?}"),
        }
    }

    #[test]
    fn query_parameters_take_each_equality_of_an_and_list() {
        let out = convert(Converter::QueryParameters, "name = 'Ann' AND age = 3");
        assert_eq!(
            out,
            Ok(vec![
                ("name".into(), Value::String("Ann".into())),
                ("age".into(), Value::String("3".into())),
            ])
        );
    }

    #[test]
    fn query_parameters_refuse_or_and_other_operators() {
        assert!(convert(Converter::QueryParameters, "a = 1 OR b = 2").is_err());
        assert!(convert(Converter::QueryParameters, "a > 1").is_err());
    }

    #[test]
    fn odata_v4_comparisons_and_alternatives() {
        assert_eq!(
            filter(
                Converter::ODataV4,
                "name = 'O''Hara' AND age >= 3 OR vip = true"
            ),
            "(name eq 'O''Hara' and age ge 3) or vip eq true"
        );
        assert_eq!(
            filter(Converter::ODataV4, "a != 1 AND b.c < 2 AND d IS NULL"),
            "a ne 1 and b/c lt 2 and d eq null"
        );
        assert_eq!(
            filter(Converter::ODataV4, "id IN (1, 2)"),
            "(id eq 1 or id eq 2)"
        );
    }

    #[test]
    fn odata_like_is_a_string_function_that_differs_in_v3() {
        assert_eq!(
            filter(Converter::ODataV4, "name LIKE '%an%'"),
            "contains(name,'an')"
        );
        assert_eq!(
            filter(Converter::ODataV3, "name LIKE '%an%'"),
            "substringof('an',name)"
        );
        assert_eq!(
            filter(Converter::ODataV3, "name LIKE 'An%'"),
            "startswith(name,'An')"
        );
        assert_eq!(
            filter(Converter::ODataV4, "name NOT LIKE '%n'"),
            "not endswith(name,'n')"
        );
    }
}
