//! `nextResource` chains: each resolved to the resource it names, and a loop refused.

use super::Reader;
use crate::element::located::child;
use crate::element::model::Resource;

impl Reader<'_> {
    /// Resolve each `(index, pointer, "METHOD:/path")` to the resource it names (of any type:
    /// the exports chain to `apiNoDocumentation` and lifecycle resources); an unknown target
    /// ends the chain with a warning, a loop is an error.
    pub(super) fn chains(
        &mut self,
        resources: &mut [Resource],
        chains: &[(usize, String, String)],
    ) {
        for (index, pointer, target) in chains {
            let Some((method, path)) = target.split_once(':') else {
                self.error(
                    &child(pointer, "nextResource"),
                    format!("nextResource \"{target}\" must be METHOD:/path"),
                );
                continue;
            };
            let method = method.trim().to_ascii_uppercase();
            let found = resources
                .iter()
                .position(|r| r.method == method && r.path == path.trim());
            match (found, resources.get_mut(*index)) {
                (Some(next), Some(resource)) => resource.next_resource = Some(next),
                (None, _) => self.warn(
                    &child(pointer, "nextResource"),
                    format!("nextResource \"{target}\" names no resource of this element: the chain stops before it"),
                ),
                (_, None) => {}
            }
        }
        for (index, pointer, _) in chains {
            if let Some(path) = loop_from(resources, *index) {
                self.error(
                    &child(pointer, "nextResource"),
                    format!("nextResource chain loops: {path}"),
                );
            }
        }
    }
}

/// The loop through `start` written out, when the chain from `start` comes back to it; a
/// loop is reported once, at its first resource in the file.
fn loop_from(resources: &[Resource], start: usize) -> Option<String> {
    let mut seen = vec![start];
    let mut at = start;
    while let Some(next) = resources.get(at).and_then(|r| r.next_resource) {
        if next != start && seen.contains(&next) {
            return None;
        }
        seen.push(next);
        if next == start {
            if seen.iter().any(|i| *i < start) {
                return None;
            }
            let names: Vec<String> = seen
                .iter()
                .filter_map(|i| resources.get(*i))
                .map(|r| format!("{}:{}", r.method, r.path))
                .collect();
            return Some(names.join(" → "));
        }
        at = next;
    }
    None
}
