//! Laws of PATCH over generated resources: `apply(old, diff(old, new)) == new`, and a request
//! whose last operation fails leaves the resource exactly as it was.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use proptest::prelude::*;
use scimkit::Registry;
use scimkit::patch::{PatchOptions, apply_patch, diff};
use serde_json::{Map, Value, json};

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["ada", "Bob", "ÉLODIE", "x y", "", "q\"uote", "zoë"]).prop_map(str::to_owned)
}

fn emails() -> impl Strategy<Value = Vec<Value>> {
    let pool = vec!["a@x", "b@x", "c@x", "d@x", "e@x"];
    (prop::sample::subsequence(pool, 0..=4), prop::option::of(0_usize..4), any::<bool>()).prop_map(
        |(values, primary, typed)| {
            values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let mut e = Map::new();
                    e.insert("value".into(), json!(v));
                    if typed {
                        e.insert("type".into(), json!(if i % 2 == 0 { "work" } else { "home" }));
                    }
                    if primary == Some(i) {
                        e.insert("primary".into(), json!(true));
                    }
                    Value::Object(e)
                })
                .collect()
        },
    )
}

fn user() -> impl Strategy<Value = Value> {
    (
        word(),
        prop::option::of(word()),
        prop::option::of(any::<bool>()),
        prop::option::of(word()),
        prop::option::of(word()),
        emails(),
        prop::option::of(word()),
        prop::option::of(word()),
        Just(vec![0_u8, 1, 2]).prop_shuffle(),
    )
        .prop_map(|(user_name, display, active, given, family, emails, dept, number, order)| {
            let mut u = Map::new();
            u.insert("schemas".into(), json!([USER]));
            u.insert("id".into(), json!("u1"));
            u.insert("userName".into(), json!(format!("user-{user_name}")));
            if let Some(d) = display {
                u.insert("displayName".into(), json!(d));
            }
            if let Some(a) = active {
                u.insert("active".into(), json!(a));
            }
            let mut name = Map::new();
            if let Some(g) = given {
                name.insert("givenName".into(), json!(g));
            }
            if let Some(f) = family {
                name.insert("familyName".into(), json!(f));
            }
            if !name.is_empty() {
                u.insert("name".into(), Value::Object(name));
            }
            if !emails.is_empty() {
                // A permutation of the values, so order changes are generated too.
                let mut shuffled = emails.clone();
                if order.first() == Some(&0) {
                    shuffled.reverse();
                }
                u.insert("emails".into(), Value::Array(shuffled));
            }
            let mut ext = Map::new();
            if let Some(d) = dept {
                ext.insert("department".into(), json!(d));
            }
            if let Some(n) = number {
                ext.insert("employeeNumber".into(), json!(n));
            }
            if !ext.is_empty() {
                u.insert(ENTERPRISE.into(), Value::Object(ext));
                u.insert("schemas".into(), json!([USER, ENTERPRISE]));
            }
            Value::Object(u)
        })
}

fn group() -> impl Strategy<Value = Value> {
    let pool: Vec<String> = (0..12).map(|i| format!("m{i}")).collect();
    (prop::sample::subsequence(pool, 0..=12), any::<bool>()).prop_flat_map(|(members, displayed)| {
        Just(members).prop_shuffle().prop_map(move |members| {
            let members: Vec<Value> = members
                .iter()
                .map(|m| {
                    if displayed { json!({"value": m, "display": format!("Member {m}")}) } else { json!({"value": m}) }
                })
                .collect();
            let mut g = json!({"schemas": [GROUP], "id": "g1", "displayName": "Team"});
            if !members.is_empty() {
                g["members"] = Value::Array(members);
            }
            g
        })
    })
}

fn law(resource_type: &str, old: &Value, new: &Value) -> Result<(), TestCaseError> {
    let registry = Registry::builtin();
    let ops = diff(&registry, resource_type, old, new).unwrap();
    if ops["Operations"].as_array().is_some_and(Vec::is_empty) {
        // Nothing to send (an empty PatchOp is not a valid request, RFC 7644 §3.5.2).
        prop_assert_eq!(old, new);
        return Ok(());
    }
    let done = apply_patch(&registry, resource_type, old.clone(), &ops, &PatchOptions::default())
        .map_err(|e| TestCaseError::fail(format!("diff gave a failing PATCH {ops}: {}", e.error)))?;
    prop_assert_eq!(&done.resource, new, "ops: {}", ops);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn diff_then_apply_gives_the_new_user(old in user(), new in user()) {
        law("User", &old, &new)?;
    }

    #[test]
    fn diff_then_apply_gives_the_new_group(old in group(), new in group()) {
        law("Group", &old, &new)?;
    }

    #[test]
    fn a_failing_request_leaves_the_resource_untouched(old in user(), new in user()) {
        let registry = Registry::builtin();
        let mut ops = diff(&registry, "User", &old, &new).unwrap();
        // Whatever the diff holds, a last operation that fails undoes everything.
        ops["Operations"].as_array_mut().unwrap().push(json!({"op": "remove", "path": "userName"}));
        let failure = apply_patch(&registry, "User", old.clone(), &ops, &PatchOptions::default()).unwrap_err();
        prop_assert_eq!(&failure.resource, &old);
    }
}
