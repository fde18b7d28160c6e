//! `scimkit.Registry`: a compiled registry (schemas and resource types) and everything the
//! core does against one: validate, PATCH and diff, projection, sorting, list responses,
//! `meta`, and the discovery documents.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use scimkit::api;
use serde_json::Value;

use crate::args::{
    OrRaise, SpanDocument, doc, doc_item, doc_text, doc_values, docs_text, items, json_out, opt_text, options,
    parts_out, run, serialized_out, stored_doc, text,
};
use crate::convert::to_py;
use crate::error::{SpanSource, guard, to_py_err};
use crate::protocol::PyListQuery;

/// Schemas and resource types, checked to fit together.
#[pyclass(frozen, module = "scimkit", name = "Registry")]
pub(crate) struct PyRegistry {
    pub(crate) inner: scimkit::Registry,
}

fn doc_texts(py: Python<'_>, seq: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let docs = seq.map(items).transpose()?.unwrap_or_default();
    docs.iter().map(|d| doc_text(py, d).map(std::borrow::Cow::into_owned)).collect()
}

#[pymethods]
impl PyRegistry {
    /// The built-ins plus custom `schemas` and `resource_types` (each a dict or JSON text).
    #[new]
    #[pyo3(signature = (schemas = None, resource_types = None))]
    fn new(
        py: Python<'_>,
        schemas: Option<&Bound<'_, PyAny>>,
        resource_types: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        guard(py, || {
            let schemas = doc_texts(py, schemas)?;
            let resource_types = doc_texts(py, resource_types)?;
            let weight = schemas.iter().chain(&resource_types).map(String::len).sum();
            let inner = run(py, weight, || api::build_registry(&schemas, &resource_types))
                .or_raise(py, &SpanSource::default())?;
            Ok(Self { inner })
        })
    }

