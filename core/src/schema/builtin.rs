//! The built-in definitions, kept as RFC 7643 JSON documents beside this file and read by the
//! same loader as custom schemas, so both get the same checks.
//!
//! Decisions where RFC 7643 §4 text and the §8.7 listing disagree are recorded in each JSON
//! file under `_decisions` (the loader ignores keys starting with `_`). The files stay as they
//! are, indented and with their decisions; what the crate embeds is a compact copy made at
//! compile time ([`compact`]): no whitespace between tokens and no `_` members, which keeps 23
//! of their 54 KB out of every build (the WebAssembly one is shipped to browsers). Descriptions
//! are kept: the discovery documents serve them.

use serde_json::Value;

use super::registry::{Registry, RegistryBuilder};
use crate::error::Error;

/// A built-in file, embedded as its [`compact`] copy.
macro_rules! compact_json {
    ($path:literal) => {{
        const JSON: &[u8] = include_bytes!($path);
        const LEN: usize = compact::<0>(JSON).1;
        const COMPACT: [u8; LEN] = compact::<LEN>(JSON).0;
        &COMPACT
    }};
}

const SCHEMAS: [&[u8]; 6] = [
    compact_json!("builtin/user.json"),
    compact_json!("builtin/group.json"),
    compact_json!("builtin/enterprise_user.json"),
    compact_json!("builtin/service_provider_config.json"),
    compact_json!("builtin/resource_type.json"),
    compact_json!("builtin/schema.json"),
];

const RESOURCE_TYPES: &[u8] = compact_json!("builtin/resource_types.json");

/// `json` without the whitespace between its tokens and without the object members whose key
/// starts with `_`: its first `N` bytes, and the length of the whole (so `compact::<0>` measures
/// it). Only for the built-in files, which the tests check are JSON that comes out the same: it
/// tells strings, brackets and whitespace apart and assumes the rest is well-formed.
#[expect(
    clippy::indexing_slicing,
    reason = "a const fn, evaluated while compiling: an index out of range is a build error, never a panic"
)]
const fn compact<const N: usize>(json: &[u8]) -> ([u8; N], usize) {
    let mut out = [0u8; N];
    let mut len = 0;
    let mut last = 0u8;
    let mut i = 0;
    while i < json.len() {
        let byte = json[i];
        if is_space(byte) {
            i += 1;
            continue;
        }
        if byte == b'"' {
            let end = string_end(json, i);
            let after = skip_space(json, end);
            let is_key = after < json.len() && json[after] == b':';
            if is_key && i + 1 < json.len() && json[i + 1] == b'_' {
                // Drop the member and one comma: the one after it, else the one before it.
                let next = skip_space(json, value_end(json, skip_space(json, after + 1)));
                if next < json.len() && json[next] == b',' {
                    i = next + 1;
                } else {
                    if last == b',' {
                        len -= 1;
                        last = 0;
                    }
                    i = next;
                }
                continue;
            }
            while i < end {
                if len < N {
                    out[len] = json[i];
                }
                len += 1;
                i += 1;
            }
            last = byte;
            continue;
        }
        if len < N {
            out[len] = byte;
        }
        len += 1;
        last = byte;
        i += 1;
    }
    (out, len)
}

const fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\n' | b'\r' | b'\t')
}

#[expect(clippy::indexing_slicing, reason = "as in `compact`: evaluated while compiling")]
const fn skip_space(json: &[u8], mut i: usize) -> usize {
    while i < json.len() && is_space(json[i]) {
        i += 1;
    }
    i
}

