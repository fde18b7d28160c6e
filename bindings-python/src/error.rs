//! The one error conversion: a core [`Error`] becomes a `scimkit.ScimError` (a `ValueError`),
//! or a `scimkit.InternalError` (a `ScimError`) for a 500. A panic anywhere in an export is
//! caught by [`guard`] and becomes an `InternalError`, never pyo3's `PanicException`.
//!
//! Attributes of the exception, in `snake_case`: `scim_type`, `status`, `location`, `span`,
//! `detail`, `errors` (one record per individual error, as the core serializes them), `notes`
//! (what the failed call noted: a validation's notes, a PATCH's quirks) and the method
//! `to_response()` (the core's RFC 7644 §3.12 body). Spans are converted from the core's bytes to code points of the string they point
//! into; the bodies (`to_response()`, `error_response()`) keep bytes, as on the wire.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use scimkit::{Error, ErrorKind, Note, excerpt};
use serde_json::Value;

use crate::convert::{to_py, to_value};

create_exception!(
    scimkit,
    ScimError,
    PyValueError,
    "A SCIM error: `scim_type`, `status`, `location`, `span` (code points), `detail`, `errors`, `notes`, `to_response()`."
);
create_exception!(scimkit, InternalError, ScimError, "A failure inside scimkit itself (status 500), never bad input.");

/// What the spans of an error point into: the string at the error's location in `document`
/// (a PATCH path inside a request, a filter inside a SearchRequest) when there is one, else
/// `text` (a filter or path given on its own).
#[derive(Clone, Copy, Default)]
pub(crate) struct SpanSource<'a> {
    /// The string argument that spans without a document string point into.
    pub text: Option<&'a str>,
    /// The JSON text of the document whose strings spans may point into.
    pub document: Option<&'a str>,
}

impl<'a> SpanSource<'a> {
    /// Spans point into `text`.
    pub(crate) const fn text(text: &'a str) -> Self {
        Self { text: Some(text), document: None }
    }

    /// Spans point into strings of `document`.
    pub(crate) const fn document(document: &'a str) -> Self {
        Self { text: None, document: Some(document) }
    }
}

/// Holds the core error behind a `ScimError`, for `to_response()` and `error_response()`.
/// Pickled (so a `ScimError` crosses process boundaries) as the two bodies the core made.
#[pyclass(frozen, module = "scimkit._native", name = "_ErrorData")]
pub(crate) struct ErrorData {
    held: Held,
}

/// What `__reduce__` gives pickle: the constructor and its two bodies.
type Reduced<'py> = (Bound<'py, PyAny>, (Bound<'py, PyAny>, Bound<'py, PyAny>));

enum Held {
    /// As raised.
    Error(Error),
    /// As unpickled: the RFC body and the body with scimkit's extension.
    Bodies { response: Value, extended: Value },
}

impl ErrorData {
    /// The body with scimkit's extension: `scimkit::protocol::error_response`, the value
    /// `api::error_response_json` prints.
    pub(crate) fn error_response(&self) -> Value {
        match &self.held {
            Held::Error(e) => scimkit::protocol::error_response(e),
            Held::Bodies { extended, .. } => extended.clone(),
        }
    }

    fn response(&self) -> Value {
        match &self.held {
            Held::Error(e) => e.to_response(),
            Held::Bodies { response, .. } => response.clone(),
        }
    }
}

#[pymethods]
impl ErrorData {
    /// Rebuilds pickled data from its two bodies.
    #[new]
    fn new(response: &Bound<'_, PyAny>, extended: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = response.py();
        guard(py, || {
            let response = to_value(response).map_err(|e| to_py_err(py, &e, &SpanSource::default(), &[]))?;
            let extended = to_value(extended).map_err(|e| to_py_err(py, &e, &SpanSource::default(), &[]))?;
            Ok(Self { held: Held::Bodies { response, extended } })
        })
    }

    /// The RFC 7644 §3.12 error body (`status` is a string there).
    fn to_response<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.response())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py>> {
        let py = slf.py();
        let this = slf.get();
        Ok((slf.get_type().into_any(), (to_py(py, &this.response())?, to_py(py, &this.error_response())?)))
    }
}

/// `byte` of `text` as a code-point offset (a byte inside a character counts that character
/// as before it; past the end gives the length).
fn code_points(text: &str, byte: usize) -> usize {
    text.char_indices().take_while(|(i, _)| *i < byte).count()
}

