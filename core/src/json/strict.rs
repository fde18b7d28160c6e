//! A strict JSON reader: refuses duplicate keys (also when they differ only in ASCII case),
//! nesting deeper than the limit and texts larger than the limit, and says where.
//!
//! A syntax error is located at the document's root, with its line and column — except an
//! escape a string value cannot hold (a lone surrogate such as `\ud800`, a malformed `\u`),
//! which is located at that value, or at the object holding the member name that has it: where
//! the same string given as a value (a Python `str`, a JS string written by `JSON.stringify`)
//! is refused.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::fast::{self, folded_fingerprint};
use crate::error::{Error, ErrorKind, Location, ScimType, excerpt};
use crate::limits::Limits;

/// Below this many keys an object is checked for duplicates by a scan; above, by a sorted set
/// (no hashing, so attacker-chosen keys cannot flood it).
const SCAN_KEYS: usize = 24;

enum Segment {
    Key(String),
    Index(usize),
}

struct Failure {
    error: Error,
    /// Innermost segment first.
    path: Vec<Segment>,
}

/// The state one strict read shares across its levels: the depth limit, and the first failure
/// with its place.
pub(crate) struct Context {
    max_depth: usize,
    failure: RefCell<Option<Failure>>,
    /// Where serde's own error (a syntax error) was met, innermost segment first.
    syntax_path: RefCell<Vec<Segment>>,
}

impl Context {
    /// A context for one read under `limits`.
    pub(crate) fn new(limits: &Limits) -> Self {
        Self { max_depth: limits.depth(), failure: RefCell::new(None), syntax_path: RefCell::new(Vec::new()) }
    }

    fn fail<E: serde::de::Error>(&self, error: Error) -> E {
        *self.failure.borrow_mut() = Some(Failure { error, path: Vec::new() });
        E::custom("scimkit")
    }

    fn add_segment(&self, segment: Segment) {
        match self.failure.borrow_mut().as_mut() {
            Some(f) => f.path.push(segment),
            None => self.syntax_path.borrow_mut().push(segment),
        }
    }
}

/// The location `path` (innermost segment first) names.
fn location_of(path: &[Segment]) -> Location {
    let mut location = Location::root();
    for segment in path.iter().rev() {
        match segment {
            Segment::Key(k) => location.push_key(k),
            Segment::Index(i) => location.push_index(*i),
        }
    }
    location
}

/// Reads one value strictly; `depth` is how many arrays and objects enclose it.
#[derive(Clone, Copy)]
pub(crate) struct Seed<'c> {
    ctx: &'c Context,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// The reader's error for nesting deeper than `limit` (located by the caller).
fn too_deep(limit: usize) -> Error {
    Error::new(ScimType::InvalidSyntax, format!("JSON nesting is deeper than the limit of {limit}"))
}

impl Seed<'_> {
    fn deeper<E: serde::de::Error>(self) -> Result<Self, E> {
        let depth = self.depth + 1;
        if depth > self.ctx.max_depth {
            return Err(self.ctx.fail(too_deep(self.ctx.max_depth)));
        }
        Ok(Self { ctx: self.ctx, depth })
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| self.ctx.fail(Error::new(ScimType::InvalidSyntax, "a number is not finite")))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut items = Vec::new();
        loop {
            match seq.next_element_seed(inner) {
                Ok(Some(v)) => items.push(v),
                Ok(None) => break,
                Err(e) => {
                    self.ctx.add_segment(Segment::Index(items.len()));
                    return Err(e);
                }
            }
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut map = Map::new();
        let mut folded: Option<BTreeSet<String>> = None;
        // The case-folded fingerprints of the keys so far (while there are at most SCAN_KEYS):
        // the keys themselves are compared only when a fingerprint matches.
        let mut seen = [0u64; SCAN_KEYS];
        while let Some(key) = access.next_key::<String>()? {
            let duplicate = if let Some(set) = folded.as_mut() {
                !set.insert(key.to_ascii_lowercase())
            } else {
                let print = folded_fingerprint(&key);
                let dup = seen.get(..map.len()).is_some_and(|s| s.contains(&print))
                    && map.keys().any(|k| k.eq_ignore_ascii_case(&key));
                if let Some(slot) = seen.get_mut(map.len()) {
                    *slot = print;
                }
                if !dup && map.len() >= SCAN_KEYS {
                    // An insert loop: `collect()` would bring a sort of its own.
                    let mut set = BTreeSet::new();
                    for k in map.keys().chain([&key]) {
                        set.insert(k.to_ascii_lowercase());
                    }
                    folded = Some(set);
                }
                dup
            };
            if duplicate {
                let err = self.ctx.fail(repeated_key(&key));
                self.ctx.add_segment(Segment::Key(key));
                return Err(err);
            }
            match access.next_value_seed(inner) {
                Ok(v) => {
                    map.insert(key, v);
                }
                Err(e) => {
                    self.ctx.add_segment(Segment::Key(key));
                    return Err(e);
                }
            }
        }
        Ok(Value::Object(map))
    }
}

