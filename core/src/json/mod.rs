//! Reading JSON the way SCIM needs it, and writing it.

pub(crate) mod fast;
mod items;
mod plain;
pub(crate) mod strict;
mod text_len;
mod write;

pub use crate::limits::Limits;
pub use items::{for_each_item, not_an_array};
pub use strict::{depth_error, depth_exceeds, item_depth_error, parse_bytes, parse_strict, repeated_key};
pub use text_len::{check_value_size, text_len};

/// [`parse_strict`] without its fast path: the reader that decides, for the fuzz targets to
/// hold the fast path to. Not part of the API.
#[doc(hidden)]
pub fn parse_strict_without_fast_path(text: &str, limits: &Limits) -> Result<serde_json::Value, crate::Error> {
    strict::check_size(text.len(), limits)?;
    strict::parse_strict_text(text, limits)
}
pub use write::{WriteError, to_string};

/// Why an integer may not be `-0`, after the name: JSON readers (`serde_json`, JavaScript's)
/// take the text `-0` as the decimal −0.0, which no integer is, so it cannot be told from
/// `-0.0` by then.
pub(crate) const NEGATIVE_ZERO_READ_AS: &str =
    ", read as the decimal −0.0 (as JSON readers read it, JavaScript's too), not an integer; send `0`";

/// Whether a number is −0.0 (the text `-0` or `-0.0`, as read).
pub(crate) fn is_negative_zero(n: &serde_json::Number) -> bool {
    n.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative())
}
