//! Attribute paths (RFC 7644 §3.10) and PATCH paths (RFC 7644 §3.5.2).

pub(crate) mod attr_path;
mod common_value_path;
mod patch_path;

pub use attr_path::AttrPath;
pub use patch_path::PatchPath;
