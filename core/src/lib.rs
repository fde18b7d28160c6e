#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]

pub mod api;
pub mod compat;
mod error;
pub mod filter;
pub mod json;
mod limits;
pub mod mapping;
pub mod patch;
pub mod path;
pub mod protocol;
pub mod schema;
pub mod sql;
pub mod urn;
pub mod validate;
pub mod value;

pub use compat::{Profile, Quirk};
pub use error::{EXCERPT_CHARS, Error, ErrorKind, Location, ScimType, Span, UnknownName, excerpt};
pub use filter::{CheckedFilter, CompareOp, Filter, FilterLimits, Literal, ResourceSet};
pub use limits::Limits;
pub use path::{AttrPath, PatchPath};
pub use schema::{Registry, RegistryBuilder};
pub use validate::{Invalid, Mode, Note, ValidateOptions, Validated, validate, validate_json};