/// The string a span of `e` points into.
fn span_text<'a>(e: &Error, source: &SpanSource<'a>, document: Option<&'a Value>) -> Option<&'a str> {
    let in_document = document.zip(e.location()).and_then(|(d, l)| d.pointer(l.as_str())).and_then(Value::as_str);
    in_document.or(source.text)
}

/// The span of `e` in code points, as `{"start", "end"}`, or `None`.
fn span_value(e: &Error, source: &SpanSource<'_>, document: Option<&Value>) -> Value {
    match (e.span(), span_text(e, source, document)) {
        (Some(span), Some(text)) => {
            serde_json::json!({"start": code_points(text, span.start), "end": code_points(text, span.end)})
        }
        _ => Value::Null,
    }
}

/// The Python exception for `error`: a `ScimError`, or an `InternalError` for a 500.
pub(crate) fn to_py_err(py: Python<'_>, error: &Error, source: &SpanSource<'_>, notes: &[Note]) -> PyErr {
    match build(py, error, source, notes) {
        Ok(err) | Err(err) => err,
    }
}

fn build(py: Python<'_>, error: &Error, source: &SpanSource<'_>, notes: &[Note]) -> Result<PyErr, PyErr> {
    let ty =
        if error.kind() == ErrorKind::Internal { py.get_type::<InternalError>() } else { py.get_type::<ScimError>() };
    let err = PyErr::from_type(ty, (error.to_string(),));
    let exc = err.value(py);
    // Spans inside a document: read it once, only when some error has a span.
    let parsed = match source.document {
        Some(text) if error.errors().iter().any(|e| e.span().is_some()) => serde_json::from_str::<Value>(text).ok(),
        _ => None,
    };
    let records = error
        .errors()
        .iter()
        .map(|e| {
            let mut record = serde_json::to_value(e).unwrap_or(Value::Null);
            if let (Value::Object(map), Some(_)) = (&mut record, e.span()) {
                map.insert("span".into(), span_value(e, source, parsed.as_ref()));
            }
            record
        })
        .collect();
    let span = span_value(error, source, parsed.as_ref());
    let data = Bound::new(py, ErrorData { held: Held::Error(error.clone()) })?;
    let attrs = PyDict::new(py);
    attrs.set_item("scim_type", error.scim_type().map(scimkit::ScimType::as_str))?;
    attrs.set_item("status", error.status())?;
    attrs.set_item("location", error.location().map(scimkit::Location::as_str))?;
    attrs.set_item("span", to_py(py, &span)?)?;
    attrs.set_item("detail", error.detail())?;
    attrs.set_item("errors", to_py(py, &Value::Array(records))?)?;
    // The error's own notes (a failed PATCH's quirks), then those of a failed validation.
    let all: Vec<&Note> = error.notes().iter().chain(notes).collect();
    attrs.set_item("notes", to_py(py, &serde_json::to_value(all).unwrap_or(Value::Null))?)?;
    attrs.set_item("to_response", data.getattr("to_response")?)?;
    attrs.set_item("_error", data)?;
    for (name, value) in attrs.iter() {
        exc.setattr(name.cast::<pyo3::types::PyString>()?, value)?;
    }
    Ok(err)
}

/// The body with scimkit's extension for a `ScimError` made by scimkit (see
/// [`ErrorData::error_response`]).
///
/// # Errors
/// `TypeError` for any other object.
pub(crate) fn error_response_of(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let data = obj.getattr("_error").ok();
    match data.as_ref().and_then(|d| d.cast::<ErrorData>().ok()) {
        Some(d) => Ok(d.get().error_response()),
        None => Err(pyo3::exceptions::PyTypeError::new_err("expected a ScimError raised by scimkit")),
    }
}

/// The text of a panic payload.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Runs the body of an export: a panic becomes an `InternalError` (status 500).
pub(crate) fn guard<T>(py: Python<'_>, body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let detail = format!("scimkit failed unexpectedly: {}", excerpt(&panic_text(payload.as_ref())));
        Err(to_py_err(py, &Error::new(ErrorKind::Internal, detail), &SpanSource::default(), &[]))
    })
}

#[cfg(test)]
mod tests {
    use super::code_points;

    #[test]
    fn byte_offsets_become_code_points() {
        let text = "aé😀b";
        assert_eq!(code_points(text, 0), 0);
        assert_eq!(code_points(text, 1), 1);
        assert_eq!(code_points(text, 3), 2);
        assert_eq!(code_points(text, 7), 3);
        assert_eq!(code_points(text, 8), 4);
        assert_eq!(code_points(text, 99), 4);
        // Inside a character: that character counts as before the offset.
        assert_eq!(code_points(text, 2), 2);
    }
}
