//! `scimkit.HeldResource`: a stored resource kept on the Rust side and patched in place
//! (`Registry.hold`), so that only each PATCH request and its report are converted (the core's
//! `patch::HeldResource`).

use std::sync::{Mutex, MutexGuard, PoisonError};

use pyo3::prelude::*;
use pyo3::sync::MutexExt;
use pyo3::types::{PyDict, PyString};
use scimkit::api;
use scimkit::patch::HeldResource;

use crate::args::{OrRaise, SpanDocument, doc, options, parts_out, run, serialized_out, stored_doc, text};
use crate::convert::to_py;
use crate::error::{SpanSource, guard};
use crate::registry::PyRegistry;

/// A stored resource held for PATCH requests applied in place; each PATCH is atomic.
#[pyclass(frozen, module = "scimkit", name = "HeldResource")]
pub(crate) struct PyHeldResource {
    registry: Py<PyRegistry>,
    resource_type: String,
    inner: Mutex<HeldResource>,
}

impl PyHeldResource {
    /// Holds `resource` (a dict or JSON text) of `resource_type` of `registry`.
    pub(crate) fn hold(
        py: Python<'_>,
        registry: Py<PyRegistry>,
        resource_type: &Bound<'_, PyString>,
        resource: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        guard(py, || {
            let resource_type = text(py, resource_type)?;
            let resource = stored_doc(py, resource)?;
            let options = self::options(py, options)?;
            let reg = &registry.get().inner;
            let held = run(py, resource.weight(), || api::hold_document(reg, &resource_type, resource, &options))
                .or_raise(py, &SpanSource::default())?;
            Ok(Self { registry, resource_type: held.resource_type().to_owned(), inner: Mutex::new(held) })
        })
    }

    /// The held resource, waiting for it with the interpreter lock let go, so that a thread
    /// holding the mutex while it needs the interpreter (converting a result, whose garbage
    /// collection may run any `__del__`) is never stuck. A mutex poisoned by a panic is taken
    /// as it is: the core refuses a resource a panic took.
    fn lock(&self, py: Python<'_>) -> MutexGuard<'_, HeldResource> {
        self.inner.lock_py_attached(py).unwrap_or_else(PoisonError::into_inner)
    }
}

#[pymethods]
impl PyHeldResource {
    /// The resource type the resource is of.
    #[getter]
    fn resource_type(&self) -> &str {
        &self.resource_type
    }

    /// Applies a PATCH `request` (a dict or JSON text) in place: `{"changes", "quirks",
    /// "notes"}`. A PATCH that fails raises and leaves the resource as it was.
    #[pyo3(signature = (request, **options))]
    fn apply_patch<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let request_doc = doc(py, request)?;
            let options = self::options(py, options)?;
            let registry = &self.registry.get().inner;
            let weight = request_doc.weight();
            let spans = SpanDocument::keep(&request_doc, weight);
            let mut guard = self.lock(py);
            let held: &mut HeldResource = &mut guard;
            let report = run(py, weight, || api::held_patch_document(registry, held, request_doc, &options))
                .map_err(|e| spans.raise(py, request, &e))?;
            drop(guard);
            parts_out(
                py,
                &[
                    ("changes", serialized_out(py, &report.changes)?),
                    ("quirks", serialized_out(py, &report.quirks)?),
                    ("notes", serialized_out(py, &report.notes)?),
                ],
            )
        })
    }

    /// The resource as it stands (a new dict each call).
    fn resource<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            // Copied out and the lock let go before converting: converting runs Python code
            // (a garbage collection's `__del__`), which may use this very resource.
            let copy = self.lock(py).resource().cloned().or_raise(py, &SpanSource::default())?;
            to_py(py, &copy)
        })
    }

    /// The resource as the JSON text the core writes.
    fn resource_text(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || {
            let held = self.lock(py);
            held.resource().map(api::to_json).or_raise(py, &SpanSource::default())
        })
    }

    fn __repr__(&self) -> String {
        format!("HeldResource(<{}>)", self.resource_type)
    }
}
