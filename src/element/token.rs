//! `bodyToken` parameters: `{name}` tokens in a vendor body template, filled from the caller's values.

use serde_json::{Map, Value};

use crate::xml;

/// The values `bodyToken` parameters give: each fills the tokens named by its key.
#[derive(Debug, Default)]
pub struct Tokens(Map<String, Value>);

impl Tokens {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One value for one token (`{vendorName}`).
    pub fn insert(&mut self, name: &str, value: Value) {
        self.0.insert(name.to_string(), value);
    }

    /// A caller's whole body: it fills `{vendorName}` as it is, and each top-level field of a
    /// JSON object fills its own `{field}`.
    pub fn insert_body(&mut self, name: &str, body: &str) {
        let parsed = serde_json::from_str::<Value>(body).ok();
        if let Some(Value::Object(fields)) = &parsed {
            for (field, value) in fields {
                self.0.insert(field.clone(), value.clone());
            }
        }
        // The body fills its own token last, so a field that happens to share its name does
        // not shadow it.
        self.0.insert(
            name.to_string(),
            parsed.unwrap_or_else(|| Value::String(body.to_string())),
        );
    }

    /// The template with every `{name}` whose name has a value replaced; a token nothing
    /// fills stays as written, so the vendor (and the trace) shows which one was missing.
    /// In an XML template values are escaped and objects become XML elements; elsewhere
    /// strings go in as they are and other values as JSON text.
    pub fn fill(&self, template: &str, is_xml: bool) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after
                .find('}')
                .and_then(|close| self.0.get(&after[..close]).map(|v| (close, v)));
            match value {
                Some((close, value)) => {
                    out.push_str(&token_text(value, is_xml));
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

fn token_text(value: &Value, is_xml: bool) -> String {
    match (value, is_xml) {
        (Value::String(text), true) => xml::escape(text),
        (Value::String(text), false) => text.clone(),
        (Value::Null, _) => String::new(),
        (other, true) => xml::fragment(other),
        (other, false) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ADD: &str = r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:tem="http://tempuri.org/"><soap:Body><tem:Add><tem:intA>{intA}</tem:intA><tem:intB>{intB}</tem:intB></tem:Add></soap:Body></soap:Envelope>"#;

    #[test]
    fn body_fields_fill_their_tokens_escaped_in_xml() {
        let mut tokens = Tokens::default();
        tokens.insert_body("body", r#"{"intA": 4, "intB": "<2 & 3>"}"#);
        assert_eq!(
            tokens.fill(ADD, true),
            r#"<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:tem="http://tempuri.org/"><soap:Body><tem:Add><tem:intA>4</tem:intA><tem:intB>&lt;2 &amp; 3&gt;</tem:intB></tem:Add></soap:Body></soap:Envelope>"#
        );
    }

    #[test]
    fn a_token_nothing_fills_stays_as_written() {
        let mut tokens = Tokens::default();
        tokens.insert("intA", json!("1"));
        let filled = tokens.fill(ADD, true);
        assert!(filled.contains("<tem:intA>1</tem:intA>"));
        assert!(filled.contains("<tem:intB>{intB}</tem:intB>"));
    }

    #[test]
    fn a_json_template_takes_the_whole_body_under_its_name() {
        // awsrekognition's shape: `{payload}` is the caller's whole body.
        let mut tokens = Tokens::default();
        tokens.insert_body("payload", r#"{"Image": {"Bytes": "abc"}}"#);
        tokens.insert("action", json!("compareFaces"));
        assert_eq!(
            tokens.fill(
                r#"{   "action": "{action}",   "payload": {payload} }"#,
                false
            ),
            r#"{   "action": "compareFaces",   "payload": {"Image":{"Bytes":"abc"}} }"#
        );
    }

    #[test]
    fn an_object_in_xml_becomes_elements() {
        let mut tokens = Tokens::default();
        tokens.insert("item", json!({"Name": "a&b", "Qty": 2}));
        assert_eq!(
            tokens.fill("<x>{item}</x>", true),
            "<x><Name>a&amp;b</Name><Qty>2</Qty></x>"
        );
    }
}
