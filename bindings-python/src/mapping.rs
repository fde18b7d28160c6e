//! `scimkit.Mapping`: how a resource type is stored in an application's tables — records to and
//! from resources, and filters as parameterized SQL.

use pyo3::prelude::*;
use pyo3::types::PyString;
use scimkit::api;

use crate::args::{OrRaise, doc_text, run, serialized_out, text};
use crate::convert::to_py;
use crate::error::{SpanSource, guard};
use crate::registry::PyRegistry;

/// The weight [`run`] is given for records: a record's size is spread over its row and child
/// tables (a Group's 60,000 members are one child table), which no cheap estimate sees, so the
/// interpreter lock is always released around writing and reading one.
const RELEASE_ALWAYS: usize = usize::MAX;

/// A loaded attribute mapping for one resource type.
#[pyclass(frozen, module = "scimkit", name = "Mapping")]
pub(crate) struct PyMapping {
    mapping: scimkit::mapping::Mapping,
}

#[pymethods]
impl PyMapping {
    /// Loads `mapping` (a dict or JSON text) for `resource_type` of `registry`.
    #[new]
    fn new(
        py: Python<'_>,
        registry: &Bound<'_, PyRegistry>,
        resource_type: &Bound<'_, PyString>,
        mapping: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guard(py, || {
            let resource_type = text(py, resource_type)?;
            let mapping = doc_text(py, mapping)?;
            let registry = &registry.get().inner;
            let mapping = api::mapping_load(registry, &resource_type, &mapping).or_raise(py, &SpanSource::default())?;
            Ok(Self { mapping })
        })
    }

    /// The record storing `resource`: `{"row": {...}, "children": {table: [rows]}}`.
    fn to_record<'py>(&self, py: Python<'py>, resource: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let resource = crate::args::doc_value(py, resource)?;
            let record =
                run(py, RELEASE_ALWAYS, || self.mapping.to_record(&resource)).or_raise(py, &SpanSource::default())?;
            to_py(py, &record)
        })
    }

    /// The resource a record stores (as `to_record` gives it or as read back from the database).
    #[expect(clippy::wrong_self_convention, reason = "the Python name mirrors the core's `Mapping::from_record`")]
    fn from_record<'py>(&self, py: Python<'py>, record: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let record = crate::args::doc_value(py, record)?;
            let resource =
                run(py, RELEASE_ALWAYS, || self.mapping.from_record(&record)).or_raise(py, &SpanSource::default())?;
            to_py(py, &resource)
        })
    }

    /// `filter` as a parameterized condition for `dialect` (`sqlite`, `d1`, `postgres`):
    /// `{"sql": "…", "params": [...]}`.
    fn to_sql<'py>(
        &self,
        py: Python<'py>,
        filter: &Bound<'py, PyString>,
        dialect: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let filter = text(py, filter)?;
            let dialect = text(py, dialect)?;
            let sql = api::mapping_filter_to_sql(&self.mapping, &filter, &dialect)
                .or_raise(py, &SpanSource::text(&filter))?;
            serialized_out(py, &sql)
        })
    }

    /// The `CREATE TABLE` and `CREATE INDEX` statements of the mapping's tables in `dialect`.
    fn create_tables<'py>(&self, py: Python<'py>, dialect: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let dialect = text(py, dialect)?;
            let statements = api::mapping_tables(&self.mapping, &dialect).or_raise(py, &SpanSource::default())?;
            serialized_out(py, &statements)
        })
    }
}
