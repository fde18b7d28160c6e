//! Validation of resources against their resource type, by mode, collecting every error.

mod loc;
mod note;
mod options;
mod resource;
mod walk;

pub use note::{Note, NoteCode};
pub use options::{CanonicalValues, Mode, UnknownAttributes, ValidateOptions};
pub use resource::{Invalid, Validated, validate, validate_json};
pub use walk::MAX_SAFE_INTEGER;
