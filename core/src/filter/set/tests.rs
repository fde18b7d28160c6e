//! A set must give exactly what the plain evaluator gives: over generated filters and
//! resources (schema-less), over typed User filters, and on the edges.

use serde_json::{Value, json};

use super::ResourceSet;
use crate::filter::CheckedFilter;
use crate::filter::tests::Gen;
use crate::{Filter, Registry};

fn one_by_one(filter: &CheckedFilter, resources: &[Value]) -> Vec<usize> {
    resources.iter().enumerate().filter(|(_, r)| filter.matches(r)).map(|(i, _)| i).collect()
}

const KEYS: &[&str] = &[
    "userName",
    "USERNAME",
    "a",
    "A",
    "Not",
    "not",
    "OR",
    "x-y_z9",
    "emails",
    "EMAILS",
    "members",
    "$ref",
    "value",
    "Value",
    "type",
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:x:Y.1:z",
    "URN:X:Y.1:Z",
];

/// The string pieces of the filter generator's literals, and some in another case.
const PIECES: &[&str] = &[
    "", "a", "A", "\"", "\\", "/", "\n", "\u{1}", "é", "É", "😀", " and ", ")", "]", "\u{2028}", "\u{7f}", "\u{212a}",
    "k",
];

fn scalar(g: &mut Gen) -> Value {
    match g.below(10) {
        0 => Value::Null,
        1 => Value::Bool(g.below(2) == 0),
        2 => serde_json::from_str(g.pick(&["0", "-0", "1.5e-7", "9007199254740993", "-12.0E+3", "-12000", "0.0"]))
            .unwrap(),
        3 => json!(g.pick(&[
            "2011-05-13T04:42:34Z",
            "2011-05-13T04:42:34.5-07:00",
            "2011-05-13t11:42:34.50Z",
            "2011-05-13T04:42:34",
            "1999-12-31T23:59:60Z",
        ])),
        _ => {
            let n = g.below(4);
            Value::String((0..n).map(|_| g.pick(PIECES)).collect())
        }
    }
}

fn value(g: &mut Gen, depth: usize) -> Value {
    match g.below(6) {
        0 if depth > 0 => Value::Array((0..g.below(4)).map(|_| value(g, depth - 1)).collect()),
        1 | 2 if depth > 0 => object(g, depth - 1),
        _ => scalar(g),
    }
}

fn object(g: &mut Gen, depth: usize) -> Value {
    let mut map = serde_json::Map::new();
    for _ in 0..g.below(6) {
        let key = g.pick(KEYS);
        let v = value(g, depth);
        map.insert(key.to_owned(), v);
    }
    Value::Object(map)
}

fn resources(g: &mut Gen, n: usize) -> Vec<Value> {
    (0..n).map(|_| if g.below(25) == 0 { scalar(g) } else { object(g, 3) }).collect()
}

#[test]
fn generated_filters_agree_with_the_plain_evaluator() {
    let mut g = Gen(23);
    // How many filters matched some but not all resources: the comparison must mean something.
    let mut split = 0;
    for _ in 0..20 {
        let all = resources(&mut g, 80);
        let set = ResourceSet::new(all.clone());
        for _ in 0..300 {
            let filter = g.filter(4, false);
            let checked = filter.without_schema();
            let expected = one_by_one(&checked, &all);
            assert_eq!(set.matching(&checked), expected, "{filter}");
            split += usize::from(!expected.is_empty() && expected.len() < all.len());
        }
    }
    assert!(split > 1500, "{split}");
}

fn user(i: usize) -> Value {
    let kind = ["Employee", "Intern", "Contractor"][i % 3];
    let mut u = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": format!("{i:08x}"),
        "externalId": format!("ext-{i}"),
        "userName": format!("User{i}@Example.com"),
        "name": {"givenName": format!("Given{i}"), "familyName": format!("Family{}", i % 100)},
        "userType": kind,
        "active": i % 5 != 0,
        "emails": [
            {"value": format!("user{i}@example.com"), "type": "work", "primary": true},
            {"value": format!("u{i}@home.example.org"), "type": "home"}
        ],
        "meta": {"lastModified": format!("2011-06-{:02}T04:42:34.{:03}+02:00", 1 + i % 28, i % 1000)}
    });
    if let Some(m) = u.as_object_mut() {
        match i % 7 {
            0 => {
                m.insert("title".into(), json!("Tour Guide"));
                m.insert(
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User".into(),
                    json!({"employeeNumber": i.to_string(), "manager": {"value": "boss"}}),
                );
            }
            1 => {
                m.insert("title".into(), json!(""));
                m.insert("EMAILS".into(), json!({"value": "x@example.com", "type": "WORK"}));
            }
            2 => {
                m.insert("emails".into(), json!({"value": "single@example.com", "type": "work"}));
                m.insert("x509Certificates".into(), json!([{"value": "AAAA"}]));
            }
            3 => {
                m.insert("meta".into(), json!({"lastModified": "not a date", "created": 5}));
                m.insert("phoneNumbers".into(), json!([]));
            }
            4 => {
                m.insert("userName".into(), json!(7));
                m.insert("ims".into(), json!([{"value": "élodie", "type": "xmpp"}, "loose", null]));
            }
            _ => {}
        }
    }
    u
}

