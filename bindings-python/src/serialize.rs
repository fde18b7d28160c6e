//! A serializable core result (notes, changes, a ListResponse…) straight into Python objects,
//! without first building a `serde_json::Value` and walking it.
//!
//! The objects are exactly those of `serde_json::to_value` followed by [`crate::convert::to_py`]:
//! a struct or map becomes a `dict` whose keys are in sorted order (`serde_json`'s map is a
//! `BTreeMap`; a repeated key keeps its last value), an enum variant its name (or a one-member
//! dict), a sequence a `list`, `None`/unit `None`, a non-finite float `None`. What `to_value`
//! would refuse (a map key that is not text-like, an integer beyond 64 bits) or anything unusual
//! makes [`to_py`] return `None`, and the caller takes the `to_value` route, which then gives
//! the same answer as before.

use std::borrow::Cow;
use std::fmt::Display;

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString};
use serde::ser::{self, Serialize};

use crate::keys::Keys;

/// `value` as Python objects, or `None` when the `to_value` route must decide (see the module
/// docs).
///
/// # Errors
/// Only when Python cannot allocate.
pub(crate) fn to_py<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Option<Bound<'py, PyAny>>> {
    match value.serialize(Serializer { py, keys: &mut Keys::take() }) {
        Ok(obj) => Ok(Some(obj)),
        Err(Refused::Python(e)) => Err(e),
        Err(Refused::Unusual) => Ok(None),
    }
}

/// Why a value was not built here.
#[derive(Debug)]
pub(crate) enum Refused {
    /// Python failed (out of memory).
    Python(PyErr),
    /// Left to the `to_value` route.
    Unusual,
}

impl From<PyErr> for Refused {
    fn from(e: PyErr) -> Self {
        Self::Python(e)
    }
}

impl Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Python(e) => write!(f, "{e}"),
            Self::Unusual => f.write_str("left to serde_json"),
        }
    }
}

impl std::error::Error for Refused {}

impl ser::Error for Refused {
    fn custom<M: Display>(_: M) -> Self {
        Self::Unusual
    }
}

type Out<'py> = Result<Bound<'py, PyAny>, Refused>;

struct Serializer<'k, 'py> {
    py: Python<'py>,
    keys: &'k mut Keys,
}

impl<'py> Serializer<'_, 'py> {
    fn reborrow(&mut self) -> Serializer<'_, 'py> {
        Serializer { py: self.py, keys: self.keys }
    }

    fn int(&self, value: impl IntoPyObject<'py>) -> Out<'py> {
        Ok(value.into_bound_py_any(self.py)?)
    }

    /// `{variant: value}`.
    fn wrapped(&mut self, variant: &'static str, value: Bound<'py, PyAny>) -> Out<'py> {
        let dict = PyDict::new(self.py);
        dict.set_item(self.keys.get(self.py, variant), value)?;
        Ok(dict.into_any())
    }
}

