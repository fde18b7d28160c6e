//! A custom schema (first line), a resource type (second line) and a resource (the rest):
//! building the registry never panics; when it builds, its discovery documents, validating the
//! resource as every resource type and filtering and patching it never panic either, and every
//! custom schema's discovery document reads back as the same schema.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::api;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.splitn(3, '\n');
    let schema = lines.next().unwrap_or_default();
    let resource_type = lines.next().unwrap_or_default();
    let resource = lines.next().unwrap_or_default();
    let schemas: Vec<&str> = [schema].into_iter().filter(|s| !s.trim().is_empty()).collect();
    let types: Vec<&str> = [resource_type].into_iter().filter(|s| !s.trim().is_empty()).collect();
    let Ok(registry) = api::build_registry(&schemas, &types) else { return };

    let listed: Value = serde_json::from_str(&api::schemas_json(&registry, Some("https://example.com/scim/v2")))
        .unwrap_or_default();
    let _ = api::resource_types_json(&registry, None);
    let builtin = api::build_registry::<&str, &str>(&[], &[]).map(|r| api::schemas_json(&r, None)).unwrap_or_default();
    for document in listed.get("Resources").and_then(Value::as_array).into_iter().flatten() {
        let id = document.get("id").and_then(Value::as_str).unwrap_or_default();
        if builtin.contains(&format!("\"id\":\"{id}\"")) {
            continue;
        }
        let again = api::build_registry(&[api::to_json(document)], &[] as &[&str]);
        assert!(again.is_ok(), "the discovery document of `{id}` does not read back: {again:?}");
        let before = api::schema_document_json(&registry, id, None);
        let after = again.ok().map(|r| api::schema_document_json(&r, id, None));
        assert_eq!(Some(before), after, "`{id}` changed on the way through its discovery document");
    }

    for resource_type in registry.resource_types() {
        let name = resource_type.name();
        let _ = api::validate_text(&registry, name, resource, "");
        let _ = api::filter_matches(&registry, Some(name), "userName pr or name.givenName sw \"a\"", resource);
        let _ = api::patch_text(
            &registry,
            name,
            resource,
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"externalId"}]}"#,
            "",
        );
    }
});
