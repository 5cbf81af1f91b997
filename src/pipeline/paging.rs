//! Cloud Elements' standardized paging: the caller's `page`/`pageSize`/`nextPage` turned into
//! what the vendor takes, and the vendor's answer into `Elements-Next-Page-Token`,
//! `Elements-Returned-Count` and `Elements-Total-Count`.
//!
//! A next-page token is opaque to the caller: the position (a page number, a record offset
//! or the vendor's cursor) and the page size, bound to the instance and the request path,
//! signed with the server's key. A token from elsewhere or tampered with is refused.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::exchange::{Exchange, Response};
use super::{Call, PipelineError};
use crate::element::paging::{NextPageKey, PagingMode, VendorPaging, VendorStyle};
use crate::element::root_key;
use crate::element::template::value_text;
use crate::secret::{self, SigningKey};

pub const NEXT_PAGE_HEADER: &str = "elements-next-page-token";
const RETURNED_HEADER: &str = "elements-returned-count";
const TOTAL_HEADER: &str = "elements-total-count";

/// Where a page starts.
#[derive(Debug, Clone, PartialEq)]
enum Position {
    /// A page number from 1 (page-numbered vendors).
    Page(u64),
    /// Records already returned (offset vendors, and pages elemental cuts itself).
    Offset(u64),
    /// The vendor's cursor; `None` on the first page.
    Cursor(Option<String>),
}

/// The page one call asks for.
#[derive(Debug)]
pub(super) struct PageRequest {
    mode: PagingMode,
    style: VendorStyle,
    size: u64,
    at: Position,
    /// What the token is bound to: instance id and `METHOD path`.
    binding: String,
}

impl PageRequest {
    /// The value a declared paging parameter (`page`, `pageSize`, `nextPage`, by its
    /// caller-side name) sends the vendor: `Some(None)` sends nothing, `None` leaves the
    /// parameter to the ordinary mapping.
    pub(super) fn vendor_value(&self, name: &str) -> Option<Option<Value>> {
        if !matches!(name, "page" | "pageSize" | "nextPage") {
            return None;
        }
        // The vendor answers everything: it is asked for no page.
        if self.mode == PagingMode::Local {
            return Some(None);
        }
        Some(match (name, &self.at) {
            ("pageSize", _) => Some(json!(self.size)),
            ("page", Position::Page(n)) => match self.style {
                VendorStyle::Page { start } => Some(json!(n - 1 + start)),
                _ => Some(json!((n - 1) * self.size)),
            },
            ("page", Position::Offset(offset)) => Some(json!(offset)),
            ("nextPage", Position::Cursor(Some(cursor))) => Some(json!(cursor)),
            _ => None,
        })
    }
}

/// The page the caller asks for, with `request_parameters` rewritten to show it (`page`,
/// `pageSize`, and `nextPage` as the vendor's cursor); `None` when the resource does not page.
pub(super) fn begin(
    call: &Call<'_>,
    exchange: &mut Exchange<'_>,
) -> Result<Option<PageRequest>, PipelineError> {
    let resource = exchange.resource;
    if !resource.paging.paged {
        return Ok(None);
    }
    let vendor =
        VendorPaging::read(&exchange.configuration, &resource.object_name).map_err(|error| {
            PipelineError::Misconfigured {
                element: exchange.element.key.clone(),
                message: error.to_string(),
            }
        })?;
    let parameters = &mut exchange.request_parameters;
    let asked_size = whole(parameters, "pageSize")?;
    let binding = format!(
        "{} {} {}",
        call.instance.id, exchange.request_method, exchange.request_path
    );
    let token = match parameters.get("nextPage").map(value_text) {
        Some(text) if !text.is_empty() => Some(open(&call.settings.paging_key, &binding, &text)?),
        _ => None,
    };
    let local = resource.paging.mode == PagingMode::Local;
    let (at, size) = match token {
        // A page-numbered vendor's pages are only the same records at the same size.
        Some((at @ Position::Page(_), size)) => (at, size),
        Some((at, size)) => (at, vendor.size(asked_size.or(Some(size)))),
        None => {
            let size = vendor.size(asked_size);
            let page = whole(parameters, "page")?.unwrap_or(1).max(1);
            (first(vendor.style, local, page, size)?, size)
        }
    };
    show(parameters, &at, size);
    Ok(Some(PageRequest {
        mode: resource.paging.mode,
        style: vendor.style,
        size,
        at,
        binding,
    }))
}

/// Where page `page` starts when the caller names it by number.
fn first(style: VendorStyle, local: bool, page: u64, size: u64) -> Result<Position, PipelineError> {
    Ok(match style {
        _ if local => Position::Offset((page - 1) * size),
        VendorStyle::Page { .. } => Position::Page(page),
        VendorStyle::Offset => Position::Offset((page - 1) * size),
        VendorStyle::Cursor if page == 1 => Position::Cursor(None),
        VendorStyle::Cursor => {
            return Err(PipelineError::BadRequest(
                "parameter page: this resource pages by the vendor's cursor; follow Elements-Next-Page-Token with nextPage".into(),
            ))
        }
    })
}

