//! Diff → PATCH, the client side: the operations that turn one resource into another.
//!
//! Per attribute the smallest form that is right: `remove` for an attribute that went away,
//! `add` for a new one, `replace` for a changed single value; for a single-valued complex
//! attribute, `remove` of each dropped sub-attribute plus one merging `replace` of the
//! changed ones; for a multi-valued attribute, `remove attr[value eq "…"]` for each value that
//! went away and one `add` of the new values — checked by applying them, and replaced by one
//! `replace` of the whole attribute whenever the short form would not give exactly the new
//! values in the new order. Read-only attributes (`id`, `meta`, `groups`) are the server's and
//! are left out; `schemas` follows the extensions present. Values are compared exactly (a
//! change of case is a change), so applying the result gives exactly the new resource. When
//! nothing changed the message has no operations: there is nothing to send (RFC 7644 §3.5.2
//! wants at least one).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::apply::apply_patch;
use super::options::PatchOptions;
use crate::error::{Error, ErrorKind, ScimType, excerpt};
use crate::schema::{Attribute, AttributeType, Mutability, Registry, ResourceTypeView};
use crate::urn;

/// The PatchOp message that turns `old` into `new` (both resources of `resource_type`).
///
/// # Errors
/// `invalidValue` when either resource is not an object, the type is unknown, or a member no
/// schema of the type defines differs between the two (no PATCH could express the change).
pub fn diff(registry: &Registry, resource_type: &str, old: &Value, new: &Value) -> Result<Value, Error> {
    let rt = registry.require_resource_type(resource_type)?;
    let (Value::Object(old_map), Value::Object(new_map)) = (old, new) else {
        return Err(Error::new(ScimType::InvalidValue, "both resources must be JSON objects"));
    };
    // Values given directly have not been through the reader's depth limit; comparing them
    // recurses, so hold them to it first.
    let depth = crate::Limits::default().depth();
    if crate::json::depth_exceeds(old, depth) || crate::json::depth_exceeds(new, depth) {
        return Err(Error::new(ScimType::InvalidValue, format!("a resource nests deeper than the limit of {depth}")));
    }
    if let Some(why) = unexpressible(&rt, old_map, new_map) {
        return Err(Error::new(ScimType::InvalidValue, format!("{why}, so no PATCH can say it")));
    }
    let mut ops = Vec::new();
    let core: Vec<&Attribute> = rt.core_schema().attributes().iter().chain(rt.common_attributes()).collect();
    attributes(registry, &rt, &core, None, old_map, new_map, old, &mut ops)?;
    for (ext, _) in rt.extensions() {
        let empty = Map::new();
        let old_ext = member(old_map, ext.id()).and_then(Value::as_object);
        let new_ext = member(new_map, ext.id()).and_then(Value::as_object);
        match (old_ext, new_ext) {
            (None, None) => {}
            (Some(o), None) if !o.is_empty() => ops.push(json!({"op": "remove", "path": ext.id()})),
            (o, n) => {
                let attrs: Vec<&Attribute> = ext.attributes().iter().collect();
                attributes(
                    registry,
                    &rt,
                    &attrs,
                    Some(ext.id()),
                    o.unwrap_or(&empty),
                    n.unwrap_or(&empty),
                    old,
                    &mut ops,
                )?;
            }
        }
    }
    Ok(json!({"schemas": [urn::PATCH_OP], "Operations": ops}))
}

/// A change no PATCH built here can express, refused rather than left out: a member no schema
/// of the type defines (of the resource, of an extension's object, or of a single complex
/// value) whose value differs between `old` and `new`, or an attribute written with its schema
/// URN as its key. Members left as they were are nobody's business here; an extension object
/// dropped whole is one `remove`.
fn unexpressible(rt: &ResourceTypeView<'_>, old: &Map<String, Value>, new: &Map<String, Value>) -> Option<String> {
    let changed = |a: &Map<String, Value>, b: &Map<String, Value>, k: &str| member(a, k) != member(b, k);
    for key in old.keys().chain(new.keys()) {
        if key.eq_ignore_ascii_case("schemas") {
            continue;
        }
        if let Some(found) = rt.attribute(key) {
            if let Some(sub) = unknown_sub_changed(found.attribute, member(old, key), member(new, key)) {
                return Some(format!(
                    "`{}.{}` changed, but `{key}` has no such sub-attribute",
                    excerpt(key),
                    excerpt(&sub)
                ));
            }
            continue;
        }
        if let Some((ext, _)) = rt.extension(key) {
            let empty = Map::new();
            let o = member(old, ext.id()).and_then(Value::as_object).unwrap_or(&empty);
            let Some(n) = member(new, ext.id()).and_then(Value::as_object) else { continue };
            for k in o.keys().chain(n.keys()) {
                match ext.attribute(k) {
                    None if changed(o, n, k) => {
                        return Some(format!(
                            "`{}:{}` changed, but the extension has no such attribute",
                            ext.id(),
                            excerpt(k)
                        ));
                    }
                    Some(attr) => {
                        if let Some(sub) = unknown_sub_changed(attr, member(o, k), member(n, k)) {
                            return Some(format!(
                                "`{}:{}.{}` changed, but `{}` has no such sub-attribute",
                                ext.id(),
                                attr.name(),
                                excerpt(&sub),
                                attr.name()
                            ));
                        }
                    }
                    None => {}
                }
            }
            continue;
        }
        if !changed(old, new, key) {
            continue;
        }
        if rt.split_urn(key).is_some() {
            return Some(format!(
                "`{}` changed, written with its schema URN: diff reads resources as stored, with each \
                 attribute under its plain name (an extension's under the extension's object)",
                excerpt(key)
            ));
        }
        return Some(format!(
            "`{}` changed, but resource type `{}` has no such attribute",
            excerpt(key),
            rt.definition().name()
        ));
    }
    None
}

