//! A resource (JSON text) stored through two mappings (columns with child tables, and one JSON
//! document): writing the record never panics, and a record the mapping wrote always reads
//! back, to a record that is written the same way again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::api;

const MAPPINGS: [&str; 2] = [
    r#"{"layout":"columns","resourceType":"User","table":"users","key":"id","attributes":{
"userName":{"column":"user_name"},"active":{"column":"active","type":"boolean"},
"name.familyName":{"column":"family_name"},"meta.lastModified":{"column":"last_modified"},
"emails":{"table":"user_emails","foreignKey":"user_id","attributes":{"value":{"column":"value"},"type":{"column":"type"},"primary":{"column":"is_primary","type":"boolean"}}},
"emails[type eq \"work\"].value":{"column":"work_email"},
"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":{"column":"department"}}}"#,
    r#"{"layout":"document","resourceType":"User","table":"users","key":"id","column":"data"}"#,
];

fuzz_target!(|data: &[u8]| {
    let Ok(resource) = std::str::from_utf8(data) else { return };
    let Ok(registry) = api::build_registry::<&str, &str>(&[], &[]) else { return };
    for mapping in MAPPINGS {
        let Ok(record) = api::mapping_to_record_json(&registry, "User", mapping, resource) else { continue };
        let read = api::mapping_from_record_json(&registry, "User", mapping, &record);
        assert!(read.is_ok(), "a record the mapping wrote does not read back: {read:?}\nrecord: {record}");
        let again = read.ok().map(|r| api::mapping_to_record_json(&registry, "User", mapping, &r));
        assert!(matches!(again, Some(Ok(_))), "the resource read back does not store again: {again:?}");
    }
});
