//! Printing a parsed filter and parsing the text gives the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::filter::Filter;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(filter) = Filter::parse(text) else { return };
    let printed = filter.to_string();
    let again = Filter::parse(&printed);
    assert!(again.as_ref().is_ok_and(|f| *f == filter), "`{text}` printed as `{printed}` reparsed as {again:?}");
});