const TYPED: &[&str] = &[
    r#"userName eq "USER77@EXAMPLE.COM""#,
    r#"emails[type eq "work" and value ew "@example.com"] and active eq true"#,
    r#"meta.lastModified gt "2011-06-15T00:00:00Z" and userType ne "Intern""#,
    r#"title pr and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber sw "4""#,
    r#"name.familyName co "ily9" or externalId eq "ext-5""#,
    r#"emails[type eq "work"] or emails.value co "single""#,
    r#"not (emails[type eq "work" and not (value sw "u")])"#,
    r#"emails co "EXAMPLE.COM" and not (title pr)"#,
    "title eq null or meta.lastModified ne null",
    r#"meta.lastModified le "2011-06-03T02:42:34.002Z" or meta.created eq "2011-01-01T00:00:00Z""#,
    r#"ims[value eq "ÉLODIE"] or ims.type eq "XMPP" or phoneNumbers pr or x509Certificates.value eq "AAAA""#,
    r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "boss""#,
    r#"schemas eq "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER" and id lt "00000010""#,
    "active eq false or emails.primary eq true",
    r#"userName gt "user5" and userName le "USER7""#,
];

#[test]
fn typed_filters_agree_with_the_plain_evaluator() {
    let registry = Registry::builtin();
    let view = registry.resource_type("User").unwrap();
    let users: Vec<Value> = (0..700).map(user).collect();
    let set = ResourceSet::new(users.clone());
    // Twice over: the second round reads the columns the first built.
    for _ in 0..2 {
        for text in TYPED {
            let checked = Filter::parse(text).unwrap().check(&view).unwrap();
            assert_eq!(set.matching(&checked), one_by_one(&checked, &users), "{text}");
            let untyped = Filter::parse(text).unwrap().without_schema();
            assert_eq!(set.matching(&untyped), one_by_one(&untyped, &users), "{text} (without a schema)");
        }
    }
}

#[test]
fn columns_read_on_threads_are_the_same() {
    let registry = Registry::builtin();
    let view = registry.resource_type("User").unwrap();
    // 3 threads over 10,000 users (and 20,000-odd emails): parts of 3,334 and 3,332 owners.
    let users: Vec<Value> = (0..10_000).map(user).collect();
    let set = ResourceSet::new(users.clone()).with_threads(3);
    for text in TYPED {
        let checked = Filter::parse(text).unwrap().check(&view).unwrap();
        assert_eq!(set.matching(&checked), one_by_one(&checked, &users), "{text}");
    }
    // More threads than the set has parts of 4,096 owners: fewer are used.
    let few = ResourceSet::new(users[..5000].to_vec()).with_threads(8);
    let checked = Filter::parse(TYPED[2]).unwrap().check(&view).unwrap();
    assert_eq!(few.matching(&checked), one_by_one(&checked, &users[..5000]));
    assert_eq!(ResourceSet::new(Vec::new()).with_threads(0).matching(&checked), Vec::<usize>::new());
}

#[test]
fn edges() {
    let empty = ResourceSet::new(Vec::new());
    let pr = Filter::parse("a pr").unwrap().without_schema();
    assert!(empty.is_empty());
    assert_eq!(empty.matching(&pr), Vec::<usize>::new());
    let not = Filter::parse("not (a pr)").unwrap().without_schema();
    // 130 resources: the bit sets span three words, the last one partly.
    let all: Vec<Value> = (0..130)
        .map(|i| {
            if i % 3 == 0 {
                json!({"a": i})
            } else if i % 3 == 1 {
                json!(i)
            } else {
                json!({})
            }
        })
        .collect();
    let set = ResourceSet::from(all.clone());
    assert_eq!(set.len(), 130);
    assert_eq!(set.resources(), all.as_slice());
    assert_eq!(set.matching(&pr), one_by_one(&pr, &all));
    assert_eq!(set.matching(&not), one_by_one(&not, &all));
    assert_eq!(set.matching(&not).len(), 86);
    assert!(format!("{set:?}").contains("len: 130"));
}

#[test]
fn the_kept_columns_are_bounded() {
    let all: Vec<Value> = (0..50).map(|i| json!({format!("a{}", i % 7): i, "emails": [{"value": i}]})).collect();
    let set = ResourceSet::new(all.clone());
    // 300 attributes, one after another, and value paths among them: the set starts over when
    // it holds 128 columns and spaces, and every answer stays right.
    for i in 0..300 {
        let text = if i % 10 == 0 {
            format!("emails[value eq {i}] or a{i} pr")
        } else {
            format!("a{} eq {i} or a{i} pr", i % 7)
        };
        let checked = Filter::parse(&text).unwrap().without_schema();
        assert_eq!(set.matching(&checked), one_by_one(&checked, &all), "{text}");
        let kept = set.cache.lock().map(|c| c.columns.len() + c.spaces.len()).unwrap();
        assert!(kept <= super::KEPT, "{kept}");
    }
}
