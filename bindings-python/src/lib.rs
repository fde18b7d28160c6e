//! `scimkit._native`: the Python binding of the scimkit core (pyo3, abi3 from Python 3.9).
//!
//! No SCIM logic lives here: each export converts its arguments, calls one `scimkit::api` (or
//! public core) function, converts the result, and converts a failure with the one error
//! conversion in `error.rs`. The `scimkit` Python package re-exports these names.
//!
//! `#![forbid(unsafe_code)]` holds: pyo3's macros generate their `unsafe` blocks in a way the
//! lint accepts, and this crate writes none.
#![forbid(unsafe_code)]

mod args;
mod convert;
mod error;
mod filter;
mod held;
mod key_text;
mod keys;
mod mapping;
mod protocol;
mod registry;
mod serialize;
mod slot_table;

use pyo3::prelude::*;

/// mimalloc: the core allocates many small strings and maps per call, where glibc's malloc is slow.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Panics with `message`: exists only so tests can prove that a panic inside scimkit surfaces
/// as `scimkit.InternalError` (status 500) and never as pyo3's `PanicException`.
#[pyfunction]
#[expect(clippy::panic, reason = "the test hook for the panic guard; never called by the package")]
fn _panic(py: Python<'_>, message: &Bound<'_, pyo3::types::PyString>) -> PyResult<()> {
    error::guard(py, || panic!("{}", message.to_string_lossy()))
}

/// The module `scimkit._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ScimError", py.get_type::<error::ScimError>())?;
    m.add("InternalError", py.get_type::<error::InternalError>())?;
    m.add_class::<error::ErrorData>()?;
    m.add_class::<registry::PyRegistry>()?;
    m.add_class::<filter::PyFilter>()?;
    m.add_class::<filter::PyCheckedFilter>()?;
    m.add_class::<filter::PyResourceSet>()?;
    m.add_class::<held::PyHeldResource>()?;
    m.add_class::<mapping::PyMapping>()?;
    m.add_class::<protocol::PyListQuery>()?;
    m.add_class::<protocol::PyBulkRunner>()?;
    m.add_function(wrap_pyfunction!(filter::parse_patch_path, m)?)?;
    m.add_function(wrap_pyfunction!(filter::parse_attr_path, m)?)?;
    m.add_function(wrap_pyfunction!(protocol::list_query_from_query_string, m)?)?;
    m.add_function(wrap_pyfunction!(protocol::list_query_from_search_request, m)?)?;
    m.add_function(wrap_pyfunction!(protocol::list_response_from_page, m)?)?;
    m.add_function(wrap_pyfunction!(protocol::error_from_value, m)?)?;
    m.add_function(wrap_pyfunction!(protocol::error_response, m)?)?;
    m.add_function(wrap_pyfunction!(protocol::service_provider_config, m)?)?;
    m.add_function(wrap_pyfunction!(protocol::etag, m)?)?;
    m.add_function(wrap_pyfunction!(protocol::refuse_filter, m)?)?;
    m.add_function(wrap_pyfunction!(protocol::refuse_filter_in_query, m)?)?;
    m.add_function(wrap_pyfunction!(protocol::evaluate_preconditions, m)?)?;
    m.add_function(wrap_pyfunction!(protocol::bulk_plan, m)?)?;
    m.add_function(wrap_pyfunction!(_panic, m)?)?;
    Ok(())
}
