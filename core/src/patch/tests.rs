//! Behaviour of PATCH as identity providers drive it.

use serde_json::{Value, json};

use super::*;
use crate::{Profile, Registry, ScimType, urn};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn user() -> Value {
    json!({
        "schemas": [urn::USER],
        "id": "u1",
        "userName": "avery@example.com",
        "active": true,
        "displayName": "Avery",
        "name": {"givenName": "Avery", "familyName": "Chen"},
        "emails": [{"value": "avery@example.com", "type": "work", "primary": true}],
        "meta": {"resourceType": "User", "created": "2024-01-01T00:00:00Z"}
    })
}

fn ops(list: &Value) -> Value {
    json!({"schemas": [urn::PATCH_OP], "Operations": list})
}

fn apply(resource: Value, list: &Value, profile: Profile) -> Result<Patched, PatchFailure> {
    let options = PatchOptions { profile, ..PatchOptions::default() };
    apply_patch(&Registry::builtin(), "User", resource, &ops(list), &options)
}

fn group(members: usize) -> Value {
    let members: Vec<Value> =
        (0..members).map(|i| json!({"value": format!("m{i}"), "display": format!("Member {i}")})).collect();
    json!({"schemas": [urn::GROUP], "id": "g1", "displayName": "Team", "members": members})
}

#[test]
fn entra_six_operation_user_patch() {
    let list = json!([
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "avery.chen@example.com"},
        {"op": "Add", "path": "phoneNumbers", "value": [{"value": "+1 555 0100", "type": "work"}]},
        {"op": "Replace", "path": format!("{ENTERPRISE}:manager"), "value": "m-42"},
        {"op": "Replace", "path": "displayName", "value": "Avery Chen"},
        {"op": "Add", "path": format!("{ENTERPRISE}:department"), "value": "Finance"}
    ]);
    assert!(apply(user(), &list, Profile::strict()).is_err(), "strict refuses `Replace` and string booleans");
    let done = apply(user(), &list, Profile::entra()).unwrap();
    let r = &done.resource;
    assert_eq!(r["active"], false);
    assert_eq!(r["emails"][0]["value"], "avery.chen@example.com");
    assert_eq!(r["phoneNumbers"][0]["type"], "work");
    assert_eq!(r[ENTERPRISE]["manager"], json!({"value": "m-42"}));
    assert_eq!(r[ENTERPRISE]["department"], "Finance");
    assert_eq!(r["schemas"], json!([urn::USER, ENTERPRISE]));
    let fired: Vec<_> = done.quirks.iter().filter_map(|n| n.quirk).collect();
    assert!(fired.contains(&crate::Quirk::OpCase) && fired.contains(&crate::Quirk::StringBooleans));
    assert!(fired.contains(&crate::Quirk::ManagerString));
}

#[test]
fn a_failing_operation_leaves_the_resource_untouched() {
    let list = json!([
        {"op": "replace", "path": "displayName", "value": "Changed"},
        {"op": "remove", "path": "emails[type eq \"work\"]"},
        {"op": "add", "path": "name.givenName", "value": 7}
    ]);
    let failure = apply(user(), &list, Profile::strict()).unwrap_err();
    assert_eq!(failure.error.scim_type(), Some(ScimType::InvalidValue));
    assert_eq!(failure.error.location().unwrap().as_str(), "/Operations/2/value");
    assert_eq!(failure.resource, user());
}

#[test]
fn read_only_resent_unchanged_is_not_an_error() {
    let list = json!([{"op": "replace", "value": {"id": "u1", "displayName": "A"}}]);
    let done = apply(user(), &list, Profile::strict()).unwrap();
    assert_eq!(done.resource["displayName"], "A");
    let list = json!([{"op": "replace", "value": {"id": "other"}}]);
    assert_eq!(apply(user(), &list, Profile::strict()).unwrap_err().error.scim_type(), Some(ScimType::Mutability));
    assert!(apply(user(), &list, Profile::okta()).is_ok(), "okta's id in a path-less value is ignored");
}

#[test]
fn new_primary_demotes_the_old_one() {
    let list = json!([{"op": "add", "path": "emails", "value": [{"value": "b@x", "type": "home", "primary": true}]}]);
    let done = apply(user(), &list, Profile::strict()).unwrap();
    assert_eq!(done.resource["emails"][0]["primary"], false);
    assert_eq!(done.resource["emails"][1]["primary"], true);
}

