//! Any text as a BulkRequest: planning never panics (cycles, dangling references, limits).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::api::bulk_plan_json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = bulk_plan_json(text, "");
});
