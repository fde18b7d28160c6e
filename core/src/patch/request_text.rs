//! Reading a PatchOp message from JSON text in one pass, straight into operations.
//!
//! The common message — members spelled as the RFC spells them, each once, every operation
//! well formed — is read without building the message as a JSON value first: `op` and `path`
//! are taken from the text, and only each `value` becomes a [`Value`] (through the strict
//! reader, so its rules hold there too). Anything else — another spelling, an error of any
//! kind — makes this reader give up, and the message is read again by the general reader,
//! which accepts the same messages and says exactly what is wrong with the others. So this
//! file decides nothing: it is a shortcut to the answer [`parse_request_owned`] gives.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::options::PatchOptions;
use super::request::{Operation, PatchRequest, check_shape, parse_request_owned, read_op};
use crate::error::{Error, Location};
use crate::json::parse_strict;
use crate::json::strict::{Context, Seed, check_size};
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

/// The one-pass read; `None` whenever the message is not the common well-formed kind.
fn read_common(text: &str, options: &PatchOptions) -> Option<PatchRequest> {
    check_size(text.len(), &options.limits).ok()?;
    let ctx = Context::new(&options.limits);
    // The message, `Operations`, an operation: the levels above an operation's `value`.
    if ctx.max_depth() < OPERATION_DEPTH {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let operations = Message { ctx: &ctx, options }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(PatchRequest { operations })
}

/// How many arrays and objects enclose an operation's `value`.
const OPERATION_DEPTH: usize = 3;

/// Gives up on the fast read (the general reader will say why, if anything is wrong).
fn give_up<E: serde::de::Error>() -> E {
    E::custom("not the common form")
}

/// A member name, borrowed from the text when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// `{"schemas": [PatchOp URN], "Operations": [...]}`.
struct Message<'a> {
    ctx: &'a Context,
    options: &'a PatchOptions,
}

impl<'de> DeserializeSeed<'de> for Message<'_> {
    type Value = Vec<Operation>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Message<'_> {
    type Value = Vec<Operation>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a PatchOp message")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut schemas = false;
        let mut operations = None;
        while let Some(key) = map.next_key_seed(Key)? {
            match key.as_ref() {
                "schemas" if !schemas => {
                    map.next_value_seed(Schemas)?;
                    schemas = true;
                }
                "Operations" if operations.is_none() => {
                    operations = Some(map.next_value_seed(Operations { ctx: self.ctx, options: self.options })?);
                }
                _ => return Err(give_up()),
            }
        }
        match operations {
            Some(ops) if schemas && !ops.is_empty() => Ok(ops),
            _ => Err(give_up()),
        }
    }
}

/// `["urn:ietf:params:scim:api:messages:2.0:PatchOp"]`.
struct Schemas;

impl<'de> DeserializeSeed<'de> for Schemas {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Schemas {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the PatchOp schema list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let first = seq.next_element_seed(Key)?;
        if !first.is_some_and(|s| s.eq_ignore_ascii_case(urn::PATCH_OP)) {
            return Err(give_up());
        }
        match seq.next_element::<IgnoredAny>()? {
            None => Ok(()),
            Some(_) => Err(give_up()),
        }
    }
}

/// The `Operations` array.
struct Operations<'a> {
    ctx: &'a Context,
    options: &'a PatchOptions,
}

impl<'de> DeserializeSeed<'de> for Operations<'_> {
    type Value = Vec<Operation>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Operations<'_> {
    type Value = Vec<Operation>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of operations")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut operations = Vec::with_capacity(seq.size_hint().unwrap_or(8).min(64));
        while let Some(op) =
            seq.next_element_seed(OneOperation { ctx: self.ctx, options: self.options, index: operations.len() })?
        {
            if operations.len() >= self.options.max_operations {
                return Err(give_up());
            }
            operations.push(op);
        }
        Ok(operations)
    }
}

/// `{"op": …, "path": …, "value": …}`.
struct OneOperation<'a> {
    ctx: &'a Context,
    options: &'a PatchOptions,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for OneOperation<'_> {
    type Value = Operation;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Operation, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OneOperation<'_> {
    type Value = Operation;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an operation")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Operation, A::Error> {
        let mut op = None;
        let mut path: Option<Option<String>> = None;
        let mut value: Option<Value> = None;
        while let Some(key) = map.next_key_seed(Key)? {
            match key.as_ref() {
                "op" if op.is_none() => {
                    let text = map.next_value_seed(Key)?;
                    let (kind, respelled) = read_op(&text, self.options).map_err(|_| give_up())?;
                    op = Some((kind, respelled.then(|| text.into_owned())));
                }
                "path" if path.is_none() => {
                    path = Some(map.next_value::<Option<String>>()?);
                }
                "value" if value.is_none() => {
                    value = Some(map.next_value_seed(Seed::at_depth(self.ctx, OPERATION_DEPTH))?);
                }
                _ => return Err(give_up()),
            }
        }
        let (op, op_respelled) = op.ok_or_else(give_up)?;
        let operation = Operation {
            index: self.index,
            op,
            path: path.flatten(),
            value: value.filter(|v| !v.is_null()),
            op_respelled,
        };
        check_shape(&operation, Location::root).map_err(|_| give_up())?;
        Ok(operation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Profile;

    fn slow(text: &str, options: &PatchOptions) -> Result<PatchRequest, Error> {
        parse_request_owned(parse_strict(text, &options.limits)?, options)
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
