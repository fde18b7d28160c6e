//! Reading a JSON array of documents one item at a time, for a caller that needs each item only
//! briefly (matching a filter against each): memory for one item at a time instead of the
//! whole array as values, ~7 times the text for typical SCIM users.
//!
//! The one-pass reader ([`super::fast`]) reads the items; at the first thing it does not read
//! plainly (a float, a duplicate key, a syntax error…), the strict reader reads the whole text
//! and the items not yet handed over come from it. The fast reader returns what the strict
//! reader returns for the same text, so the items are the same either way, and an error is
//! the strict reader's.

use serde_json::Value;

use super::fast::Reader;
use super::strict::{check_size, parse_strict_text};
use crate::error::{Error, ScimType};
use crate::limits::Limits;

/// Hands each item of a JSON array text to `each`, in order. On an error, `each` may have
/// seen some items already.
///
/// # Errors
/// As [`super::parse_strict`], and `invalidSyntax` when the text is not an array.
pub fn for_each_item(text: &str, limits: &Limits, mut each: impl FnMut(Value)) -> Result<(), Error> {
    check_size(text.len(), limits)?;
    let mut handed = 0_usize;
    if read_items(text, limits.depth(), &mut handed, &mut each).is_some() {
        return Ok(());
    }
    match parse_strict_text(text, limits)? {
        Value::Array(items) => {
            items.into_iter().skip(handed).for_each(each);
            Ok(())
        }
        _ => Err(not_an_array()),
    }
}

/// The items through the one-pass reader, counting those handed over; `None` where it gives up.
fn read_items(text: &str, max_depth: usize, handed: &mut usize, each: &mut impl FnMut(Value)) -> Option<()> {
    if max_depth < 1 {
        return None;
    }
    let mut reader = Reader::new(text, max_depth);
    reader.eat(b'[')?;
    let mut first = true;
    while reader.more(b']', &mut first)? {
        each(reader.value(1)?);
        *handed += 1;
    }
    reader.end()
}

/// The error for resources given as anything but a JSON array.
pub fn not_an_array() -> Error {
    Error::new(ScimType::InvalidSyntax, "the resources must be a JSON array")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn items(text: &str) -> Result<Vec<Value>, Error> {
        let mut out = Vec::new();
        for_each_item(text, &Limits::default(), |item| out.push(item))?;
        Ok(out)
    }

    #[test]
    fn reads_the_items_in_order_through_either_reader() {
        // Plain items (one-pass reader), then a float (the strict reader from there on).
        assert_eq!(items(r#" [ {"a": 1}, "x", [] ] "#).ok(), Some(vec![json!({"a": 1}), json!("x"), json!([])]));
        assert_eq!(
            items(r#"[{"a": 1}, {"b": 1.5}, {"c": true}]"#).ok(),
            Some(vec![json!({"a": 1}), json!({"b": 1.5}), json!({"c": true})])
        );
        assert_eq!(items("[]").ok(), Some(vec![]));
    }

    #[test]
    fn refuses_what_the_strict_reader_refuses() {
        for (text, detail) in [
            ("{}", "must be a JSON array"),
            (r#"[{"a": 1}, {"A": 2, "a": 3}]"#, "more than once"),
            (r#"[{"a": 1}] x"#, "not valid"),
            (r#"[{"a": 1},"#, "ends too early"),
        ] {
            let error = items(text).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(error.contains(detail), "{text}: {error}");
        }
    }

    #[test]
    fn holds_the_depth_and_size_limits() {
        let deep = Limits { max_depth: 2, ..Limits::default() };
        assert!(for_each_item(r#"[{"a": [1]}]"#, &deep, drop).is_err());
        assert!(for_each_item(r#"[{"a": 1}]"#, &deep, drop).is_ok());
        let small = Limits { max_body_bytes: 4, ..Limits::default() };
        assert!(for_each_item("[1, 2]", &small, drop).is_err());
    }
}
