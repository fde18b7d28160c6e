use serde_json::{Value, json};

use super::Mapping;
use crate::Registry;

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
        "id": "2819c223",
        "userName": "BJensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen", "formatted": "Ms. Barbara J Jensen"},
        "title": "Tour Guide",
        "active": true,
        "emails": [
            {"value": "bjensen@example.com", "type": "Work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"},
            {"value": "b2@example.com", "type": "work"}
        ],
        "phoneNumbers": [{"value": "+1 555 0100", "type": "mobile"}],
        "meta": {"lastModified": "2011-05-12T21:42:34.5-07:00"},
        ENT: {"department": "Tour Operations", "manager": {"value": "26118915", "displayName": "John Smith"}}
    })
}

fn columns() -> Mapping {
    let spec = json!({"layout": "columns", "table": "users", "key": "id", "attributes": {
        "userName": {"column": "user_name"},
        "name.givenName": {"column": "given_name"},
        "active": {"column": "active", "type": "boolean"},
        "meta.lastModified": {"column": "modified"},
        "emails[type eq \"work\"].value": {"column": "work_email"},
        "emails[type eq \"work\"].primary": {"column": "work_primary"},
        "phoneNumbers": {"table": "phones", "foreignKey": "user_id", "attributes": {"value": {"column": "number"}}},
        (format!("{ENT}:manager.value")): {"column": "manager"}
    }});
    Mapping::load(&Registry::builtin(), "User", &spec).unwrap()
}

#[test]
fn round_trip_gives_the_projection_onto_mapped_attributes() {
    let mapping = columns();
    let record = mapping.to_record(&user()).unwrap();
    let back = mapping.from_record(&record).unwrap();
    assert_eq!(
        back,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
            "id": "2819c223",
            "userName": "BJensen",
            "name": {"givenName": "Barbara"},
            "active": true,
            // The first work email (selector compared case-insensitively); the selector's
            // value as the mapping writes it.
            "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
            "phoneNumbers": [{"value": "+1 555 0100"}],
            "meta": {"lastModified": "2011-05-13T04:42:34.5Z"},
            ENT: {"manager": {"value": "26118915"}}
        })
    );
    // Storing the projection stores the same record.
    assert_eq!(mapping.to_record(&back).unwrap(), record);
}

#[test]
fn document_layout_returns_the_resource_as_stored() {
    let spec = json!({"layout": "document", "table": "users", "key": "id", "column": "data"});
    let mapping = Mapping::load(&Registry::builtin(), "User", &spec).unwrap();
    let record = mapping.to_record(&user()).unwrap();
    assert_eq!(record["row"]["id"], "2819c223");
    assert_eq!(record["row"]["data_search"]["userName"], "bjensen");
    assert_eq!(record["row"]["data_search"]["$present"]["name"], true);
    assert_eq!(mapping.from_record(&record).unwrap(), user());
    let as_text = json!({"row": {"data": user().to_string()}});
    assert_eq!(mapping.from_record(&as_text).unwrap(), user());
}

#[test]
fn selectors_with_the_same_values_share_one_value() {
    let spec = json!({"layout": "columns", "table": "users", "key": "id", "attributes": {
        "addresses[type eq \"work\"].locality": {"column": "work_city"},
        "addresses[type eq \"WORK\"].postalCode": {"column": "work_zip"},
        "addresses[type eq \"home\"].locality": {"column": "home_city"}
    }});
    let mapping = Mapping::load(&Registry::builtin(), "User", &spec).unwrap();
    let user = json!({"id": "1", "addresses": [
        {"type": "home", "locality": "Here"},
        {"type": "work", "locality": "There", "postalCode": "123"}
    ]});
    let record = mapping.to_record(&user).unwrap();
    assert_eq!(record["row"]["work_city"], "There");
    assert_eq!(record["row"]["work_zip"], "123");
    let back = mapping.from_record(&record).unwrap();
    // Mapping keys are taken in sorted order (a JSON object has none): the `WORK` selector
    // comes first, so its spelling is the one written back, and its value comes first.
    assert_eq!(
        back["addresses"],
        json!([{"type": "WORK", "locality": "There", "postalCode": "123"}, {"type": "home", "locality": "Here"}])
    );
}

#[test]
fn load_errors_point_into_the_mapping() {
    let registry = Registry::builtin();
    let load = |spec: Value| Mapping::load(&registry, "User", &spec).unwrap_err();
    let e = load(
        json!({"layout": "columns", "table": "t", "key": "id", "attributes": {"emails": {"table": "e", "foreignKey": "o", "attributes": {"value": {"column": "v", "foldColumn": 5}}}}}),
    );
    assert_eq!(e.location().map(crate::Location::as_str), Some("/attributes/emails/attributes/value/foldColumn"));
    let e = Mapping::from_json(&registry, "User", "{").unwrap_err();
    assert_eq!(e.scim_type(), Some(crate::ScimType::InvalidSyntax));
    let e = Mapping::load(&registry, "Widget", &json!({})).unwrap_err();
    assert!(e.detail().contains("unknown resource type"), "{}", e.detail());
}
