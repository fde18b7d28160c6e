//! `scimkit.Filter` (parsed once), `scimkit.CheckedFilter` (resolved against a resource type,
//! ready to match many resources), `scimkit.ResourceSet` (resources held once, filtered many
//! times) and the PATCH / attribute path parsers.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use scimkit::{CheckedFilter, Error, ResourceSet, api};

use crate::args::{OrRaise, doc_value, doc_values, docs_text, options, run, text};
use crate::convert::to_py;
use crate::error::{SpanSource, guard};
use crate::registry::PyRegistry;

/// A parsed SCIM filter (RFC 7644 §3.4.2.2).
#[pyclass(frozen, module = "scimkit", name = "Filter")]
pub(crate) struct PyFilter {
    text: String,
    filter: scimkit::Filter,
}

/// A filter checked against a resource type, ready to match resources.
#[pyclass(frozen, module = "scimkit", name = "CheckedFilter")]
pub(crate) struct PyCheckedFilter {
    checked: CheckedFilter,
}

impl PyFilter {
    /// The filter prepared for matching: checked against `resource_type` of `registry` (the
    /// built-in registry when none is given), or without a schema when neither is given; a
    /// registry without a resource type is a `TypeError`, as in JS.
    fn prepare(
        &self,
        py: Python<'_>,
        registry: Option<&Bound<'_, PyRegistry>>,
        resource_type: Option<&str>,
    ) -> PyResult<CheckedFilter> {
        if registry.is_some() && resource_type.is_none() {
            // Else the registry would be silently unused: no `caseExact`, no unknown names.
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "a registry was given without a resource type: name the resource type whose schema applies \
                 (resource_type=\"User\"), or give neither for the schema-less defaults",
            ));
        }
        self.prepare_checked(registry, resource_type).or_raise(py, &SpanSource::text(&self.text))
    }

    fn prepare_checked(
        &self,
        registry: Option<&Bound<'_, PyRegistry>>,
        resource_type: Option<&str>,
    ) -> Result<CheckedFilter, Error> {
        match resource_type {
            Some(name) => {
                let builtin;
                let registry = if let Some(r) = registry {
                    &r.get().inner
                } else {
                    builtin = scimkit::Registry::builtin();
                    &builtin
                };
                self.filter.check(&registry.require_resource_type(name)?)
            }
            None => Ok(self.filter.without_schema()),
        }
    }
}

#[pymethods]
impl PyFilter {
    /// Parses `text`; keyword limits: `max_length`, `max_depth`, `max_comparisons`.
    #[new]
    #[pyo3(signature = (text, **limits))]
    fn new(py: Python<'_>, text: &Bound<'_, PyString>, limits: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        guard(py, || {
            let text = self::text(py, text)?;
            let limits = options(py, limits)?;
            let filter = run(py, text.len(), || api::filter_parse_with(&text, &limits))
                .or_raise(py, &SpanSource::text(&text))?;
            Ok(Self { text, filter })
        })
    }

    /// The canonical text.
    fn __str__(&self) -> String {
        self.filter.to_string()
    }

    fn __repr__(&self) -> String {
        format!("Filter({:?})", self.filter.to_string())
    }

    /// The text as given.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    /// The syntax tree as plain dicts and lists.
    #[getter]
    fn ast<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let described = api::filter_describe(&self.filter);
            to_py(py, described.get("ast").unwrap_or(&serde_json::Value::Null))
        })
    }

    /// The filter checked against `resource_type` of `registry` (the built-in registry when
    /// none is given), or ready to evaluate without a schema when no type is given.
    #[pyo3(signature = (registry = None, resource_type = None))]
    fn check(
        &self,
        py: Python<'_>,
        registry: Option<&Bound<'_, PyRegistry>>,
        resource_type: Option<&Bound<'_, PyString>>,
    ) -> PyResult<PyCheckedFilter> {
        guard(py, || {
            let resource_type = resource_type.map(|t| text(py, t)).transpose()?;
            let checked = self.prepare(py, registry, resource_type.as_deref())?;
            Ok(PyCheckedFilter { checked })
        })
    }

    /// Whether `resource` matches (checked against `resource_type` when given).
    #[pyo3(signature = (resource, registry = None, resource_type = None))]
    fn matches(
        &self,
        py: Python<'_>,
        resource: &Bound<'_, PyAny>,
        registry: Option<&Bound<'_, PyRegistry>>,
        resource_type: Option<&Bound<'_, PyString>>,
    ) -> PyResult<bool> {
        guard(py, || {
            let resource_type = resource_type.map(|t| text(py, t)).transpose()?;
            let checked = self.prepare(py, registry, resource_type.as_deref())?;
            let resource = doc_value(py, resource)?;
            Ok(checked.matches(&resource))
        })
    }

    /// For each resource, whether it matches (the filter is prepared once).
    #[pyo3(signature = (resources, registry = None, resource_type = None))]
    fn matches_all(
        &self,
        py: Python<'_>,
        resources: &Bound<'_, PyAny>,
        registry: Option<&Bound<'_, PyRegistry>>,
        resource_type: Option<&Bound<'_, PyString>>,
    ) -> PyResult<Vec<bool>> {
        guard(py, || {
            let resource_type = resource_type.map(|t| text(py, t)).transpose()?;
            let checked = self.prepare(py, registry, resource_type.as_deref())?;
            matches_all(py, &checked, resources)
        })
    }
}

