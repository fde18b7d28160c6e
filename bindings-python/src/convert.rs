//! Python objects ↔ `serde_json::Value`, by a hand-written walk (see `shared/BOUNDARY.md`:
//! faster in than `json.dumps`, pythonize or orjson, and every refusal becomes a `ScimError`).
//!
//! In: `None`, `bool`, `int` (within i64/u64), finite `float`, `str`, `dict` with `str` keys,
//! `list` and `tuple` (subclasses too). Anything else, a NaN or infinity, an integer beyond 64
//! bits, a non-`str` key, a key given again in another case (the core reader's rule for text), a
//! string holding a lone surrogate, or nesting deeper than
//! [`MAX_DEPTH`] (which also stops cyclic containers) is an `invalidSyntax` error located at the
//! offending value. Out: the JSON types as the plain Python ones, member names shared through
//! `keys`.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use scimkit::{Error, Location, ScimType};
use serde_json::{Map, Number, Value};

use crate::key_text::KeyText;
use crate::keys::Keys;

/// The deepest nesting of lists and dicts read (the document itself is depth 1): `serde_json`'s
/// own recursion limit for text, so a walked document is never deeper than a parsed one. The
/// core refuses anything deeper than `Limits::DEPTH_CEILING` (120) with its own error first.
pub(crate) const MAX_DEPTH: usize = 128;

/// One step of the path to a value that cannot be converted.
enum Segment {
    Key(String),
    Index(usize),
}

/// Why a value cannot be converted, and where (innermost segment first).
struct Refusal {
    detail: String,
    path: Vec<Segment>,
}

impl Refusal {
    fn new(detail: impl Into<String>) -> Self {
        Self { detail: detail.into(), path: Vec::new() }
    }

    fn under(mut self, segment: Segment) -> Self {
        self.path.push(segment);
        self
    }

    fn into_error(self) -> Error {
        let mut location = Location::root();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(k) => location.push_key(k),
                Segment::Index(i) => location.push_index(*i),
            }
        }
        Error::new(ScimType::InvalidSyntax, self.detail).at(location)
    }
}

/// A Python object as a JSON value.
///
/// # Errors
/// `invalidSyntax` at the offending value (see the module docs).
pub(crate) fn to_value(obj: &Bound<'_, PyAny>) -> Result<Value, Error> {
    walk(obj, 0, &mut KeyText::take()).map_err(Refusal::into_error)
}

/// A Python object as the value of the member `key` of a document (an option).
///
/// # Errors
/// As [`to_value`], located under `key`.
pub(crate) fn to_value_under(obj: &Bound<'_, PyAny>, key: &str) -> Result<Value, Error> {
    walk(obj, 0, &mut KeyText::take()).map_err(|r| r.under(Segment::Key(key.to_owned())).into_error())
}

/// A Python `str` argument (a filter, a path, a name) as Rust text.
///
/// # Errors
/// `invalidSyntax`, without a location, when the string holds a lone surrogate.
pub(crate) fn text_of(s: &Bound<'_, PyString>) -> Result<String, Error> {
    string(s).map_err(|r| Error::new(ScimType::InvalidSyntax, r.detail))
}

fn string(s: &Bound<'_, PyString>) -> Result<String, Refusal> {
    match s.to_cow() {
        Ok(text) => Ok(text.into_owned()),
        Err(_) => Err(lone_surrogate()),
    }
}

fn lone_surrogate() -> Refusal {
    Refusal::new("a string holds a lone surrogate, which is not Unicode text")
}

pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map_or_else(|_| "object".to_owned(), |n| n.to_string_lossy().into_owned())
}

fn nested(depth: usize) -> Result<usize, Refusal> {
    if depth >= MAX_DEPTH {
        return Err(Refusal::new(format!("the document nests deeper than {MAX_DEPTH} levels (or holds itself)")));
    }
    Ok(depth + 1)
}

/// The member names of one dict read so far, for finding one given again in another case (a
/// dict cannot hold one twice exactly). While there are few, each name is kept as a
/// fingerprint (its length and three bytes, ASCII case ignored) compared with those before it,
/// and only a matching fingerprint costs a look at the names; past that, a set of the names in
/// ASCII lower case, so no choice of names makes the check quadratic.
struct FoldedKeys {
    prints: [u64; FoldedKeys::SCAN],
    len: usize,
    set: Option<std::collections::HashSet<String>>,
}

impl FoldedKeys {
    const SCAN: usize = 32;

    const fn new() -> Self {
        Self { prints: [0; Self::SCAN], len: 0, set: None }
    }

    /// Whether `key` equals a name of `map` without regard to ASCII case; remembers it.
    fn seen_before(&mut self, map: &Map<String, Value>, key: &str) -> bool {
        if let Some(set) = &mut self.set {
            return !set.insert(key.to_ascii_lowercase());
        }
        let print = fingerprint(key);
        let known = self.prints.get(..self.len).unwrap_or_default();
        let seen = known.contains(&print) && map.keys().any(|k| k.len() == key.len() && k.eq_ignore_ascii_case(key));
        match self.prints.get_mut(self.len) {
            Some(slot) => {
                *slot = print;
                self.len += 1;
            }
            None => {
                self.set = Some(map.keys().map(|k| k.to_ascii_lowercase()).chain([key.to_ascii_lowercase()]).collect());
            }
        }
        seen
    }
}

