//! A stored resource (first line; the sample user when it is not JSON) and a PATCH request (the
//! rest): applying never panics, a failed PATCH returns the resource untouched, and
//! `report: none` gives the resource or the error `report: full` gives, with nothing reported
//! (no notes on the error either).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::patch::{PatchOptions, Reporting, apply_patch_json};
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
        let quiet = PatchOptions { report: Reporting::None, ..options.clone() };
        for resource_type in ["User", "Group"] {
            let full = apply_patch_json(&registry, resource_type, resource.clone(), request, &options);
            let none = apply_patch_json(&registry, resource_type, resource.clone(), request, &quiet);
            match (full, none) {
                (Ok(full), Ok(none)) => {
                    assert_eq!(full.resource, none.resource, "report: none patched otherwise");
                    assert!(none.changes.is_empty() && none.quirks.is_empty() && none.notes.is_empty());
                }
                (Err(full), Err(none)) => {
                    assert_eq!(full.resource, resource, "a failed PATCH changed the resource");
                    assert_eq!(none.resource, resource, "a failed PATCH changed the resource");
                    // The same error; only `report: full` notes how the request was read.
                    let one = |e: &scimkit::Error| (e.kind(), e.location().cloned(), e.span(), e.detail().to_owned());
                    let error = |e: &scimkit::Error| (one(e), e.errors().iter().map(one).collect::<Vec<_>>());
                    assert_eq!(error(&full.error), error(&none.error), "report: none failed otherwise");
                    assert!(none.error.notes().is_empty(), "report: none noted something");
                }
                (full, none) => panic!("report: none decided otherwise: {:?} / {:?}", full.is_ok(), none.is_ok()),
            }
        }
    }
});
