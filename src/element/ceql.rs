//! CEQL `where` expressions parsed into the `request_expression` list hooks read.
//!
//! ```text
//! expr      := and_expr ( OR and_expr )*            -- AND binds tighter than OR
//! and_expr  := primary ( AND primary )*
//! primary   := '(' expr ')' | attribute predicate
//! predicate := ( = | != | <> | < | > | <= | >= ) value
//!            | [NOT] LIKE value | [NOT] IN '(' value ( ',' value )* ')' | IS [NOT] NULL
//! ```
//!
//! Hooks only understand a flat AND-list, or a single OR entry holding AND-lists, so the
//! tree is flattened into disjunctive normal form while it is parsed.

use serde_json::{json, Number, Value};

/// Parentheses deeper than this are refused so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;
/// Distributing AND over OR grows multiplicatively; these bound the memory a caller can demand.
const MAX_ALTERNATIVES: usize = 256;
const MAX_CONDITIONS: usize = 16_384;
/// Long tokens are cut in messages so an error never echoes a huge payload back.
const MAX_ECHO: usize = 40;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid where expression at position {position}: {message}")]
pub struct CeqlError {
    /// 1-based character (not byte) offset in the input.
    pub position: usize,
    pub message: String,
}

fn fail<T>(position: usize, message: impl Into<String>) -> Result<T, CeqlError> {
    Err(CeqlError {
        position,
        message: message.into(),
    })
}

