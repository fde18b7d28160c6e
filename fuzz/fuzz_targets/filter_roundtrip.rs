//! Printing a parsed filter and parsing the text gives the same tree.
//!
//! The printed text is reparsed with the length limit lifted: the canonical form can be longer
//! than what was parsed (`a eq"x"` prints as `a eq "x"`, `not(…)` as `not (…)`), so a filter
//! of exactly `maxLength` bytes may print a few bytes over it. Depth and comparison counts
//! never grow by printing, so those limits stay as they are.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scimkit::filter::{Filter, FilterLimits};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(filter) = Filter::parse(text) else { return };
    let printed = filter.to_string();
    let lifted = FilterLimits { max_length: usize::MAX, ..FilterLimits::default() };
    let again = Filter::parse_with(&printed, &lifted);
    assert!(again.as_ref().is_ok_and(|f| *f == filter), "`{text}` printed as `{printed}` reparsed as {again:?}");
});
