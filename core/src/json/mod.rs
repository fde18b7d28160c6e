//! Reading JSON the way SCIM needs it, and writing it.

pub(crate) mod fast;
mod items;
mod plain;
pub(crate) mod strict;
mod text_len;
mod write;

pub use crate::limits::Limits;
pub use items::{for_each_item, not_an_array};
pub use strict::{depth_error, depth_exceeds, parse_bytes, parse_strict, repeated_key};
pub use text_len::{check_value_size, text_len};

/// [`parse_strict`] without its fast path: the reader that decides, for the fuzz targets to
/// hold the fast path to. Not part of the API.
#[doc(hidden)]
pub fn parse_strict_without_fast_path(text: &str, limits: &Limits) -> Result<serde_json::Value, crate::Error> {
    strict::check_size(text.len(), limits)?;
    strict::parse_strict_text(text, limits)
}
pub use write::{WriteError, to_string};
