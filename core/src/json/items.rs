//! Reading a JSON array of documents one item at a time, for a caller that needs each item only
//! briefly (matching a filter against each): memory for one item at a time instead of the
//! whole array as values, ~7 times the text for typical SCIM users.
//!
//! The one-pass reader ([`super::fast`]) reads the items. An item it does not read plainly (a
//! float, an object of many keys, a duplicate key…) is found whole by a scan that only follows
//! strings and brackets ([`item_end`]) and read by the strict reader alone, and the one-pass
//! reader goes on after it. Only when that fails too (a syntax error, an item too deep), the
//! strict reader reads the whole text, and the items not yet handed over come from it. The
//! fast reader returns what the strict reader returns for the same text, and the strict reader
//! reads an item alone as it reads it inside the array (one level less deep), so the items are
//! the same either way, and an error is the whole text's strict reader's.

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
    if read_items(text, limits, &mut handed, &mut each).is_some() {
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

/// The items through the one-pass reader, or one by one through the strict reader where it
/// declines one, counting those handed over; `None` where both give up.
fn read_items(text: &str, limits: &Limits, handed: &mut usize, each: &mut impl FnMut(Value)) -> Option<()> {
    let max_depth = limits.depth();
    if max_depth < 1 {
        return None;
    }
    // An item is one level down: read alone, it may nest one level less.
    let alone = Limits { max_depth: max_depth - 1, ..*limits };
    let mut reader = Reader::new(text, max_depth);
    reader.eat(b'[')?;
    let mut first = true;
    while reader.more(b']', &mut first)? {
        reader.peek()?;
        let start = reader.position();
        let item = if let Some(item) = reader.value(1) {
            item
        } else {
            let end = item_end(text, start)?;
            let item = parse_strict_text(text.get(start..end)?, &alone).ok()?;
            reader.seek(end);
            item
        };
        each(item);
        *handed += 1;
    }
    reader.end()
}

/// Where the JSON value starting at `start` ends, following only strings (and their escapes)
/// and brackets: for well-formed JSON, the end the strict reader finds; for anything else, an
/// end the strict reader then refuses what lies before (or, when a number or literal runs on,
/// refuses the text around it).
fn item_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    match *bytes.get(start)? {
        b'"' => string_end(bytes, start),
        b'[' | b'{' => {
            let (mut at, mut depth) = (start, 0_usize);
            loop {
                match *bytes.get(at)? {
                    b'"' => {
                        at = string_end(bytes, at)?;
                        continue;
                    }
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
        }
        // A number or a literal: up to what ends it in an array.
        _ => Some(
            bytes
                .get(start..)?
                .iter()
                .position(|b| matches!(b, b',' | b']' | b' ' | b'\n' | b'\r' | b'\t'))
                .map_or(bytes.len(), |n| start + n),
        ),
    }
}

/// The position after the string whose opening quote is at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    loop {
        match *bytes.get(at)? {
            b'"' => return Some(at + 1),
            b'\\' => at += 2,
            _ => at += 1,
        }
    }
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
    fn an_item_the_one_pass_reader_declines_is_read_alone() {
        let many_keys: String = (0..40).map(|i| format!(r#""k{i}": {i}"#)).collect::<Vec<_>>().join(", ");
        let text = format!(
            r#"[{{"a": 1}}, {{"f": 1.5, "s": "x\"]}}"}}, {{{many_keys}}}, [[-0, 2e3]], "]\\", -1.25, {{"b": true}}]"#
        );
        let whole = match parse_strict_text(&text, &Limits::default()) {
            Ok(Value::Array(whole)) => whole,
            other => panic!("{other:?}"),
        };
        assert_eq!(items(&text).ok(), Some(whole.clone()));
        assert_eq!(whole.len(), 7);
        // Each declined item's end, as the strict reader finds it.
        for (item, end) in [
            (r#"{"f": 1.5, "s": "x\"]}"}, 1"#, 24),
            ("[[-0, 2e3]] ,", 11),
            (r#""]\\" ]"#, 5),
            ("-1.25]", 5),
            ("1e5", 3),
        ] {
            assert_eq!(item_end(item, 0), Some(end), "{item}");
        }
        // A declined item and then a syntax error: the whole text's error.
        let error = items(r#"[{"f": 1.5}, {"b": 1.5} {"c": 1}]"#).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("line 1, column"), "{error}");
        // Too deep once inside the array, though not alone.
        let shallow = Limits { max_depth: 2, ..Limits::default() };
        assert!(for_each_item(r#"[{"a": [1.5]}]"#, &shallow, drop).is_err());
        assert!(for_each_item(r#"[{"a": 1.5}]"#, &shallow, drop).is_ok());
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
