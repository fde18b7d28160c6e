#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]

pub mod api;
pub mod compat;
mod error;
pub mod json;
mod limits;
pub mod schema;
pub mod urn;
pub mod validate;
pub mod value;

pub use compat::{Profile, Quirk};
pub use error::{EXCERPT_CHARS, Error, ErrorKind, Location, ScimType, Span, UnknownName, excerpt};
pub use limits::Limits;
pub use schema::{Registry, RegistryBuilder};
pub use validate::{Invalid, Mode, Note, ValidateOptions, Validated, validate, validate_json};
