//! Unit tests of the glue (run for both binding crates on the host).

use scimkit::{Error, Location, ScimType};
use serde_json::{Value, json};

use super::{args, error, filter, protocol, registry};

#[test]
fn error_json_is_the_record_with_every_error_and_both_bodies() {
    let a = Error::new(ScimType::InvalidValue, "a").at(Location::root().key("x"));
    let b = Error::new(ScimType::Mutability, "b");
    let all = Error::collect(vec![a, b]).unwrap();
    let record: Value = serde_json::from_str(&error::error_json(&all, &[])).unwrap();
    assert_eq!(record["scimType"], "invalidValue");
    assert_eq!(record["status"], 400);
    assert_eq!(record["location"], "/x");
    assert_eq!(record["message"], "2 errors; the first: a (at `/x`)");
    assert_eq!(record["errors"].as_array().map(Vec::len), Some(2));
    assert_eq!(record["response"]["status"], "400");
    assert_eq!(record["errorResponse"]["urn:scimkit:api:messages:2.0:Errors"]["errors"][1]["scimType"], "mutability");
    assert_eq!(record["notes"], json!([]));
}

#[test]
fn a_panic_becomes_an_internal_error() {
    let out: error::Out = error::guard(|| std::panic::panic_any("boom"));
    let record: Value = serde_json::from_str(&out.unwrap_err()).unwrap();
    assert_eq!(record["status"], 500);
    assert_eq!(record["detail"], "scimkit failed unexpectedly: boom");
    assert!(record.get("scimType").is_none());
}

#[test]
fn a_filter_span_stays_in_bytes() {
    let Err(text) = filter::parse("a eq \"é\" bogus", "") else { panic!("must fail") };
    let record: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(record["span"]["start"], 10);
}

#[test]
fn matching_a_set_agrees_with_matching_one_by_one() {
    let users: Vec<Value> =
        (0..20_000).map(|i| json!({"userName": format!("user{i}"), "active": i % 3 == 0})).collect();
    let registry = registry::build(&[] as &[String], &[] as &[String]).unwrap();
    let parsed = filter::parse("active eq true and userName ew \"7\"", "").unwrap();
    let checked = filter::check(&parsed, &registry, "User").unwrap();
    let expected: Vec<u32> = (0..20_000_u32).filter(|&i| checked.matches(&users[i as usize])).collect();
    assert!(!expected.is_empty());
    let set = filter::set(&serde_json::to_string(&users).unwrap()).unwrap();
    assert_eq!(filter::set_matching(&set, &checked), expected);
    assert!(filter::set("{}").is_err());
    let few = filter::set(&serde_json::to_string(&users[..10]).unwrap()).unwrap();
    assert_eq!(filter::set_matching(&few, &checked), expected.iter().copied().filter(|&i| i < 10).collect::<Vec<_>>());
}

#[test]
fn resources_must_be_an_array() {
    let Err(text) = args::resources("{}") else { panic!("must fail") };
    let record: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(record["scimType"], "invalidSyntax");
}

#[test]
fn page_numbers_are_whole() {
    let done: Value = serde_json::from_str(&protocol::page_response("[]", 5e12, Some(0.0)).unwrap()).unwrap();
    assert_eq!((done["totalResults"].clone(), done["startIndex"].clone()), (json!(5_000_000_000_000_u64), json!(1)));
    let Err(text) = protocol::page_response("[]", 3.9, None) else { panic!("must fail") };
    let record: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (record["scimType"].clone(), record["location"].clone()),
        (json!("invalidValue"), json!("/totalResults"))
    );
}

#[test]
fn error_records_become_one_error() {
    let ok = protocol::error_from_value(r#"[{"status": 404, "detail": "gone", "location": "/id"}]"#).unwrap();
    let record: Value = serde_json::from_str(&ok).unwrap();
    assert_eq!((record["status"].clone(), record["location"].clone()), (json!(404), json!("/id")));
    assert!(protocol::error_from_value(r#"{"status": 200}"#).is_err());
    assert!(protocol::error_from_value("[]").is_err());
}

/// The JS layer makes an empty report itself (a validation without notes, a PATCH with
/// `report: "none"` or one that did and noted nothing) when the text handed over is exactly
/// `EMPTY_REPORT` in `bindings-js/src/api.js`: every form must write that, and only then.
#[test]
fn an_empty_report_is_the_text_the_js_layer_knows() {
    const EMPTY_REPORT: &str = "";
    let registry = scimkit::Registry::builtin();
    let stored = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a"}"#;
    let request = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"Replace","path":"title","value":"x"}]}"#;
    let options = r#"{"profile":"entra","report":"none"}"#;
    let parts = registry::apply_patch(&registry, "User", stored, request, options).unwrap();
    assert_eq!(parts.get(1).map(String::as_str), Some(EMPTY_REPORT));
    // Reporting, the same request reports the rule that read its `op`.
    let parts = registry::apply_patch(&registry, "User", stored, request, r#"{"profile":"entra"}"#).unwrap();
    assert!(parts.get(1).is_some_and(|r| r.contains(r#""quirks":[{"#)), "{parts:?}");
    let mut held = super::held::hold(&registry, "User", stored, "").unwrap();
    assert_eq!(held.apply_patch(request, options).unwrap(), EMPTY_REPORT);
    let full = held.apply_patch(request, r#"{"profile":"entra"}"#).unwrap();
    assert!(full.contains(r#""quirks":[{"#), "{full}");
    // A validation: without notes, then with one (the `stringBooleans` rule).
    let parts = registry::validate(&registry, "User", stored, "").unwrap();
    assert_eq!(parts.get(1).map(String::as_str), Some(EMPTY_REPORT));
    let quirky = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","active":"True"}"#;
    let parts = registry::validate(&registry, "User", quirky, r#"{"profile":"entra"}"#).unwrap();
    assert!(parts.get(1).is_some_and(|r| r.starts_with(r#"{"notes":[{"#)), "{parts:?}");
    // And the JS layer compares with this very text.
    let api_js = include_str!("../src/api.js");
    assert!(api_js.contains(&format!("const EMPTY_REPORT = \"{EMPTY_REPORT}\";")));
}

/// The JS layer names a lost object by its class; each name gives that object's error, and a
/// name no object has is refused, not read as another one.
#[test]
fn a_lost_object_is_named_by_its_class() {
    for (class, says) in [
        ("HeldResource", "the held resource was lost"),
        ("BulkRunner", "the bulk runner was lost"),
        ("ResourceSet", "the resource set was lost"),
        ("CheckedFilter", "the checked filter was lost"),
        ("Mapping", "the mapping was lost"),
    ] {
        let record: Value = serde_json::from_str(&error::lost(class)).unwrap();
        assert_eq!(record["status"], 500, "{class}");
        assert!(record["detail"].as_str().is_some_and(|d| d.starts_with(says)), "{class}: {record}");
    }
    let record: Value = serde_json::from_str(&error::lost("Registry")).unwrap();
    assert_eq!(record["scimType"], "invalidValue");
}