pub fn parse(expression: &str) -> Result<Value, CeqlError> {
    if expression.trim().is_empty() {
        return fail(1, "empty where expression");
    }
    let mut parser = Parser {
        lexer: Lexer {
            chars: expression.chars().collect(),
            at: 0,
        },
        peeked: None,
        conditions: Vec::new(),
        depth: 0,
    };
    let dnf = parser.or_expr(None)?;
    let trailing = parser.bump()?;
    match trailing.kind {
        Kind::End => {}
        Kind::RParen => return fail(trailing.pos, "unexpected ')' with no matching '('"),
        _ => {
            return fail(
                trailing.pos,
                format!(
                    "unexpected {} after a complete expression",
                    describe(&trailing)
                ),
            )
        }
    }
    let conditions = parser.conditions;
    let materialize = |list: &[usize]| -> Vec<Value> {
        list.iter()
            .filter_map(|&i| conditions.get(i).cloned())
            .collect()
    };
    Ok(match dnf.lists.as_slice() {
        [only] => Value::Array(materialize(only)),
        lists => {
            let alternatives: Vec<Value> =
                lists.iter().map(|l| Value::Array(materialize(l))).collect();
            json!([{"attribute": null, "operator": "OR", "value": alternatives}])
        }
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
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
struct Token {
    kind: Kind,
    pos: usize,
    /// Source text, kept for keyword matching and for echoing in messages.
    text: String,
}

impl Token {
    fn is_keyword(&self, keyword: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(keyword)
    }
}

const RESERVED: [&str; 9] = [
    "AND", "OR", "NOT", "LIKE", "IN", "IS", "NULL", "TRUE", "FALSE",
];

fn is_reserved(tok: &Token) -> bool {
    RESERVED.iter().any(|k| tok.is_keyword(k))
}

fn echo(text: &str) -> String {
    if text.chars().count() > MAX_ECHO {
        let cut: String = text.chars().take(MAX_ECHO).collect();
        format!("{cut}…")
    } else {
        text.to_string()
    }
}

fn describe(tok: &Token) -> String {
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
struct Lexer {
    chars: Vec<char>,
    at: usize,
}

impl Lexer {
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

    fn next_token(&mut self) -> Result<Token, CeqlError> {
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

/// Conditions in disjunctive normal form, as indices into `Parser::conditions` so that
/// distribution copies integers rather than JSON objects.
struct Dnf {
    lists: Vec<Vec<usize>>,
    total: usize,
}

fn check_limits(lists: usize, total: usize, pos: usize) -> Result<(), CeqlError> {
    if lists > MAX_ALTERNATIVES {
        return fail(
            pos,
            format!("expression expands to more than {MAX_ALTERNATIVES} OR alternatives"),
        );
    }
    if total > MAX_CONDITIONS {
        return fail(
            pos,
            format!("expression expands to more than {MAX_CONDITIONS} conditions"),
        );
    }
    Ok(())
}

impl Dnf {
    fn or(mut self, other: Dnf, pos: usize) -> Result<Dnf, CeqlError> {
        let lists = self.lists.len().saturating_add(other.lists.len());
        let total = self.total.saturating_add(other.total);
        check_limits(lists, total, pos)?;
        self.lists.extend(other.lists);
        Ok(Dnf {
            lists: self.lists,
            total,
        })
    }

    fn and(self, other: Dnf, pos: usize) -> Result<Dnf, CeqlError> {
        let (n, m) = (self.lists.len(), other.lists.len());
        let lists = n.saturating_mul(m);
        let total = self
            .total
            .saturating_mul(m)
            .saturating_add(other.total.saturating_mul(n));
        check_limits(lists, total, pos)?;
        let mut out = Vec::with_capacity(lists);
        for left in &self.lists {
            for right in &other.lists {
                let mut both = left.clone();
                both.extend_from_slice(right);
                out.push(both);
            }
        }
        Ok(Dnf { lists: out, total })
    }
}

struct Parser {
    lexer: Lexer,
    peeked: Option<Token>,
    conditions: Vec<Value>,
    depth: usize,
}

impl Parser {
    fn peek(&mut self) -> Result<&Token, CeqlError> {
        let tok = match self.peeked.take() {
            Some(tok) => tok,
            None => self.lexer.next_token()?,
        };
        Ok(self.peeked.insert(tok))
    }

    fn bump(&mut self) -> Result<Token, CeqlError> {
        match self.peeked.take() {
            Some(tok) => Ok(tok),
            None => self.lexer.next_token(),
        }
    }

    fn or_expr(&mut self, after: Option<&str>) -> Result<Dnf, CeqlError> {
        let mut acc = self.and_expr(after)?;
        while self.peek()?.is_keyword("OR") {
            let op = self.bump()?;
            let rhs = self.and_expr(Some("OR"))?;
            acc = acc.or(rhs, op.pos)?;
        }
        Ok(acc)
    }

    fn and_expr(&mut self, after: Option<&str>) -> Result<Dnf, CeqlError> {
        let mut acc = self.primary(after)?;
        while self.peek()?.is_keyword("AND") {
            let op = self.bump()?;
            let rhs = self.primary(Some("AND"))?;
            acc = acc.and(rhs, op.pos)?;
        }
        Ok(acc)
    }

    fn primary(&mut self, after: Option<&str>) -> Result<Dnf, CeqlError> {
        let tok = self.bump()?;
        let attribute = match &tok.kind {
            Kind::LParen => {
                if self.depth >= MAX_DEPTH {
                    return fail(
                        tok.pos,
                        format!("parentheses nested deeper than {MAX_DEPTH} levels"),
                    );
                }
                self.depth += 1;
                let inner = self.or_expr(Some("("))?;
                self.depth -= 1;
                let close = self.bump()?;
                if close.kind != Kind::RParen {
                    return fail(
                        close.pos,
                        format!(
                            "expected ')' to close '(' at position {} but found {}",
                            tok.pos,
                            describe(&close)
                        ),
                    );
                }
                return Ok(inner);
            }
            Kind::Word if !is_reserved(&tok) => tok.text.clone(),
            Kind::Name(name) => name.clone(),
            _ => {
                let after = after.map(|a| format!(" after '{a}'")).unwrap_or_default();
                let found = if is_reserved(&tok) {
                    format!("keyword '{}' (back-quote it to use it as a name)", tok.text)
                } else {
                    describe(&tok)
                };
                return fail(
                    tok.pos,
                    format!("expected an attribute name or '('{after} but found {found}"),
                );
            }
        };
        let (operator, value) = self.predicate(&tok)?;
        self.conditions.push(json!({
            "attribute": attribute,
            "operator": operator,
            "value": value,
        }));
        Ok(Dnf {
            lists: vec![vec![self.conditions.len() - 1]],
            total: 1,
        })
    }

    fn predicate(&mut self, attr: &Token) -> Result<(&'static str, Value), CeqlError> {
        let tok = self.bump()?;
        if let Kind::Op(op) = tok.kind {
            let value = self.value(&format!("after '{}'", tok.text))?;
            return Ok((op, value));
        }
        if tok.is_keyword("LIKE") {
            return Ok(("LIKE", self.value("after 'LIKE'")?));
        }
        if tok.is_keyword("IN") {
            return Ok(("IN", self.list("IN")?));
        }
        if tok.is_keyword("NOT") {
            let next = self.bump()?;
            if next.is_keyword("LIKE") {
                return Ok(("NOT LIKE", self.value("after 'NOT LIKE'")?));
            }
            if next.is_keyword("IN") {
                return Ok(("NOT IN", self.list("NOT IN")?));
            }
            return fail(
                next.pos,
                format!(
                    "expected LIKE or IN after 'NOT' but found {}",
                    describe(&next)
                ),
            );
        }
        if tok.is_keyword("IS") {
            let next = self.bump()?;
            if next.is_keyword("NULL") {
                return Ok(("IS NULL", Value::Null));
            }
            if next.is_keyword("NOT") {
                let null = self.bump()?;
                if null.is_keyword("NULL") {
                    return Ok(("IS NOT NULL", Value::Null));
                }
                return fail(
                    null.pos,
                    format!("expected NULL after 'IS NOT' but found {}", describe(&null)),
                );
            }
            return fail(
                next.pos,
                format!(
                    "expected NULL or NOT NULL after 'IS' but found {}",
                    describe(&next)
                ),
            );
        }
        let name = match attr.kind {
            Kind::Name(_) => echo(&attr.text),
            _ => format!("'{}'", echo(&attr.text)),
        };
        fail(
            tok.pos,
            format!(
                "expected an operator after {name} but found {}",
                describe(&tok)
            ),
        )
    }

    fn value(&mut self, context: &str) -> Result<Value, CeqlError> {
        let tok = self.bump()?;
        match tok.kind {
            Kind::Str(s) => Ok(Value::String(s)),
            Kind::Num(n) => Ok(Value::Number(n)),
            Kind::Word if tok.is_keyword("true") => Ok(Value::Bool(true)),
            Kind::Word if tok.is_keyword("false") => Ok(Value::Bool(false)),
            Kind::Word if tok.is_keyword("null") => Ok(Value::Null),
            Kind::Word if !is_reserved(&tok) => fail(
                tok.pos,
                format!(
                    "expected a value {context} but found {} (strings need single quotes)",
                    describe(&tok)
                ),
            ),
            _ => fail(
                tok.pos,
                format!("expected a value {context} but found {}", describe(&tok)),
            ),
        }
    }

    fn list(&mut self, operator: &str) -> Result<Value, CeqlError> {
        let open = self.bump()?;
        if open.kind != Kind::LParen {
            return fail(
                open.pos,
                format!(
                    "expected '(' after '{operator}' but found {}",
                    describe(&open)
                ),
            );
        }
        let mut values = Vec::new();
        loop {
            values.push(self.value("in the IN list")?);
            let sep = self.bump()?;
            match sep.kind {
                Kind::Comma => {}
                Kind::RParen => return Ok(Value::Array(values)),
                _ => {
                    return fail(
                        sep.pos,
                        format!(
                            "expected ',' or ')' in the IN list opened at position {} but found {}",
                            open.pos,
                            describe(&sep)
                        ),
                    )
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
}