/// The first sub-attribute no definition of single complex `attr` has whose value differs.
fn unknown_sub_changed(attr: &Attribute, old: Option<&Value>, new: Option<&Value>) -> Option<String> {
    // Read-only attributes are the server's: diff leaves them out whatever they hold.
    if attr.kind() != AttributeType::Complex || attr.multi_valued() || attr.mutability() == Mutability::ReadOnly {
        return None;
    }
    let empty = Map::new();
    let o = old.and_then(Value::as_object).unwrap_or(&empty);
    let n = new.and_then(Value::as_object).unwrap_or(&empty);
    o.keys().chain(n.keys()).find(|k| attr.sub_attribute(k).is_none() && member(o, k) != member(n, k)).cloned()
}

fn member<'v>(obj: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    crate::validate::resource::member(obj, name)
}

fn path(ext: Option<&str>, name: &str) -> String {
    match ext {
        Some(urn) => format!("{urn}:{name}"),
        None => name.to_owned(),
    }
}

#[expect(clippy::too_many_arguments, reason = "the walk carries the whole context; a struct would only rename it")]
fn attributes(
    registry: &Registry,
    rt: &ResourceTypeView<'_>,
    attrs: &[&Attribute],
    ext: Option<&str>,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    old_resource: &Value,
    ops: &mut Vec<Value>,
) -> Result<(), Error> {
    for attr in attrs {
        if attr.mutability() == Mutability::ReadOnly {
            continue;
        }
        let p = path(ext, attr.name());
        match (member(old, attr.name()), member(new, attr.name())) {
            (None, None) => {}
            (Some(_), None) => ops.push(json!({"op": "remove", "path": p})),
            (None, Some(n)) => ops.push(json!({"op": "add", "path": p, "value": n})),
            (Some(o), Some(n)) if o == n => {}
            (Some(o), Some(n)) if attr.multi_valued() => {
                multi(registry, rt, attr, &p, o, n, old_resource, ops)?;
            }
            (Some(Value::Object(o)), Some(Value::Object(n))) if attr.kind() == AttributeType::Complex => {
                complex(attr, &p, o, n, ops);
            }
            (Some(_), Some(n)) => ops.push(json!({"op": "replace", "path": p, "value": n})),
        }
    }
    Ok(())
}

fn complex(attr: &Attribute, p: &str, old: &Map<String, Value>, new: &Map<String, Value>, ops: &mut Vec<Value>) {
    let mut changed = Map::new();
    for sub in attr.sub_attributes() {
        match (member(old, sub.name()), member(new, sub.name())) {
            (Some(_), None) => ops.push(json!({"op": "remove", "path": format!("{p}.{}", sub.name())})),
            (o, Some(n)) if o != Some(n) => {
                changed.insert(sub.name().to_owned(), n.clone());
            }
            _ => {}
        }
    }
    if !changed.is_empty() {
        ops.push(json!({"op": "replace", "path": p, "value": changed}));
    }
}

/// How a sub-attribute value counts as the same for `attr`: folded when case does not count.
fn identity_key(attr: &Attribute, v: &Value) -> String {
    match v {
        Value::String(s) if !attr.case_exact() => crate::value::fold_case(s),
        other => other.to_string(),
    }
}

/// How often each `value` (and each `value` + `type`) occurs among the values of `attr`, so a
/// filter can be checked to single one value out without scanning all of them again.
struct Occurrences {
    by_value: BTreeMap<String, usize>,
    by_value_and_type: BTreeMap<(String, String), usize>,
}

impl Occurrences {
    fn count(attr: &Attribute, all: &[Value]) -> Option<Self> {
        let value_attr = attr.sub_attribute("value")?;
        let type_attr = attr.sub_attribute("type");
        let mut by_value = BTreeMap::new();
        let mut by_value_and_type = BTreeMap::new();
        for e in all {
            let Some(v) = e.get("value") else { continue };
            let key = identity_key(value_attr, v);
            if let (Some(t), Some(type_attr)) = (e.get("type"), type_attr) {
                *by_value_and_type.entry((key.clone(), identity_key(type_attr, t))).or_insert(0) += 1;
            }
            *by_value.entry(key).or_insert(0) += 1;
        }
        Some(Self { by_value, by_value_and_type })
    }

