//! The protocol helpers that need no registry: list parameters, pages, error bodies, the
//! ServiceProviderConfig, entity tags and preconditions, and bulk planning and running.

use std::sync::{Mutex, MutexGuard, PoisonError};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use scimkit::api;
use scimkit::protocol::ListQuery;
use scimkit::protocol::bulk::BulkRunner;

use crate::args::{
    OrRaise, doc_text, doc_value, doc_values, host_number, json_out, opt_text, options, run, serialized_out, text,
};
use crate::convert::to_py;
use crate::error::{SpanSource, error_response_of, guard, to_py_err};

/// List parameters (filter, sorting, paging, attributes) after the core's defaults and limits.
#[pyclass(frozen, module = "scimkit", name = "ListQuery")]
pub(crate) struct PyListQuery {
    pub(crate) inner: ListQuery,
}

#[pymethods]
impl PyListQuery {
    /// The attributes asked for (empty: the default set).
    #[getter]
    fn attributes(&self) -> Vec<String> {
        self.inner.attributes.clone()
    }

    /// The attributes left out of the default set.
    #[getter]
    fn excluded_attributes(&self) -> Vec<String> {
        self.inner.excluded_attributes.clone()
    }

    /// The page size.
    #[getter]
    fn count(&self) -> usize {
        self.inner.count
    }

    /// The filter text, or `None`.
    #[getter]
    fn filter(&self) -> Option<&str> {
        self.inner.filter_text()
    }

    /// The attribute to sort by, or `None`.
    #[getter]
    fn sort_by(&self) -> Option<&str> {
        self.inner.sort_by.as_deref()
    }

    /// `ascending` or `descending`.
    #[getter]
    fn sort_order(&self) -> &'static str {
        self.inner.sort_order.as_str()
    }

    /// The 1-based index of the first result.
    #[getter]
    fn start_index(&self) -> usize {
        self.inner.start_index
    }

    /// The quirk rules that fired reading the request (`filterSubAttribute`), as notes.
    #[getter]
    fn quirks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || serialized_out(py, &self.inner.quirks))
    }

    /// The query as the core serializes it (camelCase keys).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || serialized_out(py, &self.inner))
    }

    fn __repr__(&self) -> String {
        format!("ListQuery({})", api::to_json(&self.inner))
    }
}

/// List parameters from a URI query string (`filter=…&count=…`); options `max_count`,
/// `default_count`, `profile`.
#[pyfunction]
#[pyo3(signature = (query, **options))]
pub(crate) fn list_query_from_query_string(
    py: Python<'_>,
    query: &Bound<'_, PyString>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyListQuery> {
    guard(py, || {
        let query = text(py, query)?;
        let options = self::options(py, options)?;
        let inner = api::list_query_from_query_string(&query, &options).or_raise(py, &SpanSource::text(&query))?;
        Ok(PyListQuery { inner })
    })
}

/// List parameters from a SearchRequest body (a dict or JSON text); options as for
/// [`list_query_from_query_string`].
#[pyfunction]
#[pyo3(signature = (body, **options))]
pub(crate) fn list_query_from_search_request(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyListQuery> {
    guard(py, || {
        let body = doc_text(py, body)?;
        let options = self::options(py, options)?;
        let inner = api::list_query_from_search_request(&body, &options).or_raise(py, &SpanSource::document(&body))?;
        Ok(PyListQuery { inner })
    })
}

/// The ListResponse for a page the caller cut itself from `total_results` matches.
#[pyfunction]
#[pyo3(signature = (resources, total_results, start_index = None))]
pub(crate) fn list_response_from_page<'py>(
    py: Python<'py>,
    resources: &Bound<'py, PyAny>,
    total_results: &Bound<'py, PyAny>,
    start_index: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let page = doc_values(py, resources)?;
        let total = host_number(total_results, "total_results")?;
        let start = start_index.map(|n| host_number(n, "start_index")).transpose()?;
        let response = api::page_response(page, total, start).or_raise(py, &SpanSource::default())?;
        serialized_out(py, &response)
    })
}

/// A `ScimError` (returned, not raised) from an error record `{"scimType"? | "status",
/// "detail"?, "location"?}`, or from a list of them (one error standing for all).
#[pyfunction]
pub(crate) fn error_from_value<'py>(py: Python<'py>, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let value = doc_value(py, value)?;
        let error = api::error_from_records(&value).or_raise(py, &SpanSource::default())?;
        Ok(to_py_err(py, &error, &SpanSource::default(), &[]).into_value(py).into_bound(py).into_any())
    })
}

/// The RFC 7644 §3.12 body for a `ScimError`, with scimkit's extension listing every error
/// when there is more to say than the RFC body holds (spans there are in bytes, as on the wire).
#[pyfunction]
pub(crate) fn error_response<'py>(py: Python<'py>, error: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || to_py(py, &error_response_of(error)?))
}

/// The ServiceProviderConfig document; options as the core's `ServiceProviderOptions`.
#[pyfunction]
#[pyo3(signature = (base_url = None, **options))]
pub(crate) fn service_provider_config<'py>(
    py: Python<'py>,
    base_url: Option<&Bound<'py, PyString>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let base_url = opt_text(py, base_url)?;
        let options = self::options(py, options)?;
        let doc =
            api::service_provider_config_json(&options, base_url.as_deref()).or_raise(py, &SpanSource::default())?;
        json_out(py, &doc)
    })
}

