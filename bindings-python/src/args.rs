//! Arguments in, results out: documents (a `dict`/`list`/scalar, or raw JSON as `str`, `bytes`,
//! `bytearray` or `memoryview`), string arguments, keyword options, and the JSON the core
//! returns.
//!
//! Nothing here decides SCIM behaviour: documents reach the core as JSON text, exactly as a
//! request body would (so duplicate keys in any case, the size limit and the depth limit are the
//! core's), and options reach it as one camelCase JSON object holding only what the caller gave.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyMemoryView, PyString};
use scimkit::api::Document;
use scimkit::{Error, ErrorKind, Limits};
use serde::Serialize;
use serde_json::Value;

use crate::convert::{text_of, to_py, to_value, to_value_under, type_name};
use crate::error::{SpanSource, to_py_err};
use crate::keys::Keys;

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
    if let Some(bytes) = byte_buffer(obj)? {
        return read_text(&bytes).map(|text| Cow::Owned(text.into_owned())).or_raise(py, &SpanSource::default());
    }
    read_text(obj).or_raise(py, &SpanSource::default())
}

/// A `bytearray` or `memoryview` copied into `bytes`: JSON text as `bytes` is (as a request
/// body arrives from some frameworks), never a sequence of small integers. `None` otherwise.
fn byte_buffer<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    if obj.cast::<PyByteArray>().is_err() && obj.cast::<PyMemoryView>().is_err() {
        return Ok(None);
    }
    obj.py().get_type::<PyBytes>().call1((obj,)).map(Some)
}

/// Whether `obj` is JSON text: `str`, `bytes`, `bytearray` or `memoryview`.
fn is_text(obj: &Bound<'_, PyAny>) -> bool {
    obj.cast::<PyString>().is_ok()
        || obj.cast::<PyBytes>().is_ok()
        || obj.cast::<PyByteArray>().is_ok()
        || obj.cast::<PyMemoryView>().is_ok()
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
pub(crate) fn doc<'a>(py: Python<'_>, obj: &'a Bound<'_, PyAny>) -> PyResult<Document<'a>> {
    if is_text(obj) {
        return doc_text(py, obj).map(Document::Text);
    }
    to_value(obj).map(Document::Value).or_raise(py, &SpanSource::default())
}

/// A stored resource (to patch or hold) as [`doc`] reads a document, a value that cannot be
/// converted answered as the core answers a stored resource it cannot read (`invalidValue`,
/// "the stored resource: …"), as for its text.
pub(crate) fn stored_doc<'a>(py: Python<'_>, obj: &'a Bound<'_, PyAny>) -> PyResult<Document<'a>> {
    if is_text(obj) {
        return doc(py, obj);
    }
    to_value(obj)
        .map(Document::Value)
        .map_err(|e| scimkit::patch::stored_resource_error(&e))
        .or_raise(py, &SpanSource::default())
}

/// A document as a JSON value: JSON text (`str`, `bytes`) is read by the core's strict reader.
pub(crate) fn doc_value(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Some(bytes) = byte_buffer(obj)? {
        return read_value(&bytes).or_raise(py, &SpanSource::default());
    }
    read_value(obj).or_raise(py, &SpanSource::default())
}

/// Item `index` of a list of documents (a list, a tuple, an iterable's item) as a JSON value,
/// read as the same item inside a JSON array text is: one level less deep, and an error located
/// under `/index`.
pub(crate) fn doc_item(py: Python<'_>, obj: &Bound<'_, PyAny>, index: usize) -> PyResult<Value> {
    let value = match byte_buffer(obj)? {
        Some(bytes) => read_value(&bytes),
        None => read_value(obj),
    };
    let value = value.map_err(|e| e.in_item(index)).or_raise(py, &SpanSource::default())?;
    match scimkit::json::item_depth_error(&value, index, &read_limits()) {
        Some(error) => Err(error).or_raise(py, &SpanSource::default()),
        None => Ok(value),
    }
}

fn read_value(obj: &Bound<'_, PyAny>) -> Result<Value, Error> {
    if let Ok(s) = obj.cast::<PyString>() {
        return scimkit::json::parse_strict(&text_of(s)?, &read_limits());
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return scimkit::json::parse_bytes(b.as_bytes(), &read_limits());
    }
    // Held to the depth its text would be read under, with the reader's answer.
    let value = to_value(obj)?;
    match scimkit::json::depth_error(&value, read_limits().depth()) {
        Some(error) => Err(error),
        None => Ok(value),
    }
}

