//! Where a request names a value: the place a service points its error at when it refuses a
//! value it cannot accept — a Group member that is no resource of the service, a manager who
//! does not exist (RFC 7644 §3.12 leaves such checks to the service provider; the error's
//! location is scimkit's own extension, README "Errors").
//!
//! The value is looked for as the `value` of a complex attribute (Group `members`, the
//! enterprise `manager`), under every spelling the request may use: names in any case, the
//! attribute qualified by its schema URN, inside its extension object, and in a PatchOp in
//! each `add` or `replace` — by `path` (`members`, `members[value eq "…"]`, which adds a member
//! when the filter matches none, `members[…].value`), or as a key of a path-less value. Only a
//! member's `value` counts, never another string equal to it (a `display`). The first place
//! found is the answer; when there is none, the attribute itself (a body) or the operations (a
//! PatchOp).
//!
//! A request is read as a PatchOp when it has an `Operations` member (in any case), or when its
//! `schemas` lists the PatchOp URN and not the resource type's own schema; otherwise as a
//! resource body (a body with a stray PatchOp URN, which the `foreignSchemas` rule drops, is
//! still a body). Members are looked at in key order (sorted, as scimkit holds objects).

use serde_json::{Map, Value};

use crate::error::{Error, Location, ScimType, excerpt};
use crate::filter::{CompareOp, Filter, Literal};
use crate::path::PatchPath;
use crate::schema::{Attribute, ResourceTypeView, Schema};

/// The attribute whose `value` is looked for, as the request may name it.
struct Target<'r> {
    attribute: &'r Attribute,
    /// The extension schema defining it, when not the core schema.
    extension: Option<&'r Schema>,
}

/// Where `request` (a resource body or a PatchOp) names `value` as the `value` of `attribute`
/// (`members`, an extension's `urn:…:manager`; in any case).
///
/// # Errors
/// `invalidValue` when `attribute` is not a complex attribute of the resource type with a
/// `value` sub-attribute.
pub fn value_location(
    view: ResourceTypeView<'_>,
    request: &Value,
    attribute: &str,
    value: &str,
) -> Result<Location, Error> {
    let target = target(view, attribute)?;
    let patch = is_patch(view, request);
    let found = if patch { in_patch(view, &target, request, value) } else { in_body(view, &target, request, value) };
    Ok(found.unwrap_or_else(|| if patch { operations_at(request) } else { attribute_at(&target) }))
}

fn target<'r>(view: ResourceTypeView<'r>, attribute: &str) -> Result<Target<'r>, Error> {
    let resolved = view.resolve(attribute).filter(|r| r.sub_attribute.is_none());
    let Some(resolved) = resolved.filter(|r| r.attribute.sub_attribute("value").is_some()) else {
        return Err(Error::new(
            ScimType::InvalidValue,
            format!(
                "`{}` is no complex attribute of `{}` with a `value` sub-attribute",
                excerpt(attribute),
                view.definition().name
            ),
        ));
    };
    let extension = resolved.schema.filter(|s| !std::ptr::eq(*s, view.core_schema()));
    Ok(Target { attribute: resolved.attribute, extension })
}

/// Whether a request is a PatchOp: an `Operations` member, or the PatchOp URN in `schemas`
/// without the resource type's own schema.
fn is_patch(view: ResourceTypeView<'_>, request: &Value) -> bool {
    let Some(object) = request.as_object() else { return false };
    if member(object, "operations").is_some() {
        return true;
    }
    let schemas = member(object, "schemas").and_then(|(_, s)| s.as_array()).map_or(&[][..], Vec::as_slice);
    let lists = |urn: &str| schemas.iter().any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn)));
    lists(crate::urn::PATCH_OP) && !lists(&view.core_schema().id)
}

/// Where the attribute would be in a body: `/members`, `/<urn>/manager`.
fn attribute_at(target: &Target<'_>) -> Location {
    match target.extension {
        Some(schema) => Location::root().key(&schema.id).key(target.attribute.name()),
        None => Location::root().key(target.attribute.name()),
    }
}

/// `/Operations` as the request spells it.
fn operations_at(request: &Value) -> Location {
    let key = request.as_object().and_then(|o| member(o, "operations")).map_or("Operations", |(k, _)| k);
    Location::root().key(key)
}

/// The member `name` of an object with its key as spelled: the exact spelling, or else any case
/// (the PATCH engine's lookup).
fn member<'v>(object: &'v Map<String, Value>, name: &str) -> Option<(&'v str, &'v Value)> {
    let key = crate::patch::find_key(object, name)?;
    Some((key, object.get(key)?))
}

/// Whether the attribute path `path` (as a body key or a PATCH path's attribute names it)
/// is the target itself.
fn names_target(view: ResourceTypeView<'_>, target: &Target<'_>, urn: Option<&str>, name: &str) -> bool {
    let resolved = match urn {
        Some(urn) => view.resolve(&format!("{urn}:{name}")),
        None => view.resolve(name),
    };
    resolved.is_some_and(|r| r.sub_attribute.is_none() && std::ptr::eq(r.attribute, target.attribute))
}

