//! The length of the JSON text a value is written as: a document handed over as a value (a
//! Python dict) is held to the same size limit as one handed over as text (a JS object is
//! turned into text before it crosses, so it always was).

use std::fmt::Write;

use serde_json::Value;

use super::Limits;
use crate::error::Error;

/// The length in bytes of `value` written as compact JSON text, as [`super::to_string`] writes
/// it. Walks the value with a stack of its own: no recursion, whatever the nesting.
pub fn text_len(value: &Value) -> usize {
    let mut len = 0usize;
    let mut stack: Vec<&Value> = vec![value];
    while let Some(v) = stack.pop() {
        let here = match v {
            Value::Null | Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            Value::Number(n) => number_len(n),
            Value::String(s) => string_len(s),
            Value::Array(items) => {
                stack.extend(items);
                2 + items.len().saturating_sub(1)
            }
            Value::Object(members) => {
                stack.extend(members.values());
                let keys = members.keys().map(|k| string_len(k) + 1).fold(0usize, usize::saturating_add);
                (2 + members.len().saturating_sub(1)).saturating_add(keys)
            }
        };
        len = len.saturating_add(here);
    }
    len
}

/// Refuses a document given as a value whose JSON text would exceed `limits.max_body_bytes`,
/// with the error a text of that length gets.
///
/// # Errors
/// 413 (`PayloadTooLarge`) naming both lengths.
pub fn check_value_size(value: &Value, limits: &Limits) -> Result<(), Error> {
    if limits.max_body_bytes == usize::MAX {
        return Ok(());
    }
    super::strict::check_size(text_len(value), limits)
}

/// Counts what is written instead of keeping it.
struct Count(usize);

impl Write for Count {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

fn number_len(n: &serde_json::Number) -> usize {
    let mut count = Count(0);
    let _ = write!(count, "{n}");
    count.0
}

/// A string with its quotes and escapes: `"` and `\` and the short control escapes take two
/// bytes, other control characters six (`\u001f`).
fn string_len(s: &str) -> usize {
    let extra: usize = s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 1,
            0..=0x1f => 5,
            _ => 0,
        })
        .sum();
    s.len().saturating_add(extra).saturating_add(2)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::text_len;

    #[test]
    fn counts_what_the_writer_writes() {
        for v in [
            json!(null),
            json!({"a": [1, 2.5, -3e300, true, false, null], "b": {"c": "q\"\\\n\u{1}é"}, "": []}),
            json!([[], {}, "", 0, 18_446_744_073_709_551_615_u64, -9_223_372_036_854_775_808_i64]),
        ] {
            let text = crate::json::to_string(&v).unwrap_or_default();
            assert_eq!(text_len(&v), text.len(), "{text}");
        }
    }
}
