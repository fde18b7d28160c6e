//! Writing JSON text: compact, byte for byte the text `serde_json::to_string` writes.
//!
//! `serde_json` writes through `io::Write`: every comma, colon and quote is a one-byte slice
//! copy. Native code shrugs that off; in WebAssembly each of those copies is a call into the
//! engine's memory-copy routine, and printing a 1.5 KB user cost about as much as validating
//! it. This writer pushes punctuation as bytes, copies each string once when it needs no
//! escape (the common case: strings are checked eight bytes at a time), and is what every
//! JSON-text answer of [`crate::api`] goes through.

use std::fmt;

use super::plain::plain_end;

use serde::ser::{self, Serialize};

/// Why a value could not be written: a map key `serde_json` refuses too (not a string, a
/// number, a boolean or a character; a float that is not finite), or a `Serialize`
/// implementation that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError(String);

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WriteError {}

impl ser::Error for WriteError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

/// `value` as compact JSON text: the same text `serde_json::to_string` gives.
///
/// ```
/// let v = serde_json::json!({"userName": "bjensen\n", "emails": [{"value": "b@example.com"}], "n": 1.5});
/// assert_eq!(scimkit::json::to_string(&v).ok(), serde_json::to_string(&v).ok());
/// ```
///
/// # Errors
/// [`WriteError`] when `value`'s `Serialize` fails, or for a map key `serde_json` refuses
/// too (see [`WriteError`]).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, WriteError> {
    let mut out = Writer { out: String::with_capacity(512) };
    value.serialize(&mut out)?;
    Ok(out.out)
}

/// Appends `s` as a JSON string, quoted and escaped as `serde_json` escapes it (`"`, `\`, and
/// the control characters: `\b \t \n \f \r` by name, the others as `\u00XX`).
fn push_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut at = 0;
    loop {
        at = plain_end(bytes, at);
        let Some(&b) = bytes.get(at) else { break };
        // `at` is at an ASCII byte, so both ends of the run are character boundaries.
        out.push_str(s.get(start..at).unwrap_or_default());
        push_escape(out, b);
        at += 1;
        start = at;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

fn push_escape(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        0x08 => out.push_str("\\b"),
        0x09 => out.push_str("\\t"),
        0x0A => out.push_str("\\n"),
        0x0C => out.push_str("\\f"),
        0x0D => out.push_str("\\r"),
        _ => {
            out.push_str("\\u00");
            out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
            out.push(char::from(HEX.get(usize::from(b & 0xF)).copied().unwrap_or(b'0')));
        }
    }
}

/// Appends the decimal digits of `v` (with `-` when `negative`).
fn push_digits(out: &mut String, negative: bool, mut v: u128) {
    let mut buf = [0u8; 40];
    let mut at = buf.len();
    while at > 0 {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            // `v % 10` is below 10.
            *slot = b'0' + u8::try_from(v % 10).unwrap_or(0);
        }
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if negative {
        out.push('-');
    }
    for &b in buf.get(at..).unwrap_or_default() {
        out.push(char::from(b));
    }
}

fn push_unsigned(out: &mut String, v: impl Into<u128>) {
    push_digits(out, false, v.into());
}

fn push_signed(out: &mut String, v: impl Into<i128>) {
    let v = v.into();
    push_digits(out, v < 0, v.unsigned_abs());
}

/// A float as `serde_json` writes it (shortest round-trip digits; `null` when not finite).
/// Floats are rare in SCIM documents: `serde_json` itself writes them.
fn push_float<F: Serialize>(out: &mut String, f: F) {
    match serde_json::to_string(&f) {
        Ok(text) => out.push_str(&text),
        Err(_) => out.push_str("null"),
    }
}

struct Writer {
    out: String,
}

/// An array or object being written.
pub struct Compound<'w> {
    w: &'w mut Writer,
    first: bool,
    /// Whether an enclosing `{"variant":` must be closed too.
    in_variant: bool,
}

impl<'w> Compound<'w> {
    fn open(w: &'w mut Writer, open: char, in_variant: bool) -> Self {
        w.out.push(open);
        Self { w, first: true, in_variant }
    }

    fn comma(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.w.out.push(',');
        }
    }

    fn close(self, close: char) {
        self.w.out.push(close);
        if self.in_variant {
            self.w.out.push('}');
        }
    }
}

impl Writer {
    /// `{"variant":` for the enum forms `serde_json` writes as a one-key object.
    fn open_variant(&mut self, variant: &str) {
        self.out.push('{');
        push_str(&mut self.out, variant);
        self.out.push(':');
    }
}

impl<'w> ser::Serializer for &'w mut Writer {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Compound<'w>;
    type SerializeTuple = Compound<'w>;
    type SerializeTupleStruct = Compound<'w>;
    type SerializeTupleVariant = Compound<'w>;
    type SerializeMap = Compound<'w>;
    type SerializeStruct = Compound<'w>;
    type SerializeStructVariant = Compound<'w>;

