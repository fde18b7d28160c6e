//! The name someone most likely meant: for "did you mean" in messages about a name that is
//! none (an attribute misspelt in a body, a path or a filter; a query parameter).

/// The name among `known` closest to `given` in ASCII case-insensitive edit distance, when it
/// is close enough to be a slip rather than another word: at most two edits, and at most one
/// edit per three characters of `given`. Ties go to the first. Names are short (attribute
/// names), and the comparison is quadratic in their lengths, so `given` is cut at 64
/// characters.
pub fn closest_name<'k>(given: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    let given: Vec<u8> = given.bytes().take(64).map(|b| b.to_ascii_lowercase()).collect();
    let allowed = (given.len() / 3).min(2);
    let mut best: Option<(usize, &'k str)> = None;
    for name in known {
        let distance = edit_distance(&given, name.as_bytes(), allowed);
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, name));
        }
    }
    best.map(|(_, name)| name)
}

/// Levenshtein distance between `a` (lowercased) and `b` (lowercased here), or more than
/// `limit` as soon as it must be.
fn edit_distance(a: &[u8], b: &[u8], limit: usize) -> usize {
    if a.len().abs_diff(b.len()) > limit || b.len() > 64 {
        return limit + 1;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diagonal = i;
        let mut smallest = i + 1;
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let cost = usize::from(ca != cb.to_ascii_lowercase());
            let value = diagonal.saturating_add(cost).min(above.saturating_add(1)).min(left.saturating_add(1));
            diagonal = above;
            smallest = smallest.min(value);
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
        if smallest > limit {
            return limit + 1;
        }
    }
    row.last().copied().unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::closest_name;

    #[test]
    fn slips_are_found_and_other_words_are_not() {
        let known = ["userName", "nickName", "name", "displayName", "emails", "active"];
        assert_eq!(closest_name("nickNam", known), Some("nickName"));
        assert_eq!(closest_name("USRNAME", known), Some("userName"));
        assert_eq!(closest_name("emial", known), None, "a transposition is two edits: too many for five letters");
        assert_eq!(closest_name("emailz", known), Some("emails"));
        assert_eq!(closest_name("actve", known), Some("active"));
        assert_eq!(closest_name("nam", known), Some("name"));
        assert_eq!(closest_name("xy", known), None);
        assert_eq!(closest_name("department", known), None);
        assert_eq!(closest_name(&"a".repeat(500), known), None);
    }
}
