//! Laws over generated input: validation is idempotent (a normalized resource validates to
//! itself), projection never emits a `returned: never` attribute however it is asked for, and a
//! filter's canonical text parses back to the same tree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code")]

use proptest::prelude::*;
use scimkit::filter::Filter;
use scimkit::protocol::Projection;
use scimkit::{Profile, Registry, ValidateOptions, validate_json};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Names spelled in random case, as clients send them.
fn spelled(name: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<bool>(), name.len()).prop_map(move |upper| {
        name.chars().zip(upper).map(|(c, u)| if u { c.to_ascii_uppercase() } else { c }).collect()
    })
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000_i64..1000).prop_map(|n| json!(n)),
        "[a-zA-Zé ]{0,6}".prop_map(Value::String),
        Just(json!("True")),
        Just(json!([])),
        Just(json!({})),
    ]
}

/// Bodies that are sometimes valid and sometimes not: names in any case, values of any type.
fn body() -> impl Strategy<Value = Value> {
    (
        spelled("userName"),
        "[a-z]{1,8}",
        prop::option::of((spelled("displayName"), scalar())),
        prop::option::of((spelled("active"), scalar())),
        prop::option::of(prop::collection::vec(
            ("[a-c]@x", prop::option::of(prop::sample::select(vec!["work", "home", "WORK"])), any::<bool>()),
            0..4,
        )),
        prop::option::of((spelled("department"), scalar())),
        prop::option::of(scalar()),
        any::<bool>(),
    )
        .prop_map(|(user_name_key, user_name, display, active, emails, dept, password, listed)| {
            let mut b = Map::new();
            b.insert("schemas".into(), if listed { json!([USER, ENTERPRISE]) } else { json!([USER]) });
            b.insert(user_name_key, json!(user_name));
            if let Some((k, v)) = display {
                b.insert(k, v);
            }
            if let Some((k, v)) = active {
                b.insert(k, v);
            }
            if let Some(list) = emails {
                let items: Vec<Value> = list
                    .into_iter()
                    .map(|(v, t, p)| {
                        let mut e = json!({"value": v});
                        if let Some(t) = t {
                            e["type"] = json!(t);
                        }
                        if p {
                            e["primary"] = json!(true);
                        }
                        e
                    })
                    .collect();
                b.insert("emails".into(), Value::Array(items));
            }
            if let Some((k, v)) = dept {
                b.insert(ENTERPRISE.into(), json!({k: v}));
            }
            if let Some(p) = password {
                b.insert("password".into(), p);
            }
            Value::Object(b)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn validating_a_normalized_resource_changes_nothing(body in body(), compat in any::<bool>()) {
        let registry = Registry::builtin();
        let profile = if compat { Profile::compat() } else { Profile::strict() };
        let options = ValidateOptions { profile, ..ValidateOptions::default() };
        if let Ok(first) = validate_json(&registry, "User", &body.to_string(), &options) {
            let second = validate_json(&registry, "User", &first.resource.to_string(), &options).unwrap();
            prop_assert_eq!(&second.resource, &first.resource);
            prop_assert!(second.notes.is_empty(), "normalizing twice noted {:?}", second.notes);
        }
    }

    #[test]
    fn projection_never_emits_a_never_returned_attribute(
        attributes in prop::collection::vec(prop::sample::select(vec![
            "password", "PASSWORD", "urn:ietf:params:scim:schemas:core:2.0:User:password",
            "urn:ietf:params:scim:schemas:core:2.0:User", "userName", "emails.value", "name", "id", "nope",
        ]), 0..4),
        excluded in prop::collection::vec(prop::sample::select(vec!["userName", "emails", "password", "id"]), 0..3),
    ) {
        let registry = Registry::builtin();
        let view = registry.resource_type("User").unwrap();
        let stored = json!({"schemas": [USER], "id": "1", "userName": "a", "password": "s3cret",
                            "emails": [{"value": "a@x"}], "name": {"givenName": "A"}});
        // Both lists at once is refused; each alone must never leak.
        for (a, e) in [(attributes.clone(), Vec::new()), (Vec::new(), excluded.clone())] {
            if let Ok(projection) = Projection::compile(view, &a, &e) {
                let out = projection.apply(&stored);
                prop_assert!(!out.to_string().contains("s3cret"), "{:?} {:?} leaked {}", a, e, out);
                prop_assert_eq!(&out["id"], &json!("1"), "`id` is always returned");
            }
        }
    }

    #[test]
    fn canonical_text_parses_to_the_same_filter(
        parts in prop::collection::vec((
            prop::sample::select(vec!["userName", "name.givenName", "emails", "meta.created", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "x"]),
            prop::sample::select(vec!["eq", "NE", "co", "Sw", "ew", "gt", "ge", "lt", "le", "pr"]),
            prop_oneof![
                "[a-z\"\\\\é]{0,5}".prop_map(|s| serde_json::to_string(&s).unwrap()),
                (-99_i64..99).prop_map(|n| n.to_string()),
                Just("true".to_owned()), Just("null".to_owned()), Just("1.5e3".to_owned()),
            ],
            prop::sample::select(vec!["and", "OR", "and not (", "or ("]),
        ), 1..6),
    ) {
        let mut text = String::new();
        let mut open = 0;
        for (i, (path, op, value, join)) in parts.iter().enumerate() {
            if i > 0 {
                write!(text, " {join} ").unwrap();
                if join.ends_with('(') {
                    open += 1;
                }
            }
            if *op == "pr" {
                write!(text, "{path} pr").unwrap();
            } else {
                write!(text, "{path} {op} {value}").unwrap();
            }
        }
        text.push_str(&")".repeat(open));
        if let Ok(filter) = Filter::parse(&text) {
            let printed = filter.to_string();
            prop_assert_eq!(Filter::parse(&printed).unwrap(), filter, "{} printed as {}", text, printed);
        }
    }
}
