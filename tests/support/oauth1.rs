//! An OAuth 1.0a provider's own signature check, written apart from `elemental::auth`: the
//! parameters collected from the query, a form body and the Authorization header, the base
//! string rebuilt from the request as received, HMAC-SHA1 compared.

use base64::Engine as _;
use hmac::{Hmac, Mac};

use super::Recorded;

/// RFC 3986 unreserved characters kept, everything else `%XX`.
pub fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Percent-decoding; `plus` turns `+` into a space (form encoding).
pub fn dec(text: &str, plus: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
                continue;
            }
            b'+' if plus => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (dec(k, true), dec(v, true))
        })
        .collect()
}

/// Every parameter of the request, signature included, before any check (a provider reads
/// `oauth_token` to know which secret checks the signature).
pub fn parameters(seen: &Recorded) -> Result<Vec<(String, String)>, String> {
    let mut parameters = form(&seen.query);
    if seen
        .header("content-type")
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
    {
        parameters.extend(form(&seen.body));
    }
    if let Some(header) = seen.header("authorization") {
        let fields = header.strip_prefix("OAuth ").ok_or("not an OAuth header")?;
        for field in fields.split(", ") {
            let (k, v) = field.split_once('=').ok_or("bad field")?;
            parameters.push((dec(k, false), dec(v.trim_matches('"'), false)));
        }
    }
    Ok(parameters)
}

/// Check the request's HMAC-SHA1 signature with `consumer_secret` and `token_secret`; the
/// signed parameters (without `oauth_signature` and `realm`), or why it does not verify.
pub fn verify(
    seen: &Recorded,
    consumer_secret: &str,
    token_secret: &str,
) -> Result<Vec<(String, String)>, String> {
    let mut parameters = parameters(seen)?;
    let take = |name: &str, list: &mut Vec<(String, String)>| {
        let at = list.iter().position(|(k, _)| k == name)?;
        Some(list.remove(at).1)
    };
    let signature = take("oauth_signature", &mut parameters).ok_or("no oauth_signature")?;
    take("realm", &mut parameters);
    let mut pairs: Vec<String> = parameters
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    pairs.sort();
    let host = seen.header("host").ok_or("no host")?;
    let base = format!(
        "{}&{}&{}",
        seen.method,
        enc(&format!("http://{host}{}", seen.path)),
        enc(&pairs.join("&"))
    );
    let key = format!("{}&{}", enc(consumer_secret), enc(token_secret));
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).map_err(|e| e.to_string())?;
    mac.update(base.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    if expected == signature {
        Ok(parameters)
    } else {
        Err(format!("signature {signature} is not {expected} of {base}"))
    }
}

/// A signed parameter's value (empty when absent).
pub fn value(parameters: &[(String, String)], name: &str) -> String {
    parameters
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}
