//! Reading a PatchOp message from JSON text in one pass, straight into operations.
//!
//! The common message — members spelled as the RFC spells them, each once, every operation
//! well formed — is read by the fast JSON reader without building the message as a JSON value
//! first: `op` and `path` are taken from the text, and only each `value` becomes a [`Value`].
//! Anything else — another spelling, anything the fast reader leaves to the strict one, an
//! error of any kind — makes this reader give up, and the message is read again by the general
//! reader, which accepts the same messages and says exactly what is wrong with the others. So
//! this file decides nothing: it is a shortcut to the answer [`parse_request_owned`] gives.

use super::options::PatchOptions;
use super::request::{Operation, PatchRequest, check_shape, kept_value, parse_request_owned, read_op};
use crate::error::{Error, Location};
use crate::json::fast::Reader;
use crate::json::parse_strict;
use crate::json::strict::check_size;
use crate::urn;

/// Reads and checks a PatchOp message given as JSON text.
///
/// # Errors
/// As [`parse_request_owned`], and [`parse_strict`]'s for text that is not strict JSON.
pub fn parse_request_text(text: &str, options: &PatchOptions) -> Result<PatchRequest, Error> {
    if let Some(request) = read_common(text, options) {
        return Ok(request);
    }
    parse_request_owned(parse_strict(text, &options.limits)?, options)
}

/// How many arrays and objects enclose an operation's `value`.
const OPERATION_DEPTH: usize = 3;

/// The one-pass read of `{"schemas": [PatchOp URN], "Operations": [...]}`; `None` whenever
/// the message is not the common well-formed kind.
fn read_common(text: &str, options: &PatchOptions) -> Option<PatchRequest> {
    check_size(text.len(), &options.limits).ok()?;
    let max_depth = options.limits.depth();
    // The message, `Operations`, an operation: the levels above an operation's `value`.
    if max_depth < OPERATION_DEPTH {
        return None;
    }
    let mut reader = Reader::new(text, max_depth);
    reader.eat(b'{')?;
    let mut schemas = false;
    let mut operations = None;
    let mut first = true;
    while reader.more(b'}', &mut first)? {
        match reader.key()?.as_ref() {
            "schemas" if !schemas => {
                read_schemas(&mut reader)?;
                schemas = true;
            }
            "Operations" if operations.is_none() => operations = Some(read_operations(&mut reader, options)?),
            _ => return None,
        }
    }
    reader.end()?;
    match operations {
        Some(operations) if schemas && !operations.is_empty() => Some(PatchRequest { operations }),
        _ => None,
    }
}

/// `["urn:ietf:params:scim:api:messages:2.0:PatchOp"]`.
fn read_schemas(reader: &mut Reader<'_>) -> Option<()> {
    reader.eat(b'[')?;
    if !reader.string()?.eq_ignore_ascii_case(urn::PATCH_OP) {
        return None;
    }
    reader.eat(b']')
}

/// The `Operations` array.
fn read_operations(reader: &mut Reader<'_>, options: &PatchOptions) -> Option<Vec<Operation>> {
    reader.eat(b'[')?;
    let mut operations = Vec::with_capacity(8);
    let mut first = true;
    while reader.more(b']', &mut first)? {
        if operations.len() >= options.max_operations {
            return None;
        }
        let operation = read_operation(reader, options, operations.len())?;
        operations.push(operation);
    }
    Some(operations)
}

