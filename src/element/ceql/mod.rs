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

mod dnf;
mod lexer;
mod parser;

use serde_json::Value;

use parser::Parser;

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
    let mut parser = Parser::new(expression);
    let dnf = parser.expression()?;
    Ok(dnf.request_expression(&parser.conditions))
}

#[cfg(test)]
mod tests;
