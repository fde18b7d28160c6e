//! A one-pass reader for the JSON text SCIM services receive nearly always: well formed, no
//! duplicate keys, integers only, nesting within the limit.
//!
//! It reads straight from the bytes into a [`Value`], without serde's machinery, and gives up
//! (`None`) at the first thing that is not plainly fine: a float, `-0`, an integer beyond 64
//! bits, a duplicate key in any case, an object of more than [`SCAN_KEYS`] keys, nesting at
//! the limit, a lone surrogate, any syntax error. The strict reader then reads the text again
//! and decides, so this file decides nothing: whatever it returns is what the strict reader
//! returns for the same text (a test and the `validate` fuzz target hold it to that).

use std::borrow::Cow;

use serde_json::{Map, Number, Value};

use super::plain::plain_end;

/// The most keys an object may have here; larger objects go to the strict reader.
const SCAN_KEYS: usize = 32;

/// A position in JSON text, read forward.
pub(crate) struct Reader<'t> {
    text: &'t str,
    pos: usize,
    /// The most levels of arrays and objects allowed (as the strict reader counts them).
    max_depth: usize,
}

/// Reads `text` as one JSON value, or gives up.
pub(crate) fn read(text: &str, max_depth: usize) -> Option<Value> {
    let mut reader = Reader::new(text, max_depth);
    let value = reader.value(0)?;
    reader.end()?;
    Some(value)
}

impl<'t> Reader<'t> {
    pub(crate) const fn new(text: &'t str, max_depth: usize) -> Self {
        Self { text, pos: 0, max_depth }
    }

    /// The byte position reading has reached.
    pub(crate) const fn position(&self) -> usize {
        self.pos
    }

    /// Goes on reading from byte `pos` (after something read by other means).
    pub(crate) const fn seek(&mut self, pos: usize) {
        self.pos = pos;
    }