/// `request_parameters` as hooks see the page: the page number, the size, the vendor's cursor.
fn show(parameters: &mut Map<String, Value>, at: &Position, size: u64) {
    parameters.insert("pageSize".into(), json!(size.to_string()));
    parameters.remove("nextPage");
    match at {
        Position::Page(n) => {
            parameters.insert("page".into(), json!(n.to_string()));
        }
        Position::Offset(offset) => {
            parameters.insert("page".into(), json!((offset / size + 1).to_string()));
        }
        Position::Cursor(cursor) => {
            parameters.remove("page");
            if let Some(cursor) = cursor {
                parameters.insert("nextPage".into(), json!(cursor));
            }
        }
    }
}

/// A positive whole-number parameter, if given.
fn whole(parameters: &Map<String, Value>, name: &str) -> Result<Option<u64>, PipelineError> {
    let Some(value) = parameters.get(name) else {
        return Ok(None);
    };
    let text = value_text(value);
    match text.trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(PipelineError::BadRequest(format!(
            "parameter {name}: \"{text}\" is not a positive whole number"
        ))),
    }
}

/// After the post hooks: cut the page when elemental pages, and set the paging headers.
pub(super) fn finish(call: &Call<'_>, exchange: &mut Exchange<'_>, page: &PageRequest) {
    let next_page_key = exchange.resource.paging.next_page_key.clone();
    let Some(response) = exchange.response.as_mut() else {
        return;
    };
    if exchange.error_message.is_some() || !(200..=207).contains(&response.status) {
        return;
    }
    let given = take_header(response, NEXT_PAGE_HEADER);
    let (next, returned, total) = if page.mode == PagingMode::Local {
        cut(response, page)
    } else {
        let returned = records(&response.body);
        let total = total_count(response);
        let next = match (given, &next_page_key) {
            // A post hook (or the vendor) named the next page itself.
            (Some(cursor), _) => non_empty(cursor).map(|c| Position::Cursor(Some(c))),
            (None, Some(key)) => cursor(response, key).map(|c| Position::Cursor(Some(c))),
            (None, None) => following(page, returned, total),
        };
        (next, returned, total)
    };
    let headers = &mut response.headers;
    if let Some(next) = next {
        let token = seal(&call.settings.paging_key, &page.binding, &next, page.size);
        headers.insert(NEXT_PAGE_HEADER.into(), json!(token));
    }
    if let Some(returned) = returned {
        headers.insert(RETURNED_HEADER.into(), json!(returned.to_string()));
    }
    if let Some(total) = total {
        headers.insert(TOTAL_HEADER.into(), json!(total.to_string()));
    }
}

/// The next page by counting, for page-numbered and offset vendors: there may be one when
/// this page was full (or fewer than the total were seen).
fn following(page: &PageRequest, returned: Option<u64>, total: Option<u64>) -> Option<Position> {
    let returned = returned?;
    let seen = match &page.at {
        Position::Page(n) => (n - 1) * page.size + returned,
        Position::Offset(offset) => offset + returned,
        Position::Cursor(_) => return None,
    };
    let more = match total {
        Some(total) => seen < total,
        None => returned >= page.size,
    };
    more.then(|| match &page.at {
        Position::Page(n) => Position::Page(n + 1),
        _ => Position::Offset(seen),
    })
}

/// Elemental's own page of a vendor that answers every record: this page's records become
/// the body; the next position, the count and the total.
fn cut(
    response: &mut Response,
    page: &PageRequest,
) -> (Option<Position>, Option<u64>, Option<u64>) {
    let Value::Array(all) = &mut response.body else {
        return (None, records(&response.body), None);
    };
    let total = all.len() as u64;
    let offset = match page.at {
        Position::Offset(offset) => offset,
        _ => 0,
    };
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(all.len());
    let end = start
        .saturating_add(usize::try_from(page.size).unwrap_or(usize::MAX))
        .min(all.len());
    let kept: Vec<Value> = all.drain(start..end).collect();
    let returned = kept.len() as u64;
    if response.raw_map.is_none() {
        // The whole body was the records: it stays readable as it came.
        response.raw_map = Some(Value::Array(std::mem::take(all)));
    }
    response.body = Value::Array(kept);
    response.replaced = true;
    response.raw_is_body = false;
    let next = (end < total as usize).then_some(Position::Offset(end as u64));
    (next, Some(returned), Some(total))
}

/// How many records a body holds: an array's length.
fn records(body: &Value) -> Option<u64> {
    body.as_array().map(|items| items.len() as u64)
}

/// The total the vendor tells: a count header, or a count field of its whole body.
fn total_count(response: &Response) -> Option<u64> {
    const HEADERS: &[&str] = &[TOTAL_HEADER, "x-total-count", "total-count", "x-total"];
    const FIELDS: &[&str] = &[
        "totalCount",
        "total_count",
        "totalSize",
        "totalResults",
        "total",
        "@odata.count",
    ];
    let from_header = HEADERS.iter().find_map(|name| header(response, name));
    let body = response.raw_map().as_object();
    let from_body = || {
        let body = body?;
        FIELDS
            .iter()
            .find_map(|field| body.get(*field).map(value_text))
    };
    from_header
        .or_else(from_body)
        .and_then(|text| text.trim().parse().ok())
}

