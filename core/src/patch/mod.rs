//! PATCH (RFC 7644 §3.5.2): the request model, atomic application of every path form with
//! the quirk rules of real identity providers, change records, and diff → PATCH.

mod apply;
mod diff;
mod elements;
mod held;
mod journal;
mod options;
mod pathless;
mod removal_run;
mod remove;
mod request;
mod request_text;
mod target;
mod write;

pub(crate) use apply::apply_patch_text;
pub use apply::stored_resource_error;
pub use apply::{Change, PatchFailure, Patched, apply_patch, apply_patch_json, apply_patch_owned};
pub use diff::diff;
pub use held::{HeldResource, HoldOptions, PatchReport};
pub(crate) use journal::find_key;
pub use options::{PatchOptions, Reporting};
pub use request::{OpKind, Operation, PatchRequest, parse_request, parse_request_owned};
pub use request_text::parse_request_text;

#[cfg(test)]
mod tests;
