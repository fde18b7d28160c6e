//! Any text: parsing never panics; a filter that parses and checks evaluates without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::Registry;
use scimkit::filter::Filter;

const USER: &str = include_str!("../../examples/payloads/user-full.json");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(filter) = Filter::parse(text) else { return };
    let registry = Registry::builtin();
    let user: serde_json::Value = serde_json::from_str(USER).unwrap_or_default();
    let _ = filter.without_schema().matches(&user);
    if let Some(view) = registry.resource_type("User") {
        if let Ok(checked) = filter.check(&view) {
            let _ = checked.matches(&user);
        }
    }
});
