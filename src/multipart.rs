//! `multipart/form-data` (RFC 7578): reading a caller's buffered body into parts, and writing
//! parts as a vendor body.
//!
//! Reading never copies: each part's data is a `Bytes` slice of the buffered request body,
//! which the server already bounds by `max_request_body`. Writing assembles the framing and
//! the parts' data as a list of `Bytes` pieces and joins them once, because the vendor
//! request carries one `Bytes` body; a file's bytes are therefore copied exactly once.

use bytes::{Bytes, BytesMut};

/// One part of a form: a text field, or a file when it has a `filename`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    /// The part's own `Content-Type`, if it declared one.
    pub content_type: Option<String>,
    pub data: Bytes,
}

impl Part {
    /// A text field.
    pub fn text(name: &str, value: &str) -> Part {
        Part {
            name: name.to_string(),
            filename: None,
            content_type: None,
            data: Bytes::copy_from_slice(value.as_bytes()),
        }
    }

    /// The content type to declare for this part's data when sent on its own.
    pub fn media_type(&self) -> &str {
        match (&self.content_type, &self.filename) {
            (Some(kind), _) => kind,
            (None, Some(_)) => "application/octet-stream",
            (None, None) => "text/plain; charset=utf-8",
        }
    }
}

/// Why a caller's multipart body could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MultipartError {
    #[error("the multipart/form-data Content-Type has no boundary parameter")]
    NoBoundary,
    #[error("the multipart body does not start with its boundary")]
    NoOpening,
    #[error("multipart part {0} is not closed by the boundary (truncated body?)")]
    Unclosed(usize),
    #[error("multipart part {0} has no blank line after its headers")]
    NoHeaderEnd(usize),
    #[error("multipart part {0} has no Content-Disposition: form-data with a name")]
    NoName(usize),
}

/// Whether a `Content-Type` value is `multipart/form-data`.
pub fn is_form_data(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("multipart/form-data"))
}

/// The `boundary` parameter of a Content-Type value, unquoted.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// Read a buffered `multipart/form-data` body into its parts, in order.
pub fn parse(body: &Bytes, content_type: &str) -> Result<Vec<Part>, MultipartError> {
    let boundary = boundary(content_type).ok_or(MultipartError::NoBoundary)?;
    let opening = format!("--{boundary}");
    // Every boundary after the first is preceded by CRLF (RFC 2046 §5.1.1).
    let delimiter = format!("\r\n--{boundary}");
    // A preamble before the first boundary is allowed and ignored.
    let start = if body.starts_with(opening.as_bytes()) {
        0
    } else {
        find(body, delimiter.as_bytes(), 0).ok_or(MultipartError::NoOpening)? + 2
    };
    let mut at = start + opening.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        // Transport padding after a boundary, then its CRLF.
        while matches!(body.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        let index = parts.len() + 1;
        if !body[at..].starts_with(b"\r\n") {
            return Err(MultipartError::Unclosed(index));
        }
        at += 2;
        let end = find(body, delimiter.as_bytes(), at).ok_or(MultipartError::Unclosed(index))?;
        parts.push(part(body, at, end, index)?);
        at = end + delimiter.len();
    }
}

/// One part between `start` and `end` (its headers, a blank line, its data).
fn part(body: &Bytes, start: usize, end: usize, index: usize) -> Result<Part, MultipartError> {
    let (head_end, data_start) = if body[start..end].starts_with(b"\r\n") {
        (start, start + 2)
    } else {
        let blank =
            find(&body[..end], b"\r\n\r\n", start).ok_or(MultipartError::NoHeaderEnd(index))?;
        (blank, blank + 4)
    };
    let head = String::from_utf8_lossy(&body[start..head_end]);
    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim();
        if key.eq_ignore_ascii_case("content-disposition") {
            let mut params = value.split(';');
            if !params
                .next()
                .is_some_and(|d| d.trim().eq_ignore_ascii_case("form-data"))
            {
                continue;
            }
            for param in params {
                match param.split_once('=') {
                    Some((k, v)) if k.trim().eq_ignore_ascii_case("name") => {
                        name = Some(unquote(v))
                    }
                    Some((k, v)) if k.trim().eq_ignore_ascii_case("filename") => {
                        filename = Some(unquote(v))
                    }
                    _ => {}
                }
            }
        } else if key.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_string());
        }
    }
    let name = name.ok_or(MultipartError::NoName(index))?;
    Ok(Part {
        name,
        filename,
        content_type,
        data: body.slice(data_start..end),
    })
}

/// A parameter value, quoted (with `\"` escapes) or not.
fn unquote(value: &str) -> String {
    let value = value.trim();
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => value.to_string(),
    }
}

