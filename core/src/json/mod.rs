//! Reading JSON the way SCIM needs it, and writing it.

pub(crate) mod fast;
mod plain;
pub(crate) mod strict;
mod write;

pub use crate::limits::Limits;
pub use strict::{depth_exceeds, parse_bytes, parse_strict};
pub use write::{WriteError, to_string};
