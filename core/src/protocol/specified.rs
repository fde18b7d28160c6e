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

/// The attribute names (in the forms `attributes` takes: `name`, `name.sub`, `urn:…:name`,
/// `urn:…:name.sub`) that `request` — a POST/PUT body or a PatchOp — specifies.
pub(crate) fn specified_names(view: ResourceTypeView<'_>, request: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let Value::Object(members) = request else { return names };
    let operations = members.iter().find(|(k, _)| k.eq_ignore_ascii_case("Operations")).map(|(_, v)| v);
    match operations {
        Some(Value::Array(operations)) => {
            for op in operations.iter().filter_map(Value::as_object) {
                let member = |name: &str| op.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v);
                match (member("path").and_then(Value::as_str), member("value")) {
                    (Some(path), value) => path_names(path, value, &mut names),
                    (None, Some(Value::Object(value))) => body_names(view, value, &mut names),
                    (None, _) => {}
                }
            }
        }
        Some(_) => {}
        None => body_names(view, members, &mut names),
    }
    names
}

/// The keys of a body (or of a path-less PATCH value), and those of its complex values.
fn body_names(view: ResourceTypeView<'_>, body: &Map<String, Value>, names: &mut Vec<String>) {
    for (key, value) in body {
        match view.extension(key) {
            // An extension's object: its attributes, under its URN.
            Some((schema, _)) => {
                if let Value::Object(attributes) = value {
                    for (name, value) in attributes {
                        with_subs(&format!("{}:{name}", schema.id()), value, names);
                    }
                }
            }
            None => with_subs(key, value, names),
        }
    }
}

/// `name`, and `name.sub` for each key of its complex value or values.
fn with_subs(name: &str, value: &Value, names: &mut Vec<String>) {
    names.push(name.to_owned());
    let values: Vec<&Map<String, Value>> = match value {
        Value::Object(one) => vec![one],
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    };
    for sub in values.into_iter().flat_map(Map::keys) {
        names.push(format!("{name}.{sub}"));
    }
}

/// A PATCH path's attribute (and sub-attribute), and the keys of a complex value written there.
fn path_names(path: &str, value: Option<&Value>, names: &mut Vec<String>) {
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
    }
}