/// The error for a key given twice in one object, compared without regard to case (the strict
/// reader's, and what a document given as a value is held to).
pub fn repeated_key(key: &str) -> Error {
    Error::new(
        ScimType::InvalidSyntax,
        format!(
            "key `{}` appears more than once in one object (keys are compared without regard to case)",
            excerpt(key)
        ),
    )
}

/// Parses JSON text strictly: one value, no duplicate keys in any case, nesting within
/// `limits.max_depth`, size within `limits.max_body_bytes`.
///
/// # Errors
/// `invalidSyntax` (malformed JSON, duplicate key, nesting) with the location of the problem,
/// or a 413 error when the text is larger than the limit.
pub fn parse_strict(text: &str, limits: &Limits) -> Result<Value, Error> {
    check_size(text.len(), limits)?;
    if let Some(value) = fast::read(text, limits.depth()) {
        return Ok(value);
    }
    parse_strict_text(text, limits)
}

/// [`parse_strict`] through serde alone: the reader that decides, and says what is wrong.
pub(crate) fn parse_strict_text(text: &str, limits: &Limits) -> Result<Value, Error> {
    read(serde_json::Deserializer::from_str(text), text.as_bytes(), limits)
}

/// serde's syntax error `e` over `bytes` said plainly when the text was never JSON to begin
/// with: `serde_json`'s "expected value (line 1, column 1)" for a byte order mark, UTF-16, bytes
/// that are not UTF-8 or an empty body sends a person looking for a typo that is not there.
/// `None` for any other error, or one that comes before the cause (a syntax error ahead of a bad
/// byte keeps its own place).
fn plain_syntax_error(bytes: &[u8], e: &serde_json::Error) -> Option<Error> {
    let at = error_offset(bytes, e.line(), e.column());
    let detail = if at == 0 && bytes.starts_with(b"\xEF\xBB\xBF") {
        "the JSON text starts with a byte order mark (U+FEFF), which JSON text must not (RFC 8259 §8.1): \
         leave it out"
            .to_owned()
    } else if at == 0 && (bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")) {
        "the JSON text is UTF-16 or UTF-32 (it starts with such a byte order mark); SCIM bodies are UTF-8".to_owned()
    } else if let Some(bad) = std::str::from_utf8(bytes).err().map(|u| u.valid_up_to()).filter(|bad| *bad <= at) {
        format!("the JSON text is not UTF-8: byte {bad} is not valid UTF-8")
    } else if bytes.iter().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
        "the JSON text is empty: it must hold one JSON value".to_owned()
    } else if let Some(named) = bytes.get(at..).and_then(stray_character) {
        format!("the JSON text has {named} (line {}, column {})", e.line(), e.column())
    } else {
        return None;
    };
    Some(Error::new(ScimType::InvalidSyntax, detail).at(Location::root()))
}

