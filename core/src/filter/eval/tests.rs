use serde_json::{Value, json};

use crate::{Filter, Registry};

fn user_matches(filter: &str, resource: &Value) -> bool {
    let registry = Registry::builtin();
    let user = registry.resource_type("User").unwrap();
    let checked = Filter::parse(filter).unwrap().check(&user).unwrap_or_else(|e| panic!("{filter}: {}", e.detail()));
    checked.matches(resource)
}

fn both(filter: &str, resource: &Value) -> (bool, bool) {
    (user_matches(filter, resource), Filter::parse(filter).unwrap().matches(resource))
}

fn bjensen() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "BJensen",
        "userName": "bjensen",
        "name": {"familyName": "Jensen", "givenName": "Barbara"},
        "title": "",
        "userType": "Employee",
        "active": true,
        "emails": [
            {"value": "bjensen@example.com", "type": "home"},
            {"value": "babs@jensen.org", "type": "work", "primary": true}
        ],
        "meta": {"created": "2010-01-23T04:56:22Z", "lastModified": "2011-05-13T04:42:34.5-07:00"},
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984",
            "manager": {"value": "26118915", "displayName": "John Smith"}
        }
    })
}

#[test]
fn case_exact_comes_from_the_schema() {
    let u = bjensen();
    assert_eq!(both(r#"userName eq "BJENSEN""#, &u), (true, true));
    assert_eq!(both(r#"externalId eq "bjensen""#, &u), (false, true));
    assert_eq!(both(r#"externalId eq "BJensen""#, &u), (true, true));
    assert_eq!(both(r#"id eq "2819C223-7F76-453A-919D-413861904646""#, &u), (false, true));
}

#[test]
fn value_path_conditions_bind_to_one_value() {
    let u = bjensen();
    assert_eq!(both(r#"emails[type eq "work" and value ew "@example.com"]"#, &u), (false, false));
    assert_eq!(both(r#"emails.type eq "work" and emails.value ew "@example.com""#, &u), (true, true));
    assert_eq!(both(r#"emails[type eq "work" and value ew "@jensen.org"]"#, &u), (true, true));
    assert_eq!(both(r#"emails[not (type eq "work")]"#, &u), (true, true));
    assert_eq!(both(r#"emails[primary eq true and type eq "home"]"#, &u), (false, false));
}

#[test]
fn multi_valued_attributes_match_any_value() {
    let u = bjensen();
    assert_eq!(both(r#"emails.value eq "BABS@JENSEN.ORG""#, &u), (true, true));
    assert_eq!(both(r#"emails co "jensen.org""#, &u), (true, true));
    assert_eq!(both(r#"schemas eq "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER""#, &u), (true, true));
}

#[test]
fn ne_is_not_eq() {
    let u = bjensen();
    assert_eq!(both(r#"nickName ne "x""#, &u), (true, true));
    assert_eq!(both(r#"emails.type ne "work""#, &u), (false, false));
    assert_eq!(both(r#"emails.type ne "other""#, &u), (true, true));
    assert_eq!(both(r#"nickName gt "a""#, &u), (false, false));
    assert_eq!(both(r"nickName eq null", &u), (true, true));
    assert_eq!(both(r"userName ne null", &u), (true, true));
}

#[test]
fn presence() {
    let u = bjensen();
    for (filter, expected) in [
        ("userName pr", true),
        ("title pr", false),
        ("nickName pr", false),
        ("name pr", true),
        ("emails pr", true),
        ("emails.primary pr", true),
        ("ims pr", false),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName pr", true),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department pr", false),
    ] {
        assert_eq!(both(filter, &u), (expected, expected), "{filter}");
    }
    let empties = json!({"emails": [], "name": {}, "ims": [{"value": ""}, {}], "title": null, "phoneNumbers": [null]});
    for filter in ["emails pr", "name pr", "ims pr", "title pr", "phoneNumbers pr", "ims.value pr"] {
        assert_eq!(both(filter, &empties), (false, false), "{filter}");
    }
}

#[test]
fn date_times_compare_as_instants() {
    let u = bjensen();
    assert_eq!(both(r#"meta.lastModified eq "2011-05-13T11:42:34.500Z""#, &u), (true, true));
    assert_eq!(both(r#"meta.lastModified gt "2011-05-13T11:42:34Z""#, &u), (true, true));
    assert_eq!(both(r#"meta.lastModified lt "2011-05-13T13:42:34+02:00""#, &u), (false, false));
    assert_eq!(both(r#"meta.lastModified lt "2011-05-13T13:42:35+02:00""#, &u), (true, true));
    assert_eq!(both(r#"meta.created le "2010-01-23T04:56:22Z""#, &u), (true, true));
}

#[test]
fn extension_attributes_and_keys_in_any_case() {
    let u = bjensen();
    let e = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    assert_eq!(both(&format!(r#"{e}:employeeNumber eq "701984""#), &u), (true, true));
    assert_eq!(both(&format!(r#"{e}:manager.value eq "26118915""#), &u), (true, true));
    assert_eq!(both(r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen""#, &u), (true, true));
    let shouting = json!({"USERNAME": "bjensen", "EMAILS": [{"VALUE": "x@y", "TYPE": "work"}], "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER": {"EMPLOYEENUMBER": "1"}});
    assert_eq!(both(r#"userName eq "bjensen""#, &shouting), (true, true));
    assert_eq!(both(r#"emails[type eq "work" and value eq "x@y"]"#, &shouting), (true, true));
    assert_eq!(both(&format!(r#"{e}:employeeNumber eq "1""#), &shouting), (true, true));
}

#[test]
fn numbers_compare_exactly_without_a_schema() {
    let r = json!({"n": 9_007_199_254_740_993_u64, "f": 0.1, "s": "5"});
    assert!(Filter::parse("n gt 9007199254740992").unwrap().matches(&r));
    assert!(!Filter::parse("n eq 9007199254740992").unwrap().matches(&r));
    assert!(Filter::parse("n eq 9007199254740993").unwrap().matches(&r));
    assert!(Filter::parse("f eq 0.10").unwrap().matches(&r));
    assert!(Filter::parse("f lt 1e-0").unwrap().matches(&r));
    assert!(!Filter::parse("s eq 5").unwrap().matches(&r));
    assert!(!Filter::parse(r#"n eq "9007199254740993""#).unwrap().matches(&r));
}

#[test]
fn wrong_json_types_never_match() {
    let r = json!({"userName": 5, "active": "true", "meta": {"created": "yesterday"}});
    assert_eq!(both(r#"userName eq "5""#, &r), (false, false));
    assert_eq!(both("active eq true", &r), (false, false));
    assert_eq!(both(r#"meta.created lt "2030-01-01T00:00:00Z""#, &r), (false, false));
    assert!(!Filter::parse("x eq 1").unwrap().matches(&json!("not an object")));
}