/// The vendor's cursor where `nextPageKey` says it is.
fn cursor(response: &Response, key: &NextPageKey) -> Option<String> {
    let found = match key {
        NextPageKey::Hook => None,
        NextPageKey::Header(name) => header(response, name),
        NextPageKey::Body { path, query } => {
            let text = match root_key::select(response.raw_map(), path) {
                Value::Null => return None,
                value => value_text(&value),
            };
            match query {
                None => Some(text),
                Some(name) => url::Url::parse(&text).ok().and_then(|url| {
                    url.query_pairs()
                        .find(|(k, _)| k == name.as_str())
                        .map(|(_, v)| v.into_owned())
                }),
            }
        }
    };
    found.and_then(non_empty)
}

fn non_empty(text: String) -> Option<String> {
    (!text.trim().is_empty() && text != "null").then_some(text)
}

/// A response header's value, from the map hooks see or as the vendor passed it.
fn header(response: &Response, name: &str) -> Option<String> {
    let from_map = response
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| value_text(v));
    from_map.or_else(|| {
        response
            .passed
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    })
}

/// Remove a header (any case) from the response and give its value.
fn take_header(response: &mut Response, name: &str) -> Option<String> {
    let value = header(response, name);
    response
        .headers
        .retain(|n, _| !n.eq_ignore_ascii_case(name));
    response
        .passed
        .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    value
}

/// The token for `next`: payload and signature, each base64url, joined by a dot.
fn seal(key: &SigningKey, binding: &str, next: &Position, size: u64) -> String {
    let position = match next {
        Position::Page(n) => json!({"p": n}),
        Position::Offset(offset) => json!({"o": offset}),
        Position::Cursor(cursor) => json!({"c": cursor}),
    };
    let payload = json!({"b": binding, "s": size, "at": position}).to_string();
    let signature = key.sign(payload.as_bytes());
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(payload),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

/// The position and size a token carries, if this server signed it for this binding.
fn open(key: &SigningKey, binding: &str, token: &str) -> Result<(Position, u64), PipelineError> {
    let refused = || {
        PipelineError::BadRequest(
            "parameter nextPage: not a next-page token this instance answered for this resource"
                .into(),
        )
    };
    let (payload, signature) = token.trim().split_once('.').ok_or_else(refused)?;
    let payload = URL_SAFE_NO_PAD.decode(payload).map_err(|_| refused())?;
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| refused())?;
    if !secret::matches(&signature, &key.sign(&payload)) {
        return Err(refused());
    }
    let value: Value = serde_json::from_slice(&payload).map_err(|_| refused())?;
    if value.get("b").and_then(Value::as_str) != Some(binding) {
        return Err(refused());
    }
    let size = value.get("s").and_then(Value::as_u64).ok_or_else(refused)?;
    let at = value.get("at").ok_or_else(refused)?;
    let position = if let Some(n) = at.get("p").and_then(Value::as_u64) {
        Position::Page(n.max(1))
    } else if let Some(offset) = at.get("o").and_then(Value::as_u64) {
        Position::Offset(offset)
    } else {
        let cursor = at.get("c").and_then(Value::as_str).ok_or_else(refused)?;
        Position::Cursor(Some(cursor.to_string()))
    };
    Ok((position, size.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_only_where_it_was_sealed() {
        let key = SigningKey::from_text("k");
        let token = seal(&key, "1 GET /a", &Position::Cursor(Some("c=1&x".into())), 7);
        assert_eq!(
            open(&key, "1 GET /a", &token).ok(),
            Some((Position::Cursor(Some("c=1&x".into())), 7))
        );
        assert!(open(&key, "2 GET /a", &token).is_err(), "another instance");
        assert!(open(&key, "1 GET /b", &token).is_err(), "another resource");
        assert!(open(&SigningKey::from_text("j"), "1 GET /a", &token).is_err());
        let mut tampered = token.clone().into_bytes();
        tampered[3] ^= 1;
        let tampered = String::from_utf8_lossy(&tampered).into_owned();
        assert!(open(&key, "1 GET /a", &tampered).is_err());
        assert!(open(&key, "1 GET /a", "garbage").is_err());
    }

    #[test]
    fn counting_finds_the_next_page() {
        let page = |at, size| PageRequest {
            mode: PagingMode::Vendor,
            style: VendorStyle::Offset,
            size,
            at,
            binding: String::new(),
        };
        assert_eq!(
            following(&page(Position::Offset(14), 7), Some(7), None),
            Some(Position::Offset(21))
        );
        assert_eq!(
            following(&page(Position::Offset(56), 7), Some(1), None),
            None
        );
        assert_eq!(
            following(&page(Position::Offset(49), 7), Some(7), Some(56)),
            None
        );
        assert_eq!(
            following(&page(Position::Page(2), 7), Some(7), None),
            Some(Position::Page(3))
        );
    }
}