/// A number argument as the double the core reads, as a JS number is: a `float`, an `int`, or
/// any number type Python converts (`__float__`, `__index__`: numpy's); an integer past a
/// double's range as infinity of its sign, which the core refuses as it does any number out of
/// range.
///
/// # Errors
/// `TypeError` for anything else, a `bool` too (JS would not take one for a number either).
pub(crate) fn host_number(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<f64> {
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(f.value());
    }
    if obj.cast::<PyBool>().is_err() {
        match obj.extract::<f64>() {
            Ok(n) => return Ok(n),
            Err(_) if obj.cast::<PyInt>().is_ok() || obj.hasattr("__index__").unwrap_or(false) => {
                return Ok(if obj.lt(0_i32)? { f64::NEG_INFINITY } else { f64::INFINITY });
            }
            Err(_) => {}
        }
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!("{what} must be an int or a float, not {}", type_name(obj))))
}

/// The items of a sequence argument (a `list` or `tuple`, not a `str`).
///
/// # Errors
/// `TypeError` for anything else.
pub(crate) fn items<'py>(seq: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    seq.extract()
}

/// A sequence of documents given as JSON text (`str` or bytes): the text, for a caller that
/// reads it one document at a time; `None` for a sequence of documents.
pub(crate) fn docs_text<'a>(py: Python<'_>, seq: &'a Bound<'_, PyAny>) -> PyResult<Option<Cow<'a, str>>> {
    if is_text(seq) { doc_text(py, seq).map(Some) } else { Ok(None) }
}

/// A sequence of documents as JSON values; JSON text (`str` or `bytes`) is read as one JSON
/// array of them, as in JS (never as a sequence of characters or bytes).
pub(crate) fn doc_values(py: Python<'_>, seq: &Bound<'_, PyAny>) -> PyResult<Vec<Value>> {
    if is_text(seq) {
        let text = doc_text(py, seq)?;
        return scimkit::api::resources_from_json(&text).or_raise(py, &SpanSource::default());
    }
    items(seq)?.iter().enumerate().map(|(at, item)| doc_item(py, item, at)).collect()
}

/// Keyword options as the one camelCase JSON object the core reads (empty text when none
/// was given); `None` values count as not given.
pub(crate) fn options(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
    options_text(kwargs).or_raise(py, &SpanSource::default())
}

/// Keyword options as JSON text (see [`options`]): members in name order, a name given twice
/// (`base_url` and `baseUrl`) keeping its last value — the object a JSON map would hold —
/// written without building that map.
fn options_text(kwargs: Option<&Bound<'_, PyDict>>) -> Result<String, Error> {
    let mut members: Vec<(Cow<'static, str>, Value)> = Vec::new();
    for (key, value) in kwargs.into_iter().flat_map(PyDictMethods::iter) {
        if value.is_none() {
            continue;
        }
        let key = key.cast::<PyString>().map_or_else(|_| Ok(String::new()), text_of)?;
        let name = OPTION_NAMES
            .iter()
            .find(|(snake, _)| *snake == key)
            .map_or_else(|| Cow::Owned(camel_case(&key)), |(_, camel)| Cow::Borrowed(*camel));
        let value = option_value(&value, &name)?;
        members.push((name, value));
    }
    if members.is_empty() {
        return Ok(String::new());
    }
    members.sort_by(|a, b| a.0.cmp(&b.0));
    let mut text = Vec::with_capacity(64);
    text.push(b'{');
    let mut members = members.iter().peekable();
    while let Some((name, value)) = members.next() {
        if members.peek().is_some_and(|(next, _)| next == name) {
            continue;
        }
        if text.len() > 1 {
            text.push(b',');
        }
        serde_json::to_writer(&mut text, name)
            .and_then(|()| {
                text.push(b':');
                serde_json::to_writer(&mut text, value)
            })
            .map_err(|e| Error::new(ErrorKind::Internal, format!("options have no JSON form: {e}")))?;
    }
    text.push(b'}');
    String::from_utf8(text).map_err(|e| Error::new(ErrorKind::Internal, format!("options have no JSON form: {e}")))
}

/// A keyword no option has, in the options' camelCase (`max_ops` as `maxOps`), so that the
/// core's refusal names it as in every other runtime.
fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// An option's value as JSON: as a document's, except that an `int` past 64 bits (also one
/// inside a dict of limits) is the double nearest it, as a JS number that large arrives: the
/// core takes any whole number for a limit and saturates it.
fn option_value(obj: &Bound<'_, PyAny>, name: &str) -> Result<Value, Error> {
    if let Some(n) = huge_int(obj) {
        return Ok(n);
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        if dict.values().iter().any(|v| huge_int(&v).is_some()) {
            // The other members read as a document's are; the huge ones go in as doubles.
            let Value::Object(mut map) = to_value_under(without_huge_ints(dict)?.as_any(), name)? else {
                return to_value_under(obj, name);
            };
            for (key, value) in dict.iter() {
                if let Some(n) = huge_int(&value) {
                    let Ok(key) = key.cast::<PyString>() else { return to_value_under(obj, name) };
                    map.insert(text_of(key)?, n);
                }
            }
            return Ok(Value::Object(map));
        }
    }
    to_value_under(obj, name)
}

/// A copy of `dict` without its members whose values are `int`s past 64 bits.
fn without_huge_ints<'py>(dict: &Bound<'py, PyDict>) -> Result<Bound<'py, PyDict>, Error> {
    let rest = PyDict::new(dict.py());
    for (key, value) in dict.iter() {
        if huge_int(&value).is_none() {
            rest.set_item(key, value).map_err(|e| Error::new(ErrorKind::Internal, e.to_string()))?;
        }
    }
    Ok(rest)
}

