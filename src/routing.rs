//! (method, path) → (resource, path variables): a pure lookup over one element's resources.

use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Variable(String),
}

#[derive(Debug, Clone)]
struct Route {
    method: String,
    segments: Vec<Segment>,
    resource: usize,
}

/// The routes of one element, built once at load.
#[derive(Debug, Clone, Default)]
pub struct Router {
    routes: Vec<Route>,
}

/// What a lookup found.
#[derive(Debug, PartialEq)]
pub enum Match {
    /// The index of the resource and its path variables.
    Found(usize, Map<String, Value>),
    /// The path exists for other methods only (answer 405 with `Allow`).
    WrongMethod(Vec<String>),
    NotFound,
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

fn parse_template(path: &str) -> Vec<Segment> {
    split(path)
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Variable(name.trim_start_matches(':').to_string()),
                None => Segment::Literal(s.to_string()),
            },
        )
        .collect()
}

impl Router {
    /// Add a resource's route; returns the index of an earlier resource with the same
    /// method and path shape, which would make this one unreachable.
    pub fn add(&mut self, method: &str, path: &str, resource: usize) -> Option<usize> {
        let segments = parse_template(path);
        let method = method.to_ascii_uppercase();
        let clash = self.routes.iter().find(|r| {
            r.method == method
                && r.segments.len() == segments.len()
                && r.segments.iter().zip(&segments).all(|pair| match pair {
                    (Segment::Literal(a), Segment::Literal(b)) => a == b,
                    (Segment::Variable(_), Segment::Variable(_)) => true,
                    _ => false,
                })
        });
        if let Some(clash) = clash {
            return Some(clash.resource);
        }
        self.routes.push(Route {
            method,
            segments,
            resource,
        });
        None
    }

    /// Find the resource for a request. Literal segments beat variables, leftmost first,
    /// so `/contacts/search` wins over `/contacts/{id}`.
    pub fn find(&self, method: &str, path: &str) -> Match {
        let parts: Vec<&str> = split(path).collect();
        let mut best: Option<(&Route, Vec<bool>)> = None;
        let mut methods = Vec::new();
        for route in &self.routes {
            if route.segments.len() != parts.len() {
                continue;
            }
            let fits = route
                .segments
                .iter()
                .zip(&parts)
                .all(|(segment, part)| match segment {
                    Segment::Literal(l) => l == part,
                    Segment::Variable(_) => true,
                });
            if !fits {
                continue;
            }
            if !route.method.eq_ignore_ascii_case(method) {
                methods.push(route.method.clone());
                continue;
            }
            let shape: Vec<bool> = route
                .segments
                .iter()
                .map(|s| matches!(s, Segment::Literal(_)))
                .collect();
            if best.as_ref().is_none_or(|(_, b)| shape > *b) {
                best = Some((route, shape));
            }
        }
        match best {
            Some((route, _)) => {
                let mut variables = Map::new();
                for (segment, part) in route.segments.iter().zip(&parts) {
                    if let Segment::Variable(name) = segment {
                        variables.insert(name.clone(), Value::String(decode(part)));
                    }
                }
                Match::Found(route.resource, variables)
            }
            None if !methods.is_empty() => Match::WrongMethod(methods),
            None => Match::NotFound,
        }
    }
}

/// Percent-decode a path segment; invalid escapes stay as written.
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn router() -> Router {
        let mut r = Router::default();
        assert_eq!(r.add("GET", "/hubs/crm/contacts", 0), None);
        assert_eq!(r.add("GET", "/hubs/crm/contacts/{id}", 1), None);
        assert_eq!(r.add("GET", "/hubs/crm/contacts/search", 2), None);
        assert_eq!(r.add("delete", "/hubs/crm/contacts/{:id}", 3), None);
        r
    }

    #[test]
    fn variables_are_extracted_and_decoded() {
        let vars = json!({"id": "a b"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            router().find("GET", "/hubs/crm/contacts/a%20b"),
            Match::Found(1, vars.clone())
        );
        assert_eq!(
            router().find("DELETE", "/hubs/crm/contacts/a%20b/"),
            Match::Found(3, vars)
        );
    }

    #[test]
    fn literals_win_over_variables() {
        assert_eq!(
            router().find("GET", "/hubs/crm/contacts/search"),
            Match::Found(2, Map::new())
        );
    }

    #[test]
    fn wrong_method_and_not_found_differ() {
        assert_eq!(
            router().find("POST", "/hubs/crm/contacts"),
            Match::WrongMethod(vec!["GET".into()])
        );
        assert_eq!(router().find("GET", "/hubs/crm/nothing"), Match::NotFound);
    }

    #[test]
    fn a_duplicate_shape_is_reported() {
        let mut r = router();
        assert_eq!(r.add("GET", "/hubs/crm/contacts/{other}", 9), Some(1));
    }
}
