//! XML ⇄ JSON for vendors that speak XML (SOAP and the like), by fixed rules documented in README's "XML vendors".

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use serde_json::{Map, Value};

/// The vendor's text is not well-formed XML.
#[derive(Debug, thiserror::Error)]
#[error("not well-formed XML: {0}")]
pub struct XmlError(String);

/// Whether a Content-Type names XML: `application/xml`, `text/xml`, `application/soap+xml`
/// or any other `+xml` type.
pub fn is_xml_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml")
}

/// Whether a body is already XML text (a template, a hook's envelope), so it is sent as is.
pub fn looks_like_xml(text: &str) -> bool {
    text.trim_start().starts_with('<')
}

/// Escape text for an XML element's content or an attribute value.
pub fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// One element being read: its attributes and children so far, and its text.
struct Open {
    name: String,
    fields: Map<String, Value>,
    text: String,
}

impl Open {
    fn new(start: &BytesStart<'_>) -> Result<Open, XmlError> {
        let name = start.name().as_ref().to_string();
        let mut fields = Map::new();
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| XmlError(e.to_string()))?;
            let key = attribute.key.as_ref().to_string();
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| XmlError(e.to_string()))?;
            fields.insert(format!("@{key}"), Value::String(value.into_owned()));
        }
        Ok(Open {
            name,
            fields,
            text: String::new(),
        })
    }

    /// The element's JSON: its text alone when it has neither attributes nor children,
    /// else an object with the text (if any) under `#text`.
    fn close(self) -> Value {
        let text = self.text.trim();
        if self.fields.is_empty() {
            return Value::String(text.to_string());
        }
        let mut fields = self.fields;
        if !text.is_empty() {
            fields.insert("#text".into(), Value::String(text.to_string()));
        }
        Value::Object(fields)
    }
}

/// Add a child under its name; a repeated name becomes an array in document order.
fn add_child(fields: &mut Map<String, Value>, name: String, value: Value) {
    match fields.get_mut(&name) {
        Some(Value::Array(items)) => items.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
        None => {
            fields.insert(name, value);
        }
    }
}

/// An XML document as JSON: `{root-name: ...}`, names as written (prefixes kept).
pub fn to_json(text: &str) -> Result<Value, XmlError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut document = Map::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| XmlError(format!("{e} at byte {}", reader.buffer_position())))?;
        match event {
            Event::Start(start) => stack.push(Open::new(&start)?),
            Event::Empty(start) => {
                let open = Open::new(&start)?;
                let name = open.name.clone();
                place(&mut stack, &mut document, name, open.close());
            }
            Event::End(_) => {
                let open = stack
                    .pop()
                    .ok_or_else(|| XmlError("an end tag without a start".into()))?;
                let name = open.name.clone();
                place(&mut stack, &mut document, name, open.close());
            }
            Event::Text(text) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(open) = stack.last_mut() {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => predefined(&reference.xml10_content()),
                        Err(e) => return Err(XmlError(e.to_string())),
                    };
                    open.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError("the document ends inside an element".into()));
    }
    if document.is_empty() {
        return Err(XmlError("no root element".into()));
    }
    Ok(Value::Object(document))
}

fn place(stack: &mut [Open], document: &mut Map<String, Value>, name: String, value: Value) {
    match stack.last_mut() {
        Some(parent) => add_child(&mut parent.fields, name, value),
        None => add_child(document, name, value),
    }
}

/// The five entities XML predefines; any other reference stays as written.
fn predefined(name: &str) -> String {
    match name {
        "lt" => "<".into(),
        "gt" => ">".into(),
        "amp" => "&".into(),
        "apos" => "'".into(),
        "quot" => "\"".into(),
        other => format!("&{other};"),
    }
}

/// JSON as an XML document: an object with one key is the root element; anything else is
/// wrapped in `<root>`.
pub fn from_json(value: &Value) -> String {
    let mut out = String::from(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    match value {
        Value::Object(fields) if fields.len() == 1 => {
            for (name, child) in fields {
                write_element(name, child, &mut out);
            }
        }
        other => write_element("root", other, &mut out),
    }
    out
}

/// JSON as XML content without a root: an object's fields as elements, a scalar as text.
pub fn fragment(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(fields) => {
            for (name, child) in fields {
                write_element(name, child, &mut out);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&fragment(item));
            }
        }
        scalar => out.push_str(&escape(&scalar_text(scalar))),
    }
    out
}

