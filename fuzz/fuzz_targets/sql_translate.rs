//! A mapping (first line; a mapping storing columns and child tables when it is not JSON) and a
//! filter (the rest): translating the filter to SQL in every dialect, and the mapping's tables,
//! never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::api;

const MAPPING: &str = r#"{"layout":"columns","resourceType":"User","table":"users","key":"id","attributes":{
"userName":{"column":"user_name"},"active":{"column":"active","type":"boolean"},
"name.familyName":{"column":"family_name"},"meta.lastModified":{"column":"last_modified"},
"emails":{"table":"user_emails","foreignKey":"user_id","attributes":{"value":{"column":"value"},"type":{"column":"type"},"primary":{"column":"is_primary","type":"boolean"}}},
"emails[type eq \"work\"].value":{"column":"work_email"},
"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":{"column":"department"}}}"#;

const DOCUMENT: &str = r#"{"layout":"document","resourceType":"User","table":"users","key":"id","column":"data"}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (first, filter) = text.split_once('\n').unwrap_or(("", text));
    let Ok(registry) = api::build_registry::<&str, &str>(&[], &[]) else { return };
    let mappings: Vec<&str> =
        if serde_json::from_str::<serde_json::Value>(first).is_ok() { vec![first] } else { vec![MAPPING, DOCUMENT] };
    for mapping in mappings {
        for dialect in ["sqlite", "postgres"] {
            let _ = api::filter_to_sql_json(&registry, "User", filter, mapping, dialect);
            let _ = api::mapping_create_tables(&registry, "User", mapping, dialect);
        }
    }
});
