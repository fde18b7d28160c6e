//! Any text as a query string and as a SearchRequest body: reading never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::api::{list_query_from_query_string, list_query_from_search_request};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = list_query_from_query_string(text, "");
    let _ = list_query_from_search_request(text, "");
});