/// What is wrong with the character `rest` starts with, when it is one that text copied from a
/// document, a terminal or a C string brings into JSON where JSON has no place for it: a NUL, a
/// space other than JSON's four, a typographic quotation mark. `None` for anything else.
fn stray_character(rest: &[u8]) -> Option<String> {
    let first = rest.get(..rest.len().min(4))?;
    let valid = match std::str::from_utf8(first) {
        Ok(text) => text,
        Err(e) => first.get(..e.valid_up_to()).and_then(|ok| std::str::from_utf8(ok).ok())?,
    };
    let c = valid.chars().next()?;
    let code = u32::from(c);
    Some(match c {
        '\0' => "a NUL byte (U+0000), which JSON does not allow: inside a string it is written `\\u0000`".to_owned(),
        '\u{a0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200b}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202f}'
        | '\u{205f}'
        | '\u{3000}'
        | '\u{feff}' => format!(
            "a Unicode space (U+{code:04X}) between values, where JSON allows only space, tab, line feed and \
             carriage return"
        ),
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2018}' | '\u{2019}' | '\u{ab}' | '\u{bb}' => {
            format!("a typographic quotation mark `{c}` (U+{code:04X}) where JSON needs a straight double quote `\"`")
        }
        _ => return None,
    })
}

/// The byte offset of serde's 1-based `line` and `column` (0 for the column: the line's start).
fn error_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(line - 2).map_or(bytes.len(), |(i, _)| i + 1)
    };
    line_start.saturating_add(column.saturating_sub(1))
}

/// [`parse_strict`] over bytes, which must be UTF-8.
///
/// # Errors
/// As [`parse_strict`]; invalid UTF-8 is `invalidSyntax`.
pub fn parse_bytes(bytes: &[u8], limits: &Limits) -> Result<Value, Error> {
    check_size(bytes.len(), limits)?;
    if let Some(value) = std::str::from_utf8(bytes).ok().and_then(|text| fast::read(text, limits.depth())) {
        return Ok(value);
    }
    read(serde_json::Deserializer::from_slice(bytes), bytes, limits)
}

pub(crate) fn check_size(len: usize, limits: &Limits) -> Result<(), Error> {
    if len > limits.max_body_bytes {
        return Err(Error::new(
            ErrorKind::PayloadTooLarge,
            format!("the body is {len} bytes, more than the limit of {} bytes", limits.max_body_bytes),
        ));
    }
    Ok(())
}

fn read<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Value, Error> {
    let ctx = Context::new(limits);
    let result = Seed { ctx: &ctx, depth: 0 }.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match result {
        Ok(v) => Ok(v),
        Err(e) => Err(match ctx.failure.into_inner() {
            Some(Failure { error, path }) => error.at(location_of(&path)),
            None => plain_syntax_error(bytes, &e).unwrap_or_else(|| syntax_error(&e, &ctx.syntax_path.into_inner())),
        }),
    }
}

/// serde's error, at the root; one in a string's escapes at the string (see the module docs).
fn syntax_error(e: &serde_json::Error, path: &[Segment]) -> Error {
    let text = e.to_string();
    let message = text.split(" at line ").next().unwrap_or(&text);
    let what = if e.classify() == serde_json::error::Category::Eof {
        "the JSON text ends too early".to_owned()
    } else {
        format!("the JSON text is not valid: {message}")
    };
    let error = Error::new(ScimType::InvalidSyntax, format!("{what} (line {}, column {})", e.line(), e.column()));
    // serde_json's messages for what a `\u` escape (or any escape) may not be.
    let in_escape =
        ["surrogate", "hex escape", "unicode code point", "invalid escape"].iter().any(|m| message.contains(m));
    error.at(if in_escape { location_of(path) } else { Location::root() })
}

/// The reader's error for `value` nesting deeper than `limit`, located at the first container
/// (in document order) a reader of its text would have stopped at; `None` within the limit. A
/// document given as a value (a Python dict) is held to the limit with the same answer as its
/// text. Walked without recursion.
pub fn depth_error(value: &Value, limit: usize) -> Option<Error> {
    depth_error_within(value, limit, limit)
}

