//! Validation of resources against their resource type, by mode, collecting every error.

pub(crate) mod loc;
mod note;
mod options;
pub(crate) mod resource;
pub(crate) mod walk;

pub use note::{Note, NoteCode};
pub(crate) use options::deserialize_by_name;
pub use options::{CanonicalValues, Mode, UnknownAttributes, ValidateOptions};
pub use resource::{Invalid, Validated, validate, validate_json};
pub use walk::MAX_SAFE_INTEGER;
