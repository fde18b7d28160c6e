//! Reading JSON the way SCIM needs it.

pub(crate) mod strict;

pub use crate::limits::Limits;
pub use strict::{depth_exceeds, parse_bytes, parse_strict};
