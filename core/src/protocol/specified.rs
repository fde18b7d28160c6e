//! The attributes a client specified in the write a response answers (RFC 7643 §7,
//! `returned: "request"`: such an attribute "is returned in response to any PUT, POST, or PATCH
//! operations if the attribute was specified by the client").
//!
//! A POST or PUT body specifies the attributes it holds — each key, each sub-attribute key of
//! a complex value (or of the values of a multi-valued one), and the same inside an extension's
//! object. A PatchOp specifies each operation's `path` (its attribute, and its sub-attribute)
//! and, for an operation without one, the keys of its value as a body's. The walk goes no
//! deeper than that (an extension's attribute's sub-attributes: three levels), so it needs no
//! depth limit; a path that does not parse, or a key no schema defines, names nothing.

use serde_json::{Map, Value};

use crate::path::PatchPath;
use crate::schema::ResourceTypeView;
use crate::validate::resource::member;

/// The attribute names (in the forms `attributes` takes: `name`, `name.sub`, `urn:…:name`,
/// `urn:…:name.sub`) that `request` — a POST/PUT body or a PatchOp — specifies.
pub(crate) fn specified_names(view: ResourceTypeView<'_>, request: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let Value::Object(members) = request else { return names };
    // A PatchOp by its `schemas`, not by a member named `operations` (a custom attribute may
    // be); without `schemas`, by an `Operations` array of objects with an `op`.
    let is_patch = match member(members, "schemas") {
        Some(Value::Array(schemas)) => {
            schemas.iter().any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(crate::urn::PATCH_OP)))
        }
        _ => match member(members, "Operations") {
            Some(Value::Array(ops)) => {
                !ops.is_empty() && ops.iter().all(|op| op.as_object().is_some_and(|o| member(o, "op").is_some()))
            }
            _ => false,
        },
    };
    if !is_patch {
        body_names(view, members, &mut names);
        return names;
    }
    if let Some(Value::Array(operations)) = member(members, "Operations") {
        for op in operations.iter().filter_map(Value::as_object) {
            match (member(op, "path"), member(op, "value")) {
                (Some(Value::String(path)), value) => path_names(view, path, value, &mut names),
                (None, Some(Value::Object(value))) => body_names(view, value, &mut names),
                _ => {}
            }
        }
    }
    names
}

/// The keys of a body (or of a path-less PATCH value), and those of its complex values.
fn body_names(view: ResourceTypeView<'_>, body: &Map<String, Value>, names: &mut Vec<String>) {
    for (key, value) in body {
        match view.extension(key) {
            Some((schema, _)) => extension_names(schema.id(), value, names),
            None => with_subs(key, value, names),
        }
    }
}

/// An extension's object: its attributes (and theirs), under the extension's URN.
fn extension_names(urn: &str, value: &Value, names: &mut Vec<String>) {
    if let Value::Object(attributes) = value {
        for (name, value) in attributes {
            with_subs(&format!("{urn}:{name}"), value, names);
        }
    }
}

/// `name` (and, for `parent.sub`, the parent), and `name.sub` for each key of its complex
/// value or values, each once (a Group of 100,000 members gives `members.value` once).
fn with_subs(name: &str, value: &Value, names: &mut Vec<String>) {
    // The attribute part: after an URN's last `:` (a URN holds dots, `2.0`).
    let attribute_part = name.rsplit_once(':').map_or(name, |(_, a)| a);
    if let Some((parent, _)) = attribute_part.split_once('.') {
        let cut = name.len() - attribute_part.len() + parent.len();
        names.push(name.get(..cut).unwrap_or(name).to_owned());
    }
    names.push(name.to_owned());
    let values: Vec<&Map<String, Value>> = match value {
        Value::Object(one) => vec![one],
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    };
    let subs: std::collections::BTreeSet<&String> = values.into_iter().flat_map(Map::keys).collect();
    for sub in subs {
        names.push(format!("{name}.{sub}"));
    }
}

/// A PATCH path's attribute (and sub-attribute), and the keys of a complex value written there;
/// a path that is an extension's URN, the attributes of the object written there.
fn path_names(view: ResourceTypeView<'_>, path: &str, value: Option<&Value>, names: &mut Vec<String>) {
    if let Some((schema, _)) = view.extension(path) {
        extension_names(schema.id(), value.unwrap_or(&Value::Null), names);
        return;
    }
    let Ok(parsed) = PatchPath::parse(path) else { return };
    let attr = &parsed.attr;
    let name = match &attr.urn {
        Some(urn) => format!("{urn}:{}", attr.name),
        None => attr.name.clone(),
    };
    match &attr.sub {
        Some(sub) => {
            names.push(name.clone());
            names.push(format!("{name}.{sub}"));
        }
        None => with_subs(&name, value.unwrap_or(&Value::Null), names),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::specified_names;
    use crate::Registry;

    #[test]
    fn bodies_and_patch_operations_name_what_they_write() {
        let registry = Registry::builtin();
        let view = registry.resource_type("User").unwrap();
        let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        let body = json!({"userName": "a", "name": {"givenName": "A"}, "emails": [{"value": "a@x"}], enterprise: {"manager": {"value": "m"}}});
        let names = specified_names(view, &body);
        for want in ["userName", "name.givenName", "emails.value", &format!("{enterprise}:manager.value")] {
            assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
        }
        let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "b@x"},
            {"op": "add", "path": "name", "value": {"familyName": "B"}},
            {"op": "replace", "value": {"title": "T"}},
            {"op": "remove", "path": "not a [path"}
        ]});
        let names = specified_names(view, &patch);
        for want in ["emails", "emails.value", "name.familyName", "title"] {
            assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
        }
        assert!(specified_names(view, &json!("text")).is_empty());
        // A whole extension written by path; a dotted key of a path-less value names its parent.
        let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
            {"op": "replace", "path": enterprise, "value": {"costCenter": "c", "manager": {"value": "m"}}},
            {"op": "replace", "value": {"name.middleName": "Q"}}
        ]});
        let names = specified_names(view, &patch);
        for want in [
            format!("{enterprise}:costCenter"),
            format!("{enterprise}:manager.value"),
            "name".into(),
            "name.middleName".into(),
        ] {
            assert!(names.contains(&want), "{want} in {names:?}");
        }
        // A body whose attribute is called `operations` is a body.
        let names = specified_names(view, &json!({"operations": ["a"], "title": "T"}));
        assert!(names.iter().any(|n| n == "title"), "{names:?}");
    }
}
