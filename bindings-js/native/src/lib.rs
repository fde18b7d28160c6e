//! `scimkit-node`: the Node native addon behind the `scimkit` npm package (napi-rs).
//!
//! No SCIM logic lives here. Each export takes JSON text and strings, calls one function of the
//! glue shared with the WebAssembly build (`../glue`, which calls one `scimkit::api` or public
//! core function) and returns JSON text; `src/api.js` wraps it all in `JSON.stringify` /
//! `JSON.parse`. A failure is thrown as a JS `Error` whose message is the error JSON of the one
//! error conversion (`glue/error.rs`); a panic is caught twice — by the glue's guard (an internal
//! error, status 500) and by napi's `catch_unwind` — and never crosses into Node.

#![cfg_attr(test, allow(dead_code, reason = "napi-derive registers the exported functions only outside test builds"))]

#[path = "../../glue/mod.rs"]
mod glue;

mod filter;
mod held;
mod mapping;
mod memory;
mod protocol;
mod registry;

use glue::Out;

/// Every Rust allocation of the addon (documents parsed, values built, text written) goes to
/// mimalloc: the core allocates many small strings and maps per call, where glibc's malloc is slow.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A glue result as napi's: a failure becomes a thrown `Error` carrying the error JSON.
fn throw<T>(result: Out<T>) -> napi::Result<T> {
    result.map_err(|json| napi::Error::new(napi::Status::GenericFailure, json))
}

/// Runs an export body under the glue's panic guard and converts its result.
fn run<T>(body: impl FnOnce() -> Out<T>) -> napi::Result<T> {
    throw(glue::guard(body))
}