    /// A filter selecting `element` alone: by `value`, or by `value` and `type`.
    fn selector(&self, attr: &Attribute, element: &Value) -> Option<String> {
        let value = element.get("value").filter(|v| v.is_string() || v.is_number() || v.is_boolean())?;
        let key = identity_key(attr.sub_attribute("value")?, value);
        if self.by_value.get(&key) == Some(&1) {
            return Some(format!("value eq {value}"));
        }
        let kind = element.get("type").filter(|t| t.is_string())?;
        let type_key = identity_key(attr.sub_attribute("type")?, kind);
        (self.by_value_and_type.get(&(key, type_key)) == Some(&1))
            .then(|| format!("value eq {value} and type eq {kind}"))
    }
}

#[expect(clippy::too_many_arguments, reason = "the walk carries the whole context; a struct would only rename it")]
fn multi(
    registry: &Registry,
    rt: &ResourceTypeView<'_>,
    attr: &Attribute,
    p: &str,
    old: &Value,
    new: &Value,
    old_resource: &Value,
    ops: &mut Vec<Value>,
) -> Result<(), Error> {
    let replace = json!({"op": "replace", "path": p, "value": new});
    let (Value::Array(o), Value::Array(n)) = (old, new) else {
        ops.push(replace);
        return Ok(());
    };
    let mut short = Vec::new();
    let occurrences = Occurrences::count(attr, o);
    let mut possible = attr.kind() == AttributeType::Complex && occurrences.is_some();
    // Exact comparison by canonical text (keys sorted), in O(n log n) for large attributes.
    // An insert loop: `collect()` into a set would bring a sort of its own into every build.
    let texts = |items: &[Value]| -> BTreeSet<String> {
        let mut set = BTreeSet::new();
        for item in items {
            set.insert(item.to_string());
        }
        set
    };
    let (old_texts, new_texts) = (texts(o), texts(n));
    for e in o.iter().filter(|e| !new_texts.contains(&e.to_string())) {
        match occurrences.as_ref().and_then(|occ| occ.selector(attr, e)) {
            Some(f) if possible => short.push(json!({"op": "remove", "path": format!("{p}[{f}]")})),
            _ => possible = false,
        }
    }
    let added: Vec<Value> = n.iter().filter(|e| !old_texts.contains(&e.to_string())).cloned().collect();
    if !added.is_empty() {
        short.push(json!({"op": "add", "path": p, "value": added}));
    }
    if possible && short.len() < n.len() + 1 && gives(registry, rt, old_resource, &short, p, attr, new)? {
        ops.extend(short);
    } else {
        ops.push(replace);
    }
    Ok(())
}

/// Whether applying `ops` to `old_resource` leaves attribute `p` exactly `want`.
fn gives(
    registry: &Registry,
    rt: &ResourceTypeView<'_>,
    old_resource: &Value,
    ops: &[Value],
    p: &str,
    attr: &Attribute,
    want: &Value,
) -> Result<bool, Error> {
    let request = json!({"schemas": [urn::PATCH_OP], "Operations": ops});
    let Ok(done) =
        apply_patch(registry, rt.definition().name(), old_resource.clone(), &request, &PatchOptions::default())
    else {
        return Ok(false);
    };
    let got = match rt.split_urn(p) {
        Some((schema, name)) => done.resource.get(schema.id()).and_then(|e| e.get(name)),
        None => done.resource.get(attr.name()),
    };
    let Some(got) = got else {
        return Err(Error::new(ErrorKind::Internal, "diff lost an attribute while checking itself"));
    };
    Ok(got == want)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::apply_patch;

    fn round_trip(rt: &str, old: &Value, new: &Value) -> Value {
        let registry = Registry::builtin();
        let ops = diff(&registry, rt, old, new).unwrap();
        let done = apply_patch(&registry, rt, old.clone(), &ops, &PatchOptions::default()).unwrap();
        assert_eq!(&done.resource, new, "ops: {ops}");
        ops
    }

    #[test]
    fn member_changes_are_addressed_by_value() {
        let old = json!({"schemas": [urn::GROUP], "id": "g", "displayName": "T", "members": [{"value": "a"}, {"value": "b"}]});
        let new = json!({"schemas": [urn::GROUP], "id": "g", "displayName": "T", "members": [{"value": "a"}, {"value": "c"}]});
        let ops = round_trip("Group", &old, &new);
        assert_eq!(ops["Operations"][0]["path"], "members[value eq \"b\"]");
        assert_eq!(ops["Operations"][1]["op"], "add");
    }

    #[test]
    fn user_changes_round_trip() {
        let old = json!({
            "schemas": [urn::USER], "id": "u", "userName": "a", "title": "x",
            "name": {"givenName": "A", "middleName": "M"},
            "emails": [{"value": "a@x", "type": "work"}]
        });
        let new = json!({
            "schemas": [urn::USER, urn::ENTERPRISE_USER], "id": "u", "userName": "b",
            "name": {"givenName": "B"},
            "emails": [{"value": "b@x", "type": "home"}, {"value": "a@x", "type": "work"}],
            urn::ENTERPRISE_USER: {"department": "D"}
        });
        round_trip("User", &old, &new);
        round_trip("User", &new, &old);
    }
}
