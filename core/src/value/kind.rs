//! What kind of JSON value a value is, in the words messages use.

use serde_json::Value;

/// A short description of a JSON value's kind, for messages: `null`, `a boolean`, `a number`,
/// `a string`, `an array`, `an object`.
pub const fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