    /// Validates `body`; `{"resource", "notes"}` or a `ScimError` listing every error.
    #[pyo3(signature = (resource_type, body, **options))]
    fn validate<'py>(
        &self,
        py: Python<'py>,
        resource_type: &Bound<'py, PyString>,
        body: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.validate_as(py, resource_type, body, options, to_py)
    }

    /// `validate` with `resource` as the JSON text (`str`) the core wrote: ready to store or
    /// send, without building dicts.
    #[pyo3(signature = (resource_type, body, **options))]
    fn validate_text<'py>(
        &self,
        py: Python<'py>,
        resource_type: &Bound<'py, PyString>,
        body: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.validate_as(py, resource_type, body, options, json_text)
    }

    /// Applies a PATCH `request` to `resource`: `{"resource", "changes", "quirks", "notes"}`.
    #[pyo3(signature = (resource_type, resource, request, **options))]
    fn apply_patch<'py>(
        &self,
        py: Python<'py>,
        resource_type: &Bound<'py, PyString>,
        resource: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.apply_patch_as(py, resource_type, resource, request, options, to_py)
    }

    /// `apply_patch` with `resource` as the JSON text (`str`) the core wrote: ready to store
    /// or send, without building dicts.
    #[pyo3(signature = (resource_type, resource, request, **options))]
    fn apply_patch_text<'py>(
        &self,
        py: Python<'py>,
        resource_type: &Bound<'py, PyString>,
        resource: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.apply_patch_as(py, resource_type, resource, request, options, json_text)
    }

    /// `resource` (a dict or JSON text) held on the Rust side, to be patched in place: only
    /// each request and its report are converted. Options: `limits`.
    #[pyo3(signature = (resource_type, resource, **options))]
    fn hold(
        slf: &Bound<'_, Self>,
        resource_type: &Bound<'_, PyString>,
        resource: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<crate::held::PyHeldResource> {
        crate::held::PyHeldResource::hold(slf.py(), slf.clone().unbind(), resource_type, resource, options)
    }

    /// The PatchOp request that turns `old` into `new`.
    fn diff<'py>(
        &self,
        py: Python<'py>,
        resource_type: &Bound<'py, PyString>,
        old: &Bound<'py, PyAny>,
        new: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let resource_type = text(py, resource_type)?;
            let (old, new) = (doc_text(py, old)?, doc_text(py, new)?);
            let registry = &self.inner;
            let ops = run(py, old.len() + new.len(), || api::diff_text(registry, &resource_type, &old, &new))
                .or_raise(py, &SpanSource::default())?;
            json_out(py, &ops)
        })
    }

    /// `resource` projected per `attributes` or `excluded_attributes` (lists of names or one
    /// comma-separated string).
    #[pyo3(signature = (resource_type, resource, **selection))]
    fn project<'py>(
        &self,
        py: Python<'py>,
        resource_type: &Bound<'py, PyString>,
        resource: &Bound<'py, PyAny>,
        selection: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let resource_type = text(py, resource_type)?;
            let resource = doc_text(py, resource)?;
            let selection = options(py, selection)?;
            let registry = &self.inner;
            let out = run(py, resource.len(), || api::project_json(registry, &resource_type, &resource, &selection))
                .or_raise(py, &SpanSource::document(&selection))?;
            json_out(py, &out)
        })
    }

    /// `resources` sorted by `sort_by` (`sort_order`: `ascending` or `descending`).
    #[pyo3(signature = (resource_type, resources, sort_by, sort_order = None))]
    fn sort<'py>(
        &self,
        py: Python<'py>,
        resource_type: &Bound<'py, PyString>,
        resources: &Bound<'py, PyAny>,
        sort_by: &Bound<'py, PyString>,
        sort_order: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let resource_type = text(py, resource_type)?;
            let resources = Value::Array(doc_values(py, resources)?).to_string();
            let sort_by = text(py, sort_by)?;
            let sort_order = opt_text(py, sort_order)?.unwrap_or_default();
            let registry = &self.inner;
            let sorted = run(py, resources.len(), || {
                api::sort_json(registry, &resource_type, &resources, &sort_by, &sort_order)
            })
            .or_raise(py, &SpanSource::text(&sort_by))?;
            json_out(py, &sorted)
        })
    }

    /// The ListResponse answering `query` over `resources`: filter, sort, page, project.
    fn list_response<'py>(
        &self,
        py: Python<'py>,
        resource_type: &Bound<'py, PyString>,
        resources: &Bound<'py, PyAny>,
        query: &Bound<'py, PyListQuery>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let resource_type = text(py, resource_type)?;
            let query = &query.get().inner;
            let registry = &self.inner;
            let at_filter = SpanSource { text: query.filter_text(), document: None };
            // JSON text is read one resource at a time; a list or tuple is converted first (the
            // work then runs without the GIL); any other iterable — a generator, a database
            // cursor — is converted one resource at a time, holding only what the answer needs.
            let response = if let Some(resources) = docs_text(py, resources)? {
                run(py, resources.len(), || api::list_response_text(registry, &resource_type, &resources, query))
            } else if let Some(iterator) = one_at_a_time(resources) {
                // What the iterable raises comes through as it is: kept here, and the core handed
                // a stand-in error that stops its reading.
                let mut raised = None;
                let items = iterator.enumerate().map(|(at, item)| {
                    item.and_then(|item| doc_item(py, &item, at)).map_err(|e| {
                        raised = Some(e);
                        scimkit::Error::new(scimkit::ErrorKind::Internal, "the iterable raised")
                    })
                });
                let answer = api::list_response_iter(registry, &resource_type, query, items);
                if let Some(e) = raised {
                    return Err(e);
                }
                answer
            } else {
                let resources = doc_values(py, resources)?;
                let weight = resources.len().saturating_mul(1024);
                run(py, weight, || api::list_response(registry, &resource_type, resources, query))
            }
            .or_raise(py, &at_filter)?;
            serialized_out(py, &response)
        })
    }

    /// `resource` with `meta` filled (`base_url`, `created`, `last_modified`).
    #[pyo3(signature = (resource_type, resource, **options))]
    fn fill_meta<'py>(
        &self,
        py: Python<'py>,
        resource_type: &Bound<'py, PyString>,
        resource: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let resource_type = text(py, resource_type)?;
            let resource = doc_text(py, resource)?;
            let options = self::options(py, options)?;
            let registry = &self.inner;
            let out = run(py, resource.len(), || api::fill_meta_json(registry, &resource_type, &resource, &options))
                .or_raise(py, &SpanSource::default())?;
            json_out(py, &out)
        })
    }

    /// Where a request — a resource body, or a PatchOp (one with `Operations`) — names `value`
    /// as the `value` of `attribute` (`members`, `urn:…:manager`): a JSON pointer.
    fn value_location(
        &self,
        py: Python<'_>,
        resource_type: &Bound<'_, PyString>,
        request: &Bound<'_, PyAny>,
        attribute: &Bound<'_, PyString>,
        value: &Bound<'_, PyString>,
    ) -> PyResult<String> {
        guard(py, || {
            let resource_type = text(py, resource_type)?;
            let request = doc_text(py, request)?;
            let (attribute, value) = (text(py, attribute)?, text(py, value)?);
            let registry = &self.inner;
            run(py, request.len(), || api::value_location_json(registry, &resource_type, &request, &attribute, &value))
                .or_raise(py, &SpanSource::default())
        })
    }

    /// The `/ResourceTypes` ListResponse.
    #[pyo3(signature = (base_url = None))]
    fn resource_types<'py>(
        &self,
        py: Python<'py>,
        base_url: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let base_url = opt_text(py, base_url)?;
            json_out(py, &api::resource_types_json(&self.inner, base_url.as_deref()))
        })
    }

    /// The `/Schemas` ListResponse.
    #[pyo3(signature = (base_url = None))]
    fn schemas<'py>(&self, py: Python<'py>, base_url: Option<&Bound<'py, PyString>>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let base_url = opt_text(py, base_url)?;
            json_out(py, &api::schemas_json(&self.inner, base_url.as_deref()))
        })
    }

    /// The `/Schemas/<urn>` document; a 404 `ScimError` for an unknown URN.
    #[pyo3(signature = (urn, base_url = None))]
    fn schema_document<'py>(
        &self,
        py: Python<'py>,
        urn: &Bound<'py, PyString>,
        base_url: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let urn = text(py, urn)?;
            let base_url = opt_text(py, base_url)?;
            let doc = api::schema_document_json(&self.inner, &urn, base_url.as_deref())
                .or_raise(py, &SpanSource::default())?;
            json_out(py, &doc)
        })
    }

    /// The `/ResourceTypes/<id>` document (by id or name); a 404 `ScimError` when unknown.
    #[pyo3(signature = (id, base_url = None))]
    fn resource_type_document<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyString>,
        base_url: Option<&Bound<'py, PyString>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let id = text(py, id)?;
            let base_url = opt_text(py, base_url)?;
            let doc = api::resource_type_document_json(&self.inner, &id, base_url.as_deref())
                .or_raise(py, &SpanSource::default())?;
            json_out(py, &doc)
        })
    }
}

