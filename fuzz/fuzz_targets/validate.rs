//! Any text as a resource body, in every mode and profile: validation never panics, and
//! validating a normalized resource again changes nothing. Any JSON value (and every validated
//! resource) is written by scimkit's JSON writer exactly as serde_json writes it, and any text
//! the strict reader accepts reads as serde_json reads it, and read item by item as it reads
//! whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::{Mode, Profile, Registry, ValidateOptions, validate_json};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let plain = serde_json::from_str::<serde_json::Value>(text);
    if let Ok(value) = &plain {
        assert_eq!(scimkit::json::to_string(value).ok(), serde_json::to_string(value).ok(), "the writer differs");
    }
    // The strict reader reads what serde_json reads, or refuses; its fast path changes nothing
    // (the same answer, errors included, as the strict reader alone), at the default depth
    // limit and at a small one.
    for max_depth in [32, 3] {
        let limits = scimkit::json::Limits { max_depth, ..scimkit::json::Limits::default() };
        let strict = scimkit::json::parse_strict(text, &limits);
        assert_eq!(strict, scimkit::json::parse_strict_without_fast_path(text, &limits), "the fast path differs");
        if let Ok(strict) = &strict {
            assert_eq!(plain.as_ref().ok(), Some(strict), "the strict reader differs from serde_json");
        }
        // Read one item at a time, an array gives the items the strict reader gives, and
        // anything else its error (or the not-an-array one).
        let mut items = Vec::new();
        let each = scimkit::json::for_each_item(text, &limits, |item| items.push(item));
        let whole = strict.and_then(|value| match value {
            serde_json::Value::Array(whole) => Ok(whole),
            _ => Err(scimkit::json::not_an_array()),
        });
        assert_eq!(each.map(|()| items), whole, "the item reader differs");
    }
    let registry = Registry::builtin();
    for resource_type in ["User", "Group"] {
        for profile in [Profile::strict(), Profile::compat()] {
            let options = ValidateOptions { profile, ..ValidateOptions::default() };
            if let Ok(valid) = validate_json(&registry, resource_type, text, &options) {
                let again = scimkit::validate(&registry, resource_type, valid.resource.clone(), &options);
                assert!(again.as_ref().is_ok_and(|v| v.resource == valid.resource), "validation is not idempotent");
                let written = scimkit::json::to_string(&valid.resource).ok();
                assert_eq!(written, serde_json::to_string(&valid.resource).ok(), "the writer differs");
            }
            let response = ValidateOptions { mode: Mode::Response, profile, ..ValidateOptions::default() };
            let _ = validate_json(&registry, resource_type, text, &response);
        }
    }
});
