//! Secrets compared without telling an attacker how much of a guess was right.

/// True when `given` equals `expected`, in a time that depends only on the lengths: the
/// admin token and webhook signatures are compared this way, so that timing a refusal does
/// not reveal the first differing byte.
pub fn matches(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bytes_match_and_anything_else_does_not() {
        assert!(matches(b"s3cret", b"s3cret"));
        assert!(matches(b"", b""));
        assert!(!matches(b"s3cret", b"s3creT"));
        assert!(!matches(b"s3cret", b"s3cre"));
        assert!(!matches(b"", b"x"));
    }
}
