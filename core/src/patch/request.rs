//! The PATCH request message (RFC 7644 §3.5.2): `schemas` and `Operations`, each with `op`,
//! `path` and `value`.

use serde_json::{Map, Value};

use super::options::PatchOptions;
use crate::compat::Quirk;
use crate::error::{Error, Location, ScimType, excerpt, push_decimal};
use crate::urn;
use crate::validate::{Note, NoteCode};

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// Add values (RFC 7644 §3.5.2.1).
    Add,
    /// Remove values (RFC 7644 §3.5.2.2).
    Remove,
    /// Replace values (RFC 7644 §3.5.2.3).
    Replace,
}

impl OpKind {
    /// The RFC spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Remove => "remove",
            Self::Replace => "replace",
        }
    }
}

/// One operation as the request gives it. The path is read when the operation is applied,
/// against the resource type.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Position in `Operations`, for error locations.
    pub index: usize,
    /// What it does.
    pub op: OpKind,
    /// The `path`, if any.
    pub path: Option<String>,
    /// The `value`, if any. An explicit `null` is kept only for `replace` (it removes the
    /// target); for `add` and `remove` it reads as no `value`.
    pub value: Option<Value>,
    /// Whether `op` was spelled other than in lowercase (accepted by the `opCase` rule).
    pub op_respelled: Option<String>,
    /// How the request spelled `Operations`, `path` and `value`, when not so (names are
    /// case-insensitive): locations use the request's own spelling, so that they point into it.
    pub spelled: Option<Box<Spelled>>,
}

/// The request's own spelling of member names it gave in another case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spelled {
    /// `Operations`.
    pub operations: String,
    /// `op`.
    pub op: String,
    /// `path`.
    pub path: String,
    /// `value`.
    pub value: String,
}

impl Operation {
    /// The `opCase` quirk note of an `op` read in another case (`"Replace"`), at `/Operations/i/op`
    /// as the request spells those names.
    pub(crate) fn op_case_note(&self) -> Option<Note> {
        let spelled = self.op_respelled.as_deref()?;
        let (operations, op_member) = self.spelled.as_deref().map_or(("Operations", "op"), |s| (&s.operations, &s.op));
        Some(op_case_note(self.index, self.op, spelled, operations, op_member))
    }

    /// Where this operation is in the request.
    pub fn location(&self) -> Location {
        Location::root().key(self.operations_name()).index(self.index)
    }

    /// The request's name for `Operations`.
    pub fn operations_name(&self) -> &str {
        self.spelled.as_ref().map_or("Operations", |s| s.operations.as_str())
    }

    /// The operation's name for `path`.
    pub fn path_name(&self) -> &str {
        self.spelled.as_ref().map_or("path", |s| s.path.as_str())
    }

    /// The operation's name for `value`.
    pub fn value_name(&self) -> &str {
        self.spelled.as_ref().map_or("value", |s| s.value.as_str())
    }
}

/// A checked PATCH request.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchRequest {
    /// The operations, in order.
    pub operations: Vec<Operation>,
}

fn syntax(location: Location, detail: String) -> Error {
    Error::new(ScimType::InvalidSyntax, detail).at(location)
}

