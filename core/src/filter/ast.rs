//! The filter tree. Its `Display` is the one canonical form, and its serde form is the JSON
//! users in every runtime inspect:
//!
//! | filter | JSON |
//! |---|---|
//! | `emails.value eq "x"` | `{"op": "eq", "path": "emails.value", "value": "x"}` |
//! | `title pr` | `{"op": "pr", "path": "title"}` |
//! | `a pr and b pr` | `{"and": [{…}, {…}]}` (likewise `or`) |
//! | `not (a pr)` | `{"not": {…}}` |
//! | `emails[type eq "work"]` | `{"valuePath": {"path": "emails", "filter": {…}}}` |
//!
//! Canonical form: operators and `and`/`or`/`not` in lowercase, single spaces, attribute
//! paths and numbers as written, strings re-escaped minimally (as `serde_json` writes them),
//! parentheses only around an `or` inside an `and`, and `not (…)` always with its parentheses.
//! Printing a parsed filter and parsing the text gives the same tree.

use std::fmt;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::path::AttrPath;

/// A parsed filter. A filter from [`Filter::parse`](crate::filter::Filter::parse) is normalized:
/// `and` and `or` hold two or more filters, an `and` never directly holds an `and`, an `or`
/// never directly holds an `or`, and redundant parentheses are gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// `path op value`, for every operator but `pr`.
    Compare {
        /// The attribute compared.
        path: AttrPath,
        /// The operator.
        op: CompareOp,
        /// The value compared with.
        value: Literal,
    },
    /// `path pr`: the attribute has a non-empty value.
    Present(AttrPath),
    /// Every filter matches.
    And(Vec<Filter>),
    /// At least one filter matches.
    Or(Vec<Filter>),
    /// `not (filter)`.
    Not(Box<Filter>),
    /// `path[filter]`: one value of the complex attribute `path` matches `filter`, whose paths
    /// name sub-attributes of `path`.
    ValuePath {
        /// The complex attribute.
        path: AttrPath,
        /// The condition on one of its values.
        filter: Box<Filter>,
    },
}

/// A comparison operator other than `pr` (RFC 7644 §3.4.2.2, Table 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Contains.
    Co,
    /// Starts with.
    Sw,
    /// Ends with.
    Ew,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Ge,
    /// Less than.
    Lt,
    /// Less than or equal.
    Le,
}

impl CompareOp {
    /// Every operator.
    pub const ALL: [Self; 9] =
        [Self::Eq, Self::Ne, Self::Co, Self::Sw, Self::Ew, Self::Gt, Self::Ge, Self::Lt, Self::Le];

    /// The lowercase keyword.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }

    /// The operator spelled `word` in any case.
    pub fn from_keyword(word: &str) -> Option<Self> {
        let &[a, b] = word.as_bytes() else {
            return None;
        };
        Some(match [a.to_ascii_lowercase(), b.to_ascii_lowercase()] {
            [b'e', b'q'] => Self::Eq,
            [b'n', b'e'] => Self::Ne,
            [b'c', b'o'] => Self::Co,
            [b's', b'w'] => Self::Sw,
            [b'e', b'w'] => Self::Ew,
            [b'g', b't'] => Self::Gt,
            [b'g', b'e'] => Self::Ge,
            [b'l', b't'] => Self::Lt,
            [b'l', b'e'] => Self::Le,
            _ => return None,
        })
    }

    /// Whether this is `gt`, `ge`, `lt` or `le`.
    pub const fn is_ordering(self) -> bool {
        matches!(self, Self::Gt | Self::Ge | Self::Lt | Self::Le)
    }

    /// Whether this is `co`, `sw` or `ew`.
    pub const fn is_substring(self) -> bool {
        matches!(self, Self::Co | Self::Sw | Self::Ew)
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A comparison value: a JSON string, number, `true`, `false` or `null`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// A string, decoded.
    String(String),
    /// A number, as written.
    Number(Number),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// A JSON number kept as written, so it compares exactly (no rounding through `f64`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number(String);

impl Number {
    /// `text` when it follows the JSON number grammar (RFC 8259 §6):
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    pub fn parse(text: &str) -> Option<Self> {
        is_json_number(text).then(|| Self(text.to_owned()))
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// In JSON, a number as `serde_json` reads the text (integers exactly; other values may lose
/// digits past `f64` precision). A number beyond `f64` range is given as its text.
impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.parse::<serde_json::Number>() {
            Ok(n) => n.serialize(serializer),
            Err(_) => serializer.serialize_str(&self.0),
        }
    }
}

fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut at = usize::from(b.first() == Some(&b'-'));
    let digits = |at: &mut usize| {
        let start = *at;
        while b.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - start
    };
    match b.get(at) {
        Some(b'0') => at += 1,
        Some(b'1'..=b'9') => {
            digits(&mut at);
        }
        _ => return false,
    }
    if b.get(at) == Some(&b'.') {
        at += 1;
        if digits(&mut at) == 0 {
            return false;
        }
    }
    if matches!(b.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(b.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        if digits(&mut at) == 0 {
            return false;
        }
    }
    at == b.len()
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::String(s) => write_json_string(f, s),
            Self::Number(n) => f.write_str(n.as_str()),
            Self::Bool(true) => f.write_str("true"),
            Self::Bool(false) => f.write_str("false"),
            Self::Null => f.write_str("null"),
        }
    }
}