/// A name's length and its first, middle and last bytes in ASCII lower case: equal for names
/// equal without regard to ASCII case.
fn fingerprint(key: &str) -> u64 {
    let b = key.as_bytes();
    let at = |i: usize| u64::from(b.get(i).map_or(0, u8::to_ascii_lowercase));
    let len = u64::try_from(b.len()).unwrap_or(u64::MAX);
    (len << 24) | (at(0) << 16) | (at(b.len() / 2) << 8) | at(b.len().saturating_sub(1))
}

/// `depth` is how many containers enclose `obj`; `names` reads member names.
fn walk(obj: &Bound<'_, PyAny>, depth: usize, names: &mut KeyText) -> Result<Value, Refusal> {
    if let Ok(s) = obj.cast::<PyString>() {
        return string(s).map(Value::String);
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let depth = nested(depth)?;
        let mut map = Map::new();
        let mut folded = FoldedKeys::new();
        for (key, value) in dict.iter() {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(Refusal::new(format!("object keys must be strings, found `{}`", type_name(&key))));
            };
            let key = names.text(key).ok_or_else(lone_surrogate)?;
            if folded.seen_before(&map, &key) {
                // As the core's reader refuses it in text, at the key given later.
                let detail = scimkit::json::repeated_key(&key).detail().to_owned();
                return Err(Refusal::new(detail).under(Segment::Key(key)));
            }
            match walk(&value, depth, names) {
                Ok(v) => {
                    map.insert(key, v);
                }
                Err(e) => return Err(e.under(Segment::Key(key))),
            }
        }
        return Ok(Value::Object(map));
    }
    if let Ok(list) = obj.cast::<PyList>() {
        let depth = nested(depth)?;
        return list
            .iter()
            .enumerate()
            .map(|(i, item)| walk(&item, depth, names).map_err(|e| e.under(Segment::Index(i))))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.cast::<PyInt>().is_ok() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        // Beyond 64 bits: the double nearest it, as the core's reader holds the same digits in
        // a document's text (and a JS number would); past a double's range, refused as there.
        return match obj.extract::<f64>() {
            Ok(f) => Number::from_f64(f).map(Value::Number),
            Err(_) => None,
        }
        .ok_or_else(|| Refusal::new("the integer is out of a JSON number's range (a double's, about ±1.8e308)"));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let f = f.value();
        return Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| Refusal::new(format!("`{f}` is not a JSON number")));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        let depth = nested(depth)?;
        return tuple
            .iter()
            .enumerate()
            .map(|(i, item)| walk(&item, depth, names).map_err(|e| e.under(Segment::Index(i))))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if let Some(value) = database_value(obj) {
        return value;
    }
    Err(Refusal::new(format!("a `{}` is not a JSON value", type_name(obj))))
}

/// What database drivers hand back where JSON has no type (psycopg's `numeric` and
/// `timestamptz`), as JSON: a `decimal.Decimal` is the number its digits write, and a
/// `datetime.datetime` with a UTC offset is its ISO 8601 text (as a JS `Date` is its
/// `toJSON()` text). A NaN or infinite decimal, or a datetime without an offset (which is no
/// one instant), is refused. `None` for every other type.
fn database_value(obj: &Bound<'_, PyAny>) -> Option<Result<Value, Refusal>> {
    let py = obj.py();
    let class = |module: &str, name: &str| py.import(module).and_then(|m| m.getattr(name)).ok();
    if class("decimal", "Decimal").is_some_and(|c| obj.is_instance(&c).unwrap_or(false)) {
        let digits = obj.str().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let finite = obj.call_method0("is_finite").and_then(|f| f.is_truthy()).unwrap_or(false);
        let number = scimkit::json::parse_strict(&digits, &scimkit::json::Limits::default())
            .ok()
            .filter(Value::is_number)
            .ok_or_else(|| {
                let why = if finite {
                    "is out of a JSON number's range (a double's, about ±1.8e308)"
                } else {
                    "is not a JSON number"
                };
                Refusal::new(format!("the decimal `{}` {why}", scimkit::excerpt(&digits)))
            });
        return Some(number);
    }
    if class("datetime", "datetime").is_some_and(|c| obj.is_instance(&c).unwrap_or(false)) {
        let offset = obj.call_method0("utcoffset").ok();
        if offset.is_none_or(|o| o.is_none()) {
            return Some(Err(Refusal::new("a `datetime` without a UTC offset (tzinfo) is no one instant")));
        }
        let text = obj.call_method0("isoformat").ok().and_then(|t| t.extract::<String>().ok());
        return Some(text.map(Value::String).ok_or_else(|| Refusal::new("the `datetime` has no ISO 8601 text")));
    }
    None
}

/// A JSON value as plain Python objects (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`).
///
/// # Errors
/// Only when Python cannot allocate.
pub(crate) fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    to_py_with(py, value, &mut Keys::take())
}

/// [`to_py`] with the member-name cache taken once for the whole value.
fn to_py_with<'py>(py: Python<'py>, value: &Value, keys: &mut Keys) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let items = items.iter().map(|item| to_py_with(py, item, keys)).collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(keys.get(py, k), to_py_with(py, v, keys)?)?;
            }
            dict.into_any()
        }
    })
}
