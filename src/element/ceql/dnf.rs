//! Conditions in disjunctive normal form, and their `request_expression` JSON for hooks.

use serde_json::{json, Value};

use super::{fail, CeqlError};

/// Distributing AND over OR grows multiplicatively; these bound the memory a caller can demand.
const MAX_ALTERNATIVES: usize = 256;
const MAX_CONDITIONS: usize = 16_384;

/// Conditions in disjunctive normal form, as indices into `Parser::conditions` so that
/// distribution copies integers rather than JSON objects.
pub(super) struct Dnf {
    pub(super) lists: Vec<Vec<usize>>,
    pub(super) total: usize,
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
    pub(super) fn or(mut self, other: Dnf, pos: usize) -> Result<Dnf, CeqlError> {
        let lists = self.lists.len().saturating_add(other.lists.len());
        let total = self.total.saturating_add(other.total);
        check_limits(lists, total, pos)?;
        self.lists.extend(other.lists);
        Ok(Dnf {
            lists: self.lists,
            total,
        })
    }

    pub(super) fn and(self, other: Dnf, pos: usize) -> Result<Dnf, CeqlError> {
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
    /// A single AND-list stays flat; alternatives become one OR entry holding the lists.
    pub(super) fn request_expression(&self, conditions: &[Value]) -> Value {
        let materialize = |list: &[usize]| -> Vec<Value> {
            list.iter()
                .filter_map(|&i| conditions.get(i).cloned())
                .collect()
        };
        match self.lists.as_slice() {
            [only] => Value::Array(materialize(only)),
            lists => {
                let alternatives: Vec<Value> =
                    lists.iter().map(|l| Value::Array(materialize(l))).collect();
                json!([{"attribute": null, "operator": "OR", "value": alternatives}])
            }
        }
    }
}
