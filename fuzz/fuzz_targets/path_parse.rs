//! Any text: PATCH path parsing never panics, and a path that parses resolves or is refused cleanly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::path::PatchPath;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(path) = PatchPath::parse(text) {
        let _ = path.to_string();
    }
});
