//! Arguments in, results out: documents (a `dict`/`list`/scalar, or raw JSON as `str` or
//! `bytes`), string arguments, keyword options, and the JSON the core returns.
//!
//! Nothing here decides SCIM behaviour: documents reach the core as JSON text, exactly as a
//! request body would (so duplicate keys in any case, the size limit and the depth limit are the
//! core's), and options reach it as one camelCase JSON object holding only what the caller gave.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use scimkit::{Error, ErrorKind, Limits};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::convert::{text_of, to_py, to_value, to_value_under};
use crate::error::{SpanSource, to_py_err};

/// Keyword option names → the core's option names, fixed. A name not listed goes to the core
/// unchanged (camelCase given as such, or an unknown name the core then reports).
const OPTION_NAMES: &[(&str, &str)] = &[
    ("authentication_schemes", "authenticationSchemes"),
    ("base_url", "baseUrl"),
    ("canonical_values", "canonicalValues"),
    ("change_password", "changePassword"),
    ("default_count", "defaultCount"),
    ("documentation_uri", "documentationUri"),
    ("excluded_attributes", "excludedAttributes"),
    ("last_modified", "lastModified"),
    ("max_body_bytes", "maxBodyBytes"),
    ("max_comparisons", "maxComparisons"),
    ("max_count", "maxCount"),
    ("max_depth", "maxDepth"),
    ("max_length", "maxLength"),
    ("max_operations", "maxOperations"),
    ("max_payload_size", "maxPayloadSize"),
    ("max_values_per_attribute", "maxValuesPerAttribute"),
    ("unknown_attributes", "unknownAttributes"),
];

/// Core calls on inputs of at least this many bytes run with the GIL released: below it, the
/// release and re-acquisition cost more than the call.
const DETACH_BYTES: usize = 8 * 1024;

/// How the core reads a document it is given as text where it takes a JSON value (resources
/// to filter, list, sort): as `api.rs` reads resource lists, without the request body limit.
fn read_limits() -> Limits {
    Limits { max_body_bytes: usize::MAX, ..Limits::default() }
}

/// A result or the core error, converted with the spans it may carry.
pub(crate) trait OrRaise<T> {
    /// The value, or the error as a Python exception whose spans point into `source`.
    fn or_raise(self, py: Python<'_>, source: &SpanSource<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, Error> {
    fn or_raise(self, py: Python<'_>, source: &SpanSource<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, &e, source, &[]))
    }
}

/// A string argument.
pub(crate) fn text(py: Python<'_>, s: &Bound<'_, PyString>) -> PyResult<String> {
    text_of(s).or_raise(py, &SpanSource::default())
}

/// An optional string argument.
pub(crate) fn opt_text(py: Python<'_>, s: Option<&Bound<'_, PyString>>) -> PyResult<Option<String>> {
    s.map(|s| text(py, s)).transpose()
}

/// A document as JSON text: a `str` is the text itself, `bytes` its UTF-8, anything else is
/// converted (see `convert`).
pub(crate) fn doc_text<'a>(py: Python<'_>, obj: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    read_text(obj).or_raise(py, &SpanSource::default())
}

fn read_text<'a>(obj: &'a Bound<'_, PyAny>) -> Result<Cow<'a, str>, Error> {
    if let Ok(s) = obj.cast::<PyString>() {
        return text_of(s).map(Cow::Owned);
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        let bytes = b.as_bytes();
        return match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            // Not UTF-8, so not JSON: the core's reader says where (it cannot succeed here,
            // but if it did its value would be the document).
            Err(_) => scimkit::json::parse_bytes(bytes, &read_limits()).map(|v| Cow::Owned(v.to_string())),
        };
    }
    Ok(Cow::Owned(to_value(obj)?.to_string()))
}

/// Reads a document argument for the core: JSON text (`str`, `bytes`) stays text for the core's
/// strict reader; any other object is walked into a value once.
pub(crate) fn doc<'a>(py: Python<'_>, obj: &'a Bound<'_, PyAny>) -> PyResult<scimkit::api::Document<'a>> {
    if obj.cast::<PyString>().is_ok() || obj.cast::<PyBytes>().is_ok() {
        return doc_text(py, obj).map(scimkit::api::Document::Text);
    }
    to_value(obj).map(scimkit::api::Document::Value).or_raise(py, &SpanSource::default())
}