/// An `int` (not a `bool`) past what 64 bits hold, as the double nearest it (past a double's
/// range, the largest double of its sign).
fn huge_int(obj: &Bound<'_, PyAny>) -> Option<Value> {
    if obj.cast::<PyInt>().is_err()
        || obj.cast::<PyBool>().is_ok()
        || obj.extract::<i64>().is_ok()
        || obj.extract::<u64>().is_ok()
    {
        return None;
    }
    let nearest =
        obj.extract::<f64>().unwrap_or_else(|_| if obj.lt(0_i32).unwrap_or(false) { f64::MIN } else { f64::MAX });
    serde_json::Number::from_f64(nearest).map(Value::Number)
}

/// The request document a failed call's error spans may point into (see `SpanSource`),
/// without copying it on success: it is read again from the caller's object when an error needs
/// it. Only a walked value whose call releases the GIL is kept as it was, since another thread
/// could change the caller's object meanwhile (`str` and `bytes` cannot change).
pub(crate) struct SpanDocument<'a>(Option<Document<'a>>);

impl<'a> SpanDocument<'a> {
    /// For `document`, about to go to a call of `weight` (see [`run`]).
    pub(crate) fn keep(document: &Document<'a>, weight: usize) -> Self {
        Self((matches!(document, Document::Value(_)) && weight >= DETACH_BYTES).then(|| document.clone()))
    }

    /// `error` as a Python exception whose spans point into the document `obj` was read as.
    pub(crate) fn raise(&self, py: Python<'_>, obj: &Bound<'_, PyAny>, error: &Error) -> PyErr {
        let text = match &self.0 {
            Some(document) => Ok(document.text()),
            None => read_text(obj),
        };
        match text {
            Ok(text) => to_py_err(py, error, &SpanSource::document(&text), &[]),
            Err(_) => to_py_err(py, error, &SpanSource::default(), &[]),
        }
    }
}

/// Runs a core call, with the GIL released when the input is large (`weight` bytes).
pub(crate) fn run<T: Send>(py: Python<'_>, weight: usize, call: impl FnOnce() -> T + Send) -> T {
    if weight >= DETACH_BYTES { py.detach(call) } else { call() }
}

/// A dict of named parts, each already converted.
pub(crate) fn parts_out<'py>(py: Python<'py>, parts: &[(&str, Bound<'py, PyAny>)]) -> PyResult<Bound<'py, PyAny>> {
    let dict = PyDict::new(py);
    let mut keys = Keys::take();
    for (key, value) in parts {
        dict.set_item(keys.get(py, key), value)?;
    }
    Ok(dict.into_any())
}

/// JSON text the core returned, as Python objects.
pub(crate) fn json_out<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::from_str::<Value>(text).map_err(|e| {
        let detail = format!("the core returned malformed JSON: {e}");
        to_py_err(py, &Error::new(ErrorKind::Internal, detail), &SpanSource::default(), &[])
    })?;
    to_py(py, &value)
}

/// A value the core returned (a result, notes, changes), as the Python objects of its JSON form:
/// built directly (see `serialize`), or through a `serde_json::Value` when that must decide.
pub(crate) fn serialized_out<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    if let Some(obj) = crate::serialize::to_py(py, value)? {
        return Ok(obj);
    }
    let value = serde_json::to_value(value).map_err(|e| {
        let detail = format!("a core result has no JSON form: {e}");
        to_py_err(py, &Error::new(ErrorKind::Internal, detail), &SpanSource::default(), &[])
    })?;
    to_py(py, &value)
}
