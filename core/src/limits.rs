//! Input limits, each checked before work proportional to the input.

use serde::{Deserialize, Serialize};

/// Bounds on input size and shape. Every limit has a fixed error naming it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Limits {
    /// Deepest nesting of JSON arrays and objects (the document itself is depth 1).
    /// Values above 120 are treated as 120, below JSON reader's own hard stop.
    #[serde(deserialize_with = "crate::limits::saturating_usize")]
    pub max_depth: usize,
    /// Largest JSON text, in bytes.
    #[serde(deserialize_with = "crate::limits::saturating_usize")]
    pub max_body_bytes: usize,
    /// Most values one multi-valued attribute may hold.
    #[serde(deserialize_with = "crate::limits::saturating_usize")]
    pub max_values_per_attribute: usize,
}

/// Reads a limit option as any whole number of at least 0, kept as the nearest the platform
/// holds: every runtime accepts the same options (a JS number past 2^53 arrives as a double;
/// in WebAssembly a `usize` is 32 bits, and 2^32 there means what 2^32 − 1 does: more than
/// memory can hold).
///
/// # Errors
/// For anything but such a number.
pub(crate) fn saturating_usize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    saturating_u64(deserializer).map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// [`saturating_usize`] kept as 64 bits (a number written back as given).
///
/// # Errors
/// For anything but a whole number of at least 0.
pub(crate) fn saturating_u64<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    deserializer.deserialize_any(WholeNumber)
}

/// Reads a whole number of at least 0: an integer, or a whole double (past 2^64 − 1 it means
/// the most there is). A visitor of its own, not a `Value` read, so each deserializer it is
/// used with costs little code (the WebAssembly build is measured by its size).
struct WholeNumber;

impl serde::de::Visitor<'_> for WholeNumber {
    type Value = u64;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a whole number of at least 0")
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<u64, E> {
        Ok(n)
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<u64, E> {
        u64::try_from(n).map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(n), &self))
    }

    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<u64, E> {
        if f >= 0.0 && f.fract() == 0.0 {
            // Whole and at least 0: `as` saturates past 2^64 − 1.
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "whole, at least 0, saturating"
            )]
            return Ok(f as u64);
        }
        Err(E::invalid_value(serde::de::Unexpected::Float(f), &self))
    }
}

impl Limits {
    /// The hard ceiling on `max_depth`.
    pub const DEPTH_CEILING: usize = 120;

    /// `max_depth`, capped at [`Limits::DEPTH_CEILING`].
    pub const fn depth(&self) -> usize {
        if self.max_depth > Self::DEPTH_CEILING { Self::DEPTH_CEILING } else { self.max_depth }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_depth: 32, max_body_bytes: 8 * 1024 * 1024, max_values_per_attribute: 100_000 }
    }
}