/// The index after the string whose opening quote is at `start`.
#[expect(clippy::indexing_slicing, reason = "as in `compact`: evaluated while compiling")]
const fn string_end(json: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < json.len() {
        match json[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// The index after the value that starts at `start`.
#[expect(clippy::indexing_slicing, reason = "as in `compact`: evaluated while compiling")]
const fn value_end(json: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < json.len() {
        match json[i] {
            b'"' => {
                i = string_end(json, i);
                if depth == 0 {
                    return i;
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            // The end of a scalar, or of the object or array around it.
            b'}' | b']' | b',' if depth == 0 => return i,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            byte if depth == 0 && is_space(byte) => return i,
            _ => {}
        }
        i += 1;
    }
    i
}

fn build() -> Result<Registry, Error> {
    let mut builder = RegistryBuilder::new();
    for text in SCHEMAS {
        builder = builder.schema_value(&parse(text, "schema")?)?;
    }
    builder.resource_type_value(&parse(RESOURCE_TYPES, "resource types")?)?.build()
}

/// A built-in file as a JSON value. Read as text (`from_str`, like every other document), not
/// bytes: `from_slice` would compile a second copy of the JSON parser into the crate.
fn parse(json: &[u8], what: &str) -> Result<Value, Error> {
    let internal = |detail: String| Error::new(crate::error::ErrorKind::Internal, detail);
    let text = std::str::from_utf8(json).map_err(|e| internal(format!("built-in {what} is not UTF-8: {e}")))?;
    serde_json::from_str(text).map_err(|e| internal(format!("built-in {what} is not JSON: {e}")))
}

/// The built-in registry. The definitions are part of the crate and checked by its tests, so
/// they always load; were one ever broken, the registry would come out empty rather than panic.
pub(super) fn registry() -> Registry {
    build().unwrap_or_else(|_| Registry::empty())
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::compact;

    #[test]
    fn builtins_load_without_error() {
        let r = super::build().unwrap();
        assert_eq!(r.schemas().len(), 6);
        assert_eq!(r.resource_types().len(), 2);
    }

    /// `value` without the object members whose key starts with `_`, at any depth.
    fn without_underscore_members(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(k, _)| !k.starts_with('_'))
                    .map(|(k, v)| (k.clone(), without_underscore_members(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(without_underscore_members).collect()),
            other => other.clone(),
        }
    }

    fn compacted(json: &str) -> String {
        let (_, len) = compact::<0>(json.as_bytes());
        let (out, full) = compact::<4096>(json.as_bytes());
        assert_eq!(len, full);
        String::from_utf8(out[..len].to_vec()).unwrap()
    }

    #[test]
    fn the_embedded_copies_are_the_files_without_whitespace_and_underscore_members() {
        let files = [
            include_str!("builtin/user.json"),
            include_str!("builtin/group.json"),
            include_str!("builtin/enterprise_user.json"),
            include_str!("builtin/service_provider_config.json"),
            include_str!("builtin/resource_type.json"),
            include_str!("builtin/schema.json"),
        ];
        for (file, embedded) in files.iter().zip(super::SCHEMAS) {
            let original: Value = serde_json::from_str(file).unwrap();
            let copy: Value = serde_json::from_slice(embedded).unwrap();
            assert_eq!(copy, without_underscore_members(&original));
            assert!(!serde_json::to_string(&copy).unwrap().contains("\"_"));
            // Nothing but whitespace went: re-printing the copy gives the same length (serde_json
            // prints compactly too; its key order may differ).
            assert_eq!(serde_json::to_string(&copy).unwrap().len(), embedded.len());
        }
        let types: Value = serde_json::from_str(include_str!("builtin/resource_types.json")).unwrap();
        assert_eq!(serde_json::from_slice::<Value>(super::RESOURCE_TYPES).unwrap(), types);
    }

    #[test]
    fn compact_drops_whitespace_and_underscore_members_only() {
        let cases = [
            ("{ \"_a\": 1 }", "{}"),
            ("{\"_a\": {\"x\": [1, \"}\\\"\"]}, \"b\": 2}", "{\"b\":2}"),
            ("{\"a\": 1, \"_b\": 2, \"_c\": [3]}", "{\"a\":1}"),
            ("{\"a\": 1, \"_b\": 2, \"c\": 3}", "{\"a\":1,\"c\":3}"),
            ("[\"_x\", \"y z\", {\"k\": \"_v\"}]", "[\"_x\",\"y z\",{\"k\":\"_v\"}]"),
            ("{\"a\": {\"_n\": true}, \"s\": \"a \\\"_q\\\": b\"}", "{\"a\":{},\"s\":\"a \\\"_q\\\": b\"}"),
            ("{\"a\" :\n\t[ 1 , 2 ] ,\"_z\" : null }", "{\"a\":[1,2]}"),
        ];
        for (json, want) in cases {
            assert_eq!(compacted(json), want, "{json}");
        }
    }
}