/// In the members of an object holding attributes (a body, a path-less value): `at` is where
/// the object is. `paths`: whether a key may be a PATCH path (`members[…]`), as in a path-less
/// value.
fn in_attributes(
    view: ResourceTypeView<'_>,
    target: &Target<'_>,
    object: &Value,
    value: &str,
    at: &Location,
    paths: bool,
) -> Option<Location> {
    for (key, given) in object.as_object()? {
        let here = at.clone().key(key);
        // The extension object: the target by its short name inside it.
        if target.extension.is_some_and(|s| s.id.eq_ignore_ascii_case(key)) {
            if let Some(found) = in_extension(target, given, value, &here) {
                return Some(found);
            }
            continue;
        }
        let found = if paths {
            match PatchPath::parse(key) {
                Ok(path) if names_target(view, target, path.attr.urn.as_deref(), &path.attr.name) => {
                    in_target(&path, given, value, &here, &here)
                }
                _ => None,
            }
        } else if names_target(view, target, None, key) {
            in_entries(given, value, &here)
        } else {
            None
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// In an extension's object (at `at`): the target by its short name.
fn in_extension(target: &Target<'_>, object: &Value, value: &str, at: &Location) -> Option<Location> {
    let (name, given) = member(object.as_object()?, target.attribute.name())?;
    in_entries(given, value, &at.clone().key(name))
}

fn in_body(view: ResourceTypeView<'_>, target: &Target<'_>, body: &Value, value: &str) -> Option<Location> {
    in_attributes(view, target, body, value, &Location::root(), false)
}

fn in_patch(view: ResourceTypeView<'_>, target: &Target<'_>, request: &Value, value: &str) -> Option<Location> {
    let (ops_key, ops) = member(request.as_object()?, "operations")?;
    let top = Location::root().key(ops_key);
    for (i, op) in ops.as_array()?.iter().enumerate() {
        let Some(op) = op.as_object() else { continue };
        let writes = member(op, "op")
            .and_then(|(_, name)| name.as_str())
            .is_some_and(|name| name.eq_ignore_ascii_case("add") || name.eq_ignore_ascii_case("replace"));
        let Some((value_key, given)) = member(op, "value").filter(|_| writes) else { continue };
        let at = top.clone().index(i).key(value_key);
        let found = match member(op, "path") {
            // The extension's URN alone: its object, with the target inside.
            Some((_, Value::String(path))) if target.extension.is_some_and(|s| s.id.eq_ignore_ascii_case(path)) => {
                in_extension(target, given, value, &at)
            }
            Some((path_key, Value::String(path))) => match PatchPath::parse(path) {
                Ok(parsed) if names_target(view, target, parsed.attr.urn.as_deref(), &parsed.attr.name) => {
                    in_target(&parsed, given, value, &at, &top.clone().index(i).key(path_key))
                }
                _ => None,
            },
            Some((_, path)) if !path.is_null() => None,
            _ => in_attributes(view, target, given, value, &at, true),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// A write naming the target by `path` with the value `given` (at `at`; the path at `path_at`).
fn in_target(path: &PatchPath, given: &Value, value: &str, at: &Location, path_at: &Location) -> Option<Location> {
    match path.attr.sub.as_deref() {
        None => {
            if let Some(found) = in_entries(given, value, at) {
                return Some(found);
            }
        }
        Some(sub) if sub.eq_ignore_ascii_case("value") && given.as_str() == Some(value) => return Some(at.clone()),
        Some(_) => {}
    }
    // `members[value eq "…"]` adds that member when the filter matches none.
    path.filter.as_ref().filter(|f| filter_names(f, value)).map(|_| path_at.clone())
}

/// The `value` of the entry naming `value`, in a list of entries (`at/N/value`) or one entry
/// (`at/value`).
fn in_entries(given: &Value, value: &str, at: &Location) -> Option<Location> {
    match given {
        Value::Array(entries) => {
            entries.iter().enumerate().find_map(|(i, entry)| named(entry, value).map(|k| at.clone().index(i).key(k)))
        }
        entry => named(entry, value).map(|k| at.clone().key(k)),
    }
}

/// The key of `entry`'s `value` member, when it is `value`.
fn named<'v>(entry: &'v Value, value: &str) -> Option<&'v str> {
    entry.as_object().and_then(|o| member(o, "value")).filter(|(_, v)| v.as_str() == Some(value)).map(|(k, _)| k)
}

/// Whether a value filter says `value eq "<value>"`, alone or in an `and`.
fn filter_names(filter: &Filter, value: &str) -> bool {
    match filter {
        Filter::And(parts) => parts.iter().any(|f| filter_names(f, value)),
        Filter::Compare { path, op: CompareOp::Eq, value: Literal::String(s) } => {
            path.urn.is_none() && path.sub.is_none() && path.name.eq_ignore_ascii_case("value") && s == value
        }
        _ => false,
    }
}
