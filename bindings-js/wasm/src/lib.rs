//! `scimkit-wasm`: the WebAssembly build behind the `scimkit` npm package in browsers, Workers
//! and Deno (wasm-bindgen).
//!
//! No SCIM logic lives here. Each export takes JSON text and strings, calls one function of the
//! glue shared with the native addon (`../glue`, which calls one `scimkit::api` or public core
//! function) and returns JSON text; `src/api.js` wraps it all in `JSON.stringify` /
//! `JSON.parse`. A failure is thrown as a JS string holding the error JSON of the one error
//! conversion (`glue/error.rs`).
//!
//! Built with `panic = "abort"`: a panic is a trap. Every export is total (the core never
//! panics, by its lints); after a trap the JS layer reports an internal error through
//! [`internal_error`] and leaves the trapped instance for a new one of the same module
//! (`tools/instance-reset.mjs`), so the next call still works.

#[path = "../../glue/mod.rs"]
mod glue;

mod filter;
mod held;
mod mapping;
mod memory;
mod protocol;
mod registry;

pub use filter::{
    CheckedFilter, ResourceSet, filter_canonical, filter_describe, filter_parse, filter_without_schema,
    parse_attr_path, parse_patch_path,
};
pub use held::HeldResource;
pub use mapping::Mapping;
pub use protocol::{
    BulkRunner, ListQuery, bulk_plan, error_from_value, etag, evaluate_preconditions, internal_error, page_response,
    panic, refuse_filter, refuse_filter_in_query, service_provider_config,
};
pub use registry::Registry;
