//! Paging as an element declares it: the vendor's style (`pagination.type` and friends, read
//! from the instance's configuration) and, per resource, who pages and where the vendor's
//! next-page cursor lives (`paginationType`, `nextPageKey`).

use serde_json::{Map, Value};

use super::template::value_text;

/// The page size a caller gets when it names none (Cloud Elements' documented default).
pub const DEFAULT_PAGE_SIZE: u64 = 200;

/// Who pages a resource's records (`paginationType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PagingMode {
    /// `VENDOR_SUPPORTED` (the default): the vendor pages; elemental sends page, offset or
    /// cursor through the resource's declared parameters.
    #[default]
    Vendor,
    /// `VENDOR_NOT_SUPPORTED`: the vendor answers every record; elemental pages them.
    Local,
    /// `NO_PAGINATION`: no paging at all; `page`/`pageSize` are plain parameters.
    None,
}

impl PagingMode {
    /// The mode a `paginationType` value names; `None` for a value Cloud Elements does not use.
    pub fn parse(text: &str) -> Option<PagingMode> {
        match text {
            "" | "VENDOR_SUPPORTED" | "supported" => Some(PagingMode::Vendor),
            "VENDOR_NOT_SUPPORTED" => Some(PagingMode::Local),
            "NO_PAGINATION" => Some(PagingMode::None),
            _ => None,
        }
    }
}

/// Where the vendor's next-page cursor is found in its answer (`nextPageKey`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPageKey {
    /// `elements-next-page-token`: the vendor or a postRequest hook puts it in that header.
    Hook,
    /// `header.<name>`: a vendor response header.
    Header(String),
    /// `body.<path>` (or `data.<path>`, or a bare path): a field of the vendor's whole body;
    /// with `query`, that field is a URL and the cursor is its query parameter `query`
    /// (`body.page.next?cursor`).
    Body { path: String, query: Option<String> },
}

impl NextPageKey {
    /// The key a `nextPageKey` value names; `None` when it is empty.
    pub fn parse(text: &str) -> Option<NextPageKey> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if text.eq_ignore_ascii_case("elements-next-page-token") {
            return Some(NextPageKey::Hook);
        }
        if let Some(name) = text.strip_prefix("header.") {
            return Some(NextPageKey::Header(name.to_ascii_lowercase()));
        }
        let (path, query) = match text.split_once('?') {
            Some((path, query)) => (path, Some(query.to_string())),
            None => (text, None),
        };
        let path = path
            .strip_prefix("body.")
            .or_else(|| path.strip_prefix("data."))
            .unwrap_or(path);
        Some(NextPageKey::Body {
            path: path.to_string(),
            query,
        })
    }
}

/// A resource's paging, as loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourcePaging {
    pub mode: PagingMode,
    pub next_page_key: Option<NextPageKey>,
    /// Whether callers page this resource: a GET that declares `page`, `pageSize` or
    /// `nextPage`, names a `nextPageKey`, or is paged by elemental (`VENDOR_NOT_SUPPORTED`).
    pub paged: bool,
}

/// How the vendor numbers what it pages (`pagination.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VendorStyle {
    /// Page numbers from `start` (`page`, `page starts with 1`: 1; `page 0`: 0).
    Page { start: u64 },
    /// A record offset from 0.
    Offset,
    /// An opaque cursor from the vendor's previous answer.
    Cursor,
}

impl VendorStyle {
    /// The style a `pagination.type` value names; `None` for one elemental does not know.
    pub fn parse(text: &str) -> Option<VendorStyle> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "page" | "page starts with 1" => Some(VendorStyle::Page { start: 1 }),
            "page 0" | "page starts with 0" => Some(VendorStyle::Page { start: 0 }),
            "offset" => Some(VendorStyle::Offset),
            "cursor" => Some(VendorStyle::Cursor),
            _ => None,
        }
    }
}

/// The element's vendor-side paging settings, from the instance's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorPaging {
    pub style: VendorStyle,
    pub min: u64,
    pub max: Option<u64>,
    pub default: u64,
}

/// Why an element's paging configuration cannot be used, with the key at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration {key}: {message}")]
pub struct PagingConfigError {
    pub key: &'static str,
    pub message: String,
}

impl VendorPaging {
    /// Read `pagination.type`, `pagination.page.startindex`, `pagination.max` (a number, or a
    /// JSON map of object name to number with `default`) and the JSON `pagination`
    /// (`minPageSize`, `maxPageSize`, `defaultPageSize`) for `object`.
    pub fn read(
        configuration: &Map<String, Value>,
        object: &str,
    ) -> Result<VendorPaging, PagingConfigError> {
        let text = |key: &str| configuration.get(key).map(value_text).unwrap_or_default();
        let kind = text("pagination.type");
        let mut style = VendorStyle::parse(&kind).ok_or_else(|| PagingConfigError {
            key: "pagination.type",
            message: format!(
                "\"{kind}\" is not a paging type (use page, page 0, offset or cursor)"
            ),
        })?;
        let start = text("pagination.page.startindex");
        if let (VendorStyle::Page { .. }, false) = (style, start.trim().is_empty()) {
            let start = number(&start).ok_or_else(|| PagingConfigError {
                key: "pagination.page.startindex",
                message: format!("\"{start}\" is not a whole number"),
            })?;
            style = VendorStyle::Page { start };
        }
        let form = form(&text("pagination"))?;
        let max = max_for(&text("pagination.max"), object)?;
        let max = match (max, form.max) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let min = form.min.unwrap_or(1).max(1);
        let default = form
            .default
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .min(max.unwrap_or(u64::MAX));
        Ok(VendorPaging {
            style,
            min,
            max,
            default: default.max(min),
        })
    }