impl<'k, 'py> ser::Serializer for Serializer<'k, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Refused;
    type SerializeSeq = Seq<'k, 'py>;
    type SerializeTuple = Seq<'k, 'py>;
    type SerializeTupleStruct = Seq<'k, 'py>;
    type SerializeTupleVariant = Seq<'k, 'py>;
    type SerializeMap = Members<'k, 'py>;
    type SerializeStruct = Members<'k, 'py>;
    type SerializeStructVariant = Members<'k, 'py>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.int(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.int(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.int(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        self.int(v)
    }
    fn serialize_i128(self, v: i128) -> Out<'py> {
        // serde_json keeps an i128 that fits 64 bits and refuses the rest.
        match (u64::try_from(v), i64::try_from(v)) {
            (Ok(u), _) => self.int(u),
            (_, Ok(i)) => self.int(i),
            _ => Err(Refused::Unusual),
        }
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.int(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.int(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.int(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        self.int(v)
    }
    fn serialize_u128(self, v: u128) -> Out<'py> {
        u64::try_from(v).map_or(Err(Refused::Unusual), |u| self.int(u))
    }
    fn serialize_f32(self, v: f32) -> Out<'py> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        // serde_json's value for a NaN or an infinity is `null`.
        Ok(if v.is_finite() { PyFloat::new(self.py, v).into_any() } else { self.py.None().into_bound(self.py) })
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> Out<'py> {
        let items = v.iter().map(|b| u64::from(*b).into_bound_py_any(self.py)).collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(self.py, items)?.into_any())
    }
    fn serialize_none(self) -> Out<'py> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Out<'py> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Out<'py> {
        // A fixed name: shared like a member name.
        Ok(self.keys.get(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let inner = value.serialize(self.reborrow())?;
        self.wrapped(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'k, 'py>, Refused> {
        Ok(Seq { ser: self, items: Vec::with_capacity(len.unwrap_or(0)), variant: None })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'k, 'py>, Refused> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'k, 'py>, Refused> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq<'k, 'py>, Refused> {
        Ok(Seq { ser: self, items: Vec::with_capacity(len), variant: Some(variant) })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Members<'k, 'py>, Refused> {
        Ok(Members { ser: self, entries: Vec::with_capacity(len.unwrap_or(0)), key: None, variant: None })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Members<'k, 'py>, Refused> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Members<'k, 'py>, Refused> {
        Ok(Members { ser: self, entries: Vec::with_capacity(len), key: None, variant: Some(variant) })
    }
}

/// A sequence being built (as a one-member dict `{variant: [...]}` for a tuple variant).
pub(crate) struct Seq<'k, 'py> {
    ser: Serializer<'k, 'py>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> Seq<'_, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        let item = value.serialize(self.ser.reborrow())?;
        self.items.push(item);
        Ok(())
    }

    fn finish(mut self) -> Out<'py> {
        let list = PyList::new(self.ser.py, self.items)?.into_any();
        match self.variant {
            Some(variant) => self.ser.wrapped(variant, list),
            None => Ok(list),
        }
    }
}

impl<'py> ser::SerializeSeq for Seq<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Refused;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        self.push(value)
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeTuple for Seq<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Refused;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        self.push(value)
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleStruct for Seq<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        self.push(value)
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleVariant for Seq<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        self.push(value)
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

/// The members of a struct or map being built, put into a dict in key order at the end (as a
/// one-member dict `{variant: {...}}` for a struct variant).
pub(crate) struct Members<'k, 'py> {
    ser: Serializer<'k, 'py>,
    entries: Vec<(Cow<'static, str>, Bound<'py, PyAny>)>,
    /// The key given by `serialize_key`, waiting for its value.
    key: Option<String>,
    variant: Option<&'static str>,
}

impl<'py> Members<'_, 'py> {
    fn member<T: Serialize + ?Sized>(&mut self, key: Cow<'static, str>, value: &T) -> Result<(), Refused> {
        let value = value.serialize(self.ser.reborrow())?;
        self.entries.push((key, value));
        Ok(())
    }

    fn finish(mut self) -> Out<'py> {
        let py = self.ser.py;
        // Sorted as serde_json's `BTreeMap` is; a stable sort keeps repeated keys in order, so
        // the last value of a repeated key is the one the dict keeps.
        if !self.entries.is_sorted_by(|a, b| a.0 < b.0) {
            self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        }
        let dict = PyDict::new(py);
        for (key, value) in self.entries {
            dict.set_item(self.ser.keys.get(py, &key), value)?;
        }
        let dict = dict.into_any();
        match self.variant {
            Some(variant) => self.ser.wrapped(variant, dict),
            None => Ok(dict),
        }
    }
}

impl<'py> ser::SerializeMap for Members<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Refused;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Refused> {
        self.key = Some(key.serialize(KeyText)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        let key = self.key.take().ok_or(Refused::Unusual)?;
        self.member(Cow::Owned(key), value)
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeStruct for Members<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Refused> {
        self.member(Cow::Borrowed(key), value)
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeStructVariant for Members<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Refused> {
        self.member(Cow::Borrowed(key), value)
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

/// A map key as text, as `serde_json` writes it: a string, a char, an integer or a bool in
/// decimal or as `true`/`false`, a unit variant's name. Anything else (a float key included) is
/// left to `serde_json`.
struct KeyText;

type Key = Result<String, Refused>;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Refused;
    type SerializeSeq = ser::Impossible<String, Refused>;
    type SerializeTuple = ser::Impossible<String, Refused>;
    type SerializeTupleStruct = ser::Impossible<String, Refused>;
    type SerializeTupleVariant = ser::Impossible<String, Refused>;
    type SerializeMap = ser::Impossible<String, Refused>;
    type SerializeStruct = ser::Impossible<String, Refused>;
    type SerializeStructVariant = ser::Impossible<String, Refused>;

    fn serialize_bool(self, v: bool) -> Key {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Key {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Key {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Key {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Key {
        Ok(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Key {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Key {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Key {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Key {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Key {
        Ok(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Key {
        Ok(v.to_string())
    }
    fn serialize_f32(self, _: f32) -> Key {
        Err(Refused::Unusual)
    }
    fn serialize_f64(self, _: f64) -> Key {
        Err(Refused::Unusual)
    }
    fn serialize_char(self, v: char) -> Key {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Key {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, _: &[u8]) -> Key {
        Err(Refused::Unusual)
    }
    fn serialize_none(self) -> Key {
        Err(Refused::Unusual)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Key {
        Err(Refused::Unusual)
    }
    fn serialize_unit(self) -> Key {
        Err(Refused::Unusual)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Key {
        Err(Refused::Unusual)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Key {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Key {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Key {
        Err(Refused::Unusual)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Refused> {
        Err(Refused::Unusual)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Refused> {
        Err(Refused::Unusual)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Refused> {
        Err(Refused::Unusual)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Refused> {
        Err(Refused::Unusual)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Refused> {
        Err(Refused::Unusual)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Refused> {
        Err(Refused::Unusual)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Refused> {
        Err(Refused::Unusual)
    }
}