/// [`depth_error`] for item `index` of a JSON array of documents handed over one by one (a
/// host's list of objects, a cursor's rows): held to the depth it has inside its array, one
/// level less than `limits` allow, and reported as the array's text would be (under `/index`,
/// naming the limit of the whole), so a list answers the same whether it came as one text or
/// item by item.
pub fn item_depth_error(item: &Value, index: usize, limits: &Limits) -> Option<Error> {
    let limit = limits.depth();
    depth_error_within(item, limit.saturating_sub(1), limit).map(|e| e.in_item(index))
}

/// The depth error of `value` held to `limit`, naming `reported` as the limit.
fn depth_error_within(value: &Value, limit: usize, reported: usize) -> Option<Error> {
    if !depth_exceeds(value, limit) {
        return None;
    }
    // Each container visited, as (its parent's index, the segment from the parent).
    let mut nodes: Vec<(Option<usize>, Segment)> = Vec::new();
    let mut stack: Vec<(&Value, usize, Option<usize>)> = vec![(value, 1, None)];
    while let Some((v, depth, node)) = stack.pop() {
        if depth > limit {
            let mut segments = Vec::new();
            let mut at = node;
            while let Some(i) = at {
                let Some((parent, segment)) = nodes.get(i) else { break };
                segments.push(segment);
                at = *parent;
            }
            let mut location = Location::root();
            for segment in segments.into_iter().rev() {
                match segment {
                    Segment::Key(k) => location.push_key(k),
                    Segment::Index(i) => location.push_index(*i),
                }
            }
            return Some(too_deep(reported).at(location));
        }
        let children: Vec<(Segment, &Value)> = match v {
            Value::Array(items) => items.iter().enumerate().map(|(i, c)| (Segment::Index(i), c)).collect(),
            Value::Object(map) => map.iter().map(|(k, c)| (Segment::Key(k.clone()), c)).collect(),
            _ => continue,
        };
        for (segment, child) in children.into_iter().rev() {
            if child.is_array() || child.is_object() {
                nodes.push((node, segment));
                stack.push((child, depth + 1, Some(nodes.len() - 1)));
            }
        }
    }
    None
}