    fn byte_at(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    /// The next byte that is not JSON whitespace, left unread.
    pub(crate) fn peek(&mut self) -> Option<u8> {
        while let Some(b) = self.byte_at(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Reads `byte` after any whitespace.
    pub(crate) fn eat(&mut self, byte: u8) -> Option<()> {
        if self.peek()? != byte {
            return None;
        }
        self.pos += 1;
        Some(())
    }

    /// Whitespace only, to the end of the text.
    pub(crate) fn end(&mut self) -> Option<()> {
        match self.peek() {
            None => Some(()),
            Some(_) => None,
        }
    }

    /// Between the items of an array or object closed by `close`: whether another item
    /// follows (reading its `,`), or the end (reading `close`).
    pub(crate) fn more(&mut self, close: u8, first: &mut bool) -> Option<bool> {
        let next = self.peek()?;
        if next == close {
            self.pos += 1;
            return Some(false);
        }
        if !*first {
            if next != b',' {
                return None;
            }
            self.pos += 1;
        }
        *first = false;
        Some(true)
    }

    /// An object member's name and its `:`.
    pub(crate) fn key(&mut self) -> Option<Cow<'t, str>> {
        let key = self.string()?;
        self.eat(b':')?;
        Some(key)
    }

    /// A string, borrowed from the text when it has no escapes.
    pub(crate) fn string(&mut self) -> Option<Cow<'t, str>> {
        self.eat(b'"')?;
        let start = self.pos;
        let at = plain_end(self.text.as_bytes(), start);
        match self.byte_at(at)? {
            b'"' => {
                self.pos = at + 1;
                return self.text.get(start..at).map(Cow::Borrowed);
            }
            b'\\' => {}
            _ => return None,
        }
        let mut owned = String::with_capacity(at - start + 16);
        owned.push_str(self.text.get(start..at)?);
        self.pos = at;
        self.escaped_rest(&mut owned)?;
        Some(Cow::Owned(owned))
    }

    /// The rest of a string that has an escape at the current position.
    fn escaped_rest(&mut self, out: &mut String) -> Option<()> {
        loop {
            let run = self.pos;
            self.pos = plain_end(self.text.as_bytes(), run);
            out.push_str(self.text.get(run..self.pos)?);
            match self.byte_at(self.pos)? {
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                b'\\' => {
                    let kind = self.byte_at(self.pos + 1)?;
                    self.pos += 2;
                    let c = match kind {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    out.push(c);
                }
                _ => return None,
            }
        }
    }

    /// The character of a `\u` escape (its `\u` read), a surrogate pair taken whole.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.byte_at(self.pos)? != b'\\' || self.byte_at(self.pos + 1)? != b'u' {
                    return None;
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return None,
            _ => first,
        };
        char::from_u32(code)
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// Any value; `depth` is how many arrays and objects enclose it.
    pub(crate) fn value(&mut self, depth: usize) -> Option<Value> {
        match self.peek()? {
            b'"' => Some(Value::String(self.string()?.into_owned())),
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Null),
            _ => self.integer(),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Option<Value> {
        if !self.text.get(self.pos..)?.starts_with(word) {
            return None;
        }
        self.pos += word.len();
        Some(value)
    }

    /// An integer as `serde_json` reads it: non-negative ones as `u64`, negative ones as `i64`.
    /// Fractions, exponents, `-0` and integers beyond those types are left to the strict
    /// reader (`serde_json` makes floats of them).
    fn integer(&mut self) -> Option<Value> {
        let negative = self.byte_at(self.pos)? == b'-';
        if negative {
            self.pos += 1;
        }
        let start = self.pos;
        let mut magnitude: u64 = 0;
        while let Some(b @ b'0'..=b'9') = self.byte_at(self.pos) {
            magnitude = magnitude.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            self.pos += 1;
        }
        let digits = self.pos - start;
        let leading_zero = self.byte_at(start) == Some(b'0');
        if digits == 0 || (leading_zero && (digits > 1 || negative)) {
            return None;
        }
        if matches!(self.byte_at(self.pos), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let number =
            if negative { Number::from(0_i64.checked_sub_unsigned(magnitude)?) } else { Number::from(magnitude) };
        Some(Value::Number(number))
    }

    /// Reads the `[` or `{` at the current position of a value `depth` levels down; the depth
    /// of what it holds, or `None` past the limit (checked before going deeper).
    fn open(&mut self, depth: usize) -> Option<usize> {
        let inner = depth + 1;
        if inner > self.max_depth {
            return None;
        }
        self.pos += 1;
        Some(inner)
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        let inner = self.open(depth)?;
        let mut items = Vec::new();
        let mut first = true;
        while self.more(b']', &mut first)? {
            items.push(self.value(inner)?);
        }
        Some(Value::Array(items))
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        let inner = self.open(depth)?;
        let mut map = Map::new();
        let mut seen = [0_u64; SCAN_KEYS];
        let mut count = 0;
        let mut first = true;
        while self.more(b'}', &mut first)? {
            let key = self.key()?;
            let print = folded_fingerprint(&key);
            let earlier = seen.get(..count)?;
            if earlier.contains(&print) && map.keys().any(|k: &String| k.eq_ignore_ascii_case(&key)) {
                return None;
            }
            *seen.get_mut(count)? = print;
            count += 1;
            let value = self.value(inner)?;
            map.insert(key.into_owned(), value);
        }
        Some(Value::Object(map))
    }
}

/// A fingerprint of `key` that ASCII case does not change: its length and its first, middle
/// and last bytes, folded. Keys equal without regard to case have equal fingerprints; keys of
/// one object rarely share one otherwise (and then are compared).
pub(crate) fn folded_fingerprint(key: &str) -> u64 {
    let b = key.as_bytes();
    let folded = |i: usize| u64::from(b.get(i).map_or(0, u8::to_ascii_lowercase));
    let len = b.len();
    (len as u64) | folded(0) << 40 | folded(len / 2) << 48 | folded(len.wrapping_sub(1)) << 56
}

#[cfg(test)]
mod tests;