/// A header parameter value quoted for writing; CR and LF cannot appear inside it.
fn quote(value: &str) -> String {
    let clean: String = value
        .chars()
        .map(|c| match c {
            '\r' | '\n' => ' ',
            other => other,
        })
        .collect();
    format!("\"{}\"", clean.replace('\\', "\\\\").replace('"', "\\\""))
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// A fresh boundary: random, so a file's own bytes are practically never mistaken for it.
pub fn new_boundary() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let tail: String = (0..32)
        .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)]))
        .collect();
    format!("elemental-{tail}")
}

/// The body of `parts` under `boundary` as pieces: framing and the parts' own `Bytes`, in order.
pub fn pieces(parts: &[Part], boundary: &str) -> Vec<Bytes> {
    let mut pieces = Vec::with_capacity(parts.len() * 2 + 1);
    for part in parts {
        let mut head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name={}",
            quote(&part.name)
        );
        if let Some(filename) = &part.filename {
            head.push_str(&format!("; filename={}", quote(filename)));
        }
        if part.filename.is_some() || part.content_type.is_some() {
            head.push_str(&format!("\r\nContent-Type: {}", part.media_type()));
        }
        head.push_str("\r\n\r\n");
        pieces.push(Bytes::from(head));
        pieces.push(part.data.clone());
        pieces.push(Bytes::from_static(b"\r\n"));
    }
    pieces.push(Bytes::from(format!("--{boundary}--\r\n")));
    pieces
}

/// Join pieces into one body, copying each exactly once.
pub fn join(pieces: &[Bytes]) -> Bytes {
    let mut body = BytesMut::with_capacity(pieces.iter().map(Bytes::len).sum());
    for piece in pieces {
        body.extend_from_slice(piece);
    }
    body.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPE: &str = "multipart/form-data; boundary=\"b-1\"";

    #[test]
    fn a_file_and_a_field_round_trip() {
        let file = b"\x00\xff\r\n--b-1 not quite\r\n--\r\n".to_vec();
        let parts = vec![
            Part::text("note", "hello"),
            Part {
                name: "file".into(),
                filename: Some("a \"b\".bin".into()),
                content_type: Some("application/octet-stream".into()),
                data: Bytes::from(file.clone()),
            },
        ];
        let body = join(&pieces(&parts, "b-1x"));
        let back = parse(&body, "multipart/form-data; boundary=b-1x").expect("parses");
        assert_eq!(back[0].data, Bytes::from_static(b"hello"));
        assert_eq!(back[1].filename.as_deref(), Some("a \"b\".bin"));
        assert_eq!(back[1].data.as_ref(), file.as_slice());
    }

    #[test]
    fn preamble_and_empty_parts_are_read() {
        let body = Bytes::from_static(
            b"ignored\r\n--b-1\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--b-1--\r\n",
        );
        let parts = parse(&body, TYPE).expect("parses");
        assert_eq!(parts.len(), 1);
        assert!(parts[0].data.is_empty());
    }

    #[test]
    fn every_truncation_and_byte_change_is_an_answer_not_a_panic() {
        let parts = vec![
            Part::text("a", "1"),
            Part {
                name: "f".into(),
                filename: Some("x".into()),
                content_type: Some("text/csv".into()),
                data: Bytes::from_static(b"--b-\r\n\r\n"),
            },
        ];
        let body = join(&pieces(&parts, "b-1"));
        for end in 0..body.len() {
            let _ = parse(&body.slice(..end), TYPE);
        }
        for at in 0..body.len() {
            for byte in [b'\r', b'\n', b'-', b'"', b';', 0] {
                let mut changed = body.to_vec();
                changed[at] = byte;
                let _ = parse(&Bytes::from(changed), TYPE);
            }
        }
    }

    #[test]
    fn malformed_bodies_say_why() {
        let no_end =
            Bytes::from_static(b"--b-1\r\nContent-Disposition: form-data; name=a\r\n\r\nx");
        assert_eq!(parse(&no_end, TYPE), Err(MultipartError::Unclosed(1)));
        let no_name = Bytes::from_static(b"--b-1\r\nContent-Type: text/plain\r\n\r\nx\r\n--b-1--");
        assert_eq!(parse(&no_name, TYPE), Err(MultipartError::NoName(1)));
        assert_eq!(
            parse(&no_name, "multipart/form-data"),
            Err(MultipartError::NoBoundary)
        );
        assert_eq!(
            parse(&Bytes::from_static(b"junk"), TYPE),
            Err(MultipartError::NoOpening)
        );
    }
}