/// `{"op": …, "path": …, "value": …}`.
fn read_operation(reader: &mut Reader<'_>, options: &PatchOptions, index: usize) -> Option<Operation> {
    reader.eat(b'{')?;
    let mut op = None;
    let mut path: Option<Option<String>> = None;
    let mut value = None;
    let mut first = true;
    while reader.more(b'}', &mut first)? {
        match reader.key()?.as_ref() {
            "op" if op.is_none() => {
                let text = reader.string()?;
                let (kind, respelled) = read_op(&text, options).ok()?;
                op = Some((kind, respelled.then(|| text.into_owned())));
            }
            "path" if path.is_none() => {
                path = Some(if reader.peek()? == b'n' {
                    reader.value(OPERATION_DEPTH).filter(serde_json::Value::is_null)?;
                    None
                } else {
                    Some(reader.string()?.into_owned())
                });
            }
            "value" if value.is_none() => value = Some(reader.value(OPERATION_DEPTH)?),
            _ => return None,
        }
    }
    let (op, op_respelled) = op?;
    let operation =
        Operation { index, op, path: path.flatten(), value: kept_value(op, value), op_respelled, spelled: None };
    check_shape(&operation, Location::root).ok()?;
    Some(operation)
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::Profile;

    /// The general reader, through the strict JSON reader without its fast path (so that this
    /// test does not lean on the fast JSON reader it shares code with).
    fn slow(text: &str, options: &PatchOptions) -> Result<PatchRequest, Error> {
        parse_request_owned(crate::json::parse_strict_without_fast_path(text, &options.limits)?, options)
    }

    /// Every request of the shared PATCH vectors, as text, under each profile.
    fn vector_requests() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/patch");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let file: Value = serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
            for case in file["cases"].as_array().unwrap() {
                match (&case["input"]["text"], &case["input"]["request"]) {
                    (Value::String(t), _) => out.push(t.clone()),
                    (_, Value::Null) => {}
                    (_, r) => out.push(r.to_string()),
                }
            }
        }
        out
    }

    #[test]
    fn agrees_with_the_general_reader() {
        let mut texts = vector_requests();
        assert!(texts.len() > 300);
        let op = r#"{"op":"add","path":"title","value":"x"}"#;
        let variants = [
            format!(r#"{{"schemas":["{}"],"Operations":[{op}]}}"#, urn::PATCH_OP),
            format!(r#"{{"Operations":[{op}],"schemas":["{}"]}}"#, urn::PATCH_OP),
            format!(r#"{{"schemas":["{}"],"operations":[{op}]}}"#, urn::PATCH_OP),
            format!(r#"{{"schemas":["{}"],"Operations":[{op}],"Operations":[{op}]}}"#, urn::PATCH_OP),
            format!(
                r#"{{"schemas":["{}"],"Operations":[{{"op":"add","op":"add","path":"title","value":"x"}}]}}"#,
                urn::PATCH_OP
            ),
            format!(r#"{{"schemas":["{}"],"Operations":[{{"op":"add","path":"title","Value":"x"}}]}}"#, urn::PATCH_OP),
            format!(
                r#"{{"schemas":["{}"],"Operations":[{{"op":"add","path":"title","value":{{"a":1,"A":2}}}}]}}"#,
                urn::PATCH_OP
            ),
            format!(
                r#"{{"schemas":["{}"],"Operations":[{{"\u006fp":"add","path":"title","value":"x"}}]}}"#,
                urn::PATCH_OP
            ),
            format!(r#"{{"schemas":["{}"],"Operations":[{{"op":"Add","path":"title","value":"x"}}]}}"#, urn::PATCH_OP),
            format!(
                r#"{{"schemas":["{}"],"Operations":[{{"op":"add","path":null,"value":{{"title":"x"}}}}]}}"#,
                urn::PATCH_OP
            ),
            format!(r#"{{"schemas":["{}"],"Operations":[{{"op":"add","value":null,"path":"title"}}]}}"#, urn::PATCH_OP),
            format!(r#"{{"schemas":["{}"],"Operations":[{{"op":"remove","path":"title"}}]}} x"#, urn::PATCH_OP),
            format!(r#"{{"schemas":["{}", "{}"],"Operations":[{op}]}}"#, urn::PATCH_OP, urn::PATCH_OP),
            format!(r#"{{"schemas":[],"Operations":[{op}]}}"#),
            format!(r#"{{"schemas":["{}"],"Operations":[]}}"#, urn::PATCH_OP),
            format!(r#"{{"schemas":["{}"],"Operations":[{op},{op},{op}]}}"#, urn::PATCH_OP),
            format!(
                r#" {{ "schemas" : [ "{}" ] , "Operations" : [ {{ "op" : "add" , "path" : null , "value" : {{ "title" : "x" }} }} ] }} "#,
                urn::PATCH_OP
            ),
            format!(
                r#"{{"schemas":["{}"],"Operations":[{{"op":"add","path":nul,"value":{{"title":"x"}}}}]}}"#,
                urn::PATCH_OP
            ),
            format!(
                r#"{{"schemas":["{}"],"Operations":[{{"op":"add","path":7,"value":{{"title":"x"}}}}]}}"#,
                urn::PATCH_OP
            ),
            format!(r#"{{"schemas":["{}"],"Operations":[{{"op":7,"path":"title","value":"x"}}]}}"#, urn::PATCH_OP),
            format!(r#"{{"schemas":"{}","Operations":[{op}]}}"#, urn::PATCH_OP),
            format!(r#"{{"schemas":["{}"],"Operations":{op}}}"#, urn::PATCH_OP),
            format!(
                r#"{{"schemas":["{}"],"Operations":[{{"op":"add","path":"emails[type eq \"w\u006frk\"].value","value":"a@b.c"}}]}}"#,
                urn::PATCH_OP
            ),
            format!(
                r#"{{"schemas":["{}"],"Operations":[{{"op":"replace","path":"x509Certificates","value":[{{"value":"\u00e9","primary":true}}]}}]}}"#,
                urn::PATCH_OP
            ),
            format!(
                r#"{{"schemas":["{}"],"Operations":[{{"op":"add","path":"urn:example:1.0:User:score","value":1.5}}]}}"#,
                urn::PATCH_OP
            ),
            format!(r#"{{"schemas":["{}"],"Operations":[{{"op":"add","path":"title","value":-0}}]}}"#, urn::PATCH_OP),
            format!(r#"{{"schemas":["{}"],"Operations":[{op}],}}"#, urn::PATCH_OP),
            format!(r#"{{"schemas":["{}"],"Operations":[{op},]}}"#, urn::PATCH_OP),
            format!(
                r#"{{"schemas":["{}"],"Operations":[{{"op":"add","path":"title","value":[[[[1]]]]}}]}}"#,
                urn::PATCH_OP
            ),
        ];
        texts.extend(variants);
        let profiles = [Profile::strict(), Profile::compat()];
        let limits = [crate::limits::Limits::default(), crate::limits::Limits { max_depth: 5, ..Default::default() }];
        let mut fast_taken = 0;
        for text in &texts {
            for profile in profiles {
                for (max_operations, limits) in [(1_000, limits[0]), (2, limits[1])] {
                    let options = PatchOptions { profile, max_operations, limits, ..PatchOptions::default() };
                    let expected = slow(text, &options);
                    if let Some(fast) = read_common(text, &options) {
                        fast_taken += 1;
                        assert_eq!(Ok(fast), expected, "{text}");
                    }
                    assert_eq!(parse_request_text(text, &options), expected, "{text}");
                }
            }
        }
        assert!(fast_taken > texts.len(), "the one-pass reader should take most requests ({fast_taken})");
    }

    #[test]
    fn takes_the_entra_request_in_one_pass() {
        let text = include_str!("../../../examples/patch/entra-user.json");
        let options = PatchOptions { profile: Profile::entra(), ..PatchOptions::default() };
        let request = read_common(text, &options).unwrap();
        assert_eq!(request.operations.len(), 6);
        assert_eq!(request.operations[0].op_respelled.as_deref(), Some("Replace"));
        assert!(read_common(text, &PatchOptions::default()).is_none());
    }
}