/// For each resource, whether it matches: JSON text read one resource at a time, a sequence
/// converted first.
fn matches_all(py: Python<'_>, checked: &CheckedFilter, resources: &Bound<'_, PyAny>) -> PyResult<Vec<bool>> {
    if let Some(text) = docs_text(py, resources)? {
        return run(py, text.len(), || api::matches_each_json(checked, &text)).or_raise(py, &SpanSource::default());
    }
    let resources = doc_values(py, resources)?;
    Ok(run(py, resources.len().saturating_mul(1024), || resources.iter().map(|r| checked.matches(r)).collect()))
}

#[pymethods]
impl PyCheckedFilter {
    /// The canonical text.
    fn __str__(&self) -> String {
        self.checked.to_string()
    }

    fn __repr__(&self) -> String {
        format!("CheckedFilter({:?})", self.checked.to_string())
    }

    /// Whether `resource` matches.
    fn matches(&self, py: Python<'_>, resource: &Bound<'_, PyAny>) -> PyResult<bool> {
        guard(py, || Ok(self.checked.matches(&doc_value(py, resource)?)))
    }

    /// For each resource, whether it matches.
    fn matches_all(&self, py: Python<'_>, resources: &Bound<'_, PyAny>) -> PyResult<Vec<bool>> {
        guard(py, || matches_all(py, &self.checked, resources))
    }
}

/// Resources held once, to be filtered many times: the core's `ResourceSet`, which keeps a
/// column of the values of each attribute a filter names.
#[pyclass(frozen, module = "scimkit", name = "ResourceSet")]
pub(crate) struct PyResourceSet {
    set: ResourceSet,
}

#[pymethods]
impl PyResourceSet {
    /// Holds `resources` (a list of dicts, or of JSON texts).
    #[new]
    fn new(py: Python<'_>, resources: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let resources = doc_values(py, resources)?;
            Ok(Self { set: ResourceSet::new(resources).with_available_threads() })
        })
    }

    fn __len__(&self) -> usize {
        self.set.len()
    }

    fn __repr__(&self) -> String {
        format!("ResourceSet(<{} resources>)", self.set.len())
    }

    /// The positions of the resources `filter` matches, in order.
    fn matching(&self, py: Python<'_>, filter: &PyCheckedFilter) -> PyResult<Vec<usize>> {
        let set = &self.set;
        let checked = &filter.checked;
        guard(py, || Ok(run(py, set.len().saturating_mul(1024), || set.matching(checked))))
    }
}

/// A PATCH path (RFC 7644 §3.5.2) as `{"canonical", "urn"?, "name", "sub"?, "filter"?}`.
#[pyfunction]
pub(crate) fn parse_patch_path<'py>(py: Python<'py>, path: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let path = text(py, path)?;
        let parsed = api::patch_path_parse(&path).or_raise(py, &SpanSource::text(&path))?;
        to_py(py, &api::patch_path_describe(&parsed))
    })
}

/// An attribute path (RFC 7644 §3.10) in its canonical form.
#[pyfunction]
pub(crate) fn parse_attr_path(py: Python<'_>, path: &Bound<'_, PyString>) -> PyResult<String> {
    guard(py, || {
        let path = text(py, path)?;
        Ok(api::attr_path_parse(&path).or_raise(py, &SpanSource::text(&path))?.to_string())
    })
}