/// How deeply `value` nests (a scalar is 0, `[]` is 1), measured without recursion and
/// stopping as soon as `limit` is passed.
pub fn depth_exceeds(value: &Value, limit: usize) -> bool {
    // Only containers go on the stack: scalars cannot nest.
    let is_container = |v: &&Value| v.is_array() || v.is_object();
    let mut stack: Vec<(&Value, usize)> = Vec::with_capacity(32);
    if is_container(&value) {
        stack.push((value, 1));
    }
    while let Some((v, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        match v {
            Value::Array(items) => stack.extend(items.iter().filter(is_container).map(|c| (c, depth + 1))),
            Value::Object(map) => stack.extend(map.values().filter(is_container).map(|c| (c, depth + 1))),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod plain_messages {
    use super::*;

    #[test]
    fn text_that_was_never_json_is_named_for_what_it_is() {
        let limits = Limits::default();
        for (bytes, said) in [
            (&b"\xEF\xBB\xBF{}"[..], "byte order mark (U+FEFF)"),
            (&b"\xFF\xFE{\x00}\x00"[..], "is UTF-16 or UTF-32"),
            (&b"{\"a\": \"\xC3\x28\"}"[..], "byte 7 is not valid UTF-8"),
            (&b""[..], "is empty"),
            (&b" \r\n"[..], "is empty"),
            (&b"{\"a\": }"[..], "not valid: expected value"),
        ] {
            let e = parse_bytes(bytes, &limits).unwrap_err();
            assert!(e.detail().contains(said), "{bytes:?}: {}", e.detail());
            assert_eq!(e.location().map(Location::as_str), Some(""));
        }
        // A problem before the bad byte keeps its own error and place.
        let e = parse_bytes(b"{\"a\": 1, \"A\": 2, \"t\": \"\xff\"}", &limits).unwrap_err();
        assert_eq!(e.location().map(Location::as_str), Some("/A"), "{}", e.detail());
        let e = parse_bytes(b"{\"a\" 1, \"t\": \"\xff\"}", &limits).unwrap_err();
        assert!(e.detail().contains("column 6"), "{}", e.detail());
        // Characters pasted in from elsewhere, named where serde found them.
        for (text, said) in [
            ("{\u{201c}userName\u{201d}: \"a\"}", "quotation mark `\u{201c}` (U+201C)"),
            ("{\"n\u{e9}\": 1,\u{a0}\"b\": 2}", "Unicode space (U+00A0)"),
            ("\u{a0}{}", "Unicode space (U+00A0)"),
            ("{\"a\": 1}\u{0}", "NUL byte"),
            ("{\"a\":\n \u{3000}1}", "(U+3000) between values"),
        ] {
            let e = parse_strict(text, &limits).unwrap_err();
            assert!(e.detail().contains(said) && e.detail().contains("(line "), "{text:?}: {}", e.detail());
        }
        let e = parse_strict("\u{feff}{}", &limits).unwrap_err();
        assert!(e.detail().contains("byte order mark"), "{}", e.detail());
        assert!(parse_strict("  ", &limits).unwrap_err().detail().contains("is empty"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    fn parse(text: &str) -> Result<Value, Error> {
        parse_strict(text, &Limits::default())
    }

    #[test]
    fn an_item_alone_is_held_as_inside_its_array() {
        let nested = |levels: usize| "[".repeat(levels) + &"]".repeat(levels);
        let limits = Limits { max_depth: 6, ..Limits::default() };
        for levels in 1..8 {
            let item_text = format!(r#"{{"x": {}}}"#, nested(levels));
            let list = format!(r#"[{{"id": "a"}}, {item_text}]"#);
            let whole = parse_strict(&list, &limits).err();
            let item = parse(&item_text).unwrap();
            let alone = item_depth_error(&item, 1, &limits);
            assert_eq!(whole.is_some(), alone.is_some(), "{levels} levels");
            if let (Some(whole), Some(alone)) = (whole, alone) {
                assert_eq!((whole.location(), whole.detail()), (alone.location(), alone.detail()));
                assert!(alone.location().unwrap().as_str().starts_with("/1/x"));
            }
        }
    }

    #[test]
    fn reads_ordinary_json() {
        let v = parse(r#"{"a": [1, -2, 3.5, "x\u00e9", true, null], "b": {}}"#).unwrap();
        assert_eq!(v["a"][3], "xé");
        assert!(v["a"][0].is_u64() && v["a"][1].is_i64() && v["a"][2].is_f64());
    }

    #[test]
    fn refuses_duplicates_in_any_case_with_location() {
        let e = parse(r#"{"emails": [{"value": "a", "VALUE": "b"}]}"#).unwrap_err();
        assert_eq!(e.scim_type(), Some(ScimType::InvalidSyntax));
        assert_eq!(e.location().unwrap().as_str(), "/emails/0/VALUE");
        assert!(parse(r#"{"a": 1, "a": 2}"#).is_err());
    }

    #[test]
    fn refuses_duplicates_in_large_objects() {
        let mut text = String::from("{");
        for i in 0..100 {
            write!(text, "\"k{i}\": {i},").unwrap();
        }
        text.push_str("\"K57\": 0}");
        let e = parse(&text).unwrap_err();
        assert_eq!(e.location().unwrap().as_str(), "/K57");
    }

    #[test]
    fn finds_every_duplicate_around_the_scan_limit() {
        // Objects of 1..=30 distinct keys with one more key spelled like key `dup` in another
        // case (and once exactly): refused at that key, wherever the two sit around SCAN_KEYS;
        // the same objects without the extra key, and with keys that differ by more than
        // case, are read.
        for n in 1..=30 {
            let keys: Vec<String> = (0..n).map(|i| format!("attr{i}Name")).collect();
            let object = |extra: Option<&str>| {
                let mut text = String::from("{");
                for k in &keys {
                    write!(text, "\"{k}\": 1,").unwrap();
                }
                if let Some(e) = extra {
                    write!(text, "\"{e}\": 2,").unwrap();
                }
                text.pop();
                text.push('}');
                text
            };
            assert_eq!(parse(&object(None)).unwrap().as_object().map(Map::len), Some(n));
            assert!(parse(&object(Some("attr0name_"))).is_ok());
            for dup in [0, n / 2, n - 1] {
                for spelled in [keys[dup].to_ascii_uppercase(), keys[dup].clone()] {
                    let e = parse(&object(Some(&spelled))).unwrap_err();
                    assert_eq!(e.location().unwrap().as_str(), format!("/{spelled}"), "{n} keys, dup {dup}");
                }
            }
        }
    }

    #[test]
    fn depth_limit_is_enforced_with_location() {
        let limits = Limits { max_depth: 3, ..Limits::default() };
        assert!(parse_strict(r#"{"a": {"b": [1]}}"#, &limits).is_ok());
        let e = parse_strict(r#"{"a": {"b": [[1]]}}"#, &limits).unwrap_err();
        assert_eq!(e.location().unwrap().as_str(), "/a/b/0");
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn a_value_too_deep_gets_the_readers_answer() {
        for text in [r#"{"a":{"b":[1,{"c":[[2]]}]},"z":1}"#, r#"[[[[1]]],{"x":{"y":{}}}]"#, r#"{"k":[{"l":{"m":{}}}]}"#]
        {
            for limit in 1..5 {
                let limits = Limits { max_depth: limit, ..Limits::default() };
                let read = parse_strict(text, &limits).err();
                let value: Value = serde_json::from_str(text).unwrap();
                let walked = depth_error(&value, limit);
                assert_eq!(
                    walked.as_ref().map(|e| (e.detail().to_owned(), e.location().cloned())),
                    read.as_ref().map(|e| (e.detail().to_owned(), e.location().cloned())),
                    "{text} under {limit}"
                );
            }
        }
    }

    #[test]
    fn size_limit_gives_413() {
        let limits = Limits { max_body_bytes: 4, ..Limits::default() };
        assert_eq!(parse_strict("[1,2,3]", &limits).unwrap_err().status(), 413);
    }

    #[test]
    fn syntax_errors_say_where() {
        let e = parse("{\"a\": }").unwrap_err();
        assert!(e.detail().contains("line 1"), "{}", e.detail());
        assert!(parse("{} x").is_err());
        assert!(parse(r#""\ud800""#).is_err());
    }

    #[test]
    fn escape_errors_are_located_at_their_string() {
        for (text, at) in [
            (r#"{"a": "\ud800"}"#, "/a"),
            (r#"{"a": [1, {"b": "x\udc00y"}]}"#, "/a/1/b"),
            (r#"{"a": "\ud83d\u0041"}"#, "/a"),
            (r#"{"a": {"\ud800": 1}}"#, "/a"),
            (r#"{"\udfff": 1}"#, ""),
            (r#"{"a": "\u12"}"#, "/a"),
            (r#"{"a": "\q"}"#, "/a"),
            (r#"{"a": [1,]}"#, ""),
            (r#"{"a": "\ud800"#, ""),
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.location().map(ToString::to_string).as_deref(), Some(at), "{text}: {}", e.detail());
            assert!(e.detail().contains("line 1"), "{}", e.detail());
        }
    }

    #[test]
    fn measures_depth_without_recursion() {
        let v: Value = serde_json::from_str(r#"{"a": [{"b": 1}]}"#).unwrap();
        assert!(!depth_exceeds(&v, 3));
        assert!(depth_exceeds(&v, 2));
        assert!(!depth_exceeds(&Value::Null, 0));
    }
}
