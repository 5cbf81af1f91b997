//! The recursive-descent parser: conditions collected once, combined as index lists.

use serde_json::{json, Value};

use super::dnf::Dnf;
use super::lexer::{describe, echo, is_reserved, Kind, Lexer, Token};
use super::{fail, CeqlError};

/// Parentheses deeper than this are refused so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

pub(super) struct Parser {
    lexer: Lexer,
    peeked: Option<Token>,
    pub(super) conditions: Vec<Value>,
    depth: usize,
}

impl Parser {
    pub(super) fn new(expression: &str) -> Parser {
        Parser {
            lexer: Lexer::new(expression),
            peeked: None,
            conditions: Vec::new(),
            depth: 0,
        }
    }

    /// The whole input as one expression: anything left after it is an error.
    pub(super) fn expression(&mut self) -> Result<Dnf, CeqlError> {
        let dnf = self.or_expr(None)?;
        let trailing = self.bump()?;
        match trailing.kind {
            Kind::End => Ok(dnf),
            Kind::RParen => fail(trailing.pos, "unexpected ')' with no matching '('"),
            _ => fail(
                trailing.pos,
                format!(
                    "unexpected {} after a complete expression",
                    describe(&trailing)
                ),
            ),
        }
    }

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