impl Serialize for Literal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::String(s) => serializer.serialize_str(s),
            Self::Number(n) => n.serialize(serializer),
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Null => serializer.serialize_unit(),
        }
    }
}

/// `s` as a JSON string, escaped the way `serde_json` does: `"` and `\`, the short escapes
/// for backspace, form feed, newline, carriage return and tab, `\u00XX` for other control
/// characters, everything else as is.
pub(crate) fn write_json_string(f: &mut impl fmt::Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    let mut run_start = 0;
    for (at, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if u32::from(c) < 0x20 => "",
            _ => continue,
        };
        f.write_str(s.get(run_start..at).unwrap_or_default())?;
        if escape.is_empty() {
            write!(f, "\\u{:04x}", u32::from(c))?;
        } else {
            f.write_str(escape)?;
        }
        run_start = at + c.len_utf8();
    }
    f.write_str(s.get(run_start..).unwrap_or_default())?;
    f.write_char('"')
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Compare { path, op, value } => write!(f, "{path} {op} {value}"),
            Self::Present(path) => write!(f, "{path} pr"),
            Self::And(items) => join(f, items, " and "),
            Self::Or(items) => join(f, items, " or "),
            Self::Not(inner) => write!(f, "not ({inner})"),
            Self::ValuePath { path, filter } => write!(f, "{path}[{filter}]"),
        }
    }
}

/// `items` separated by `word`; an `or` inside an `and` gets parentheses (`and` binds tighter).
fn join(f: &mut fmt::Formatter<'_>, items: &[Filter], word: &str) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(word)?;
        }
        if word == " and " && matches!(item, Filter::Or(_)) {
            write!(f, "({item})")?;
        } else {
            write!(f, "{item}")?;
        }
    }
    Ok(())
}

impl Serialize for Filter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Self::Compare { path, op, value } => {
                map.serialize_entry("op", op.as_str())?;
                map.serialize_entry("path", path)?;
                map.serialize_entry("value", value)?;
            }
            Self::Present(path) => {
                map.serialize_entry("op", "pr")?;
                map.serialize_entry("path", path)?;
            }
            Self::And(items) => map.serialize_entry("and", &Items(items))?,
            Self::Or(items) => map.serialize_entry("or", &Items(items))?,
            Self::Not(inner) => map.serialize_entry("not", inner)?,
            Self::ValuePath { path, filter } => map.serialize_entry("valuePath", &ValuePathBody { path, filter })?,
        }
        map.end()
    }
}

struct Items<'a>(&'a [Filter]);

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct ValuePathBody<'a> {
    path: &'a AttrPath,
    filter: &'a Filter,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cmp(path: &str, op: CompareOp, value: Literal) -> Filter {
        Filter::Compare { path: AttrPath::new(None, path, None), op, value }
    }

    #[test]
    fn json_number_grammar() {
        for good in ["0", "-0", "12", "-1.5", "1e5", "1E+5", "1.0e-10", "9007199254740993"] {
            assert!(Number::parse(good).is_some(), "{good}");
        }
        for bad in ["", "-", "01", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.5.2", "--1", "Infinity"] {
            assert!(Number::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn strings_are_escaped_like_serde_json() {
        for s in ["plain", "q\"b\\s/", "\u{1}\u{8}\u{c}\n\r\t\u{1f}", "é😀\u{2028}", ""] {
            let mut out = String::new();
            write_json_string(&mut out, s).unwrap();
            assert_eq!(out, serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn prints_parentheses_only_for_or_inside_and() {
        let a = || Filter::Present(AttrPath::new(None, "a", None));
        let b = || cmp("b", CompareOp::Eq, Literal::String("x".into()));
        let or = Filter::Or(vec![a(), b()]);
        let and = Filter::And(vec![or.clone(), a()]);
        assert_eq!(and.to_string(), r#"(a pr or b eq "x") and a pr"#);
        assert_eq!(Filter::Or(vec![Filter::And(vec![a(), b()]), a()]).to_string(), r#"a pr and b eq "x" or a pr"#);
        assert_eq!(Filter::Not(Box::new(a())).to_string(), "not (a pr)");
        let vp = Filter::ValuePath { path: AttrPath::new(None, "emails", None), filter: Box::new(or) };
        assert_eq!(vp.to_string(), r#"emails[a pr or b eq "x"]"#);
    }

    #[test]
    fn serializes_to_the_documented_shape() {
        let f = Filter::And(vec![
            cmp("age", CompareOp::Gt, Literal::Number(Number::parse("9007199254740993").unwrap())),
            Filter::Not(Box::new(Filter::Present(AttrPath::new(None, "title", None)))),
            Filter::ValuePath {
                path: AttrPath::new(None, "emails", None),
                filter: Box::new(cmp("type", CompareOp::Eq, Literal::Null)),
            },
        ]);
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            json!({"and": [
                {"op": "gt", "path": "age", "value": 9_007_199_254_740_993_u64},
                {"not": {"op": "pr", "path": "title"}},
                {"valuePath": {"path": "emails", "filter": {"op": "eq", "path": "type", "value": null}}}
            ]})
        );
        let huge = Literal::Number(Number::parse("1e400").unwrap());
        assert_eq!(serde_json::to_value(&huge).unwrap(), "1e400");
    }
}
