//! Tokens of a `where` expression, positioned by character so messages can point at them.

use serde_json::Number;

use super::{fail, CeqlError};

/// Long tokens are cut in messages so an error never echoes a huge payload back.
const MAX_ECHO: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Word,
    Name(String),
    Str(String),
    Num(Number),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
    End,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) pos: usize,
    /// Source text, kept for keyword matching and for echoing in messages.
    pub(super) text: String,
}

impl Token {
    pub(super) fn is_keyword(&self, keyword: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(keyword)
    }
}

const RESERVED: [&str; 9] = [
    "AND", "OR", "NOT", "LIKE", "IN", "IS", "NULL", "TRUE", "FALSE",
];

pub(super) fn is_reserved(tok: &Token) -> bool {
    RESERVED.iter().any(|k| tok.is_keyword(k))
}

pub(super) fn echo(text: &str) -> String {
    if text.chars().count() > MAX_ECHO {
        let cut: String = text.chars().take(MAX_ECHO).collect();
        format!("{cut}…")
    } else {
        text.to_string()
    }
}

pub(super) fn describe(tok: &Token) -> String {
    match tok.kind {
        Kind::End => "end of input".to_string(),
        Kind::Str(_) => format!("string {}", echo(&tok.text)),
        Kind::Name(_) => echo(&tok.text),
        _ => format!("'{}'", echo(&tok.text)),
    }
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '$')
}

/// Works on a char vector so positions are character offsets and no slicing can split UTF-8.
pub(super) struct Lexer {
    chars: Vec<char>,
    at: usize,
}

impl Lexer {
    pub(super) fn new(expression: &str) -> Lexer {
        Lexer {
            chars: expression.chars().collect(),
            at: 0,
        }
    }

    fn peek_char(&self, offset: usize) -> Option<char> {
        self.chars.get(self.at + offset).copied()
    }

    fn text(&self, start: usize) -> String {
        self.chars
            .get(start..self.at)
            .map(|s| s.iter().collect())
            .unwrap_or_default()
    }

    fn skip_while(&mut self, pred: impl Fn(char) -> bool) -> usize {
        let from = self.at;
        while self.peek_char(0).is_some_and(&pred) {
            self.at += 1;
        }
        self.at - from
    }

    pub(super) fn next_token(&mut self) -> Result<Token, CeqlError> {
        self.skip_while(char::is_whitespace);
        let start = self.at;
        let pos = start + 1;
        let Some(c) = self.peek_char(0) else {
            return Ok(Token {
                kind: Kind::End,
                pos,
                text: String::new(),
            });
        };
        let kind = match c {
            '(' | ')' | ',' => {
                self.at += 1;
                match c {
                    '(' => Kind::LParen,
                    ')' => Kind::RParen,
                    _ => Kind::Comma,
                }
            }
            '\'' => Kind::Str(self.quoted('\'', "string")?),
            '`' => {
                let name = self.quoted('`', "back-quoted name")?;
                if name.is_empty() {
                    return fail(pos, "empty back-quoted name");
                }
                Kind::Name(name)
            }
            '=' | '!' | '<' | '>' => {
                self.skip_while(|c| matches!(c, '=' | '!' | '<' | '>'));
                let op = match self.text(start).as_str() {
                    "=" => "=",
                    "!=" | "<>" => "!=",
                    "<" => "<",
                    ">" => ">",
                    "<=" => "<=",
                    ">=" => ">=",
                    other => return fail(pos, format!("unknown operator '{}'", echo(other))),
                };
                Kind::Op(op)
            }
            '-' if self.peek_char(1).is_some_and(|d| d.is_ascii_digit()) => self.number(start)?,
            '0'..='9' => self.number(start)?,
            c if is_word_start(c) => {
                self.skip_while(is_word_char);
                Kind::Word
            }
            '"' => {
                return fail(
                    pos,
                    "unexpected character '\"' (strings use single quotes, names use back-quotes)",
                )
            }
            other => return fail(pos, format!("unexpected character '{other}'")),
        };
        Ok(Token {
            kind,
            pos,
            text: self.text(start),
        })
    }

    /// Reads a `quote`-delimited run where a doubled quote stands for one (SQL style).
    fn quoted(&mut self, quote: char, what: &str) -> Result<String, CeqlError> {
        let pos = self.at + 1;
        self.at += 1;
        let mut out = String::new();
        loop {
            match self.peek_char(0) {
                None => {
                    return fail(
                        pos,
                        format!("unterminated {what} starting at position {pos}"),
                    )
                }
                Some(c) if c == quote => {
                    if self.peek_char(1) == Some(quote) {
                        out.push(quote);
                        self.at += 2;
                    } else {
                        self.at += 1;
                        return Ok(out);
                    }
                }
                Some(c) => {
                    out.push(c);
                    self.at += 1;
                }
            }
        }
    }

    fn number(&mut self, start: usize) -> Result<Kind, CeqlError> {
        if self.peek_char(0) == Some('-') {
            self.at += 1;
        }
        let digits = |lx: &mut Lexer| lx.skip_while(|c| c.is_ascii_digit());
        digits(self);
        let mut integral = true;
        let mut well_formed = true;
        if self.peek_char(0) == Some('.') {
            integral = false;
            self.at += 1;
            well_formed &= digits(self) > 0;
        }
        if well_formed && matches!(self.peek_char(0), Some('e' | 'E')) {
            integral = false;
            self.at += 1;
            if matches!(self.peek_char(0), Some('+' | '-')) {
                self.at += 1;
            }
            well_formed &= digits(self) > 0;
        }
        // `12abc` or `1.2.3` would otherwise split into two tokens and fail confusingly later.
        if self.skip_while(is_word_char) > 0 {
            well_formed = false;
        }
        let text = self.text(start);
        if !well_formed {
            return fail(start + 1, format!("malformed number '{}'", echo(&text)));
        }
        let number = if integral {
            text.parse::<i64>()
                .map(Number::from)
                .or_else(|_| text.parse::<u64>().map(Number::from))
                .ok()
        } else {
            text.parse::<f64>().ok().and_then(Number::from_f64)
        };
        match number {
            Some(n) => Ok(Kind::Num(n)),
            // Silently rounding a 20-digit id to a float would match the wrong records.
            None => fail(
                start + 1,
                format!(
                    "number '{}' is out of range (quote it as a string)",
                    echo(&text)
                ),
            ),
        }
    }
}