    fn serialize_bool(self, v: bool) -> Result<(), WriteError> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), WriteError> {
        push_signed(&mut self.out, v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), WriteError> {
        push_signed(&mut self.out, v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), WriteError> {
        push_signed(&mut self.out, v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), WriteError> {
        push_signed(&mut self.out, v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), WriteError> {
        push_signed(&mut self.out, v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), WriteError> {
        push_unsigned(&mut self.out, v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), WriteError> {
        push_unsigned(&mut self.out, v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), WriteError> {
        push_unsigned(&mut self.out, v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), WriteError> {
        push_unsigned(&mut self.out, v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), WriteError> {
        push_unsigned(&mut self.out, v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), WriteError> {
        push_float(&mut self.out, v);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), WriteError> {
        push_float(&mut self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), WriteError> {
        push_str(&mut self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        push_str(&mut self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), WriteError> {
        self.out.push('[');
        for (i, b) in v.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            push_unsigned(&mut self.out, *b);
        }
        self.out.push(']');
        Ok(())
    }
    fn serialize_none(self) -> Result<(), WriteError> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), WriteError> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), WriteError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _i: u32, variant: &'static str) -> Result<(), WriteError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w>, WriteError> {
        Ok(Compound::open(self, '[', false))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'w>, WriteError> {
        Ok(Compound::open(self, '[', false))
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'w>, WriteError> {
        Ok(Compound::open(self, '[', false))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w>, WriteError> {
        self.open_variant(variant);
        Ok(Compound::open(self, '[', true))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w>, WriteError> {
        Ok(Compound::open(self, '{', false))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'w>, WriteError> {
        Ok(Compound::open(self, '{', false))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w>, WriteError> {
        self.open_variant(variant);
        Ok(Compound::open(self, '{', true))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.comma();
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), WriteError> {
        self.close(']');
        Ok(())
    }
}

/// Tuples, tuple structs and tuple variants are written as arrays, as sequences are.
macro_rules! written_as_seq {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = WriteError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
                ser::SerializeSeq::serialize_element(self, value)
            }
            fn end(self) -> Result<(), WriteError> {
                ser::SerializeSeq::end(self)
            }
        }
    )*};
}

written_as_seq!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WriteError> {
        self.comma();
        key.serialize(KeyWriter { out: &mut self.w.out })?;
        self.w.out.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), WriteError> {
        self.close('}');
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), WriteError> {
        self.comma();
        push_str(&mut self.w.out, key);
        self.w.out.push(':');
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), WriteError> {
        self.close('}');
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), WriteError> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), WriteError> {
        self.close('}');
        Ok(())
    }
}

/// Writes a map key as `serde_json` takes one: a string or a character as it is; an integer, a
/// finite float or a boolean quoted; a unit variant by name; `Some` and newtype structs by what
/// they hold; anything else refused.
struct KeyWriter<'o> {
    out: &'o mut String,
}

fn key_must_be_a_string() -> WriteError {
    WriteError("key must be a string".to_owned())
}

fn float_key_must_be_finite() -> WriteError {
    WriteError("float key must be finite (got NaN or +/-inf)".to_owned())
}

impl KeyWriter<'_> {
    fn quoted(self, write: impl FnOnce(&mut String)) {
        self.out.push('"');
        write(self.out);
        self.out.push('"');
    }
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = ser::Impossible<(), WriteError>;
    type SerializeTuple = ser::Impossible<(), WriteError>;
    type SerializeTupleStruct = ser::Impossible<(), WriteError>;
    type SerializeTupleVariant = ser::Impossible<(), WriteError>;
    type SerializeMap = ser::Impossible<(), WriteError>;
    type SerializeStruct = ser::Impossible<(), WriteError>;
    type SerializeStructVariant = ser::Impossible<(), WriteError>;

    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        push_str(self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), WriteError> {
        push_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), WriteError> {
        self.quoted(|o| o.push_str(if v { "true" } else { "false" }));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), WriteError> {
        self.quoted(|o| push_signed(o, v));
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), WriteError> {
        self.quoted(|o| push_signed(o, v));
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), WriteError> {
        self.quoted(|o| push_signed(o, v));
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), WriteError> {
        self.quoted(|o| push_signed(o, v));
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), WriteError> {
        self.quoted(|o| push_signed(o, v));
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), WriteError> {
        self.quoted(|o| push_unsigned(o, v));
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), WriteError> {
        self.quoted(|o| push_unsigned(o, v));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), WriteError> {
        self.quoted(|o| push_unsigned(o, v));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), WriteError> {
        self.quoted(|o| push_unsigned(o, v));
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), WriteError> {
        self.quoted(|o| push_unsigned(o, v));
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), WriteError> {
        if !v.is_finite() {
            return Err(float_key_must_be_finite());
        }
        self.quoted(|o| push_float(o, v));
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), WriteError> {
        if !v.is_finite() {
            return Err(float_key_must_be_finite());
        }
        self.quoted(|o| push_float(o, v));
        Ok(())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<(), WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_variant(self, _name: &'static str, _i: u32, variant: &'static str) -> Result<(), WriteError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, WriteError> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, WriteError> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests;