/// The member `key` of `obj`: exact spelling first, then any case.
fn member<'v>(obj: &'v Map<String, Value>, key: &str) -> Option<(&'v str, &'v Value)> {
    obj.get_key_value(key)
        .or_else(|| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
        .map(|(k, v)| (k.as_str(), v))
}

/// Reads and checks a PatchOp message.
///
/// # Errors
/// `invalidSyntax` for a malformed message (wrong `schemas`, no `Operations`, an unknown `op`,
/// an unknown member), `invalidValue` for a missing `value`, `noTarget` for a `remove` without
/// `path`, `tooMany` past the operation limit — each with its location in the request.
pub fn parse_request(body: &Value, options: &PatchOptions) -> Result<PatchRequest, Error> {
    parse_request_owned(body.clone(), options)
}

/// [`parse_request`] taking the message by value, so operation values are moved, not copied.
///
/// # Errors
/// As [`parse_request`].
pub fn parse_request_owned(body: Value, options: &PatchOptions) -> Result<PatchRequest, Error> {
    let root = Location::root();
    let Value::Object(mut obj) = body else {
        return Err(syntax(root, "a PATCH request must be a JSON object".to_owned()));
    };
    if let Some(key) = obj.keys().find(|k| !["schemas", "Operations"].iter().any(|a| a.eq_ignore_ascii_case(k))) {
        return Err(syntax(root.key(key), format!("`{}` is not a member of a PATCH request", excerpt(key))));
    }
    // Only known names are left, so few: the pairwise check stays cheap.
    given_once(&obj, Location::root)?;
    match member(&obj, "schemas") {
        Some((_, Value::Array(items)))
            if items.len() == 1
                && items.first().and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case(urn::PATCH_OP)) => {}
        Some((k, _)) => {
            return Err(syntax(root.key(k), format!("`schemas` must be [\"{}\"]", urn::PATCH_OP)));
        }
        None => {
            return Err(syntax(
                root.key("schemas"),
                format!("`schemas` is required and must be [\"{}\"]", urn::PATCH_OP),
            ));
        }
    }
    let ops_key =
        obj.keys().find(|k| k.eq_ignore_ascii_case("Operations")).cloned().unwrap_or_else(|| "Operations".to_owned());
    let items = match obj.remove(&ops_key).map(|v| (ops_key.as_str(), v)) {
        Some((_, Value::Array(items))) if !items.is_empty() => items,
        Some((k, Value::Array(_))) => return Err(syntax(root.key(k), "`Operations` must not be empty".to_owned())),
        Some((k, _)) => return Err(syntax(root.key(k), "`Operations` must be an array".to_owned())),
        None => return Err(syntax(root.key("Operations"), "`Operations` is required".to_owned())),
    };
    let limit = options.max_operations;
    if items.len() > limit {
        return Err(Error::new(
            ScimType::TooMany,
            format!("the request has {} operations, more than the limit of {limit}", items.len()),
        )
        .at(root.key(&ops_key)));
    }
    let mut operations = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        match operation(index, item, &ops_key, options) {
            Ok(op) => operations.push(op),
            // How the operations were read up to the error goes with it (`Error::notes`), the
            // failing one's own `op` included.
            Err(Unread { error, own }) if options.report.is_full() => {
                let read = operations.iter().filter_map(Operation::op_case_note);
                return Err(error.with_notes(read.chain(own)));
            }
            Err(Unread { error, .. }) => return Err(error),
        }
    }
    Ok(PatchRequest { operations })
}

/// The `opCase` quirk note of operation `index`, whose `op` was `spelled` and read as `op`, at
/// `/<operations>/<index>/<op_member>` (the names as the request spells them).
fn op_case_note(index: usize, op: OpKind, spelled: &str, operations: &str, op_member: &str) -> Note {
    // `spelled` matched an op in another case: a short word of ASCII letters.
    let read = op.as_str();
    let mut detail = String::with_capacity(24 + spelled.len() + read.len());
    for part in ["`op` was `", spelled, "`, read as `", read, "`"] {
        detail.push_str(part);
    }
    let location = if operations == "Operations" && op_member == "op" {
        // `/Operations/i/op`, written directly: this rule fires on every operation Entra sends.
        let mut pointer = String::with_capacity(24);
        pointer.push_str("/Operations/");
        push_decimal(&mut pointer, index);
        pointer.push_str("/op");
        Location::from_pointer(pointer)
    } else {
        Location::root().key(operations).index(index).key(op_member)
    };
    Note { code: NoteCode::Quirk, quirk: Some(Quirk::OpCase), location, detail }
}

/// Builds a location only when an error needs one.
struct Here<'k> {
    ops_key: &'k str,
    index: usize,
}

impl Here<'_> {
    fn at(&self) -> Location {
        Location::root().key(self.ops_key).index(self.index)
    }
}

/// An operation that could not be read: the error, and its own `opCase` note when its `op` was
/// read in another case before the error.
struct Unread {
    error: Error,
    own: Option<Note>,
}

impl From<Error> for Unread {
    fn from(error: Error) -> Self {
        Self { error, own: None }
    }
}

