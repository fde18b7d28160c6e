//! `scimkit.HeldResource`: a stored resource kept on the Rust side and patched in place
//! (`Registry.hold`), so that only each PATCH request and its report are converted (the core's
//! `patch::HeldResource`).

use std::sync::{Mutex, MutexGuard, PoisonError};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use scimkit::api;
use scimkit::patch::HeldResource;

use crate::args::{OrRaise, SpanDocument, doc, options, parts_out, run, serialized_out, text};
use crate::convert::to_py;
use crate::error::{SpanSource, guard};
use crate::registry::PyRegistry;

/// A stored resource held for PATCH requests applied in place; each PATCH is atomic.
#[pyclass(frozen, module = "scimkit", name = "HeldResource")]
pub(crate) struct PyHeldResource {
    registry: Py<PyRegistry>,
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
            let resource = doc(py, resource)?;
            let options = self::options(py, options)?;
            let reg = &registry.get().inner;
            let held = run(py, resource.weight(), || api::hold_document(reg, &resource_type, resource, &options))
                .or_raise(py, &SpanSource::default())?;
            Ok(Self { registry, inner: Mutex::new(held) })
        })
    }

    fn lock(&self) -> MutexGuard<'_, HeldResource> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[pymethods]
impl PyHeldResource {
    /// The resource type the resource is of.
    #[getter]
    fn resource_type(&self) -> String {
        self.lock().resource_type().to_owned()
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
            // The lock is taken and let go inside `run`, where the interpreter lock may be
            // released: a thread waiting for it never holds the interpreter lock this one needs.
            let report =
                run(py, weight, || api::held_patch_document(registry, &mut self.lock(), request_doc, &options))
                    .map_err(|e| spans.raise(py, request, &e))?;
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
        guard(py, || to_py(py, self.lock().resource()))
    }

    /// The resource as the JSON text the core writes.
    fn resource_text(&self) -> String {
        api::to_json(self.lock().resource())
    }

    fn __repr__(&self) -> String {
        format!("HeldResource(<{}>)", self.lock().resource_type())
    }
}
