//! The element file's text as saphyr marks it: character markers turned into byte slices.

use saphyr::{LoadableYamlNode, MarkedYaml, Marker, ScanError, Yaml};

use super::{ParseError, Pos};

/// The source text; saphyr markers count characters, so slicing needs byte offsets.
pub(super) struct Source<'a> {
    text: &'a str,
    /// Byte offset of every character (plus the end); `None` for ASCII where they coincide.
    offsets: Option<Vec<usize>>,
}

impl<'a> Source<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let offsets = (!text.is_ascii()).then(|| {
            let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            v.push(text.len());
            v
        });
        Source { text, offsets }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.offsets {
            None => char_index.min(self.text.len()),
            Some(v) => v.get(char_index).copied().unwrap_or(self.text.len()),
        }
    }

    pub(super) fn slice(&self, from: Marker, to: Marker) -> &'a str {
        let text: &'a str = self.text;
        text.get(self.byte(from.index())..self.byte(to.index()))
            .unwrap_or("")
    }

    pub(super) fn scan_error(&self, e: &ScanError) -> ParseError {
        let pos = Pos::of(*e.marker());
        // The loader's own duplicate check aborts without naming the key, so read it back from
        // the source at the reported position.
        if e.info() == "duplicated key in mapping" {
            let rest = self.text.get(self.byte(e.marker().index())..).unwrap_or("");
            return ParseError::duplicate(pos, &key_text(rest));
        }
        ParseError::new(pos, e.info())
    }

    /// Users see the second document begin at its `---` line; its root node may start later.
    pub(super) fn second_document_start(&self, first: &MarkedYaml, second: &MarkedYaml) -> Pos {
        let from = self.byte(first.span.end.index());
        let to = self.byte(second.span.start.index()).max(from);
        let mut at = from;
        let mut line_start = from == 0 || self.text[..from].ends_with('\n');
        for seg in self.text[from..to].split_inclusive('\n') {
            let marker_follows = seg
                .get(3..)
                .is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace));
            if line_start && seg.starts_with("---") && marker_follows {
                let line = self.text[..at].matches('\n').count() + 1;
                return Pos { line, column: 1 };
            }
            at += seg.len();
            line_start = true;
        }
        Pos::of(second.span.start)
    }
}

/// The value of the key starting `rest`, best effort, for duplicate-key messages.
fn key_text(rest: &str) -> String {
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''));
    if let Some(q) = quote {
        let mut chars = rest.char_indices().skip(1).peekable();
        while let Some((i, c)) = chars.next() {
            // Skip `\x` escapes in double quotes and doubled `''` in single quotes.
            let escaped = if q == '"' {
                c == '\\'
            } else {
                c == q && chars.peek().is_some_and(|&(_, n)| n == q)
            };
            if escaped {
                chars.next();
            } else if c == q {
                // Let saphyr undo the escapes so the message shows the key as loaded.
                let quoted = &rest[..i + 1];
                return Yaml::load_from_str(quoted)
                    .ok()
                    .and_then(|docs| docs.first().and_then(|d| d.as_str().map(str::to_owned)))
                    .unwrap_or_else(|| quoted.to_owned());
            }
        }
    }
    // A plain key ends at `: `, a flow indicator, a comment or the end of the line.
    let bytes = rest.as_bytes();
    let end = (0..bytes.len())
        .find(|&i| match bytes[i] {
            b'\n' | b'\r' | b',' | b'}' | b']' => true,
            b':' => bytes
                .get(i + 1)
                .is_none_or(|n| n.is_ascii_whitespace() || b",}]".contains(n)),
            b'#' => i > 0 && bytes[i - 1].is_ascii_whitespace(),
            _ => false,
        })
        .unwrap_or(bytes.len());
    rest[..end].trim_end().to_owned()
}
