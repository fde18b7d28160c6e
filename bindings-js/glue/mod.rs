//! The glue both JS bindings share (`scimkit-node` and `scimkit-wasm` include this folder with
//! `#[path]`), so the native addon and the WebAssembly build cannot drift apart.
//!
//! Each function converts its arguments, calls one `scimkit::api` (or public core) function and
//! returns JSON text (documents marked by [`text::marked`]); a failure is the error JSON of
//! [`error::error_json`], the one error conversion. The binding crates only add their export
//! attributes and hand the text to JS, where `src/api.js` parses it.

pub mod args;
pub mod error;
pub mod filter;
pub mod held;
pub mod mapping;
pub mod protocol;
pub mod registry;
pub mod text;

pub use error::{Out, guard, internal, lost, test_panic};

#[cfg(test)]
mod tests;
