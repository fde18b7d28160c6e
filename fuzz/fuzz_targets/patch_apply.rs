//! A stored resource (first line; the sample user when it is not JSON) and a PATCH request (the
//! rest): applying never panics, and a failed PATCH returns the resource untouched.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::patch::{PatchOptions, apply_patch_json};
use scimkit::{Profile, Registry};

const USER: &str = include_str!("../../examples/payloads/user-full.json");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (first, request) = text.split_once('\n').unwrap_or(("", text));
    let resource: serde_json::Value =
        serde_json::from_str(first).unwrap_or_else(|_| serde_json::from_str(USER).unwrap_or_default());
    let registry = Registry::builtin();
    for profile in [Profile::strict(), Profile::compat()] {
        let options = PatchOptions { profile, ..PatchOptions::default() };
        for resource_type in ["User", "Group"] {
            if let Err(failure) = apply_patch_json(&registry, resource_type, resource.clone(), request, &options) {
                assert_eq!(failure.resource, resource, "a failed PATCH changed the resource");
            }
        }
    }
});