fn operation(index: usize, item: Value, ops_key: &str, options: &PatchOptions) -> Result<Operation, Unread> {
    let here = &Here { ops_key, index };
    let Value::Object(mut obj) = item else {
        return Err(syntax(here.at(), "an operation must be a JSON object".to_owned()).into());
    };
    if let Some(key) = obj.keys().find(|k| !["op", "path", "value"].iter().any(|a| a.eq_ignore_ascii_case(k))) {
        return Err(syntax(here.at().key(key), format!("`{}` is not a member of an operation", excerpt(key))).into());
    }
    // Only known names are left, so few: the pairwise check stays cheap.
    given_once(&obj, || here.at())?;
    let (op_member, op_text) = match member(&obj, "op") {
        Some((k, Value::String(s))) => (k, s.as_str()),
        Some((k, _)) => return Err(syntax(here.at().key(k), "`op` must be a string".to_owned()).into()),
        None => return Err(syntax(here.at().key("op"), "`op` is required".to_owned()).into()),
    };
    let (op, op_respelled) = match read_op(op_text, options) {
        Ok((op, respelled)) => (op, respelled.then(|| op_text.to_owned())),
        Err(Some(op)) => {
            return Err(syntax(
                here.at().key(op_member),
                format!("`op` must be `{}` in lowercase, found `{}`", op.as_str(), excerpt(op_text)),
            )
            .into());
        }
        Err(None) => {
            return Err(syntax(
                here.at().key(op_member),
                format!("`op` must be add, remove or replace, found `{}`", excerpt(op_text)),
            )
            .into());
        }
    };
    // An error from here on carries this operation's own `opCase` note (see `parse_request_owned`).
    let noted = |error: Error| Unread {
        error,
        own: op_respelled.as_deref().map(|spelled| op_case_note(index, op, spelled, ops_key, op_member)),
    };
    let path_key = member(&obj, "path").map(|(k, _)| k.to_owned());
    let path = match member(&obj, "path") {
        None | Some((_, Value::Null)) => None,
        Some((_, Value::String(s))) => Some(s.clone()),
        Some((k, _)) => {
            return Err(noted(Error::new(ScimType::InvalidPath, "`path` must be a string").at(here.at().key(k))));
        }
    };
    let value_key = obj.keys().find(|k| k.eq_ignore_ascii_case("value")).cloned();
    let spelled = (ops_key != "Operations"
        || op_member != "op"
        || path_key.as_deref().is_some_and(|k| k != "path")
        || value_key.as_deref().is_some_and(|k| k != "value"))
    .then(|| {
        Box::new(Spelled {
            operations: ops_key.to_owned(),
            op: op_member.to_owned(),
            path: path_key.unwrap_or_else(|| "path".to_owned()),
            value: value_key.clone().unwrap_or_else(|| "value".to_owned()),
        })
    });
    let value = kept_value(op, value_key.and_then(|k| obj.remove(&k)));
    let operation = Operation { index, op, path, value, op_respelled, spelled };
    if let Err(error) = check_shape(&operation, || here.at()) {
        return Err(Unread { error, own: operation.op_case_note() });
    }
    Ok(operation)
}

/// Refuses a member given twice in another case (`value` and `Value`), as the strict reader
/// refuses it in text: a request given as a value (a Python dict) must not have one of them win.
/// `at` is the object's place.
fn given_once(obj: &Map<String, Value>, at: impl FnOnce() -> Location) -> Result<(), Error> {
    let mut keys = obj.keys();
    while let Some(key) = keys.next() {
        if let Some(again) = keys.clone().find(|k| k.eq_ignore_ascii_case(key)) {
            return Err(crate::json::strict::repeated_key(again).at(at().key(again)));
        }
    }
    Ok(())
}

/// The `value` an operation keeps: an explicit `null` only for `replace`, where it means
/// "unassigned" (RFC 7643 §2.5) and removes the target; for `add` and `remove` it is as if no
/// `value` were given.
pub(crate) fn kept_value(op: OpKind, value: Option<Value>) -> Option<Value> {
    value.filter(|v| !v.is_null() || op == OpKind::Replace)
}

/// What `op` asks for, and whether it was spelled other than in lowercase (which the `opCase`
/// rule accepts). `Err(Some(op))`: `op` in another case, the rule off; `Err(None)`: no such op.
pub(crate) fn read_op(text: &str, options: &PatchOptions) -> Result<(OpKind, bool), Option<OpKind>> {
    let known = [OpKind::Add, OpKind::Remove, OpKind::Replace];
    if let Some(op) = known.iter().find(|o| o.as_str() == text) {
        return Ok((*op, false));
    }
    match known.iter().find(|o| o.as_str().eq_ignore_ascii_case(text)) {
        Some(op) if options.profile.allows(Quirk::OpCase) => Ok((*op, true)),
        Some(op) => Err(Some(*op)),
        None => Err(None),
    }
}