/// The weak entity tag `W/"…"` of a resource.
#[pyfunction]
pub(crate) fn etag(py: Python<'_>, resource: &Bound<'_, PyAny>) -> PyResult<String> {
    guard(py, || {
        let resource = doc_text(py, resource)?;
        run(py, resource.len(), || api::etag_json(&resource)).or_raise(py, &SpanSource::default())
    })
}

/// Refuses a `filter` given to a discovery endpoint: a `ScimError` with status 403 (RFC 7644
/// §4); `None` (no filter) returns.
#[pyfunction]
#[pyo3(signature = (filter = None))]
pub(crate) fn refuse_filter(py: Python<'_>, filter: Option<&Bound<'_, PyString>>) -> PyResult<()> {
    guard(py, || {
        let filter = opt_text(py, filter)?;
        scimkit::protocol::refuse_filter(filter.as_deref()).or_raise(py, &SpanSource::default())
    })
}

/// [`refuse_filter`] for a discovery request's whole URI query string: raises the 403 when a
/// parameter is named `filter` (decoded, any case), 400 for a name with a malformed escape.
#[pyfunction]
pub(crate) fn refuse_filter_in_query(py: Python<'_>, query: &Bound<'_, PyString>) -> PyResult<()> {
    guard(py, || {
        let query = text(py, query)?;
        scimkit::protocol::refuse_filter_in_query(&query).or_raise(py, &SpanSource::default())
    })
}

/// `proceed`, `notModified` or `preconditionFailed` for `If-Match` / `If-None-Match`.
#[pyfunction]
#[pyo3(signature = (method, current_version = None, if_match = None, if_none_match = None))]
pub(crate) fn evaluate_preconditions(
    py: Python<'_>,
    method: &Bound<'_, PyString>,
    current_version: Option<&Bound<'_, PyString>>,
    if_match: Option<&Bound<'_, PyString>>,
    if_none_match: Option<&Bound<'_, PyString>>,
) -> PyResult<&'static str> {
    guard(py, || {
        let method = text(py, method)?;
        let current = opt_text(py, current_version)?;
        let if_match = opt_text(py, if_match)?;
        let if_none_match = opt_text(py, if_none_match)?;
        api::evaluate_preconditions(&method, current.as_deref(), if_match.as_deref(), if_none_match.as_deref())
            .or_raise(py, &SpanSource::default())
    })
}

/// A bulk request read, checked and planned: `{"failOnErrors", "operations": […]}` in
/// execution order; limits `max_operations`, `max_payload_size`.
#[pyfunction]
#[pyo3(signature = (request, **limits))]
pub(crate) fn bulk_plan<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
    limits: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let request = doc_text(py, request)?;
        let limits = options(py, limits)?;
        let plan = run(py, request.len(), || api::bulk_plan(&request, &limits)).or_raise(py, &SpanSource::default())?;
        serialized_out(py, &plan)
    })
}

/// Runs a bulk request with the caller executing each operation: take operations with
/// `next_operation()` (or by iterating), report each outcome with `record()`, then `finish()`.
#[pyclass(frozen, module = "scimkit", name = "BulkRunner")]
pub(crate) struct PyBulkRunner {
    inner: Mutex<BulkRunner>,
}

impl PyBulkRunner {
    fn lock(&self) -> MutexGuard<'_, BulkRunner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn next<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        guard(py, || {
            let next = api::bulk_next_json(&mut self.lock());
            next.map(|op| json_out(py, &op)).transpose()
        })
    }
}

#[pymethods]
impl PyBulkRunner {
    /// Plans `request` (limits `max_operations`, `max_payload_size`); `base_url` builds the
    /// `location`s of the response.
    #[new]
    #[pyo3(signature = (request, base_url = None, **limits))]
    fn new(
        py: Python<'_>,
        request: &Bound<'_, PyAny>,
        base_url: Option<&Bound<'_, PyString>>,
        limits: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        guard(py, || {
            let request = doc_text(py, request)?;
            let base_url = opt_text(py, base_url)?;
            let limits = options(py, limits)?;
            let runner = run(py, request.len(), || api::bulk_runner(&request, &limits, base_url.as_deref()))
                .or_raise(py, &SpanSource::default())?;
            Ok(Self { inner: Mutex::new(runner) })
        })
    }

    /// The next operation to run, references resolved, with its `index`; `None` when done.
    fn next_operation<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.next(py)
    }

    /// Records the outcome of the operation last handed out: `{"status": 2xx, "id"?,
    /// "location"?, "version"?}` or `{"error": {"status", "scimType"?, "detail"?}}`.
    fn record(&self, py: Python<'_>, outcome: &Bound<'_, PyAny>) -> PyResult<()> {
        guard(py, || {
            let outcome = doc_text(py, outcome)?;
            api::bulk_record_json(&mut self.lock(), &outcome).or_raise(py, &SpanSource::default())
        })
    }

    /// The BulkResponse for what has run so far.
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let runner = self.lock().clone();
            json_out(py, &api::bulk_finish_json(runner))
        })
    }

    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.next(py)
    }
}