/// One element (or, for an array, one element per item) named `name`.
fn write_element(name: &str, value: &Value, out: &mut String) {
    match value {
        Value::Array(items) => {
            for item in items {
                write_element(name, item, out);
            }
        }
        Value::Object(fields) => {
            out.push('<');
            out.push_str(name);
            for (key, attribute) in fields {
                if let Some(attribute_name) = key.strip_prefix('@') {
                    out.push_str(&format!(
                        " {attribute_name}=\"{}\"",
                        escape(&scalar_text(attribute))
                    ));
                }
            }
            out.push('>');
            for (key, child) in fields {
                if key == "#text" {
                    out.push_str(&escape(&scalar_text(child)));
                } else if !key.starts_with('@') {
                    write_element(key, child, out);
                }
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Null => out.push_str(&format!("<{name}/>")),
        scalar => out.push_str(&format!(
            "<{name}>{}</{name}>",
            escape(&scalar_text(scalar))
        )),
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ORDERS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <soap:Header/>
  <soap:Body>
    <GetOrdersResponse xmlns="http://example.com/orders">
      <Orders count="2">
        <Order id="17" status="open"><Total currency="EUR">12.50</Total><Note>Tom &amp; Jerry</Note></Order>
        <Order id="18" status="closed"><Total currency="EUR">007</Total><Note><![CDATA[<b>rush</b>]]></Note><Gift/></Order>
      </Orders>
    </GetOrdersResponse>
  </soap:Body>
</soap:Envelope>"#;

    #[test]
    fn a_soap_envelope_becomes_json_with_prefixes_attributes_and_arrays() {
        let json = to_json(ORDERS).expect("well-formed");
        let body = &json["soap:Envelope"]["soap:Body"];
        assert_eq!(
            json["soap:Envelope"]["@xmlns:soap"],
            "http://schemas.xmlsoap.org/soap/envelope/"
        );
        assert_eq!(json["soap:Envelope"]["soap:Header"], "");
        let orders = &body["GetOrdersResponse"]["Orders"];
        assert_eq!(orders["@count"], "2");
        assert_eq!(
            orders["Order"],
            json!([
                {"@id": "17", "@status": "open", "Total": {"@currency": "EUR", "#text": "12.50"}, "Note": "Tom & Jerry"},
                {"@id": "18", "@status": "closed", "Total": {"@currency": "EUR", "#text": "007"}, "Note": "<b>rush</b>", "Gift": ""}
            ])
        );
    }

    #[test]
    fn a_soap_fault_keeps_its_code_and_reason() {
        let fault = r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring xml:lang="en">Invalid &#x49;D &lt;0&gt;</faultstring><detail/></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#;
        let json = to_json(fault).expect("well-formed");
        let fault = &json["soapenv:Envelope"]["soapenv:Body"]["soapenv:Fault"];
        assert_eq!(fault["faultcode"], "soapenv:Client");
        assert_eq!(
            fault["faultstring"],
            json!({"@xml:lang": "en", "#text": "Invalid ID <0>"})
        );
        assert_eq!(fault["detail"], "");
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(to_json("<a><b></a>").is_err());
        assert!(to_json("just text").is_err());
        assert!(to_json("<a>").is_err());
    }

    #[test]
    fn json_becomes_xml_escaped_with_attributes_and_repeats() {
        let value = json!({"order": {"@id": "1", "item": ["a<b", "c"], "note": null, "qty": 2, "price": {"@cur": "EUR", "#text": "1&2"}}});
        assert_eq!(
            from_json(&value),
            r#"<?xml version="1.0" encoding="UTF-8"?><order id="1"><item>a&lt;b</item><item>c</item><note/><qty>2</qty><price cur="EUR">1&amp;2</price></order>"#
        );
        assert_eq!(
            from_json(&json!({"a": 1, "b": true})),
            r#"<?xml version="1.0" encoding="UTF-8"?><root><a>1</a><b>true</b></root>"#
        );
        let back = to_json(&from_json(&value)).expect("round trip");
        assert_eq!(back["order"]["item"], json!(["a<b", "c"]));
    }

    #[test]
    fn xml_content_types_are_recognized() {
        assert!(is_xml_type("text/xml; charset=utf-8"));
        assert!(is_xml_type("application/soap+xml"));
        assert!(is_xml_type("Application/XML"));
        assert!(!is_xml_type("application/json"));
    }
}