    /// The page size to use for what the caller asked (`None`: the default).
    pub fn size(&self, asked: Option<u64>) -> u64 {
        let size = asked.unwrap_or(self.default).max(self.min);
        self.max.map_or(size, |max| size.min(max))
    }
}

/// The JSON `pagination` form: each bound may be a number or a numeric string.
#[derive(Default)]
struct Form {
    min: Option<u64>,
    max: Option<u64>,
    default: Option<u64>,
}

fn form(text: &str) -> Result<Form, PagingConfigError> {
    if text.trim().is_empty() {
        return Ok(Form::default());
    }
    let error = |message: String| PagingConfigError {
        key: "pagination",
        message,
    };
    let value: Value = serde_json::from_str(text)
        .map_err(|e| error(format!("not a JSON object of page sizes: {e}")))?;
    let Value::Object(map) = value else {
        return Err(error("not a JSON object of page sizes".into()));
    };
    let bound = |name: &str| -> Result<Option<u64>, PagingConfigError> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => number(&value_text(v))
                .map(Some)
                .ok_or_else(|| error(format!("{name} is not a whole number"))),
        }
    };
    Ok(Form {
        min: bound("minPageSize")?,
        max: bound("maxPageSize")?,
        default: bound("defaultPageSize")?,
    })
}

/// `pagination.max` for `object`: a number, or a JSON map with the object's entry or `default`.
fn max_for(text: &str, object: &str) -> Result<Option<u64>, PagingConfigError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let error = || PagingConfigError {
        key: "pagination.max",
        message: format!(
            "\"{text}\" is neither a number nor a JSON map of object to number with \"default\""
        ),
    };
    if let Some(n) = number(text) {
        return Ok(Some(n));
    }
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
        return Err(error());
    };
    match map.get(object).or_else(|| map.get("default")) {
        None => Ok(None),
        Some(v) => number(&value_text(v)).map(Some).ok_or_else(error),
    }
}

fn number(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn next_page_keys_of_the_exports_parse() {
        assert_eq!(
            NextPageKey::parse("elements-next-page-token"),
            Some(NextPageKey::Hook)
        );
        assert_eq!(
            NextPageKey::parse("header.vsts-page-token"),
            Some(NextPageKey::Header("vsts-page-token".into()))
        );
        assert_eq!(
            NextPageKey::parse("body.page.next?cursor"),
            Some(NextPageKey::Body {
                path: "page.next".into(),
                query: Some("cursor".into())
            })
        );
        assert_eq!(
            NextPageKey::parse("data.nextId"),
            Some(NextPageKey::Body {
                path: "nextId".into(),
                query: None
            })
        );
        assert_eq!(NextPageKey::parse(" "), None);
    }

    #[test]
    fn paging_types_and_bounds_come_from_the_configuration() {
        let paging = VendorPaging::read(
            &config(json!({"pagination.type": "page 0", "pagination.max": "100"})),
            "contacts",
        );
        assert_eq!(
            paging,
            Ok(VendorPaging {
                style: VendorStyle::Page { start: 0 },
                min: 1,
                max: Some(100),
                default: 100,
            })
        );
        let paging = VendorPaging::read(
            &config(json!({
                "pagination.type": "page",
                "pagination.page.startindex": "0",
                "pagination": "{\"minPageSize\":\"5\",\"maxPageSize\":50,\"defaultPageSize\":\"20\"}"
            })),
            "x",
        )
        .ok();
        let paging = paging.as_ref();
        assert_eq!(
            paging.map(|p| p.style),
            Some(VendorStyle::Page { start: 0 })
        );
        assert_eq!(paging.map(|p| p.size(None)), Some(20));
        assert_eq!(paging.map(|p| p.size(Some(2))), Some(5));
        assert_eq!(paging.map(|p| p.size(Some(500))), Some(50));
    }

    #[test]
    fn a_max_map_is_read_per_object_with_a_default() {
        let configuration = config(json!({
            "pagination.type": "offset",
            "pagination.max": "{\"contacts\": 25, \"default\": 10}"
        }));
        let max = |object| VendorPaging::read(&configuration, object).map(|p| p.max);
        assert_eq!(max("contacts"), Ok(Some(25)));
        assert_eq!(max("accounts"), Ok(Some(10)));
    }

    #[test]
    fn bad_paging_configuration_names_its_key() {
        let error = |value: Value| VendorPaging::read(&config(value), "x").err().map(|e| e.key);
        assert_eq!(
            error(json!({"pagination.type": "sideways"})),
            Some("pagination.type")
        );
        assert_eq!(
            error(json!({"pagination.max": "lots"})),
            Some("pagination.max")
        );
        assert_eq!(error(json!({"pagination": "{"})), Some("pagination"));
    }
}