#[test]
fn filter_miss_is_no_target_or_creates_under_the_rule() {
    let list = json!([{"op": "replace", "path": "emails[type eq \"home\"].value", "value": "h@x"}]);
    assert_eq!(apply(user(), &list, Profile::strict()).unwrap_err().error.scim_type(), Some(ScimType::NoTarget));
    let done = apply(user(), &list, Profile::compat()).unwrap();
    assert_eq!(done.resource["emails"][1], json!({"type": "home", "value": "h@x"}));
}

#[test]
fn remove_members_by_filter_and_by_value() {
    let registry = Registry::builtin();
    let remove_one = ops(&json!([{"op": "remove", "path": "members[value eq \"m5\"]"}]));
    let done = apply_patch(&registry, "Group", group(10), &remove_one, &PatchOptions::default()).unwrap();
    assert_eq!(done.resource["members"].as_array().unwrap().len(), 9);
    assert_eq!(done.changes[0].removed, vec![json!({"value": "m5", "display": "Member 5"})]);

    let by_value = ops(&json!([{"op": "remove", "path": "members", "value": [{"value": "m1"}, {"value": "m2"}]}]));
    let strict = apply_patch(&registry, "Group", group(10), &by_value, &PatchOptions::default()).unwrap_err();
    assert_eq!(strict.error.scim_type(), Some(ScimType::InvalidSyntax), "strict never wipes the group");
    let entra = PatchOptions { profile: Profile::entra(), ..PatchOptions::default() };
    let done = apply_patch(&registry, "Group", group(10), &by_value, &entra).unwrap();
    assert_eq!(done.resource["members"].as_array().unwrap().len(), 8);
}

#[test]
fn adding_an_existing_member_does_not_duplicate_it() {
    let registry = Registry::builtin();
    let add = ops(&json!([{"op": "add", "path": "members", "value": [{"value": "m3"}, {"value": "new"}]}]));
    let done = apply_patch(&registry, "Group", group(5), &add, &PatchOptions::default()).unwrap();
    assert_eq!(done.resource["members"].as_array().unwrap().len(), 6);
    assert_eq!(done.changes[0].added, vec![json!({"value": "new"})]);
}

#[test]
fn every_path_form() {
    let list = json!([
        {"op": "replace", "path": "name.givenName", "value": "Ava"},
        {"op": "remove", "path": "name.familyName"},
        {"op": "add", "path": "urn:ietf:params:scim:schemas:core:2.0:User:title", "value": "Engineer"},
        {"op": "replace", "path": "emails[type eq \"work\"]", "value": {"value": "w@x", "type": "work"}},
        {"op": "add", "path": ENTERPRISE, "value": {"employeeNumber": "7"}},
        {"op": "replace", "path": "emails.display", "value": "mail"},
        {"op": "remove", "path": "displayName"}
    ]);
    let r = apply(user(), &list, Profile::strict()).unwrap().resource;
    assert_eq!(r["name"], json!({"givenName": "Ava"}));
    assert_eq!(r["title"], "Engineer");
    assert_eq!(r["emails"], json!([{"value": "w@x", "type": "work", "display": "mail"}]));
    assert_eq!(r[ENTERPRISE]["employeeNumber"], "7");
    assert!(r.get("displayName").is_none());
    let list = json!([{"op": "remove", "path": ENTERPRISE}]);
    let r = apply(r, &list, Profile::strict()).unwrap().resource;
    assert!(r.get(ENTERPRISE).is_none());
    assert_eq!(r["schemas"], json!([urn::USER]));
}

#[test]
fn path_keys_in_value_need_the_rule() {
    let list = json!([{"op": "replace", "value": {"name.givenName": "G", "emails[type eq \"work\"].value": "x@y"}}]);
    assert_eq!(apply(user(), &list, Profile::strict()).unwrap_err().error.scim_type(), Some(ScimType::InvalidPath));
    let r = apply(user(), &list, Profile::entra()).unwrap().resource;
    assert_eq!(r["name"]["givenName"], "G");
    assert_eq!(r["emails"][0]["value"], "x@y");
}