/// A document as a JSON value: JSON text (`str`, `bytes`) is read by the core's strict reader.
pub(crate) fn doc_value(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    read_value(obj).or_raise(py, &SpanSource::default())
}

fn read_value(obj: &Bound<'_, PyAny>) -> Result<Value, Error> {
    if let Ok(s) = obj.cast::<PyString>() {
        return scimkit::json::parse_strict(&text_of(s)?, &read_limits());
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return scimkit::json::parse_bytes(b.as_bytes(), &read_limits());
    }
    to_value(obj)
}

/// The items of a sequence argument (a `list` or `tuple`, not a `str`).
///
/// # Errors
/// `TypeError` for anything else.
pub(crate) fn items<'py>(seq: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    seq.extract()
}

/// A sequence of documents as JSON values.
pub(crate) fn doc_values(py: Python<'_>, seq: &Bound<'_, PyAny>) -> PyResult<Vec<Value>> {
    items(seq)?.iter().map(|item| doc_value(py, item)).collect()
}

/// Keyword options as the one camelCase JSON object the core reads (empty text when none
/// was given); `None` values count as not given.
pub(crate) fn options(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
    options_value(kwargs)
        .map(|m| if m.is_empty() { String::new() } else { Value::Object(m).to_string() })
        .or_raise(py, &SpanSource::default())
}

/// Keyword options as a JSON object (see [`options`]).
fn options_value(kwargs: Option<&Bound<'_, PyDict>>) -> Result<Map<String, Value>, Error> {
    let mut map = Map::new();
    for (key, value) in kwargs.into_iter().flat_map(PyDictMethods::iter) {
        if value.is_none() {
            continue;
        }
        let key = key.cast::<PyString>().map_or_else(|_| Ok(String::new()), text_of)?;
        let name = OPTION_NAMES.iter().find(|(snake, _)| *snake == key).map_or(key.as_str(), |(_, camel)| camel);
        let value = to_value_under(&value, name)?;
        map.insert(name.to_owned(), value);
    }
    Ok(map)
}

/// Runs a core call, with the GIL released when the input is large (`weight` bytes).
pub(crate) fn run<T: Send>(py: Python<'_>, weight: usize, call: impl FnOnce() -> T + Send) -> T {
    if weight >= DETACH_BYTES { py.detach(call) } else { call() }
}

/// A dict of named parts: values the core returned are walked once, without first being copied
/// into one combined value.
pub(crate) fn parts_out<'py>(py: Python<'py>, parts: &[(&str, &Value)]) -> PyResult<Bound<'py, PyAny>> {
    let dict = PyDict::new(py);
    for (key, value) in parts {
        dict.set_item(*key, to_py(py, value)?)?;
    }
    Ok(dict.into_any())
}

/// A serializable part (notes, changes) as a value.
pub(crate) fn part<T: Serialize + ?Sized>(py: Python<'_>, value: &T) -> PyResult<Value> {
    serde_json::to_value(value).map_err(|e| {
        let detail = format!("a core result has no JSON form: {e}");
        to_py_err(py, &Error::new(ErrorKind::Internal, detail), &SpanSource::default(), &[])
    })
}

/// JSON text the core returned, as Python objects.
pub(crate) fn json_out<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::from_str::<Value>(text).map_err(|e| {
        let detail = format!("the core returned malformed JSON: {e}");
        to_py_err(py, &Error::new(ErrorKind::Internal, detail), &SpanSource::default(), &[])
    })?;
    to_py(py, &value)
}

/// A value the core returned, through its JSON form, as Python objects.
pub(crate) fn serialized_out<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(value).map_err(|e| {
        let detail = format!("a core result has no JSON form: {e}");
        to_py_err(py, &Error::new(ErrorKind::Internal, detail), &SpanSource::default(), &[])
    })?;
    to_py(py, &value)
}