/// `op`, `path` and `value` must fit together: `remove` names a target, `add` and `replace`
/// carry a value, which is an object of attributes when there is no `path`. `at` gives the
/// operation's place, for the error.
pub(crate) fn check_shape(o: &Operation, at: impl FnOnce() -> Location) -> Result<(), Error> {
    match (o.op, &o.path, &o.value) {
        (OpKind::Remove, None, _) => {
            Err(Error::new(ScimType::NoTarget, "`remove` needs a `path` naming what to remove").at(at()))
        }
        (OpKind::Add | OpKind::Replace, _, None) => {
            Err(Error::new(ScimType::InvalidValue, format!("`{}` needs a `value`", o.op.as_str()))
                .at(at().key(o.value_name())))
        }
        (OpKind::Add | OpKind::Replace, None, Some(v)) if !v.is_object() => Err(Error::new(
            ScimType::InvalidValue,
            format!("`{}` without a `path` needs an object of attributes as its `value`", o.op.as_str()),
        )
        .at(at().key(o.value_name()))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(body: &Value) -> Result<PatchRequest, Error> {
        parse_request(body, &PatchOptions::default())
    }

    fn patch(ops: &Value) -> Value {
        json!({"schemas": [urn::PATCH_OP], "Operations": ops})
    }

    #[test]
    fn reads_operations() {
        let r = parse(&patch(&json!([
            {"op": "add", "path": "emails", "value": [{"value": "a@x"}]},
            {"op": "remove", "path": "title"},
            {"op": "replace", "value": {"active": false}}
        ])))
        .unwrap();
        assert_eq!(r.operations.len(), 3);
        assert_eq!(r.operations[1].op, OpKind::Remove);
        assert_eq!(r.operations[2].location().as_str(), "/Operations/2");
    }

    #[test]
    fn refuses_malformed_messages_with_locations() {
        let cases = [
            (json!({"Operations": []}), ScimType::InvalidSyntax, "/schemas"),
            (patch(&json!([])), ScimType::InvalidSyntax, "/Operations"),
            (patch(&json!([{"op": "merge", "path": "x", "value": 1}])), ScimType::InvalidSyntax, "/Operations/0/op"),
            (patch(&json!([{"op": "Replace", "path": "x", "value": 1}])), ScimType::InvalidSyntax, "/Operations/0/op"),
            (patch(&json!([{"op": "remove"}])), ScimType::NoTarget, "/Operations/0"),
            (patch(&json!([{"op": "add", "path": "x"}])), ScimType::InvalidValue, "/Operations/0/value"),
            (patch(&json!([{"op": "add", "value": 1}])), ScimType::InvalidValue, "/Operations/0/value"),
            (patch(&json!([{"op": "add", "path": 3, "value": 1}])), ScimType::InvalidPath, "/Operations/0/path"),
            (patch(&json!([{"op": "add", "value": {}, "extra": 1}])), ScimType::InvalidSyntax, "/Operations/0/extra"),
        ];
        for (body, t, loc) in cases {
            let e = parse(&body).unwrap_err();
            assert_eq!((e.scim_type(), e.location().unwrap().as_str()), (Some(t), loc), "{body}");
        }
    }

    #[test]
    fn op_case_rule_accepts_entra_spelling() {
        let options = PatchOptions { profile: crate::Profile::entra(), ..PatchOptions::default() };
        let r = parse_request(&patch(&json!([{"op": "Replace", "path": "active", "value": false}])), &options).unwrap();
        assert_eq!(r.operations[0].op, OpKind::Replace);
        assert_eq!(r.operations[0].op_respelled.as_deref(), Some("Replace"));
    }

    #[test]
    fn operation_limit() {
        let options = PatchOptions { max_operations: 1, ..PatchOptions::default() };
        let body = patch(&json!([{"op": "remove", "path": "a"}, {"op": "remove", "path": "b"}]));
        assert_eq!(parse_request(&body, &options).unwrap_err().scim_type(), Some(ScimType::TooMany));
    }
}