#[test]
fn required_and_read_only_cannot_be_removed() {
    let e = apply(user(), &json!([{"op": "remove", "path": "userName"}]), Profile::strict()).unwrap_err();
    assert_eq!(e.error.scim_type(), Some(ScimType::Mutability));
    let e = apply(user(), &json!([{"op": "remove", "path": "meta"}]), Profile::strict()).unwrap_err();
    assert_eq!(e.error.scim_type(), Some(ScimType::Mutability));
    let e = apply(user(), &json!([{"op": "remove", "path": "nope"}]), Profile::strict()).unwrap_err();
    assert_eq!(e.error.scim_type(), Some(ScimType::InvalidPath));
    assert_eq!(e.error.location().unwrap().as_str(), "/Operations/0/path");
}

#[test]
fn a_stored_resource_nested_too_deep_is_refused_untouched() {
    let mut deep = json!("x");
    for _ in 0..200 {
        deep = json!([deep]);
    }
    let mut resource = user();
    resource["title"] = deep;
    let failure =
        apply(resource.clone(), &json!([{"op": "replace", "path": "displayName", "value": "A"}]), Profile::strict())
            .unwrap_err();
    assert_eq!(failure.error.scim_type(), Some(ScimType::InvalidValue));
    assert_eq!(failure.resource, resource);
    let registry = Registry::builtin();
    assert!(diff(&registry, "User", &resource, &user()).is_err());
}

#[test]
fn a_stored_resource_read_from_text_is_held_to_the_depth_limit_once() {
    // Text resources are read by the strict reader under the PATCH's limits and not walked
    // again; a resource given as a value is walked. Both refuse the same depth.
    let registry = crate::Registry::builtin();
    let request = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","path":"displayName","value":"x"}]}"#;
    // The request itself nests three deep (object, array, object).
    let at_limit = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u","emails":[{"value":"u@example.com"}]}"#;
    let too_deep =
        r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u","emails":[{"value":{"x":1}}]}"#;
    let options = r#"{"limits":{"maxDepth":3}}"#;
    let done = crate::api::patch_text(&registry, "User", at_limit, request, options);
    assert_eq!(done.map(|p| p.resource["displayName"].clone()).ok(), Some(json!("x")));
    let refused = crate::api::patch_text(&registry, "User", too_deep, request, options).unwrap_err();
    assert_eq!(refused.scim_type(), Some(ScimType::InvalidValue));
    assert!(refused.detail().contains("deeper than the limit of 3"), "{}", refused.detail());
    let value: Value = serde_json::from_str(too_deep).unwrap();
    let opts =
        PatchOptions { limits: crate::Limits { max_depth: 3, ..crate::Limits::default() }, ..PatchOptions::default() };
    let refused = crate::patch::apply_patch_json(&registry, "User", value, request, &opts).unwrap_err();
    assert!(refused.error.detail().contains("deeper than the limit of 3"), "{}", refused.error.detail());
}

#[test]
fn an_extension_attribute_written_without_its_urn_names_the_urn_to_write() {
    let write = format!("write `{ENTERPRISE}:manager`");
    for list in [
        json!([{"op": "add", "path": "manager", "value": {"value": "m1"}}]),
        json!([{"op": "add", "value": {"manager": {"value": "m1"}}}]),
    ] {
        let failure = apply(user(), &list, Profile::compat()).unwrap_err();
        assert!(failure.error.detail().contains(&write), "{}", failure.error.detail());
    }
    // A sub-attribute of the same name is no extension's: no hint.
    let failure =
        apply(user(), &json!([{"op": "add", "path": "name.manager", "value": "x"}]), Profile::compat()).unwrap_err();
    assert!(!failure.error.detail().contains("extension"), "{}", failure.error.detail());
}

#[test]
fn a_stored_resource_already_without_a_required_attribute_is_named_as_such() {
    let mut stored = user();
    stored.as_object_mut().unwrap().remove("userName");
    let e = apply(stored, &json!([{"op": "replace", "path": "title", "value": "Ops"}]), Profile::strict()).unwrap_err();
    assert_eq!(e.error.scim_type(), Some(ScimType::InvalidValue));
    assert!(e.error.detail().contains("the stored resource has no `userName`"), "{}", e.error.detail());
    let e = apply(user(), &json!([{"op": "remove", "path": "userName"}]), Profile::strict()).unwrap_err();
    assert_eq!(e.error.scim_type(), Some(ScimType::Mutability));
}