/// How a result hands its resource over: as Python data, or as JSON text.
type ResourceOut = for<'py> fn(Python<'py>, &Value) -> PyResult<Bound<'py, PyAny>>;

/// A resource as the JSON text the core writes.
#[expect(clippy::unnecessary_wraps, reason = "a `ResourceOut`, beside `to_py`, which can fail")]
fn json_text<'py>(py: Python<'py>, resource: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(PyString::new(py, &api::to_json(resource)).into_any())
}

impl PyRegistry {
    /// `validate` and `validate_text`: `resource_out` makes the resource.
    fn validate_as<'py>(
        &self,
        py: Python<'py>,
        resource_type: &Bound<'py, PyString>,
        body: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
        resource_out: ResourceOut,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let resource_type = text(py, resource_type)?;
            let body = doc(py, body)?;
            let options = self::options(py, options)?;
            let registry = &self.inner;
            let weight = body.weight() + options.len();
            match run(py, weight, || api::validate_document(registry, &resource_type, body, &options)) {
                Ok(v) => parts_out(
                    py,
                    &[("resource", resource_out(py, &v.resource)?), ("notes", serialized_out(py, &v.notes)?)],
                ),
                Err(invalid) => Err(to_py_err(py, &invalid.error, &SpanSource::default(), &invalid.notes)),
            }
        })
    }

    /// `apply_patch` and `apply_patch_text`: `resource_out` makes the resource.
    fn apply_patch_as<'py>(
        &self,
        py: Python<'py>,
        resource_type: &Bound<'py, PyString>,
        resource: &Bound<'py, PyAny>,
        request: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
        resource_out: ResourceOut,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let resource_type = text(py, resource_type)?;
            let resource = stored_doc(py, resource)?;
            let request_doc = doc(py, request)?;
            let options = self::options(py, options)?;
            let registry = &self.inner;
            let weight = resource.weight() + request_doc.weight();
            let spans = SpanDocument::keep(&request_doc, weight);
            let patched =
                run(py, weight, || api::patch_document(registry, &resource_type, resource, request_doc, &options))
                    .map_err(|e| spans.raise(py, request, &e))?;
            parts_out(
                py,
                &[
                    ("resource", resource_out(py, &patched.resource)?),
                    ("changes", serialized_out(py, &patched.changes)?),
                    ("quirks", serialized_out(py, &patched.quirks)?),
                    ("notes", serialized_out(py, &patched.notes)?),
                ],
            )
        })
    }
}

/// An iterator over `resources` when it is an iterable other than a list, a tuple or a mapping
/// (a generator, a database cursor), to be read one resource at a time; `None` for the rest,
/// which `doc_values` reads (or refuses) whole.
fn one_at_a_time<'py>(resources: &Bound<'py, PyAny>) -> Option<Bound<'py, pyo3::types::PyIterator>> {
    use pyo3::types::{PyList, PyMapping, PyTuple};
    if resources.cast::<PyList>().is_ok()
        || resources.cast::<PyTuple>().is_ok()
        || resources.cast::<PyMapping>().is_ok()
    {
        return None;
    }
    resources.try_iter().ok()
}
