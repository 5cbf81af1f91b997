//! A problem found while loading configuration, with the place a user must look.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub warning: bool,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            warning: false,
            message: message.into(),
        }
    }

    pub fn warning(file: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            warning: true,
            ..Diagnostic::error(file, line, column, message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = if self.warning { "warning: " } else { "" };
        write!(
            f,
            "{}:{}:{}: {severity}{}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// True when any diagnostic is an error (warnings alone do not stop a load).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| !d.warning)
}

/// Levenshtein distance, for "did you mean" hints on misspelt keys.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_file_line_column_message() {
        let d = Diagnostic::error("e/element.yaml", 3, 5, "bad");
        assert_eq!(d.to_string(), "e/element.yaml:3:5: bad");
        let w = Diagnostic { warning: true, ..d };
        assert_eq!(w.to_string(), "e/element.yaml:3:5: warning: bad");
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("vendorPath", "vendorPath"), 0);
        assert_eq!(edit_distance("vendrPath", "vendorPath"), 1);
        assert_eq!(edit_distance("vendorpth", "vendorPath"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
