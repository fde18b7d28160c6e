//! Case-insensitive comparison for `caseExact: false` values.
//!
//! The rule, the same in every runtime: two strings are equal when they are equal after each
//! character is mapped by Unicode's default lowercase mapping (`char::to_lowercase`), with no
//! locale (so Turkish dotted/dotless I is not special) and no normalization (NFC and NFD forms
//! differ). ASCII strings take a fast path with the same result.

use std::cmp::Ordering;

/// Whether `a` and `b` are equal ignoring case, per the rule above.
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// `a` compared with `b` ignoring case, per the rule above (ordering of the lowercased
/// characters by code point).
pub fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.chars().flat_map(char::to_lowercase).cmp(b.chars().flat_map(char::to_lowercase))
}

/// `s` lowercased per the rule above.
pub fn fold_case(s: &str) -> String {
    if s.is_ascii() { s.to_ascii_lowercase() } else { s.chars().flat_map(char::to_lowercase).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_unicode_without_locale() {
        assert!(eq_ignore_case("BJensen", "bjensen"));
        assert!(eq_ignore_case("ÉLODIE", "élodie"));
        assert!(!eq_ignore_case("é", "e\u{301}"));
        assert_eq!(fold_case("İ"), "i\u{307}");
        assert_eq!(cmp_ignore_case("a", "B"), Ordering::Less);
    }
}
