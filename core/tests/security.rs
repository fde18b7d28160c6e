//! Security semantics: an attribute is resolved to its schema definition before any mutability
//! or `returned` rule applies, so no spelling (case, URN-qualified, dotted, value path) gets
//! around read-only or leaks a write-only value; errors never echo more than a short excerpt.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use scimkit::patch::{PatchOptions, apply_patch};
use scimkit::protocol::Projection;
use scimkit::{EXCERPT_CHARS, Mode, Profile, Registry, ScimType, ValidateOptions, validate_json};
use serde_json::{Value, json};
use std::fmt::Write as _;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn stored() -> Value {
    json!({
        "schemas": [USER], "id": "u1", "userName": "bjensen", "password": "s3cret",
        "meta": {"resourceType": "User", "created": "2024-01-01T00:00:00Z"},
        "groups": [{"value": "g1", "display": "Admins"}]
    })
}

fn patch(ops: &Value, profile: Profile) -> Result<Value, scimkit::Error> {
    let request = json!({"schemas": [PATCH_OP], "Operations": ops});
    let options = PatchOptions { profile, ..PatchOptions::default() };
    apply_patch(&Registry::builtin(), "User", stored(), &request, &options).map(|p| p.resource).map_err(|f| f.error)
}

#[test]
fn read_only_cannot_be_written_under_any_spelling() {
    let attempts = [
        json!([{"op": "replace", "path": "id", "value": "evil"}]),
        json!([{"op": "replace", "path": "ID", "value": "evil"}]),
        json!([{"op": "replace", "path": format!("{USER}:id"), "value": "evil"}]),
        json!([{"op": "replace", "path": format!("{}:Id", USER.to_uppercase()), "value": "evil"}]),
        json!([{"op": "replace", "value": {"iD": "evil"}}]),
        json!([{"op": "replace", "value": {format!("{USER}:id"): "evil"}}]),
        json!([{"op": "replace", "path": "meta.created", "value": "2030-01-01T00:00:00Z"}]),
        json!([{"op": "replace", "path": "META.Created", "value": "2030-01-01T00:00:00Z"}]),
        json!([{"op": "add", "path": "groups", "value": [{"value": "g2"}]}]),
        json!([{"op": "add", "value": {"Groups": [{"value": "g2"}]}}]),
        json!([{"op": "remove", "path": "groups[value eq \"g1\"]"}]),
        json!([{"op": "replace", "path": "groups[value eq \"g1\"].display", "value": "x"}]),
        json!([{"op": "remove", "path": "meta"}]),
    ];
    for ops in attempts {
        for profile in [Profile::strict(), Profile::compat()] {
            match patch(&ops, profile) {
                Err(e) => assert_eq!(e.scim_type(), Some(ScimType::Mutability), "{ops}: {e}"),
                Ok(r) => {
                    // The compat `pathKeysInValue`/`readOnlyInValue` rules may ignore the key, never apply it.
                    assert_eq!(r["id"], "u1", "{ops}");
                    assert_eq!(r["meta"], stored()["meta"], "{ops}");
                    assert_eq!(r["groups"], stored()["groups"], "{ops}");
                }
            }
        }
    }
}

#[test]
fn read_only_input_is_dropped_under_any_spelling_on_create() {
    let body = json!({
        "schemas": [USER], "userName": "a", "ID": "evil", "Meta": {"created": "2030-01-01T00:00:00Z"},
        format!("{USER}:groups"): [{"value": "g1"}]
    });
    let valid = validate_json(&Registry::builtin(), "User", &body.to_string(), &ValidateOptions::default()).unwrap();
    let keys: Vec<&String> = valid.resource.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["schemas", "userName"]);
}

#[test]
fn write_only_is_never_projected_under_any_spelling() {
    let registry = Registry::builtin();
    let view = registry.resource_type("User").unwrap();
    let requests: [(&[&str], &[&str]); 6] = [
        (&["password"], &[]),
        (&["PASSWORD"], &[]),
        (&["urn:ietf:params:scim:schemas:core:2.0:User:password"], &[]),
        (&["urn:ietf:params:scim:schemas:core:2.0:User"], &[]),
        (&[], &[]),
        (&[], &["userName"]),
    ];
    for (attributes, excluded) in requests {
        let projection = Projection::compile(view, attributes, excluded).unwrap();
        let out = projection.apply(&stored());
        assert!(out.get("password").is_none(), "{attributes:?} {excluded:?} leaked {out}");
        assert!(!out.to_string().contains("s3cret"));
    }
}

#[test]
fn write_only_in_a_response_is_an_error_under_any_spelling() {
    let registry = Registry::builtin();
    let options = ValidateOptions { mode: Mode::Response, ..ValidateOptions::default() };
    for key in ["password", "PassWord", "urn:ietf:params:scim:schemas:core:2.0:User:password"] {
        let body = json!({"schemas": [USER], "id": "1", "userName": "a", key: "x"});
        let e = validate_json(&registry, "User", &body.to_string(), &options).unwrap_err();
        assert_eq!(e.error.scim_type(), Some(ScimType::InvalidValue), "{key}");
    }
}

#[test]
fn duplicate_keys_in_any_case_are_refused() {
    let registry = Registry::builtin();
    for text in [
        r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","userName":"b"}"#,
        r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","USERNAME":"b"}"#,
        r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","name":{"givenName":"x","GIVENNAME":"y"}}"#,
    ] {
        let e = validate_json(&registry, "User", text, &ValidateOptions::default()).unwrap_err();
        assert_eq!(e.error.scim_type(), Some(ScimType::InvalidSyntax), "{text}");
    }
    let request = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"title","Path":"userName"}]}"#;
    let e =
        scimkit::patch::apply_patch_json(&registry, "User", stored(), request, &PatchOptions::default()).unwrap_err();
    assert_eq!(e.error.scim_type(), Some(ScimType::InvalidSyntax));
}

#[test]
fn error_details_quote_only_a_short_excerpt() {
    let registry = Registry::builtin();
    let huge = "x".repeat(100_000);
    let body = json!({"schemas": [USER], "userName": "a", huge.clone(): 1, "emails": [{"value": "a", "type": huge.clone(), "primary": "x"}]});
    let e = validate_json(&registry, "User", &body.to_string(), &ValidateOptions::default()).unwrap_err();
    for err in e.error.errors() {
        assert!(err.detail().chars().count() < 4 * EXCERPT_CHARS + 200, "{}", err.detail().len());
    }
    let filter = format!("userName eq \"{huge}\" and {huge} pr");
    let e = scimkit::filter::Filter::parse(&filter).unwrap_err();
    assert!(e.detail().chars().count() < 4 * EXCERPT_CHARS + 200);
}

#[test]
fn many_attacker_chosen_keys_stay_linear() {
    // 50,000 distinct keys differing only in a suffix: the duplicate check uses a sorted set,
    // not a hash table, so no choice of keys makes it quadratic.
    let mut text = String::from("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"a\"");
    for i in 0..50_000 {
        write!(text, ",\"k{i:08}\":{i}").unwrap();
    }
    text.push('}');
    let options = ValidateOptions {
        unknown_attributes: scimkit::validate::UnknownAttributes::Ignore,
        ..ValidateOptions::default()
    };
    let started = std::time::Instant::now();
    let valid = validate_json(&Registry::builtin(), "User", &text, &options).unwrap();
    assert_eq!(valid.resource.as_object().unwrap().len(), 2);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
